"""Work streams for the officers' pages: each one's Sponsor, Lead and Business Reps (with departments and
holders), themes, programme, objectives, initiatives and engaged partners, every fact with its source."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graph_service.answers.partners import Ref, refs
from graph_service.answers.policies import PostHolder
from graph_service.errors import NotFound
from graph_service.queries import ask
from graph_service.records import FactSource
from graph_service.store.base import GraphStore

ROLE_NAMES = {"SPONSORS": "Sponsor", "LEADS": "Lead", "BUSINESS_REP_FOR": "Business Rep"}


class RolePost(BaseModel):
    role: str
    post: str
    title: str | None
    departments: list[str]
    holders: list[PostHolder]
    provenance: FactSource


class Objective(BaseModel):
    key: str
    text: str
    provenance: FactSource


class InitiativeRef(BaseModel):
    key: str
    name: str | None
    pid_status: str | None
    stage: str | None
    provenance: FactSource


class Workstream(BaseModel):
    key: str
    name: str
    description: str | None
    roles: list[RolePost]
    themes: list[Ref]
    programmes: list[Ref]
    objectives: list[Objective]
    initiatives: list[InitiativeRef]
    partners: list[Ref]
    indicators: list[Ref]
    provenance: FactSource

    def posts(self, role: str) -> list[RolePost]:
        return [r for r in self.roles if r.role == role]


def _role(r: dict[str, Any]) -> RolePost:
    return RolePost(role=ROLE_NAMES[r["role"]], post=r["post"], title=r["title"], departments=sorted(r["departments"]),
                    holders=[PostHolder(person=p["person"], name=p["name"], valid_from=p["valid_from"],
                                        valid_to=p["valid_to"], provenance=FactSource.of(p)) for p in r["people"]],
                    provenance=FactSource.of(r))


def workstreams(store: GraphStore, key: str | None = None, as_of: str | None = None) -> list[Workstream]:
    """Every work stream (or the one keyed key); holders as on as_of, today when not given."""
    roles = [r for r in ask(store, "workstream_roles", as_of=as_of) if key is None or r["workstream"] == key]
    order = list(ROLE_NAMES)
    roles.sort(key=lambda r: (order.index(r["role"]), r["title"] or "", r["post"]))
    return [Workstream(key=w["key"], name=w["name"], description=w["description"],
                       roles=[_role(r) for r in roles if r["workstream"] == w["key"]],
                       themes=refs(w["themes"]), programmes=refs(w["programmes"]),
                       objectives=[Objective(key=o["key"], text=o["text"], provenance=FactSource.of(o)) for o in w["objectives"]],
                       initiatives=[InitiativeRef(**{k: i[k] for k in ("key", "name", "pid_status", "stage")},
                                                  provenance=FactSource.of(i)) for i in w["initiatives"]],
                       partners=refs(w["partners"]), indicators=refs(w["indicators"]), provenance=FactSource.of(w))
            for w in ask(store, "workstream_facts", key=key, as_of=as_of)]


def get_workstream(store: GraphStore, key: str, as_of: str | None = None) -> Workstream:
    found = workstreams(store, key, as_of)
    if not found:
        raise NotFound(f"no work stream with key {key!r}", key=key)
    return found[0]


class Director(Ref):
    holders: list[str]


class Programme(BaseModel):
    """A programme: its themes, work streams, directors (and who holds the post), the bodies overseeing
    it, its objectives and initiatives, each with its source."""

    key: str
    name: str
    description: str | None
    themes: list[Ref]
    workstreams: list[Ref]
    directors: list[Director]
    overseers: list[Ref]
    objectives: list[Objective]
    initiatives: list[Ref]
    provenance: FactSource


class Theme(BaseModel):
    """A theme of a programme and the work streams under it."""

    key: str
    name: str
    programmes: list[Ref]
    workstreams: list[Ref]
    provenance: FactSource


def programmes(store: GraphStore, as_of: str | None = None) -> list[Programme]:
    return [Programme(key=p["key"], name=p["name"], description=p["description"], themes=refs(p["themes"]),
                      workstreams=refs(p["workstreams"]), overseers=refs(p["overseers"]), initiatives=refs(p["initiatives"]),
                      directors=[Director(key=d["key"], name=d["title"], holders=d["holders"], provenance=FactSource.of(d))
                                 for d in p["directors"]],
                      objectives=[Objective(key=o["key"], text=o["text"], provenance=FactSource.of(o)) for o in p["objectives"]],
                      provenance=FactSource.of(p))
            for p in ask(store, "programme_facts", as_of=as_of)]


def get_programme(store: GraphStore, key: str, as_of: str | None = None) -> Programme:
    found = [p for p in programmes(store, as_of) if p.key == key]
    if not found:
        raise NotFound(f"no programme with key {key!r}", key=key)
    return found[0]


def themes(store: GraphStore, as_of: str | None = None) -> list[Theme]:
    """Every theme, from both ends: the programmes it belongs to and the work streams under it."""
    found: dict[str, Theme] = {}
    for p in programmes(store, as_of):
        for t in p.themes:
            theme = found.setdefault(t.key, Theme(key=t.key, name=t.name or t.key, programmes=[], workstreams=[],
                                                  provenance=t.provenance))
            theme.programmes.append(Ref(key=p.key, name=p.name, provenance=t.provenance))
    for w in workstreams(store, as_of=as_of):
        for t in w.themes:
            theme = found.setdefault(t.key, Theme(key=t.key, name=t.name or t.key, programmes=[], workstreams=[],
                                                  provenance=t.provenance))
            theme.workstreams.append(Ref(key=w.key, name=w.name, provenance=t.provenance))
    return sorted(found.values(), key=lambda t: (t.name, t.key))


def get_theme(store: GraphStore, key: str, as_of: str | None = None) -> Theme:
    found = [t for t in themes(store, as_of) if t.key == key]
    if not found:
        raise NotFound(f"no theme with key {key!r}", key=key)
    return found[0]

"""Partners for the officers' pages: the register (personas, work streams, priorities, who holds each
relationship) and one partner's record, every fact with its source. Contract values are procurement's:
a viewer's answer carries none, as the API's PartnerPublic does."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graph_service.access.auth import Role
from graph_service.access.redaction import redact_props
from graph_service.answers.policies import PostHolder
from graph_service.errors import NotFound
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.queries import ask
from graph_service.queries.graph import today
from graph_service.records import FactSource
from graph_service.store.base import GraphStore

ROLES = {"SUPPLIES": "supplier", "BUYS": "buyer", "FUNDS": "funder", "RECEIVES": "recipient"}


class Ref(BaseModel):
    key: str
    name: str | None
    provenance: FactSource


class RelationshipHolder(BaseModel):
    """A council post holding the relationship, and who held the post."""

    post: str
    title: str | None
    valid_from: str | None
    valid_to: str | None
    people: list[PostHolder]
    provenance: FactSource


class PartnerEntry(BaseModel):
    key: str
    name: str
    org_type: str | None
    is_council: bool
    identifiers: list[str]
    personas: list[Ref]
    workstreams: list[Ref]
    priorities: list[str]
    holders: list[RelationshipHolder]
    contracts: int
    grants: int
    charters: int
    provenance: FactSource


class Alias(BaseModel):
    name: str
    sources: list[dict[str, str]]


class ContractLink(BaseModel):
    key: str
    title: str
    role: str
    value: float | None  # None for a viewer, whatever is stored
    currency: str | None
    status: str | None
    start_date: str | None
    end_date: str | None
    provenance: FactSource


class GrantLink(BaseModel):
    key: str
    title: str
    role: str
    amount: float | None
    currency: str | None
    award_date: str | None
    programme: str | None
    provenance: FactSource


class CharterLink(BaseModel):
    key: str
    name: str
    status: str | None
    review_date: str | None
    valid_from: str | None
    valid_to: str | None
    provenance: FactSource


class Engagement(BaseModel):
    key: str
    kind: str
    held_on: str
    summary: str | None
    attendees: list[dict[str, Any]]
    provenance: FactSource


class PartnerRecord(BaseModel):
    key: str
    name: str
    org_type: str | None
    website: str | None
    postal_code: str | None
    is_council: bool
    verified_on: str | None
    identifiers: list[str]
    aliases: list[Alias]
    personas: list[Ref]
    holders: list[RelationshipHolder]
    contracts: list[ContractLink]
    values_shown: bool
    grants: list[GrantLink]
    charters: list[CharterLink]
    workstreams: list[Ref]
    engagements: list[Engagement]
    provenance: FactSource


def refs(rows: list[dict[str, Any]]) -> list[Ref]:
    return [Ref(key=r["key"], name=r["name"], provenance=FactSource.of(r)) for r in rows]


def _holders(rows: list[dict[str, Any]]) -> list[RelationshipHolder]:
    return [RelationshipHolder(post=h["post"], title=h["title"], valid_from=h["valid_from"], valid_to=h["valid_to"],
                               provenance=FactSource.of(h),
                               people=[PostHolder(person=p["person"], name=p["name"], valid_from=p["valid_from"],
                                                  valid_to=p["valid_to"], provenance=FactSource.of(p)) for p in h["people"]])
            for h in rows]


def partner_register(store: GraphStore, as_of: str | None = None) -> list[PartnerEntry]:
    """Every partner with what is in force on as_of (today when not given)."""
    return [PartnerEntry(**{k: r[k] for k in ("key", "name", "org_type", "is_council", "identifiers", "contracts",
                                               "grants", "charters")},
                         personas=refs(r["personas"]), workstreams=refs(r["workstreams"]),
                         priorities=[p["name"] for p in r["priorities"]], holders=_holders(r["holders"]),
                         provenance=FactSource.of(r))
            for r in ask(store, "partner_register", as_of=as_of or today())]


def get_partner(store: GraphStore, key: str, role: Role, as_of: str | None = None) -> PartnerRecord:
    """One partner by its key or any identifier it lists; relationship holders as on as_of (today when not
    given), contracts, grants and charters of every period unless as_of is given."""
    rows = ask(store, "partner_record", key=normalise_identifier(None, key) or key, as_of=as_of)
    if not rows:
        raise NotFound(f"no organisation with key {key!r}", key=key)
    row = rows[0]
    now = ask(store, "partner_record", key=row["key"], as_of=as_of or today())[0]
    contracts = [ContractLink(key=c["key"], title=c["title"], role=ROLES.get(c["role"], c["role"]),
                              value=redact_props("Contract", {"value": c["value"]}, role).get("value"),
                              currency=c["currency"], status=c["status"], start_date=c["start_date"],
                              end_date=c["end_date"], provenance=FactSource.of(c)) for c in row["contracts"]]
    return PartnerRecord(
        **{k: row[k] for k in ("key", "name", "org_type", "website", "postal_code", "is_council", "verified_on",
                               "identifiers")},
        aliases=[Alias(**a) for a in row["aliases"]], personas=refs(row["personas"]), holders=_holders(now["holders"]),
        contracts=contracts, values_shown=role >= Role.procurement,
        grants=[GrantLink(**{k: g[k] for k in GrantLink.model_fields if k != "provenance"}
                          | {"role": ROLES.get(g["role"], g["role"]), "provenance": FactSource.of(g)}) for g in row["grants"]],
        charters=[CharterLink(**{k: c[k] for k in CharterLink.model_fields if k != "provenance"},
                              provenance=FactSource.of(c)) for c in row["charters"]],
        workstreams=refs(row["workstreams"]),
        engagements=[Engagement(**{k: x[k] for k in ("key", "kind", "held_on", "summary", "attendees")},
                                provenance=FactSource.of(x)) for x in row["engagements"]],
        provenance=FactSource.of(row))

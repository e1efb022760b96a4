"""The charter register: each business charter or principles of partnership, its parties, the posts
managing it, and whether it has lapsed.

A charter has lapsed when its record says so, or when its review date has passed: a charter not
reviewed by its date no longer holds until it is renewed. A draft has not started, so it cannot lapse.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from graph_service.errors import NotFound
from graph_service.queries import ask
from graph_service.queries.graph import today
from graph_service.records import FactSource
from graph_service.store.base import GraphStore


class Party(BaseModel):
    key: str
    name: str
    is_council: bool
    joined: str | None
    left: str | None
    provenance: FactSource


class Linked(BaseModel):
    key: str
    name: str | None
    provenance: FactSource


class Charter(BaseModel):
    key: str
    name: str
    kind: str | None
    status: str | None
    signed_on: str | None
    review_date: str | None
    lapsed: bool
    lapsed_because: Literal["recorded as lapsed", "review date passed"] | None
    provenance: FactSource
    parties: list[Party]
    managers: list[Linked]
    priorities: list[Linked]

    @property
    def partners(self) -> list[Party]:
        """The parties other than the council."""
        return [p for p in self.parties if not p.is_council]


def lapse(status: str | None, review_date: str | None, day: str) -> str | None:
    """Why a charter has lapsed on day, or None while it holds (or is only a draft)."""
    if (status or "").casefold() == "lapsed":
        return "recorded as lapsed"
    if (status or "").casefold() != "draft" and review_date and review_date < day:
        return "review date passed"
    return None


def _linked(rows: list[dict[str, Any]]) -> list[Linked]:
    return [Linked(key=r["key"], name=r["name"], provenance=FactSource.of(r))
            for r in sorted(rows, key=lambda r: (r["name"] or "", r["key"]))]


def charter_answer(row: dict[str, Any], day: str) -> Charter:
    why = lapse(row["status"], row["review_date"], day)
    parties = [Party(key=p["key"], name=p["name"], is_council=p["is_council"], joined=p["joined"], left=p["left"],
                     provenance=FactSource.of(p)) for p in sorted(row["parties"], key=lambda p: (p["is_council"] is False, p["name"], p["key"]))]
    return Charter(key=row["charter"], name=row["name"], kind=row["kind"], status=row["status"],
                   signed_on=row["signed_on"], review_date=row["review_date"], lapsed=why is not None,
                   lapsed_because=why, provenance=FactSource.of(row["provenance"]), parties=parties,
                   managers=_linked(row["managers"]), priorities=_linked(row["priorities"]))


def charters(store: GraphStore, as_of: str | None = None) -> list[Charter]:
    """Every charter, lapsed first, then by review date and name."""
    day = as_of or today()
    found = [charter_answer(row, day) for row in ask(store, "charter_register", as_of=as_of)]
    return sorted(found, key=lambda c: (not c.lapsed, c.review_date or "9999", c.name, c.key))


def lapsed_charters(store: GraphStore, as_of: str | None = None) -> list[Charter]:
    return [c for c in charters(store, as_of) if c.lapsed]


def get_charter(store: GraphStore, key: str, as_of: str | None = None) -> Charter:
    rows = ask(store, "charter_register", charter=key, as_of=as_of)
    if not rows:
        raise NotFound(f"no charter with key {key!r}", key=key)
    return charter_answer(rows[0], as_of or today())

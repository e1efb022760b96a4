"""The contracts and grants registers (procurement's): each contract or grant with its value and
term, the organisations on each side, the services it delivers, who manages it, and for a contract
whether it is current and what succeeds it.

They answer for one buyer like procurement's views (answers/health/scope.py): the home council by
default, another organisation by key, or 'all'. "Ending soon without a successor" is the same rule as
procurement.expiring: a current contract ending within the first expiry window that nothing SUCCEEDS.
Links are read whatever their dates: a contract that has ended still shows who supplied it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel

from graph_service.answers.health.config import load_config
from graph_service.answers.health.facts import add_months, parse_date
from graph_service.answers.health.scope import resolve_buyer
from graph_service.errors import NotFound
from graph_service.queries import ask
from graph_service.records import FactSource
from graph_service.store.base import GraphStore

Term = Literal["current", "ended", "not started", "term not recorded"]


class Linked(BaseModel):
    key: str
    name: str | None
    provenance: FactSource


class Successor(Linked):
    start_date: str | None = None
    end_date: str | None = None


class Rating(BaseModel):
    key: str
    kpi: str
    rating: str
    period_end: str
    provenance: FactSource


class Contract(BaseModel):
    key: str
    title: str
    reference: str | None
    ocid: str | None
    value: float | None
    currency: str | None
    value_is_ceiling: bool
    framework: bool
    start_date: str | None
    end_date: str | None
    recorded_status: str | None
    term: Term
    procurement_method: str | None
    has_management_plan: bool | None
    has_exit_plan: bool | None
    kraljic_category: str | None
    ending_soon_without_successor: bool
    provenance: FactSource
    buyers: list[Linked]
    funders: list[Linked]
    suppliers: list[Linked]
    managers: list[Linked]
    services: list[Linked]
    priorities: list[Linked]
    successors: list[Successor]
    predecessors: list[Successor]
    ratings: list[Rating]


class Grant(BaseModel):
    key: str
    title: str
    amount: float | None
    currency: str | None
    award_date: str | None
    start_date: str | None
    end_date: str | None
    term: Term
    programme: str | None
    description: str | None
    provenance: FactSource
    funders: list[Linked]
    recipients: list[Linked]
    managers: list[Linked]
    services: list[Linked]
    priorities: list[Linked]


class Register(BaseModel):
    as_of: str
    buyer: dict[str, str | None]
    soon_months: int
    contracts: list[Contract] = []
    grants: list[Grant] = []


def term(start: str | None, end: str | None, day: str) -> Term:
    """Where a term stands on day: started on or before it and ending after it is current."""
    if start is None and end is None:
        return "term not recorded"
    if start is not None and start > day:
        return "not started"
    if end is not None and end <= day:
        return "ended"
    return "current"


def _linked(rows: list[dict[str, Any]], model: type[Linked] = Linked) -> list[Any]:
    return [model(**{k: v for k, v in r.items() if k not in ("source", "locator", "illustrative")},
                  provenance=FactSource.of(r)) for r in sorted(rows, key=lambda r: (r["name"] or "", r["key"]))]


def _soon_months() -> int:
    return min(load_config().procurement.expiry_windows_months)


def contract_answer(row: dict[str, Any], day: dt.date, soon_months: int) -> Contract:
    today = day.isoformat()
    standing = term(row["start_date"], row["end_date"], today)
    soon = add_months(day, soon_months).isoformat()
    return Contract(
        key=row["contract"], title=row["title"], reference=row["reference"], ocid=row["ocid"], value=row["value"],
        currency=row["currency"], value_is_ceiling=bool(row["value_is_ceiling"]), framework=bool(row["framework"]),
        start_date=row["start_date"], end_date=row["end_date"], recorded_status=row["status"], term=standing,
        procurement_method=row["procurement_method"], has_management_plan=row["has_management_plan"],
        has_exit_plan=row["has_exit_plan"], kraljic_category=row["kraljic_category"],
        ending_soon_without_successor=standing == "current" and row["end_date"] is not None
        and row["end_date"] <= soon and not row["successors"],
        provenance=FactSource.of(row["provenance"]),
        **{name: _linked(row[name]) for name in ("buyers", "funders", "suppliers", "managers", "services", "priorities")},
        successors=_linked(row["successors"], Successor), predecessors=_linked(row["predecessors"], Successor),
        ratings=[Rating(key=r["key"], kpi=r["kpi"], rating=r["rating"], period_end=r["period_end"],
                        provenance=FactSource.of(r)) for r in sorted(row["ratings"], key=lambda r: (r["period_end"], r["kpi"]), reverse=True)])


def grant_answer(row: dict[str, Any], day: dt.date) -> Grant:
    return Grant(
        key=row["grant"], title=row["title"], amount=row["amount"], currency=row["currency"], award_date=row["award_date"],
        start_date=row["start_date"], end_date=row["end_date"], term=term(row["start_date"], row["end_date"], day.isoformat()),
        programme=row["programme"], description=row["description"], provenance=FactSource.of(row["provenance"]),
        **{name: _linked(row[name]) for name in ("funders", "recipients", "managers", "services", "priorities")})


def contracts(store: GraphStore, as_of: str | dt.date | None = None, buyer: str | None = None) -> Register:
    """The buyer's contracts: current ones first, soonest ending first, then the rest by end date."""
    day, scope, months = parse_date(as_of), resolve_buyer(store, buyer), _soon_months()
    found = [contract_answer(r, day, months) for r in ask(store, "contract_register", buyer=scope.key)]
    order = {"current": 0, "not started": 1, "ended": 2, "term not recorded": 3}
    found.sort(key=lambda c: (order[c.term], c.end_date or "9999", c.title, c.key))
    return Register(as_of=day.isoformat(), buyer=scope.describe(), soon_months=months, contracts=found)


def grants(store: GraphStore, as_of: str | dt.date | None = None, buyer: str | None = None) -> Register:
    """The grants the buyer funded, latest awarded first."""
    day, scope = parse_date(as_of), resolve_buyer(store, buyer)
    found = [grant_answer(r, day) for r in ask(store, "grant_register", buyer=scope.key)]
    found.sort(key=lambda g: (g.award_date or "", g.key), reverse=True)
    return Register(as_of=day.isoformat(), buyer=scope.describe(), soon_months=_soon_months(), grants=found)


def get_contract(store: GraphStore, key: str, as_of: str | dt.date | None = None) -> Contract:
    day = parse_date(as_of)
    rows = ask(store, "contract_register", contract=key)
    if not rows:
        raise NotFound(f"no contract with key {key!r}", key=key)
    return contract_answer(rows[0], day, _soon_months())


def get_grant(store: GraphStore, key: str, as_of: str | dt.date | None = None) -> Grant:
    day = parse_date(as_of)
    rows = ask(store, "grant_register", grant=key)
    if not rows:
        raise NotFound(f"no grant with key {key!r}", key=key)
    return grant_answer(rows[0], day)

"""Everything the score reads, gathered once per run through the named queries (queries/health.py),
so the scoring below runs the same on either backend."""
from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest
from graph_service.answers.health.config import HealthConfig
from graph_service.answers.health.scope import Scope, ServiceMap, load_services
from graph_service.queries import ask

Row = dict[str, Any]


def parse_date(value: str | dt.date | None, name: str = "as_of") -> dt.date:
    """An ISO date (or today when None): the day the score is worked out for."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} must be an ISO date (yyyy-mm-dd), not {value!r}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end: 31 Aug + 6 = 28/29 Feb."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:  # a window reaching past the calendar's ends stops there
        return dt.date.min if year < dt.MINYEAR else dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def group_by(rows: list[Row], field: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[field]].append(row)
    return grouped


@dataclass
class Facts:
    """The named queries' rows on one day, indexed the way the dimensions look them up."""

    as_of: dt.date
    scope: Scope                              # the buyer every contract, grant and payment below is for
    partners: dict[str, Row]                  # partner -> name, personas, relationship owners
    links: list[Row]                          # the delivery network (health_links)
    contracts: dict[str, list[Row]]           # partner -> current contracts
    ratings: dict[str, list[Row]]             # partner -> KPI ratings on current contracts
    contract_spend: dict[tuple[str, str], Row]  # (partner, contract) -> spend in the cost window
    service_spend: list[Row]                  # spend per service and payee in the resilience window
    unmapped: list[Row]                       # that window's spend on areas services.yaml does not map
    engagements: dict[str, list[Row]]         # partner -> engagements so far
    owners: dict[str, list[Row]]              # contract, grant, charter or work-stream -> managing posts
    holders: dict[str, list[Row]]             # post -> current holders (none: vacant)
    charters: dict[str, list[Row]]            # partner -> charters it is party to

    @cached_property
    def links_from(self) -> dict[str, list[Row]]:
        return group_by(self.links, "start")

    @cached_property
    def links_to(self) -> dict[str, list[Row]]:
        return group_by(self.links, "end")

    @cached_property
    def workstream_links_to(self) -> dict[str, list[Row]]:
        """links_to, work-streams' links only: a key indicator has a link from every contract moving it."""
        return group_by([r for r in self.links if r["start_label"] == "Workstream"], "end")

    @cached_property
    def spend_sources(self) -> dict[tuple[str, str], list[str]]:
        """(service, partner) -> the sources of the spend on it, indexed once instead of scanned per partner."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in self.service_spend:
            found[(r["service"], r["partner"])].update(r["sources"])
        return {k: sorted(v) for k, v in found.items()}

    def owners_of(self, key: str) -> list[Row]:
        """The posts owning a partner relationship (HOLDS_RELATIONSHIP) or a contract, grant, charter or
        work-stream (MANAGES, SPONSORS, LEADS), each with its current holders."""
        rows = self.partners[key]["owners"] if key in self.partners else self.owners.get(key, [])
        return [{"post": r["post"], "title": r["title"], "role": r.get("role", "HOLDS_RELATIONSHIP"), "rel": r["rel"],
                 "source": r["source"], "locator": r["locator"],
                 "holders": [{"person": h["person"], "name": h["name"]} for h in self.holders.get(r["post"], [])]}
                for r in rows]


def service_spend(store: GraphStore, scope: Scope, since: str | None, as_of: str | None,
                  services: ServiceMap | None = None) -> tuple[list[Row], list[Row]]:
    """Spend per service and payee for the scope's buyer, and the spend no entry of the service table
    maps (kept, and listed, never dropped); a mapped service not in the graph is named from the table."""
    services = services or load_services()
    rows = ask(store, "procurement_service_spend", as_of=as_of, since=since, buyer=scope.key, areas=services.areas())
    mapped = [{**r, "service_name": r["service_name"] or services.name(r["service"]) or r["service"]}
              for r in rows if r["service"] is not None]
    return mapped, [r for r in rows if r["service"] is None]


def gather(store: GraphStore, as_of: dt.date, config: HealthConfig, scope: Scope,
           services: ServiceMap | None = None) -> Facts:
    """The facts for the scope's buyer (Scope(None, ...): every buyer)."""
    day, buyer = as_of.isoformat(), scope.key
    cost_since = add_months(as_of, -config.cost.window_months).isoformat()
    spend_since = add_months(as_of, -config.resilience.spend_window_months).isoformat()
    mapped, unmapped = service_spend(store, scope, spend_since, day, services)
    return Facts(
        as_of=as_of,
        scope=scope,
        partners={r["partner"]: r for r in ask(store, "health_partners", as_of=day)},
        links=ask(store, "health_links", as_of=day, buyer=buyer),
        contracts=group_by(ask(store, "health_contracts", as_of=day, buyer=buyer), "partner"),
        ratings=group_by(ask(store, "health_kpi_ratings", as_of=day, buyer=buyer), "partner"),
        contract_spend={(r["partner"], r["contract"]): r
                        for r in ask(store, "health_contract_spend", as_of=day, since=cost_since, buyer=buyer)},
        service_spend=mapped,
        unmapped=unmapped,
        engagements=group_by(ask(store, "health_engagements", as_of=day), "partner"),
        owners=group_by(ask(store, "health_owners", as_of=day), "owned"),
        holders=group_by(ask(store, "health_post_holders", as_of=day), "post"),
        charters=group_by(ask(store, "health_charters", as_of=day), "partner"),
    )

"""Bridges between partners: partners that are cut vertices in the buyer's delivery network (the health
network analysis, answers/health/network.py). Without one, the partners it cuts off no longer reach a
priority. Network structure, not spend: the stakeholder map lists them beside the map; procurement's
single points of failure rest on spend instead."""
from __future__ import annotations

import datetime as dt
from typing import Any

from graph_service.answers import Answer, Facts, Named
from graph_service.answers.health.facts import parse_date
from graph_service.answers.health.network import cut_vertices
from graph_service.answers.health.scope import resolve_buyer
from graph_service.queries import ask
from graph_service.store.base import GraphStore


def bridges_between_partners(store: GraphStore, as_of: str | dt.date | None = None,
                             buyer: str | None = None) -> dict[str, Any]:
    """Each bridge with the priority it carries, the partners it cuts off and the links it rests on;
    `illustrative` marks generated partners. Reads the partners and the delivery links only."""
    day, scope = parse_date(as_of), resolve_buyer(store, buyer)
    partners = {r["partner"]: r for r in ask(store, "health_partners", as_of=day.isoformat())}
    links = ask(store, "health_links", as_of=day.isoformat(), buyer=scope.key)

    def named(key: str) -> dict[str, Any]:
        return {"partner": key, "name": partners[key]["name"], "illustrative": partners[key]["illustrative"]}

    bridges = [{**named(partner), "priority": cut.priority, "priority_name": cut.priority_name,
                "cut_off": [named(p) for p in cut.cut_off],
                "links": [{"rel": link["rel"], "source": link["source"], "locator": link["locator"]} for link in cut.links]}
               for partner, cuts in sorted(cut_vertices(links).items()) for cut in cuts]
    return {"as_of": day.isoformat(), "buyer": scope.describe(), "bridges": bridges}


class Bridge(Answer):
    """A partner whose removal cuts others off from a priority (a graph cut vertex)."""
    partner: str
    name: str | None
    priority: str
    priority_name: str | None
    cut_off: list[Facts]
    links: list[Facts]
    illustrative: bool


class Bridges(Answer):
    as_of: str
    buyer: Named | None
    bridges: list[Bridge]

"""Bridges between partners: partners that are cut vertices in the buyer's delivery network (the health
network analysis, answers/health/network.py). Without one, the partners it cuts off no longer reach a
priority. Network structure, not spend: the stakeholder map lists them beside the map; procurement's
single points of failure rest on spend instead."""
from __future__ import annotations

import datetime as dt
from typing import Any

from graph_service.answers import Answer, Facts, Named
from graph_service.answers.health.config import HealthConfig, load_config
from graph_service.answers.health.facts import gather, parse_date
from graph_service.answers.health.network import analyse
from graph_service.answers.health.scope import resolve_buyer
from graph_service.store.base import GraphStore


def bridges_between_partners(store: GraphStore, as_of: str | dt.date | None = None,
                             config: HealthConfig | None = None, buyer: str | None = None) -> dict[str, Any]:
    """Each bridge with the priority it carries, the partners it cuts off and the links it rests on;
    `illustrative` marks generated partners."""
    config = config or load_config()
    facts = gather(store, parse_date(as_of), config, resolve_buyer(store, buyer))
    network = analyse(facts)
    names = {key: row["name"] for key, row in facts.partners.items()}
    generated = {key for key, row in facts.partners.items() if row["illustrative"]}
    bridges = [{"partner": partner, "name": names[partner], "priority": cut.priority, "priority_name": cut.priority_name,
                "cut_off": [{"partner": p, "name": names[p], "illustrative": p in generated} for p in cut.cut_off],
                "links": [{"rel": link["rel"], "source": link["source"], "locator": link["locator"]} for link in cut.links],
                "illustrative": partner in generated}
               for partner, cuts in sorted(network.cut_vertices.items()) for cut in cuts]
    return {"as_of": facts.as_of.isoformat(), "buyer": facts.scope.describe(), "bridges": bridges}


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

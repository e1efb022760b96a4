"""Procurement's facts: spend per service and supplier, contracts nearing their end with their
successors, and what the council let each year as grants and as contracts, by persona.

Shares, the Herfindahl-Hirschman index, expiry windows and the Kraljic position are Python
over these rows (graph_service/answers/procurement.py), so both backends share them.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes
from graph_service.queries.health import (AS_OF, canonical, current, in_edges, in_force, out_edges, partner,
                                          provenance, spend_rows)
from graph_service.queries.registry import named_query


@named_query("procurement_service_spend", finish=canonical("service", "partner", money=("spend",)),
             examples=[{}, {"as_of": AS_OF, "since": "2025-11-01"}])
def procurement_service_spend(graph: nx.MultiDiGraph, as_of: str | None = None,
                              since: str | None = None) -> list[dict[str, Any]]:
    """Spend on each service per payee, paid in [since, as_of]: shares, concentration and dependency."""
    rows = []
    for (payee, service), g in spend_rows(graph, "PAID_FOR", since, as_of).items():
        s, o = graph.nodes[service]["props"], graph.nodes[payee]["props"]
        rows.append({"service": service, "service_name": s["name"], "critical": bool(s.get("critical")),
                     "partner": payee, "partner_name": o["name"], "spend": g["spend"], "payments": g["payments"],
                     "sources": sorted(g["sources"])})
    return rows


@named_query("procurement_expiring_contracts", finish=canonical("end_date", "contract"),
             examples=[{}, {"as_of": AS_OF, "until": "2028-05-01"}, {"as_of": "2024-04-01", "until": "2025-10-01"}])
def procurement_expiring_contracts(graph: nx.MultiDiGraph, as_of: str | None = None,
                                   until: str | None = None) -> list[dict[str, Any]]:
    """Current contracts ending by `until`, with suppliers, services, managing posts, exit plan and the
    contracts let to succeed them."""
    rows = []
    for key, c in nodes(graph, "Contract"):
        end = c.get("end_date")
        if end is None or not current(c, as_of) or (until is not None and end > until):
            continue
        suppliers = [{"key": o, "name": graph.nodes[o]["props"]["name"]} for o, _, attrs in in_edges(graph, key, "SUPPLIES")
                     if partner(graph, o) and in_force(attrs["props"], as_of)]
        services = [{"key": s, "name": graph.nodes[s]["props"]["name"], "critical": bool(graph.nodes[s]["props"].get("critical"))}
                    for s, _, _ in out_edges(graph, key, "DELIVERS")]
        successors = [{"key": s, "title": graph.nodes[s]["props"]["title"], "start_date": graph.nodes[s]["props"].get("start_date")}
                      for s, _, _ in in_edges(graph, key, "SUCCEEDS")]
        managers = [p for p, _, attrs in in_edges(graph, key, "MANAGES") if in_force(attrs["props"], as_of)]
        rows.append({"contract": key, "title": c["title"], "value": c.get("value"), "start_date": c.get("start_date"),
                     "end_date": end, "has_exit_plan": c.get("has_exit_plan"), "suppliers": suppliers,
                     "services": services, "successors": successors, "managers": managers,
                     **provenance(graph.nodes[key])})
    return rows


# what the council lets: (kind, relationship from the council, label, counterpart relationship, dated by, amount)
LETTINGS = (("contract", "BUYS", "Contract", "SUPPLIES", "start_date", "value"),
            ("grant", "FUNDS", "Grant", "RECEIVES", "award_date", "amount"))


def _started(attrs: dict[str, Any], as_of: str | None) -> bool:
    return as_of is None or (attrs["props"].get("valid_from") or "") <= as_of


@named_query("procurement_commissioning", finish=canonical("year", "kind", "persona", money=("value",)),
             examples=[{}, {"as_of": AS_OF}, {"as_of": "2020-01-01"}])
def procurement_commissioning(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Grant and contract value the council let each year, by the persona of the recipient or supplier:
    "from grant giving towards service commissioning". A contract counts in the year it starts, a grant
    in the year it is awarded, once per persona of its counterparts (so an item whose counterparts have
    two personas counts under both; none: under no persona). Only what was let by as_of."""
    groups: dict[tuple, dict[str, Any]] = {}
    councils = [key for key, org in nodes(graph, "Organisation") if org.get("is_council")]
    for kind, let_type, label, counterpart_type, dated_by, amount in LETTINGS:
        items = {item for council in councils for item, _, attrs in out_edges(graph, council, let_type)
                 if graph.nodes[item]["label"] == label and _started(attrs, as_of)}
        for item in items:
            props = graph.nodes[item]["props"]
            dated = props.get(dated_by)
            if dated is None or (as_of is not None and dated > as_of):
                continue
            personas: set[tuple[str | None, str | None]] = set()
            for org, _, attrs in in_edges(graph, item, counterpart_type):
                if partner(graph, org) and _started(attrs, as_of):
                    personas |= ({(p, graph.nodes[p]["props"]["name"]) for p, _, _ in out_edges(graph, org, "HAS_PERSONA")}
                                 or {(None, None)})
            for persona, name in personas or {(None, None)}:
                group = groups.setdefault((kind, dated[:4], persona), {"kind": kind, "year": dated[:4], "persona": persona,
                                                                      "persona_name": name, "value": 0.0, "count": 0})
                group["value"] += props.get(amount) or 0.0
                group["count"] += 1
    return list(groups.values())

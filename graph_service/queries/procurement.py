"""Procurement's facts: spend per service and supplier, contracts nearing their end with their
successors, and what the council let each year as grants and as contracts, by persona.

Shares, the Herfindahl-Hirschman index, expiry windows and the Kraljic position are Python
over these rows (graph_service/answers/procurement.py), so both backends share them.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import canonical_rows, in_edges, in_force, located, nodes, out_edges
from graph_service.queries.health import (AS_OF, HOME, SPEND_EXAMPLES, _sources_sorted, _spend_group, buyers,
                                          current, for_buyer, paid_for, paid_within, partner, payees,
                                          payers)
from graph_service.queries.registry import named_query


@named_query("procurement_service_spend", finish=canonical_rows("buyer", "service", "area", "partner", money=("spend",)),
             examples=SPEND_EXAMPLES + [{"areas": {"waste services": "service:waste-collection", "lettings": "service:nope"},
                                         "buyer": HOME}])
def procurement_service_spend(graph: nx.MultiDiGraph, as_of: str | None = None, since: str | None = None,
                              buyer: str | None = None, areas: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Spend per buyer (payer), service and payee, paid in [since, as_of]: shares, concentration and
    dependency. A payment's service is stated (PAID_FOR) or mapped from its service area or expense
    type through `areas` (lower-cased text -> service key); an unmapped one has no service and its
    `area`. A mapped key with no Service node keeps its key and no name."""
    areas = areas or {}
    groups: dict[tuple, dict[str, Any]] = {}
    for key, payment in nodes(graph, "Payment"):
        if not paid_within(payment, since, as_of):
            continue
        services, area = paid_for(graph, key, payment, areas)
        for payer in payers(graph, key):
            if buyer is not None and payer != buyer:
                continue
            for payee in payees(graph, key):
                for service in services or [None]:
                    node = graph.nodes[service]["props"] if service in graph and graph.nodes[service]["label"] == "Service" else {}
                    base = {"buyer": payer, "service": service, "service_name": node.get("name"),
                            "critical": bool(node.get("critical")), "area": area if service is None else None,
                            "partner": payee, "partner_name": graph.nodes[payee]["props"]["name"]}
                    _spend_group(groups, (payer, service, base["area"], payee), base, graph, key, payment)
    return [{k: v for k, v in g.items() if k not in ("first_paid", "last_paid")} for g in _sources_sorted(groups)]


EXPIRING_EXAMPLES = [{}, {"as_of": AS_OF, "until": "2028-05-01"}, {"as_of": "2024-04-01", "until": "2025-10-01"},
                     {"as_of": AS_OF, "until": "2028-05-01", "buyer": HOME}, {"buyer": "GB-LAE-NONE"},
                     {"as_of": AS_OF, "until": "2028-05-01", "limit": 3, "offset": 2},
                     {"as_of": AS_OF, "until": "2028-05-01", "limit": 5, "offset": 100_000}]


def _ending(graph: nx.MultiDiGraph, as_of: str | None, until: str | None, buyer: str | None) -> list[tuple[str, str]]:
    """(end date, key) of the buyer's current contracts ending by `until`, soonest first: the order pages are cut in."""
    return sorted((c["end_date"], key) for key, c in nodes(graph, "Contract")
                  if c.get("end_date") is not None and current(c, as_of) and (until is None or c["end_date"] <= until)
                  and for_buyer(graph, key, buyer))


@named_query("procurement_expiring_contracts", finish=canonical_rows("end_date", "contract"), examples=EXPIRING_EXAMPLES)
def procurement_expiring_contracts(graph: nx.MultiDiGraph, as_of: str | None = None, until: str | None = None,
                                   buyer: str | None = None, limit: int | None = None,
                                   offset: int = 0) -> list[dict[str, Any]]:
    """Current contracts of the buyer's ending by `until`, with their buyers (none: not stated),
    suppliers, services, managing posts, exit plan and the contracts let to succeed them. `value` is
    the contract's, once (a framework's: its ceiling, `value_is_ceiling`). A page of them: `limit` (none:
    all) from `offset`, by end date then key; only the page's rows are gathered."""
    ending = _ending(graph, as_of, until, buyer)
    rows = []
    for end, key in ending[offset:None if limit is None else offset + limit]:
        c = graph.nodes[key]["props"]
        suppliers = [{"key": o, "name": graph.nodes[o]["props"]["name"]} for o, _, attrs in in_edges(graph, key, "SUPPLIES")
                     if partner(graph, o) and in_force(attrs["props"], as_of)]
        services = [{"key": s, "name": graph.nodes[s]["props"]["name"], "critical": bool(graph.nodes[s]["props"].get("critical"))}
                    for s, _, _ in out_edges(graph, key, "DELIVERS")]
        successors = [{"key": s, "title": graph.nodes[s]["props"]["title"], "start_date": graph.nodes[s]["props"].get("start_date")}
                      for s, _, _ in in_edges(graph, key, "SUCCEEDS", label="Contract")]
        managers = [p for p, _, attrs in in_edges(graph, key, "MANAGES") if in_force(attrs["props"], as_of)]
        rows.append({"contract": key, "title": c["title"], "value": c.get("value"),
                     "value_is_ceiling": bool(c.get("value_is_ceiling")), "buyers": buyers(graph, key),
                     "start_date": c.get("start_date"),
                     "end_date": end, "has_exit_plan": c.get("has_exit_plan"), "suppliers": suppliers,
                     "services": services, "successors": successors, "managers": managers,
                     **located(graph.nodes[key])})
    return rows


WINDOW_COLUMNS = ("until", "contracts", "value", "framework_ceilings", "without_successor")


def _windows_in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({**r, "value": round(float(r["value"]), 2), "framework_ceilings": round(float(r["framework_ceilings"]), 2)}
                   for r in rows), key=lambda r: r["until"])


@named_query("procurement_expiring_windows", finish=_windows_in_order,
             examples=[{"untils": ["2027-05-01", "2027-11-01", "2028-05-01"], "as_of": AS_OF},
                       {"untils": ["2025-10-01"], "as_of": "2024-04-01", "buyer": HOME},
                       {"untils": ["2027-05-01"], "buyer": "GB-LAE-NONE"}])
def procurement_expiring_windows(graph: nx.MultiDiGraph, untils: list[str], as_of: str | None = None,
                                 buyer: str | None = None) -> list[dict[str, Any]]:
    """For each date in `untils`, the buyer's current contracts ending by it (procurement_expiring_contracts'
    rows, counted): how many, their value (a framework's ceiling apart) and how many have no successor."""
    ending = [(end, graph.nodes[key]["props"] | {"alone": next(in_edges(graph, key, "SUCCEEDS", label="Contract"), None) is None})
              for end, key in _ending(graph, as_of, max(untils, default=None), buyer)]  # once, not once a window
    rows = []
    for until in untils:
        within = [c for end, c in ending if end <= until]
        rows.append({"until": until, "contracts": len(within),
                     "value": sum(c.get("value") or 0.0 for c in within if not c.get("value_is_ceiling")),
                     "framework_ceilings": sum(c.get("value") or 0.0 for c in within if c.get("value_is_ceiling")),
                     "without_successor": sum(c["alone"] for c in within)})
    return rows


# what the council lets: (kind, relationship from the council, label, counterpart relationship, dated by, amount)
LETTINGS = (("contract", "BUYS", "Contract", "SUPPLIES", "start_date", "value"),
            ("grant", "FUNDS", "Grant", "RECEIVES", "award_date", "amount"))


def _started(attrs: dict[str, Any], as_of: str | None) -> bool:
    return as_of is None or (attrs["props"].get("valid_from") or "") <= as_of


@named_query("procurement_commissioning", finish=canonical_rows("year", "kind", "persona", money=("value",)),
             examples=[{}, {"as_of": AS_OF}, {"as_of": "2020-01-01"}, {"buyer": HOME}, {"buyer": "GB-LAE-NONE"}])
def procurement_commissioning(graph: nx.MultiDiGraph, as_of: str | None = None,
                              buyer: str | None = None) -> list[dict[str, Any]]:
    """Grant and contract value the buyer let each year (no buyer: every organisation that BUYS or
    FUNDS), by the persona of the recipient or supplier: "from grant giving towards service
    commissioning". A contract counts in the year it starts, a grant in the year it is awarded, once
    per persona of its counterparts (so an item whose counterparts have two personas counts under
    both; none: under no persona). Only what was let by as_of. `illustrative` counts generated items."""
    groups: dict[tuple, dict[str, Any]] = {}
    lettors = [key for key, _ in nodes(graph, "Organisation") if buyer is None or key == buyer]
    for kind, let_type, label, counterpart_type, dated_by, amount in LETTINGS:
        items = {item for lettor in lettors for item, _, attrs in out_edges(graph, lettor, let_type)
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
                                                                      "persona_name": name, "value": 0.0, "count": 0,
                                                                      "illustrative": 0})
                group["value"] += props.get(amount) or 0.0
                group["count"] += 1
                group["illustrative"] += bool(graph.nodes[item]["prov"]["illustrative"])
    return list(groups.values())

"""The charter register: each business charter or principles of partnership with its parties, the
posts managing it and the priorities it supports, each link with its provenance.

Whether a charter has lapsed is decided in Python on these rows (graph_service/answers/charters.py),
so both backends share the rule.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import in_force, nodes, provenance, canonical_rows
from graph_service.queries.registry import named_query

EXAMPLE_CHARTER = "charter:dacorum-business-charter"


def _party(graph: nx.MultiDiGraph, org: str, attrs: dict[str, Any]) -> dict[str, Any]:
    org_props = graph.nodes[org]["props"]
    return {"key": org, "name": org_props["name"], "is_council": bool(org_props.get("is_council")),
            "joined": attrs["props"].get("valid_from"), "left": attrs["props"].get("valid_to"), **provenance(attrs)}


@named_query("charter_register", finish=canonical_rows("charter", lists=("parties", "managers", "priorities")),
             examples=[{}, {"charter": EXAMPLE_CHARTER}, {"as_of": "2023-01-01"}, {"charter": "charter:none"}])
def charter_register(graph: nx.MultiDiGraph, charter: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    """Each charter (or one): kind, status, signed and review dates, its parties on as_of (the council
    among them), the posts managing it and the priorities it supports."""
    rows = []
    for key, c in nodes(graph, "Charter"):
        if charter is not None and key != charter:
            continue
        parties, managers = [], []
        for other, _, attrs in graph.in_edges(key, data=True):
            if not in_force(attrs["props"], as_of):
                continue
            if attrs["type"] == "PARTY_TO" and graph.nodes[other]["label"] == "Organisation":
                parties.append(_party(graph, other, attrs))
            elif attrs["type"] == "MANAGES" and graph.nodes[other]["label"] == "Post":
                managers.append({"key": other, "name": graph.nodes[other]["props"]["title"], **provenance(attrs)})
        priorities = [{"key": other, "name": graph.nodes[other]["props"]["name"], **provenance(attrs)}
                      for _, other, attrs in graph.out_edges(key, data=True)
                      if attrs["type"] == "SUPPORTS" and graph.nodes[other]["label"] == "Priority"
                      and in_force(attrs["props"], as_of)]
        rows.append({"charter": key, "name": c["name"], "kind": c.get("kind"), "status": c.get("status"),
                     "signed_on": c.get("signed_on"), "review_date": c.get("review_date"),
                     "provenance": provenance(graph.nodes[key]),
                     "parties": parties, "managers": managers, "priorities": priorities})
    return rows

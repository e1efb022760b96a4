"""Key indicators and the top priorities they measure, looked at from both ends."""
from __future__ import annotations

import networkx as nx

from graph_service.queries.graph import nodes
from graph_service.queries.graph import in_edges, out_edges, provenance, canonical_rows
from graph_service.queries.initiatives import Row, link
from graph_service.queries.registry import named_query


@named_query("indicator_coverage", finish=canonical_rows("kind", "key", lists=("links",)),
             examples=[{}, {"as_of": "2020-04-01"}])
def indicator_coverage(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Each top priority with the key indicators that measure it, and each key indicator with the
    priorities it measures, so gaps show on either side."""
    rows = []
    for key, priority in nodes(graph, "Priority"):
        rows.append({"kind": "priority", "key": key, "name": priority["name"], "unit": None, "target": None,
                     "provenance": provenance(graph.nodes[key]),
                     "links": [link(graph, k, a) for k, _, a in in_edges(graph, key, "MEASURES", as_of=as_of, label="KeyIndicator")]})
    for key, indicator in nodes(graph, "KeyIndicator"):
        rows.append({"kind": "indicator", "key": key, "name": indicator["name"], "unit": indicator.get("unit"),
                     "target": indicator.get("target"), "provenance": provenance(graph.nodes[key]),
                     "links": [link(graph, p, a) for p, _, a in out_edges(graph, key, "MEASURES", as_of=as_of, label="Priority")]})
    return rows

"""Officers' placements of partners on the power/interest grid (Assessment nodes), which answers lay over
the computed placement."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes, out, canonical_rows
from graph_service.queries.registry import named_query


@named_query("stakeholder_assessments", finish=canonical_rows("partner"), examples=[{}, {"partner": "org:hertfordshire-lep"}])
def stakeholder_assessments(graph: nx.MultiDiGraph, partner: str | None = None) -> list[dict[str, Any]]:
    """Every assessment in force (not withdrawn), one row per partner, with who made it and when."""
    rows = []
    for key, p in nodes(graph, "Assessment"):
        if p.get("withdrawn"):
            continue
        for org, _ in out(graph, key, "ASSESSES"):
            if partner is None or org == partner:
                prov = graph.nodes[key]["prov"]
                rows.append({"partner": org, "assessment": key, "power": p["power"], "interest": p["interest"],
                             "reason": p["reason"], "assessed_by": p["assessed_by"], "assessed_at": p["assessed_at"],
                             "source": prov["source"], "locator": prov["locator"], "illustrative": prov["illustrative"]})
    return rows

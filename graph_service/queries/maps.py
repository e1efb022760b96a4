"""What the maps need beyond the stakeholder facts: which nodes on a map are generated (illustrative),
and the map views officers have saved."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes, canonical_rows
from graph_service.queries.registry import named_query

SAVED_VIEW_COLUMNS = ("key", "name", "kind", "address", "saved_by", "saved_at")


@named_query("map_illustrative", finish=canonical_rows("key"),
             examples=[{"keys": ["org:hertfordshire-lep", "post:gm-procurement-contracted-services", "no:such-key"]}])
def map_illustrative(graph: nx.MultiDiGraph, keys: list[str]) -> list[dict[str, Any]]:
    """Which of $keys are generated facts (illustrative provenance or property), to mark them on a map (nodes
    hold no period, so it takes no as_of)."""
    return [{"key": key} for key in dict.fromkeys(keys) if key in graph
            and (graph.nodes[key]["prov"]["illustrative"] or graph.nodes[key]["props"].get("illustrative") is True)]


@named_query("saved_views", finish=canonical_rows("name", "key"), examples=[{}])
def saved_views(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every saved map view: its name, kind, address and who saved it when (the latest save; views hold no
    period, so it takes no as_of)."""
    return [{column: key if column == "key" else p.get(column) for column in SAVED_VIEW_COLUMNS}
            for key, p in nodes(graph, "SavedView")]

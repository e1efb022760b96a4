"""Which nodes are generated (illustrative) facts: pages, maps, the CLI and CSVs mark them."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import canonical_rows
from graph_service.queries.registry import named_query


@named_query("illustrative_keys", finish=canonical_rows("key"),
             examples=[{"keys": ["org:hertfordshire-lep", "post:gm-procurement-contracted-services", "no:such-key"]}])
def illustrative_keys(graph: nx.MultiDiGraph, keys: list[str]) -> list[dict[str, Any]]:
    """Which of $keys are generated facts (illustrative provenance or property), to mark them wherever they are
    shown (nodes hold no period, so it takes no as_of)."""
    return [{"key": key} for key in dict.fromkeys(keys) if key in graph
            and (graph.nodes[key]["prov"]["illustrative"] or graph.nodes[key]["props"].get("illustrative") is True)]

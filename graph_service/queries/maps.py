"""The map views officers have saved (what maps draw beyond the stakeholder facts)."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes, canonical_rows
from graph_service.queries.registry import named_query

SAVED_VIEW_COLUMNS = ("key", "name", "kind", "address", "saved_by", "saved_at")


@named_query("saved_views", finish=canonical_rows("name", "key"), examples=[{}])
def saved_views(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every saved map view: its name, kind, address and who saved it when (the latest save; views hold no
    period, so it takes no as_of)."""
    return [{column: key if column == "key" else p.get(column) for column in SAVED_VIEW_COLUMNS}
            for key, p in nodes(graph, "SavedView")]

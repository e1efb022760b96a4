"""Which of a page's, map's or report's nodes are generated (illustrative) facts, so that they are marked."""
from __future__ import annotations

from graph_service.queries import ask
from graph_service.store.base import GraphStore


def illustrative_keys(store: GraphStore, keys: list[str]) -> set[str]:
    """Which of these nodes are generated facts (the reference dataset's illustrative layer)."""
    return {row["key"] for row in ask(store, "illustrative_keys", keys=keys)} if keys else set()

"""Helpers the networkx twins share, mirroring the Cypher patterns they stand for.

The embedded graph keeps each node's label and props, and each edge's type and
props, as attributes (see store/embedded.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import networkx as nx

from graph_service.store.base import BY_LABEL

Props = dict[str, Any]


def today() -> str:
    return dt.date.today().isoformat()


def nodes(graph: nx.MultiDiGraph, label: str) -> Iterator[tuple[str, Props]]:
    """MATCH (n:Label)"""
    by_label = graph.graph.get(BY_LABEL)
    if by_label is None:  # a graph built by hand (tests, an export read back): scan it
        for key, attrs in graph.nodes(data=True):
            if attrs["label"] == label:
                yield key, attrs["props"]
        return
    for key in by_label.get(label, ()):
        if key in graph:  # a subgraph view shares its parent's index
            yield key, graph.nodes[key]["props"]


def props(graph: nx.MultiDiGraph, key: str) -> Props:
    return graph.nodes[key]["props"]


def label(graph: nx.MultiDiGraph, key: str) -> str:
    return graph.nodes[key]["label"]


def in_force(edge_props: Props, as_of: str | None) -> bool:
    """A relationship holds on as_of if it started by then and had not yet ended (no date: always)."""
    if as_of is None:
        return True
    start, end = edge_props.get("valid_from"), edge_props.get("valid_to")
    return (start is None or start <= as_of) and (end is None or end > as_of)


def out(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None) -> Iterator[tuple[str, Props]]:
    """(n)-[r:TYPE]->(m): yields (m, r's props)."""
    for _, other, attrs in graph.out_edges(key, data=True):
        if attrs["type"] in types and in_force(attrs["props"], as_of):
            yield other, attrs["props"]


def into(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None) -> Iterator[tuple[str, Props]]:
    """(m)-[r:TYPE]->(n): yields (m, r's props)."""
    for other, _, attrs in graph.in_edges(key, data=True):
        if attrs["type"] in types and in_force(attrs["props"], as_of):
            yield other, attrs["props"]


def edges(graph: nx.MultiDiGraph, key: str, *types: str) -> Iterator[tuple[str, str, str, Props]]:
    """Every edge of these types touching key, either way: (start, type, end, props)."""
    for start, end, attrs in graph.out_edges(key, data=True):
        if attrs["type"] in types:
            yield start, attrs["type"], end, attrs["props"]
    for start, end, attrs in graph.in_edges(key, data=True):
        if attrs["type"] in types:
            yield start, attrs["type"], end, attrs["props"]


def sort_key(*fields: str):
    """Order rows by fields, None first, the same on both backends."""

    def key(row: dict[str, Any]) -> tuple:
        return tuple((row.get(f) is not None, row.get(f)) for f in fields)

    return key


def sorted_rows(*fields: str):
    """A finish step: rows in a canonical order, lists inside them sorted."""

    def finish(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        tidy = [{k: (sorted(v, key=repr) if isinstance(v, list) else v) for k, v in row.items()} for row in rows]
        return sorted(tidy, key=sort_key(*fields))

    return finish

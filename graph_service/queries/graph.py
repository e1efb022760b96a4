"""Helpers the networkx twins share, mirroring the Cypher patterns they stand for.

The embedded graph keeps each node's label and props, and each edge's type and
props, as attributes (see store/embedded.py).
"""
from __future__ import annotations

import datetime as dt
import json
from itertools import groupby
from typing import Any, Callable, Iterator

import networkx as nx

from graph_service.store.base import BY_LABEL
from graph_service.schema import schema

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


def caption(graph: nx.MultiDiGraph, key: str, fallback: Any = None) -> Any:
    """What names the node: its label's `caption` in schema.yaml. Cypher: coalesce(n.name, n.title, n.text,
    n.kpi, n.kind, n.transaction_id), which schema.py checks picks the same property."""
    attrs = graph.nodes[key]
    return schema().caption(attrs["label"], attrs["props"], fallback)


def in_force(edge_props: Props, as_of: str | None) -> bool:
    """A relationship holds on as_of if it started by then and had not yet ended (no date: always)."""
    if as_of is None:
        return True
    start, end = edge_props.get("valid_from"), edge_props.get("valid_to")
    return (start is None or start <= as_of) and (end is None or end > as_of)


def out_edges(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None,
              label: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(n)-[r:TYPE]->(m:label) in force on as_of: yields (m, r's id, r's attributes with provenance)."""
    for other, keyed in graph._succ[key].items():  # networkx's own adjacency: its edge views cost 3x as much
        for rid, attrs in keyed.items():
            if attrs["type"] in types and in_force(attrs["props"], as_of) and label in (None, graph._node[other]["label"]):
                yield other, rid, attrs


def in_edges(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None,
             label: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(m:label)-[r:TYPE]->(n) in force on as_of: yields (m, r's id, r's attributes with provenance)."""
    for other, keyed in graph._pred[key].items():
        for rid, attrs in keyed.items():
            if attrs["type"] in types and in_force(attrs["props"], as_of) and label in (None, graph._node[other]["label"]):
                yield other, rid, attrs


def out(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None) -> Iterator[tuple[str, Props]]:
    """(n)-[r:TYPE]->(m): yields (m, r's props)."""
    return ((other, attrs["props"]) for other, _, attrs in out_edges(graph, key, *types, as_of=as_of))


def into(graph: nx.MultiDiGraph, key: str, *types: str, as_of: str | None = None) -> Iterator[tuple[str, Props]]:
    """(m)-[r:TYPE]->(n): yields (m, r's props)."""
    return ((other, attrs["props"]) for other, _, attrs in in_edges(graph, key, *types, as_of=as_of))


def provenance(attrs: dict[str, Any]) -> Props:
    """A node's or relationship's provenance as the Cypher twins return it (`n._source AS source`, ...); load
    times are left out because they differ between two loads of the same facts."""
    prov = attrs["prov"]
    return {"source": prov["source"], "locator": prov["locator"], "illustrative": prov["illustrative"]}


def located(attrs: dict[str, Any]) -> Props:
    """Where a fact was read: its provenance's source and locator."""
    return {"source": attrs["prov"]["source"], "locator": attrs["prov"]["locator"]}


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
        return tuple([(value is not None, value) for value in map(row.get, fields)])

    return key


def canonical(value: Any) -> str:
    """A value as text that is the same whatever order its maps were built in."""
    return json.dumps(value, sort_keys=True, default=str)


def canonical_rows(*order: str, lists: tuple[str, ...] | None = None,
                   money: tuple[str, ...] = ()) -> Callable[[list[Props]], list[Props]]:
    """A finish step, so both backends answer alike: rows in a total order (by `order`, None first, whole rows
    breaking ties), the lists inside them sorted (only the named `lists` where given, so ordered lists such as
    a path's steps keep their order) and `money` fields rounded to pence."""

    def tidy(row: Props) -> Props:
        out = {k: (sorted(v, key=canonical) if isinstance(v, list) and len(v) > 1 and (lists is None or k in lists)
                   else v)
               for k, v in row.items()}
        for name in money:
            if out.get(name) is not None:
                out[name] = round(float(out[name]), 2)
        return out

    def finish(rows: list[Props]) -> list[Props]:
        # the same order as sorting by (order, whole row), but a row is dumped to text only to break a tie:
        # where `order` ends in a unique id there are none, and the sort costs no JSON
        by_order = sort_key(*order)
        keyed = sorted(((by_order(r), r) for r in map(tidy, rows)), key=lambda pair: pair[0])
        out: list[Props] = []
        for _, run in groupby(keyed, key=lambda pair: pair[0]):
            tied = [r for _, r in run]
            out += sorted(tied, key=canonical) if len(tied) > 1 else tied
        return out

    return finish

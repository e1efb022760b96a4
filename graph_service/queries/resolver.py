"""What golden-record resolution reads of the store: only the organisations a file's names, blocks,
identifiers and postcodes can reach (their `match_keys`), and the matches already proposed among them,
so resolving a file costs the same however large the store has grown.

Neo4j finds them through the `organisation_match` full-text index (keyword analyser: each key is one
exact term); the embedded twins ask the embedded store's match-key and match indexes.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes
from graph_service.queries.registry import named_query
from graph_service.store.embedded import match_key_holders, matches_touching

Row = dict[str, Any]


def identity(key: str, o: Row) -> Row:
    """What resolution and its callers read of an organisation."""
    return {"key": key, "name": o["name"], "aliases": o.get("aliases") or [], "identifiers": o.get("identifiers") or [],
            "postal_code": o.get("postal_code"), "website": o.get("website"), "org_type": o.get("org_type"),
            "is_council": bool(o.get("is_council"))}


def _by_term(rows: list[Row]) -> list[Row]:
    return sorted(({**r, "organisations": sorted(r["organisations"], key=lambda o: o["key"])} for r in rows),
                  key=lambda r: r["term"])


@named_query("resolver_candidates", finish=_by_term,
             examples=[{"terms": [{"key": "b:council", "cap": None}, {"key": "i:GB-LAE-DAC", "cap": None},
                                  {"key": "b:~coun", "cap": 2}, {"key": "n:nothing of that name", "cap": None}]}])
def resolver_candidates(graph: nx.MultiDiGraph, terms: list[Row] = (), as_of: str | None = None) -> list[Row]:
    """For each term ({key: a match key, cap}), how many organisations hold it and, unless more than
    cap (None: no cap) do, their identities. Organisations hold no period, so as_of changes nothing."""
    wanted = {t["key"]: t for t in terms}
    held = match_key_holders(graph, wanted)
    if held is None:  # a graph the store did not build: walk the label
        held = {k: [] for k in wanted}
        for key, o in nodes(graph, "Organisation"):
            for k in wanted.keys() & set(o.get("match_keys") or ()):
                held[k].append(key)
    rows: dict[str, Row] = {}

    def row(key: str) -> Row:
        if key not in rows:
            rows[key] = identity(key, graph.nodes[key]["props"])
        return rows[key]

    return [{"term": k, "held": len(keys),
             "organisations": [row(key) for key in keys] if wanted[k]["cap"] is None or len(keys) <= wanted[k]["cap"] else []}
            for k, keys in held.items()]


@named_query("resolver_matches", finish=lambda rows: sorted(rows, key=lambda r: (r["start"], r["end"])),
             examples=[{"keys": ["GB-LAE-DAC", "org:nobody"]}])
def resolver_matches(graph: nx.MultiDiGraph, keys: list[str] = (), as_of: str | None = None) -> list[Row]:
    """Every POSSIBLY_SAME_AS touching one of these organisations, with its status. A match holds no
    period, so as_of changes nothing here."""
    keys = [k for k in keys if k in graph and graph.nodes[k]["label"] == "Organisation"]
    edges = matches_touching(graph, keys)
    if edges is None:  # a graph the store did not build: walk the organisations' edges
        edges = [(u, v, k) for key in keys for u, v, k, attrs in [*graph.out_edges(key, keys=True, data=True),
                                                                  *graph.in_edges(key, keys=True, data=True)]
                 if attrs["type"] == "POSSIBLY_SAME_AS"]
    found: dict[tuple[str, str], Row] = {}
    for u, v, k in edges:
        found[(u, v)] = {"start": u, "end": v, "status": graph.edges[u, v, k]["props"].get("status")}
    return list(found.values())

"""What golden-record resolution reads of the store: only the organisations a file's names, blocks,
identifiers and postcodes can reach (their `match_keys`), and the matches already proposed among them,
so resolving a file costs the same however large the store has grown.

Neo4j finds them through the `organisation_match` full-text index (keyword analyser: each key is one
exact term); the embedded twin walks the Organisation label.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes
from graph_service.queries.registry import named_query

Row = dict[str, Any]


def _identity(key: str, o: Row) -> Row:
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
    holders: dict[str, list[Row]] = {k: [] for k in wanted}
    for key, o in nodes(graph, "Organisation"):
        keys = o.get("match_keys")
        if keys and not wanted.keys().isdisjoint(keys):
            row = _identity(key, o)
            for k in wanted.keys() & set(keys):
                holders[k].append(row)
    return [{"term": k, "held": len(found),
             "organisations": found if wanted[k]["cap"] is None or len(found) <= wanted[k]["cap"] else []}
            for k, found in holders.items()]


@named_query("resolver_matches", finish=lambda rows: sorted(rows, key=lambda r: (r["start"], r["end"])),
             examples=[{"keys": ["GB-LAE-DAC", "org:nobody"]}])
def resolver_matches(graph: nx.MultiDiGraph, keys: list[str] = (), as_of: str | None = None) -> list[Row]:
    """Every POSSIBLY_SAME_AS touching one of these organisations, with its status. A match holds no
    period, so as_of changes nothing here."""
    found: dict[tuple[str, str], Row] = {}
    for key in keys:
        if key not in graph or graph.nodes[key]["label"] != "Organisation":
            continue
        for u, v, attrs in [*graph.out_edges(key, data=True), *graph.in_edges(key, data=True)]:
            if attrs["type"] == "POSSIBLY_SAME_AS":
                found[(u, v)] = {"start": u, "end": v, "status": attrs["props"].get("status")}
    return list(found.values())

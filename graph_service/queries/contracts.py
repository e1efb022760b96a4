"""The contracts and grants registers: each contract or grant with its terms and value, the
organisations on each side, the services it delivers, the posts managing it and what came before
and after, each link with its provenance.

Status (current, ended, not started), expiry and successor rules are Python on these rows
(graph_service/answers/contracts.py), so both backends share them.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import caption, in_force, nodes, provenance, canonical_rows
from graph_service.queries.health import AS_OF, HOME
from graph_service.queries.registry import named_query

CONTRACT_FIELDS = ("title", "reference", "ocid", "value", "currency", "value_is_ceiling", "value_share", "supplier_count",
                   "framework", "start_date", "end_date", "status", "procurement_method", "has_management_plan",
                   "has_exit_plan", "kraljic_category")
GRANT_FIELDS = ("title", "amount", "currency", "award_date", "start_date", "end_date", "programme", "description")
EXAMPLE_CONTRACT = "contract:dbc-2016-0001"
EXAMPLE_GRANT = "grant:dbc-2016-001"


def _end(graph: nx.MultiDiGraph, other: str, attrs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The node at the other end (key, name or title) and the relationship's provenance."""
    return {"key": other, "name": caption(graph, other), **extra, **provenance(attrs)}


def _linked(graph: nx.MultiDiGraph, key: str, as_of: str | None) -> dict[str, list[dict[str, Any]]]:
    """The in-force links of a contract or grant, by what they mean."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "buyers", "funders", "suppliers", "recipients", "managers", "services", "priorities", "successors",
        "predecessors")}
    incoming = {"BUYS": "buyers", "FUNDS": "funders", "SUPPLIES": "suppliers", "RECEIVES": "recipients",
                "MANAGES": "managers", "SUCCEEDS": "successors"}
    outgoing = {"DELIVERS": "services", "SUPPORTS": "priorities", "SUCCEEDS": "predecessors"}
    for other, _, attrs in graph.in_edges(key, data=True):
        if attrs["type"] in incoming and in_force(attrs["props"], as_of):
            extra = {"start_date": graph.nodes[other]["props"].get("start_date")} if attrs["type"] == "SUCCEEDS" else {}
            found[incoming[attrs["type"]]].append(_end(graph, other, attrs, **extra))
    for _, other, attrs in graph.out_edges(key, data=True):
        if attrs["type"] in outgoing and in_force(attrs["props"], as_of):
            if attrs["type"] == "SUPPORTS" and graph.nodes[other]["label"] != "Priority":
                continue
            extra = {"end_date": graph.nodes[other]["props"].get("end_date")} if attrs["type"] == "SUCCEEDS" else {}
            found[outgoing[attrs["type"]]].append(_end(graph, other, attrs, **extra))
    return found


def _buyer_of(graph: nx.MultiDiGraph, key: str, buyer: str | None, kind: str) -> bool:
    return buyer is None or any(start == buyer for start, _, attrs in graph.in_edges(key, data=True) if attrs["type"] == kind)


CONTRACT_LISTS = ("buyers", "funders", "suppliers", "managers", "services", "priorities", "successors", "predecessors",
                  "ratings")


@named_query("contract_register", finish=canonical_rows("contract", lists=tuple(CONTRACT_LISTS)),
             examples=[{}, {"contract": EXAMPLE_CONTRACT}, {"as_of": AS_OF, "buyer": HOME}, {"buyer": "GB-LAE-NONE"}])
def contract_register(graph: nx.MultiDiGraph, contract: str | None = None, buyer: str | None = None,
                      as_of: str | None = None) -> list[dict[str, Any]]:
    """Each contract (or one; of $buyer's, or any buyer's): its terms and value, buyers, suppliers, the
    services it delivers, managing posts, the priorities it supports, its KPI ratings, and the contracts
    it succeeds and that succeed it."""
    rows = []
    for key, c in nodes(graph, "Contract"):
        if (contract is not None and key != contract) or not _buyer_of(graph, key, buyer, "BUYS"):
            continue
        links = _linked(graph, key, as_of)
        links.pop("recipients")
        ratings = [{"key": k, "kpi": graph.nodes[k]["props"]["kpi"], "rating": graph.nodes[k]["props"]["rating"],
                    "period_end": graph.nodes[k]["props"]["period_end"], **provenance(graph.nodes[k])}
                   for _, k, attrs in graph.out_edges(key, data=True) if attrs["type"] == "RATED"
                   and (as_of is None or graph.nodes[k]["props"]["period_end"] <= as_of)]
        rows.append({"contract": key, **{f: c.get(f) for f in CONTRACT_FIELDS},
                     "provenance": provenance(graph.nodes[key]), **links, "ratings": ratings})
    return rows


@named_query("grant_register", finish=canonical_rows("grant", lists=("funders", "recipients", "managers", "services", "priorities")),
             examples=[{}, {"grant": EXAMPLE_GRANT}, {"as_of": AS_OF, "buyer": HOME}, {"buyer": "GB-LAE-NONE"}])
def grant_register(graph: nx.MultiDiGraph, grant: str | None = None, buyer: str | None = None,
                   as_of: str | None = None) -> list[dict[str, Any]]:
    """Each grant (or one; funded by $buyer, or by anyone): its amount and dates, funders, recipients,
    the services it delivers, managing posts and the priorities it supports."""
    rows = []
    for key, g in nodes(graph, "Grant"):
        if (grant is not None and key != grant) or not _buyer_of(graph, key, buyer, "FUNDS"):
            continue
        links = _linked(graph, key, as_of)
        for name in ("buyers", "suppliers", "successors", "predecessors"):
            links.pop(name)
        rows.append({"grant": key, **{f: g.get(f) for f in GRANT_FIELDS}, "provenance": provenance(graph.nodes[key]),
                     **links})
    return rows

"""Initiatives and commissioning decisions: the facts governance tests them on.

The rules themselves (alignment, approval routes, the three criteria) live in
graph_service/answers/governance.py and run over these rows, so both backends share them.
Every link carries its provenance (source, locator, illustrative); load times are
left out because they differ between two loads of the same facts.
"""
from __future__ import annotations

from typing import Any, Iterator

import networkx as nx

from graph_service.queries.graph import caption, in_edges, nodes, out_edges, props, provenance, canonical_rows
from graph_service.queries.registry import named_query

Row = dict[str, Any]
MAX_HOPS = 4  # longest alignment path; cypher/initiative_alignment.cypher says *1..4
ALIGNMENT_TYPES = ("SUPPORTS", "CONTRIBUTES_TO", "MEASURES")


def link(graph: nx.MultiDiGraph, other: str, attrs: dict[str, Any], **extra: Any) -> Row:
    """The node at the other end of a relationship, and the relationship's type and provenance."""
    return {"type": attrs["type"], "key": other, "label": graph.nodes[other]["label"],
            "name": caption(graph, other), **provenance(attrs), **extra}


def approved_by(graph: nx.MultiDiGraph, key: str, as_of: str | None) -> list[Row]:
    """Governance bodies that APPROVE the node, on or before as_of when the approval is dated."""
    return [link(graph, body, attrs, approved_on=attrs["props"].get("approved_on"))
            for body, _, attrs in in_edges(graph, key, "APPROVES", as_of=as_of, label="GovernanceBody")
            if as_of is None or attrs["props"].get("approved_on") is None or attrs["props"]["approved_on"] <= as_of]


@named_query("initiative_list",
             finish=canonical_rows("initiative", lists=("raised_by", "claims", "programmes", "people", "approvals")),
             examples=[{}, {"as_of": "2020-04-01"}, {"initiative": "initiative:staff-intranet-redesign"}])
def initiative_list(graph: nx.MultiDiGraph, initiative: str | None = None, as_of: str | None = None) -> list[Row]:
    """Each initiative (or one): PID status, funding need and stage, the workstreams that raised it,
    what it claims to serve, its programme, sponsors and leads, and the bodies that approved it."""
    rows = []
    for key, found in nodes(graph, "Initiative"):
        if initiative is not None and key != initiative:
            continue
        rows.append({
            "initiative": key, "name": found["name"], "pid_status": found.get("pid_status"),
            "funding": found.get("funding"), "stage": found.get("stage"), "provenance": provenance(graph.nodes[key]),
            "raised_by": [link(graph, w, a) for w, _, a in in_edges(graph, key, "RAISED", as_of=as_of, label="Workstream")],
            "claims": [link(graph, t, a) for t, _, a in out_edges(graph, key, "SUPPORTS", "CONTRIBUTES_TO", as_of=as_of)],
            "programmes": [link(graph, p, a) for p, _, a in out_edges(graph, key, "PART_OF", as_of=as_of, label="Programme")],
            "people": [link(graph, p, a) for p, _, a in in_edges(graph, key, "SPONSORS", "LEADS", as_of=as_of, label="Post")],
            "approvals": approved_by(graph, key, as_of),
        })
    return rows


def _alignment_paths(graph: nx.MultiDiGraph, start: str, as_of: str | None) -> Iterator[tuple[list[str], list[dict]]]:
    """Every path of SUPPORTS/CONTRIBUTES_TO/MEASURES links from start to a Priority, no node twice."""
    stack: list[tuple[list[str], list[dict]]] = [([start], [])]
    while stack:
        path, rels = stack.pop()
        for other, _, attrs in out_edges(graph, path[-1], *ALIGNMENT_TYPES, as_of=as_of):
            if other in path:
                continue
            if graph.nodes[other]["label"] == "Priority":
                yield [*path, other], [*rels, attrs]
            if len(rels) + 1 < MAX_HOPS:
                stack.append(([*path, other], [*rels, attrs]))


@named_query("initiative_alignment", finish=canonical_rows("initiative", "priority", lists=()),
             examples=[{}, {"as_of": "2020-04-01"}, {"initiative": "initiative:customer-golden-record"}])
def initiative_alignment(graph: nx.MultiDiGraph, initiative: str | None = None, as_of: str | None = None) -> list[Row]:
    """Which top priorities each initiative serves, and by which path through objectives, workstreams and
    key indicators; an initiative with no path gives one row without a priority (it is unaligned)."""
    rows = []
    for key, found in nodes(graph, "Initiative"):
        if initiative is not None and key != initiative:
            continue
        paths = list(_alignment_paths(graph, key, as_of))
        for path, rels in paths:
            rows.append({
                "initiative": key, "name": found["name"], "priority": path[-1], "priority_name": props(graph, path[-1])["name"],
                "nodes": [{"key": n, "label": graph.nodes[n]["label"], "name": caption(graph, n)} for n in path],
                "links": [{"type": attrs["type"], **provenance(attrs)} for attrs in rels],
            })
        if not paths:
            rows.append({"initiative": key, "name": found["name"], "priority": None, "priority_name": None,
                         "nodes": [], "links": []})
    return rows


@named_query("commissioning_decisions", finish=canonical_rows("decision", lists=("decides", "approvals")),
             examples=[{}, {"as_of": "2021-01-01"}])
def commissioning_decisions(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Each commissioning decision taken by as_of: its criteria (resilience, quality, cost) and options,
    what it decides and who approved it."""
    rows = []
    for key, found in nodes(graph, "CommissioningDecision"):
        if as_of is not None and found.get("decided_on") is not None and found["decided_on"] > as_of:
            continue
        rows.append({
            "decision": key, "title": found["title"], "decided_on": found.get("decided_on"),
            **{p: found.get(p) for p in ("resilience", "quality", "cost", "chosen_option")},
            "options": found.get("options") or [], "provenance": provenance(graph.nodes[key]),
            "decides": [link(graph, t, a) for t, _, a in out_edges(graph, key, "DECIDES", as_of=as_of)],
            "approvals": approved_by(graph, key, as_of),
        })
    return rows

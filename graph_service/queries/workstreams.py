"""Workstreams and the posts that sponsor, lead and represent the business on them; their themes,
objectives, initiatives and engaged partners; and the programme they make up."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import in_force, nodes, out, props, provenance, sort_key, canonical_rows, today
from graph_service.queries.registry import named_query

Row = dict[str, Any]
ROLES = ("SPONSORS", "LEADS", "BUSINESS_REP_FOR")


def _finish_roles(rows: list[Row]) -> list[Row]:
    """Names sorted as text; people (maps, whose key order differs by backend) by date and key."""
    return [{**r, "people": sorted(r["people"], key=sort_key("valid_from", "person"))}
            for r in canonical_rows("workstream", "role", "post")(rows)]


@named_query("workstream_roles", finish=_finish_roles,
             examples=[{"as_of": "2026-11-01"}, {"as_of": "2019-06-01"}])
def workstream_roles(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Each workstream's sponsor, lead and business reps, their departments and who held each post on as_of
    (names in `holders`; with dates and sources in `people`), and the source of each role."""
    day = as_of or today()
    rows = []
    for key, workstream in nodes(graph, "Workstream"):
        for post, _, attrs in [(s, e, a) for s, e, a in graph.in_edges(key, data=True) if a["type"] in ROLES]:
            held = [(p, h) for p, h in _holds(graph, post) if in_force(h["props"], day)]
            rows.append({"workstream": key, "name": workstream["name"], "role": attrs["type"], "post": post,
                         "title": props(graph, post)["title"],
                         "departments": [props(graph, d)["name"] for d, _ in out(graph, post, "IN_DEPARTMENT")],
                         "holders": [props(graph, p)["name"] for p, _ in held],
                         "people": [{"person": p, "name": props(graph, p)["name"], "valid_from": h["props"].get("valid_from"),
                                     "valid_to": h["props"].get("valid_to"), **provenance(h)} for p, h in held],
                         **provenance(attrs)})
    return rows


def _holds(graph: nx.MultiDiGraph, post: str) -> list[tuple[str, Row]]:
    return [(p, a) for p, _, a in graph.in_edges(post, data=True) if a["type"] == "HOLDS"]


def _ends(graph: nx.MultiDiGraph, key: str, kind: str, label: str, *, incoming: bool = False,
          as_of: str | None = None, fields: tuple[str, ...] = ("name",)) -> list[Row]:
    """The other ends of key's `kind` relationships with that label, with fields and the relationship's source."""
    pairs = ([(s, a) for s, _, a in graph.in_edges(key, data=True)] if incoming
             else [(e, a) for _, e, a in graph.out_edges(key, data=True)])
    return [{"key": other, **{f: props(graph, other).get(f) for f in fields}, **provenance(attrs)}
            for other, attrs in pairs
            if attrs["type"] == kind and graph.nodes[other]["label"] == label and in_force(attrs["props"], as_of)]


def _finish_facts(rows: list[Row]) -> list[Row]:
    lists = ("themes", "programmes", "objectives", "initiatives", "partners", "indicators")
    return sorted(({**r, **{f: sorted(r[f], key=sort_key("key")) for f in lists}} for r in rows), key=sort_key("name", "key"))


@named_query("workstream_facts", finish=_finish_facts,
             examples=[{}, {"key": "workstream:partnerships", "as_of": "2026-11-01"}, {"key": "workstream:nothing"}])
def workstream_facts(graph: nx.MultiDiGraph, key: str | None = None, as_of: str | None = None) -> list[Row]:
    """Each workstream (all, or $key) with its themes and programme, objectives, the initiatives it raised,
    the partners engaged in it (on as_of) and the key indicators it contributes to, each with its source."""
    rows = []
    for ws, w in nodes(graph, "Workstream"):
        if key is not None and ws != key:
            continue
        rows.append({"key": ws, "name": w["name"], "description": w.get("description"), **provenance(graph.nodes[ws]),
                     "themes": _ends(graph, ws, "PART_OF", "Theme"),
                     "programmes": _ends(graph, ws, "PART_OF", "Programme"),
                     "objectives": _ends(graph, ws, "HAS_OBJECTIVE", "Objective", fields=("text",)),
                     "initiatives": _ends(graph, ws, "RAISED", "Initiative", fields=("name", "pid_status", "stage")),
                     "partners": _ends(graph, ws, "ENGAGED_IN", "Organisation", incoming=True, as_of=as_of),
                     "indicators": _ends(graph, ws, "CONTRIBUTES_TO", "KeyIndicator")})
    return rows


def _finish_programmes(rows: list[Row]) -> list[Row]:
    lists = ("themes", "workstreams", "directors", "overseers", "objectives", "initiatives")
    return sorted(({**r, **{f: sorted(r[f], key=sort_key("key")) for f in lists}} for r in rows), key=sort_key("key"))


@named_query("programme_facts", finish=_finish_programmes, examples=[{}, {"as_of": "2019-06-01"}])
def programme_facts(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Each programme with its themes, workstreams, director posts (with who held them on as_of), the
    governance bodies overseeing it, its objectives and initiatives, each with its source."""
    day = as_of or today()
    rows = []
    for key, p in nodes(graph, "Programme"):
        directors = [{**d, "holders": [props(graph, person)["name"] for person, h in _holds(graph, d["key"])
                                       if in_force(h["props"], day)]}
                     for d in _ends(graph, key, "DIRECTS", "Post", incoming=True, fields=("title",))]
        rows.append({"key": key, "name": p["name"], "description": p.get("description"), **provenance(graph.nodes[key]),
                     "themes": _ends(graph, key, "PART_OF", "Theme", incoming=True),
                     "workstreams": _ends(graph, key, "PART_OF", "Workstream", incoming=True),
                     "directors": [{**d, "holders": sorted(d["holders"])} for d in directors],
                     "overseers": _ends(graph, key, "OVERSEES", "GovernanceBody", incoming=True),
                     "objectives": _ends(graph, key, "HAS_OBJECTIVE", "Objective", fields=("text",)),
                     "initiatives": _ends(graph, key, "PART_OF", "Initiative", incoming=True)})
    return rows

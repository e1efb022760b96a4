"""Workstreams and the posts that sponsor, lead and represent the business on them."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import into, nodes, out, props, sorted_rows, today
from graph_service.queries.registry import named_query

ROLES = ("SPONSORS", "LEADS", "BUSINESS_REP_FOR")


@named_query("workstream_roles", finish=sorted_rows("workstream", "role", "post"),
             examples=[{"as_of": "2026-11-01"}, {"as_of": "2019-06-01"}])
def workstream_roles(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Each workstream's sponsor, lead and business reps, their departments and who held each post on as_of."""
    day = as_of or today()
    rows = []
    for key, workstream in nodes(graph, "Workstream"):
        for role in ROLES:
            for post, _ in into(graph, key, role):
                rows.append({"workstream": key, "name": workstream["name"], "role": role, "post": post,
                             "title": props(graph, post)["title"],
                             "departments": [props(graph, d)["name"] for d, _ in out(graph, post, "IN_DEPARTMENT")],
                             "holders": [props(graph, p)["name"] for p, _ in into(graph, post, "HOLDS", as_of=day)]})
    return rows

"""Workstreams and the posts that sponsor, lead and represent the business on them."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import into, nodes, out, props, sorted_rows
from graph_service.queries.registry import named_query

ROLES = ("SPONSORS", "LEADS", "BUSINESS_REP_FOR")


@named_query("workstream_roles", finish=sorted_rows("workstream", "role", "post"))
def workstream_roles(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Each workstream's sponsor, lead and business reps, with their departments."""
    rows = []
    for key, workstream in nodes(graph, "Workstream"):
        for role in ROLES:
            for post, _ in into(graph, key, role):
                departments = [props(graph, d)["name"] for d, _ in out(graph, post, "IN_DEPARTMENT")]
                rows.append({"workstream": key, "name": workstream["name"], "role": role, "post": post,
                             "title": props(graph, post)["title"], "departments": departments})
    return rows

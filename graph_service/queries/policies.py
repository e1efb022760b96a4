"""The policy register, and what each post owns: the facts behind "where does this policy
live, and who owns it?", each with the provenance (source, locator) of the relationship
or node that states it.

Ranking, review status and vacancy are decided in Python on these rows
(graph_service/answers/policies.py), so both backends share that logic.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import caption, in_force, nodes, provenance, canonical_rows
from graph_service.queries.registry import named_query

OWNERSHIP = ("RESPONSIBLE_FOR", "SPONSORING_OFFICER_FOR", "SPONSORING_MEMBER_FOR", "PORTFOLIO_HOLDER_FOR")
# everything a post can hand over: ownership, sponsorship, leadership, contract and relationship management
HOLDINGS = (*OWNERSHIP, "SPONSORS", "LEADS", "DIRECTS", "BUSINESS_REP_FOR", "MANAGES", "HOLDS_RELATIONSHIP")
POLICY_FIELDS = ("title", "aliases", "keywords", "document_location", "section", "version", "produced_on", "published_on",
                 "last_version_on", "review_date", "period", "values", "citations", "verified_on")
EXAMPLE_POLICY = "policy:new-normal-strategy-2019-2024"


def _published_by(policy: dict[str, Any], as_of: str | None) -> bool:
    """A policy published after as_of did not exist yet; one without a publication date always counts."""
    published = policy.get("published_on")
    return as_of is None or published is None or published <= as_of


def _started_by(edge: dict[str, Any], as_of: str | None) -> bool:
    """Holders who had started by as_of, including those who have since left: vacancy needs that history."""
    return as_of is None or (edge.get("valid_from") or "") <= as_of


def _holders(graph: nx.MultiDiGraph, post: str, as_of: str | None) -> list[dict[str, Any]]:
    return [
        {"post": post, "person": person, "name": graph.nodes[person]["props"].get("name"),
         "valid_from": attrs["props"].get("valid_from"), "valid_to": attrs["props"].get("valid_to"), **provenance(attrs)}
        for person, _, attrs in graph.in_edges(post, data=True)
        if attrs["type"] == "HOLDS" and _started_by(attrs["props"], as_of)
    ]


def _linked(graph: nx.MultiDiGraph, edges, label: str, name: str, as_of: str | None) -> list[dict[str, Any]]:
    """(other, edge attrs) pairs to {key, name, provenance} for the other ends with this label."""
    return [
        {"key": other, "name": graph.nodes[other]["props"].get(name), **provenance(attrs)}
        for other, attrs in edges
        if graph.nodes[other]["label"] == label and in_force(attrs["props"], as_of)
    ]


@named_query("policy_index", finish=canonical_rows("key", lists=()), examples=[{}, {"as_of": "2019-01-01"}])
def policy_index(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Every policy's names (title, aliases, keywords): what a search ranks, kept lean for large registers."""
    return [
        {"key": key, "title": p["title"], "aliases": p.get("aliases"), "keywords": p.get("keywords")}
        for key, p in nodes(graph, "Policy") if _published_by(p, as_of)
    ]


@named_query("policy_register", finish=canonical_rows("key", lists=("owners", "holders", "approvers", "associated", "priorities")),
             examples=[{}, {"keys": [EXAMPLE_POLICY]}, {"as_of": "2020-01-01"}])
def policy_register(graph: nx.MultiDiGraph, keys: list[str] | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    """Each policy (all, or those in keys) with where it lives, its owner posts and their holders, approving
    bodies, associated documents and the priorities it supports, each with its provenance."""
    if keys is None:
        chosen = nodes(graph, "Policy")
    else:  # a search asks for a handful of a large register: look them up rather than scan
        chosen = ((k, graph.nodes[k]["props"]) for k in dict.fromkeys(keys) if graph.nodes.get(k, {}).get("label") == "Policy")
    rows = []
    for key, p in chosen:
        if not _published_by(p, as_of):
            continue
        prov = graph.nodes[key]["prov"]
        owners, holders = [], []
        for post, _, attrs in graph.in_edges(key, data=True):
            if attrs["type"] in OWNERSHIP and in_force(attrs["props"], as_of):
                post_props = graph.nodes[post]["props"]
                owners.append({"role": attrs["type"], "post": post, "title": post_props.get("title"),
                               "kind": post_props.get("kind"), **provenance(attrs)})
                holders += [h for h in _holders(graph, post, as_of) if h not in holders]
        incoming = [(other, attrs) for other, _, attrs in graph.in_edges(key, data=True)]
        outgoing = [(other, attrs) for _, other, attrs in graph.out_edges(key, data=True)]
        associated = [(o, a) for o, a in incoming + outgoing if a["type"] == "ASSOCIATED_WITH"]
        rows.append({
            "key": key, **{f: p.get(f) for f in POLICY_FIELDS},
            "source": prov["source"], "locator": prov["locator"], "loaded_on": prov["loaded_at"][:10],
            "illustrative": prov["illustrative"],
            "owners": owners, "holders": holders,
            "approvers": _linked(graph, [(o, a) for o, a in incoming if a["type"] == "APPROVES"], "GovernanceBody", "name", as_of),
            "associated": _linked(graph, associated, "Policy", "title", as_of),
            "priorities": _linked(graph, [(o, a) for o, a in outgoing if a["type"] == "SUPPORTS"], "Priority", "name", as_of),
        })
    return rows


@named_query("role_holdings", finish=canonical_rows("post", lists=("departments", "holders", "holdings")),
             examples=[{"post": "post:chief-executive"}, {"post": "post:gm-procurement-contracted-services"},
                       {"as_of": "2022-01-01"}])
def role_holdings(graph: nx.MultiDiGraph, post: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    """Each post (or one) with its departments, its holders so far and everything it owns, sponsors, leads
    or manages: the handover list when someone leaves the post."""
    rows = []
    for key, p in nodes(graph, "Post"):
        if post is not None and key != post:
            continue
        departments = [{"key": d, "name": graph.nodes[d]["props"].get("name")}
                       for _, d, a in graph.out_edges(key, data=True)
                       if a["type"] == "IN_DEPARTMENT"]
        holdings = []
        for _, target, attrs in graph.out_edges(key, data=True):
            if attrs["type"] not in HOLDINGS or not in_force(attrs["props"], as_of):
                continue
            node = graph.nodes[target]
            holdings.append({
                "type": attrs["type"], "key": target, "label": node["label"],
                "name": caption(graph, target),
                "valid_from": attrs["props"].get("valid_from"), "valid_to": attrs["props"].get("valid_to"),
                "verified_on": node["props"].get("verified_on"), "loaded_on": node["prov"]["loaded_at"][:10],
                **provenance(attrs),
            })
        rows.append({"post": key, "title": p.get("title"), "kind": p.get("kind"), "abbreviation": p.get("abbreviation"),
                     **provenance(graph.nodes[key]), "departments": departments,
                     "holders": _holders(graph, key, as_of), "holdings": holdings})
    return rows

"""The facts stakeholder maps are drawn from: partners and the facts behind their power and
interest, the partner-and-post network, posts, ego neighbourhoods and policy ownership.

These only gather rows; the scoring, centrality, brokers and communities run in Python
on top of them (graph_service/answers/stakeholders.py), so both backends share that arithmetic.
"""
from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from graph_service.queries.graph import Props, caption, in_force, into, label, nodes, out, props, canonical_rows, sort_key
from graph_service.queries.registry import named_query

FACT_COLUMNS = ("partner", "fact", "item", "item_label", "name", "via", "amount", "flag", "dated")
LINK_COLUMNS = ("source", "source_label", "source_name", "target", "target_label", "target_name", "kind", "via")
EGO_COLUMNS = ("key", "type", "start", "end", "other", "other_label", "other_name", "other_on")
OWNERSHIP_ROLES = ("RESPONSIBLE_FOR", "SPONSORING_OFFICER_FOR", "SPONSORING_MEMBER_FOR", "PORTFOLIO_HOLDER_FOR",
                   "APPROVES", "OVERSEES")
_DATE_PROPS = ("held_on", "period_end", "paid_on")


def _partners(graph: nx.MultiDiGraph) -> Iterable[tuple[str, Props]]:
    """Organisations other than the council itself."""
    return ((key, p) for key, p in nodes(graph, "Organisation") if not p.get("is_council"))


def _is_council(graph: nx.MultiDiGraph, key: str) -> bool:
    return label(graph, key) == "Organisation" and bool(props(graph, key).get("is_council"))


def _works_with(graph: nx.MultiDiGraph, o: str, as_of: str | None) -> set[str]:
    """Organisations o works with in either direction, in force on as_of."""
    return {b for b, _ in out(graph, o, "WORKS_WITH", as_of=as_of)} | {b for b, _ in into(graph, o, "WORKS_WITH", as_of=as_of)}


def _distinct(rows: Iterable[tuple], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """UNION / RETURN DISTINCT: each row once."""
    return [dict(zip(columns, row)) for row in dict.fromkeys(rows)]


def _round_amounts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "amount": round(row["amount"], 2) if row["amount"] is not None else None} for row in rows]


def _in_order(*columns: str):
    """A finish step for rows distinct over all their columns (UNION): sorted by them alone, a total order, with
    no whole-row JSON dump to break ties (canonical_rows' tiebreak costs seconds at county size)."""
    key = sort_key(*columns)
    return lambda rows: sorted(rows, key=key)


def _finish_facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _in_order(*FACT_COLUMNS)(_round_amounts(rows))


@named_query("stakeholder_facts", finish=_finish_facts, examples=[{}, {"as_of": "2024-06-30"}])
def stakeholder_facts(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Every partner and the facts behind its power and interest, one row per fact (see the Cypher header)."""
    councils = [c for c, p in nodes(graph, "Organisation") if p.get("is_council")]
    near_council = {b for c in councils for b in _works_with(graph, c, as_of)}  # WORKS_WITH is read both ways
    rows: list[tuple] = []
    delivered: dict[str, list[tuple[str, Props]]] = {}  # what a contract or grant delivers, and what a node
    supported: dict[str, list[str]] = {}                 # supports: undated, so read once for every partner

    def services_of(item: str) -> list[tuple[str, Props]]:
        if item not in delivered:
            delivered[item] = [(s, props(graph, s)) for s, _ in out(graph, item, "DELIVERS")]
        return delivered[item]

    def priorities_of(item: str) -> list[str]:
        if item not in supported:
            supported[item] = [p for p, _ in out(graph, item, "SUPPORTS") if label(graph, p) == "Priority"]
        return supported[item]

    for o, partner in _partners(graph):
        # each partner's edges read once, by type, then filtered per fact (a supplier has hundreds of
        # contracts and thousands of payments at county size)
        edges = [(end, attrs["type"], attrs["props"]) for end, keyed in graph._succ[o].items() for attrs in keyed.values()]
        by_type: dict[str, list[tuple[str, Props]]] = {}
        for end, kind, p in edges:
            by_type.setdefault(kind, []).append((end, p))
        incoming = [(start, attrs["type"], attrs["props"]) for start, keyed in graph._pred[o].items()
                    for attrs in keyed.values() if attrs["type"] in ("WORKS_WITH", "WITH_PARTNER")]

        def mine(*types: str, dated: bool = True) -> list[str]:
            return [end for kind in types for end, p in by_type.get(kind, ()) if not dated or in_force(p, as_of)]

        rows.append((o, "partner", o, "Organisation", partner["name"], partner.get("org_type"), None,
                     bool(graph.nodes[o]["prov"]["illustrative"]), None))
        rows.extend((o, "critical_service", None, None, name, None, None, None, None)
                    for name in partner.get("critical_services") or [])
        if partner.get("population") is not None or partner.get("area_served") is not None:
            rows.append((o, "population", None, None, partner.get("area_served"), None, partner.get("population"), None, None))
        for x in mine("FUNDS"):
            if any(_is_council(graph, c) for c, _ in into(graph, x, "BUYS", "FUNDS")):
                funded = props(graph, x)
                rows.append((o, "funds", x, label(graph, x), funded["title"], None, None, None, None))
        works_with = {b for b, kind, p in edges + incoming if kind == "WORKS_WITH" and in_force(p, as_of)}
        for b in works_with:
            if not _is_council(graph, b) and b != o and b in near_council:
                board = props(graph, b)
                rows.append((o, "board", b, "Organisation", board["name"], board.get("org_type"), None, None, None))
        for x in mine("HAS_PERSONA", dated=False):
            rows.append((o, "persona", x, "Persona", props(graph, x)["name"], None, None, None, None))
        for x in mine("SUPPLIES"):
            c = props(graph, x)
            rows.append((o, "contract", x, "Contract", c["title"], None, c.get("value"), None, c.get("end_date")))
        for x in mine("RECEIVES"):
            g = props(graph, x)
            rows.append((o, "grant", x, "Grant", g["title"], None, g.get("amount"), None, g.get("end_date")))
        for c in mine("SUPPLIES", "RECEIVES"):
            for s, service in services_of(c):
                rows.append((o, "service", s, "Service", service["name"], c, None, bool(service.get("critical")), None))
                for p in priorities_of(s):
                    rows.append((o, "depends_priority", p, "Priority", props(graph, p)["name"], s, None, None, None))
            for p in priorities_of(c):
                rows.append((o, "depends_priority", p, "Priority", props(graph, p)["name"], c, None, None, None))
        for e in (start for start, kind, _ in incoming if kind == "WITH_PARTNER"):
            engagement = props(graph, e)
            if label(graph, e) == "Engagement" and (as_of is None or engagement["held_on"] <= as_of):
                rows.append((o, "engagement", e, "Engagement", engagement["kind"], None, None, None, engagement["held_on"]))
        for x in mine("PARTY_TO"):
            charter = props(graph, x)
            rows.append((o, "charter", x, "Charter", charter["name"], charter.get("status"), None, None,
                         charter.get("signed_on")))
            for p, _ in out(graph, x, "SUPPORTS"):
                if label(graph, p) == "Priority":
                    rows.append((o, "linked_priority", p, "Priority", props(graph, p)["name"], x, None, None, None))
        for end, kind, p in edges:
            if kind not in ("ENGAGED_IN", "MEMBER_OF", "CONTRIBUTES_TO") or not in_force(p, as_of):
                continue
            end_label = label(graph, end)
            if end_label in ("Workstream", "Programme", "GovernanceBody"):
                rows.append((o, "involvement", end, end_label, props(graph, end)["name"], kind, None, None, None))
            if end_label == "KeyIndicator" and kind == "CONTRIBUTES_TO":
                for p, _ in out(graph, end, "MEASURES"):
                    rows.append((o, "linked_priority", p, "Priority", props(graph, p)["name"], end, None, None, None))
            if end_label == "Workstream" and kind in ("ENGAGED_IN", "CONTRIBUTES_TO"):
                for p, _ in out(graph, end, "SUPPORTS"):
                    if label(graph, p) == "Priority":
                        rows.append((o, "linked_priority", p, "Priority", props(graph, p)["name"], end, None, None, None))
                for k, _ in out(graph, end, "CONTRIBUTES_TO"):
                    if label(graph, k) == "KeyIndicator":
                        for p, _ in out(graph, k, "MEASURES"):
                            rows.append((o, "linked_priority", p, "Priority", props(graph, p)["name"], end, None, None,
                                         None))
    return _distinct(rows, FACT_COLUMNS)


@named_query("stakeholder_links", finish=_in_order(*LINK_COLUMNS), examples=[{}, {"as_of": "2024-06-30"}])
def stakeholder_links(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """The partner-and-post network: WORKS_WITH, HOLDS_RELATIONSHIP, ATTENDED (via the engagement), MANAGES (via
    the contract, grant or charter)."""
    partners = dict(_partners(graph))
    rows: list[tuple] = []

    def link(post: str, partner: str, kind: str, via: str | None) -> tuple:
        return (post, "Post", props(graph, post)["title"], partner, "Organisation", partners[partner]["name"], kind, via)

    for a, p in partners.items():
        for b, _ in out(graph, a, "WORKS_WITH", as_of=as_of):
            if b in partners:
                rows.append((a, "Organisation", p["name"], b, "Organisation", partners[b]["name"], "WORKS_WITH", None))
    for post, _ in nodes(graph, "Post"):
        for b, _ in out(graph, post, "HOLDS_RELATIONSHIP", as_of=as_of):
            if b in partners:
                rows.append(link(post, b, "HOLDS_RELATIONSHIP", None))
        for e, _ in out(graph, post, "ATTENDED"):
            if label(graph, e) == "Engagement" and (as_of is None or props(graph, e)["held_on"] <= as_of):
                rows.extend(link(post, b, "ATTENDED", e) for b, _ in out(graph, e, "WITH_PARTNER") if b in partners)
        for x, _ in out(graph, post, "MANAGES", as_of=as_of):
            rows.extend(link(post, b, "MANAGES", x) for b, _ in into(graph, x, "SUPPLIES", "RECEIVES", "PARTY_TO", as_of=as_of)
                        if b in partners)
    return _distinct(rows, LINK_COLUMNS)


def _holders(graph: nx.MultiDiGraph, post: str, as_of: str | None) -> list[str]:
    return sorted({props(graph, person)["name"] for person, _ in into(graph, post, "HOLDS", as_of=as_of)
                   if label(graph, person) == "Person"})


@named_query("stakeholder_posts", finish=canonical_rows("post", "department"), examples=[{}, {"as_of": "2020-01-01"}])
def stakeholder_posts(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Council posts with their departments and who holds each on as_of."""
    rows = []
    for post, p in nodes(graph, "Post"):
        departments = [(d, props(graph, d)["name"]) for d, _ in out(graph, post, "IN_DEPARTMENT")
                       if label(graph, d) == "Department"]
        held_by = _holders(graph, post, as_of)
        for department, name in dict.fromkeys(departments) or [(None, None)]:
            rows.append({"post": post, "title": p["title"], "kind": p.get("kind"), "department": department,
                         "department_name": name, "held_by": held_by})
    return rows


@named_query("ego_neighbours", finish=canonical_rows(*EGO_COLUMNS),
             examples=[{"keys": ["post:gm-procurement-contracted-services"]},
                       {"keys": ["priority:economic-well-being", "persona:contractors"], "as_of": "2023-01-01"}])
def ego_neighbours(graph: nx.MultiDiGraph, keys: list[str], as_of: str | None = None) -> list[dict[str, Any]]:
    """One step of an ego view: each relationship touching one of keys and the node at its other end."""
    rows: list[tuple] = []
    for key in keys:
        if key not in graph:
            continue
        for start, end, attrs in [*graph.out_edges(key, data=True), *graph.in_edges(key, data=True)]:
            if not in_force(attrs["props"], as_of):
                continue
            other = end if start == key else start
            p = props(graph, other)
            rows.append((key, attrs["type"], start, end, other, label(graph, other), caption(graph, other, other),
                         next((p[f] for f in _DATE_PROPS if p.get(f) is not None), None)))
    return _distinct(rows, EGO_COLUMNS)


@named_query("policy_ownership", finish=canonical_rows("policy", "role", "owner", "department"),
             examples=[{}, {"as_of": "2020-01-01"}])
def policy_ownership(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Who owns each policy (posts with departments and holders, approving and overseeing bodies); unowned ones too."""
    rows = []
    for policy, p in nodes(graph, "Policy"):
        base = {"policy": policy, "title": p["title"], "review_date": p.get("review_date")}
        owners = [(o, attrs["type"]) for o, _, attrs in graph.in_edges(policy, data=True) if attrs["type"] in OWNERSHIP_ROLES]
        if not owners:
            rows.append({**base, "role": None, "owner": None, "owner_label": None, "owner_name": None, "owner_kind": None,
                         "department": None, "department_name": None, "held_by": []})
        for owner, role in dict.fromkeys(owners):
            o = props(graph, owner)
            departments = [(d, props(graph, d)["name"]) for d, _ in out(graph, owner, "IN_DEPARTMENT")
                           if label(graph, d) == "Department"]
            held_by = _holders(graph, owner, as_of)
            for department, name in dict.fromkeys(departments) or [(None, None)]:
                rows.append({**base, "role": role, "owner": owner, "owner_label": label(graph, owner),
                             "owner_name": caption(graph, owner), "owner_kind": o.get("kind"),
                             "department": department, "department_name": name, "held_by": held_by})
    return rows

"""The facts behind relationship health: each partner's current contracts, KPI ratings, spend,
engagements, charters, owners and the delivery network it sits in, each row with the
provenance (source, locator) and key of the node or relationship that states it.

The score itself is Python over these rows (graph_service/answers/health/), so both backends share it.
A contract or grant is current on as_of when its term covers the day: started on or before
it and not yet ended (end_date after it), mirroring `in_force` for relationships.

Every query about contracts, grants or payments takes `buyer`: an organisation's key to answer for
that buyer only (a contract it BUYS, a grant it FUNDS, a payment it made), or None for every buyer.
Rows carry `buyers` (empty: no buyer stated). A partner is credited its share of a contract's value:
`value_share` where the reader stored it, else the value divided among the contract's suppliers.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import canonical_rows, caption, in_edges, in_force, located, nodes, out_edges
from graph_service.queries.registry import named_query

AS_OF = "2026-11-01"  # the illustrative layer's anchor date, so examples hit current contracts
EXAMPLES = [{}, {"as_of": AS_OF}, {"as_of": "2024-04-01"}]
HOME = "GB-LAE-DAC"  # the reference dataset's council, for examples
SCOPED_EXAMPLES = EXAMPLES + [{"as_of": AS_OF, "buyer": HOME}, {"buyer": "GB-LAE-NONE"}]
OWNER_TYPES = ("MANAGES", "SPONSORS", "LEADS")
OWNED_LABELS = ("Contract", "Grant", "Charter", "Workstream")


def current(props: dict[str, Any], as_of: str | None) -> bool:
    """A contract or grant whose term covers as_of (no as_of: every one)."""
    if as_of is None:
        return True
    end = props.get("end_date")
    return (props.get("start_date") or "") <= as_of and (end is None or end > as_of)


def partner(graph: nx.MultiDiGraph, key: str) -> bool:
    attrs = graph.nodes[key]
    return attrs["label"] == "Organisation" and not attrs["props"].get("is_council")


def buyers(graph: nx.MultiDiGraph, key: str) -> list[dict[str, str]]:
    """Who let a contract (BUYS) or funded a grant (FUNDS): the organisations it is answered for."""
    kind = "BUYS" if graph.nodes[key]["label"] == "Contract" else "FUNDS"
    found = {start for start, _, _ in in_edges(graph, key, kind) if graph.nodes[start]["label"] == "Organisation"}
    return [{"key": b, "name": graph.nodes[b]["props"]["name"]} for b in sorted(found)]


def for_buyer(graph: nx.MultiDiGraph, key: str, buyer: str | None) -> bool:
    """A contract or grant in the buyer's scope (no buyer: every one); other nodes always are."""
    label = graph.nodes[key]["label"]
    if buyer is None or label not in ("Contract", "Grant"):
        return True
    return any(start == buyer and graph.nodes[start]["label"] == "Organisation"
               for start, _, _ in in_edges(graph, key, "BUYS" if label == "Contract" else "FUNDS"))


def scope(graph: nx.MultiDiGraph, buyer: str | None) -> set[str] | None:
    """The contracts the buyer BUYS and grants it FUNDS, found once per query (None: no buyer, every one)."""
    if buyer is None:
        return None
    if buyer not in graph or graph.nodes[buyer]["label"] != "Organisation":
        return set()
    return {c for _, c, attrs in graph.out_edges(buyer, data=True)
            if (attrs["type"], graph.nodes[c]["label"]) in (("BUYS", "Contract"), ("FUNDS", "Grant"))}


def in_scope(graph: nx.MultiDiGraph, key: str, scoped: set[str] | None) -> bool:
    """for_buyer against a scope worked out once."""
    return scoped is None or key in scoped or graph.nodes[key]["label"] not in ("Contract", "Grant")


def suppliers_of(graph: nx.MultiDiGraph, key: str) -> set[str]:
    return {o for o, _, _ in in_edges(graph, key, "SUPPLIES") if partner(graph, o)}


def credited(graph: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    """A contract's value and what each supplier is credited: a framework or multi-supplier award is
    divided (the reader's value_share, else value / suppliers), never counted in full for each."""
    c = graph.nodes[key]["props"]
    count = c.get("supplier_count") if (c.get("supplier_count") or 0) > 0 else (len(suppliers_of(graph, key)) or 1)
    value = c.get("value")
    share = c.get("value_share", value / count if value is not None else None)
    return {"value": share, "contract_value": value, "supplier_count": count,
            "value_is_ceiling": bool(c.get("value_is_ceiling"))}


@named_query("health_partners", finish=canonical_rows("partner"), examples=EXAMPLES)
def health_partners(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Every partner (each organisation but the council) with its personas and the posts that hold
    the relationship with it on as_of (HOLDS_RELATIONSHIP): who gets a health score, and its owners;
    `illustrative` when the organisation is generated example data."""
    rows = []
    for key, org in nodes(graph, "Organisation"):
        if org.get("is_council"):
            continue
        personas = [{"key": p, "name": graph.nodes[p]["props"]["name"]}
                    for p, _, _ in out_edges(graph, key, "HAS_PERSONA") if graph.nodes[p]["label"] == "Persona"]
        owners = [{"post": post, "title": graph.nodes[post]["props"]["title"], "rel": rid, **located(attrs)}
                  for post, rid, attrs in in_edges(graph, key, "HOLDS_RELATIONSHIP") if in_force(attrs["props"], as_of)]
        rows.append({"partner": key, "name": org["name"], "org_type": org.get("org_type"), "personas": personas,
                     "owners": owners, **located(graph.nodes[key]),
                     "illustrative": bool(graph.nodes[key]["prov"]["illustrative"])})
    return rows


def _link(graph: nx.MultiDiGraph, start: str, end: str, rid: str, attrs: dict[str, Any]) -> dict[str, Any]:
    return {"start": start, "start_label": graph.nodes[start]["label"], "start_name": caption(graph, start),
            "type": attrs["type"], "end": end, "end_label": graph.nodes[end]["label"], "end_name": caption(graph, end),
            "rel": rid, "critical": graph.nodes[end]["props"].get("critical"), **located(attrs)}


def _link_holds(graph: nx.MultiDiGraph, start: str, end: str, attrs: dict[str, Any], as_of: str | None,
                scoped: set[str] | None) -> bool:
    """Which relationships make up the delivery network on as_of (see cypher/health_links.cypher)."""
    kind, a, b = attrs["type"], graph.nodes[start], graph.nodes[end]
    if not in_force(attrs["props"], as_of) or not (in_scope(graph, start, scoped) and in_scope(graph, end, scoped)):
        return False
    if kind in ("SUPPLIES", "RECEIVES", "FUNDS"):
        return partner(graph, start) and b["label"] in ("Contract", "Grant") and current(b["props"], as_of)
    if kind == "DELIVERS":
        return b["label"] == "Service" and current(a["props"], as_of)
    if kind == "SUPPORTS":
        return (b["label"] == "Priority" and a["label"] in ("Service", "Contract", "Grant", "Charter")
                and (a["label"] not in ("Contract", "Grant") or current(a["props"], as_of)))
    if kind == "CONTRIBUTES_TO":
        return (b["label"] == "KeyIndicator" and a["label"] in ("Service", "Contract", "Organisation", "Workstream")
                and (a["label"] != "Contract" or current(a["props"], as_of))
                and (a["label"] != "Organisation" or partner(graph, start)))
    if kind == "MEASURES":
        return True
    if kind in ("PARTY_TO", "ENGAGED_IN"):
        return partner(graph, start) and b["label"] in ("Charter", "Workstream")
    if kind == "WORKS_WITH":
        return partner(graph, start) and partner(graph, end)
    return False


LINK_TYPES = ("SUPPLIES", "RECEIVES", "FUNDS", "DELIVERS", "SUPPORTS", "CONTRIBUTES_TO", "MEASURES", "PARTY_TO",
              "ENGAGED_IN", "WORKS_WITH")


@named_query("health_links", finish=canonical_rows("start", "type", "end", "rel"), examples=SCOPED_EXAMPLES)
def health_links(graph: nx.MultiDiGraph, as_of: str | None = None, buyer: str | None = None) -> list[dict[str, Any]]:
    """The delivery network on as_of: partners to their current contracts and grants (as supplier,
    recipient or co-funder), on to services, priorities and key indicators, and partners' charters,
    work-streams and each other. What the impact chain, dependency and cut-vertex analysis walk.
    `critical` is the end node's critical flag (services). Contracts and grants outside the buyer's
    scope, and their links, are left out."""
    scoped = scope(graph, buyer)
    return [_link(graph, start, end, rid, attrs)
            for start, end, rid, attrs in graph.edges(keys=True, data=True)
            if attrs["type"] in LINK_TYPES and _link_holds(graph, start, end, attrs, as_of, scoped)]


def _current_supplies(graph: nx.MultiDiGraph, as_of: str | None, buyer: str | None):
    """(partner, contract, contract props) for each current contract of the buyer's a partner supplies."""
    scoped = scope(graph, buyer)
    contracts = nodes(graph, "Contract") if scoped is None else ((c, graph.nodes[c]["props"]) for c in sorted(scoped)
                                                                   if graph.nodes[c]["label"] == "Contract")
    for key, contract in contracts:
        if not current(contract, as_of):
            continue
        for supplier, _, attrs in in_edges(graph, key, "SUPPLIES"):
            if partner(graph, supplier) and in_force(attrs["props"], as_of):
                yield supplier, key, contract


@named_query("health_contracts", finish=canonical_rows("partner", "contract", money=("value",)), examples=SCOPED_EXAMPLES)
def health_contracts(graph: nx.MultiDiGraph, as_of: str | None = None, buyer: str | None = None) -> list[dict[str, Any]]:
    """Each partner's current contracts: the value credited to it (its share), the contract's value,
    term, buyers, management and exit plans, and the contracts that succeed each (SUCCEEDS points
    from the successor)."""
    rows = []
    for supplier, key, c in _current_supplies(graph, as_of, buyer):
        successors = [{"key": s, "start_date": graph.nodes[s]["props"].get("start_date")}
                      for s, _, _ in in_edges(graph, key, "SUCCEEDS")]
        rows.append({"partner": supplier, "contract": key, "title": c["title"], **credited(graph, key),
                     "buyers": buyers(graph, key),
                     "start_date": c.get("start_date"), "end_date": c.get("end_date"),
                     "has_management_plan": c.get("has_management_plan"), "has_exit_plan": c.get("has_exit_plan"),
                     "kraljic_category": c.get("kraljic_category"), "successors": successors,
                     **located(graph.nodes[key])})
    return rows


@named_query("health_kpi_ratings", finish=canonical_rows("partner", "contract", "period_end", "kpi", money=("value",)),
             examples=SCOPED_EXAMPLES)
def health_kpi_ratings(graph: nx.MultiDiGraph, as_of: str | None = None, buyer: str | None = None) -> list[dict[str, Any]]:
    """Procurement Act KPI ratings on partners' current contracts of the buyer's, for periods ended by
    as_of; `value` is the partner's share of the contract's."""
    rows = []
    for supplier, key, c in _current_supplies(graph, as_of, buyer):
        for rating, _, _ in out_edges(graph, key, "RATED"):
            r = graph.nodes[rating]["props"]
            if as_of is None or r["period_end"] <= as_of:
                rows.append({"partner": supplier, "contract": key, "title": c["title"], "value": credited(graph, key)["value"],
                             "rating_key": rating, "kpi": r["kpi"], "rating": r["rating"], "period_end": r["period_end"],
                             **located(graph.nodes[rating])})
    return rows


def paid_within(payment: dict[str, Any], since: str | None, as_of: str | None) -> bool:
    """A payment made in [since, as_of]; an undated one counts only when neither bound is set."""
    paid = payment.get("paid_on")
    if since is None and as_of is None:
        return True
    return paid is not None and (since is None or paid >= since) and (as_of is None or paid <= as_of)


def payers(graph: nx.MultiDiGraph, payment: str) -> list[str | None]:
    """Who made a payment (PAID_BY); [None] when no file said."""
    return sorted(o for o, _, _ in out_edges(graph, payment, "PAID_BY")) or [None]


def payees(graph: nx.MultiDiGraph, payment: str) -> list[str]:
    return sorted(o for o, _, _ in out_edges(graph, payment, "PAID_TO"))


def paid_under(graph: nx.MultiDiGraph, key: str, payment: dict[str, Any]) -> list[tuple[str, str]]:
    """The contracts a payment pays, and how that is known: stated (PAID_UNDER), by the contract
    reference a spend line gives (a contract of the payer's with that reference), else by supplier,
    buyer and period: the one contract the payer BUYS and the payee SUPPLIES whose term covers the day
    paid (none, or several: not linked). Worked out when asked, so it holds in any load order."""
    stated = sorted({c for c, _, _ in out_edges(graph, key, "PAID_UNDER")})
    if stated:
        return [(c, "stated") for c in stated]
    bought = {c for b in payers(graph, key) if b is not None for c, _, _ in out_edges(graph, b, "BUYS")
              if graph.nodes[c]["label"] == "Contract"}
    reference = payment.get("contract_reference")
    if reference is not None:
        found = sorted(c for c in bought if graph.nodes[c]["props"].get("reference") == reference)
        if found:
            return [(c, "contract reference") for c in found]
    paid = payment.get("paid_on")
    if paid is None:
        return []
    supplied = {c for o in payees(graph, key) for c, _, _ in out_edges(graph, o, "SUPPLIES")}
    covering = [c for c in bought & supplied if (graph.nodes[c]["props"].get("start_date") or "") <= paid
                and (graph.nodes[c]["props"].get("end_date") is None or paid <= graph.nodes[c]["props"]["end_date"])]
    return [(covering[0], "supplier, buyer and period")] if len(covering) == 1 else []


def area_key(text: str) -> str:
    """How a service area, cost centre or expense type is matched (Cypher: toLower(trim(x)))."""
    return text.strip().lower()


def paid_for(graph: nx.MultiDiGraph, key: str, payment: dict[str, Any], areas: dict[str, str]) -> tuple[list[str], str | None]:
    """The services a payment is for: stated (PAID_FOR), else its service area, else its expense type
    through the council's mapping (settings/services.yaml); unmapped: no service and the area as given."""
    stated = sorted({s for s, _, _ in out_edges(graph, key, "PAID_FOR")})
    if stated:
        return stated, None
    for field in ("service_area", "expense_type"):
        text = payment.get(field)
        if text is not None and areas.get(area_key(text)) is not None:
            return [areas[area_key(text)]], None
    return [], payment.get("service_area") if payment.get("service_area") is not None else payment.get("expense_type")


def _spend_group(groups: dict, group_key: tuple, base: dict[str, Any], graph: nx.MultiDiGraph, key: str,
                 payment: dict[str, Any]) -> None:
    group = groups.setdefault(group_key, {**base, "spend": 0.0, "payments": 0, "first_paid": None, "last_paid": None,
                                          "sources": set()})
    group["spend"] += payment["amount"]
    group["payments"] += 1
    paid = payment.get("paid_on")
    if paid is not None:
        group["first_paid"] = min(paid, group["first_paid"] or paid)
        group["last_paid"] = max(paid, group["last_paid"] or paid)
    group["sources"].add(graph.nodes[key]["prov"]["source"])


def _sources_sorted(groups: dict) -> list[dict[str, Any]]:
    return [{**g, "sources": sorted(g["sources"])} for g in groups.values()]


SPEND_EXAMPLES = [{}, {"as_of": AS_OF, "since": "2025-11-01"}, {"as_of": AS_OF, "since": "2025-11-01", "buyer": HOME},
                  {"buyer": "GB-LAE-NONE"}]


@named_query("health_contract_spend", finish=canonical_rows("partner", "contract", money=("spend",)),
             examples=SPEND_EXAMPLES)
def health_contract_spend(graph: nx.MultiDiGraph, as_of: str | None = None, since: str | None = None,
                          buyer: str | None = None) -> list[dict[str, Any]]:
    """Spend under each contract of the buyer's per payee, paid in [since, as_of], and how the payments
    were linked to it (see `paid_under`): what cost compares with the contract's value."""
    groups: dict[tuple, dict[str, Any]] = {}
    scoped = scope(graph, buyer)
    for key, payment in nodes(graph, "Payment"):
        if not paid_within(payment, since, as_of):
            continue
        for contract, how in paid_under(graph, key, payment):
            if not in_scope(graph, contract, scoped):
                continue
            for payee in payees(graph, key):
                _spend_group(groups, (payee, contract), {"partner": payee, "contract": contract, "linked_by": set()},
                             graph, key, payment)
                groups[(payee, contract)]["linked_by"].add(how)
    return [{**g, "linked_by": sorted(g["linked_by"])} for g in _sources_sorted(groups)]


@named_query("health_engagements", finish=canonical_rows("partner", "held_on", "engagement"), examples=EXAMPLES)
def health_engagements(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Meetings, reviews and other contact with each partner held on or before as_of, and the posts that attended."""
    rows = []
    for key, e in nodes(graph, "Engagement"):
        if as_of is not None and e["held_on"] > as_of:
            continue
        attended = [p for p, _, _ in in_edges(graph, key, "ATTENDED")]
        for org, _, _ in out_edges(graph, key, "WITH_PARTNER"):
            if partner(graph, org):
                rows.append({"partner": org, "engagement": key, "kind": e["kind"], "held_on": e["held_on"],
                             "attended_by": attended, **located(graph.nodes[key])})
    return rows


@named_query("health_owners", finish=canonical_rows("owned", "role", "post", "rel"), examples=EXAMPLES)
def health_owners(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Which post owns what on as_of: contracts, grants and charters (MANAGES) and work-streams
    (SPONSORS, LEADS). Partner relationships' owners come with health_partners."""
    rows = []
    for post, _ in nodes(graph, "Post"):
        for owned, rid, attrs in out_edges(graph, post, *OWNER_TYPES):
            label = graph.nodes[owned]["label"]
            if label in OWNED_LABELS and in_force(attrs["props"], as_of):
                rows.append({"owned": owned, "owned_label": label, "role": attrs["type"], "post": post,
                             "title": graph.nodes[post]["props"]["title"], "rel": rid, **located(attrs)})
    return rows


@named_query("health_post_holders", finish=canonical_rows("post", "person"), examples=EXAMPLES)
def health_post_holders(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Who holds each post on as_of; a post without a row is vacant."""
    rows = []
    for post, p in nodes(graph, "Post"):
        for person, rid, attrs in in_edges(graph, post, "HOLDS"):
            if in_force(attrs["props"], as_of):
                rows.append({"post": post, "title": p["title"], "person": person,
                             "name": graph.nodes[person]["props"]["name"], "rel": rid, **located(attrs)})
    return rows


@named_query("health_charters", finish=canonical_rows("partner", "charter", "rel"), examples=EXAMPLES)
def health_charters(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[dict[str, Any]]:
    """Business charters and principles of partnership each partner is party to on as_of."""
    rows = []
    for key, c in nodes(graph, "Charter"):
        for org, rid, attrs in in_edges(graph, key, "PARTY_TO"):
            if partner(graph, org) and in_force(attrs["props"], as_of):
                rows.append({"partner": org, "charter": key, "name": c["name"], "kind": c.get("kind"),
                             "status": c.get("status"), "signed_on": c.get("signed_on"),
                             "review_date": c.get("review_date"), "joined": attrs["props"].get("valid_from"),
                             "rel": rid, **located(attrs)})
    return rows


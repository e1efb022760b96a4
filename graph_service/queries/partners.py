"""Finding partners and their golden records, and the identity facts ingest resolves against.

`partner_search` and `partner_profile` answer officers; `organisation_identities` and
`possible_matches` are what ingest/resolver.py, the buyer scope and the match review read, so identity
resolution asks both backends the same question. The embedded twins start from the store's indexes
(keys, matches), not from every organisation or edge.
"""
from __future__ import annotations

import math
from typing import Any

import networkx as nx

from graph_service.queries.graph import in_force, into, nodes, out, props, provenance, sort_key, canonical_rows
from graph_service.queries.registry import named_query
from graph_service.queries.resolver import identity
from graph_service.store.embedded import matches_touching

Row = dict[str, Any]
SEARCH_FIELDS = ("name", "aliases", "identifiers")
CONTRACT_ROLES = ("SUPPLIES", "BUYS", "FUNDS")
GRANT_ROLES = ("FUNDS", "RECEIVES")


def _texts(key: str, node: Row) -> list[str]:
    values = [key, node.get("name")] + list(node.get("aliases") or []) + list(node.get("identifiers") or [])
    return [v.lower() for v in values if v]


def _personas(graph: nx.MultiDiGraph, key: str) -> list[str]:
    return [props(graph, p)["name"] for _, p, a in graph.out_edges(key, data=True)
            if a["type"] == "HAS_PERSONA" and graph.nodes[p]["label"] == "Persona"]


@named_query("organisation_identities", finish=canonical_rows("key"),
             examples=[{}, {"keys": ["GB-LAE-DAC", "org:nobody", "GB-LAE-DAC"]}, {"is_council": True},
                       {"keys": ["GB-LAE-DAC"], "is_council": False}])
def organisation_identities(graph: nx.MultiDiGraph, keys: list[str] | None = None, is_council: bool | None = None,
                            as_of: str | None = None) -> list[Row]:
    """The names, identifiers and postcode of the organisations with these keys (None: every one, which
    only the match-keys reindex needs), only the home councils if is_council, none of them if False.

    Organisations hold no period, so as_of changes nothing here.
    """
    found = nodes(graph, "Organisation") if keys is None else (
        (k, graph.nodes[k]["props"]) for k in dict.fromkeys(keys) if k in graph and graph.nodes[k]["label"] == "Organisation")
    return [identity(key, o) for key, o in found if is_council is None or bool(o.get("is_council")) == is_council]


def _match_row(graph: nx.MultiDiGraph, start: str, end: str, attrs: Row) -> Row:
    a, b, r = props(graph, start), props(graph, end), attrs["props"]
    return {"id": r.get("match_id"), "start": start, "start_name": a["name"], "start_identifiers": a.get("identifiers") or [],
            "end": end, "end_name": b["name"], "end_identifiers": b.get("identifiers") or [],
            "score": r.get("score"), "reason": r.get("reason"), "status": r.get("status"),
            "source": attrs["prov"]["source"], "locator": attrs["prov"]["locator"]}


@named_query("possible_matches", finish=canonical_rows("status", "start", "end"),
             examples=[{}, {"status": None}, {"status": "confirmed"}])
def possible_matches(graph: nx.MultiDiGraph, status: str | None = "pending", match_id: str | None = None,
                     as_of: str | None = None) -> list[Row]:
    """Uncertain golden-record matches (all, or those with $status, or one by $match_id) for an officer.

    A match holds no period, so as_of changes nothing here.
    """
    edges = matches_touching(graph)
    found = ((u, v, graph.edges[u, v, k]) for u, v, k in edges) if edges is not None else graph.edges(data=True)
    return [_match_row(graph, start, end, attrs)
            for start, end, attrs in found
            if attrs["type"] == "POSSIBLY_SAME_AS"
            and (status is None or attrs["props"].get("status") == status)
            and (match_id is None or attrs["props"].get("match_id") == match_id)]


def _ranked(rows: list[Row]) -> list[Row]:
    return canonical_rows("rank", "name", "key")(rows)


@named_query("partner_search", finish=_ranked,
             examples=[{"q": "council"}, {"q": "LTD", "persona": "persona:contractors", "limit": 5},
                       {"q": "gb-coh-0", "limit": 3}, {"q": "", "persona": "Voluntary sector", "limit": 10}])
def partner_search(graph: nx.MultiDiGraph, q: str = "", persona: str | None = None, limit: int = 20,
                   as_of: str | None = None) -> list[Row]:
    """Organisations whose key, name, an alias or an identifier contains q (any case): exact, then prefix, then
    substring matches, then by name. persona is a Persona key or name. Persona links hold no period, so
    as_of changes nothing here."""
    needle = (q or "").lower()
    rows = []
    for key, o in nodes(graph, "Organisation"):
        texts = _texts(key, o)
        if not any(needle in t for t in texts):
            continue
        personas = _personas(graph, key)
        persona_keys = [p for _, p, a in graph.out_edges(key, data=True) if a["type"] == "HAS_PERSONA"]
        if persona is not None and persona not in persona_keys and persona.lower() not in [p.lower() for p in personas]:
            continue
        rank = 0 if needle in texts else 1 if any(t.startswith(needle) for t in texts) else 2
        rows.append({"key": key, "name": o["name"], "org_type": o.get("org_type"), "identifiers": o.get("identifiers") or [],
                     "personas": personas, "rank": rank})
    return _ranked(rows)[:limit]


def _golden(row: Row) -> Row:
    """Every name the record was published under with its sources, and its identifiers, in a fixed order."""
    row = dict(row)
    sources: dict[str, list[Row]] = {}
    for entry in row.pop("alias_sources") or []:
        name, _, rest = entry.partition(" | ")
        source, _, locator = rest.partition(" | ")
        sources.setdefault(name, []).append({"source": source, "locator": locator})
    row["aliases"] = [{"name": a, "sources": sorted(sources.get(a, []), key=sort_key("source", "locator"))}
                      for a in sorted(set(row["aliases"] or []) | set(sources))]
    row["identifiers"] = sorted(row["identifiers"] or [])
    return row


def _finish_profile(rows: list[Row]) -> list[Row]:
    """Lists in a fixed order, aliases with their sources, and spending summed here so both backends agree."""
    out = []
    for row in rows:
        row = _golden(row)
        row["personas"] = sorted(row["personas"])
        row["contracts"] = sorted(row["contracts"], key=sort_key("start_date", "key", "role", "valid_from"))
        row["grants"] = sorted(row["grants"], key=sort_key("award_date", "key", "role"))
        row["charters"] = sorted(row["charters"], key=sort_key("key", "valid_from"))
        row["matches"] = sorted(row["matches"], key=sort_key("status", "other"))
        row["relationship_holders"] = sorted(
            ({**h, "holders": sorted(h["holders"], key=sort_key("valid_from", "person"))} for h in row["relationship_holders"]),
            key=sort_key("valid_from", "post"))
        paid_to, paid_by = row.pop("paid_to"), row.pop("paid_by")
        row["spending"] = {"paid_to": _total(paid_to), "paid_by": _total(paid_by)}
        out.append(row)
    return out


def _total(amounts: list[float]) -> Row:
    return {"payments": len(amounts), "total": round(math.fsum(amounts), 2)}


def _organisation_key(graph: nx.MultiDiGraph, key: str) -> str | None:
    """The Organisation keyed `key`, else the first listing `key` among its identifiers (as when a company
    number joined a record first published by name); None when there is neither."""
    if key in graph and graph.nodes[key]["label"] == "Organisation":
        return key
    listing = sorted(k for k, o in nodes(graph, "Organisation") if key in (o.get("identifiers") or []))
    return listing[0] if listing else None


@named_query("partner_profile", finish=_finish_profile,
             examples=[{"key": "GB-LAE-DAC"}, {"key": "org:hertfordshire-lep"},
                       {"key": "GB-LAE-DAC", "as_of": "2024-06-30"}, {"key": "org:nobody"}])
def partner_profile(graph: nx.MultiDiGraph, key: str, as_of: str | None = None) -> list[Row]:
    """One organisation's golden record (the one keyed $key, else the first listing $key among its
    identifiers, as when a company number joined a record first published by name): identifiers, aliases
    with sources, personas, contracts, grants,
    charters, payments to and from it (paid by as_of), pending or decided matches, and the council posts
    holding the relationship with who holds them (relationships in force on as_of)."""
    key = _organisation_key(graph, key)
    if key is None:
        return []
    o = props(graph, key)
    contracts, grants, charters, matches, holders = [], [], [], [], []
    for _, other, attrs in graph.out_edges(key, data=True):
        kind, rel, label = attrs["type"], attrs["props"], graph.nodes[other]["label"]
        if not in_force(rel, as_of):
            continue
        target = props(graph, other)
        if kind in CONTRACT_ROLES and label == "Contract":
            contracts.append({"key": other, "title": target["title"], "role": kind, "value": target.get("value"),
                              "currency": target.get("currency"), "status": target.get("status"),
                              "start_date": target.get("start_date"), "end_date": target.get("end_date"),
                              "valid_from": rel.get("valid_from"), "valid_to": rel.get("valid_to")})
        elif kind in GRANT_ROLES and label == "Grant":
            grants.append({"key": other, "title": target["title"], "role": kind, "amount": target.get("amount"),
                           "currency": target.get("currency"), "award_date": target.get("award_date"),
                           "programme": target.get("programme")})
        elif kind == "PARTY_TO":
            charters.append({"key": other, "name": target["name"], "status": target.get("status"),
                             "valid_from": rel.get("valid_from"), "valid_to": rel.get("valid_to")})
    for start, end, attrs in [*graph.out_edges(key, data=True), *graph.in_edges(key, data=True)]:
        if attrs["type"] == "POSSIBLY_SAME_AS":
            other = end if start == key else start
            matches.append({"id": attrs["props"].get("match_id"), "other": other, "other_name": props(graph, other)["name"],
                            "status": attrs["props"].get("status"), "score": attrs["props"].get("score"),
                            "reason": attrs["props"].get("reason")})
    paid = {"PAID_TO": [], "PAID_BY": []}
    for payment, _, attrs in graph.in_edges(key, data=True):
        if attrs["type"] in paid:
            p = props(graph, payment)
            if as_of is None or (p.get("paid_on") is not None and p["paid_on"] <= as_of):
                paid[attrs["type"]].append(p["amount"])
    for post, _, attrs in graph.in_edges(key, data=True):
        if attrs["type"] == "HOLDS_RELATIONSHIP" and in_force(attrs["props"], as_of):
            people = [{"person": person, "name": props(graph, person)["name"], "valid_from": h["props"].get("valid_from"),
                       "valid_to": h["props"].get("valid_to")}
                      for person, _, h in graph.in_edges(post, data=True)
                      if h["type"] == "HOLDS" and in_force(h["props"], as_of)]
            holders.append({"post": post, "title": props(graph, post)["title"], "valid_from": attrs["props"].get("valid_from"),
                            "valid_to": attrs["props"].get("valid_to"), "holders": people})
    return [{"key": key, "name": o["name"], "org_type": o.get("org_type"), "website": o.get("website"),
             "postal_code": o.get("postal_code"), "is_council": bool(o.get("is_council")), "verified_on": o.get("verified_on"),
             "identifiers": o.get("identifiers") or [], "aliases": o.get("aliases") or [],
             "alias_sources": o.get("alias_sources") or [], "personas": _personas(graph, key),
             "contracts": contracts, "grants": grants, "charters": charters, "matches": matches,
             "relationship_holders": holders, "paid_to": paid["PAID_TO"], "paid_by": paid["PAID_BY"]}]


# -- the partners' pages: every fact with its source ----------------------------------------
PRIORITY_LINKS = ("SUPPLIES", "FUNDS", "RECEIVES", "PARTY_TO")  # not BUYS: the council buys everything


def _holders(graph: nx.MultiDiGraph, key: str, as_of: str | None) -> list[Row]:
    """The posts holding the relationship with key on as_of, each with who held the post then."""
    rows = []
    for post, _, attrs in graph.in_edges(key, data=True):
        if attrs["type"] != "HOLDS_RELATIONSHIP" or not in_force(attrs["props"], as_of):
            continue
        people = [{"person": person, "name": props(graph, person)["name"], "valid_from": h["props"].get("valid_from"),
                   "valid_to": h["props"].get("valid_to"), **provenance(h)}
                  for person, _, h in graph.in_edges(post, data=True) if h["type"] == "HOLDS" and in_force(h["props"], as_of)]
        rows.append({"post": post, "title": props(graph, post)["title"], "valid_from": attrs["props"].get("valid_from"),
                     "valid_to": attrs["props"].get("valid_to"), "people": people, **provenance(attrs)})
    return rows


def _linked(graph: nx.MultiDiGraph, key: str, kind: str, label: str, as_of: str | None, name: str = "name") -> list[Row]:
    return [{"key": other, "name": props(graph, other)[name], **provenance(attrs)}
            for _, other, attrs in graph.out_edges(key, data=True)
            if attrs["type"] == kind and graph.nodes[other]["label"] == label and in_force(attrs["props"], as_of)]


def _priorities(graph: nx.MultiDiGraph, key: str, as_of: str | None) -> list[Row]:
    found = {}
    for _, thing, attrs in graph.out_edges(key, data=True):
        if attrs["type"] in PRIORITY_LINKS and in_force(attrs["props"], as_of):
            for priority, _ in out(graph, thing, "SUPPORTS"):
                if graph.nodes[priority]["label"] == "Priority":
                    found[priority] = props(graph, priority)["name"]
    return [{"key": k, "name": n} for k, n in found.items()]


def _finish_register(rows: list[Row]) -> list[Row]:
    by_key = sort_key("key")
    return sorted(({**r, "identifiers": sorted(r["identifiers"]), "personas": sorted(r["personas"], key=by_key),
                    "workstreams": sorted(r["workstreams"], key=by_key), "priorities": sorted(r["priorities"], key=by_key),
                    "holders": sorted(({**h, "people": sorted(h["people"], key=sort_key("valid_from", "person"))}
                                       for h in r["holders"]), key=sort_key("post", "valid_from"))}
                   for r in rows), key=sort_key("name", "key"))


@named_query("partner_register", finish=_finish_register,
             examples=[{"as_of": "2026-11-01"}, {"as_of": "2019-06-01"}])
def partner_register(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Every organisation for the partners register: its personas, the work streams it is engaged in and
    the priorities its contracts, grants and charters support, the posts holding the relationship and
    who held them, counts of its contracts, grants and charters (all in force on as_of), and its source."""
    rows = []
    for key, o in nodes(graph, "Organisation"):
        count = {kind: 0 for kind in ("Contract", "Grant", "Charter")}
        for _, other, attrs in graph.out_edges(key, data=True):
            label = graph.nodes[other]["label"]
            if label in count and attrs["type"] in (*CONTRACT_ROLES, *GRANT_ROLES, "PARTY_TO") and in_force(attrs["props"], as_of):
                count[label] += 1
        rows.append({"key": key, "name": o["name"], "org_type": o.get("org_type"), "is_council": bool(o.get("is_council")),
                     "identifiers": o.get("identifiers") or [],
                     "personas": _linked(graph, key, "HAS_PERSONA", "Persona", as_of),
                     "workstreams": _linked(graph, key, "ENGAGED_IN", "Workstream", as_of),
                     "priorities": _priorities(graph, key, as_of), "holders": _holders(graph, key, as_of),
                     "contracts": count["Contract"], "grants": count["Grant"], "charters": count["Charter"],
                     **provenance(graph.nodes[key])})
    return rows


def _finish_record(rows: list[Row]) -> list[Row]:
    out_rows = []
    for row in map(_golden, rows):
        row["holders"] = sorted(({**h, "people": sorted(h["people"], key=sort_key("valid_from", "person"))}
                                 for h in row["holders"]), key=sort_key("post", "valid_from"))
        row["personas"] = sorted(row["personas"], key=sort_key("key"))
        row["contracts"] = sorted(row["contracts"], key=sort_key("start_date", "key", "role", "valid_from"))
        row["grants"] = sorted(row["grants"], key=sort_key("award_date", "key", "role"))
        row["charters"] = sorted(row["charters"], key=sort_key("key", "valid_from"))
        row["workstreams"] = sorted(row["workstreams"], key=sort_key("key", "valid_from"))
        row["engagements"] = sorted(({**x, "attendees": sorted(x["attendees"], key=sort_key("post"))}
                                     for x in row["engagements"]), key=sort_key("held_on", "key"))
        out_rows.append(row)
    return out_rows


@named_query("partner_record", finish=_finish_record,
             examples=[{"key": "GB-LAE-DAC", "as_of": "2026-11-01"}, {"key": "org:hertfordshire-lep"},
                       {"key": "org:nobody"}])
def partner_record(graph: nx.MultiDiGraph, key: str, as_of: str | None = None) -> list[Row]:
    """One organisation's page (keyed $key, else the first listing $key among its identifiers): its golden
    record (names with their sources, identifiers), personas, the posts holding the relationship and who held
    them, contracts (values too: the answer redacts them for viewers), grants, charters, work streams it is
    engaged in (in force on as_of), and engagements held by as_of with the posts that attended; each with
    its source."""
    key = _organisation_key(graph, key)
    if key is None:
        return []
    o = props(graph, key)
    contracts, grants, charters = [], [], []
    for _, other, attrs in graph.out_edges(key, data=True):
        kind, rel, label = attrs["type"], attrs["props"], graph.nodes[other]["label"]
        if not in_force(rel, as_of):
            continue
        target = props(graph, other)
        span = {"valid_from": rel.get("valid_from"), "valid_to": rel.get("valid_to"), **provenance(attrs)}
        if kind in CONTRACT_ROLES and label == "Contract":
            contracts.append({"key": other, "title": target["title"], "role": kind, "value": target.get("value"),
                              "currency": target.get("currency"), "status": target.get("status"),
                              "start_date": target.get("start_date"), "end_date": target.get("end_date"), **span})
        elif kind in GRANT_ROLES and label == "Grant":
            grants.append({"key": other, "title": target["title"], "role": kind, "amount": target.get("amount"),
                           "currency": target.get("currency"), "award_date": target.get("award_date"),
                           "programme": target.get("programme"), **provenance(attrs)})
        elif kind == "PARTY_TO" and label == "Charter":
            charters.append({"key": other, "name": target["name"], "status": target.get("status"),
                             "review_date": target.get("review_date"), **span})
    engagements = []
    for engagement, _, attrs in graph.in_edges(key, data=True):
        e = props(graph, engagement)
        if attrs["type"] == "WITH_PARTNER" and (as_of is None or e["held_on"] <= as_of):
            engagements.append({"key": engagement, "kind": e["kind"], "held_on": e["held_on"], "summary": e.get("summary"),
                                "attendees": [{"post": p, "title": props(graph, p)["title"]}
                                              for p, _ in into(graph, engagement, "ATTENDED")],
                                **provenance(graph.nodes[engagement])})
    workstreams = [{"key": w, "name": props(graph, w)["name"], "valid_from": attrs["props"].get("valid_from"),
                    "valid_to": attrs["props"].get("valid_to"), **provenance(attrs)}
                   for _, w, attrs in graph.out_edges(key, data=True)
                   if attrs["type"] == "ENGAGED_IN" and graph.nodes[w]["label"] == "Workstream"
                   and in_force(attrs["props"], as_of)]
    return [{"key": key, "name": o["name"], "org_type": o.get("org_type"), "website": o.get("website"),
             "postal_code": o.get("postal_code"), "is_council": bool(o.get("is_council")), "verified_on": o.get("verified_on"),
             "identifiers": o.get("identifiers") or [], "aliases": o.get("aliases") or [],
             "alias_sources": o.get("alias_sources") or [],
             "personas": _linked(graph, key, "HAS_PERSONA", "Persona", as_of), "holders": _holders(graph, key, as_of),
             "contracts": contracts, "grants": grants, "charters": charters, "workstreams": workstreams,
             "engagements": engagements, **provenance(graph.nodes[key])}]

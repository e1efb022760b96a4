"""The one search box: policies, partners, posts, work streams, themes, programmes, charters and (for
procurement) contracts, ranked together, typos tolerated.

Every kind is ranked by the policies' ranking (answers/policies.rank: rapidfuzz over each name once), so a
score means the same whatever the kind. Policies are also found by their keywords and initials (MTFS);
the rest by their names, aliases and identifiers only, since a partner's initials would match short words.
A policy result carries the full policy answer (where it lives, owners, review), as the search always showed.
"""
from __future__ import annotations

from pydantic import BaseModel, Field

from graph_service.answers.policies import Matched, Policy, policy_answer, rank
from graph_service.queries import ask
from graph_service.queries.graph import today
from graph_service.store.base import GraphStore

LIMIT = 20
# label: the kind as officers name it
KINDS = {"Policy": "policy", "Organisation": "partner", "Post": "post", "Workstream": "work stream",
         "Theme": "theme", "Programme": "programme", "Charter": "charter", "Contract": "contract"}
PROCUREMENT_ONLY = frozenset({"Contract"})


class Result(BaseModel):
    key: str
    label: str
    kind: str = Field(description="the kind as officers name it: policy, partner, post, work stream, ...")
    name: str
    score: float
    matched: Matched
    illustrative: bool
    policy: Policy | None = Field(None, description="a policy's full answer: where it lives, owners, review")


class SearchAnswer(BaseModel):
    query: str
    results: list[Result]
    kinds: list[str] = Field(description="the kinds searched, as officers name them")


def search(store: GraphStore, query: str, *, contracts: bool, limit: int = LIMIT,
           as_of: str | None = None) -> SearchAnswer:
    """Best matches first across every kind the caller may see (contracts only when `contracts`).
    BadRequest when the query has no letter or digit."""
    rows = [{**r, "label": "Policy"} for r in ask(store, "policy_index", as_of=as_of)]
    illustrative = {}
    for r in ask(store, "search_index", as_of=as_of):
        if r["label"] in PROCUREMENT_ONLY and not contracts:
            continue
        rows.append({"key": r["key"], "label": r["label"], "title": r["name"], "aliases": r["aliases"],
                     "keywords": (), "initialled": False})
        illustrative[r["key"]] = r["illustrative"]
    ranked = rank(query, rows, limit)
    wanted = [row["key"] for row, _, _ in ranked if row["label"] == "Policy"]
    day = as_of or today()
    policies = {r["key"]: policy_answer(r, day) for r in ask(store, "policy_register", keys=wanted, as_of=as_of)} \
        if wanted else {}
    results = []
    for row, score, matched in ranked:
        policy = policies.get(row["key"])
        results.append(Result(key=row["key"], label=row["label"], kind=KINDS[row["label"]], name=row["title"],
                              score=score, matched=Matched(**matched), policy=policy,
                              illustrative=policy.provenance.illustrative if policy else illustrative[row["key"]]))
    kinds = [kind for label, kind in KINDS.items() if contracts or label not in PROCUREMENT_ONLY]
    return SearchAnswer(query=query, results=results, kinds=kinds)


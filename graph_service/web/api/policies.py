"""Where a policy lives and who owns it, what a post holds, and the accountability gaps."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from graph_service.answers import policies
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Store, Viewer

router = APIRouter(tags=["policies"])



@router.get("/api/v1/policies")
def search_policies(store: Store, role: Viewer, as_of: AsOf = None,
                    q: Annotated[str | None, Query(max_length=200, description="title, alias, acronym or keyword; "
                                                                               "typos are tolerated")] = None,
                    limit: Annotated[int, Query(ge=1, le=100)] = 10) -> policies.PolicySearch:
    """Policies best match first (or the register in title order without q): where each lives, its
    version, dates and review status, its owner posts and their holders, and the source of every fact."""
    day = iso(as_of)
    if q and q.strip():
        results = policies.find_policies(store, q, limit=limit, as_of=day)
    else:
        results = policies.list_policies(store, limit=limit, as_of=day)
    return policies.PolicySearch(query=q, as_of=day, results=results)


@router.get("/api/v1/policies/{key:path}")
def policy(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> policies.Policy:
    """One policy, with the same facts as a search result."""
    return policies.get_policy(store, key, as_of=iso(as_of))


@router.get("/api/v1/roles/{key:path}/holdings")
def role_holdings(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> policies.PostHoldings:
    """Everything a post owns, sponsors, leads or manages (the handover list), and who holds the post."""
    return policies.get_holdings(store, key, as_of=iso(as_of))


@router.get("/api/v1/accountability/gaps")
def accountability_gaps(request: Request, store: Store, role: Viewer, as_of: AsOf = None) -> policies.GapReport:
    """Policies without officer- or member-level owners, owned by vacant posts, overdue for review or not
    verified lately, and contracts, charters, partner relationships and workstreams whose owning post is vacant."""
    return policies.accountability_gaps(store, verify_after_days=request.app.state.settings.verify_after_days,
                                        as_of=iso(as_of))

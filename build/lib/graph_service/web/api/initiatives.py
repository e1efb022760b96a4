"""Initiatives tested against the top priorities, their approval routes, commissioning
decisions against the three criteria, and key-indicator coverage (graph_service/governance.py).

Every route takes `as_of` (an ISO date): the graph as it stood that day.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from graph_service.answers import governance
from graph_service.web.deps import Procurement, Store, Viewer

router = APIRouter(prefix="/api/v1", tags=["governance"])

AsOf = Annotated[dt.date | None, Query(description="the graph as it stood on this date (ISO yyyy-mm-dd)")]


def _iso(as_of: dt.date | None) -> str | None:
    return as_of.isoformat() if as_of else None


@router.get("/initiatives")
def initiatives(store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """Every initiative: PID status, funding need, stage, who raised it, what it claims to serve,
    whether it reaches a top priority and its next approval step."""
    return {"initiatives": governance.initiatives_overview(store, _iso(as_of))}


@router.get("/initiatives/unaligned")
def unaligned(store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """Initiatives linked to none of the top priorities, which the Policy Framework would stop."""
    return {"rule": governance.rule("alignment"), "initiatives": governance.unaligned_initiatives(store, _iso(as_of))}


@router.get("/initiatives/{key:path}/alignment")
def alignment(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """Which top priorities the initiative serves, by which paths, with the provenance of every step."""
    return governance.initiative_alignment(store, key, _iso(as_of))


@router.get("/initiatives/{key:path}/approval-route")
def approval_route(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """The approval steps the New Normal Strategy sets for the initiative and where it stands."""
    return governance.initiative_route(store, key, _iso(as_of))


@router.get("/commissioning/decisions")
def commissioning_decisions(store: Store, role: Procurement, as_of: AsOf = None,
                            flagged: Annotated[bool, Query(description="only decisions missing a criterion")] = False
                            ) -> dict[str, Any]:
    """Commissioning decisions and whether each option weighed resilience, quality and cost."""
    decisions = governance.decisions_review(store, _iso(as_of))
    return {"rule": governance.rule("commissioning"),
            "decisions": [d for d in decisions if d["flag"] or not flagged]}


@router.get("/indicators/coverage")
def indicator_coverage(store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """Key indicators per top priority, and whether the set stays within the Framework's 15-20."""
    return governance.indicators_coverage(store, _iso(as_of))

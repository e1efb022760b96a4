"""Initiatives tested against the top priorities, their approval routes, commissioning
decisions against the three criteria, and key-indicator coverage (graph_service/answers/governance.py).

Every route takes `as_of` (an ISO date): the graph as it stood that day.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from graph_service.answers import governance
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Procurement, Store, Viewer

router = APIRouter(prefix="/api/v1", tags=["governance"])


class Initiatives(BaseModel):
    initiatives: list[governance.InitiativeSummary]


class Unaligned(BaseModel):
    rule: governance.Rule
    initiatives: list[governance.Alignment]


class Decisions(BaseModel):
    rule: governance.Rule
    decisions: list[governance.DecisionReview]


@router.get("/initiatives")
def initiatives(store: Store, role: Viewer, as_of: AsOf = None) -> Initiatives:
    """Every initiative: PID status, funding need, stage, who raised it, what it claims to serve,
    whether it reaches a top priority and its next approval step."""
    return Initiatives(initiatives=governance.initiatives_overview(store, iso(as_of)))


@router.get("/initiatives/unaligned")
def unaligned(store: Store, role: Viewer, as_of: AsOf = None) -> Unaligned:
    """Initiatives linked to none of the top priorities, which the Policy Framework would stop."""
    return Unaligned(rule=governance.rule("alignment"), initiatives=governance.unaligned_initiatives(store, iso(as_of)))


@router.get("/initiatives/{key:path}/alignment")
def alignment(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> governance.Alignment:
    """Which top priorities the initiative serves, by which paths, with the provenance of every step."""
    return governance.initiative_alignment(store, key, iso(as_of))


@router.get("/initiatives/{key:path}/approval-route")
def approval_route(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> governance.ApprovalRoute:
    """The approval steps the New Normal Strategy sets for the initiative and where it stands."""
    return governance.initiative_route(store, key, iso(as_of))


@router.get("/commissioning/decisions")
def commissioning_decisions(store: Store, role: Procurement, as_of: AsOf = None,
                            flagged: Annotated[bool, Query(description="only decisions missing a criterion")] = False
                            ) -> Decisions:
    """Commissioning decisions and whether each option weighed resilience, quality and cost."""
    decisions = governance.decisions_review(store, iso(as_of))
    return Decisions(rule=governance.rule("commissioning"), decisions=[d for d in decisions if d.flag or not flagged])


@router.get("/indicators/coverage")
def indicator_coverage(store: Store, role: Viewer, as_of: AsOf = None) -> governance.IndicatorCoverage:
    """Key indicators per top priority, and whether the set stays within the Framework's 15-20."""
    return governance.indicators_coverage(store, iso(as_of))

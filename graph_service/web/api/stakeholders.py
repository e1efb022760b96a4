"""The stakeholder analysis behind the maps, as JSON. What a viewer receives is computed without contract
values or health scores; the minimum health score filter needs the procurement role."""
from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from graph_service.answers.bridges import Bridges, bridges_between_partners
from graph_service.answers.stakeholders import AnalysisAnswer, analyse
from graph_service.dates import iso
from graph_service.web.deps import (DEPARTMENT, MIN_HEALTH, PAGE, PERSONA, PRIORITY, WORKSTREAM, AsOf, Buyer, Limit,
                                   Offset, Store, Viewer, next_page)

router = APIRouter(tags=["maps"])


class AnalysisPage(AnalysisAnswer):
    """The analysis with a page of its partners: `count` is every partner the filters let through."""

    count: int
    limit: int
    offset: int
    next: str | None  # the following page's URL, none after the last


@router.get("/api/v1/stakeholders")
def stakeholders(request: Request, store: Store, role: Viewer, persona: str | None = PERSONA,
                 workstream: str | None = WORKSTREAM, priority: str | None = PRIORITY,
                 department: str | None = DEPARTMENT, min_health: float | None = MIN_HEALTH, as_of: AsOf = None,
                 limit: Limit = PAGE, offset: Offset = 0) -> AnalysisPage:
    """Partners' power, interest, quadrant and the facts behind them, highest power first, a page at a time
    (scored over every partner, so a page changes no score); brokers; communities; holders."""
    analysis = analyse(store, role, as_of=iso(as_of), persona=persona, workstream=workstream, priority=priority,
                       department=department, min_health=min_health)
    count = len(analysis.partners)
    page = replace(analysis, partners=analysis.partners[offset:offset + limit])
    return AnalysisPage.model_validate({**page.to_dict(), "count": count, "limit": limit, "offset": offset,
                                        "next": next_page(request, limit, offset, count)})


@router.get("/api/v1/stakeholders/bridges")
def bridges(store: Store, role: Viewer, as_of: AsOf = None, buyer: Buyer = None) -> Bridges:
    """Partners through which others alone reach a priority (cut vertices of the delivery network)."""
    return Bridges.model_validate(bridges_between_partners(store, iso(as_of), buyer=buyer))

"""The stakeholder analysis behind the maps, as JSON. What a viewer receives is computed without contract
values or health scores; the minimum health score filter needs the procurement role."""
from __future__ import annotations

from fastapi import APIRouter

from graph_service.answers.bridges import Bridges, bridges_between_partners
from graph_service.answers.stakeholders import AnalysisAnswer, analyse
from graph_service.dates import iso
from graph_service.web.deps import DEPARTMENT, MIN_HEALTH, PERSONA, PRIORITY, WORKSTREAM, AsOf, Buyer, Store, Viewer

router = APIRouter(tags=["maps"])


@router.get("/api/v1/stakeholders")
def stakeholders(store: Store, role: Viewer, persona: str | None = PERSONA, workstream: str | None = WORKSTREAM,
                 priority: str | None = PRIORITY, department: str | None = DEPARTMENT,
                 min_health: float | None = MIN_HEALTH, as_of: AsOf = None) -> AnalysisAnswer:
    """Every partner's power, interest, quadrant and the facts behind them; brokers; communities; holders."""
    analysis = analyse(store, role, as_of=iso(as_of), persona=persona, workstream=workstream, priority=priority,
                       department=department, min_health=min_health)
    return AnalysisAnswer.model_validate(analysis.to_dict())


@router.get("/api/v1/stakeholders/bridges")
def bridges(store: Store, role: Viewer, as_of: AsOf = None, buyer: Buyer = None) -> Bridges:
    """Partners through which others alone reach a priority (cut vertices of the delivery network)."""
    return Bridges.model_validate(bridges_between_partners(store, iso(as_of), buyer=buyer))

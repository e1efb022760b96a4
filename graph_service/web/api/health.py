"""Relationship health and procurement's views (procurement role and above): a partner's score with its
evidence and history, the portfolio worst first, dated snapshots, the impact chain, expiring contracts,
spend concentration, single points of failure, Kraljic positions, commissioning by year (the pages:
web/pages/health.py and procurement.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from graph_service.dates import iso
from graph_service.web.deps import PAGE, AsOf, Buyer, Limit, Offset, Procurement, Store, next_page
from graph_service.answers import procurement
from graph_service.answers.health import shapes, snapshots
from graph_service.answers.health.report import health_report, partner_health, partner_impact, to_csv

router = APIRouter()
TAGS = ["health"]


def _snapshot_dir(request: Request) -> Path:
    return snapshots.snapshot_dir(request.app.state.settings.data_dir)


@router.get("/api/v1/health-report", tags=TAGS, response_model=None, responses={200: {
    "model": shapes.HealthReport, "content": {"text/csv": {}}, "description": "the report, or CSV with ?format=csv"}})
def report(request: Request, store: Store, role: Procurement, as_of: AsOf = None, persona: str | None = None,
           workstream: str | None = None, service: str | None = None, rating: str | None = None,
           format: Literal["json", "csv"] = "json", buyer: Buyer = None) -> dict[str, Any] | Response:
    """Every partner's score, ranked worst first, with the change since the previous snapshot. Filters take
    a key or a name; `as_of` (yyyy-mm-dd, default today) fixes the day the score is worked out for;
    `buyer` whose contracts, grants and payments count."""
    answer = health_report(store, iso(as_of), persona=persona, workstream=workstream, service=service, rating=rating,
                           snapshot_dir=_snapshot_dir(request), buyer=buyer)
    if format == "csv":
        return PlainTextResponse(to_csv(answer), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="health-{answer["as_of"]}.csv"'})
    return answer


@router.post("/api/v1/health-report/snapshots", tags=TAGS, status_code=201, response_model=shapes.SavedSnapshot, response_model_exclude_unset=True)
def save_snapshot(request: Request, store: Store, role: Procurement, as_of: AsOf = None,
                  buyer: Buyer = None) -> dict[str, Any]:
    """Score every partner (for `buyer`, default the home council) and keep the run as the dated snapshot
    later reports compare with."""
    answer = health_report(store, iso(as_of), snapshot_dir=_snapshot_dir(request), save=True, buyer=buyer)
    return {"date": answer["saved_snapshot"], "partners": len(answer["partners"]),
            "previous_snapshot": answer["previous_snapshot"], "counts": answer["counts"]}


@router.get("/api/v1/health-report/snapshots", tags=TAGS, response_model=shapes.SnapshotDates, response_model_exclude_unset=True)
def list_snapshots(request: Request, role: Procurement) -> dict[str, Any]:
    return {"dates": snapshots.dates(_snapshot_dir(request))}


@router.get("/api/v1/partners/{key:path}/health/history", tags=TAGS, response_model=shapes.PartnerHistory, response_model_exclude_unset=True)
def partner_history(key: str, request: Request, role: Procurement) -> dict[str, Any]:
    """The partner's score and rating in each saved snapshot, oldest first."""
    return {"partner": key, "history": snapshots.history(_snapshot_dir(request), key)}


@router.get("/api/v1/partners/{key:path}/health", tags=TAGS, response_model=shapes.PartnerHealth, response_model_exclude_unset=True)
def partner(key: str, request: Request, store: Store, role: Procurement, as_of: AsOf = None,
            buyer: Buyer = None) -> dict[str, Any]:
    """One partner's score: each dimension's sub-score, weight, points and evidence (source, locator, key),
    overrides, flags, the three biggest drivers of lost points, the change since the last snapshot."""
    return partner_health(store, key, iso(as_of), snapshot_dir=_snapshot_dir(request), buyer=buyer)


@router.get("/api/v1/partners/{key:path}/impact", tags=TAGS, response_model=shapes.Impact, response_model_exclude_unset=True)
def impact(key: str, store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None) -> dict[str, Any]:
    """If this partner fails, what is hit: contracts and grants, services (with their alternatives), key
    indicators, priorities and work-streams, with the posts owning each link and who holds them."""
    return partner_impact(store, key, iso(as_of), buyer=buyer)


@router.get("/api/v1/procurement/expiring-contracts", tags=["procurement"], response_model=procurement.Expiring, response_model_exclude_unset=True)
def expiring_contracts(request: Request, store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None,
                       limit: Limit = PAGE, offset: Offset = 0) -> dict[str, Any]:
    """Current contracts ending within 6, 12 and 18 months, with successor status, a page at a time, soonest
    first (`count` is all of them, the windows total them all; `next` is the following page's URL)."""
    answer = procurement.expiring(store, iso(as_of), buyer=buyer, limit=limit, offset=offset)
    return {**answer, "limit": limit, "offset": offset, "next": next_page(request, limit, offset, answer["count"])}


@router.get("/api/v1/procurement/spend-concentration", tags=["procurement"],
            response_model=procurement.Concentration, response_model_exclude_unset=True)
def spend_concentration(store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None) -> dict[str, Any]:
    """Each service's suppliers' shares of spend and its Herfindahl-Hirschman index."""
    return procurement.concentration(store, iso(as_of), buyer=buyer)


@router.get("/api/v1/procurement/single-points-of-failure", tags=["procurement"],
            response_model=procurement.SinglePoints, response_model_exclude_unset=True)
def single_points_of_failure(store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None) -> dict[str, Any]:
    return procurement.single_points_of_failure(store, iso(as_of), buyer=buyer)


@router.get("/api/v1/procurement/kraljic", tags=["procurement"], response_model=procurement.Kraljic, response_model_exclude_unset=True)
def kraljic(store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None) -> dict[str, Any]:
    """Each partner's Kraljic position (value against supply risk) and how often to review it."""
    return procurement.kraljic(store, iso(as_of), buyer=buyer)


@router.get("/api/v1/procurement/commissioning", tags=["procurement"], response_model=procurement.Commissioning, response_model_exclude_unset=True)
def commissioning(store: Store, role: Procurement, as_of: AsOf = None, buyer: Buyer = None) -> dict[str, Any]:
    """Grant and contract value let each year, in total and by persona."""
    return procurement.commissioning(store, iso(as_of), buyer=buyer)

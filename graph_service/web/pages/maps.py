"""The map pages (or their data with ?format=json|csv|graphml|gexf). Viewers may use every route: what a
viewer receives is computed without contract values or health scores, and restricted labels never appear
on a viewer's map; the minimum health score filter needs the procurement role. A browser that is not
signed in is sent to sign in (web/errors.py); a request for data gets the API's 401."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from graph_service.dates import iso
from graph_service.web.deps import (DEPARTMENT, MIN_HEALTH, PERSONA, PRIORITY, WORKSTREAM, AsOf, CompareFrom, CompareTo,
                                   Store, Viewer)
from graph_service.answers.stakeholders import Analysis, analyse, ego, policy_ownership
from visualisations import ego_view, export, grid_view, policy_view, render_html, stakeholder_view
from visualisations.diff import comparing, ego_diff, stakeholder_diff
from visualisations.render import map_csp
from visualisations.view import MapView

router = APIRouter(tags=["maps"])

HOPS = Query(2, description="how far from the centre: 1 to the configured most (ego_max_hops)")
FORMAT = Query(None, alias="format", description="json, csv, graphml or gexf for the map's data; omit for the page")


def _form(analysis: Analysis) -> dict[str, Any]:
    return {"choices": analysis.choices, "filters": analysis.filters, "health_filter": analysis.includes_contract_values}


def _comparing(compare_from: dt.date | None, compare_to: dt.date | None, as_of: dt.date | None) -> bool:
    return comparing(iso(compare_from), iso(compare_to), iso(as_of))


def _respond(view: MapView, fmt: str | None, **page: Any) -> Response:
    if fmt:
        body, media_type = export(view, fmt)
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{view.kind}.{fmt}"'})
    nonce = secrets.token_urlsafe(16)
    return HTMLResponse(render_html(view, served=True, nonce=nonce, **page),
                        headers={"Content-Security-Policy": f"{map_csp(nonce)}; frame-ancestors 'none'"})


@router.get("/maps/stakeholders", response_class=HTMLResponse)
def stakeholder_map(store: Store, role: Viewer, persona: str | None = PERSONA, workstream: str | None = WORKSTREAM,
                    priority: str | None = PRIORITY, department: str | None = DEPARTMENT,
                    min_health: float | None = MIN_HEALTH, as_of: AsOf = None,
                    compare_from: CompareFrom = None, compare_to: CompareTo = None,
                    fmt: str | None = FORMAT) -> Response:
    """Partners coloured by persona and sized by power, with the council posts that hold their relationships;
    with compare_from and compare_to, what was added, ended or changed between the two dates."""
    filters = {"persona": persona, "workstream": workstream, "priority": priority, "department": department,
               "min_health": min_health}
    if _comparing(compare_from, compare_to, as_of):
        view, analysis = stakeholder_diff(store, role, iso(compare_from), iso(compare_to), **filters)
    else:
        analysis = analyse(store, role, as_of=iso(as_of), **filters)
        view = stakeholder_view(analysis)
    return _respond(view, fmt, compare=True, **_form(analysis))


@router.get("/maps/grid", response_class=HTMLResponse)
def grid_map(store: Store, role: Viewer, persona: str | None = PERSONA, workstream: str | None = WORKSTREAM,
             priority: str | None = PRIORITY, department: str | None = DEPARTMENT,
             min_health: float | None = MIN_HEALTH, as_of: AsOf = None,
             fmt: str | None = FORMAT) -> Response:
    """The power-interest grid: manage closely, keep satisfied, keep informed, monitor."""
    analysis = analyse(store, role, as_of=iso(as_of), persona=persona, workstream=workstream, priority=priority,
                       department=department, min_health=min_health)
    return _respond(grid_view(analysis), fmt, **_form(analysis))


@router.get("/maps/ego/{key:path}", response_class=HTMLResponse)
def ego_map(key: str, store: Store, role: Viewer, hops: int = HOPS,
            as_of: AsOf = None, compare_from: CompareFrom = None,
            compare_to: CompareTo = None, fmt: str | None = FORMAT) -> Response:
    """One partner, post or other node and everything within `hops` relationships of it; with compare_from and
    compare_to, what was added, ended or changed around it between the two dates."""
    if _comparing(compare_from, compare_to, as_of):
        return _respond(ego_diff(store, key, role, iso(compare_from), iso(compare_to), hops=hops), fmt, hops=hops)
    return _respond(ego_view(ego(store, key, role, hops=hops, as_of=iso(as_of))), fmt, hops=hops)


@router.get("/maps/policy-ownership", response_class=HTMLResponse)
def policy_ownership_map(store: Store, role: Viewer, as_of: AsOf = None,
                         fmt: str | None = FORMAT) -> Response:
    """Policies, the officer and member posts and bodies that own them, and their departments."""
    return _respond(policy_view(policy_ownership(store, as_of=iso(as_of))), fmt)

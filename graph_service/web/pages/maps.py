"""The map pages (or their data with ?format=json|csv|graphml|gexf), the maps page listing saved views, and
saving a view. Viewers may use every route but saving: what a viewer receives is computed without contract
values or health scores, and restricted labels never appear on a viewer's map; the minimum health score
filter needs the procurement role; editors and above may save a view (a CSRF-checked form). A browser that
is not signed in is sent to sign in (web/errors.py); a request for data gets the API's 401."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import secrets
from functools import cache
from typing import Any

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service.access.auth import Role
from graph_service.answers import maps as saved
from graph_service.dates import iso
from graph_service.answers.bridges import bridges_between_partners as bridges_of
from graph_service.answers.illustrative import illustrative_keys
from graph_service.errors import BadRequest, NotFound
from graph_service.web.deps import (DEPARTMENT, MIN_HEALTH, PERSONA, PRIORITY, WORKSTREAM, AsOf, Caller, CompareFrom,
                                   CompareTo, Editor, Store, Viewer)
from graph_service.answers.stakeholders import Analysis, analyse, ego, policy_ownership
from graph_service.web.pages.routes import templated
from graph_service.web.security import csrf_token
from visualisations import ego_view, export, grid_view, policy_view, render_html, stakeholder_view
from visualisations.diff import comparing, ego_diff, stakeholder_diff
from visualisations.render import ASSET_FILES, asset, map_csp
from visualisations.view import MapView, mark_illustrative

router = APIRouter(tags=["maps"])

HOPS = Query(2, description="how far from the centre: 1 to the configured most (ego_max_hops)")
FORMAT = Query(None, alias="format", description="json, csv, graphml or gexf for the map's data; omit for the page")
VIEW = Query(None, alias="view", description="a saved view's key: the page opens with its focus, moved nodes and labels")
BRIDGES = "/maps/stakeholders/bridges"
MAP_KINDS = (("/maps/stakeholders", "Stakeholder map"), ("/maps/grid", "Power-interest grid"),
             ("/maps/policy-ownership", "Policy ownership"))


def _form(analysis: Analysis) -> dict[str, Any]:
    return {"choices": analysis.choices, "filters": analysis.filters, "health_filter": analysis.includes_contract_values}


def _comparing(compare_from: dt.date | None, compare_to: dt.date | None, as_of: dt.date | None) -> bool:
    return comparing(iso(compare_from), iso(compare_to), iso(as_of))


def _respond(request: Request, store: Store, role: Role, view: MapView, fmt: str | None, view_key: str | None,
             **page: Any) -> Response:
    mark_illustrative(view, illustrative_keys(store, [n.id for n in view.nodes]))
    if fmt:
        body, media_type = export(view, fmt)
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{view.kind}.{fmt}"'})
    opened = saved.saved_view(store, view_key) if view_key else None
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("view", "format")]
    form = {"csrf_token": csrf_token(request), "address": request.url.path + (f"?{urlencode(kept)}" if kept else "")}
    nonce = secrets.token_urlsafe(16)
    html = render_html(view, served=True, nonce=nonce, saved=_opened(opened), save_form=form if role >= Role.editor else None,
                       **page)
    return HTMLResponse(html, headers={"Content-Security-Policy": f"{map_csp(nonce, served=True)}; frame-ancestors 'none'"})


def _compressed(request: Request, response: Response, packed: bytes) -> Response:
    """An asset's body gzipped once (`packed`), for a browser that accepts it; the app compresses the rest."""
    if "gzip" not in request.headers.get("accept-encoding", ""):
        return response
    response.body = packed
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.body))
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _opened(view: saved.SavedView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {"name": view.name, "focus": view.focus, "positions": view.positions, "labels": view.labels,
            "saved_by": view.saved_by, "saved_at": view.saved_at}


@router.get("/maps/stakeholders", response_class=HTMLResponse)
def stakeholder_map(store: Store, role: Viewer, persona: str | None = PERSONA, workstream: str | None = WORKSTREAM,
                    priority: str | None = PRIORITY, department: str | None = DEPARTMENT,
                    min_health: float | None = MIN_HEALTH, as_of: AsOf = None,
                    compare_from: CompareFrom = None, compare_to: CompareTo = None,
                    fmt: str | None = FORMAT, view_key: str | None = VIEW, *, request: Request) -> Response:
    """Partners coloured by persona and sized by power, with the council posts that hold their relationships;
    with compare_from and compare_to, what was added, ended or changed between the two dates."""
    filters = {"persona": persona, "workstream": workstream, "priority": priority, "department": department,
               "min_health": min_health}
    if _comparing(compare_from, compare_to, as_of):
        view, analysis = stakeholder_diff(store, role, iso(compare_from), iso(compare_to), **filters)
    else:
        analysis = analyse(store, role, as_of=iso(as_of), **filters)
        view = stakeholder_view(analysis)
    bridges = BRIDGES + (f"?{urlencode({'as_of': iso(as_of)})}" if as_of else "")
    return _respond(request, store, role, view, fmt, view_key, compare=True, bridges=bridges, **_form(analysis))


@router.get(BRIDGES, response_class=HTMLResponse)
def bridges_between_partners(request: Request, store: Store, role: Viewer, as_of: AsOf = None) -> Response:
    """Partners that are the only link between others and a priority (cut vertices of the delivery network),
    each with what it connects; the stakeholder map lists them after the map. They say nothing of spend."""
    bridges = bridges_of(store, iso(as_of))["bridges"]
    connects: dict[str, dict[str, Any]] = {}
    for cut in bridges:  # one row per partner: each priority it is the only route to, for whom
        row = connects.setdefault(cut["partner"], {"partner": cut["partner"], "name": cut["name"], "priorities": []})
        row["priorities"].append({"name": cut["priority_name"] or cut["priority"], "cut_off": cut["cut_off"]})
    generated = {p["partner"] for cut in bridges for p in [cut, *cut["cut_off"]] if p["illustrative"]}
    return templated(request, role, "maps/bridges.html", "Bridges between partners", current="/maps",
                     trail=(("/", "Home"), ("/maps", "Maps"), ("/maps/stakeholders", "Stakeholder map")),
                     bridges=list(connects.values()), generated=generated, as_of=iso(as_of))


@router.get("/maps/assets/{asset_name}")
def map_asset(request: Request, asset_name: str,
              v: str | None = Query(None, description="the asset's version, as the map page names it")) -> Response:
    """The map page's scripts and styles (vis-network's and ours); at the version the page names, kept for good."""
    if asset_name not in ASSET_FILES:
        raise NotFound(f"no map asset {asset_name!r}", allowed=sorted(ASSET_FILES))
    body, media_type, version = asset(asset_name)
    cache = "public, max-age=31536000, immutable" if v == version else "no-cache"
    response = Response(body, media_type=media_type, headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"})
    return _compressed(request, response, _packed(asset_name))


@cache
def _packed(asset_name: str) -> bytes:
    return gzip.compress(asset(asset_name)[0], 9, mtime=0)


@router.get("/maps/grid", response_class=HTMLResponse)
def grid_map(store: Store, role: Viewer, persona: str | None = PERSONA, workstream: str | None = WORKSTREAM,
             priority: str | None = PRIORITY, department: str | None = DEPARTMENT,
             min_health: float | None = MIN_HEALTH, as_of: AsOf = None,
             fmt: str | None = FORMAT, view_key: str | None = VIEW, *, request: Request) -> Response:
    """The power-interest grid: manage closely, keep satisfied, keep informed, monitor."""
    analysis = analyse(store, role, as_of=iso(as_of), persona=persona, workstream=workstream, priority=priority,
                       department=department, min_health=min_health)
    return _respond(request, store, role, grid_view(analysis), fmt, view_key, **_form(analysis))


@router.get("/maps/ego/{key:path}", response_class=HTMLResponse)
def ego_map(key: str, store: Store, role: Viewer, hops: int = HOPS,
            as_of: AsOf = None, compare_from: CompareFrom = None,
            compare_to: CompareTo = None, fmt: str | None = FORMAT, view_key: str | None = VIEW, *,
            request: Request) -> Response:
    """One partner, post or other node and everything within `hops` relationships of it; with compare_from and
    compare_to, what was added, ended or changed around it between the two dates."""
    if _comparing(compare_from, compare_to, as_of):
        view = ego_diff(store, key, role, iso(compare_from), iso(compare_to), hops=hops)
    else:
        view = ego_view(ego(store, key, role, hops=hops, as_of=iso(as_of)))
    return _respond(request, store, role, view, fmt, view_key, hops=hops)


@router.get("/maps/policy-ownership", response_class=HTMLResponse)
def policy_ownership_map(store: Store, role: Viewer, as_of: AsOf = None,
                         fmt: str | None = FORMAT, view_key: str | None = VIEW, *, request: Request) -> Response:
    """Policies, the officer and member posts and bodies that own them, and their departments."""
    return _respond(request, store, role, policy_view(policy_ownership(store, as_of=iso(as_of))), fmt, view_key)


# -- saved views ---------------------------------------------------------------------------------
@router.get("/maps", response_class=HTMLResponse)
def maps_page(request: Request, store: Store, role: Viewer) -> Response:
    """The maps, and every saved view with who saved it and when."""
    views = [{**row, "link": saved.view_link(row["key"])} for row in saved.saved_views(store)]
    return templated(request, role, "maps/maps.html", "Maps and saved views", current="/maps", kinds=MAP_KINDS,
                     views=views, can_save=role >= Role.editor)


@router.get("/maps/views/{key:path}")
def open_saved_view(key: str, store: Store, role: Viewer) -> RedirectResponse:
    """A saved view's link: its map, with the view's focus, moved nodes and labels."""
    view = saved.saved_view(store, key)
    separator = "&" if "?" in view.address else "?"
    return RedirectResponse(f"{view.address}{separator}{urlencode({'view': view.key})}", status_code=303)


@router.post("/maps/views")
def save_view_form(store: Store, role: Editor, who: Caller, name: Annotated[str, Form(max_length=120)],
                   address: Annotated[str, Form(max_length=2000)], focus: Annotated[str, Form(max_length=200)] = "",
                   positions: Annotated[str, Form(max_length=400_000)] = "",
                   labels: Annotated[str, Form()] = "always") -> RedirectResponse:
    """The map page's save form: save the view, then open it by its link."""
    try:
        moved = json.loads(positions) if positions else {}
    except ValueError:
        raise BadRequest("positions are JSON: {node key: [x, y]}", field="positions") from None
    if not isinstance(moved, dict):
        raise BadRequest("positions are JSON: {node key: [x, y]}", field="positions")
    view = saved.save_view(store, name=name, address=address, who=f"{who.label} ({who.role})", focus=focus or None,
                           positions=moved, labels=labels)
    return RedirectResponse(view.link, status_code=303)

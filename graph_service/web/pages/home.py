"""The home page: what needs attention today for the caller's role, each a link with its count, the
search box, and a link to every register and map. `/?q=` still answers a search here."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.access.auth import Role
from graph_service.answers import home as answers
from graph_service.web.deps import Page, Store
from graph_service.web.pages import routes, search
from graph_service.web.pages.layout import PLACES

router = APIRouter(include_in_schema=False)


@router.get("/", response_model=None)
def home(request: Request, store: Store, role: Page, q: str | None = None) -> Response:
    if (q or "").strip():
        return search.results(request, store, role, q)
    procurement = role >= Role.procurement
    items = answers.attention(store, verify_after_days=request.app.state.settings.verify_after_days,
                              procurement_role=procurement)
    places = [(group, [(href, text) for href, text, needs in links if procurement or not needs]) for group, links in PLACES]
    places = [(group, links) for group, links in places if links]
    return routes.templated(request, role, "home/home.html", "What needs attention today", current="/", trail=(),
                            items=items, places=places, kinds=search.kinds(role))

"""/programmes and /themes: the New Normal programme (its themes, work streams, director, overseeing
bodies, objectives and initiatives) and each theme with the work streams under it."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import workstreams
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Cell, Column, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)


def _refs(prefix: str, field: str):
    return lambda r: [Cell(x.name or x.key, path_to(prefix, x.key)) for x in getattr(r, field)]


PROGRAMMES = Register("Programmes", "/programmes", default_sort="name", illustrative=lambda p: p.provenance.illustrative,
                      columns=(
    Column("name", "Programme", text=lambda p: p.name, href=lambda p: path_to("/programmes", p.key),
           source=lambda p: p.provenance.model_dump()),
    Column("themes", "Themes", cells=_refs("/themes", "themes")),
    Column("workstreams", "Work streams", cells=_refs("/workstreams", "workstreams")),
    Column("directors", "Directed by", cells=_refs("/posts", "directors")),
))
THEMES = Register("Themes", "/themes", default_sort="name", illustrative=lambda t: t.provenance.illustrative, columns=(
    Column("name", "Theme", text=lambda t: t.name, href=lambda t: path_to("/themes", t.key),
           source=lambda t: t.provenance.model_dump()),
    Column("programmes", "Programme", cells=_refs("/programmes", "programmes")),
    Column("workstreams", "Work streams", cells=_refs("/workstreams", "workstreams")),
))


@router.get("/programmes", response_model=None)
def programme_register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = PROGRAMMES.view(request.query_params, workstreams.programmes(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Programmes", intro="The council's change programmes, their themes and work streams.")


@router.get("/programmes/{key:path}", response_model=None)
def programme(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = workstreams.get_programme(store, key, iso(as_of))
    return templated(request, role, "programmes/programme.html", f"{answer.name} programme", current="/programmes",
                     trail=(("/", "Home"), ("/programmes", "Programmes")), programme=answer)


@router.get("/themes", response_model=None)
def theme_register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = THEMES.view(request.query_params, workstreams.themes(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Themes", intro="The programme's themes and the work streams under each.")


@router.get("/themes/{key:path}", response_model=None)
def theme(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = workstreams.get_theme(store, key, iso(as_of))
    return templated(request, role, "programmes/theme.html", f"{answer.name} theme", current="/themes",
                     trail=(("/", "Home"), ("/themes", "Themes")), theme=answer)

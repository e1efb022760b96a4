"""/initiatives (each initiative's alignment to the top priorities and where it stands on its approval
route, from answers/governance.py) and /indicators (the key indicators and the priorities they measure)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import governance
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Cell, Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
# where each kind a governance link names has its page
PAGES = {"Workstream": "/workstreams", "Post": "/posts", "Programme": "/programmes", "KeyIndicator": "/indicators",
         "Initiative": "/initiatives"}


def _aligned(s: governance.InitiativeSummary) -> list[Cell]:
    return [Cell("Aligned", tag="green") if s.aligned else Cell("Not aligned", tag="red")]


def _route(s: governance.InitiativeSummary) -> str:
    where = s.route.name if s.route else "route not known (no funding need recorded)"
    return f"{where}: {'complete' if s.complete else 'next ' + ', '.join(s.next)}"


INITIATIVES = Register("Initiatives", "/initiatives", default_sort="name",
                       illustrative=lambda s: s.provenance.illustrative, columns=(
    Column("name", "Initiative", text=lambda s: s.name, href=lambda s: path_to("/initiatives", s.initiative),
           source=lambda s: s.provenance.model_dump()),
    Column("raised_by", "Raised by", cells=lambda s: [Cell(w.name or w.key, path_to("/workstreams", w.key))
                                                      for w in s.raised_by]),
    Column("aligned", "Alignment", cells=_aligned, sort_value=lambda s: (s.aligned, s.name)),
    Column("pid_status", "PID", text=lambda s: s.pid_status),
    Column("stage", "Stage", text=lambda s: s.stage),
    Column("route", "Approval route", text=_route),
), filters=(Filter("aligned", "Alignment", match=lambda s, v: s.aligned == (v == "aligned"),
                   options=("aligned", "not aligned")),))

INDICATORS = Register("Key indicators", "/indicators", default_sort="name",
                      illustrative=lambda i: i.provenance.illustrative, columns=(
    Column("name", "Key indicator", text=lambda i: i.name, href=lambda i: path_to("/indicators", i.key),
           source=lambda i: i.provenance.model_dump()),
    Column("unit", "Unit", text=lambda i: i.unit),
    Column("target", "Target", text=lambda i: i.target),
    Column("priorities", "Top priorities measured", text=lambda i: [p.name or p.key for p in i.priorities]),
))


@router.get("/initiatives", response_model=None)
def initiative_register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = INITIATIVES.view(request.query_params, governance.initiatives_overview(store, iso(as_of)), keep=("as_of",))
    rule = governance.rule("alignment")
    return respond(request, role, view, "Initiatives", intro=f"Every initiative, whether it is tested against the top "
                   f"priorities (“{rule.text}”, {rule.citation.source} line {rule.citation.line}) and where it stands "
                   "on the approval route its funding need sets.")


@router.get("/initiatives/{key:path}", response_model=None)
def initiative(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    day = iso(as_of)
    route = governance.initiative_route(store, key, day)
    [summary] = [s for s in governance.initiatives_overview(store, day) if s.initiative == key]
    return templated(request, role, "initiatives/initiative.html", route.name, current="/initiatives",
                     trail=(("/", "Home"), ("/initiatives", "Initiatives")), summary=summary, route=route,
                     alignment=governance.initiative_alignment(store, key, day), pages=PAGES)


@router.get("/indicators", response_model=None)
def indicator_register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    coverage = governance.indicators_coverage(store, iso(as_of))
    view = INDICATORS.view(request.query_params, governance.indicators(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Key indicators", intro=f"{coverage.indicators} key indicators "
                   f"({coverage.size} the {coverage.range.min} to {coverage.range.max} the Policy Framework asks for), "
                   "each with the top priorities it measures.")


@router.get("/indicators/{key:path}", response_model=None)
def indicator(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = governance.get_indicator(store, key, iso(as_of))
    return templated(request, role, "initiatives/indicator.html", answer.name, current="/indicators",
                     trail=(("/", "Home"), ("/indicators", "Key indicators")), indicator=answer,
                     rule=governance.rule("key_indicators"), pages=PAGES)

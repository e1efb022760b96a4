"""/workstreams: the register and a page per work stream (Sponsor, Lead, Business Reps, objectives, initiatives)."""
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


def _posts(role: str):
    def cells(w: workstreams.Workstream) -> list[Cell]:
        return [Cell(f"{r.title} ({', '.join(h.name or h.person for h in r.holders) or 'vacant'})",
                     path_to("/posts", r.post), r.provenance.model_dump()) for r in w.posts(role)]
    return cells


WORKSTREAMS = Register("Work streams", "/workstreams", default_sort="name",
                       illustrative=lambda r: r.provenance.illustrative, columns=(
    Column("name", "Work stream", text=lambda r: r.name, href=lambda r: path_to("/workstreams", r.key),
           source=lambda r: r.provenance.model_dump()),
    Column("themes", "Theme", text=lambda r: [t.name for t in r.themes]),
    Column("sponsor", "Sponsor", cells=_posts("Sponsor")),
    Column("lead", "Lead", cells=_posts("Lead")),
    Column("reps", "Business Reps", text=lambda r: len(r.posts("Business Rep")), sort_value=lambda r: len(r.posts("Business Rep")),
           numeric=True),
    Column("objectives", "Objectives", text=lambda r: len(r.objectives), sort_value=lambda r: len(r.objectives), numeric=True),
    Column("initiatives", "Initiatives", text=lambda r: len(r.initiatives), sort_value=lambda r: len(r.initiatives),
           numeric=True),
))


@router.get("/workstreams", response_model=None)
def register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = WORKSTREAMS.view(request.query_params, workstreams.workstreams(store, as_of=iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Work streams", intro="The New Normal programme's work streams, each with "
                   "its Sponsor, Lead and Business Reps (posts, and who holds them now).")


@router.get("/workstreams/{key:path}", response_model=None)
def workstream(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = workstreams.get_workstream(store, key, iso(as_of))
    return templated(request, role, "workstreams/workstream.html", f"{answer.name} work stream",
                     current="/workstreams", trail=(("/", "Home"), ("/workstreams", "Work streams")), workstream=answer)

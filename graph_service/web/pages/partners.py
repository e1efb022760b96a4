"""/partners: the register (filter by persona, work stream and priority) and a page per partner."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.access.auth import Role
from graph_service.answers import partners
from graph_service.answers.recorded.assessments import placements
from graph_service.web.pages.forms import pending_matches
from graph_service.web.deps import AsOf, Page, Store
from graph_service.dates import iso
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Cell, Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)


def _holders(entry: partners.PartnerEntry) -> list[Cell]:
    cells = []
    for h in entry.holders:
        people = ", ".join(p.name or p.person for p in h.people) or "vacant"
        cells.append(Cell(f"{h.title} ({people})", path_to("/posts", h.post), h.provenance.model_dump()))
    return cells


PARTNERS = Register("Partners", "/partners", default_sort="name",
                    illustrative=lambda r: r.provenance.illustrative, columns=(
    Column("name", "Partner", text=lambda r: r.name, href=lambda r: path_to("/partners", r.key),
           source=lambda r: r.provenance.model_dump()),
    Column("personas", "Personas", text=lambda r: [p.name for p in r.personas]),
    Column("holders", "Relationship held by", cells=_holders),
    Column("workstreams", "Work streams", cells=lambda r: [Cell(w.name or w.key, path_to("/workstreams", w.key))
                                                          for w in r.workstreams]),
    Column("priorities", "Priorities supported", text=lambda r: r.priorities),
    Column("contracts", "Contracts", text=lambda r: r.contracts, sort_value=lambda r: r.contracts, numeric=True),
    Column("grants", "Grants", text=lambda r: r.grants, sort_value=lambda r: r.grants, numeric=True),
), filters=(
    Filter("persona", "Persona", match=lambda r, v: v in [p.name for p in r.personas],
           values=lambda r: [p.name for p in r.personas]),
    Filter("workstream", "Work stream", match=lambda r, v: v in [w.name for w in r.workstreams],
           values=lambda r: [w.name for w in r.workstreams]),
    Filter("priority", "Priority", match=lambda r, v: v in r.priorities, values=lambda r: r.priorities),
))


@router.get("/partners", response_model=None)
def register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = PARTNERS.view(request.query_params, partners.partner_register(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Partners", intro="Every organisation the council works with: its personas, "
                   "the council post that holds the relationship (and who holds that post), the work streams it is "
                   "engaged in and the priorities its contracts, grants and charters support.")


@router.get("/partners/{key:path}", response_model=None)
def partner(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    record = partners.get_partner(store, key, role, iso(as_of))
    return templated(request, role, "partners/partner.html", record.name, current="/partners",
                     trail=(("/", "Home"), ("/partners", "Partners")), partner=record, health=role >= Role.procurement,
                     assessment=placements(store, record.key).get(record.key),
                     matches=pending_matches(store, record.key) if role >= Role.procurement else [])

"""/policies: the register (where each lives, version, review date and status, owners; overdue reviews
first) and a page per policy."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import policies
from graph_service.answers.policies import ROLE_FIELDS, Policy, holder_summary
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Cell, Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
ROLE_HEADINGS = {field: field.replace("_", " ").capitalize() for field in ROLE_FIELDS.values()}
REVIEW_ORDER = ("overdue", "due", "current", "none")  # overdue reviews first
REVIEW_TAGS = {"overdue": "red", "due": "yellow", "current": "green", "none": "grey"}


def _owners(field: str):
    def cells(p: Policy) -> list[Cell]:
        return [Cell(f"{o.title} ({holder_summary(o)})", path_to("/posts", o.post), o.provenance.model_dump())
                for o in p.owners(field)]
    return cells


def _location(p: Policy) -> str | None:
    return ", section ".join(filter(None, (p.document_location, p.section))) or None


POLICIES = Register("Policies", "/policies", default_sort="review", illustrative=lambda p: p.provenance.illustrative,
                    columns=(
    Column("title", "Policy", text=lambda p: p.title, href=lambda p: path_to("/policies", p.key),
           source=lambda p: p.provenance.model_dump()),
    Column("location", "Where it lives", text=_location),
    Column("version", "Version", text=lambda p: p.version),
    Column("review_date", "Review date", text=lambda p: p.review.shown, sort_value=lambda p: p.review.due_by),
    Column("review", "Review", cells=lambda p: [Cell(p.review.label[:1].upper() + p.review.label[1:],
                                                     tag=REVIEW_TAGS[p.review.status])],
           sort_value=lambda p: (REVIEW_ORDER.index(p.review.status), p.review.due_by or "9999", p.title)),
    *(Column(field, heading, cells=_owners(field), sortable=False) for field, heading in ROLE_HEADINGS.items()),
), filters=(Filter("status", "Review", match=lambda p, v: p.review.status == v, options=REVIEW_ORDER),))


@router.get("/policies", response_model=None)
def register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = POLICIES.view(request.query_params, policies.all_policies(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Policies", intro="The council's policies and strategies, overdue reviews "
                   "first: where each document lives, its version, when it is due for review, and the posts that "
                   "own it (and who holds them now).")


@router.get("/policies/{key:path}", response_model=None)
def policy(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = policies.get_policy(store, key, iso(as_of))
    return templated(request, role, "policies/policy.html", answer.title, current="/policies",
                     trail=(("/", "Home"), ("/policies", "Policies")), policy=answer, role_headings=ROLE_HEADINGS,
                     holder_summary=holder_summary)

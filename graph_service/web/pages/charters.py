"""The charters register (/charters) and a page per charter: parties, signed, review due, lapsed."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import charters
from graph_service.web.deps import Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)


def _row(charter: charters.Charter) -> dict[str, Any]:
    return {**charter.model_dump(), "illustrative": charter.provenance.illustrative,
            "partner_count": len(charter.partners),
            "standing": f"lapsed ({charter.lapsed_because})" if charter.lapsed else (charter.status or "not recorded")}


CHARTERS = Register("Charters", "/charters", columns=(
    Column("name", "Charter", href=lambda r: path_to("/charters", r["key"]), source=lambda r: r["provenance"]),
    Column("kind", "Kind"),
    Column("standing", "Status", sort_value=lambda r: (not r["lapsed"], r["review_date"] or "9999", r["name"])),
    Column("signed_on", "Signed"),
    Column("review_date", "Review due"),
    Column("partner_count", "Partners", numeric=True, sort_value=lambda r: r["partner_count"]),
    Column("managers", "Managed by", text=lambda r: [m["name"] for m in r["managers"]]),
), filters=(Filter("lapsed", "Lapsed", match=lambda r, v: r["lapsed"] == (v == "lapsed"), options=("lapsed", "not lapsed")),),
    default_sort="standing")


@router.get("/charters", response_model=None)
def charter_register(request: Request, store: Store, role: Page) -> Response:
    view = CHARTERS.view(request.query_params, [_row(c) for c in charters.charters(store)])
    return respond(request, role, view, "Charters",
                   intro="Business charters and principles of partnership, lapsed first: a charter lapses when its "
                         "record says so or its review date has passed.")


@router.get("/charters/{key:path}", response_model=None)
def charter_page(key: str, request: Request, store: Store, role: Page) -> Response:
    charter = charters.get_charter(store, key)
    return templated(request, role, "charters/charter.html", charter.name, current="/charters",
                     trail=(("/", "Home"), ("/charters", "Charters")), charter=charter)

"""Accountability gaps as a register (/gaps): vacant owners, missing owners, overdue reviews, unverified records."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import policies
from graph_service.web.deps import Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Column, Filter, Register, respond

router = APIRouter(include_in_schema=False)
PAGES = {"policy": "/policies", "charter": "/charters", "contract": "/contracts", "grant": "/grants",
         "partner relationship": "/partners"}
ORDER = list(policies.GAP_REASONS)


def _row(gap: policies.Gap) -> dict[str, Any]:
    return gap.model_dump()  # its `illustrative`: the gap rests on generated data


GAPS = Register("Accountability gaps", "/gaps", columns=(
    Column("reason", "Gap", text=lambda r: r["reason_text"],
           sort_value=lambda r: (ORDER.index(r["reason"]), r["since"] or "9999")),
    Column("kind", "Kind"),
    Column("name", "What", text=lambda r: r["name"] or r["key"],
           href=lambda r: path_to(PAGES[r["kind"]], r["key"]) if r["kind"] in PAGES else None),
    Column("detail", "Detail"),
    Column("since", "Since"),
    Column("post", "Post", text=lambda r: r["post"]["title"] if r["post"] else None,
           href=lambda r: path_to("/posts", r["post"]["key"]) if r["post"] else None),
), filters=(Filter("reason", "Gap", match=lambda r, v: r["reason_text"] == v, options=tuple(policies.GAP_REASONS.values())),
            Filter("kind", "Kind", match=lambda r, v: r["kind"] == v, values=lambda r: [r["kind"]])),
    default_sort="reason")


@router.get("/gaps", response_model=None)
def gaps(request: Request, store: Store, role: Page) -> Response:
    report = policies.accountability_gaps(store, verify_after_days=request.app.state.settings.verify_after_days)
    return respond(request, role, GAPS.view(request.query_params, [_row(g) for g in report.gaps]), "Accountability gaps",
                   intro=f"As of {report.as_of}: what has no owner, a vacant owner, an overdue review, or has not been "
                         f"verified in {report.verify_after_days} days.")

"""What changed between two dates, with the provenance of each change."""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request

from graph_service.answers.graph import Changes
from graph_service.web.deps import PAGE, DateFrom, DateTo, Limit, Offset, Store, Viewer, next_page
from graph_service.errors import BadRequest
from graph_service.access.redaction import redact_change
from graph_service.queries import ask

router = APIRouter(prefix="/api/v1", tags=["history"])


@router.get("/changes", response_model=Changes, response_model_exclude_unset=True)
def changes(request: Request, store: Store, role: Viewer,
            date_from: DateFrom, date_to: DateTo = None,
            partner: str | None = None, persona: str | None = None,
            workstream: str | None = None, policy: str | None = None,
            limit: Limit = PAGE, offset: Offset = 0) -> dict[str, Any]:
    """Relationships that began or ended, and values replaced, after `from` and up to `to`, a page at a time
    (`count` is all of them; `next` is the following page's URL)."""
    date_to = date_to or dt.date.today()
    if date_to < date_from:
        raise BadRequest(f"'to' ({date_to}) is before 'from' ({date_from})")
    rows = ask(store, "changed_facts", date_from=date_from.isoformat(), date_to=date_to.isoformat(),
                     partner=partner, persona=persona, workstream=workstream, policy=policy)
    visible = [c for c in (redact_change(row, role) for row in rows) if c is not None]
    return {"from": date_from, "to": date_to, "count": len(visible), "changes": visible[offset:offset + limit],
            "offset": offset, "limit": limit, "next": next_page(request, limit, offset, len(visible))}

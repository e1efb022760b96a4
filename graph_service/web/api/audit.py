"""The audit log of writes (procurement role and above): who loaded which file or decided which match, and when."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from graph_service.access import audit
from graph_service.answers.audit import AuditLog
from graph_service.web.deps import Procurement, Since

router = APIRouter()


@router.get("/api/v1/audit", tags=["audit"], response_model=AuditLog, response_model_exclude_unset=True)
def audit_log(request: Request, role: Procurement,
              action: audit.Action | None = None,
              since: Since = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """The newest `limit` entries, newest first: when, who (key label, role and a short hash of the key,
    never the key), the file with its size and SHA-256 and the ingest report's counts, or the match decided."""
    found = audit.entries(request.app.state.settings.data_dir, action=action, since=since, limit=limit)
    return {"count": len(found), "entries": found[::-1]}

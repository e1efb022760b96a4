"""The shape of the audit log's answer (access/audit.py writes and reads the entries)."""
from __future__ import annotations

from typing import Any

from graph_service.answers import Answer


class AuditEntry(Answer):
    """Who (key label, role, a short hash of the key) did what, when and through which door; an ingest names
    the file and its counts, a match decision the pair and the status it replaced."""

    at: str
    action: str
    via: str
    who: dict[str, Any]
    file: dict[str, Any] | None = None
    format: str | None = None
    changes: dict[str, int] | None = None
    error: str | None = None
    match: dict[str, Any] | None = None


class AuditLog(Answer):
    count: int
    entries: list[AuditEntry]

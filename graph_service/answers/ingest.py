"""The shape of an ingest report as the API answers it (ingest/ builds it): a file's, or a folder's or zip's
with each file's under `files`."""
from __future__ import annotations

from graph_service.answers import Answer


class Rejected(Answer):
    source: str
    locator: str
    field: str
    reason: str


class IngestAnswer(Answer):
    source: str
    format: str
    items: int
    created: int
    updated: int
    unchanged: int
    rejected: list[Rejected]
    error: str | None
    exit_code: int
    skipped: dict[str, int]
    notes: list[str] | None = None  # a file's: what the reader decided
    not_data: list[str] | None = None  # a folder's or zip's: files that hold no data
    files: list["IngestAnswer"] | None = None

"""The shape of a possible same-organisation pair (the `possible_matches` query's row)."""
from __future__ import annotations

from graph_service.answers import Answer


class PossibleMatch(Answer):
    id: str | None
    start: str
    start_name: str | None
    start_identifiers: list[str]
    end: str
    end_name: str | None
    end_identifiers: list[str]
    score: float | None
    reason: str | None
    status: str | None
    source: str | None
    locator: str | None

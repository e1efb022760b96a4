"""Uncertain golden-record matches: procurement (who may see them) reviews and decides them; admin may too."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request

from graph_service.access import audit
from graph_service.answers.matches import PossibleMatch
from graph_service.web.deps import Caller, Procurement, Store
from graph_service.ingest.resolver import CONFIRMED, REJECTED
from graph_service.queries import ask

router = APIRouter()


@router.get("/api/v1/matches", tags=["partners"], response_model=list[PossibleMatch], response_model_exclude_unset=True)
def list_matches(store: Store, role: Procurement,
                 status: Literal["pending", "confirmed", "rejected", "all"] = "pending") -> list[dict[str, Any]]:
    """Possible same-organisation pairs ingest kept apart, with score and reason (pending by default)."""
    return ask(store, "possible_matches", status=None if status == "all" else status)


@router.post("/api/v1/matches/{match_id}/confirm", tags=["partners"], response_model=PossibleMatch, response_model_exclude_unset=True)
def confirm_match(match_id: str, request: Request, store: Store, role: Procurement, who: Caller) -> dict[str, Any]:
    """The two records are one organisation: later files naming it resolve to one golden record."""
    return audit.decide_match(store, request.app.state.settings.data_dir, who, "api", match_id, CONFIRMED,
                              f"POST /api/v1/matches/{match_id}/confirm")


@router.post("/api/v1/matches/{match_id}/reject", tags=["partners"], response_model=PossibleMatch, response_model_exclude_unset=True)
def reject_match(match_id: str, request: Request, store: Store, role: Procurement, who: Caller) -> dict[str, Any]:
    """The two records are different organisations: ingest will not propose the pair again."""
    return audit.decide_match(store, request.app.state.settings.data_dir, who, "api", match_id, REJECTED,
                              f"POST /api/v1/matches/{match_id}/reject")

"""Posts for the officers' pages: every post's handover list (what it owns, sponsors, manages and holds)
and who held it when, built on role_holdings through answers/policies.holdings_answer."""
from __future__ import annotations

from graph_service.answers.policies import PostHoldings, get_holdings, holdings_answer
from graph_service.queries import ask
from graph_service.queries.graph import today
from graph_service.store.base import GraphStore

__all__ = ["post_register", "get_holdings"]


def post_register(store: GraphStore, as_of: str | None = None) -> list[PostHoldings]:
    """Every post with its holders and holdings on as_of (today when not given)."""
    return [holdings_answer(row, as_of or today()) for row in ask(store, "role_holdings", as_of=as_of)]

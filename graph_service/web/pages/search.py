"""Search results for the one search box (`/?q=`: pages/home.py owns `/` and hands a query here)."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from graph_service.access.auth import Role
from graph_service.answers import search as answers
from graph_service.answers.policies import holder_summary
from graph_service.errors import BadRequest
from graph_service.store.base import GraphStore
from graph_service.web.pages.routes import templated

# where each kind has its page
PAGES = {"Policy": "/policies", "Organisation": "/partners", "Post": "/posts", "Workstream": "/workstreams",
         "Theme": "/themes", "Programme": "/programmes", "Charter": "/charters", "Contract": "/contracts"}
MAX_QUERY = 200


def kinds(role: Role) -> list[str]:
    return [kind for label, kind in answers.KINDS.items()
            if role >= Role.procurement or label not in answers.PROCUREMENT_ONLY]


def results(request: Request, store: GraphStore, role: Role, q: str) -> Response:
    query = q.strip()[:MAX_QUERY]
    procurement = role >= Role.procurement
    try:
        answer = answers.search(store, query, contracts=procurement)
    except BadRequest:  # punctuation only: nothing to match
        answer = answers.SearchAnswer(query=query, results=[], kinds=kinds(role))
    return templated(request, role, "search/search.html", f"Search: {query}", current="/", answer=answer,
                     query=query, kinds=answer.kinds, pages=PAGES, limit=answers.LIMIT, holder_summary=holder_summary)

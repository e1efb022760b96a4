"""/posts: the register of posts and a page per post (the handover list and who held it when).
/roles/{key}, the page's old address, redirects here."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from graph_service.answers import posts
from graph_service.answers.policies import holder_summary
from graph_service.dates import iso
from graph_service.web.deps import AsOf, Page, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Column, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
# where each kind of holding has its page
PAGES = {"Policy": "/policies", "Workstream": "/workstreams", "Organisation": "/partners", "Contract": "/contracts",
         "Charter": "/charters", "Grant": "/grants", "Initiative": "/initiatives", "Programme": None}


def _count(category: str):
    return lambda r: sum(h.category == category for h in r.holdings)


POSTS = Register("Posts", "/posts", default_sort="title", illustrative=lambda r: r.provenance.illustrative, columns=(
    Column("title", "Post", text=lambda r: r.title or r.post, href=lambda r: path_to("/posts", r.post),
           source=lambda r: r.provenance.model_dump()),
    Column("departments", "Departments", text=lambda r: [d.name for d in r.departments]),
    Column("held_by", "Held by", text=holder_summary),
    *(Column(category.replace(" ", "_"), category.capitalize(), text=_count(category), sort_value=_count(category),
             numeric=True) for category in ("policies", "workstreams", "contracts", "grants", "charters",
                                            "partner relationships")),
))


@router.get("/posts", response_model=None)
def register(request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    view = POSTS.view(request.query_params, posts.post_register(store, iso(as_of)), keep=("as_of",))
    return respond(request, role, view, "Posts", intro="Council posts and member positions: who holds each, and "
                   "how much it holds (the handover list when the holder changes). Ownership belongs to the post.")


@router.get("/posts/{key:path}", response_model=None)
def post(key: str, request: Request, store: Store, role: Page, as_of: AsOf = None) -> Response:
    answer = posts.get_holdings(store, key, iso(as_of))
    categories: dict[str, list] = {}
    for held in answer.holdings:
        categories.setdefault(held.category, []).append(held)
    return templated(request, role, "posts/post.html", answer.title or answer.post, current="/posts",
                     trail=(("/", "Home"), ("/posts", "Posts")), post=answer, categories=categories,
                     summary=holder_summary(answer), pages=PAGES)


@router.get("/roles/{key:path}", response_model=None)
def old_address(key: str, request: Request) -> RedirectResponse:
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(path_to("/posts", key) + query, status_code=301)

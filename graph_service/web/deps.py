"""Dependencies shared by the routes: the store, and who is calling (an API key's identity and role) from
`Authorization: Bearer KEY` or, for a browser, the session cookie set at sign-in."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Callable

from fastapi import Depends, Query, Request

from graph_service.access.audit import Actor
from graph_service.access.auth import Identity, Role
from graph_service.store.base import GraphStore
from graph_service.dates import parse_day
from graph_service.errors import BadRequest, Forbidden, Unauthorised

SESSION_COOKIE = "graph_service_session"


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def bearer_key(request: Request) -> str:
    """The key sent as `Authorization: Bearer KEY` ("" if none): such a request is not cookie-authenticated."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def caller_identity(request: Request) -> Identity | None:
    """Whose key or session sent the request (None for neither); Unauthorised for one that does not work."""
    if not hasattr(request.state, "identity"):  # once per request
        key = bearer_key(request)
        token = request.cookies.get(SESSION_COOKIE, "")
        if key:
            identity = request.app.state.keys.identify(key)
        elif token:
            identity = request.app.state.sessions.identify(token)
        else:
            identity = None
        request.state.identity = identity
    return request.state.identity


def caller_role(request: Request) -> Role | None:
    identity = caller_identity(request)
    return identity.role if identity else None


def caller(request: Request) -> Actor:
    """Who is calling, for the audit log: the key's name, role and id (its short hash; never the key)."""
    identity = caller_identity(request)
    if identity is None:
        raise Unauthorised("send an API key as 'Authorization: Bearer KEY'")
    return Actor(label=identity.name, role=identity.role.name, key=identity.id)


def require(minimum: Role) -> Callable[[Request], Role]:
    def check(request: Request) -> Role:
        role = caller_role(request)
        if role is None:
            raise Unauthorised("send an API key as 'Authorization: Bearer KEY'")
        if role < minimum:
            raise Forbidden(f"this needs the {minimum.name} role; your key has {role.name}")
        return role

    return check


class SignInFirst(Exception):
    """A page asked for without a working key or session: web/errors.py answers it with the sign-in page,
    which comes back to the page asked for."""


PROCUREMENT_PAGE = "Contract values, spend and relationship health need the procurement role."


def page_role(minimum: Role = Role.viewer, refusal: str | None = None) -> Callable[[Request], Role]:
    """A page's caller: signed in (else SignInFirst, even for its CSV) with at least `minimum` (else a 403
    page saying `refusal`)."""
    def check(request: Request) -> Role:
        try:
            role = caller_role(request)
        except Unauthorised:  # an expired or revoked session: sign in again
            role = None
        if role is None:
            raise SignInFirst()
        if role < minimum:
            raise Forbidden(refusal or f"this page needs the {minimum.name} role; you are signed in as {role.name}")
        return role

    return check


Store = Annotated[GraphStore, Depends(get_store)]
Page = Annotated[Role, Depends(page_role())]  # every HTML page
ProcurementPage = Annotated[Role, Depends(page_role(Role.procurement, PROCUREMENT_PAGE))]
Viewer = Annotated[Role, Depends(require(Role.viewer))]
Editor = Annotated[Role, Depends(require(Role.editor))]  # records facts and judgement; sees what a viewer sees
Procurement = Annotated[Role, Depends(require(Role.procurement))]
Admin = Annotated[Role, Depends(require(Role.admin))]
Caller = Annotated[Actor, Depends(caller)]  # beside a role: `role: Admin, who: Caller`


def _day(name: str, description: str, required: bool = False) -> Callable[..., dt.date | None]:
    """A date query parameter, parsed once here: a bad one is a 400 in the one error shape."""

    def parse(value: str = Query("", alias=name, description=f"{description} (YYYY-MM-DD; pages also take DD/MM/YYYY or 1 December 2026)",
                                 json_schema_extra={"format": "date"})) -> dt.date | None:
        day = parse_day(value, name)
        if required and day is None:
            raise BadRequest(f"{name} is required: a date as YYYY-MM-DD", field=name)
        return day

    return parse


AsOf = Annotated[dt.date | None, Depends(_day("as_of", "the graph as it stood on this day (default: today)"))]
Buyer = Annotated[str | None, Query(max_length=200, description="an organisation's key, or 'all' (default: the home council)")]
CompareFrom = Annotated[dt.date | None, Depends(_day(
    "compare_from", "with compare_to: show what was added, ended or changed since this date"))]
CompareTo = Annotated[dt.date | None, Depends(_day("compare_to", "with compare_from: the later date of the comparison"))]
DateFrom = Annotated[dt.date, Depends(_day("from", "the first day", required=True))]
DateTo = Annotated[dt.date | None, Depends(_day("to", "the last day (default: today)"))]
Since = Annotated[dt.date | None, Depends(_day("since", "only entries on or after this day (UTC)"))]

# A page of a long answer (changes, expiring contracts, stakeholders): a county has tens of thousands of rows.
Limit = Annotated[int, Query(ge=1, le=1000, description="how many a page (at most 1,000)")]
Offset = Annotated[int, Query(ge=0, description="how many to skip")]
PAGE = 200  # a page's default size


def next_page(request: Request, limit: int, offset: int, count: int) -> str | None:
    """The following page's URL, none after the last."""
    return str(request.url.include_query_params(offset=offset + limit)) if offset + limit < count else None


# The stakeholder analysis's filters: the maps' pages and the JSON route take the same ones.
PERSONA = Query(None, description="a persona key, e.g. persona:contractors")
WORKSTREAM = Query(None, description="a work-stream key: partners engaged in or contributing to it")
PRIORITY = Query(None, description="a priority key: partners it depends on or that link to it")
DEPARTMENT = Query(None, description="a department key: partners whose relationship holders sit in it")
MIN_HEALTH = Query(None, ge=0, le=100, description="procurement only: partners with at least this health score")

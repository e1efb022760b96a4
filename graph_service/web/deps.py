"""Dependencies shared by the routes: the store, and the caller's role (and, for the audit log, who they are)
from their API key."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Callable

from fastapi import Depends, Query, Request

from graph_service.access.audit import Actor, key_hash
from graph_service.access.auth import Role
from graph_service.store.base import GraphStore
from graph_service.dates import parse_day
from graph_service.errors import BadRequest, Forbidden, Unauthorised

KEY_COOKIE = "graph_service_key"


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def _sent_key(request: Request) -> str:
    """The key sent as `Authorization: Bearer KEY` or in the sign-in cookie ("" if none)."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key:
        key = request.cookies.get(KEY_COOKIE, "")
    return key.strip() if key else ""


def caller_role(request: Request) -> Role | None:
    """The role of the key sent as `Authorization: Bearer KEY` or in the sign-in cookie."""
    key = _sent_key(request)
    if not key:
        return None
    role = request.app.state.keys.role_of(key)
    if role is None:
        raise Unauthorised("the API key is not recognised")
    return role


def caller(request: Request) -> Actor:
    """Who is calling, for the audit log: the key's label and role and a short hash of it (never the key)."""
    key = _sent_key(request)
    found = request.app.state.keys.identify(key) if key else None
    if found is None:
        raise Unauthorised("send an API key as 'Authorization: Bearer KEY'")
    return Actor(label=found[1], role=found[0].name, key=key_hash(key))


def require(minimum: Role) -> Callable[[Request], Role]:
    def check(request: Request) -> Role:
        role = caller_role(request)
        if role is None:
            raise Unauthorised("send an API key as 'Authorization: Bearer KEY'")
        if role < minimum:
            raise Forbidden(f"this needs the {minimum.name} role; your key has {role.name}")
        return role

    return check


Store = Annotated[GraphStore, Depends(get_store)]
Viewer = Annotated[Role, Depends(require(Role.viewer))]
Procurement = Annotated[Role, Depends(require(Role.procurement))]
Admin = Annotated[Role, Depends(require(Role.admin))]
Caller = Annotated[Actor, Depends(caller)]  # beside a role: `role: Admin, who: Caller`


def _day(name: str, description: str, required: bool = False) -> Callable[..., dt.date | None]:
    """A date query parameter, parsed once here: a bad one is a 400 in the one error shape."""

    def parse(value: str = Query("", alias=name, description=f"{description} (YYYY-MM-DD)",
                                 json_schema_extra={"format": "date"})) -> dt.date | None:
        day = parse_day(value, name)
        if required and day is None:
            raise BadRequest(f"{name} is required: a date as YYYY-MM-DD", field=name)
        return day

    return parse


AsOf = Annotated[dt.date | None, Depends(_day("as_of", "the graph as it stood on this day (default: today)"))]
CompareFrom = Annotated[dt.date | None, Depends(_day(
    "compare_from", "with compare_to: show what was added, ended or changed since this date"))]
CompareTo = Annotated[dt.date | None, Depends(_day("compare_to", "with compare_from: the later date of the comparison"))]
DateFrom = Annotated[dt.date, Depends(_day("from", "the first day", required=True))]
DateTo = Annotated[dt.date | None, Depends(_day("to", "the last day (default: today)"))]

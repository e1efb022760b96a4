"""Signing in once, the pages' static files, and the helpers every page module renders through.

The key is posted once to /sign-in; the browser then holds a server-side session token (HttpOnly,
SameSite=Strict cookie, access/sessions.py), never the key, and deps.caller_identity reads it, so the
pages use the same keys and roles as the API. Sign-out (POST only) ends the session on the server.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service.web.deps import SESSION_COOKIE
from graph_service.access.auth import Role
from graph_service.access.sessions import MAX_AGE
from graph_service.errors import NotFound, Unauthorised
from graph_service.web.pages import views
from graph_service.web.pages.layout import SECURITY_HEADERS, STATIC, page, render
from graph_service.web.security import csrf_token, new_presession, presession_cookie

router = APIRouter(include_in_schema=False)


def _html(request: Request, title: str, body: str, role: Role | None = None, status: int = 200,
          **where: Any) -> HTMLResponse:
    """`where`: the header link that is this page (`current`) and the breadcrumb above it (`trail`)."""
    return HTMLResponse(page(title, body, signed_in=role.name if role else None, csrf_token=csrf_token(request),
                             **where), status_code=status, headers=SECURITY_HEADERS)


def templated(request: Request, role: Role, template: str, title: str, *, status: int = 200,
              **context: Any) -> HTMLResponse:
    """A template's page for a signed-in caller: their role in the header, the CSRF token for its forms, and
    the security headers; `context` goes to the template (`current`, `trail` and the page's own values)."""
    return HTMLResponse(render(template, title, signed_in=role.name, csrf_token=csrf_token(request), **context),
                        status_code=status, headers=SECURITY_HEADERS)


def _safe_next(next_path: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//") or "\\" in next_path:
        return "/"
    return next_path


# Every file under web/static/, read once: the pages' stylesheets and GOV.UK Frontend's licence and version.
STATIC_FILES = {path.relative_to(STATIC).as_posix(): path.read_bytes() for path in sorted(STATIC.rglob("*"))
                if path.is_file()}
MEDIA_TYPES = {".css": "text/css"}


@router.get("/static/{file:path}")
def static_file(file: str) -> Response:
    if file not in STATIC_FILES:
        raise NotFound(f"no file {file!r} in the pages' static files")
    return Response(STATIC_FILES[file], media_type=MEDIA_TYPES.get(Path(file).suffix, "text/plain"),
                    headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (the GOV.UK one is the crown, which is not ours to use): an empty answer, not a 404 in every console."""
    return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    new_presession(request)
    response = _html(request, "Sign in", views.sign_in_page(_safe_next(next), csrf_token=csrf_token(request)),
                     trail=())
    presession_cookie(request, response)
    return response


@router.post("/sign-in", response_model=None)
def sign_in(request: Request, key: Annotated[str, Form(max_length=200)] = "",
            next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    """Check the key once (web/security.py has already checked the origin and the form token), then open a
    session: the cookie holds its token, never the key (HttpOnly: no script can read it)."""
    try:
        identity = request.app.state.keys.identify(key.strip())
    except Unauthorised as exc:
        problem = "That key is not recognised. Check it and try again." if "not recognised" in exc.message else \
            f"That key no longer works ({exc.message.removeprefix('the API key ')}). Ask your administrator for a new one."
        return _html(request, "Sign in", views.sign_in_page(_safe_next(next), problem, csrf_token=csrf_token(request)),
                     status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        request.app.state.sessions.close(old)
    response.set_cookie(SESSION_COOKIE, request.app.state.sessions.open(identity), max_age=int(MAX_AGE.total_seconds()),
                        httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> RedirectResponse:
    """Ends the session on the server, not only in this browser. POST only: a link or image cannot sign anyone out."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        request.app.state.sessions.close(token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response

"""One place turns every exception into a response, in the caller's language: the one JSON error
body ({"error": {"code", "message", "details"}}) for the API, an HTML page for a page."""
from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from graph_service.errors import GraphServiceError
from graph_service.web.deps import SignInFirst, caller_role
from graph_service.web.pages.layout import SECURITY_HEADERS, render

log = logging.getLogger(__name__)
MACHINE_PATHS = ("/api/", "/openapi.json", "/docs", "/redoc", "/healthz")
TITLES = {400: "There is a problem", 401: "Sign in", 403: "Not allowed", 404: "Not found", 413: "File too large",
          422: "There is a problem", 503: "Service unavailable"}


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, for programs: not_found, bad_request, invalid_request, ...")
    message: str = Field(description="for people: what was wrong and where")
    details: dict = Field(description="what the message refers to, e.g. the key or the request's problems")


class ErrorBody(BaseModel):
    """The one error shape every API route answers with."""

    error: ErrorDetail


# declared on the app, so /openapi.json shows this body (not FastAPI's own 422 shape) for every route
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "a parameter is wrong, e.g. a bad date"), (401, "no or unknown API key"),
        (403, "the key's role may not ask this"), (404, "nothing with that key"),
        (422, "the request does not match the API"))}


def error_response(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}}, status_code=status)


def is_page(request: Request) -> bool:
    """Whether a person's browser asked: anything outside the API and its documents, unless it asked
    for data (a map's `format=json`, `csv`, ...)."""
    wants_data = request.query_params.get("format", "html") not in ("", "html")
    return not request.url.path.startswith(MACHINE_PATHS) and not wants_data


def answer(request: Request, status: int, code: str, message: str, details: object = None) -> Response:
    if not is_page(request):
        return error_response(status, code, message, details)
    if status == 401:
        return to_sign_in(request)
    title = TITLES.get(status, "Sorry, there is a problem with the service")
    from graph_service.web.security import csrf_token  # security answers its own refusals through this module
    return HTMLResponse(render("errors/error.html", title, message=message, signed_in=_role_name(request),
                               csrf_token=csrf_token(request)),
                        status_code=status, headers=SECURITY_HEADERS)


def to_sign_in(request: Request) -> RedirectResponse:
    """To the sign-in page, which comes back here afterwards."""
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(wanted, safe='')}", status_code=303)


def _role_name(request: Request) -> str | None:
    """The signed-in caller's role for the header's navigation, or None (an error page never fails itself)."""
    try:
        role = caller_role(request)
    except GraphServiceError:
        return None
    return role.name if role else None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GraphServiceError)
    async def service_error(request: Request, exc: GraphServiceError) -> Response:
        return answer(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(SignInFirst)
    async def sign_in_first(request: Request, exc: SignInFirst) -> Response:
        return to_sign_in(request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"where": ".".join(map(str, e["loc"])), "reason": e["msg"]} for e in exc.errors()]
        message = "the request does not match the API"
        if is_page(request):
            message = "; ".join(f"{p['where']}: {p['reason']}" for p in problems)
        return answer(request, 422, "invalid_request", message, {"problems": problems})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return answer(request, exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return answer(request, 500, "internal_error", "an unexpected error occurred; it has been logged")

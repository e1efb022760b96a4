"""One error body for every error: {"error": {"code", "message", "details"}}."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from graph_service.errors import GraphServiceError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GraphServiceError)
    async def service_error(_: Request, exc: GraphServiceError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(map(str, e["loc"])), "reason": e["msg"]} for e in exc.errors()]
        return error_response(422, "invalid_request", "the request does not match the API", {"problems": problems})

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")

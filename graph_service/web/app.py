"""The FastAPI application: one error handler, keys with roles, browser sessions, CSRF checks and security
headers, and one router per module in web/api/ (JSON) and web/pages/ (HTML); each route declares the role
it needs. A damaged keys or sessions file stops the app from starting, naming the file."""
from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from graph_service.web import api, pages
from graph_service.web.errors import ERROR_RESPONSES, install_error_handlers
from graph_service.access.auth import KeyStore
from graph_service.access.sessions import SessionStore
from graph_service.store.base import GraphStore
from graph_service.config import Settings
from graph_service.store import open_store
from graph_service.web.security import SecurityMiddleware

GZIP_FROM = 1024  # bytes: smaller answers gain less than the header costs
GZIP_LEVEL = 5  # a 2,000-partner map page: about a fifth of its size in some 40 ms


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="graph-service",
        summary="Partners, contracts, policies and who owns them, as one graph",
        version="0.1.0",
        responses=ERROR_RESPONSES,
        docs_url=None, redoc_url=None,  # web/api/docs.py serves Swagger UI from the package, no CDN
    )
    app.state.settings = settings
    app.state.keys = KeyStore(settings.data_dir)
    app.state.keys.check()
    app.state.sessions = SessionStore(settings.data_dir, app.state.keys)
    app.state.sessions.check()
    app.state.store = store or open_store(settings)
    app.add_middleware(SecurityMiddleware)
    # outermost, so what it compresses has its headers; a map page that comes compressed passes through
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_FROM, compresslevel=GZIP_LEVEL)
    install_error_handlers(app)
    for package in (api, pages):
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            routes = importlib.import_module(f"{package.__name__}.{module}")
            if hasattr(routes, "router"):
                app.include_router(routes.router)
    return app

"""The FastAPI application: one error shape, keys with roles, and one router per
module in graph_service/api/routes (each declares the role its routes need)."""
from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI

from graph_service.api import routes
from graph_service.api.errors import install_error_handlers
from graph_service.auth import KeyStore
from graph_service.backends.base import GraphStore
from graph_service.config import Settings
from graph_service.store import open_store


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="graph-service",
        summary="Partners, contracts, policies and who owns them, as one graph",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.keys = KeyStore(settings.data_dir)
    install_error_handlers(app)
    for module in sorted(m.name for m in pkgutil.iter_modules(routes.__path__)):
        app.include_router(importlib.import_module(f"{routes.__name__}.{module}").router)
    return app

"""The store: one GraphStore protocol (`base`), the embedded networkx store, Neo4j, and the upsert
rules both share (`merge`). `open_store` opens the configured one. A store executes reads and
writes; it knows no named query."""
from __future__ import annotations

from graph_service.store.base import GraphStore
from graph_service.config import Settings
from graph_service.errors import BadRequest


def open_store(settings: Settings) -> GraphStore:
    if settings.backend == "embedded":
        from graph_service.store.embedded import EmbeddedStore

        return EmbeddedStore(settings.data_dir)
    if settings.backend == "neo4j":
        from graph_service.store.neo4j import Neo4jStore

        return Neo4jStore.from_settings(settings)
    raise BadRequest(f"GRAPH_SERVICE_BACKEND={settings.backend!r} is not a backend; use embedded or neo4j")

"""Health, counts and any node with its relationships and their provenance."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from graph_service.answers.graph import NodeAnswer, ServiceHealth, Stats
from graph_service.web.deps import Store, Viewer
from graph_service.errors import NotFound
from graph_service.access.redaction import redact_neighbours, redact_node, visible_label

router = APIRouter()


@router.get("/healthz", tags=["service"], response_model=ServiceHealth, response_model_exclude_unset=True)
def healthz(store: Store) -> dict[str, Any]:
    """Liveness, without a key: says which backend answers; 503 naming the store while it cannot."""
    store.ping()
    return {"status": "ok", "backend": store.backend}


@router.get("/api/v1/stats", tags=["graph"], response_model=Stats, response_model_exclude_unset=True)
def stats(store: Store, role: Viewer) -> dict[str, Any]:
    return store.stats()


@router.get("/api/v1/nodes/{key:path}", tags=["graph"], response_model=NodeAnswer, response_model_exclude_unset=True)
def node(key: str, store: Store, role: Viewer) -> dict[str, Any]:
    """A node, its relationships and the provenance of each."""
    found = store.get(key)
    if found is None or not visible_label(found.label, role):
        raise NotFound(f"no node with key {key!r}", key=key)
    return {"node": redact_node(found, role), "relationships": redact_neighbours(store.neighbours(key), role)}

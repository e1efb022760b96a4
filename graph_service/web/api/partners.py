"""Finding partners and reading one partner's golden record; viewers see public facts only."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from graph_service.dates import iso
from graph_service.web.deps import AsOf, Store, Viewer
from graph_service.access.auth import Role
from graph_service.errors import NotFound
from graph_service.access.redaction import redact_props, visible_label
from graph_service.ingest.identifiers import normalise_identifier

router = APIRouter()


@router.get("/api/v1/partners", tags=["partners"])
def search_partners(store: Store, role: Viewer, q: str = "", persona: str | None = None,
                    limit: int = Query(20, ge=1, le=500), as_of: AsOf = None) -> list[dict[str, Any]]:
    """Partners whose name, an alias or an identifier contains q: exact, then prefix, then substring matches."""
    return store.run("partner_search", q=q, persona=persona, limit=limit, as_of=iso(as_of))


@router.get("/api/v1/partners/{key}", tags=["partners"])  # org keys have no "/": leaves /health, /impact to their routes
def partner(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> dict[str, Any]:
    """One partner's golden record by its key or any identifier it lists; contract values, spending and match
    reviews need the procurement role."""
    rows = store.run("partner_profile", key=normalise_identifier(None, key) or key, as_of=iso(as_of))
    if not rows:
        raise NotFound(f"no organisation with key {key!r}", key=key)
    return redact_profile(rows[0], role)


def redact_profile(profile: dict[str, Any], role: Role) -> dict[str, Any]:
    """What schema.yaml marks restricted leaves a viewer's copy (contract values, payments)."""
    if role >= Role.procurement:
        return profile
    visible = {**profile, "contracts": [redact_props("Contract", c, role) for c in profile["contracts"]]}
    if not visible_label("Payment", role):
        visible.pop("spending")
    visible.pop("matches")
    return visible

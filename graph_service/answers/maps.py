"""Saved map views.

A saved view is a SavedView node: the map's address (its kind, filters, centre, hops and dates, as the
map's own query string holds them), the focus, any nodes moved by hand and the labels setting, with who
saved it and when. Saving under a name already used replaces that view; the store keeps the earlier
save, its author and time, in the node's history.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from graph_service.errors import BadRequest, NotFound
from graph_service.queries import ask
from graph_service.records import Batch, NodeRecord, Provenance, now_utc
from graph_service.schema import make_key
from graph_service.store.base import GraphStore

LABEL = "SavedView"
MAP_PATHS = {"/maps/stakeholders": "stakeholders", "/maps/grid": "grid", "/maps/policy-ownership": "policy-ownership"}
EGO_PATH = "/maps/ego/"
# the query parameters a map takes (deps.py and web/pages/maps.py); anything else is not kept
MAP_PARAMETERS = ("persona", "workstream", "priority", "department", "min_health", "as_of", "compare_from",
                  "compare_to", "hops")
LABEL_MODES = ("always", "hover", "off")
MAX_POSITIONS = 5000


@dataclass
class SavedView:
    key: str
    name: str
    kind: str
    address: str
    focus: str | None
    positions: dict[str, list[float]]
    labels: str
    saved_by: str
    saved_at: str
    history: list[dict[str, str]] = field(default_factory=list)  # earlier saves, oldest first: name, saved_by, saved_at

    @property
    def link(self) -> str:
        return view_link(self.key)


def view_link(key: str) -> str:
    """The address that opens a saved view, for anyone allowed to see maps."""
    return f"/maps/views/{quote(key, safe=':')}"


def map_address(address: str) -> tuple[str, str]:
    """(kind, the address as kept): a map's own path with only the parameters a map takes."""
    parts = urlsplit(address.strip())
    if parts.scheme or parts.netloc:
        raise BadRequest("a saved view's address is a path on this service, e.g. /maps/stakeholders?persona=...",
                         field="address")
    if parts.path in MAP_PATHS:
        kind = MAP_PATHS[parts.path]
    elif parts.path.startswith(EGO_PATH) and len(parts.path) > len(EGO_PATH):
        kind = "ego"
    else:
        raise BadRequest(f"{parts.path!r} is not a map: one of {sorted(MAP_PATHS)} or {EGO_PATH}KEY", field="address")
    query = [(k, v) for k, v in parse_qsl(parts.query) if k in MAP_PARAMETERS and v != ""]
    return kind, parts.path + (f"?{urlencode(query)}" if query else "")


def _positions(positions: dict[str, Any] | None) -> dict[str, list[float]]:
    positions = positions or {}
    if len(positions) > MAX_POSITIONS:
        raise BadRequest(f"at most {MAX_POSITIONS} moved nodes may be saved", field="positions")
    try:
        return {str(k): [round(float(v[0]), 1), round(float(v[1]), 1)] for k, v in positions.items()}
    except (TypeError, ValueError, IndexError):
        raise BadRequest("positions are {node key: [x, y]}", field="positions") from None


def save_view(store: GraphStore, *, name: str, address: str, who: str, focus: str | None = None,
              positions: dict[str, Any] | None = None, labels: str = "always") -> SavedView:
    """Save (or save again) the map at `address` under `name`, as `who` (the saving key's name and role)."""
    name = re.sub(r"\s+", " ", name).strip()
    if not name:
        raise BadRequest("a saved view needs a name", field="name")
    if labels not in LABEL_MODES:
        raise BadRequest(f"labels is one of {', '.join(LABEL_MODES)}", field="labels")
    kind, address = map_address(address)
    key = make_key(LABEL, name)
    moved = _positions(positions)
    props = {"name": name, "kind": kind, "address": address, "focus": focus or "", "labels": labels,
             "positions": json.dumps(moved, sort_keys=True) if moved else "", "saved_by": who, "saved_at": now_utc()}
    store.upsert(Batch(nodes=[NodeRecord(label=LABEL, key=key, props=props,
                                         provenance=Provenance(source="saved map view", locator=f"saved by {who}"))]))
    return saved_view(store, key)


def saved_view(store: GraphStore, key: str) -> SavedView:
    node = store.get(key)
    if node is None or node.label != LABEL:
        raise NotFound(f"no saved view with key {key!r}", key=key)
    p = node.props
    return SavedView(key, p["name"], p["kind"], p["address"], p.get("focus") or None,
                     json.loads(p["positions"]) if p.get("positions") else {}, p.get("labels") or "always",
                     p["saved_by"], p["saved_at"],
                     [{"name": h["props"].get("name", ""), "saved_by": h["props"].get("saved_by", ""),
                       "saved_at": h["props"].get("saved_at", "")} for h in node.history])


def saved_views(store: GraphStore) -> list[dict[str, Any]]:
    """Every saved view, by name: key, name, kind, address, saved_by, saved_at."""
    return ask(store, "saved_views")

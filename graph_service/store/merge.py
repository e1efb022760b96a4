"""Upsert semantics shared by both backends, so they store exactly the same thing.

A write overlays new property values on the stored ones (list properties such as
aliases are unioned). Equal values change nothing, whatever the load time; a changed
value keeps the previous values, their provenance and the time they were replaced.
"""
from __future__ import annotations

from typing import Any

from graph_service.records import Provenance, now_utc

State = dict[str, Any]  # {"props": {...}, "prov": {...}, "history": [...]}


def merged_props(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    props = dict(current)
    for name, value in incoming.items():
        old = props.get(name)
        if isinstance(value, list) and isinstance(old, list):
            props[name] = old + [v for v in value if v not in old]
        else:
            props[name] = value
    return props


def merge(current: State | None, incoming: dict[str, Any], provenance: Provenance) -> tuple[State | None, str]:
    """Return (new state or None when unchanged, outcome: created|updated|unchanged)."""
    prov = provenance.model_dump()
    if current is None:
        return {"props": dict(incoming), "prov": prov, "history": []}, "created"
    props = merged_props(current["props"], incoming)
    if props == current["props"]:
        return None, "unchanged"
    replaced = {"props": current["props"], "prov": current["prov"], "replaced_at": now_utc()}
    return {"props": props, "prov": prov, "history": [*current["history"], replaced]}, "updated"

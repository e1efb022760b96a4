"""What each role may see: procurement-only facts never reach a viewer, on any route."""
from __future__ import annotations

from typing import Any

from graph_service.auth import Role
from graph_service.records import Node, Relationship
from graph_service.schema import schema


def visible_label(label: str, role: Role) -> bool:
    return role >= Role.procurement or not schema().fully_restricted(label)


def redact_props(label: str, props: dict[str, Any], role: Role) -> dict[str, Any]:
    if role >= Role.procurement:
        return props
    hidden = schema().label(label).restricted
    return {k: v for k, v in props.items() if k not in hidden}


def redact_node(node: Node, role: Role) -> dict[str, Any]:
    data = node.model_dump()
    data["props"] = redact_props(node.label, node.props, role)
    data["history"] = [{**h, "props": redact_props(node.label, h["props"], role)} for h in node.history]
    return data


def redact_neighbours(pairs: list[tuple[Relationship, Node]], role: Role) -> list[dict[str, Any]]:
    return [
        {"relationship": rel.model_dump(), "node": redact_node(other, role)}
        for rel, other in pairs
        if visible_label(other.label, role)
    ]

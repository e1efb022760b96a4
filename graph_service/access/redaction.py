"""What each role may see: procurement-only facts never reach a viewer or an editor, on any route."""
from __future__ import annotations

from typing import Any

from graph_service.access.auth import Role
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
        if visible_label(other.label, role) and visible_relationship(rel.type, role)
    ]


def visible_relationship(rel_type: str, role: Role) -> bool:
    """Viewers do not see relationships marked restricted (match reviews) or that only ever join a fully
    restricted label (payments, KPI ratings, commissioning decisions)."""
    if role >= Role.procurement:
        return True
    spec = schema().rel(rel_type)
    return not (spec.restricted or all(schema().fully_restricted(l) for l in spec.sources)
                or all(schema().fully_restricted(l) for l in spec.targets))


def redact_change(change: dict[str, Any], role: Role) -> dict[str, Any] | None:
    """A change as a viewer may see it, or None if it is about something they may not see."""
    if change["kind"] == "relationship":
        return change if visible_relationship(change["what"], role) else None
    if not visible_label(change["what"], role):
        return None
    hidden = set() if role >= Role.procurement else schema().label(change["what"]).restricted
    values = {k: v for k, v in change["values"].items() if k not in hidden}
    return {**change, "values": values} if values or change["change"] != "changed" else None

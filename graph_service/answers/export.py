"""The whole graph as records, as one role may see it: every node and relationship with its provenance.

Viewers get no node of a fully restricted label (payments, KPI ratings), no restricted property,
and no relationship that touches a node they may not see, exactly as the routes redact.
"""
from __future__ import annotations

from typing import Any, Iterator

from graph_service.access.auth import Role
from graph_service.access.redaction import redact_props, visible_label, visible_relationship
from graph_service.store.base import GraphStore


def graph_records(store: GraphStore, role: Role) -> Iterator[dict[str, Any]]:
    """Nodes first (by label, then key), then relationships (by type, start, end), each a plain dict."""
    nodes, relationships = store.export()
    shown: set[str] = set()
    for node in sorted(nodes, key=lambda n: (n.label, n.key)):
        if not visible_label(node.label, role):
            continue
        shown.add(node.key)
        yield {"kind": "node", "label": node.label, "key": node.key,
               "props": redact_props(node.label, node.props, role), "provenance": node.provenance.model_dump()}
    for rel in sorted(relationships, key=lambda r: (r.type, r.start, r.end, r.id)):
        if rel.start in shown and rel.end in shown and visible_relationship(rel.type, role):
            yield {"kind": "relationship", "type": rel.type, "start": rel.start, "end": rel.end,
                   "props": dict(rel.props), "provenance": rel.provenance.model_dump()}

"""Facts and judgement officers record through the API and the forms (assessments, engagements, charters,
relationship holders, policy corrections).

Each write is validated whole first, then written as one batch through the store's upsert (so history keeps
the values it replaces) with provenance source "recorded", the key's name as locator and the time, then
appended to the audit log. A change to a stored fact names the version it replaces (`version`, the ETag): a
second officer editing from the same version gets a conflict, not a silent overwrite.
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from graph_service.access import audit
from graph_service.access.audit import Actor
from graph_service.errors import NotFound, PreconditionFailed, PreconditionRequired
from graph_service.records import Batch, Node, NodeRecord, Provenance, RelRecord
from graph_service.store.base import GraphStore

SOURCE = "recorded"
WRITING = threading.Lock()  # a version check (or a key's absence) and its write are one step in the service


def provenance(actor: Actor) -> Provenance:
    """Recorded by the key's name, now."""
    return Provenance(source=SOURCE, locator=actor.label)


def version_of(*states: Any) -> str:
    """A fact's version: a hash of its stored values and provenance (nodes, relationships or plain rows)."""
    plain = [s.state() if hasattr(s, "state") else s for s in states]
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:20]


def check_version(expected: str | None, current: str) -> None:
    if not expected:
        raise PreconditionRequired("send the version you are changing (the ETag of the GET) as If-Match",
                                   version=current)
    if expected.strip('"').removeprefix("W/").strip('"') != current:
        raise PreconditionFailed("someone changed this since you read it: read it again and re-apply your change",
                                 version=current)


def node_of(store: GraphStore, key: str, label: str, what: str) -> Node:
    node = store.get(key)
    if node is None or node.label != label:
        raise NotFound(f"no {what} with key {key!r}", key=key)
    return node


class Write:
    """One recorded change: its records, and what the audit log says of it."""

    def __init__(self, actor: Actor):
        self.actor, self.prov = actor, provenance(actor)
        self.nodes: list[NodeRecord] = []
        self.rels: list[RelRecord] = []

    def node(self, label: str, key: str, **props: Any) -> None:
        self.nodes.append(NodeRecord(label=label, key=key, props=props, provenance=self.prov))

    def rel(self, kind: str, start: str, end: str, valid_from: Any = None, valid_to: Any = None, **props: Any) -> None:
        self.rels.append(RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to,
                                   props=props, provenance=self.prov))

    def commit(self, store: GraphStore, data_dir: Path, via: str, fact: str, key: str, **what: Any) -> None:
        """Write the batch (all or nothing), then the audit entry."""
        report = store.upsert(Batch(nodes=self.nodes, rels=self.rels))
        audit.record(data_dir, "record", self.actor, via, fact={"kind": fact, "key": key, **what},
                     changes=report.model_dump())

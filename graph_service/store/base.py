"""The GraphStore protocol both backends implement, and the checks they share."""
from __future__ import annotations

from typing import Any, Callable, ContextManager, Protocol, runtime_checkable

from graph_service.errors import SchemaError
from graph_service.records import Batch, Node, Relationship, WriteReport
from graph_service.store.files import Receipt
from graph_service.schema import schema

# The embedded store keeps `graph.graph[BY_LABEL]`: label -> {key: None} in insertion order, so a
# query's MATCH (n:Label) walks that label's nodes only, as Neo4j's label scan does.
BY_LABEL = "by_label"


class Executable(Protocol):
    """What a store needs of a query: a networkx twin and its Cypher (graph_service.queries.NamedQuery)."""
    cypher: str

    def embedded(self, graph: Any, **params: Any) -> list[dict[str, Any]]: ...


class GraphWriter(Protocol):
    def upsert(self, batch: Batch) -> WriteReport:
        """Stage a batch in the unit, upserting each record by key over what is stored and staged."""


@runtime_checkable
class GraphStore(Protocol):
    backend: str

    def upsert(self, batch: Batch) -> WriteReport:
        """Write a batch all-or-nothing, upserting each record by key."""

    def unit(self, receipt: Callable[[], Receipt] | None = None) -> ContextManager["GraphWriter"]:
        """A unit of writes (one file): its upserts become visible together when the block ends, or never
        (an exception, a killed process). The line `receipt()` makes (the audit entry) is appended to its
        file exactly when the unit commits, even if this process is killed as it does (files.py)."""

    def settle(self) -> None:
        """Append the receipts of committed units whose writer was killed before it could."""

    def get(self, key: str) -> Node | None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable (or StoreCorrupt) if the store cannot answer now."""

    def labels(self, keys: set[str]) -> dict[str, str]:
        """The label of each of these keys that is stored."""

    def neighbours(self, key: str) -> list[tuple[Relationship, Node]]:
        """Every relationship touching the node, with the node at its other end."""

    def execute(self, query: Executable, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of one query: its networkx twin on the embedded store, its Cypher on Neo4j."""

    def stats(self) -> dict[str, Any]: ...

    def export(self) -> tuple[list[Node], list[Relationship]]:
        """Everything stored, with provenance and history (for copies between backends)."""

    def restore(self, nodes: list[Node], rels: list[Relationship]) -> None:
        """Write exported nodes and relationships exactly as they were (provenance and history included)."""

    def clear(self) -> None: ...

    def close(self) -> None: ...


def check_labels(batch: Batch, stored: dict[str, str | None]) -> None:
    """Reject the batch if a node's key is stored (or earlier in the batch) under another label: a key's
    label never changes, or a recipient id equal to a Payment's key would turn that Payment into an
    Organisation."""
    labels = dict(stored)
    for node in batch.nodes:
        label = labels.get(node.key)
        if label is not None and label != node.label:
            raise SchemaError(f"{node.label} {node.key!r}", "key", f"the key belongs to a {label}; a key's label never changes")
        labels[node.key] = node.label


def check_endpoints(batch: Batch, label_of: dict[str, str | None]) -> None:
    """Reject the batch if a relationship joins labels its type does not allow.

    label_of maps each endpoint key to its stored label (None if absent); nodes in
    the batch itself count as present.
    """
    labels = {**label_of, **{n.key: n.label for n in batch.nodes}}
    for rel in batch.rels:
        spec = schema().rel(rel.type)
        name = f"{rel.type} {rel.start!r}->{rel.end!r}"
        for end, key, allowed in (("start", rel.start, spec.sources), ("end", rel.end, spec.targets)):
            label = labels.get(key)
            if label is None:
                raise SchemaError(name, end, f"no node with key {key!r} in the store or the batch")
            if label not in allowed:
                raise SchemaError(name, end, f"{rel.type} may not join a {label}; allowed: {sorted(allowed)}")


def stats_from_counts(backend: str, labels: dict[str, int], rels: dict[str, int]) -> dict[str, Any]:
    return {
        "backend": backend,
        "nodes": sum(labels.values()),
        "relationships": sum(rels.values()),
        "labels": dict(sorted(labels.items())),
        "relationship_types": dict(sorted(rels.items())),
    }

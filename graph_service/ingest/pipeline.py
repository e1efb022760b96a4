"""The one path every format takes into the store.

A format parser yields Items: everything one source record (a row, a release, a
register entry) says, with where it came from. Each item is validated whole; a bad
item is rejected with its locator, field and reason, and nothing of it is written.
A file is one unit (store.unit): accepted items are streamed into it in batches as
they are read, and become visible together when the whole file has been read, or
never (an unreadable file, a failed write, a killed process). A record whose key is
stored, or defined earlier in the file, under another label is rejected: a key's
label never changes.
"""
from __future__ import annotations

import sys
from collections import ChainMap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from pydantic import ValidationError

from graph_service.store.base import GraphStore
from graph_service.store.files import Receipt, settle
from graph_service.errors import GraphServiceError, PayloadTooLarge, SchemaError, UnreadableInput
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord, WriteReport
from graph_service.schema import schema

BATCH_SIZE = 2000
LOOKUP_CHUNK = 1000  # items whose unknown endpoint keys are looked up in the store at once
EXIT_OK, EXIT_UNREADABLE, EXIT_PARTIAL = 0, 2, 3


@dataclass
class Item:
    """What one source record says: raw node and relationship dicts and their provenance."""

    locator: str
    provenance: Provenance
    nodes: list[dict[str, Any]] = field(default_factory=list)  # {label, key, props}
    rels: list[dict[str, Any]] = field(default_factory=list)  # {type, start, end, props?, valid_from?, valid_to?}
    problem: tuple[str, str] | None = None  # (field, reason) when the reader already knows the record is bad


@dataclass
class Rejection:
    source: str
    locator: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.locator}: field {self.field!r}: {self.reason}"


@dataclass
class IngestReport:
    source: str
    format: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    items: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    error: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # rows that hold no record (totals, repeated headers), by why
    notes: list[str] = field(default_factory=list)  # what the reader decided (who paid, which way dates are read)

    @property
    def exit_code(self) -> int:
        if self.error:
            return EXIT_UNREADABLE
        return EXIT_PARTIAL if self.rejected else EXIT_OK

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "format": self.format, "items": self.items,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": [r.__dict__ for r in self.rejected], "error": self.error, "exit_code": self.exit_code,
            "skipped": self.skipped, "notes": self.notes,
        }


def _records(item: Item) -> tuple[list[NodeRecord], list[RelRecord]]:
    try:
        nodes = [NodeRecord(provenance=item.provenance, **n) for n in item.nodes]
        rels = [RelRecord(provenance=item.provenance, **r) for r in item.rels]
    except ValidationError as exc:
        cause = exc.errors()[0]
        original = cause.get("ctx", {}).get("error")
        if isinstance(original, SchemaError):
            raise original from None
        raise SchemaError(item.locator, ".".join(map(str, cause["loc"])), cause["msg"]) from None
    return nodes, rels


def _check_endpoints(rels: list[RelRecord], labels: Mapping[str, str], locator: str) -> None:
    for rel in rels:
        spec = schema().rel(rel.type)
        for end, key, allowed in (("start", rel.start, spec.sources), ("end", rel.end, spec.targets)):
            label = labels.get(key)
            if label is None:
                raise SchemaError(locator, f"{rel.type}.{end}", f"no node with key {key!r}")
            if label not in allowed:
                raise SchemaError(locator, f"{rel.type}.{end}", f"{rel.type} may not join a {label}")


def _chunks(items: Iterable[Item], report: IngestReport) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        report.items += 1
        chunk.append(item)
        if len(chunk) >= LOOKUP_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_labels(nodes: list[NodeRecord], labels: Mapping[str, str], locator: str) -> None:
    for node in nodes:
        label = labels.get(node.key)
        if label is not None and label != node.label:
            raise SchemaError(locator, "key", f"{node.key!r} is the key of a {label}, not a {node.label}; "
                                              "a key's label never changes")


def ingest(store: GraphStore, items: Iterable[Item], *, source: str, fmt: str, progress: bool = False,
           receipt: Callable[[IngestReport], Receipt] | None = None) -> IngestReport:
    """`receipt(report)` (the audit entry) is committed with the unit when the file was read, or appended
    once nothing was stored when it was not."""
    report = IngestReport(source=source, format=fmt)
    try:
        with store.unit(receipt=receipt and (lambda: receipt(report))) as unit:
            _stream(store, unit, items, report, progress)
    except PayloadTooLarge as exc:  # the store's, which does not know the file's name
        raise PayloadTooLarge(f"{source}: {exc.message}", source=source, **exc.details) from exc
    except UnreadableInput as exc:
        report.error = exc.message
        report.created = report.updated = report.unchanged = 0
        if receipt:
            settle([receipt(report)])
    return report


def _stream(store: GraphStore, unit, items: Iterable[Item], report: IngestReport, progress: bool) -> None:
    accepted: list[tuple[list[NodeRecord], list[RelRecord]]] = []
    known: dict[str, str] = {}  # labels of keys the file defines, and of stored keys it names
    totals = WriteReport()
    bar = _progress_bar() if progress else None
    for chunk in _chunks(items, report):
        parsed: list[tuple[Item, tuple[list[NodeRecord], list[RelRecord]] | SchemaError]] = []
        for item in chunk:
            try:
                if item.problem:
                    raise SchemaError(item.locator, *item.problem)
                parsed.append((item, _records(item)))
            except SchemaError as exc:
                parsed.append((item, exc))
        # one look-up per chunk for the keys the file has not defined so far (not one per item)
        wanted = {k for _, records in parsed if not isinstance(records, SchemaError)
                  for k in [*(n.key for n in records[0]), *(e for r in records[1] for e in (r.start, r.end))]
                  if k not in known}
        stored = store.labels(wanted) if wanted else {}
        for item, records in parsed:
            try:
                if isinstance(records, SchemaError):
                    raise records
                nodes, rels = records
                _check_labels(nodes, ChainMap(known, stored), item.locator)
                local = {n.key: n.label for n in nodes}
                for key in {k for r in rels for k in (r.start, r.end) if k not in local and k not in known}:
                    if key in stored:
                        known[key] = stored[key]
                _check_endpoints(rels, ChainMap(local, known), item.locator)
            except SchemaError as exc:
                report.rejected.append(Rejection(report.source, item.locator, exc.field, exc.reason))
                continue
            known.update(local)
            accepted.append((nodes, rels))
        if len(accepted) >= BATCH_SIZE:
            _write(unit, accepted, totals, bar)
            accepted = []
    _write(unit, accepted, totals, bar)
    if bar:
        bar.close()
    report.created, report.updated, report.unchanged = totals.created, totals.updated, totals.unchanged


def _write(unit, accepted: list[tuple[list[NodeRecord], list[RelRecord]]], totals: WriteReport, bar) -> None:
    if not accepted:
        return
    # nodes first across the batch so relationships may point at any node in it
    totals.add(unit.upsert(Batch(nodes=[n for nodes, _ in accepted for n in nodes],
                                 rels=[r for _, rels in accepted for r in rels])))
    if bar:
        bar.update(len(accepted))


def _progress_bar():
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="record", desc="storing", file=sys.stderr)


def iterate_guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """Turn a parser's low-level failure (bad JSON, truncation) into UnreadableInput."""
    try:
        yield from items
    except GraphServiceError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, OSError, RecursionError) as exc:
        raise UnreadableInput(f"{source}: could not be read: {exc}") from exc

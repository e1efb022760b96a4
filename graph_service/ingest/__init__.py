"""Reading files into the graph: one reader per format, one resolver for organisations, one pipeline.

    >>> report = ingest_file(store, Path("grants.csv"))            # doctest: +SKIP
    >>> report.exit_code                                           # 0 stored, 3 some rejected, 2 unreadable
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest, UnreadableInput
from graph_service.ingest.pipeline import IngestReport, Item, ingest, iterate_guarded

FORMATS = ("ocds", "360giving", "spend-csv", "contracts-csv", "register", "policy-document")


def _reader(fmt: str) -> Callable[[Path], Iterator[Item]]:
    """Each format's reader, imported when first used (policy documents pull in document parsers)."""
    if fmt == "ocds":
        from graph_service.ingest.ocds import read_ocds as reader
    elif fmt == "360giving":
        from graph_service.ingest.giving360 import read_360giving as reader
    elif fmt == "spend-csv":
        from graph_service.ingest.transparency import read_spend as reader
    elif fmt == "contracts-csv":
        from graph_service.ingest.transparency import read_contracts as reader
    elif fmt == "register":
        from graph_service.ingest.register import read_register as reader
    elif fmt == "policy-document":
        from graph_service.ingest.policy_document import read_policy_document as reader
    else:
        raise BadRequest(f"unknown format {fmt!r}", formats=["auto", *FORMATS])
    return reader


def read(path: Path, fmt: str = "auto", location: str | None = None) -> tuple[str, Iterator[Item]]:
    """The format (detected when 'auto') and the items the file's reader yields; `location` is where a policy
    document lives when `path` is only a temporary copy (an upload)."""
    from graph_service.ingest.detect import check_json_depth, detect_format

    check_json_depth(path)
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "policy-document" and location:
        from graph_service.ingest.policy_document import read_policy_document

        return fmt, read_policy_document(path, location=location)
    return fmt, _reader(fmt)(path)


def ingest_file(store: GraphStore, path: Path, fmt: str = "auto", *, source: str | None = None,
                progress: bool = False, on_outcome: Callable[[IngestReport], Any] | None = None) -> IngestReport:
    """Read, resolve organisations to golden records, validate and store one file; never raises for bad input."""
    from graph_service.ingest.identity import Resolver

    location, source = source, source or path.name
    try:
        fmt, items = read(path, fmt, location)
    except UnreadableInput as exc:
        report = IngestReport(source=source, format=fmt)
        report.error = exc.message
        if on_outcome:
            on_outcome(report)
        return report
    resolved = Resolver(store).resolve(iterate_guarded(items, source))
    return ingest(store, resolved, source=source, fmt=fmt, progress=progress, on_outcome=on_outcome)


__all__ = ["FORMATS", "IngestReport", "ingest_file", "read"]

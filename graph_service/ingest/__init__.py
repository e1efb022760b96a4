"""Reading files into the graph: one reader per format, one resolver for organisations, one pipeline.

    >>> report = ingest_file(store, Path("grants.csv"))            # doctest: +SKIP
    >>> report.exit_code                                           # 0 stored, 3 some rejected, 2 unreadable
    >>> batch = ingest_path(store, Path("spend-2024.zip"), publisher="GB-LAE-DAC")   # doctest: +SKIP
    >>> [f.source for f in batch.files]                            # each file in the zip or folder, its own unit
"""
from __future__ import annotations

import re
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator

from graph_service.store.base import GraphStore
from graph_service.store.files import Receipt, settle
from graph_service.errors import BadRequest, UnreadableInput
from graph_service.ingest.pipeline import EXIT_OK, EXIT_PARTIAL, EXIT_UNREADABLE, IngestReport, Item, ingest, iterate_guarded

FORMATS = ("ocds", "360giving", "spend-csv", "contracts-csv", "register", "policy-document")
PUBLISHED_FORMATS = ("spend-csv", "contracts-csv")  # the formats whose publisher the caller may have to name
MAX_FILES = 10_000  # in one folder or zip
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one file of a zip, expanded
MAX_ZIP_BYTES = 4 * 1024 * 1024 * 1024  # all of a zip, expanded
MAX_RATIO = 100  # expanded / compressed: spend CSVs compress about tenfold, a zip bomb a thousandfold


def _reader(fmt: str) -> Callable[..., Iterator[Item]]:
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


def read(path: Path, fmt: str = "auto", *, publisher: str | None = None, progress: bool = False,
         store: GraphStore | None = None, location: str | None = None) -> tuple[str, Iterator[Item]]:
    """The format (detected when 'auto') and the items the file's reader yields (OCDS compiles each
    process with the releases `store` already holds; `location` is where a policy document lives when
    `path` is only a temporary copy, an upload)."""
    from graph_service.ingest.bounded import check_json
    from graph_service.ingest.detect import detect_format

    check_json(path)
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "policy-document" and location:
        from graph_service.ingest.policy_document import read_policy_document

        return fmt, read_policy_document(path, location=location)
    reader = _reader(fmt)
    if fmt == "ocds":
        reader = partial(reader, store=store)
    if fmt in PUBLISHED_FORMATS:
        reader = partial(reader, publisher=publisher, progress=progress)
    return fmt, reader(path)


def ingest_file(store: GraphStore, path: Path, fmt: str = "auto", *, source: str | None = None,
                progress: bool = False, publisher: str | None = None,
                receipt: Callable[[IngestReport], Receipt] | None = None) -> IngestReport:
    """Read, resolve organisations to golden records, validate and store one file; never raises for bad input.

    `publisher` (an org-id, or a council's name or code) names the body that published a spend or
    contracts file that does not say so itself; without it such a file is refused (exit 2).
    `receipt(report)` makes the audit entry: committed with the file, or appended once nothing was stored.
    """
    from graph_service.ingest.resolver import Resolver

    location, source = source, source or path.name
    items: Any = None

    def audited(report: IngestReport) -> Receipt:
        report.skipped = dict(getattr(items, "skipped", {}))
        report.notes = list(getattr(items, "notes", []))
        return receipt(report)

    try:
        fmt, items = read(path, fmt, publisher=publisher, progress=progress, store=store, location=location)
        resolved = Resolver(store).resolve(iterate_guarded(iter(items), source))
        report = ingest(store, resolved, source=source, fmt=fmt, progress=progress, receipt=receipt and audited)
    except (UnreadableInput, BadRequest) as exc:
        report = IngestReport(source=source, format=fmt)
        report.error = exc.message
        if receipt:
            settle([audited(report)])
        return report
    report.skipped = dict(getattr(items, "skipped", {}))
    report.notes = list(getattr(items, "notes", []))
    return report


# -- folders and zips ---------------------------------------------------------------------------------
@dataclass
class BatchReport:
    """A folder's or a zip's files, each stored (or refused) as its own unit, and their sum."""

    source: str
    format: str  # "folder" or "zip"
    files: list[IngestReport] = field(default_factory=list)
    not_data: list[str] = field(default_factory=list)  # descriptors, readmes and licences beside the data
    error: str | None = None  # the folder or zip itself could not be read

    @property
    def exit_code(self) -> int:
        codes = {f.exit_code for f in self.files}
        if self.error or EXIT_UNREADABLE in codes:
            return EXIT_UNREADABLE
        return EXIT_PARTIAL if EXIT_PARTIAL in codes else EXIT_OK

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def rejected(self) -> list:
        return [r for f in self.files for r in f.rejected]

    def summary(self) -> str:
        unreadable = sum(1 for f in self.files if f.error)
        beside = f" (and {len(self.not_data)} not data: {', '.join(self.not_data)})" if self.not_data else ""
        return (f"{self.source} ({self.format}): {len(self.files)} files{beside}, {unreadable} unreadable: "
                f"{self.total('items')} records: {self.total('created')} created, {self.total('updated')} updated, "
                f"{self.total('unchanged')} unchanged, {len(self.rejected)} rejected")

    def as_dict(self) -> dict[str, Any]:
        unreadable = [f"{f.source}: {f.error}" for f in self.files if f.error]
        skipped: dict[str, int] = {}
        for f in self.files:
            for reason, count in f.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + count
        return {"source": self.source, "format": self.format, "items": self.total("items"),
                "created": self.total("created"), "updated": self.total("updated"),
                "unchanged": self.total("unchanged"), "rejected": [r.__dict__ for r in self.rejected],
                "error": self.error or ("; ".join(unreadable) if unreadable else None), "exit_code": self.exit_code,
                "skipped": skipped, "not_data": self.not_data, "files": [f.as_dict() for f in self.files]}


# the audit entry of (the file read, its name in the report, its report)
FileReceipt = Callable[[Path, str, IngestReport], Receipt]


def ingest_path(store: GraphStore, path: Path, fmt: str = "auto", *, source: str | None = None,
                progress: bool = False, publisher: str | None = None,
                receipt: FileReceipt | None = None) -> IngestReport | BatchReport:
    """One file, or every file of a folder (recursively, in name order) or of a zip, each its own unit."""
    source = source or path.name
    if path.is_dir():
        return _batch(store, source, "folder", _folder_files(path), fmt, progress, publisher, receipt)
    if zipfile.is_zipfile(path) and not _is_document(path):
        with tempfile.TemporaryDirectory(prefix="graph-service-zip-") as folder:
            return _batch(store, source, "zip", _zip_files(path, Path(folder)), fmt, progress, publisher, receipt)
    return ingest_file(store, path, fmt, source=source, progress=progress, publisher=publisher,
                       receipt=receipt and (lambda report: receipt(path, source, report)))


def _is_document(path: Path) -> bool:
    """Word documents and newer spreadsheets are zips too; they are read (or refused) whole, not unpacked."""
    return path.suffix.lower() in (".docx", ".xlsx", ".xlsm", ".ods")


# a file to ingest, its name in the report, or the reason it could not be taken out of its container
Found = tuple[Path | None, str, str | None]


def _batch(store: GraphStore, source: str, kind: str, found: Iterator[Found], fmt: str, progress: bool,
           publisher: str | None, receipt: FileReceipt | None) -> BatchReport:
    batch = BatchReport(source=source, format=kind)
    bar = _files_bar(progress, source)
    try:
        for path, name, problem in found:
            if NOT_DATA.match(PurePosixPath(name).name):
                batch.not_data.append(name)
                continue
            if problem or path is None:
                report = IngestReport(source=name, format=fmt)
                report.error = problem
            else:
                report = ingest_file(store, path, fmt, source=name, progress=progress, publisher=publisher,
                                     receipt=receipt and (lambda report, path=path, name=name:
                                                          receipt(path, name, report)))
            batch.files.append(report)
            if bar:
                bar.update()
    except UnreadableInput as exc:
        batch.error = exc.message
    finally:
        if bar:
            bar.close()
    if not batch.files and not batch.error:
        batch.error = f"{source}: holds no files"
    return batch


def _files_bar(progress: bool, name: str):
    if not progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="file", desc=name, file=sys.stderr, delay=3)


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


# what publishers put beside their data: a Data Package or CSVW descriptor, a readme, a licence
NOT_DATA = re.compile(r"^(datapackage\.json|.*-metadata\.json|readme.*|licen[cs]e.*|.*\.md)$", re.I)


def _folder_files(folder: Path) -> Iterator[Found]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder).parts))
    if len(files) > MAX_FILES:
        raise UnreadableInput(f"{folder.name}: more than {MAX_FILES:,} files; load it in parts")
    for path in files:
        yield path, path.relative_to(folder).as_posix(), None


def _zip_files(path: Path, folder: Path) -> Iterator[Found]:
    """Each member of a zip, expanded one at a time to `folder` (and removed after), bounded in size."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableInput(f"{path.name}: not a readable zip: {exc}") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(PurePosixPath(m.filename).parts)]
        if len(members) > MAX_FILES:
            raise UnreadableInput(f"{path.name}: more than {MAX_FILES:,} files; load it in parts")
        expanded = 0
        for member in sorted(members, key=lambda m: m.filename):
            name = f"{path.name}/{member.filename}"
            target = folder / (PurePosixPath(member.filename).name or "member")
            try:
                written = _expand(archive, member, target, min(MAX_MEMBER_BYTES, MAX_ZIP_BYTES - expanded))
            except UnreadableInput as exc:
                yield None, name, exc.message
                continue
            expanded += written
            yield target, name, None
            target.unlink(missing_ok=True)


def _expand(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int) -> int:
    """Copy one member out, refusing a bomb by its declared size and ratio, and by what it really expands to."""
    declared = member.file_size
    if declared > limit or declared > MAX_RATIO * max(member.compress_size, 1) + 1024 * 1024:
        raise UnreadableInput(f"expands to {declared / 2**20:,.0f} MB from {member.compress_size / 2**20:,.1f} MB; "
                              "not taken out of the zip")
    written = 0
    try:
        with archive.open(member) as source, target.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                written += len(chunk)
                if written > declared:
                    raise UnreadableInput("expands to more than its zip entry says; not taken out of the zip")
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError) as exc:
        target.unlink(missing_ok=True)
        raise UnreadableInput(f"could not be taken out of the zip: {exc}") from exc
    except UnreadableInput:
        target.unlink(missing_ok=True)
        raise
    if zipfile.is_zipfile(target):
        target.unlink()
        raise UnreadableInput("a zip inside a zip; unpack the outer one first")
    return written


__all__ = ["BatchReport", "FORMATS", "IngestReport", "ingest_file", "ingest_path", "read"]

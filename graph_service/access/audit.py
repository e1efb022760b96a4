"""The audit log: who wrote what to the graph, and when.

One JSON object per line in ``<data dir>/audit.log``, appended and fsync'd before the
write is reported done, so an answer the caller saw is always on disk. An ingest's entry is
committed with its file (a receipt, store/files.py): the log has it exactly when the file was
stored, even if the writer is killed between the two. Entries are never rewritten. A key is
never logged: only its label, its role and a short hash of it, which identifies the key
against the key file without revealing it.

    {"at": "2024-06-01T09:30:00.123456+00:00", "action": "ingest", "via": "api",
     "who": {"label": "Jo Bloggs", "role": "admin", "key": "3f2a9c01b7de"},
     "file": {"name": "spend-june.csv", "bytes": 10234, "sha256": "..."}, "format": "spend-csv",
     "changes": {"items": 120, "created": 118, "updated": 0, "unchanged": 0, "rejected": 2}, "error": null}

Actions: ``ingest`` (a file loaded through the API or the CLI), ``match-decision`` (a possible
match confirmed or rejected) and ``record`` (a fact or judgement an officer recorded: answers/recorded).
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal, get_args

from graph_service.store.files import Receipt, append_lines
from graph_service.queries import ask

if TYPE_CHECKING:
    from graph_service.store.base import GraphStore
    from graph_service.ingest.pipeline import IngestReport

AUDIT_FILE = "audit.log"
Action = Literal["ingest", "match-decision", "record"]
ACTIONS = get_args(Action)


@dataclass(frozen=True)
class Actor:
    """Who made a write: a key's label, role and short hash (API), or the operating-system user (CLI)."""

    label: str
    role: str
    key: str | None = None


def key_hash(key: str) -> str:
    """The first 12 hex digits of the key's SHA-256: the prefix of what api-keys.json stores for it."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def command_line_actor() -> Actor:
    """The CLI needs no key (it opens the store directly), so it is named by user and host."""
    return Actor(label=f"{getpass.getuser()}@{socket.gethostname()}", role="command line")


def file_facts(path: Path, name: str | None = None) -> dict[str, Any]:
    """The file's name, size and SHA-256, so an entry says exactly which bytes were loaded."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return {"name": name or path.name, "bytes": None, "sha256": None}
    return {"name": name or path.name, "bytes": size, "sha256": digest.hexdigest()}


def ingest_receipt(data_dir: Path, actor: Actor, via: str, path: Path, report: IngestReport,
                   name: str | None = None) -> Receipt:
    """An ingest run's entry, for its unit's commit to carry: the file, its format, the report's counts, and
    the error of an unreadable file."""
    return receipt(data_dir, "ingest", actor, via, file=file_facts(path, name), format=report.format,
                   changes={"items": report.items, "created": report.created, "updated": report.updated,
                            "unchanged": report.unchanged, "rejected": len(report.rejected)},
                   error=report.error)


def _entry(action: Action, actor: Actor, via: str, **what: Any) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return {"at": dt.datetime.now(dt.timezone.utc).isoformat(), "action": action, "via": via,
            "who": asdict(actor), **what}


def _receipt(data_dir: Path, entry: dict[str, Any]) -> Receipt:
    return Receipt(str((Path(data_dir) / AUDIT_FILE).resolve()), json.dumps(entry, ensure_ascii=False, default=str))


def receipt(data_dir: Path, action: Action, actor: Actor, via: str, **what: Any) -> Receipt:
    """One entry as the line a commit promises to append (store/files.py)."""
    return _receipt(data_dir, _entry(action, actor, via, **what))


def record(data_dir: Path, action: Action, actor: Actor, via: str, **what: Any) -> dict[str, Any]:
    """Append one entry and fsync it; raises StoreWriteError (naming the file) if it cannot be made durable."""
    entry = _entry(action, actor, via, **what)
    made = _receipt(data_dir, entry)
    append_lines(Path(made.path), [made.line])
    return entry


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open("rb") as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line torn by a crash mid-append
                if isinstance(entry, dict):
                    yield entry
    except FileNotFoundError:
        return


def entries(data_dir: Path, *, action: str | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    """Entries oldest first, optionally of one action and on or after a day; `limit` keeps the newest."""
    found = [e for e in _lines(Path(data_dir) / AUDIT_FILE)
             if (action is None or e.get("action") == action)
             and (since is None or str(e.get("at", ""))[:10] >= since.isoformat())]
    return found[-limit:] if limit else found


def decide_match(store: GraphStore, data_dir: Path, actor: Actor, via: str, match_id: str, status: str,
                 locator: str) -> dict[str, Any]:
    """Record an officer's match decision in the graph (resolver.decide), then in the audit log with the status
    it replaced; returns the decided match."""
    from graph_service.ingest.resolver import decide

    before = ask(store, "possible_matches", status=None, match_id=match_id)
    decided = decide(store, match_id, status, locator)
    record(data_dir, "match-decision", actor, via, match={
        "id": decided["id"], "decision": decided["status"], "was": before[0]["status"] if before else None,
        "start": decided["start"], "start_name": decided["start_name"],
        "end": decided["end"], "end_name": decided["end_name"], "score": decided["score"]})
    return decided

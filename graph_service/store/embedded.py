"""The embedded store: a networkx graph persisted under a data directory.

Durability: the graph is a snapshot file plus an append-only journal of CRC-checked
JSON lines. A batch is one line, fsynced before it is applied in memory. A unit (one
file's ingest) is its batches' lines, each naming the unit, then one commit line:
replay applies a unit's batches only at its commit, so a process killed at any moment
leaves either the old or the new state. A torn last line fails its CRC and is dropped;
a line failing its CRC with more after it is damage, and the store refuses to open
(naming the file, line and byte offset) rather than drop what follows. Compaction writes
a new snapshot to a temporary file and renames it into place (atomic on POSIX).

The snapshot is a CRC-checked pickle (protocol 5) of networkx's own adjacency dicts, read by an
unpickler that refuses every class, so it holds plain data only and loads without rebuilding the
graph edge by edge. A store still holding the older JSON snapshot is migrated on first open.

Memory: a record's attributes share what repeats (`_Compact`): one provenance dict per source row,
interned labels, keys and short values, one empty props dict and an empty tuple for no history.
The graph is read-only to queries, so sharing is safe.

Other processes (the CLI while the API serves) may write the same directory: every
read and write first replays journal lines it has not seen. Writers across processes
take an exclusive file lock, a unit for its whole length, so a unit's lines followed by
any other line without its commit were left by a killed writer and are ignored. A unit's commit line
carries its audit entry (a receipt, files.py), so a kill between the commit and the audit log's
append still leaves one entry: the next process to replay the commit appends it.

The directory is the owner's only (0700, files 0600): it holds contract values and payments.
"""
from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import mmap
import os
import pickle
import re
import sys
import threading
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

import networkx as nx

from graph_service.store.base import BY_LABEL, Executable, check_endpoints, check_labels, stats_from_counts
from graph_service.store.files import Receipt, fsync_dir, open_private, private_dir, settle, write_file
from graph_service.store.merge import merge
from graph_service.errors import SchemaError, StoreCorrupt, StoreWriteError
from graph_service.records import Batch, Node, Provenance, Relationship, WriteReport

log = logging.getLogger(__name__)
SNAPSHOT, JOURNAL, LOCK = "graph.snapshot", "journal.log", ".lock"
LEGACY_SNAPSHOT = "graph.json"  # format 1, before December 2026: migrated on first open
SNAPSHOT_MAGIC = b"graph-service snapshot 2\n"
# A journal is folded into the snapshot once it outgrows both this floor and the snapshot itself, so the
# bytes compaction rewrites stay proportional to the bytes journaled (a 2 GiB snapshot is not rewritten
# every 32 MiB of writes).
COMPACT_AFTER_BYTES = 32 * 1024 * 1024
def _encode(entry: dict[str, Any]) -> bytes:
    body = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode(line: bytes) -> dict[str, Any] | None:
    """A journal line, or None if it is torn or corrupt."""
    if not line.endswith(b"\n") or len(line) < 10:
        return None
    crc, body = line[:8], line[9:-1]
    try:
        if int(crc, 16) != zlib.crc32(body):
            return None
        entry = json.loads(body)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("seq"), int) else None


def _damaged(path: Path, line: int, offset: int) -> StoreCorrupt:
    return StoreCorrupt(
        f"{path}: line {line} (byte offset {offset}) fails its checksum and more follows it; the store was not "
        "opened and nothing was changed. Restore the directory from a backup, or keep the lines before it "
        f"(`head -c {offset} {path.name}`) knowing what follows is lost; `graph-service store check` lists every "
        "damaged line", file=str(path), line=line, offset=offset)


@dataclass
class _Pending:
    """A unit's batches read from the journal, applied only when its commit line follows."""

    unit: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)

    def add(self, ops: list[list[Any]]) -> None:
        for op in ops:
            if op[0] == "node":
                self.nodes[op[1]] = op[2]
            elif op[0] == "edge":
                self.edges[(op[1], op[2], op[3])] = op[4]


class EmbeddedStore:
    backend = "embedded"

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.dir = private_dir(data_dir)
        self.graph = nx.MultiDiGraph()
        self._lock = threading.RLock()
        self._seq = 0
        self._journal_offset = 0  # the end of the last whole line read
        self._journal_line = 0  # how many whole lines that is
        self._pending: _Pending | None = None
        self._snapshot_id: tuple[int, int, int] | None = None  # inode, mtime, size of the snapshot last read
        self._receipts: list[Receipt] = []  # of commits replayed, until settled
        with self._lock:
            self._reload()
        self._migrate()

    # -- persistence ---------------------------------------------------------
    @property
    def _snapshot_path(self) -> Path:
        return self.dir / SNAPSHOT

    @property
    def _journal_path(self) -> Path:
        return self.dir / JOURNAL

    def _snapshot_stat(self) -> tuple[int, int, int] | None:
        try:
            st = self._snapshot_path.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _journal_outgrew_snapshot(self) -> bool:
        snapshot_size = self._snapshot_id[2] if self._snapshot_id else 0
        return self._journal_offset > max(COMPACT_AFTER_BYTES, snapshot_size)

    def _reload(self) -> None:
        self._snapshot_id = self._snapshot_stat()
        if self._snapshot_id:
            seq, graph = load_snapshot(self._snapshot_path)
        elif (self.dir / LEGACY_SNAPSHOT).exists():
            seq, graph = load_legacy_snapshot(self.dir / LEGACY_SNAPSHOT)
        else:
            seq, graph = 0, nx.MultiDiGraph()
        self.graph, self._seq, self._journal_offset, self._journal_line, self._pending = graph, seq, 0, 0, None
        self._replay_journal()

    def _migrate(self) -> None:
        """Write the snapshot in today's format, then drop the JSON one (a kill between leaves both; the new
        wins). A store this process may not write stays readable as it is."""
        if self._snapshot_id or not (self.dir / LEGACY_SNAPSHOT).exists():
            return
        try:
            self.compact()
        except StoreWriteError:
            return
        (self.dir / LEGACY_SNAPSHOT).unlink(missing_ok=True)
        fsync_dir(self.dir)

    def _replay_journal(self) -> None:
        try:
            journal = self._journal_path.open("rb")
        except FileNotFoundError:
            self._journal_offset = self._journal_line = 0
            return
        with journal, collection_paused():  # as for the snapshot: replay only adds records
            journal.seek(self._journal_offset)
            for line in journal:
                entry = _decode(line)
                if entry is None:
                    if journal.read(1):
                        raise _damaged(self._journal_path, self._journal_line + 1, self._journal_offset)
                    break  # a torn last line: its writer was killed mid-write
                self._journal_offset += len(line)
                self._journal_line += 1
                if entry["seq"] <= self._seq:
                    continue  # already in the snapshot (a kill between compaction's rename and truncate)
                self._seq = entry["seq"]
                self._replay(entry)
        self._settle_receipts()

    def _settle_receipts(self) -> None:
        """Append the receipts of the commits just replayed that their file lacks (their writer killed first).
        A process that may not write the file leaves them to one that may (every writer replays commits)."""
        try:
            settle(self._receipts)
        except StoreWriteError as exc:
            log.warning("%s", exc.message)
        self._receipts = []

    def _replay(self, entry: dict[str, Any]) -> None:
        unit = entry.get("unit")
        if self._pending and self._pending.unit != unit:
            self._pending = None  # its writer died before the commit: none of it happened
        if unit is None:
            self._apply(entry["ops"])
        elif entry.get("commit"):
            if self._pending:
                self._apply_pending(self._pending)
            self._pending = None
            if "receipt" in entry:
                self._receipts.append(Receipt(*entry["receipt"]))
        else:
            self._pending = self._pending or _Pending(unit)
            self._pending.add(entry["ops"])

    def _refresh(self) -> None:
        """Catch up with writes made by other processes since we last looked."""
        if self._snapshot_stat() != self._snapshot_id:
            self._reload()
            return
        try:
            size = self._journal_path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size < self._journal_offset:
            self._reload()
        elif size > self._journal_offset:
            self._replay_journal()

    @contextlib.contextmanager
    def _process_lock(self) -> Iterator[None]:
        """Taken before the thread lock, so a unit holding it never waits on a reader."""
        fd = open_private(self.dir / LOCK, os.O_WRONLY | os.O_APPEND)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _append(self, entry: dict[str, Any], durable: bool = True) -> None:
        """Write one journal line after the last whole one (dropping a torn tail); fsync it if `durable`."""
        line = _encode({"seq": self._seq + 1, **entry})
        try:
            with os.fdopen(open_private(self._journal_path, os.O_RDWR), "r+b") as journal:
                journal.truncate(self._journal_offset)  # drop a torn line left by a killed writer
                journal.seek(self._journal_offset)
                try:
                    journal.write(line)
                    journal.flush()
                    if durable:
                        os.fsync(journal.fileno())
                except OSError:
                    journal.truncate(self._journal_offset)
                    raise
        except OSError as exc:
            raise StoreWriteError(f"could not write the journal in {self.dir}: {exc.strerror or exc}; nothing was stored") from exc
        self._journal_offset += len(line)
        self._journal_line += 1
        self._seq += 1

    def _sync_journal(self) -> None:
        try:
            fd = os.open(self._journal_path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StoreWriteError(f"could not write the journal in {self.dir}: {exc.strerror or exc}; nothing was stored") from exc

    def _snapshot_bytes(self) -> bytes:
        graph = self.graph
        body = pickle.dumps((self._seq, graph._node, graph._succ, graph._pred, graph.graph.get(BY_LABEL, {})),
                            protocol=5)
        return SNAPSHOT_MAGIC + b"%08x\n" % zlib.crc32(body) + body

    def compact(self) -> None:
        """Fold the journal into a new snapshot."""
        with self._process_lock(), self._lock:
            self._refresh()
            self._pending = None  # no unit is open while we hold the lock: a pending one is dead
            tmp = self.dir / f"{SNAPSHOT}.tmp"
            try:
                write_file(tmp, self._snapshot_bytes())
                os.replace(tmp, self._snapshot_path)
                fsync_dir(self.dir)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise StoreWriteError(f"could not write a snapshot in {self.dir}: {exc.strerror or exc}; the old state is intact") from exc
            # Journal lines at or below the snapshot's seq are skipped on replay, so a
            # kill between the rename and this truncate loses nothing.
            fd = open_private(self._journal_path, os.O_WRONLY | os.O_TRUNC)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            self._journal_offset = self._journal_line = 0
            self._snapshot_id = self._snapshot_stat()

    def backup(self, target: str | os.PathLike[str]) -> dict[str, Any]:
        """Write the current state as one snapshot into `target` (a new or empty directory), under the
        writers' lock so no batch or unit is half in it; the audit log is copied beside it."""
        target = Path(target)
        if target.exists() and any(target.iterdir()):
            raise StoreWriteError(f"{target} is not empty; back up into a new directory")
        with self._process_lock(), self._lock:
            self._refresh()
            private_dir(target)
            try:
                write_file(target / SNAPSHOT, self._snapshot_bytes())
                audit = self.dir / "audit.log"
                if audit.exists():
                    write_file(target / audit.name, audit.read_bytes())
                fsync_dir(target)
            except OSError as exc:
                raise StoreWriteError(f"could not write the backup in {target}: {exc.strerror or exc}") from exc
            return {"path": str(target), "seq": self._seq, "nodes": self.graph.number_of_nodes(),
                    "relationships": self.graph.number_of_edges()}

    # -- writes --------------------------------------------------------------
    def _apply(self, ops: list[list[Any]]) -> None:
        compact = _Compact()
        for op in ops:
            if op[0] == "node":
                _add(self.graph, compact, nodes=[op[1:]])
            elif op[0] == "edge":
                _add(self.graph, compact, edges=[op[1:]])
            elif op[0] == "clear":
                self.graph.clear()

    def _apply_pending(self, pending: _Pending) -> None:
        _add(self.graph, _Compact(), nodes=pending.nodes.items(),
             edges=((u, v, k, attrs) for (u, v, k), attrs in pending.edges.items()))

    def _ops(self, batch: Batch, report: WriteReport, staged: _Pending) -> list[list[Any]]:
        """The journal operations that upsert the batch over the stored graph and what `staged` holds."""
        def label(key: str) -> str | None:
            attrs = staged.nodes.get(key) or self.graph.nodes.get(key)
            return attrs["label"] if attrs else None

        check_labels(batch, {n.key: label(n.key) for n in batch.nodes})
        check_endpoints(batch, {k: label(k) for r in batch.rels for k in (r.start, r.end)})
        ops: list[list[Any]] = []
        for record in batch.nodes:
            current = self._state(staged.nodes.get(record.key) or self.graph.nodes.get(record.key))
            state, outcome = merge(current, record.props, record.provenance)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if state is not None:
                attrs = {"label": record.label, **state}
                staged.nodes[record.key] = attrs
                ops.append(["node", record.key, attrs])
        for rel in batch.rels:
            edge = (rel.start, rel.end, rel.rel_id)
            current = self._state(staged.edges.get(edge) or self.graph.get_edge_data(*edge))
            state, outcome = merge(current, rel.stored_props(), rel.provenance)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if state is not None:
                attrs = {"type": rel.type, **state}
                staged.edges[edge] = attrs
                ops.append(["edge", *edge, attrs])
        return ops

    def upsert(self, batch: Batch) -> WriteReport:
        report = WriteReport()
        with self._process_lock(), self._lock:
            self._refresh()
            self._pending = None  # see compact
            ops = self._ops(batch, report, _Pending(""))
            if ops:
                self._append({"ops": ops})
                self._apply(ops)
        if self._journal_outgrew_snapshot():
            self.compact()
        return report

    @contextlib.contextmanager
    def unit(self, receipt: Callable[[], Receipt] | None = None) -> Iterator["EmbeddedUnit"]:
        """Batches written through the unit become visible together at its end, or never (an exception,
        a kill). The commit line carries `receipt()`, appended once the commit is durable (files.py)."""
        with self._process_lock():
            with self._lock:
                self._refresh()
                self._pending = None  # see compact
            unit = EmbeddedUnit(self, _Pending(uuid.uuid4().hex))
            yield unit
            made = receipt() if receipt else None
            if unit.written:
                self._sync_journal()
                with self._lock:
                    self._append({"unit": unit.staged.unit, "commit": True,
                                  **({"receipt": made.as_list()} if made else {})})
                    self._apply_pending(unit.staged)
            if made:
                settle([made])
        if self._journal_outgrew_snapshot():
            self.compact()

    def restore(self, nodes: list[Node], rels: list[Relationship]) -> None:
        ops: list[list[Any]] = [["node", n.key, {"label": n.label, **n.state()}] for n in nodes]
        ops += [["edge", r.start, r.end, r.id, {"type": r.type, **r.state()}] for r in rels]
        with self._process_lock(), self._lock:
            self._refresh()
            self._pending = None
            self._append({"ops": ops})
            self._apply(ops)
        self.compact()

    def clear(self) -> None:
        with self._process_lock(), self._lock:
            self._refresh()
            self._pending = None
            self._append({"ops": [["clear"]]})
            self.graph.clear()
        self.compact()

    # -- reads ---------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[nx.MultiDiGraph]:
        """The graph as one consistent state: no batch is half-applied while held."""
        with self._lock:
            self._refresh()
            yield self.graph

    @staticmethod
    def _state(attrs: dict[str, Any] | None) -> dict[str, Any] | None:
        if attrs is None:
            return None
        return {"props": attrs["props"], "prov": attrs["prov"], "history": list(attrs["history"])}

    def settle(self) -> None:
        with self._lock:
            self._refresh()  # replaying a commit settles its receipt

    def ping(self) -> None:
        """Raises if the store cannot be read (a damaged journal)."""
        with self.read():
            pass

    def get(self, key: str) -> Node | None:
        with self.read() as graph:
            attrs = graph.nodes.get(key)
            return node_from_attrs(key, attrs) if attrs else None

    def labels(self, keys: set[str]) -> dict[str, str]:
        with self.read() as graph:
            return {k: graph.nodes[k]["label"] for k in keys if k in graph}

    def neighbours(self, key: str) -> list[tuple[Relationship, Node]]:
        with self.read() as graph:
            if key not in graph:
                return []
            pairs = [
                (rel_from_attrs(u, v, k, a), node_from_attrs(v, graph.nodes[v]))
                for u, v, k, a in graph.out_edges(key, keys=True, data=True)
            ] + [
                (rel_from_attrs(u, v, k, a), node_from_attrs(u, graph.nodes[u]))
                for u, v, k, a in graph.in_edges(key, keys=True, data=True)
            ]
        return sorted(pairs, key=lambda pair: pair[0].id)

    def execute(self, query: Executable, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.read() as graph:
            return query.embedded(graph, **params)

    def stats(self) -> dict[str, Any]:
        with self.read() as graph:
            labels = Counter(a["label"] for _, a in graph.nodes(data=True))
            rels = Counter(a["type"] for _, _, a in graph.edges(data=True))
        return stats_from_counts(self.backend, labels, rels)

    def export(self) -> tuple[list[Node], list[Relationship]]:
        with self.read() as graph:
            nodes = [node_from_attrs(k, a) for k, a in graph.nodes(data=True)]
            rels = [rel_from_attrs(u, v, k, a) for u, v, k, a in graph.edges(keys=True, data=True)]
        return nodes, rels

    def close(self) -> None:
        """Nothing to release: every batch is durable when upsert returns."""


class EmbeddedUnit:
    """The writing side of `EmbeddedStore.unit`: upserts see each other, nobody else sees them until the commit."""

    def __init__(self, store: EmbeddedStore, staged: _Pending):
        self.store, self.staged, self.written = store, staged, False

    def upsert(self, batch: Batch) -> WriteReport:
        report = WriteReport()
        store = self.store
        with store._lock:
            ops = store._ops(batch, report, self.staged)
            if ops:
                # fsynced once, before the commit line: until then a kill leaves lines replay ignores
                store._append({"unit": self.staged.unit, "ops": ops}, durable=False)
                self.written = True
        return report


def _index_labels(graph: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """A node's label never changes (check_labels), so the index only grows until a clear."""
    by_label = graph.graph.setdefault(BY_LABEL, {})
    for key, attrs in nodes:
        by_label.setdefault(attrs["label"], {})[key] = None


_DIGIT = re.compile(r"\d")  # searched in C: a generator over the characters was a tenth of journal replay
_EMPTY: dict[str, Any] = {}  # the props of most relationships: one dict for them all


def _shared(value: Any) -> Any:
    """Short strings (dates, codes, statuses) and digit-free ones (categories, names) repeat: one copy each.
    Long strings with digits (ids, transaction numbers) rarely do, and interning them would only cost."""
    if isinstance(value, str) and (len(value) <= 10 or (len(value) <= 48 and not _DIGIT.search(value))):
        return sys.intern(value)
    return value


class _Compact:
    """Records as the graph keeps them: one provenance dict per distinct provenance in a write (a row's node
    and relationships share it), interned keys and short values, `()` for no history."""

    def __init__(self) -> None:
        self.provs: dict[tuple, dict[str, Any]] = {}

    def __call__(self, attrs: dict[str, Any]) -> dict[str, Any]:
        prov = attrs["prov"]
        found = tuple(prov.items())
        shared = self.provs.get(found)
        if shared is None:
            shared = self.provs[found] = {sys.intern(k): _shared(v) for k, v in prov.items()}
        props = attrs["props"]
        out = {k: (sys.intern(v) if k in ("label", "type") else v) for k, v in attrs.items()}
        out["props"] = {sys.intern(k): _shared(v) for k, v in props.items()} if props else _EMPTY
        out["prov"] = shared
        out["history"] = tuple(attrs["history"])
        return out


def _add(graph: nx.MultiDiGraph, compact: _Compact, nodes: Iterable[Any] = (), edges: Iterable[Any] = ()) -> None:
    """Put (key, attrs) nodes and (start, end, id, attrs) edges into the graph as it keeps them: keys
    interned, attributes compacted, the label, match-key and match indexes kept."""
    added = [(sys.intern(key), compact(attrs)) for key, attrs in nodes]
    by_match_key = graph.graph.get(BY_MATCH_KEY)
    if by_match_key is not None:  # an update replaces the node's props: its old keys go first
        for key, _ in added:
            if key in graph:
                _hold(by_match_key, key, graph.nodes[key], release=True)
    graph.add_nodes_from(added)
    _index_labels(graph, added)
    if by_match_key is not None:
        for key, _ in added:
            _hold(by_match_key, key, graph.nodes[key])
    added_edges: Iterable[Any] = ((sys.intern(u), sys.intern(v), k, compact(attrs)) for u, v, k, attrs in edges)
    matches = graph.graph.get(MATCHES)
    if matches is not None:
        added_edges = list(added_edges)
        _index_matches(matches, added_edges)
    graph.add_edges_from(added_edges)


# Golden-record resolution and the match review look organisations up by match key and matches up by
# organisation (queries/resolver.py, queries/partners.py). Those indexes sit in graph.graph beside the
# label index but not in the snapshot: each is built from the graph by its first look-up in a process (one
# walk, which a command that never resolves does not pay), then kept by _add; a clear drops them with
# graph.graph. Nodes and edges are never removed one by one, so an update is the only other change.
BY_MATCH_KEY = "by_match_key"  # an Organisation's match key -> its key, or the set of them when several hold it
MATCHES = "by_match"  # an organisation's key -> {(start, end, id): None} of the POSSIBLY_SAME_AS touching it
MATCH_TYPE = "POSSIBLY_SAME_AS"


def _hold(index: dict[str, Any], key: str, attrs: dict[str, Any], release: bool = False) -> None:
    """Index (or, with release, unindex) an Organisation's match keys. One holder is kept as a plain string:
    most keys (a name, an identifier) are one organisation's, and a set for each would outweigh the index."""
    if attrs["label"] != "Organisation":
        return
    for match_key in attrs["props"].get("match_keys") or ():
        held = index.get(match_key)
        if release:
            if held == key:
                del index[match_key]
            elif isinstance(held, set):
                held.discard(key)
                if len(held) == 1:
                    index[match_key] = held.pop()
        elif held is None:
            index[match_key] = key
        elif isinstance(held, str):
            if held != key:
                index[match_key] = {held, key}
        else:
            held.add(key)


def _index_matches(index: dict[str, dict[tuple[str, str, str], None]], edges: Iterable[Any]) -> None:
    for u, v, k, attrs in edges:
        if attrs["type"] == MATCH_TYPE:
            index.setdefault(u, {})[(u, v, k)] = None
            index.setdefault(v, {})[(u, v, k)] = None


def _built(graph: nx.MultiDiGraph, name: str) -> dict[str, Any] | None:
    """The index, built now if this is the store's graph and it has none; None for a graph the store did
    not build (by hand, an export read back) or a view (it would index only what the view shows)."""
    index = graph.graph.get(name)
    if index is None and BY_LABEL in graph.graph and not nx.is_frozen(graph):
        index = {}
        if name == BY_MATCH_KEY:
            for key in graph.graph[BY_LABEL].get("Organisation", ()):
                _hold(index, key, graph.nodes[key])
        else:
            _index_matches(index, graph.edges(keys=True, data=True))
        graph.graph[name] = index
    return index


def match_key_holders(graph: nx.MultiDiGraph, match_keys: Iterable[str]) -> dict[str, Collection[str]] | None:
    """Each match key's Organisations (MATCH (o:Organisation) WHERE key IN o.match_keys), or None when the
    graph has no index to ask (the caller walks the label). The index's own sets, not copies, so counting
    a crowded key costs nothing: the caller only reads them."""
    index = _built(graph, BY_MATCH_KEY)
    if index is None:
        return None
    out: dict[str, Collection[str]] = {}
    for match_key in match_keys:
        held = index.get(match_key, ())
        held = (held,) if isinstance(held, str) else held
        out[match_key] = [k for k in held if k in graph] if nx.is_frozen(graph) else held  # a view shows some
    return out


def matches_touching(graph: nx.MultiDiGraph, keys: Iterable[str] | None = None) -> list[tuple[str, str, str]] | None:
    """The (start, end, id) of every POSSIBLY_SAME_AS touching one of these nodes (None: every one), or None
    when the graph has no index to ask (the caller walks the edges)."""
    index = _built(graph, MATCHES)
    if index is None:
        return None
    found = (index.get(key, {}) for key in keys) if keys is not None else index.values()
    edges = dict.fromkeys(edge for held in found for edge in held)
    return [edge for edge in edges if graph.has_edge(*edge)]  # a view may hide it


class _PlainData(pickle.Unpickler):
    """A snapshot holds dicts, lists, tuples, strings and numbers only: naming any class is refused, so a
    planted file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a snapshot holds plain data only, not {module}.{name}")


_pauses = {"running": 0, "was_enabled": False}
_pauses_lock = threading.Lock()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Cyclic collection paused while a load or an analysis builds hundreds of thousands of containers that
    live until it ends: a collection meanwhile walks every record of the store and frees nothing (reference
    counting frees them either way). Pauses may overlap (threads of the server): collection resumes, if it
    was on, when the last ends. Also a decorator."""
    with _pauses_lock:
        if not _pauses["running"]:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["running"] += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses["running"] -= 1
            if not _pauses["running"] and _pauses["was_enabled"]:
                gc.enable()


def load_snapshot(path: Path) -> tuple[int, nx.MultiDiGraph]:
    """(seq, graph) from a snapshot: networkx's adjacency dicts put back as they were dumped."""
    try:
        # Mapped, not read: copying the file into memory (and again into a BytesIO) cost a third of the load.
        # A snapshot is never written in place (compaction renames a new file over it), so the mapped bytes
        # stay the ones checksummed.
        with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            head = len(SNAPSHOT_MAGIC)
            with memoryview(data) as view:
                if data[:head] != SNAPSHOT_MAGIC or int(data[head:head + 8], 16) != zlib.crc32(view[head + 9:]):
                    raise ValueError("not a graph-service snapshot, or it fails its checksum")
            data.seek(head + 9)
            with collection_paused():
                seq, node, succ, pred, by_label = _PlainData(data).load()
        if not isinstance(seq, int) or not all(isinstance(d, dict) for d in (node, succ, pred, by_label)):
            raise ValueError("not a graph-service snapshot (seq, nodes, adjacency)")
    except (ValueError, pickle.UnpicklingError, EOFError) as exc:
        raise StoreCorrupt(f"{path}: the snapshot cannot be read ({exc}); the store was not opened and nothing "
                           "was changed. Restore it from a backup", file=str(path)) from None
    graph = nx.MultiDiGraph()
    graph._node, graph._succ, graph._pred = node, succ, pred
    graph._adj = succ
    graph.graph[BY_LABEL] = by_label
    return seq, graph


def load_legacy_snapshot(path: Path) -> tuple[int, nx.MultiDiGraph]:
    """(seq, graph) from a format-1 JSON snapshot."""
    data = read_snapshot(path)
    graph = nx.MultiDiGraph()
    _add(graph, _Compact(), nodes=data["nodes"], edges=data["edges"])
    return data["seq"], graph


def read_snapshot(path: Path) -> dict[str, Any]:
    """A format-1 (JSON) snapshot."""
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or not isinstance(data.get("seq"), int) or \
                not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
            raise ValueError("not a graph-service snapshot (format, seq, nodes, edges)")
    except ValueError as exc:
        raise StoreCorrupt(f"{path}: the snapshot cannot be read ({exc}); the store was not opened and nothing "
                           "was changed. Restore it from a backup", file=str(path)) from None
    return data


def check(data_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Verify an embedded store without opening it: the snapshot reads, every journal line passes its
    checksum, units are committed or abandoned whole, and every relationship joins nodes its type allows."""
    from graph_service.schema import schema

    folder = Path(data_dir)
    problems: list[str] = []
    found: dict[str, Any] = {"path": str(folder), "snapshot": None, "journal_lines": 0, "units_committed": 0,
                             "units_abandoned": 0, "torn_tail_bytes": 0}
    store = EmbeddedStore.__new__(EmbeddedStore)  # the replay rules without opening (nor creating) anything
    store.dir, store.graph, store._lock = folder, nx.MultiDiGraph(), threading.RLock()
    store._seq, store._receipts = 0, []  # receipts are only read: checking writes nothing
    snapshot = folder / SNAPSHOT if (folder / SNAPSHOT).exists() else folder / LEGACY_SNAPSHOT
    if snapshot.exists():
        try:
            store._seq, store.graph = (load_snapshot if snapshot.name == SNAPSHOT else load_legacy_snapshot)(snapshot)
            found["snapshot"] = {"seq": store._seq, "nodes": store.graph.number_of_nodes(),
                                 "relationships": store.graph.number_of_edges()}
        except StoreCorrupt as exc:
            problems.append(exc.message)
    pending: str | None = None
    offset = 0
    try:
        with (folder / JOURNAL).open("rb") as journal:
            lines = list(journal)
    except FileNotFoundError:
        lines = []
    store._pending = None
    for number, line in enumerate(lines, 1):
        entry = _decode(line)
        if entry is None:
            if number == len(lines):
                found["torn_tail_bytes"] = len(line)
            else:
                problems.append(f"{folder / JOURNAL}: line {number} (byte offset {offset}) fails its checksum")
            offset += len(line)
            continue
        offset += len(line)
        found["journal_lines"] += 1
        if entry["seq"] <= store._seq:
            continue
        store._seq = entry["seq"]
        unit = entry.get("unit")
        if pending and pending != unit:
            found["units_abandoned"] += 1
        if unit and entry.get("commit"):
            found["units_committed"] += 1
        pending = unit if unit and not entry.get("commit") else None
        if not problems:
            store._replay(entry)
    if pending:
        found["units_abandoned"] += 1
    if not problems:
        labels = schema().labels
        for key, attrs in store.graph.nodes(data=True):
            if attrs.get("label") not in labels:
                problems.append(f"node {key!r}: label {attrs.get('label')!r} is not in the schema")
        for u, v, k, attrs in store.graph.edges(keys=True, data=True):
            try:
                spec = schema().rel(attrs.get("type"))
            except SchemaError:
                problems.append(f"relationship {k!r}: type {attrs.get('type')!r} is not in the schema")
                continue
            for end, key, allowed in (("start", u, spec.sources), ("end", v, spec.targets)):
                label = store.graph.nodes[key].get("label")
                if label not in allowed:
                    problems.append(f"relationship {k!r}: its {end} {key!r} is a {label}, not one of {sorted(allowed)}")
        found["nodes"], found["relationships"] = store.graph.number_of_nodes(), store.graph.number_of_edges()
    found["problems"] = problems
    found["ok"] = not problems
    return found


def node_from_attrs(key: str, attrs: dict[str, Any]) -> Node:
    return Node(label=attrs["label"], key=key, props=attrs["props"],
                provenance=Provenance(**attrs["prov"]), history=attrs["history"])


def rel_from_attrs(start: str, end: str, rid: str, attrs: dict[str, Any]) -> Relationship:
    return Relationship(id=rid, type=attrs["type"], start=start, end=end, props=attrs["props"],
                        provenance=Provenance(**attrs["prov"]), history=attrs["history"])

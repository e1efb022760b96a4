"""The embedded store: a networkx graph persisted under a data directory.

Durability: the graph is a snapshot file plus an append-only journal. A batch is
one journal line (CRC-checked JSON) that is fsynced before the batch is applied in
memory, so a process killed at any moment leaves either the old or the new state:
a torn last line fails its CRC and is dropped on the next open. Compaction writes
a new snapshot to a temporary file and renames it into place (atomic on POSIX).

Other processes (the CLI while the API serves) may write the same directory: every
read and write first replays journal lines it has not seen. Writers across
processes take an exclusive file lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import zlib
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from graph_service.store.base import check_endpoints, stats_from_counts
from graph_service.store.merge import merge
from graph_service.errors import StoreWriteError
from graph_service.records import Batch, Node, Provenance, Relationship, WriteReport

SNAPSHOT, JOURNAL, LOCK = "graph.json", "journal.log", ".lock"
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
        return json.loads(body)
    except ValueError:
        return None


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in this directory durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EmbeddedStore:
    backend = "embedded"

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.graph = nx.MultiDiGraph()
        self._lock = threading.RLock()
        self._seq = 0
        self._journal_offset = 0
        self._snapshot_id: tuple[int, int] | None = None
        with self._lock:
            self._reload()

    # -- persistence ---------------------------------------------------------
    @property
    def _snapshot_path(self) -> Path:
        return self.dir / SNAPSHOT

    @property
    def _journal_path(self) -> Path:
        return self.dir / JOURNAL

    def _snapshot_stat(self) -> tuple[int, int] | None:
        try:
            st = self._snapshot_path.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _reload(self) -> None:
        graph = nx.MultiDiGraph()
        seq = 0
        self._snapshot_id = self._snapshot_stat()
        if self._snapshot_id:
            data = json.loads(self._snapshot_path.read_bytes())
            seq = data["seq"]
            graph.add_nodes_from((key, attrs) for key, attrs in data["nodes"])
            graph.add_edges_from((u, v, k, attrs) for u, v, k, attrs in data["edges"])
        self.graph, self._seq, self._journal_offset = graph, seq, 0
        self._replay_journal()

    def _replay_journal(self) -> None:
        try:
            with self._journal_path.open("rb") as journal:
                journal.seek(self._journal_offset)
                for line in journal:
                    entry = _decode(line)
                    if entry is None:
                        break
                    if entry["seq"] > self._seq:
                        self._apply(entry["ops"])
                        self._seq = entry["seq"]
                    self._journal_offset += len(line)
        except FileNotFoundError:
            self._journal_offset = 0

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
        with (self.dir / LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _append(self, ops: list[list[Any]]) -> None:
        line = _encode({"seq": self._seq + 1, "ops": ops})
        try:
            with self._journal_path.open("r+b" if self._journal_path.exists() else "wb") as journal:
                journal.truncate(self._journal_offset)  # drop a torn line left by a killed writer
                journal.seek(self._journal_offset)
                try:
                    journal.write(line)
                    journal.flush()
                    os.fsync(journal.fileno())
                except OSError:
                    journal.truncate(self._journal_offset)
                    raise
        except OSError as exc:
            raise StoreWriteError(f"could not write the journal in {self.dir}: {exc.strerror or exc}; nothing was stored") from exc
        self._journal_offset += len(line)
        self._seq += 1

    def compact(self) -> None:
        """Fold the journal into a new snapshot."""
        with self._lock, self._process_lock():
            self._refresh()
            data = {
                "format": 1,
                "seq": self._seq,
                "nodes": [[k, a] for k, a in self.graph.nodes(data=True)],
                "edges": [[u, v, k, a] for u, v, k, a in self.graph.edges(keys=True, data=True)],
            }
            tmp = self.dir / f"{SNAPSHOT}.tmp"
            try:
                with tmp.open("wb") as out:
                    out.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self._snapshot_path)
                fsync_dir(self.dir)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise StoreWriteError(f"could not write a snapshot in {self.dir}: {exc.strerror or exc}; the old state is intact") from exc
            # Journal lines at or below the snapshot's seq are skipped on replay, so a
            # kill between the rename and this truncate loses nothing.
            with self._journal_path.open("wb") as journal:
                os.fsync(journal.fileno())
            self._journal_offset = 0
            self._snapshot_id = self._snapshot_stat()

    # -- writes --------------------------------------------------------------
    def _apply(self, ops: list[list[Any]]) -> None:
        for op in ops:
            if op[0] == "node":
                _, key, attrs = op
                self.graph.add_node(key, **attrs)
            elif op[0] == "edge":
                _, u, v, k, attrs = op
                self.graph.add_edge(u, v, key=k, **attrs)
            elif op[0] == "clear":
                self.graph.clear()

    def upsert(self, batch: Batch) -> WriteReport:
        report = WriteReport()
        with self._lock, self._process_lock():
            self._refresh()
            check_endpoints(batch, {k: self._label(k) for r in batch.rels for k in (r.start, r.end)})
            staged: dict[str, dict[str, Any]] = {}
            ops: list[list[Any]] = []
            for record in batch.nodes:
                current = staged.get(record.key) or self._state(self.graph.nodes.get(record.key))
                state, outcome = merge(current, record.props, record.provenance)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if state is not None:
                    staged[record.key] = state
                    ops.append(["node", record.key, {"label": record.label, **state}])
            staged_edges: dict[str, dict[str, Any]] = {}
            for rel in batch.rels:
                rid = rel.rel_id
                existing = self.graph.get_edge_data(rel.start, rel.end, rid)
                current = staged_edges.get(rid) or self._state(existing)
                state, outcome = merge(current, rel.stored_props(), rel.provenance)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if state is not None:
                    staged_edges[rid] = state
                    ops.append(["edge", rel.start, rel.end, rid, {"type": rel.type, **state}])
            if ops:
                self._append(ops)
                self._apply(ops)
        if self._journal_offset > COMPACT_AFTER_BYTES:
            self.compact()
        return report

    def restore(self, nodes: list[Node], rels: list[Relationship]) -> None:
        ops: list[list[Any]] = [["node", n.key, {"label": n.label, **n.state()}] for n in nodes]
        ops += [["edge", r.start, r.end, r.id, {"type": r.type, **r.state()}] for r in rels]
        with self._lock, self._process_lock():
            self._refresh()
            self._append(ops)
            self._apply(ops)
        self.compact()

    def clear(self) -> None:
        with self._lock, self._process_lock():
            self._refresh()
            self._append([["clear"]])
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
        return {"props": attrs["props"], "prov": attrs["prov"], "history": attrs["history"]}

    def _label(self, key: str) -> str | None:
        attrs = self.graph.nodes.get(key)
        return attrs["label"] if attrs else None

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

    def run(self, query: str, **params: Any) -> Any:
        from graph_service.queries import registry

        named = registry.get(query)
        bound = named.bind(params)
        with self.read() as graph:
            rows = named.embedded(graph, **bound)
        return named.complete(rows, bound)

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


def node_from_attrs(key: str, attrs: dict[str, Any]) -> Node:
    return Node(label=attrs["label"], key=key, props=attrs["props"],
                provenance=Provenance(**attrs["prov"]), history=attrs["history"])


def rel_from_attrs(start: str, end: str, rid: str, attrs: dict[str, Any]) -> Relationship:
    return Relationship(id=rid, type=attrs["type"], start=start, end=end, props=attrs["props"],
                        provenance=Provenance(**attrs["prov"]), history=attrs["history"])

"""The Neo4j backend: the same GraphStore over Bolt, for a server, a cluster or Aura.

Writes are managed write transactions (the driver retries transient failures and
routes them to the leader); reads are read transactions, which a cluster may send
to followers. Every node carries the label :Node beside its own, so one uniqueness
constraint on :Node(key) keeps keys unique across labels. Provenance and history
are stored as properties prefixed with "_", exactly what the embedded store holds.
Labels and relationship types reach Cypher text only from the schema module;
everything else is a parameter.

A unit (one file's ingest) is one explicit transaction: Neo4j rolls it back if the
process writing it dies, so a file is stored whole or not at all. Connections and
queries time out in seconds, so an outage answers 503 quickly rather than hanging.
"""
from __future__ import annotations

import json
import socket
import uuid
from collections import defaultdict
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

from graph_service.store.base import Executable, check_endpoints, check_labels, stats_from_counts
from graph_service.store.files import Receipt, settle
from graph_service.store.merge import merge
from graph_service.config import Settings
from graph_service.cypher import CYPHER_DIR
from graph_service.errors import PayloadTooLarge, StoreUnavailable
from graph_service.records import Batch, Node, Provenance, Relationship, WriteReport
from graph_service.schema import schema

SCHEMA_CYPHER = CYPHER_DIR / "schema.cypher"
_PROV = ("source", "locator", "loaded_at", "illustrative")
# Seconds. An outage answers within about CONNECT_TIMEOUT + RETRY_TIME; a query that runs
# longer than QUERY_TIMEOUT is stopped by the server. A unit (a whole file) has no limit.
CONNECT_TIMEOUT, RETRY_TIME, QUERY_TIMEOUT = 3.0, 2.0, 30.0
# The server is asked not to send what is noise to a caller: named queries read properties and labels a
# store may not hold yet ("The label `Node` does not exist"), and hints and performance advice are for
# whoever writes the Cypher. Warnings of other kinds (deprecation, security, schema) still reach the log.
NOTIFICATIONS_MIN_SEVERITY = "WARNING"
NOTIFICATIONS_DISABLED = ["UNRECOGNIZED", "HINT", "PERFORMANCE", "GENERIC"]
INGEST_LOCK = "IngestLock"  # the label of the one node whose write lock serialises writers (not a :Node)
RECEIPT = "Receipt"  # a committed unit's audit line until it is in its file (store/files.py; not a :Node)


def schema_statements() -> list[str]:
    """Constraints and indexes, derived from the schema module (cypher/schema.cypher is checked against this)."""
    statements = ["CREATE CONSTRAINT node_key IF NOT EXISTS FOR (n:Node) REQUIRE n.key IS UNIQUE",
                  f"CREATE CONSTRAINT ingest_lock IF NOT EXISTS FOR (n:{INGEST_LOCK}) REQUIRE n.name IS UNIQUE",
                  f"CREATE CONSTRAINT receipt_id IF NOT EXISTS FOR (n:{RECEIPT}) REQUIRE n.id IS UNIQUE"]
    for label in sorted(schema().labels):
        statements.append(f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE")
    for rel in sorted(schema().relationships):
        statements.append(f"CREATE INDEX rel_{rel.lower()}_id IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.id)")
    statements.append(
        "CREATE FULLTEXT INDEX search_text IF NOT EXISTS FOR (n:Organisation|Policy|Post|Person|Workstream|Contract|Grant) "
        "ON EACH [n.name, n.title, n.aliases, n.keywords]"
    )
    statements.append(  # golden-record resolution's look-ups (queries/resolver.py): each key one exact term
        "CREATE FULLTEXT INDEX organisation_match IF NOT EXISTS FOR (n:Organisation) ON EACH [n.match_keys] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}"
    )
    return statements


def _encode(state: dict[str, Any], key_name: str, key: str) -> dict[str, Any]:
    props = {**state["props"], key_name: key}
    props.update({f"_{p}": state["prov"][p] for p in _PROV})
    props["_history"] = json.dumps(state["history"], ensure_ascii=False)
    return props


def _decode(raw: dict[str, Any], key_name: str) -> dict[str, Any]:
    props = {k: v for k, v in raw.items() if not k.startswith("_") and k != key_name}
    return {
        "props": props,
        "prov": {p: raw[f"_{p}"] for p in _PROV},
        "history": json.loads(raw.get("_history") or "[]"),
    }


class Neo4jStore:
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j"):
        self.uri, self.database = uri, database
        self.driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=CONNECT_TIMEOUT,
                                           connection_acquisition_timeout=CONNECT_TIMEOUT + RETRY_TIME,
                                           max_transaction_retry_time=RETRY_TIME,
                                           notifications_min_severity=NOTIFICATIONS_MIN_SEVERITY,
                                           notifications_disabled_classifications=NOTIFICATIONS_DISABLED)
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "Neo4jStore":
        uri, user, password = settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password
        if not uri or not password:
            from graph_service.store import neo4j_server

            local_uri, local_user, local_password = neo4j_server.connection_settings()
            uri, user, password = uri or local_uri, user or local_user, password or local_password
        return cls(uri, user, password, settings.neo4j_database)

    # -- plumbing ------------------------------------------------------------
    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        try:
            with self.driver.session(database=self.database) as session:
                yield session
        except (ServiceUnavailable, SessionExpired, ConnectionError, TimeoutError) as exc:  # not the caller's own OSErrors
            raise StoreUnavailable(f"Neo4j at {self.uri} is not answering ({type(exc).__name__}); try again shortly",
                                   store=self.uri) from exc
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc.message}", store=self.uri) from exc

    def _read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        @neo4j.unit_of_work(timeout=QUERY_TIMEOUT)
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(cypher, params)]

        with self._session() as session:
            return session.execute_read(work)

    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        statements = [line.rstrip(";") for line in SCHEMA_CYPHER.read_text().splitlines()
                      if line and not line.startswith("//")]
        with self._session() as session:
            for statement in statements:
                session.run(statement).consume()
        self._schema_ready = True

    # -- writes --------------------------------------------------------------
    def upsert(self, batch: Batch) -> WriteReport:
        self.ensure_schema()
        with self._session() as session:
            return session.execute_write(_upsert, batch)

    @contextmanager
    def unit(self, receipt: Callable[[], Receipt] | None = None) -> Iterator["Neo4jUnit"]:
        """One explicit transaction for the whole unit; on any exception, or if this process dies, the
        server rolls it back. `receipt()` is committed with it as a :Receipt node, appended to its file
        once the commit is done and then deleted (files.py); settle() appends those of killed writers."""
        self.ensure_schema()
        self.settle()
        made = None
        with self._session() as session:
            tx = session.begin_transaction()
            try:
                yield Neo4jUnit(tx)
                made = receipt() if receipt else None
                if made:
                    tx.run(f"CREATE (:{RECEIPT} {{id: $id, host: $host, path: $path, line: $line}})",
                           id=uuid.uuid4().hex, host=socket.gethostname(), path=made.path, line=made.line).consume()
                tx.commit()
            except Neo4jError as exc:
                if exc.code and exc.code.endswith(".MemoryPoolOutOfMemoryError"):
                    raise PayloadTooLarge(
                        "the unit is too big for Neo4j's transaction memory, so nothing of it was stored: raise "
                        "dbms.memory.transaction.total.max (GRAPH_SERVICE_NEO4J_TRANSACTION_MAX on the project's "
                        "own server) and the heap (GRAPH_SERVICE_NEO4J_HEAP), or split the file; docs/benchmarks.md "
                        f"says how many rows a GiB holds. Neo4j: {exc.message}", store=self.uri) from exc
                raise
            finally:
                if not tx.closed():
                    tx.close()  # rolls back
        if made:
            self.settle()

    def settle(self) -> None:
        """Append this machine's receipts of committed units to their files (unless there already), then
        delete them: a writer killed after its commit left its audit entry here."""
        found = self._read(f"MATCH (r:{RECEIPT} {{host: $host}}) RETURN r.id AS id, r.path AS path, r.line AS line",
                           host=socket.gethostname())
        if found:
            settle(Receipt(r["path"], r["line"]) for r in found)
            with self._session() as session:
                session.run(f"UNWIND $ids AS id MATCH (r:{RECEIPT} {{id: id}}) DELETE r",
                            ids=[r["id"] for r in found]).consume()

    def ping(self) -> None:
        with self._session() as session:
            session.run(neo4j.Query("RETURN 1", timeout=CONNECT_TIMEOUT)).consume()

    def check(self) -> dict[str, Any]:
        """Constraints and indexes the schema asks for are present, every node has one schema label beside
        :Node, and the counts."""
        wanted = {statement.split()[2] for statement in schema_statements()}
        present = {r["name"] for r in self._read("SHOW CONSTRAINTS YIELD name RETURN name")}
        present |= {r["name"] for r in self._read("SHOW INDEXES YIELD name RETURN name")}
        odd = self._read("MATCH (n:Node) WHERE size(labels(n)) <> 2 RETURN n.key AS key, labels(n) AS labels LIMIT 20")
        problems = [f"missing constraint or index {name!r} (it is created on the first write)"
                    for name in sorted(wanted - present)]
        problems += [f"node {r['key']!r} has labels {sorted(r['labels'])}, not :Node and one label" for r in odd]
        return {"uri": self.uri, **self.stats(), "problems": problems, "ok": not problems}

    def restore(self, nodes: list[Node], rels: list[Relationship], chunk: int = 5000) -> None:
        self.ensure_schema()
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for n in nodes:
            by_label[n.label].append({"key": n.key, "props": _encode(n.state(), "key", n.key)})
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rels:
            by_type[r.type].append({"start": r.start, "end": r.end, "id": r.id, "props": _encode(r.state(), "id", r.id)})
        with self._session() as session:
            for label, rows in by_label.items():
                for i in range(0, len(rows), chunk):
                    session.execute_write(_write_nodes, label, rows[i:i + chunk])
            for rel_type, rows in by_type.items():
                for i in range(0, len(rows), chunk):
                    session.execute_write(_write_rels, rel_type, rows[i:i + chunk])

    def clear(self) -> None:
        with self._session() as session:
            # relationships first, in batches: DETACH DELETE of 5000 nodes at once takes all their relationships
            # into one transaction, which outgrows the transaction memory pool once a node has 100,000s of them
            session.run("MATCH (:Node)-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
            session.run("MATCH (n:Node) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()

    # -- reads ---------------------------------------------------------------
    def get(self, key: str) -> Node | None:
        rows = self._read(
            "MATCH (n:Node {key: $key}) RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, properties(n) AS props",
            key=key)
        return _node(key, rows[0]["label"], rows[0]["props"]) if rows else None

    def labels(self, keys: set[str]) -> dict[str, str]:
        rows = self._read(
            "MATCH (n:Node) WHERE n.key IN $keys RETURN n.key AS key, [l IN labels(n) WHERE l <> 'Node'][0] AS label",
            keys=list(keys))
        return {r["key"]: r["label"] for r in rows}

    def neighbours(self, key: str) -> list[tuple[Relationship, Node]]:
        rows = self._read(
            "MATCH (n:Node {key: $key})-[r]-(m:Node) "
            "RETURN type(r) AS type, startNode(r).key AS start, endNode(r).key AS end, properties(r) AS rprops, "
            "m.key AS other, [l IN labels(m) WHERE l <> 'Node'][0] AS label, properties(m) AS props", key=key)
        pairs = [(_relationship(r["type"], r["start"], r["end"], r["rprops"]), _node(r["other"], r["label"], r["props"]))
                 for r in rows]
        return sorted(pairs, key=lambda pair: pair[0].id)

    def execute(self, query: Executable, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._read(query.cypher, **params)

    def stats(self) -> dict[str, Any]:
        labels = self._read("MATCH (n:Node) RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, count(*) AS n")
        rels = self._read("MATCH (:Node)-[r]->(:Node) RETURN type(r) AS type, count(*) AS n")
        return stats_from_counts(self.backend, {r["label"]: r["n"] for r in labels}, {r["type"]: r["n"] for r in rels})

    def export(self) -> tuple[list[Node], list[Relationship]]:
        nodes = self._read("MATCH (n:Node) RETURN n.key AS key, [l IN labels(n) WHERE l <> 'Node'][0] AS label, properties(n) AS props")
        rels = self._read("MATCH (a:Node)-[r]->(b:Node) RETURN type(r) AS type, a.key AS start, b.key AS end, properties(r) AS props")
        return ([_node(r["key"], r["label"], r["props"]) for r in nodes],
                [_relationship(r["type"], r["start"], r["end"], r["props"]) for r in rels])

    def close(self) -> None:
        self.driver.close()


def _lock(tx: neo4j.ManagedTransaction | neo4j.Transaction) -> None:
    """Take the ingest lock: a write lock on one node, held until the transaction ends. Writers through
    `_upsert` then run one at a time (as units do on the embedded store), so what a batch reads is still
    true when it writes, and relationships it did not find may be CREATEd rather than MERGEd."""
    tx.run(f"MERGE (l:{INGEST_LOCK} {{name: 'ingest'}}) SET l.held = true").consume()


def _upsert(tx: neo4j.ManagedTransaction | neo4j.Transaction, batch: Batch, locked: bool = False) -> WriteReport:
    """One batch in at most four statements: the lock (once per transaction), the batch's nodes and the other
    endpoints' labels, the current state of relationships that may exist, and all the writes."""
    if not locked:
        _lock(tx)
    report = WriteReport()
    in_batch = {n.key for n in batch.nodes}
    endpoint_keys = list({k for r in batch.rels for k in (r.start, r.end)} - in_batch)
    # batch nodes' labels win in check_endpoints, so only the other endpoints need their labels
    found = tx.run(
        "UNWIND $keys AS key MATCH (n:Node {key: key}) "
        "RETURN key, [l IN labels(n) WHERE l <> 'Node'][0] AS label, elementId(n) AS eid, properties(n) AS props "
        "UNION ALL UNWIND $endpoints AS key MATCH (n:Node {key: key}) "
        "RETURN key, [l IN labels(n) WHERE l <> 'Node'][0] AS label, null AS eid, null AS props",
        keys=list(in_batch), endpoints=endpoint_keys).data()
    current = {r["key"]: r for r in found if r["eid"] is not None}
    check_labels(batch, {key: r["label"] for key, r in current.items()})
    check_endpoints(batch, {r["key"]: r["label"] for r in found if r["eid"] is None})
    current_nodes = {key: _decode(r["props"], "key") for key, r in current.items()}

    node_rows: dict[tuple[str, bool], dict[str, dict[str, Any]]] = defaultdict(dict)  # (label, stored) -> key -> row
    staged: dict[str, dict[str, Any]] = {}
    for record in batch.nodes:
        state, outcome = merge(staged.get(record.key) or current_nodes.get(record.key), record.props, record.provenance)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if state is not None:
            staged[record.key] = state
            stored = current.get(record.key)
            row = {"props": _encode(state, "key", record.key)} | ({"eid": stored["eid"]} if stored else {})
            node_rows[(record.label, stored is not None)][record.key] = row  # the last state of a repeated key

    # a relationship touching a node this batch creates cannot be stored yet: look up only the others, by type
    # through the type's `id` index
    created = in_batch - current.keys()
    lookup: dict[str, set[str]] = defaultdict(set)
    for r in batch.rels:
        if r.start not in created and r.end not in created:
            lookup[r.type].add(r.rel_id)
    current_rels = {}
    if lookup:
        types = sorted(lookup)
        for t in types:
            schema().rel(t)  # only schema types reach the Cypher text
        found = tx.run(" UNION ALL ".join(
            f"UNWIND $ids{i} AS id MATCH ()-[r:{t} {{id: id}}]->() RETURN id, elementId(r) AS eid, properties(r) AS props"
            for i, t in enumerate(types)), {f"ids{i}": list(lookup[t]) for i, t in enumerate(types)})
        current_rels = {r["id"]: r for r in found}
    rel_rows: dict[tuple[str, bool], dict[str, dict[str, Any]]] = defaultdict(dict)  # (type, stored) -> id -> row
    staged_rels: dict[str, dict[str, Any]] = {}
    for rel in batch.rels:
        rid = rel.rel_id
        stored = current_rels.get(rid)
        state, outcome = merge(staged_rels.get(rid) or (stored and _decode(stored["props"], "id")),
                               rel.stored_props(), rel.provenance)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if state is not None:
            staged_rels[rid] = state
            row = {"props": _encode(state, "id", rid)}
            row |= {"eid": stored["eid"]} if stored else {"start": rel.start, "end": rel.end}
            rel_rows[(rel.type, stored is not None)][rid] = row
    _write(tx, node_rows, rel_rows)
    return report


def _write(tx, node_rows: dict[tuple[str, bool], dict[str, Any]], rel_rows: dict[tuple[str, bool], dict[str, Any]]) -> None:
    """All of a batch's writes in one statement, a unit subquery per label or type and per new or stored.
    New nodes and relationships are CREATEd: the ingest lock means nobody else writes them meanwhile, and the
    :Node key constraint still refuses a duplicate node. Stored ones are found by element id (read in the same
    transaction). Rows arrive as parallel lists indexed by `i`, not as maps: a property read of `row.x` could
    be of something the SET writes, so the planner would add an Eager that materialises the whole batch."""
    parts, params = [], {}

    def columns(rows: dict[str, Any], *names: str) -> str:
        p = f"p{len(parts)}"
        params.update({f"{p}_{name}": [row[name] for row in rows.values()] for name in names})
        return f"UNWIND range(0, size(${p}_props) - 1) AS i "

    for (label, stored), rows in sorted(node_rows.items()):
        schema().label(label)  # only schema labels and types reach the Cypher text
        p = f"p{len(parts)}"
        parts.append(columns(rows, "eid", "props") + f"MATCH (n:Node) WHERE elementId(n) = ${p}_eid[i] SET n += ${p}_props[i]"
                     if stored else columns(rows, "props") + f"CREATE (n:Node:{label}) SET n = ${p}_props[i]")
    for (rel_type, stored), rows in sorted(rel_rows.items()):
        schema().rel(rel_type)
        p = f"p{len(parts)}"
        parts.append(columns(rows, "eid", "props") + f"MATCH ()-[r:{rel_type}]->() WHERE elementId(r) = ${p}_eid[i] "
                     f"SET r += ${p}_props[i]" if stored else
                     columns(rows, "start", "end", "props") + f"MATCH (a:Node {{key: ${p}_start[i]}}) "
                     f"MATCH (b:Node {{key: ${p}_end[i]}}) CREATE (a)-[r:{rel_type}]->(b) SET r = ${p}_props[i]")
    if parts:
        tx.run(" ".join(f"CALL () {{ {part} }}" for part in parts), params).consume()


class Neo4jUnit:
    """The writing side of `Neo4jStore.unit`: upserts inside its one transaction (the ingest lock is taken by
    the first)."""

    def __init__(self, tx: neo4j.Transaction):
        self.tx, self.locked = tx, False

    def upsert(self, batch: Batch) -> WriteReport:
        report = _upsert(self.tx, batch, self.locked)
        self.locked = True
        return report


def _write_nodes(tx: neo4j.ManagedTransaction, label: str, rows: list[dict[str, Any]]) -> None:
    schema().label(label)  # only schema labels reach the Cypher text
    _lock(tx)  # an ingest running meanwhile CREATEs what it did not find: it must not miss what this MERGEs
    tx.run(f"UNWIND $rows AS row MERGE (n:Node {{key: row.key}}) SET n:{label} SET n = row.props", rows=rows).consume()


def _write_rels(tx: neo4j.ManagedTransaction, rel_type: str, rows: list[dict[str, Any]]) -> None:
    schema().rel(rel_type)
    _lock(tx)
    tx.run("UNWIND $rows AS row MATCH (a:Node {key: row.start}), (b:Node {key: row.end}) "
           f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET r = row.props", rows=rows).consume()


def _node(key: str, label: str, raw: dict[str, Any]) -> Node:
    state = _decode(raw, "key")
    return Node(label=label, key=key, props=state["props"], provenance=Provenance(**state["prov"]), history=state["history"])


def _relationship(rel_type: str, start: str, end: str, raw: dict[str, Any]) -> Relationship:
    state = _decode(raw, "id")
    return Relationship(id=raw["id"], type=rel_type, start=start, end=end, props=state["props"],
                        provenance=Provenance(**state["prov"]), history=state["history"])


if __name__ == "__main__":  # regenerate cypher/schema.cypher after changing schema.yaml
    SCHEMA_CYPHER.write_text(
        "// Constraints and indexes, generated from graph_service/schema.yaml by\n"
        "// `python -m graph_service.store.neo4j`; tests/test_cypher.py checks they agree.\n"
        + "".join(f"{statement};\n" for statement in schema_statements()))

"""The embedded store's durability: persistence, kills mid-write, concurrent readers."""
from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_service.queries.graph import nodes
from graph_service.queries.graph import nodes as nodes_of
from graph_service.store.embedded import SNAPSHOT, EmbeddedStore
from tests.kill_writer import BATCH_NODES, batch

ROOT = Path(__file__).resolve().parents[1]


def test_state_survives_reopening(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    store.compact()
    store.upsert(batch(1))  # after the snapshot: lives only in the journal
    reopened = EmbeddedStore(tmp_path)
    assert reopened.stats() == store.stats()
    assert reopened.get("person:b1-3").props == {"name": "P 1 3"}


def test_compaction_waits_until_the_journal_outgrows_the_snapshot(tmp_path, monkeypatch):
    """Rewriting the snapshot costs its size, so it happens only after as many journaled bytes."""
    monkeypatch.setattr("graph_service.store.embedded.COMPACT_AFTER_BYTES", 1)
    store = EmbeddedStore(tmp_path)
    for i in range(40):
        store.upsert(batch(i))
    store.compact()
    snapshot = (tmp_path / SNAPSHOT).stat().st_size
    journal = tmp_path / "journal.log"
    written = 0  # the journal's size before the write that folded it in
    for i in range(40, 200):
        store.upsert(batch(i))
        if journal.stat().st_size == 0:
            break
        written = journal.stat().st_size
    else:
        pytest.fail("the journal was never folded in")
    assert snapshot / 2 < written <= snapshot, (snapshot, written)
    assert EmbeddedStore(tmp_path).stats() == store.stats()


def _scanned(graph, label):
    return [key for key, attrs in graph.nodes(data=True) if attrs["label"] == label]


def test_the_label_index_matches_a_scan_after_every_kind_of_write(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    with store.unit() as unit:
        unit.upsert(batch(1))
    store.upsert(batch(0))  # an unchanged batch adds no second entry
    for state in (store, EmbeddedStore(tmp_path)):  # live, and rebuilt from snapshot + journal
        with state.read() as graph:
            for label in ("Post", "Person"):
                assert [key for key, _ in nodes(graph, label)] == _scanned(graph, label) != []
    store.clear()
    store.upsert(batch(2))
    with store.read() as graph:
        assert [key for key, _ in nodes(graph, "Post")] == ["post:b2"]


def test_a_second_process_sees_writes_without_reopening(tmp_path):
    reader = EmbeddedStore(tmp_path)
    writer = EmbeddedStore(tmp_path)
    writer.upsert(batch(0))
    assert reader.get("post:b0") is not None
    writer.compact()
    writer.upsert(batch(1))
    assert reader.stats()["labels"]["Post"] == 2


def test_a_torn_journal_line_is_dropped(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    with (tmp_path / "journal.log").open("ab") as journal:
        journal.write(b"0000dead {\"seq\": 2, \"ops\": [[\"node\"")
    reopened = EmbeddedStore(tmp_path)
    assert reopened.stats()["labels"] == {"Person": BATCH_NODES, "Post": 1}
    reopened.upsert(batch(1))  # appends after truncating the torn tail
    assert EmbeddedStore(tmp_path).stats()["labels"]["Post"] == 2


@pytest.mark.slow
def test_sigkill_mid_write_leaves_old_or_new_state(tmp_path):
    """Kill a real writer at random moments, many times; every reopen holds whole batches only."""
    rng = random.Random(7)
    for attempt in range(25):
        child = subprocess.Popen([sys.executable, "-m", "tests.kill_writer", str(tmp_path)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout.readline().strip() == b"ready", child.stderr.read().decode()
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = EmbeddedStore(tmp_path)
        posts = store.stats()["labels"].get("Post", 0)
        people = store.stats()["labels"].get("Person", 0)
        assert people == posts * BATCH_NODES, f"attempt {attempt}: a half-written batch"
        assert store.stats()["relationships"] == people
        assert {f"post:b{i}" for i in range(posts)} == {n.key for n in store.export()[0] if n.label == "Post"}
    assert posts > 0


def test_readers_never_see_half_a_batch(tmp_path):
    store = EmbeddedStore(tmp_path)
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            labels = store.stats()["labels"]
            seen.append((labels.get("Post", 0), labels.get("Person", 0)))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for number in range(30):
        store.upsert(batch(number))
    done.set()
    for reader in readers:
        reader.join()
    assert seen and all(people == posts * BATCH_NODES for posts, people in seen)


def test_a_json_snapshot_from_before_is_migrated_on_first_open(tmp_path):
    """Stores written before the pickle snapshot open with every record, and are rewritten in the new format."""
    import json

    from graph_service.store.embedded import LEGACY_SNAPSHOT

    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    store.upsert(batch(0).model_copy(update={"nodes": [n.model_copy(update={"props": {"title": "Renamed"}})
                                                      for n in batch(0).nodes if n.label == "Post"]}))
    nodes, rels = store.export()
    legacy = {"format": 1, "seq": store._seq,
              "nodes": [[n.key, {"label": n.label, **n.state()}] for n in nodes],
              "edges": [[r.start, r.end, r.id, {"type": r.type, **r.state()}] for r in rels]}
    (tmp_path / SNAPSHOT).unlink(missing_ok=True)
    (tmp_path / "journal.log").write_bytes(b"")
    (tmp_path / LEGACY_SNAPSHOT).write_text(json.dumps(legacy))
    migrated = EmbeddedStore(tmp_path)
    assert (tmp_path / SNAPSHOT).exists() and not (tmp_path / LEGACY_SNAPSHOT).exists()
    for opened in (migrated, EmbeddedStore(tmp_path)):
        assert opened.export() == (nodes, rels)
        assert opened.get("post:b0").history[0]["props"] == {"title": "Post 0"}
        with opened.read() as graph:
            assert [key for key, _ in nodes_of(graph, "Post")] == ["post:b0"]


def test_a_damaged_or_planted_snapshot_is_refused(tmp_path):
    import pickle
    import zlib

    from graph_service.errors import StoreCorrupt
    from graph_service.store.embedded import SNAPSHOT_MAGIC

    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    store.compact()
    good = (tmp_path / SNAPSHOT).read_bytes()
    (tmp_path / SNAPSHOT).write_bytes(good[:-10] + bytes(10))  # a flipped tail fails the checksum
    with pytest.raises(StoreCorrupt, match="checksum"):
        EmbeddedStore(tmp_path)
    body = pickle.dumps((1, {}, {}, {}, {"x": Path("/")}), protocol=5)  # names a class: could run code
    (tmp_path / SNAPSHOT).write_bytes(SNAPSHOT_MAGIC + b"%08x\n" % zlib.crc32(body) + body)
    with pytest.raises(StoreCorrupt, match="plain data only"):
        EmbeddedStore(tmp_path)


def _walked(store: EmbeddedStore, name: str, **params):
    """The named query's answer from the store's graph copied without its indexes: the twin walks it."""
    import networkx as nx
    from graph_service.queries import registry

    query, plain = registry.get(name), nx.MultiDiGraph()
    with store.read() as graph:
        plain.add_nodes_from(graph.nodes(data=True))
        plain.add_edges_from(graph.edges(keys=True, data=True))
    params = query.bind(params)
    return query.complete(query.embedded(plain, **params), params)


def test_the_match_key_and_match_indexes_answer_as_a_walk_after_every_kind_of_write(tmp_path):
    from graph_service.queries import ask
    from graph_service.records import Batch, Node, NodeRecord, Provenance, RelRecord

    prov = Provenance(source="index test")
    org = lambda key, name, **props: NodeRecord(label="Organisation", key=key, props={"name": name, **props}, provenance=prov)
    match = lambda a, b, status: RelRecord(type="POSSIBLY_SAME_AS", start=a, end=b, provenance=prov,
                                           props={"status": status, "match_id": f"m-{a}-{b}"})
    terms = [{"key": k, "cap": None} for k in ("n:acme widgets", "b:acme", "b:widgets", "n:zeta tools", "b:zeta",
                                               "i:GB-COH-01234567", "p:AB1 2CD", "n:other name")]
    keys = ["org:acme-widgets", "GB-COH-01234567", "org:zeta", "org:nobody"]
    store = EmbeddedStore(tmp_path)
    other = EmbeddedStore(tmp_path)  # another process writing the same directory

    def agree() -> None:
        for name, params in (("resolver_candidates", {"terms": terms}), ("resolver_matches", {"keys": keys}),
                             ("possible_matches", {"status": None}), ("organisation_identities", {"keys": keys})):
            assert ask(store, name, **params) == _walked(store, name, **params), name

    store.upsert(Batch(nodes=[org("org:acme-widgets", "Acme Widgets"),
                              org("GB-COH-01234567", "Acme Widgets Ltd", postal_code="AB1 2CD")],
                       rels=[match("org:acme-widgets", "GB-COH-01234567", "pending")]))
    agree()  # builds the indexes
    assert [t["held"] for t in ask(store, "resolver_candidates", terms=terms)[:2]] == [2, 2]
    with store.unit() as unit:  # an update adds keys; a new organisation and match arrive in a unit
        unit.upsert(Batch(nodes=[org("org:acme-widgets", "Acme Widgets", aliases=["Zeta Tools"]),
                                 org("org:zeta", "Zeta Tools", postal_code="AB1 2CD")],
                          rels=[match("org:zeta", "org:acme-widgets", "pending"),
                                match("org:acme-widgets", "GB-COH-01234567", "confirmed")]))
    agree()
    other.upsert(Batch(nodes=[org("org:nobody", "Nobody")], rels=[match("org:nobody", "org:zeta", "rejected")]))
    agree()  # replayed from the journal
    store.restore([Node(label="Organisation", key="org:acme-widgets", props={"name": "Other Name"},
                        provenance=prov, history=[])], [])  # its props replaced whole: its old keys go
    agree()
    assert {t["term"]: t["held"] for t in ask(store, "resolver_candidates", terms=terms)}["b:acme"] == 1
    other.compact()
    agree()  # reloaded from the new snapshot: rebuilt
    store.clear()
    assert ask(store, "resolver_candidates", terms=terms[:1]) == [{"term": "n:acme widgets", "held": 0, "organisations": []}]
    store.upsert(Batch(nodes=[org("org:acme-widgets", "Acme Widgets")]))
    agree()

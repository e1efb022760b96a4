"""Neo4j ingest under concurrency: the store CREATEs relationships it did not find, which is only right while
no other writer can add the same ones meanwhile (the ingest lock)."""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from graph_service.ingest import pipeline
from graph_service.ingest.pipeline import Item, ingest
from graph_service.records import Provenance

pytestmark = pytest.mark.neo4j

ITEMS = 6


def _items(reached: threading.Event | None = None, gate: threading.Event | None = None):
    """Organisations and contracts new to the store (BUYS between them, SUCCEEDS to the one before), and a
    SUPPLIES between two nodes stored beforehand. With events, the reader says when the first batch is
    written and waits at the gate."""
    prov = Provenance(source="new.csv")
    yield Item("row 1", prov, rels=[{"type": "SUPPLIES", "start": "org:stored", "end": "contract:stored"}])
    for i in range(ITEMS):
        if gate and i == 2:
            reached.set()
            gate.wait(60)
        rels = [{"type": "BUYS", "start": f"org:{i}", "end": f"contract:{i}", "valid_from": "2026-01-01"}]
        rels += [{"type": "SUCCEEDS", "start": f"contract:{i}", "end": f"contract:{i - 1}"}] if i else []
        yield Item(f"row {i + 2}", prov, nodes=[{"label": "Organisation", "key": f"org:{i}", "props": {"name": f"Org {i}"}},
                                                {"label": "Contract", "key": f"contract:{i}", "props": {"title": f"C {i}"}}],
                   rels=rels)


def _blocked(store) -> int:
    with store.driver.session() as session:
        return session.run("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n").single()["n"]


def test_two_concurrent_ingests_of_one_new_file_store_each_relationship_once(neo4j_store, monkeypatch):
    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)  # small batches, so the first one is written mid-file
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    stored = [Item("row 1", Provenance(source="stored.csv"), nodes=[
        {"label": "Organisation", "key": "org:stored", "props": {"name": "Stored Ltd"}},
        {"label": "Contract", "key": "contract:stored", "props": {"title": "Stored contract"}}])]
    assert ingest(neo4j_store, stored, source="stored.csv", fmt="register").exit_code == 0

    reached, gate, reports = threading.Event(), threading.Event(), {}

    def run(name: str, items) -> None:
        reports[name] = ingest(neo4j_store, items, source="new.csv", fmt="register")

    first = threading.Thread(target=run, args=("first", _items(reached, gate)))
    first.start()
    assert reached.wait(60)  # the first has written a batch and waits at the gate with its unit open
    second = threading.Thread(target=run, args=("second", _items()))
    second.start()
    deadline = time.monotonic() + 60
    while not _blocked(neo4j_store) and time.monotonic() < deadline:  # the second waits on the first's lock
        time.sleep(0.05)
    blocked = _blocked(neo4j_store)
    gate.set()
    first.join(60)
    second.join(60)
    assert blocked == 1
    rels_per_file = 1 + ITEMS + (ITEMS - 1)
    assert reports["first"].exit_code == 0 and reports["first"].created == 2 * ITEMS + rels_per_file
    assert reports["second"].exit_code == 0, reports["second"].as_dict()
    assert reports["second"].created == 0 and reports["second"].unchanged == 2 * ITEMS + rels_per_file
    nodes, rels = neo4j_store.export()
    assert len(nodes) == 2 * ITEMS + 2
    copies = Counter(r.id for r in rels)
    assert len(copies) == rels_per_file and set(copies.values()) == {1}, copies

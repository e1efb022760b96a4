"""`graph-service export`: a whole store copied between backends, provenance and history included."""
from __future__ import annotations

import pytest

from graph_service.store.embedded import EmbeddedStore
from graph_service.cli.export import compare_answers
from graph_service.records import Batch, NodeRecord, Provenance
from graph_service.reference import load_reference

pytestmark = pytest.mark.neo4j


def test_embedded_to_neo4j_and_back(tmp_path, neo4j_store):
    laptop = EmbeddedStore(tmp_path / "laptop")
    load_reference(laptop)
    laptop.upsert(Batch(nodes=[NodeRecord(label="Policy", key="policy:new-normal-strategy-2019-2024",
                                          props={"title": "New Normal Strategy 2019 to 2024", "version": "1.1"},
                                          provenance=Provenance(source="officer edit", locator="web form"))]))
    neo4j_store.restore(*laptop.export())
    assert neo4j_store.stats() == {**laptop.stats(), "backend": "neo4j"}
    assert compare_answers(laptop, neo4j_store) == []
    copied = neo4j_store.get("policy:new-normal-strategy-2019-2024")
    assert copied == laptop.get("policy:new-normal-strategy-2019-2024")
    assert copied.history and copied.provenance.source == "officer edit"

    back = EmbeddedStore(tmp_path / "back")
    back.restore(*neo4j_store.export())
    assert back.stats() == laptop.stats()
    assert compare_answers(laptop, back) == []

"""Parity: every named query gives the same answer on both backends.

Runs each query's declared examples over the reference dataset, over a second
generated graph (the illustrative generator with another seed), and over the reference
dataset with real councils' spend files loaded on top.
"""
from __future__ import annotations

import pytest

from graph_service.backends.embedded import EmbeddedStore
from graph_service.ingest import ingest_file
from graph_service.queries import registry
from graph_service.reference import load_reference
from tests.conftest import SHARED

pytestmark = pytest.mark.neo4j

CASES = [pytest.param(name, params, id=f"{name}{params or ''}")
         for name in registry.names() for params in registry.get(name).examples]


REAL_SPEND = [  # (file, the publisher to name where the file does not), small files of four layouts
    (SHARED / "data" / "transparency-code" / "trafford-supplier-spend-2026-27_first2000rows.csv", None),
    (SHARED / "data" / "real" / "spend" / "craven-district" / "payments-march-2017.csv", None),
    (SHARED / "data" / "real" / "spend" / "tameside" / "Tameside September 2014.csv", "GB-LAE-TAM"),
    (SHARED / "data" / "real" / "spend" / "stockport" / "Stockport September 2014.xls", "GB-LAE-SKP"),
]


@pytest.fixture(scope="module", params=[2019, 11, "real-spend"], ids=["reference", "generated", "real-spend"])
def backends(request, tmp_path_factory, neo4j_session_store):
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity"))
    neo4j_session_store.clear()
    for store in (embedded, neo4j_session_store):
        load_reference(store, seed=2019 if request.param == "real-spend" else request.param)
        if request.param == "real-spend":
            for path, publisher in REAL_SPEND:
                assert ingest_file(store, path, publisher=publisher).exit_code == 0
    assert embedded.stats() == {**neo4j_session_store.stats(), "backend": "embedded"}
    yield embedded, neo4j_session_store
    neo4j_session_store.clear()


def test_every_query_has_an_example():
    assert all(registry.get(name).examples for name in registry.names())


@pytest.mark.parametrize("name,params", CASES)
def test_both_backends_answer_alike(backends, name, params):
    embedded, neo4j = backends
    answer = embedded.run(name, **params)
    assert answer == neo4j.run(name, **params)

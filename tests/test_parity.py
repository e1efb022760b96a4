"""Parity: every named query gives the same answer on both backends.

Runs each query's declared examples over the reference dataset, over a second
generated graph (the illustrative generator with another seed), and over the reference
dataset with every real OCDS file loaded on top (tenders, frameworks, other buyers), and with real
councils' spend files of four layouts.
"""
from __future__ import annotations

import pytest

from graph_service.ingest import ingest_file
from graph_service.queries import ask, registry
from graph_service.reference import load_reference
from graph_service.store.embedded import EmbeddedStore
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


@pytest.fixture(scope="module", params=[(2019, False, False), (11, False, False), (2019, True, False), (2019, False, True)],
                ids=["reference", "generated", "reference+real-ocds", "reference+real-spend"])
def backends(request, tmp_path_factory, neo4j_session_store):
    from tests.test_real_ocds import FILES as REAL_OCDS

    seed, real_ocds, real_spend = request.param
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity"))
    neo4j_session_store.clear()
    for store in (embedded, neo4j_session_store):
        load_reference(store, seed=seed)
        for path in REAL_OCDS if real_ocds else []:
            assert ingest_file(store, path).exit_code == 0
        for path, publisher in REAL_SPEND if real_spend else []:
            assert ingest_file(store, path, publisher=publisher).exit_code == 0
    assert embedded.stats() == {**neo4j_session_store.stats(), "backend": "embedded"}
    yield embedded, neo4j_session_store
    neo4j_session_store.clear()


def test_every_query_has_an_example():
    assert all(registry.get(name).examples for name in registry.names())


@pytest.mark.parametrize("name,params", CASES)
def test_both_backends_answer_alike(backends, name, params):
    embedded, neo4j = backends
    answer = ask(embedded, name, **params)
    assert answer == ask(neo4j, name, **params)

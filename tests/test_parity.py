"""Parity: every named query gives the same answer on both backends.

Runs each query's declared examples over the reference dataset and over a second
generated graph (the illustrative generator with another seed).
"""
from __future__ import annotations

import pytest

from graph_service.store.embedded import EmbeddedStore
from graph_service.queries import registry
from graph_service.reference import load_reference

pytestmark = pytest.mark.neo4j

CASES = [pytest.param(name, params, id=f"{name}{params or ''}")
         for name in registry.names() for params in registry.get(name).examples]


@pytest.fixture(scope="module", params=[2019, 11], ids=["reference", "generated"])
def backends(request, tmp_path_factory, neo4j_session_store):
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity"))
    neo4j_session_store.clear()
    for store in (embedded, neo4j_session_store):
        load_reference(store, seed=request.param)
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

"""Property-based fuzzing of every documented route from the API's own OpenAPI schema.

Schemathesis generates valid and invalid parameters for each operation (path keys are drawn
from the reference dataset as well as made up, so real records are reached); every case is
sent with each role's key to the app over the reference dataset. Nothing may answer 500, and
every error must come in the one error shape, so a client can always read what went wrong.
Pages left out of the schema get hostile values in every parameter in test_hostile_input.py.
"""
from __future__ import annotations

import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from graph_service.web.app import create_app
from graph_service.access.auth import KeyStore, Role
from graph_service.store.embedded import EmbeddedStore
from graph_service.config import Settings
from graph_service.reference import load_reference

# per operation, each sent with three keys: about a minute in all; FUZZ_EXAMPLES=150 for a deeper run (~13 min)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "16"))


def _documented_operations() -> list[tuple[str, str]]:
    """(path, method) of every operation in the OpenAPI schema, read from an app over an empty store."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings.from_env(backend="embedded", data_dir=folder), EmbeddedStore(folder))
        return [(path, method.upper()) for path, item in app.openapi()["paths"].items() for method in item]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    store = EmbeddedStore(data)
    load_reference(store)
    app = create_app(Settings.from_env(backend="embedded", data_dir=str(data)), store)
    keys = KeyStore(data)
    real_keys = sorted(n.key for n in store.export()[0])
    return (schemathesis.openapi.from_asgi("/openapi.json", app), real_keys,
            {role: keys.create(role, f"fuzz {role.name}") for role in Role})


@pytest.mark.parametrize(("path", "method"), _documented_operations())
def test_no_route_answers_500_and_errors_keep_one_shape(path: str, method: str, fuzzed):
    schema, real_keys, keys = fuzzed
    operation = schema[path][method]
    # valid and invalid parameters (an operation with nothing to get wrong has no invalid cases)
    cases = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)
    if "{key}" in path:
        cases = cases | st.sampled_from(real_keys).flatmap(
            lambda key: operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"key": key}))

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=True)
    def each_case(case) -> None:
        for role, key in keys.items():
            response = case.call(headers={"Authorization": f"Bearer {key}"})
            where = f"{role.name}: {case.method} {case.formatted_path} query={case.query}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:500]}"
            if response.status_code >= 400 and "text/html" in str(response.headers.get("content-type")):
                assert not case.formatted_path.startswith("/api/") and "<h1>" in response.text, where
            elif response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, (where, body)

    each_case()

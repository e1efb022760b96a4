"""/openapi.json describes the answers: a named response model per JSON route, viewer and procurement
shapes of the partner answer, and the one error body."""
from __future__ import annotations

import pytest

from graph_service.access.auth import Role


@pytest.fixture
def spec(server):
    return server.client(Role.viewer).get("/openapi.json").json()


def _ok_schema(spec, path, method="get"):
    responses = spec["paths"][path][method]["responses"]
    ok = next(code for code in responses if code.startswith("2"))
    return responses[ok]["content"]["application/json"]["schema"]


def _described(schema) -> bool:
    """A named model or a list of one, not `{}` or a bare object."""
    return "$ref" in schema or "$ref" in schema.get("items", {}) or \
        bool(schema.get("anyOf")) and all("$ref" in s for s in schema["anyOf"])


def _json_routes(spec):
    return [(path, method) for path, operations in spec["paths"].items() if path.startswith("/api/")
            for method in operations]


def test_every_json_route_names_the_model_of_its_answer(spec):
    routes = _json_routes(spec)
    assert ("/api/v1/ingest", "post") in routes and ("/api/v1/health-report", "get") in routes
    assert not [f"{method.upper()} {path}" for path, method in routes if not _described(_ok_schema(spec, path, method))]


def test_every_json_route_answers_errors_in_the_one_error_body(spec):
    for path, method in _json_routes(spec):
        responses = spec["paths"][path][method]["responses"]
        for code in ("404", "422"):
            assert responses[code]["content"]["application/json"]["schema"] == \
                {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    error = spec["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message", "details"}


def test_the_health_report_is_described_as_json_or_csv(spec):
    content = spec["paths"]["/api/v1/health-report"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/HealthReport"} and "text/csv" in content


def test_the_viewer_shape_of_a_partner_has_no_restricted_property(spec):
    schemas = spec["components"]["schemas"]
    refs = {s["$ref"].rsplit("/", 1)[1] for s in _ok_schema(spec, "/api/v1/partners/{key}")["anyOf"]}
    assert refs == {"PartnerPublic", "PartnerForProcurement"}
    public = schemas["PartnerPublic"]["properties"]
    assert "spending" not in public and "matches" not in public
    assert public["contracts"]["items"] == {"$ref": "#/components/schemas/ContractPublic"}
    assert "value" not in schemas["ContractPublic"]["properties"]
    assert "value" in schemas["ContractForProcurement"]["properties"]
    assert {"spending", "matches"} <= set(schemas["PartnerForProcurement"]["properties"])

"""/openapi.json describes the answers: a response schema per JSON GET route, viewer and procurement
shapes of the partner answer, and the one error body."""
from __future__ import annotations

import pytest

from graph_service.access.auth import Role

# the routes whose answers are typed so far; the rest still answer a bare object (see the test below)
TYPED = ["/api/v1/policies", "/api/v1/policies/{key}", "/api/v1/roles/{key}/holdings", "/api/v1/accountability/gaps",
         "/api/v1/partners", "/api/v1/partners/{key}", "/api/v1/stakeholders", "/api/v1/maps/views",
         "/api/v1/maps/views/{key}"]


@pytest.fixture
def spec(server):
    return server.client(Role.viewer).get("/openapi.json").json()


def _ok_schema(spec, path):
    return spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def _described(schema) -> bool:
    """A named model or a list of one, not `{}` or a bare object."""
    return "$ref" in schema or "anyOf" in schema or "$ref" in schema.get("items", {})


@pytest.mark.parametrize("path", TYPED)
def test_every_typed_route_documents_its_answer(spec, path):
    assert _described(_ok_schema(spec, path)), path


def test_every_json_get_route_has_a_response_schema_and_the_one_error_body(spec):
    for path, operations in spec["paths"].items():
        if "get" not in operations or not path.startswith("/api/"):
            continue
        responses = operations["get"]["responses"]
        content = responses["200"].get("content", {}).get("application/json")
        if path != "/api/v1/health-report":  # answers JSON or CSV by ?format=
            assert content and content["schema"], path
        assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
        assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    error = spec["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message", "details"}


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

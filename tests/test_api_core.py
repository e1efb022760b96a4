"""The API skeleton over real HTTP: health, roles, the one error shape, node detail redaction."""
from __future__ import annotations

from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord

PROV = Provenance(source="contracts.csv", locator="row 4")


def seed(store) -> None:
    store.upsert(Batch(
        nodes=[NodeRecord(label="Organisation", key="GB-COH-01234567", props={"name": "Acme Ltd"}, provenance=PROV),
               NodeRecord(label="Contract", key="contract:waste", props={"title": "Waste", "value": 2_500_000.0},
                          provenance=PROV),
               NodeRecord(label="Payment", key="payment:1", props={"amount": 900.0}, provenance=PROV)],
        rels=[RelRecord(type="SUPPLIES", start="GB-COH-01234567", end="contract:waste", provenance=PROV),
              RelRecord(type="PAID_TO", start="payment:1", end="GB-COH-01234567", provenance=PROV)]))


def assert_error_shape(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


def test_healthz_needs_no_key_and_names_the_backend(server):
    response = server.client().get("/healthz")
    assert response.json() == {"status": "ok", "backend": "embedded"}


def test_routes_need_a_key(server):
    assert_error_shape(server.client().get("/api/v1/stats"), 401, "unauthorised")


def test_a_wrong_key_is_refused(server):
    client = server.client()
    client.headers["Authorization"] = "Bearer gs_not-a-real-key"
    assert_error_shape(client.get("/api/v1/stats"), 401, "unauthorised")


def test_unknown_route_has_the_error_shape(server):
    assert_error_shape(server.client(Role.viewer).get("/api/v1/nope"), 404, "http_error")


def test_node_shows_relationships_with_provenance(store, server):
    seed(store)
    body = server.client(Role.procurement).get("/api/v1/nodes/contract:waste").json()
    assert body["node"]["props"]["value"] == 2_500_000.0
    [link] = body["relationships"]
    assert link["relationship"]["type"] == "SUPPLIES"
    assert link["relationship"]["provenance"]["source"] == "contracts.csv"
    assert link["relationship"]["provenance"]["locator"] == "row 4"


def test_viewer_never_sees_contract_values_or_payments(store, server):
    seed(store)
    viewer = server.client(Role.viewer)
    contract = viewer.get("/api/v1/nodes/contract:waste").json()
    assert "value" not in contract["node"]["props"]
    partner = viewer.get("/api/v1/nodes/GB-COH-01234567").json()
    assert [link["node"]["label"] for link in partner["relationships"]] == ["Contract"]
    assert_error_shape(viewer.get("/api/v1/nodes/payment:1"), 404, "not_found")
    assert server.client(Role.procurement).get("/api/v1/nodes/payment:1").status_code == 200


def test_missing_node_is_404(server):
    assert_error_shape(server.client(Role.viewer).get("/api/v1/nodes/org:nobody"), 404, "not_found")


def test_openapi_describes_versioned_routes(server):
    paths = server.client().get("/openapi.json").json()["paths"]
    assert "/api/v1/stats" in paths and "/api/v1/nodes/{key}" in paths

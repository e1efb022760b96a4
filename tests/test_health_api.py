"""Relationship health over real HTTP: procurement only, a partner's evidence, the portfolio and its
filters and CSV, snapshots and what changed, the impact chain, and the /health page."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord, Provenance
from tests.test_api_core import assert_error_shape
from tests.test_health_fixture import AS_OF, A, B, C, D, Builder, load

ROUTES = ["/api/v1/health-report", f"/api/v1/partners/{B}/health", f"/api/v1/partners/{B}/health/history",
          f"/api/v1/partners/{A}/impact", "/api/v1/health-report/snapshots",
          *[f"/api/v1/procurement/{view}" for view in ("expiring-contracts", "spend-concentration",
                                                       "single-points-of-failure", "kraljic", "commissioning")]]


@pytest.fixture
def procurement(store, server):
    load(store)
    return server.client(Role.procurement)


def test_health_needs_the_procurement_role(store, server):
    load(store)
    for route in ROUTES:
        assert_error_shape(server.client().get(route), 401, "unauthorised")
        assert_error_shape(server.client(Role.viewer).get(route), 403, "forbidden")
        assert server.client(Role.admin).get(route, params={"as_of": AS_OF}).status_code == 200, route
    assert_error_shape(server.client(Role.viewer).post("/api/v1/health-report/snapshots"), 403, "forbidden")


def test_a_partners_score_with_its_evidence(procurement):
    body = procurement.get(f"/api/v1/partners/{B}/health", params={"as_of": AS_OF}).json()
    assert body["score"] == 86.76 and body["rating"] == "green" and body["coverage"] == 1.0
    quality = next(d for d in body["dimensions"] if d["name"] == "quality")
    assert quality["evidence"][0] == {
        "fact": "Repairs b: right-first-time rated Good (100) for the period ending 2026-03-31",
        "key": "kpi:repairs-b-right-first-time-2026-03-31", "source": "health-fixture.csv",
        "locator": quality["evidence"][0]["locator"]}
    assert re.fullmatch(r"row \d+", quality["evidence"][0]["locator"])
    assert body["change"] is None and body["history"] == []


def test_unknown_partner_and_bad_dates_have_the_error_shape(procurement):
    assert_error_shape(procurement.get("/api/v1/partners/org:nobody/health"), 404, "not_found")
    assert_error_shape(procurement.get("/api/v1/partners/org:nobody/impact"), 404, "not_found")
    assert_error_shape(procurement.get("/api/v1/health-report", params={"as_of": "06/30/2026"}), 400, "bad_request")  # month first
    assert_error_shape(procurement.get("/api/v1/health-report", params={"rating": "purple"}), 400, "bad_request")


def test_the_portfolio_worst_first_filtered_and_as_csv(procurement):
    body = procurement.get("/api/v1/health-report", params={"as_of": AS_OF}).json()
    assert [r["partner"] for r in body["partners"]][:4] == [C, A, D, B]
    assert [r["rank"] for r in body["partners"]] == list(range(1, len(body["partners"]) + 1))
    red = procurement.get("/api/v1/health-report", params={"as_of": AS_OF, "rating": "red"}).json()
    assert [r["partner"] for r in red["partners"]] == [C, A] and red["counts"]["red"] == 2
    persona = procurement.get("/api/v1/health-report", params={"as_of": AS_OF, "persona": "voluntary sector"}).json()
    assert [r["partner"] for r in persona["partners"]] == [C]
    response = procurement.get("/api/v1/health-report", params={"as_of": AS_OF, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[1]["partner"] == A and rows[1]["rating"] == "red" and rows[1]["score_rating"] == "amber"
    assert rows[1]["overrides"].startswith("the only provider of Waste collection")


def test_snapshots_show_what_changed_and_why(store, procurement):
    saved = procurement.post("/api/v1/health-report/snapshots", params={"as_of": AS_OF})
    assert saved.status_code == 201 and saved.json()["date"] == AS_OF
    # a month later one KPI on B's contract is re-rated
    key = "kpi:repairs-b-right-first-time-2026-06-30"
    node = store.get(key)
    store.upsert(Batch(nodes=[NodeRecord(label="KpiRating", key=key, props={**node.props, "rating": "Inadequate"},
                                         provenance=Provenance(source="cpn.csv", locator="row 2"))]))
    later = procurement.post("/api/v1/health-report/snapshots", params={"as_of": "2026-07-31"}).json()
    assert later["previous_snapshot"] == AS_OF
    assert procurement.get("/api/v1/health-report/snapshots").json() == {"dates": [AS_OF, "2026-07-31"]}
    report = procurement.get("/api/v1/health-report", params={"as_of": "2026-08-15"}).json()
    assert report["previous_snapshot"] == "2026-07-31"
    row = procurement.get("/api/v1/health-report", params={"as_of": "2026-07-31"}).json()
    b = next(r for r in row["partners"] if r["partner"] == B)
    change = b["change"]
    assert change["since"] == AS_OF and change["rating_from"] == "green" and b["rating"] == "red"
    assert change["overrides_added"] == ["inadequate_kpi"]
    assert change["moved"][0]["dimension"] == "quality" and change["moved"][0]["points"] < 0
    assert change["score_delta"] == round(sum(m["points"] for m in change["moved"]), 2)
    history = procurement.get(f"/api/v1/partners/{B}/health/history").json()["history"]
    assert [(h["date"], h["rating"]) for h in history] == [(AS_OF, "green"), ("2026-07-31", "red")]


def test_the_impact_chain_with_its_owners(procurement):
    body = procurement.get(f"/api/v1/partners/{A}/impact", params={"as_of": AS_OF}).json()
    assert [c["key"] for c in body["contracts"]] == ["contract:repairs-a", "contract:waste-1"]
    waste = next(s for s in body["services"] if s["key"] == "service:waste")
    assert waste["critical"] and waste["alternatives"] == [] and waste["share"] == 1.0
    assert body["summary"]["services_without_alternative"] == ["service:waste"]
    assert [p["key"] for p in body["priorities"]] == ["priority:housing"]
    [manager] = next(c for c in body["contracts"] if c["key"] == "contract:waste-1")["owners"]
    assert manager["post"] == "post:gm-env" and manager["holders"] == [{"person": "person:alice", "name": "Alice Able",
                                                                                 "illustrative": False}]
    police = procurement.get(f"/api/v1/partners/{D}/impact", params={"as_of": AS_OF}).json()
    assert [k["key"] for k in police["key_indicators"]] == ["indicator:homes"]
    assert [w["key"] for w in police["workstreams"]] == ["workstream:partnerships"]
    assert police["workstreams"][0]["owners"][0]["holders"][0]["name"] == "Bob Best"


def test_the_health_page_needs_a_procurement_key(store, server):
    load(store)
    anonymous = server.client()
    response = anonymous.get("/health", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sign-in?next=%2Fhealth"
    viewer = server.client(Role.viewer)
    assert viewer.get("/health").status_code == 403


def test_the_health_page_draws_escaped_charts_from_its_own_origin(store, server):
    load(store)
    Builder().node("Organisation", "org:evil", name='<script>alert("x")</script> & Co').rel(
        "HOLDS_RELATIONSHIP", "post:proc", "org:evil", "2026-01-01").write(store)
    client = server.client(Role.procurement)
    client.post("/api/v1/health-report/snapshots", params={"as_of": "2026-05-31"})
    page = client.get("/health/org:evil", params={"as_of": AS_OF})
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    html = page.text
    assert "<script" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert html.count("<svg") == 1 and "score over time (31 May 2026: 53.33, 30 June 2026: 53.33)" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    listed = client.get("/health", params={"as_of": AS_OF}).text
    assert listed.count("<svg") == 1 and 'aria-labelledby="by-rating-title"' in listed
    assert f'<a href="/health/org:evil?as_of={AS_OF}">&lt;script&gt;' in listed
    filtered = client.get("/health", params={"as_of": AS_OF, "rating": "red"}).text
    assert "Acme Waste Ltd" in filtered and "Best Repairs Ltd" not in filtered
    moved = client.get("/health", params={"as_of": AS_OF, "partner": "org:evil"})
    assert moved.status_code == 303 and moved.headers["location"] == f"/health/org:evil?as_of={AS_OF}"
    assert client.get("/health/org:nobody").status_code == 404

"""Procurement's views on both backends: expiring contracts with successor status, spend concentration
(shares and the Herfindahl-Hirschman index), single points of failure, Kraljic positions and review
cycles, and grant against contract value by year and persona."""
from __future__ import annotations

import math

from graph_service.access.auth import Role
from graph_service.answers import procurement
from tests.test_health_fixture import AS_OF, A, B, C, D, F, load


def test_contracts_expiring_within_6_12_and_18_months(any_store):
    load(any_store)
    answer = procurement.expiring(any_store, AS_OF)
    assert [(c["contract"], c["window_months"], c["successor_status"]) for c in answer["contracts"]] == [
        ("contract:repairs-b-small", 6, "successor let"),
        ("contract:repairs-a", 12, "exit plan only"),
        ("contract:waste-1", 12, "none")]
    assert answer["contracts"][0]["days_left"] == 92
    assert answer["contracts"][0]["successors"][0]["key"] == "contract:repairs-b-next"
    assert answer["contracts"][2]["suppliers"] == [{"key": A, "name": "Acme Waste Ltd"}]
    assert answer["windows"] == [
        {"months": 6, "until": "2026-12-30", "contracts": 1, "value": 50_000.0, "framework_ceilings": 0.0, "without_successor": 0},
        {"months": 12, "until": "2027-06-30", "contracts": 3, "value": 1_550_000.0, "framework_ceilings": 0.0, "without_successor": 2},
        {"months": 18, "until": "2027-12-30", "contracts": 3, "value": 1_550_000.0, "framework_ceilings": 0.0, "without_successor": 2}]


def test_spend_concentration_and_the_hhi(any_store):
    load(any_store)
    answer = procurement.concentration(any_store, AS_OF)
    assert answer["since"] == "2025-06-30"
    services = {s["service"]: s for s in answer["services"]}
    repairs = services["service:repairs"]  # the 2024 payment of 999,999 is outside the window
    assert repairs["spend"] == 420_000.0
    assert [(s["partner"], s["share"]) for s in repairs["suppliers"]] == [(B, round(320 / 420, 4)), (A, round(100 / 420, 4))]
    assert math.isclose(repairs["hhi"], (320 / 420 * 100) ** 2 + (100 / 420 * 100) ** 2, abs_tol=0.05)
    assert repairs["band"] == "highly concentrated"
    assert services["service:waste"]["hhi"] == 10_000.0
    assert [s["service"] for s in answer["services"]][-1] == "service:repairs"  # least concentrated last


def test_single_points_of_failure(any_store):
    load(any_store)
    answer = procurement.single_points_of_failure(any_store, AS_OF)
    assert [(s["service"], s["critical"], s["partner"]) for s in answer["services"]] == [
        ("service:waste", True, A), ("service:advice", False, C)]
    assert answer["priorities"] == [{"priority": "priority:economy", "name": "To promote economic well-being",
                                     "partner": C, "partner_name": "Community Advice Trust"}]
    [cut] = answer["cut_vertices"]
    assert (cut["partner"], cut["priority"], cut["cut_off"]) == (A, "priority:housing",
                                                                 [{"partner": F, "name": "Subcontractor Ltd"}])


def test_kraljic_positions_set_the_review_cycle(any_store):
    load(any_store)
    answer = procurement.kraljic(any_store, AS_OF)
    positions = {p["partner"]: p for p in answer["partners"]}
    assert {k: p["position"] for k, p in positions.items()} == {A: "strategic", B: "strategic", C: "bottleneck",
                                                               D: "routine"}
    assert positions[B]["risk_reasons"] == ["resilience sub-score 42 below 50"]
    # B: spend 320,000 a year against 2m over six years plus 50k over one: the larger counts
    assert positions[B]["value_per_year"] == round(2_000_000 * 365.25 / 2192 + 50_000 * 365.25 / 365, 2)
    assert (positions[B]["review_every_months"], positions[B]["last_review"], positions[B]["next_review_due"]) == (
        3, "2026-05-31", "2026-08-31")
    assert not positions[B]["review_overdue"]
    assert positions[A]["last_review"] is None and positions[A]["review_overdue"]
    assert positions[D]["review_every_months"] == 12 and positions[D]["next_review_due"] == "2027-06-01"
    assert answer["counts"] == {"strategic": 2, "bottleneck": 1, "leverage": 0, "routine": 1}


def test_grants_against_contracts_by_year_and_persona(any_store):
    load(any_store)
    years = {y["year"]: y for y in procurement.commissioning(any_store, AS_OF)["years"]}
    assert sorted(years) == ["2019", "2024", "2025"]  # the contract starting in October 2026 is not let yet
    assert years["2019"]["grants"] == {"value": 15_000.0, "count": 1} and years["2019"]["grant_share"] == 1.0
    assert years["2024"]["contracts"] == {"value": 3_200_000.0, "count": 2}
    assert years["2025"]["grants"]["value"] == 20_000.0 and years["2025"]["contracts"]["value"] == 350_000.0
    assert years["2025"]["grant_share"] == round(20_000 / 370_000, 4)
    assert years["2025"]["personas"] == [
        {"persona": "persona:contractors", "name": "Contractors", "grant": 0.0, "contract": 350_000.0},
        {"persona": "persona:voluntary-sector", "name": "Voluntary sector", "grant": 20_000.0, "contract": 0.0}]
    everything = {y["year"] for y in procurement.commissioning(any_store, "2027-01-01")["years"]}
    assert "2026" in everything


def test_the_views_over_http(store, server):
    load(store)
    client = server.client(Role.procurement)
    expiring = client.get("/api/v1/procurement/expiring-contracts", params={"as_of": AS_OF}).json()
    assert [c["contract"] for c in expiring["contracts"]][0] == "contract:repairs-b-small"
    spof = client.get("/api/v1/procurement/single-points-of-failure", params={"as_of": AS_OF}).json()
    assert spof["services"][0]["service"] == "service:waste"
    commissioning = client.get("/api/v1/procurement/commissioning", params={"as_of": AS_OF}).json()
    assert [y["year"] for y in commissioning["years"]] == ["2019", "2024", "2025"]

"""Procurement's views on both backends: expiring contracts with successor status, spend concentration
(shares and the Herfindahl-Hirschman index), single points of failure, Kraljic positions and review
cycles, and grant against contract value by year and persona."""
from __future__ import annotations

import math

from graph_service.access.auth import Role
from graph_service.answers import procurement
from graph_service.answers.bridges import bridges_between_partners
from graph_service.answers.health.config import load_config
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
    # waste and advice have one supplier paid; B holds 320 of the 420 thousand paid for repairs
    assert [(s["service"], s["critical"], s["partner"], s["why"]) for s in answer["services"]] == [
        ("service:waste", True, A, "only supplier paid"), ("service:repairs", True, B, "holds more than 50% of the spend"),
        ("service:advice", False, C, "only supplier paid")]
    repairs = answer["services"][1]
    assert (repairs["share"], repairs["alternatives"]) == (round(320 / 420, 4), [{"partner": A, "name": "Acme Waste Ltd",
                                                                                  "share": round(100 / 420, 4)}])
    assert answer["priorities"] == [{"priority": "priority:economy", "name": "To promote economic well-being",
                                     "partner": C, "partner_name": "Community Advice Trust", "illustrative": False}]
    assert answer["indicators"] == []  # no service with spend moves an indicator here
    assert "bridges_between_partners" not in answer  # the delivery network's structure, not spend


def test_bridges_between_partners_are_the_delivery_networks_cut_vertices(any_store):
    load(any_store)
    [cut] = bridges_between_partners(any_store, AS_OF)["bridges"]
    assert (cut["partner"], cut["priority"], cut["cut_off"]) == (
        A, "priority:housing", [{"partner": F, "name": "Subcontractor Ltd", "illustrative": False}])
    assert cut["links"] and not cut["illustrative"]


def test_kraljic_positions_set_the_review_cycle(any_store):
    load(any_store)
    answer = procurement.kraljic(any_store, AS_OF)
    positions = {p["partner"]: p for p in answer["partners"]}
    assert {k: p["position"] for k, p in positions.items()} == {A: "strategic", B: "strategic", C: "bottleneck",
                                                               D: "routine"}
    assert positions[B]["risk_reasons"] == [
        "resilience sub-score 42 below 50",
        "supply risk 0.85: 76% of Housing repairs spend, 1 alternative supplier, a critical service, "
        "a contract ends within 18 months"]
    w = load_config().kraljic.supply_risk.weights
    assert positions[B]["supply_risk_score"] == round(w["share"] * 320 / 420 + w["alternatives"] * 0.75 + w["critical"]
                                                      + w["contract_end"], 3)
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


def test_on_the_reference_data_indicators_rest_on_the_supplier_of_the_services_moving_them(reference_store):
    cfg = load_config()
    spof = procurement.single_points_of_failure(reference_store, "2026-09-30")
    concentration = {s["service"]: s for s in procurement.concentration(reference_store, "2026-09-30")["services"]}
    assert spof["indicators"]
    for indicator in spof["indicators"]:
        moving = [concentration[s["service"]] for s in indicator["services"]]
        assert all(indicator["indicator"] in {i["indicator"] for i in next(
            x for x in spof["services"] + [{"service": None, "indicators": []}] if x["service"] == m["service"]
        )["indicators"]} for m in moving if any(x["service"] == m["service"] for x in spof["services"]))
        spend: dict[str, float] = {}
        for service in moving:
            for supplier in service["suppliers"]:
                spend[supplier["partner"]] = spend.get(supplier["partner"], 0.0) + supplier["spend"]
        top = max(spend, key=lambda k: (spend[k], k))
        share = spend[top] / sum(spend.values())
        assert (indicator["partner"], indicator["share"]) == (top, round(share, 4))
        assert len(spend) == 1 or share > cfg.procurement.single_supplier_share
        assert len(indicator["alternatives"]) == len(spend) - 1


def test_rows_resting_on_generated_partners_are_marked(reference_store):
    from graph_service.answers.illustrative import illustrative_keys

    spof = procurement.single_points_of_failure(reference_store, "2026-09-30")
    rows = spof["services"] + spof["indicators"] + spof["priorities"]
    generated = illustrative_keys(reference_store, sorted({r["partner"] for r in rows}))
    assert generated and all(r["illustrative"] == (r["partner"] in generated) for r in rows)
    kraljic = procurement.kraljic(reference_store, "2026-09-30")["partners"]
    assert {p["partner"] for p in kraljic if p["illustrative"]} == illustrative_keys(
        reference_store, [p["partner"] for p in kraljic])
    years = procurement.commissioning(reference_store, "2026-09-30")["years"]
    assert any(y["illustrative"] for y in years)


def test_on_the_reference_data_concentrated_critical_services_make_strategic_suppliers(reference_store):
    cfg = load_config()
    spof = procurement.single_points_of_failure(reference_store, "2026-09-30")
    concentrated = {s["service"]: s["suppliers"][0] for s in procurement.concentration(reference_store, "2026-09-30")["services"]
                    if s["suppliers"][0]["share"] > cfg.procurement.single_supplier_share or len(s["suppliers"]) == 1}
    assert {s["service"]: s["partner"] for s in spof["services"]} == {k: v["partner"] for k, v in concentrated.items()}
    assert any(s["critical"] for s in spof["services"]) and any(s["indicators"] for s in spof["services"])
    kraljic = procurement.kraljic(reference_store, "2026-09-30")
    strategic = {p["partner"]: p for p in kraljic["partners"] if p["position"] == "strategic"}
    for s in spof["services"]:
        if s["critical"]:  # a critical service's main supplier holding most of its spend is strategic
            assert s["partner"] in strategic, s
    assert all(p["high_value"] and p["risk_reasons"] for p in strategic.values())


def test_a_real_council_spend_file_finds_the_service_resting_on_one_supplier(store):
    """Craven District Council's payments for March 2017: its waste management spend goes mostly to Yorwaste."""
    from graph_service.ingest import ingest_path
    from tests.conftest import SHARED

    report = ingest_path(store, SHARED / "data" / "real" / "spend" / "craven-district" / "payments-march-2017.csv")
    assert not report.rejected
    answer = procurement.single_points_of_failure(store, "2017-04-30", buyer="GB-LAE-CRA")
    waste = next(s for s in answer["services"] if s["service"] == "service:waste-and-recycling")
    assert waste["partner_name"] == "Yorwaste Ltd" and waste["share"] > 0.5 and len(waste["alternatives"]) >= 1
    shares = procurement.concentration(store, "2017-04-30", buyer="GB-LAE-CRA")["services"]
    assert next(s for s in shares if s["service"] == waste["service"])["suppliers"][0]["share"] == waste["share"]


def test_bridges_over_http_for_a_viewer(store, server):
    load(store)
    body = server.client(Role.viewer).get("/api/v1/stakeholders/bridges", params={"as_of": AS_OF}).json()
    assert [(b["partner"], b["priority"]) for b in body["bridges"]] == [(A, "priority:housing")]
    assert body["buyer"]["key"] == "GB-LAE-DAC"

"""The health score end to end on a portfolio small enough to work out by hand (tests/test_health_fixture.py):
the arithmetic, coverage and shared weight, each dimension, the overrides and the no-data rules."""
from __future__ import annotations

import math

import pytest

from graph_service.answers.health.config import HEALTH_YAML, load_config, parse
from graph_service.answers.health.report import assess, health_report
from graph_service.records import Batch, NodeRecord, Provenance
from tests.test_health_fixture import AS_OF, A, B, C, D, E, F, Builder, load

CONFIG = load_config()


@pytest.fixture
def scored(store):
    load(store)
    return assess(store, AS_OF).results


def dims(result) -> dict:
    return {d["name"]: d for d in result["dimensions"]}


def set_rating(store, key: str, rating: str) -> None:
    """Re-rate one KPI (an upsert keeps the old rating in the node's history)."""
    node = store.get(key)
    store.upsert(Batch(nodes=[NodeRecord(label="KpiRating", key=key, props={**node.props, "rating": rating},
                                         provenance=Provenance(source="re-rating.csv", locator="row 1"))]))


def test_weighted_sub_scores_add_up_to_the_score(scored):
    for result in scored.values():
        if result["score"] is None:
            continue
        shown = dims(result).values()
        assert round(sum(d["points"] for d in shown), 2) == result["score"]
        assert math.isclose(sum(d["effective_weight"] for d in shown), 100, abs_tol=0.02)
        for d in shown:
            expected = 0 if d["sub_score"] is None else d["effective_weight"] * d["sub_score"] / 100
            assert math.isclose(d["points"], expected, abs_tol=0.05), (result["partner"], d["name"])
            assert math.isclose(d["points"] + d["lost"], d["effective_weight"], abs_tol=0.011)


def test_the_healthy_partner_by_hand(scored):
    b = scored[B]
    assert b["coverage"] == 1.0 and b["rating"] == b["score_rating"] == "green" and not b["overrides"]
    d = dims(b)
    assert d["quality"]["sub_score"] == 100.0 and d["cost"]["sub_score"] == 100.0
    # repairs: B took 320,000 of 420,000 spent; one alternative (A) is worth 60 points
    assert math.isclose(d["resilience"]["sub_score"], 0.5 * 60 + 0.5 * (1 - 320 / 420) * 100, abs_tol=0.05)
    # the contract ending in three months has its successor let
    assert d["lifecycle"]["sub_score"] == 100.0
    # reviews 30 and 212 days ago, halving every 182 days, against a target of 1.5
    assert math.isclose(d["engagement"]["sub_score"], 100 * (0.5 ** (30 / 182) + 0.5 ** (212 / 182)) / 1.5, abs_tol=0.05)
    assert d["governance"]["sub_score"] == 100.0
    assert b["score"] == 86.76


def test_missing_dimensions_share_their_weight(scored):
    a = scored[A]  # no engagement recorded: its 15 points are shared among the other 85
    assert a["coverage"] == 0.85
    assert dims(a)["engagement"]["has_data"] is False and dims(a)["engagement"]["points"] == 0
    for name in ("quality", "cost", "resilience", "lifecycle", "governance"):
        assert math.isclose(dims(a)[name]["effective_weight"], CONFIG.weights[name] / 85 * 100, abs_tol=0.01)


def test_a_partner_without_contracts_is_scored_on_what_applies(scored):
    police = scored[D]
    d = dims(police)
    assert [n for n, x in d.items() if x["has_data"]] == ["engagement", "governance"]
    assert police["coverage"] == 0.3
    assert d["engagement"]["effective_weight"] == d["governance"]["effective_weight"] == 50.0
    assert math.isclose(d["engagement"]["sub_score"], 100 * 0.5 ** (29 / 182) / 1.5, abs_tol=0.05)
    assert d["governance"]["sub_score"] == 100.0  # owner held, charter signed, linked to housing via an indicator
    assert police["workstreams"] == ["workstream:partnerships"]


def test_partners_without_a_current_relationship_have_no_score(scored):
    for key in (E, F):
        assert scored[key]["score"] is None and scored[key]["rating"] == "no data" and scored[key]["coverage"] == 0
        assert scored[key]["explanation"] == "No dimension has data for this partner."


def test_a_change_in_one_kpi_rating_moves_only_what_it_should(store):
    load(store)
    before = assess(store, AS_OF).results
    set_rating(store, "kpi:repairs-b-right-first-time-2026-06-30", "Requires improvement")
    after = assess(store, AS_OF).results
    assert {k: v for k, v in after.items() if k != B} == {k: v for k, v in before.items() if k != B}
    old, new = dims(before[B]), dims(after[B])
    # four ratings: three Good and now one Requires improvement (33)
    assert new["quality"]["sub_score"] == round((100 * 3 + 33) / 4, 1)
    assert {n for n in new if new[n] != old[n]} == {"quality"}
    moved = new["quality"]["points"] - old["quality"]["points"]
    assert math.isclose(moved, 25 * (83.25 - 100) / 100, abs_tol=0.01)
    assert math.isclose(after[B]["score"] - before[B]["score"], moved, abs_tol=0.01)
    assert not after[B]["overrides"]


def test_a_latest_inadequate_rating_caps_the_rating_at_red(store):
    load(store)
    set_rating(store, "kpi:repairs-b-social-value-2026-06-30", "Inadequate")
    b = assess(store, AS_OF).results[B]
    assert b["score_rating"] == "green" and b["rating"] == "red"
    [override] = b["overrides"]
    assert override["code"] == "inadequate_kpi"
    assert override["evidence"][0]["key"] == "kpi:repairs-b-social-value-2026-06-30"
    assert override["evidence"][0]["source"] == "re-rating.csv"  # the provenance of the rating now held
    assert "Rated red because" in b["explanation"]


def test_an_earlier_inadequate_rating_does_not_cap(store):
    load(store)
    set_rating(store, "kpi:repairs-b-social-value-2026-03-31", "Inadequate")
    b = assess(store, AS_OF).results[B]
    assert not b["overrides"] and b["rating"] == "green"
    assert dims(b)["quality"]["sub_score"] == 75.0


def test_other_is_no_data_for_quality(scored):
    # A's waste ratings: Good x5, Approaching target, Requires improvement, and one "Other" that does not count;
    # its repairs contract has no ratings, so only the waste contract counts
    assert math.isclose(dims(scored[A])["quality"]["sub_score"], (100 * 5 + 67 + 33) / 7, abs_tol=0.05)
    assert dims(scored[A])["quality"]["detail"]["contracts"] == [
        {"contract": "contract:waste-1", "value": 1_200_000.0, "ratings": 7, "mean": 85.7}]


def test_sole_provider_of_a_critical_service_caps_at_red_until_there_is_another(store):
    load(store)
    a = assess(store, AS_OF).results[A]
    assert a["score_rating"] == "amber" and a["rating"] == "red"
    assert [o["code"] for o in a["overrides"]] == ["single_point_of_failure"]
    assert "Waste collection" in a["overrides"][0]["message"]
    Builder().contract("contract:waste-2", B, "service:waste", 100_000, "2026-01-01", "2028-12-31").write(store)
    a = assess(store, AS_OF).results[A]
    assert not a["overrides"] and a["rating"] == a["score_rating"]


def test_an_expiry_within_six_months_without_successor_caps_at_red(store):
    load(store)
    # an exit plan covers the lifecycle points, but without a successor the rating is still capped
    Builder().contract("contract:repairs-b-patch", B, "service:repairs", 40_000, "2026-01-01", "2026-10-31",
                       exit_plan=True).write(store)
    b = assess(store, AS_OF).results[B]
    assert [o["code"] for o in b["overrides"]] == ["expiry_without_successor"]
    assert b["overrides"][0]["evidence"][0]["key"] == "contract:repairs-b-patch"
    assert b["rating"] == "red" and dims(b)["lifecycle"]["sub_score"] == 100.0


def test_lifecycle_weighs_contracts_by_value(scored):
    # waste (1.2m) ends in 12 months uncovered: 40; repairs (0.3m) has an exit plan: 100
    lifecycle = dims(scored[A])["lifecycle"]
    assert lifecycle["sub_score"] == round((40 * 1.2 + 100 * 0.3) / 1.5, 1)
    states = {c["contract"]: c["state"] for c in lifecycle["detail"]["contracts"]}
    assert states == {"contract:waste-1": "uncovered", "contract:repairs-a": "exit plan in place"}


def test_cost_compares_spend_with_pro_rata_value(store):
    load(store)
    # two more payments on B's big contract: 480,000 in the window against 2m pro rata over 366 of 2,192 days
    for n, day in ((5, "2026-06-01"), (6, "2026-06-20")):
        Builder().payment(f"payment:b-{n}", 80_000, day, B, "service:repairs", "contract:repairs-b").write(store)
    cost = dims(assess(store, AS_OF).results[B])["cost"]
    ratio = 480_000 / (2_000_000 * 366 / 2192)
    assert cost["detail"]["contracts"][0]["ratio"] == round(ratio, 3)
    assert math.isclose(cost["sub_score"], 100 * (1 - (ratio - 1.1) / (0.5 - 0.1)), abs_tol=0.05)


def test_resilience_flags_sole_services_priorities_and_cut_vertices(scored):
    a, c = dims(scored[A])["resilience"], dims(scored[C])["resilience"]
    # waste: sole provider, 0 points; repairs: 100,000 of 420,000 and one alternative; both critical; cut vertex -10
    assert math.isclose(a["sub_score"], (0 * 2 + (30 + 0.5 * (1 - 100 / 420) * 100) * 2) / 4 - 10, abs_tol=0.05)
    [cut] = [f for f in scored[A]["flags"] if f["code"] == "cut_vertex"]
    assert "Housing led regeneration" in cut["message"] and "Subcontractor Ltd" in cut["message"]
    assert cut["evidence"][0]["key"].startswith(f"{F}|WORKS_WITH|{A}")
    assert c["sub_score"] == 0.0
    assert {f["code"] for f in scored[C]["flags"]} >= {"single_point_of_failure", "sole_priority_provider"}
    assert not scored[C]["overrides"]  # advice is not a critical service


def test_engagement_flags_no_recent_review(scored):
    assert [f["code"] for f in scored[A]["flags"]].count("no_recent_review") == 1
    assert "no_recent_review" not in [f["code"] for f in scored[B]["flags"]]


def test_governance_needs_an_owner_whose_post_is_held(scored):
    c = dims(scored[C])["governance"]
    # owner post vacant since 31 May: 0 of 40; no contracts, so no plan check; charter 15; priority 20
    assert c["sub_score"] == round(100 * 35 / 75, 1)
    assert "owner_post_vacant" in [f["code"] for f in scored[C]["flags"]]
    assert any("nobody: vacant" in x["fact"] for x in c["evidence"])


def test_evidence_names_source_locator_and_key(scored):
    for result in scored.values():
        for d in result["dimensions"]:
            for x in d["evidence"]:
                assert x["source"] and x["locator"] and x["key"] and x["fact"]


def test_drivers_are_the_three_biggest_losses(scored):
    a = scored[A]
    assert [d["dimension"] for d in a["drivers"]] == ["resilience", "lifecycle", "quality"]
    losses = sorted((d["lost"] for d in a["dimensions"]), reverse=True)[:3]
    assert [d["lost"] for d in a["drivers"]] == losses
    assert "resilience (-17.9" in a["explanation"] and "only provider of Waste collection" in a["explanation"]


def test_commissioning_criteria_come_from_their_dimensions(scored):
    d = dims(scored[A])
    assert scored[A]["criteria"]["quality"] == d["quality"]["sub_score"]
    assert math.isclose(scored[A]["criteria"]["resilience"],
                        (d["resilience"]["sub_score"] * 20 + d["lifecycle"]["sub_score"] * 15) / 35, abs_tol=0.1)
    assert scored[D]["criteria"] == {"resilience": None, "quality": None, "cost": None}


def test_the_day_is_explicit(store):
    load(store)
    later = assess(store, "2026-10-15").results[B]
    # the small contract has ended and its successor is current
    assert {c["contract"] for c in dims(later)["lifecycle"]["detail"]["contracts"]} == {
        "contract:repairs-b", "contract:repairs-b-next"}
    assert assess(store, AS_OF).results == assess(store, AS_OF).results


def test_ratings_follow_the_configured_bands(store):
    load(store)
    text = HEALTH_YAML.read_text().replace("  green: 70\n", "  green: 90\n")
    stricter = assess(store, AS_OF, parse(text)).results[B]
    assert stricter["score"] == 86.76 and stricter["rating"] == "amber"


def test_the_config_rejects_unknown_dimensions():
    text = HEALTH_YAML.read_text().replace("  governance: 15\n", "  governance: 15\n  charisma: 5\n", 1)
    with pytest.raises(ValueError, match="weights"):
        parse(text)


def test_the_report_ranks_worst_first_and_filters(store):
    load(store)
    report = health_report(store, AS_OF)
    assert [r["partner"] for r in report["partners"]] == [C, A, D, B, E, F]
    assert report["counts"] == {"green": 2, "amber": 0, "red": 2}
    assert "evidence" not in report["partners"][0]["dimensions"][0]
    by = {"persona": ("Contractors", [A, B]), "workstream": ("partnerships", [D]),
          "service": ("service:repairs", [A, B]), "rating": ("green", [D, B])}
    for name, (value, expected) in by.items():
        assert [r["partner"] for r in health_report(store, AS_OF, **{name: value})["partners"]] == expected, name


@pytest.mark.neo4j
def test_both_backends_score_alike(neo4j_store, store):
    """The scoring is Python over the named queries' rows, so Neo4j gives the same report."""
    load(neo4j_store)
    load(store)
    assert assess(neo4j_store, AS_OF).results == assess(store, AS_OF).results


def test_governance_says_exactly_how_many_contracts_lack_a_plan(scored):
    a = dims(scored[A])["governance"]  # waste has a plan, repairs has none
    assert "1 of 2 current contracts has no management plan" in a["summary"]
    assert "every contract" not in a["summary"]


def test_a_score_on_less_than_half_the_weight_is_provisional(scored):
    police = scored[D]  # coverage 0.3
    assert police["provisional"] and police["explanation"].startswith("Provisional: ")
    assert not scored[A]["provisional"] and not scored[A]["explanation"].startswith("Provisional")  # coverage 0.85
    assert all(scored[key]["provisional"] is False for key in (E, F))  # no score: nothing to call provisional

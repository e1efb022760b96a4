"""Accountability gaps: policies without officer- or member-level owners, owned by a vacant post or
overdue for review; contracts, charters, partner relationships and workstreams whose owning post is
vacant; records not verified for longer than the setting allows."""
from __future__ import annotations

import json

import pytest

from graph_service.answers import policies
from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.records import Batch, NodeRecord, Provenance
from tests.test_policies import AS_OF, HOUSING, MTFS, _node, _rel, seed

CLIMATE, CHARTER = "policy:climate-emergency-strategy", "policy:customer-service-charter"


@pytest.fixture
def seeded(any_store):
    seed(any_store)
    return any_store


def _by_reason(report) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for gap in report.gaps:
        found.setdefault(gap.reason, []).append((gap.kind, gap.key))
    return found


def test_each_rule_names_what_it_found_and_why(seeded):
    report = policies.accountability_gaps(seeded, verify_after_days=365, as_of=AS_OF)
    found = _by_reason(report)
    assert found["no_officer_owner"] == [("policy", CHARTER)]
    assert sorted(found["no_member_owner"]) == [("policy", CLIMATE), ("policy", CHARTER)]
    assert sorted(found["owner_post_vacant"]) == sorted([
        ("policy", MTFS), ("contract", "contract:waste"), ("charter", "charter:business"),
        ("partner relationship", "GB-COH-01234567"), ("workstream", "workstream:partnerships")])
    assert found["review_overdue"] == [("policy", HOUSING)]
    assert "not_verified" not in found
    assert report.counts == {"no_officer_owner": 1, "no_member_owner": 2, "owner_post_vacant": 5,
                                "review_overdue": 1, "period_ended": 0, "not_verified": 0, "charter_lapsed": 0}
    vacant = next(g for g in report.gaps if g.key == "contract:waste")
    assert vacant.post.model_dump() == {"key": "post:ad-finance", "title": "Assistant Director Finance"}
    assert vacant.since == "2025-03-31"
    assert vacant.detail == ("manager post 'Assistant Director Finance' is vacant since 2025-03-31 "
                                "(last held by Bob Shaw)")


def test_a_vacant_business_rep_post_is_not_an_ownership_gap(seeded):
    seeded.upsert(Batch(nodes=[_node("Post", "post:gm-revenues", 80, title="GM Revenues"),
                               _node("Person", "person:eve-kemp", 81, name="Eve Kemp")],
                        rels=[_rel("HOLDS", "person:eve-kemp", "post:gm-revenues", 82, "2020-01-01", "2024-12-31"),
                              _rel("BUSINESS_REP_FOR", "post:gm-revenues", "workstream:partnerships", 83)]))
    report = policies.accountability_gaps(seeded, verify_after_days=365, as_of=AS_OF)
    assert [g.post.key for g in report.gaps if g.key == "workstream:partnerships"] == ["post:ad-finance"]


def test_nothing_is_vacant_while_the_holder_is_in_post(seeded):
    report = policies.accountability_gaps(seeded, verify_after_days=365, as_of="2025-01-01")
    assert report.counts["owner_post_vacant"] == 0
    assert report.counts["review_overdue"] == 1  # the housing strategy's review fell due in March 2024


def test_overdue_reviews_come_oldest_first(seeded):
    seeded.upsert(Batch(nodes=[NodeRecord(label="Policy", key="policy:older", props={"title": "Older Policy",
                                          "review_date": "2019-01-01"}, provenance=Provenance(source="x.csv"))]))
    report = policies.accountability_gaps(seeded, verify_after_days=365, as_of=AS_OF)
    assert [g.key for g in report.gaps if g.reason == "review_overdue"] == ["policy:older", HOUSING]
    reasons = [g.reason for g in report.gaps]
    assert reasons == sorted(reasons, key=list(policies.GAP_REASONS).index)


def test_records_not_verified_lately_use_verified_on_or_else_when_loaded(seeded):
    # the MTFS was verified on 2025-01-10; everything else was loaded today, so it is fresh until next year
    report = policies.accountability_gaps(seeded, verify_after_days=365, as_of="2026-03-01")
    stale = [g for g in report.gaps if g.reason == "not_verified"]
    assert [(g.key, g.since) for g in stale] == [(MTFS, "2025-01-10")]
    assert stale[0].detail == "last verified on 2025-01-10, 415 days ago (limit 365)"
    later = policies.accountability_gaps(seeded, verify_after_days=30, as_of="2099-01-01")
    keys = {g.key for g in later.gaps if g.reason == "not_verified"}
    assert {HOUSING, "contract:waste", "GB-COH-01234567", "workstream:partnerships"} <= keys
    housing = next(g for g in later.gaps if g.key == HOUSING and g.reason == "not_verified")
    assert housing.detail.startswith("last loaded (never verified) on ")


def test_api_gaps_use_the_verify_after_days_setting(store, server):
    seed(store)
    body = server.client(Role.viewer).get("/api/v1/accountability/gaps", params={"as_of": "2026-03-01"}).json()
    assert body["verify_after_days"] == server.app.state.settings.verify_after_days == 365
    assert body["as_of"] == "2026-03-01"
    assert [g["key"] for g in body["gaps"] if g["reason"] == "not_verified"] == [MTFS]
    assert server.client().get("/api/v1/accountability/gaps").status_code == 401


def test_cli_gaps(tmp_path, capsys, monkeypatch):
    from graph_service.store.embedded import EmbeddedStore

    seed(EmbeddedStore(tmp_path / "data"))
    monkeypatch.setenv("GRAPH_SERVICE_VERIFY_AFTER_DAYS", "30")
    assert main(["--data-dir", str(tmp_path / "data"), "gaps", "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "Review overdue (1):\n  policy Housing Strategy 2020 to 2025" in out
    assert "Not verified recently (1):\n  policy Medium Term Financial Strategy" in out
    assert main(["--data-dir", str(tmp_path / "data"), "gaps", "--json", "--as-of", AS_OF]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verify_after_days"] == 30 and report["counts"]["owner_post_vacant"] == 5

"""The governance rules: that they say what the council's documents say, at the lines they
cite; approval routes and flags on purpose-built cases; and the answers on the reference
dataset."""
from __future__ import annotations

import re

import pytest

from graph_service.answers import governance
from graph_service.queries import ask, registry
from graph_service.queries.initiatives import MAX_HOPS
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from tests.conftest import SHARED
from tests.test_initiatives import CABINET, seed

SOURCES = SHARED / "sources"


def document_lines(source: str) -> list[str]:
    return (SOURCES / source).read_text(encoding="utf-8").splitlines()


def squash(text: str) -> str:
    return " ".join(text.split())


def assert_cited(citation: governance.Citation, *phrases: str) -> None:
    """The cited line holds each phrase, and each part of the section title heads it."""
    lines = document_lines(citation.source)
    line = squash(lines[citation.line - 1])
    for phrase in phrases:
        assert squash(phrase) in line, f"{citation}: {phrase!r} is not on that line: {line!r}"
    for part in citation.section.split(" - "):
        assert part in lines[:citation.line], f"{citation}: no heading {part!r} above the line"


@pytest.mark.parametrize("name", ["alignment", "key_indicators", "commissioning"])
def test_each_rule_is_quoted_from_the_line_it_cites(name):
    rule = governance.rule(name)
    assert_cited(rule.citation, rule.text)


def test_the_indicator_range_is_the_frameworks():
    spec = governance.rules()["key_indicators"]
    assert f"({spec['min']}-{spec['max']})" in governance.rule("key_indicators").text


def test_every_approval_step_names_its_approver_on_the_line_it_cites():
    approval = governance.rules()["approval"]
    steps = approval["common"] + [s for route in approval["routes"].values() for s in route["steps"]]
    for step in steps:
        citation = governance.citation(step, approval["source"])
        assert_cited(citation, step["approver"] if "bodies" in step else "full PID")


def test_each_route_is_the_sentence_for_its_funding():
    approval = governance.rules()["approval"]
    for route in approval["routes"].values():
        [line] = {s["line"] for s in route["steps"]}
        words = route["when"].replace("funded from ", "").replace("requires ", "")
        assert_cited(governance.Citation(source=approval["source"], section="New Normal – Governance", line=line), words)


def test_the_alignment_cypher_stops_where_the_networkx_twin_does():
    assert f"*1..{MAX_HOPS}]" in registry.get("initiative_alignment").cypher


# -- approval routes on purpose-built initiatives ----------------------------------------------------
@pytest.fixture
def routes(store):
    seed(store)
    return {row["initiative"]: governance.approval_route(row) for row in ask(store, "initiative_list")}


def test_existing_funds_route_is_programme_board_full_pid_cmt_brg(routes):
    direct = routes["initiative:direct"]
    assert direct.route.model_dump() == {"name": "existing-funds", "when": "funded from existing budgets or approved reserve"}
    # "referred to CMT and BRG for approval" (line 179): one joint step that both bodies approve
    assert [(s.step, [b.key for b in s.bodies], s.citation.line) for s in direct.steps] == [
        ("programme-board", ["body:programme-board"], 171), ("full-pid", [], 171), ("cmt-and-brg", ["body:cmt", "body:brg"], 179)]
    assert direct.complete and direct.next == [] and direct.issues == []
    assert direct.steps[1].evidence[0].pid_status == "full PID"


def test_additional_capital_adds_cabinet_review_and_formal_approval_by_members(routes):
    route = routes["initiative:via-objective"]
    assert route.route.name == "additional-capital"
    assert route.steps[-1].what == "referred to Cabinet for review and formal approval by Members"
    assert route.next == ["cabinet"] and not route.complete


def test_a_mini_pid_waits_for_the_programme_board_without_a_funding_need(routes):
    waiting = routes["initiative:via-workstream"]
    assert waiting.route is None and waiting.next == ["programme-board"] and waiting.issues == []
    approved = routes["initiative:via-indicator"]
    assert approved.next == ["full-pid"] and approved.issues == []
    assert approved.steps[0].evidence[0].approved_on is None


def test_approvals_out_of_order_are_reported(routes):
    skipped = routes["initiative:raised-only"]
    assert skipped.route.name == "additional-capital"  # "capital" is one of its spellings
    assert skipped.issues == [
        "'goes to CMT and BRG for approval' is recorded although 'the mini PID is presented to the Programme Board for approval' is not",
        "'goes to CMT and BRG for approval' is recorded although 'only when approved is a full PID prepared, to seek approval and "
        "funding through the normal channels' is not"]
    assert skipped.next == ["programme-board"]
    misdated = routes["initiative:misdated"]
    assert misdated.complete
    assert misdated.issues == ["'referred to CMT and BRG for approval' is dated 2019-05-01, before "
                                  "'the mini PID is presented to the Programme Board for approval' (2019-06-01)"]
    assert [a.key for a in misdated.other_approvals] == [CABINET]


def test_delivery_before_the_route_is_complete_is_reported(routes):
    early = routes["initiative:early-delivery"]
    assert early.next == ["cmt-and-brg"]
    assert early.issues == ["its stage is 'delivery' but its approval route is not complete"]


def _row(**props) -> dict:
    return {"initiative": "initiative:x", "name": "X", "pid_status": None, "funding": None, "stage": None,
            "provenance": {"source": "t", "locator": "row 1", "illustrative": False}, "approvals": [], **props}


def test_unknown_funding_and_pid_spellings_and_a_full_pid_without_funding_are_reported():
    odd = governance.approval_route(_row(funding="lottery", pid_status="draft"))
    assert odd.issues == ["funding 'lottery' is none of ['additional capital', 'approved reserve', 'existing budget']",
                             "pid_status 'draft' is none of ['full', 'mini']"]
    unfunded = governance.approval_route(_row(pid_status="Full PID"))
    assert unfunded.issues[0].startswith("no funding need is recorded, so the route after the full PID is unknown")
    assert not unfunded.complete and unfunded.next == ["programme-board"]


def test_an_option_assessed_twice_keeps_the_latest_entry():
    row = {"decision": "decision:x", "title": "X", "decided_on": None, "resilience": None, "quality": None, "cost": None,
           "chosen_option": "A", "options": ["A | r |  | c", "A | r | q | c"],
           "provenance": {"source": "t", "locator": "row 1", "illustrative": False}, "decides": [], "approvals": []}
    review = governance.decision_criteria(row)
    assert review.flag is None and [o.model_dump() for o in review.options] == [
        {"option": "A", "resilience": "r", "quality": "q", "cost": "c", "missing": []}]
    assert review.issues == ["option 'A' is assessed more than once; the last entry is used"]


def test_more_than_twenty_indicators_is_too_many(store):
    prov = Provenance(source="t", locator="row 1")
    store.upsert(Batch(
        nodes=[NodeRecord(label="Priority", key="priority:p", props={"name": "P"}, provenance=prov)]
        + [NodeRecord(label="KeyIndicator", key=f"indicator:k{i}", props={"name": f"K{i}"}, provenance=prov) for i in range(21)],
        rels=[RelRecord(type="MEASURES", start=f"indicator:k{i}", end="priority:p", provenance=prov) for i in range(21)]))
    report = governance.indicators_coverage(store)
    assert (report.indicators, report.size, report.priorities_without_indicators) == (21, "too many", [])


# -- the reference dataset -------------------------------------------------------------------------
@pytest.fixture
def reference(reference_store):
    return reference_store


def test_the_approvers_the_rules_name_are_the_reference_governance_bodies(reference):
    approval = governance.rules()["approval"]
    steps = approval["common"] + [s for route in approval["routes"].values() for s in route["steps"]]
    for key, name in ((k, n) for s in steps for k, n in s.get("bodies", {}).items()):
        body = reference.get(key)
        assert body is not None and body.label == "GovernanceBody", key
        assert name in (body.props["name"], body.props.get("abbreviation"))


def test_reference_initiatives_are_all_read_and_one_is_unaligned(reference):
    overview = governance.initiatives_overview(reference)
    assert len(overview) >= 5
    assert not [i for i in overview if re.search("is none of", " ".join(i.issues))]
    assert [i.initiative for i in governance.unaligned_initiatives(reference)] == ["initiative:staff-intranet-redesign"]
    assert all(i.raised_by and i.pid_status for i in overview)


def test_reference_routes(reference):
    capital = governance.initiative_route(reference, "initiative:customer-golden-record")
    assert capital.route.name == "additional-capital" and capital.complete
    assert governance.initiative_route(reference, "initiative:business-charter-pilot").next == ["full-pid"]


def test_reference_decision_without_resilience_is_the_one_flagged(reference):
    flagged = [d for d in governance.decisions_review(reference) if d.flag]
    assert [(d.decision, d.missing) for d in flagged] == [("decision:grounds-maintenance-retender", ["resilience"])]


def test_reference_indicators_cover_both_priorities_within_fifteen_to_twenty(reference):
    report = governance.indicators_coverage(reference)
    assert report.size == "within" and 15 <= report.indicators <= 20
    assert report.priorities_without_indicators == [] and report.indicators_without_priority == []
    assert {p.priority for p in report.priorities} == {"priority:housing-led-regeneration", "priority:economic-well-being"}

"""Initiatives, commissioning decisions and key indicators on a purpose-built graph whose
answers are known: the named queries on both backends, the API over real HTTP with roles,
and the CLI."""
from __future__ import annotations

import re

import json

import pytest

from graph_service.answers import governance
from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.queries import ask

PB, CMT, BRG, CABINET = "body:programme-board", "body:cmt", "body:brg", "body:cabinet"


def _node(label: str, key: str, **props) -> NodeRecord:
    return NodeRecord(label=label, key=key, props=props, provenance=Provenance(source="initiatives-register.yaml", locator=key))


def _rel(kind: str, start: str, end: str, **props) -> RelRecord:
    return RelRecord(type=kind, start=start, end=end, props=props,
                     provenance=Provenance(source="initiatives-register.yaml", locator=f"{start} {kind}"))


def seed(store) -> None:
    """Initiatives reaching the priorities by every kind of path, and some by none.

    direct            SUPPORTS a priority; existing budget; PB, CMT and BRG approved (dated)
    via-objective     reaches a priority through three objectives: four links, the longest path counted;
                      additional capital; PB, CMT and BRG approved, Cabinet not yet
    via-workstream    CONTRIBUTES_TO a workstream that SUPPORTS a priority; mini PID, nothing approved
    via-indicator     CONTRIBUTES_TO a key indicator that MEASURES a priority; PB approved, no funding yet
    raised-only       RAISED by a priority-supporting workstream, contributes to one serving nothing:
                      unaligned; CMT approved it although the Programme Board never did
    too-far           five links from a priority (the limit is four): unaligned
    early-delivery    approved reserve; in delivery with only the Programme Board's approval
    misdated          CMT's approval dated before the Programme Board's; Cabinet approved it too,
                      though an existing-budget route does not go there
    """
    nodes = [
        _node("Priority", "priority:housing", name="Housing"),
        _node("Priority", "priority:economy", name="Economy"),
        _node("Priority", "priority:lonely", name="No indicator measures this"),
        _node("KeyIndicator", "indicator:homes", name="Homes built"),
        _node("KeyIndicator", "indicator:jobs", name="Jobs created"),
        _node("KeyIndicator", "indicator:orphan", name="Measures no priority"),
        _node("Workstream", "workstream:systems", name="Systems"),
        _node("Workstream", "workstream:people", name="People"),
        *[_node("Objective", f"objective:o{i}", text=f"Objective {i}") for i in range(1, 5)],
        *[_node("GovernanceBody", key, name=name) for key, name in
          [(PB, "Programme Board"), (CMT, "Corporate Management Team"), (BRG, "BRG"), (CABINET, "Cabinet")]],
        _node("Initiative", "initiative:direct", name="Direct", pid_status="full PID", funding="existing budget",
              stage="delivery"),
        _node("Initiative", "initiative:via-objective", name="Via objective", pid_status="full", funding="Additional capital"),
        _node("Initiative", "initiative:via-workstream", name="Via workstream", pid_status="mini PID"),
        _node("Initiative", "initiative:via-indicator", name="Via indicator", pid_status="mini PID",
              stage="approved by Programme Board"),
        _node("Initiative", "initiative:raised-only", name="Raised only", pid_status="mini PID", funding="capital"),
        _node("Initiative", "initiative:too-far", name="Too far"),
        _node("Initiative", "initiative:early-delivery", name="Early delivery", pid_status="full PID",
              funding="approved reserve", stage="delivery"),
        _node("Initiative", "initiative:misdated", name="Misdated", pid_status="full PID", funding="existing budgets"),
        _node("CommissioningDecision", "decision:complete", title="All criteria", decided_on="2019-04-01",
              chosen_option="Outsource", options=["In-house | staff cover | direct control | higher cost",
                                                   "Outsource | two suppliers | KPIs | lower cost"]),
        _node("CommissioningDecision", "decision:option-gap", title="An option without quality", decided_on="2019-05-01",
              chosen_option="B", options=["A | fallback |  | cheaper", "B | fallback | better | same"]),
        _node("CommissioningDecision", "decision:plain-gap", title="No options, no quality",
              resilience="step-in rights", cost="saves 5%", chosen_option="Re-tender"),
        _node("CommissioningDecision", "decision:chosen-elsewhere", title="Chose what it did not weigh",
              chosen_option="Z", options=["A | r | q | c"]),
        _node("CommissioningDecision", "decision:later", title="Decided later", decided_on="2030-01-01",
              resilience="r", quality="q", cost="c"),
        _node("Service", "service:waste", name="Waste collection"),
    ]
    rels = [
        _rel("MEASURES", "indicator:homes", "priority:housing"),
        _rel("MEASURES", "indicator:jobs", "priority:economy"),
        _rel("SUPPORTS", "workstream:systems", "priority:housing"),
        _rel("SUPPORTS", "objective:o1", "objective:o2"), _rel("SUPPORTS", "objective:o2", "objective:o3"),
        _rel("SUPPORTS", "objective:o3", "objective:o4"), _rel("SUPPORTS", "objective:o4", "priority:economy"),
        _rel("SUPPORTS", "initiative:direct", "priority:housing"),
        _rel("CONTRIBUTES_TO", "initiative:direct", "indicator:orphan"),
        _rel("SUPPORTS", "initiative:via-objective", "objective:o2"),
        _rel("CONTRIBUTES_TO", "initiative:via-workstream", "workstream:systems"),
        _rel("CONTRIBUTES_TO", "initiative:via-indicator", "indicator:jobs"),
        _rel("RAISED", "workstream:systems", "initiative:raised-only"),
        _rel("CONTRIBUTES_TO", "initiative:raised-only", "workstream:people"),
        _rel("SUPPORTS", "initiative:too-far", "objective:o1"),
        _rel("SUPPORTS", "initiative:early-delivery", "priority:economy"),
        _rel("SUPPORTS", "initiative:misdated", "priority:economy"),
        _rel("RAISED", "workstream:systems", "initiative:direct"),
        _rel("APPROVES", PB, "initiative:direct", approved_on="2019-03-01"),
        _rel("APPROVES", CMT, "initiative:direct", approved_on="2019-05-01"),
        _rel("APPROVES", BRG, "initiative:direct", approved_on="2019-06-01"),
        _rel("APPROVES", PB, "initiative:via-objective", approved_on="2019-02-01"),
        _rel("APPROVES", CMT, "initiative:via-objective", approved_on="2019-04-01"),
        _rel("APPROVES", BRG, "initiative:via-objective", approved_on="2019-04-02"),
        _rel("APPROVES", PB, "initiative:via-indicator"),
        _rel("APPROVES", CMT, "initiative:raised-only", approved_on="2019-07-01"),
        _rel("APPROVES", PB, "initiative:early-delivery", approved_on="2019-01-10"),
        _rel("APPROVES", PB, "initiative:misdated", approved_on="2019-06-01"),
        _rel("APPROVES", CMT, "initiative:misdated", approved_on="2019-05-01"),
        _rel("APPROVES", BRG, "initiative:misdated", approved_on="2019-06-15"),
        _rel("APPROVES", CABINET, "initiative:misdated", approved_on="2019-07-01"),
        _rel("DECIDES", "decision:complete", "service:waste"),
        _rel("APPROVES", CMT, "decision:complete", approved_on="2019-04-01"),
    ]
    store.upsert(Batch(nodes=nodes, rels=rels))


def by_initiative(reports: list) -> dict:
    """Answers (or their JSON) by initiative key."""
    return {r["initiative"] if isinstance(r, dict) else r.initiative: r for r in reports}


def by_decision(reviews: list) -> dict:
    return {r["decision"] if isinstance(r, dict) else r.decision: r for r in reviews}


def path_keys(path: governance.AlignmentPath) -> list[str]:
    return [path.steps[0].from_.key, *[s.to.key for s in path.steps]]


# -- named queries, on both backends --------------------------------------------------------------
def test_alignment_follows_every_kind_of_path_with_provenance(any_store):
    seed(any_store)
    reports = by_initiative(governance.alignment(ask(any_store, "initiative_alignment")))
    served = {key: {p.priority: [(path.via, path_keys(path)) for path in p.paths] for p in r.priorities}
              for key, r in reports.items()}
    assert served["initiative:direct"] == {"priority:housing": [("direct", ["initiative:direct", "priority:housing"])]}
    assert served["initiative:via-objective"] == {"priority:economy": [
        ("objective", ["initiative:via-objective", "objective:o2", "objective:o3", "objective:o4", "priority:economy"])]}
    assert served["initiative:via-workstream"] == {"priority:housing": [
        ("workstream", ["initiative:via-workstream", "workstream:systems", "priority:housing"])]}
    assert served["initiative:via-indicator"] == {"priority:economy": [
        ("key indicator", ["initiative:via-indicator", "indicator:jobs", "priority:economy"])]}
    [path] = reports["initiative:via-indicator"].priorities[0].paths
    assert [(s.type, s.provenance.model_dump()) for s in path.steps] == [
        ("CONTRIBUTES_TO", {"source": "initiatives-register.yaml", "locator": "initiative:via-indicator CONTRIBUTES_TO",
                            "illustrative": False}),
        ("MEASURES", {"source": "initiatives-register.yaml", "locator": "indicator:jobs MEASURES", "illustrative": False})]
    assert path.steps[0].to.model_dump() == {"key": "indicator:jobs", "label": "KeyIndicator", "name": "Jobs created"}


def test_an_initiative_reaching_no_priority_is_flagged(any_store):
    """Being raised by a workstream that serves a priority is not serving it; five links is too far."""
    seed(any_store)
    unaligned = by_initiative(governance.unaligned_initiatives(any_store))
    assert set(unaligned) == {"initiative:raised-only", "initiative:too-far"}
    flag = unaligned["initiative:too-far"].flag
    assert flag.citation.model_dump() == {"source": "policy-framework-guiding-principles.txt", "line": 57,
                                          "section": "To ensure that all initiatives have strong links to top priorities"}
    assert "Too far" in flag.message
    assert unaligned["initiative:raised-only"].priorities == []


def test_initiative_list_holds_what_each_needs_and_claims(any_store):
    seed(any_store)
    [row] = ask(any_store, "initiative_list", initiative="initiative:direct")
    assert (row["pid_status"], row["funding"], row["stage"]) == ("full PID", "existing budget", "delivery")
    assert [w["key"] for w in row["raised_by"]] == ["workstream:systems"]
    assert [(c["type"], c["key"], c["label"]) for c in row["claims"]] == [
        ("CONTRIBUTES_TO", "indicator:orphan", "KeyIndicator"), ("SUPPORTS", "priority:housing", "Priority")]
    assert [(a["key"], a["approved_on"]) for a in row["approvals"]] == [
        (PB, "2019-03-01"), (CMT, "2019-05-01"), (BRG, "2019-06-01")]
    assert row["provenance"] == {"source": "initiatives-register.yaml", "locator": "initiative:direct", "illustrative": False}
    assert len(ask(any_store, "initiative_list")) == 8


def test_approvals_after_as_of_do_not_count_and_undated_ones_do(any_store):
    seed(any_store)
    assert governance.initiative_route(any_store, "initiative:direct").complete
    halfway = governance.initiative_route(any_store, "initiative:direct", "2019-05-15")  # CMT approved, BRG not yet
    assert halfway.next == ["cmt-and-brg"] and [b.key for b in halfway.steps[2].awaiting] == [BRG]
    assert governance.initiative_route(any_store, "initiative:direct", "2019-02-28").next == ["programme-board"]
    assert governance.initiative_route(any_store, "initiative:via-indicator", "2000-01-01").next == ["full-pid"]


def test_decisions_missing_a_criterion_on_any_option_are_flagged(any_store):
    seed(any_store)
    decisions = by_decision(governance.decisions_review(any_store))
    assert {k for k, d in decisions.items() if d.flag} == {"decision:option-gap", "decision:plain-gap"}
    gap = decisions["decision:option-gap"]
    assert gap.missing == ["quality"]
    assert [(o.option, o.missing) for o in gap.options] == [("A", ["quality"]), ("B", [])]
    assert gap.flag.citation.line == 161 and "option 'A'" in gap.flag.message
    assert [o.model_dump() for o in decisions["decision:plain-gap"].options] == [
        {"option": "Re-tender", "resilience": "step-in rights", "quality": None, "cost": "saves 5%", "missing": ["quality"]}]
    assert decisions["decision:chosen-elsewhere"].issues == ["the chosen option 'Z' is not among the options considered"]
    complete = decisions["decision:complete"]
    assert [o.option for o in complete.options] == ["In-house", "Outsource"]
    assert [d.key for d in complete.decides] == ["service:waste"]
    assert [(a.key, a.approved_on) for a in complete.approvals] == [(CMT, "2019-04-01")]
    assert "decision:later" not in by_decision(governance.decisions_review(any_store, "2020-01-01"))


def test_indicator_coverage_finds_uncovered_priorities_and_stray_indicators(any_store):
    seed(any_store)
    report = governance.indicators_coverage(any_store)
    assert {p.priority: p.count for p in report.priorities} == {
        "priority:housing": 1, "priority:economy": 1, "priority:lonely": 0}
    assert report.priorities_without_indicators == ["priority:lonely"]
    assert [i.model_dump() for i in report.indicators_without_priority] == [
        {"indicator": "indicator:orphan", "name": "Measures no priority", "illustrative": False}]
    assert (report.indicators, report.illustrative_indicators, report.size) == (3, 0, "too few")


def test_generated_facts_are_marked_in_the_governance_cli(reference_store):
    from tests.test_stakeholders import _cli

    coverage = _cli(reference_store.dir, "indicator-coverage").stdout
    assert re.search(r"18 key indicators \(within: the Framework asks for 15-20; 18 of them illustrative: generated example data\)",
                     coverage)
    assert "(9 illustrative: generated example data)" in coverage
    listed = _cli(reference_store.dir, "initiatives").stdout.splitlines()
    named = [line for line in listed if line.startswith("initiative:")]
    assert named and all(line.endswith("(illustrative: generated example data)") for line in named)
    decisions = [line for line in _cli(reference_store.dir, "commissioning-decisions").stdout.splitlines()
                 if line[2:].startswith("decision:")]
    assert decisions and all(line.endswith("(illustrative: generated example data)") for line in decisions)


# -- the API, over real HTTP ------------------------------------------------------------------------
def test_routes_need_the_right_role(store, server):
    seed(store)
    for path in ["/api/v1/initiatives", "/api/v1/initiatives/unaligned", "/api/v1/indicators/coverage",
                 "/api/v1/initiatives/initiative:direct/alignment", "/api/v1/initiatives/initiative:direct/approval-route"]:
        assert server.client().get(path).status_code == 401
        assert server.client(Role.viewer).get(path).status_code == 200, path
    decisions = "/api/v1/commissioning/decisions"
    assert server.client(Role.viewer).get(decisions).json()["error"]["code"] == "forbidden"
    assert server.client(Role.procurement).get(decisions).status_code == 200


def test_api_lists_initiatives_with_alignment_and_next_step(store, server):
    seed(store)
    listed = by_initiative(server.client(Role.viewer).get("/api/v1/initiatives").json()["initiatives"])
    assert len(listed) == 8
    assert listed["initiative:via-objective"]["priorities_served"] == ["priority:economy"]
    assert listed["initiative:via-objective"]["next"] == ["cabinet"]
    assert listed["initiative:raised-only"]["aligned"] is False
    assert listed["initiative:direct"]["complete"] is True


def test_api_alignment_and_unaligned(store, server):
    seed(store)
    viewer = server.client(Role.viewer)
    body = viewer.get("/api/v1/initiatives/initiative:via-workstream/alignment").json()
    [priority] = body["priorities"]
    assert priority["priority"] == "priority:housing" and priority["paths"][0]["via"] == "workstream"
    assert body["flag"] is None
    unaligned = viewer.get("/api/v1/initiatives/unaligned").json()
    assert unaligned["rule"]["citation"]["line"] == 57
    assert [i["initiative"] for i in unaligned["initiatives"]] == ["initiative:raised-only", "initiative:too-far"]


def test_api_approval_route_cites_the_strategy(store, server):
    seed(store)
    route = server.client(Role.viewer).get("/api/v1/initiatives/initiative:via-objective/approval-route").json()
    assert route["route"]["name"] == "additional-capital"
    assert [(s["step"], s["done"], s["citation"]["line"]) for s in route["steps"]] == [
        ("programme-board", True, 171), ("full-pid", True, 171), ("cmt-and-brg", True, 180), ("cabinet", False, 180)]
    assert route["steps"][2]["evidence"][0]["approved_on"] == "2019-04-01"
    earlier = server.client(Role.viewer).get("/api/v1/initiatives/initiative:via-objective/approval-route",
                                              params={"as_of": "2019-04-01"}).json()
    assert earlier["next"] == ["cmt-and-brg"] and [b["key"] for b in earlier["steps"][2]["awaiting"]] == [BRG]


def test_api_refuses_unknown_initiatives_and_bad_dates(store, server):
    seed(store)
    viewer = server.client(Role.viewer)
    missing = viewer.get("/api/v1/initiatives/initiative:nope/alignment")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert viewer.get("/api/v1/initiatives/initiative:nope/approval-route").status_code == 404
    bad = viewer.get("/api/v1/initiatives", params={"as_of": "next May"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"


def test_api_commissioning_decisions_flagged_and_as_of(store, server):
    seed(store)
    procurement = server.client(Role.procurement)
    flagged = procurement.get("/api/v1/commissioning/decisions", params={"flagged": "true"}).json()
    assert flagged["rule"]["citation"]["line"] == 161
    assert [d["decision"] for d in flagged["decisions"]] == ["decision:option-gap", "decision:plain-gap"]
    everything = procurement.get("/api/v1/commissioning/decisions", params={"as_of": "2020-01-01"}).json()["decisions"]
    assert "decision:later" not in {d["decision"] for d in everything} and len(everything) == 4


def test_api_indicator_coverage(store, server):
    seed(store)
    report = server.client(Role.viewer).get("/api/v1/indicators/coverage").json()
    assert report["priorities_without_indicators"] == ["priority:lonely"]
    assert report["range"] == {"min": 15, "max": 20} and report["rule"]["citation"]["line"] == 53


# -- the CLI ----------------------------------------------------------------------------------------
@pytest.fixture
def cli(store, tmp_path, capsys):
    """Runs `graph-service ...` on the seeded store; returns (exit code, stdout, stderr)."""
    seed(store)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--backend", "embedded", "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_cli_alignment_shows_paths_with_provenance(cli):
    code, out, _ = cli("alignment", "initiative:via-indicator")
    assert code == 0
    assert "via key indicator" in out
    assert "initiative:via-indicator -CONTRIBUTES_TO-> indicator:jobs   [initiatives-register.yaml; " in out
    code, out, _ = cli("alignment", "initiative:too-far", "--json")
    assert code == 0 and json.loads(out)["aligned"] is False


def test_cli_unaligned_and_unknown_initiative(cli):
    code, out, _ = cli("unaligned", "--json")
    assert code == 0
    assert [r["initiative"] for r in json.loads(out)] == ["initiative:raised-only", "initiative:too-far"]
    code, _, err = cli("alignment", "initiative:nope")
    assert code == 1 and "no initiative with key 'initiative:nope'" in err


def test_cli_approval_route_marks_done_and_next_steps(cli):
    code, out, _ = cli("approval-route", "initiative:via-objective", "--as-of", "2019-04-01")
    assert code == 0
    assert ("[NEXT] goes to CMT and BRG for approval  (new-normal-strategy-2019-2024.txt, New Normal – Governance, line 180; "
            "awaiting BRG)") in out


def test_cli_commissioning_indicators_and_initiatives(cli):
    code, out, _ = cli("commissioning-decisions", "--flagged")
    assert code == 0 and "! decision:plain-gap" in out and "quality: NOT RECORDED" in out
    assert "decision:complete" not in out
    code, out, _ = cli("indicator-coverage")
    assert code == 0 and "3 key indicators (too few: the Framework asks for 15-20)" in out
    assert "priority:lonely" in out and "measures no top priority: indicator:orphan" in out
    code, out, _ = cli("initiatives")
    assert code == 0 and "serves: NO TOP PRIORITY; next: programme-board" in out
    assert "! its stage is 'delivery' but its approval route is not complete" in out

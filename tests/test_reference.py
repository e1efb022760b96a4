"""The reference dataset: loads cleanly and idempotently into a real store, says what the
council's two documents say (with citations), and marks every generated fact illustrative."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
import yaml

from graph_service.store.embedded import EmbeddedStore
from graph_service.reference import load_reference, register_files
from graph_service.reference.illustrative import ANCHOR, SOURCE, illustrative_items
from graph_service.dates import shown
from graph_service.ingest.register import AUTHORED, INFERRED
from graph_service.schema import schema
from tests.conftest import SHARED

DOCUMENTS = {"new-normal-strategy-2019-2024.txt", "policy-framework-guiding-principles.txt"}
NEW_NORMAL = "policy:new-normal-strategy-2019-2024"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One store loaded twice; the reports of both loads."""
    store = EmbeddedStore(tmp_path_factory.mktemp("reference") / "data")
    return store, load_reference(store), load_reference(store)


@pytest.fixture(scope="module")
def store(loaded) -> EmbeddedStore:
    return loaded[0]


@pytest.fixture(scope="module")
def everything(store):
    return store.export()


def related(store, key: str, rel_type: str, direction: str = "in", prefix: str = "") -> dict[str, object]:
    """The nodes joined to `key` by rel_type, incoming (they point at it) or outgoing, whose key starts with prefix."""
    end = "end" if direction == "in" else "start"
    return {node.key: node for rel, node in store.neighbours(key)
            if rel.type == rel_type and getattr(rel, end) == key and node.key.startswith(prefix)}


def test_every_register_and_the_illustrative_layer_load_without_rejections(loaded):
    _, first, _ = loaded
    assert [r.source for r in first] == [p.name for p in register_files()] + [SOURCE]
    for report in first:
        assert report.error is None and report.rejected == [], report.as_dict()
        assert report.created > 0


def test_a_second_load_changes_nothing(loaded):
    _, first, second = loaded
    for before, after in zip(first, second):
        assert (after.created, after.updated, after.rejected) == (0, 0, [])
        assert after.unchanged == before.created


def test_nothing_was_written_twice_with_different_values(everything):
    nodes, rels = everything
    assert not [n.key for n in nodes if n.history] and not [r.id for r in rels if r.history]


def test_partnerships_workstream_is_led_by_the_gm_procurement_post(store):
    leads = related(store, "workstream:partnerships", "LEADS")
    assert list(leads) == ["post:gm-procurement-contracted-services"]
    assert leads["post:gm-procurement-contracted-services"].props["title"] == "GM Procurement & Contracted Services"
    assert list(related(store, "workstream:partnerships", "SPONSORS")) == ["post:ad-corporate-contracted-services"]
    assert len(related(store, "workstream:partnerships", "BUSINESS_REP_FOR")) == 7
    assert "dept:procurement-and-contracted-services" in related(store, "post:gm-procurement-contracted-services", "IN_DEPARTMENT", "out")


def test_one_node_per_post_however_many_tables_name_it(store):
    assert len(related(store, "post:gm-financial-services", "BUSINESS_REP_FOR", "out")) == 4
    ict = "post:gm-ict-innovation-performance"
    assert set(related(store, ict, "LEADS", "out", "workstream:")) == {"workstream:systems", "workstream:people"}
    assert set(related(store, ict, "BUSINESS_REP_FOR", "out")) == {"workstream:leadership", "workstream:partnerships"}


def test_new_normal_strategy_ownership(store):
    owners = {t: list(related(store, NEW_NORMAL, t)) for t in
              ("RESPONSIBLE_FOR", "SPONSORING_MEMBER_FOR", "SPONSORING_OFFICER_FOR", "PORTFOLIO_HOLDER_FOR")}
    assert owners == {"RESPONSIBLE_FOR": ["post:ad-people-performance-innovation"],
                      "SPONSORING_MEMBER_FOR": ["post:leader-of-the-council"],
                      "SPONSORING_OFFICER_FOR": ["post:chief-executive"],
                      "PORTFOLIO_HOLDER_FOR": ["post:portfolio-holder-corporate-contracted-services"]}
    officer = store.get("post:ad-people-performance-innovation")
    assert officer.props["title"] == "Assistant Director – People, Performance and Innovation"
    # the same post sponsors the Systems and People work-streams as "AD People, Performance & Innovation"
    assert set(related(store, officer.key, "SPONSORS", "out", "workstream:")) == {"workstream:systems", "workstream:people"}
    assert store.get("post:leader-of-the-council").props["kind"] == "member"
    assert store.get("post:portfolio-holder-corporate-contracted-services").props["kind"] == "member"


def test_new_normal_strategy_document_facts(store):
    props = store.get(NEW_NORMAL).props
    assert (props["version"], props["published_on"], props["last_version_on"], props["review_date"]) == \
        ("1.0", "2019-02-12", "2019-02-12", "2020-05")  # "Date for Review May 2020": a month, not its first day
    assert props["produced_on"] == "2019-02"
    assert props["values"] == ["Take responsibility", "Be positive", "Work with others to deliver a great service",
                               "Be reliable"]
    assert props["document_location"] and "New Normal" in props["aliases"]
    assert len(related(store, NEW_NORMAL, "ASSOCIATED_WITH", "out")) == 5
    assert "MTFS" in store.get("policy:medium-term-financial-strategy-2017-18-2021-22").props["aliases"]


def test_counts_of_the_documents_things(store, everything):
    labels = store.stats()["labels"]
    assert (labels["Workstream"], labels["Theme"], labels["Priority"], labels["Policy"], labels["Programme"]) == (4, 3, 2, 7, 1)
    nodes, _ = everything
    assert sum(n.label == "GovernanceBody" and n.props.get("kind") == "corporate group" for n in nodes) == 6
    assert {"body:cabinet", "body:cmt", "body:brg", "body:programme-board"} <= {n.key for n in nodes}
    assert 15 <= labels["KeyIndicator"] <= 20
    measured = {r.end for r in everything[1] if r.type == "MEASURES"}
    assert measured == {"priority:housing-led-regeneration", "priority:economic-well-being"}


def test_every_named_partner_body_has_a_persona(store, everything):
    nodes, _ = everything
    for node in nodes:
        if node.label == "Organisation" and not node.props.get("is_council"):
            assert related(store, node.key, "HAS_PERSONA", "out"), node.key
    assert related(store, "org:hertfordshire-lep", "HAS_PERSONA", "out").keys() == {"persona:lep-business-commerce"}


def test_document_facts_cite_a_document_section_and_line(everything):
    nodes, rels = everything
    documented = [x for x in [*nodes, *rels] if not x.provenance.illustrative]
    assert len(documented) > 250
    for fact in documented:
        assert fact.provenance.source in DOCUMENTS, fact
        assert fact.provenance.locator and "line " in fact.provenance.locator, fact


def test_every_illustrative_fact_is_marked(everything):
    nodes, rels = everything
    assert {x.provenance.source for x in [*nodes, *rels]} == DOCUMENTS | {SOURCE}
    for fact in [*nodes, *rels]:
        assert fact.provenance.illustrative == (fact.provenance.source == SOURCE), fact
    for node in nodes:
        if node.provenance.illustrative and "illustrative" in schema().label(node.label).properties:
            assert node.props["illustrative"] is True, node.key


def test_illustrative_layer_is_deterministic():
    def plain(items):
        return [(i.locator, i.provenance.source, i.nodes, i.rels) for i in items]

    assert plain(illustrative_items()) == plain(illustrative_items())
    assert plain(illustrative_items(7)) != plain(illustrative_items())


def test_illustrative_layer_tells_the_story(store, everything):
    nodes, rels = everything
    by_key = {n.key: n for n in nodes}
    labels = store.stats()["labels"]
    assert 250 <= labels["Organisation"] and 350 <= labels["Contract"] and 250 <= labels["Grant"] and 2000 <= labels["Payment"]
    contracts = [n for n in nodes if n.label == "Contract"]
    active = [c for c in contracts if c.props["status"] == "active"]
    for months in (6, 12, 18):
        assert any(c.props["end_date"] <= (ANCHOR + timedelta(days=30 * months)).isoformat() for c in active)
    big = {c.key for c in contracts if c.props["value"] > 5_000_000}
    rated = {r.start for r in rels if r.type == "RATED"}
    assert rated and rated <= big
    assert {n.props["rating"] for n in nodes if n.label == "KpiRating"} <= {
        "Good", "Approaching target", "Requires improvement", "Inadequate", "Other"}
    # from grant giving towards service commissioning
    grants = Counter(n.props["award_date"][:4] for n in nodes if n.label == "Grant")
    lets = Counter(c.props["start_date"][:4] for c in contracts)
    assert grants["2016"] > 3 * grants["2026"] and lets["2024"] + lets["2025"] > lets["2016"] + lets["2017"]
    # people move on, ownership stays with the post, and one post is vacant
    holds = [r for r in rels if r.type == "HOLDS"]
    current = {r.end for r in holds if "valid_to" not in r.props}
    assert {r.end for r in holds} - current
    assert any(len({r.end for r in holds if r.start == p}) > 1 for p in {r.start for r in holds})
    # the Policy Framework's tests: an initiative with no top priority, a decision missing a criterion
    initiatives = [n.key for n in nodes if n.label == "Initiative"]
    supported = {r.start for r in rels if r.type == "SUPPORTS"}
    assert len([i for i in initiatives if i not in supported]) == 1
    decisions = [n for n in nodes if n.label == "CommissioningDecision"]
    assert [d.key for d in decisions if not all(d.props.get(c) for c in ("resilience", "quality", "cost"))] == \
        ["decision:grounds-maintenance-retender"]
    assert all(by_key[r.start].label == "Payment" for r in rels if r.type == "PAID_UNDER")
    assert date.fromisoformat(max(n.props["held_on"] for n in nodes if n.label == "Engagement")) < ANCHOR


# -- every citation names the line where the fact is -------------------------------------------------
QUOTED_TEXT = ("description", "summary", "note", "role")


def _normal(text) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower().replace("&", " and ")).split())


@pytest.fixture(scope="module")
def source_lines() -> dict[str, list[str]]:
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in (SHARED / "sources").glob("*.txt")}


def _cited(lines: list[str], locator: str) -> str:
    found = re.search(r"lines? (\d+)(?:-(\d+))?", locator)
    first, last = int(found[1]), int(found[2] or found[1])
    return _normal(" ".join(lines[first - 1:last]))


def _names(entry: dict) -> list[str]:
    """What a node is called in the documents: its quoted name, title, abbreviation or kind, aliases, the
    opening of its text; never what we wrote ourselves (`authored`)."""
    ours = set(entry.get("authored") or [])
    names = [entry[k] for k in ("name", "title", "abbreviation", "kind") if entry.get(k) and k not in ours]
    names += [*(entry.get("aliases") or []), *([entry["text"].split(":")[0]] if entry.get("text") else [])]
    return [_normal(n) for n in names]


def _register_entries():
    for path in register_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("nodes", "relationships"):
            for entry in data.get(section) or []:
                yield path.name, section, entry.get("source") or data["source"], entry


def test_every_cited_line_states_the_fact(source_lines):
    """Read the documents: each entry's cited line names it (or one of a link's ends, or holds its quoted
    note), quoted text is on that line word for word, and anything not stated there is marked as ours."""
    nodes = {e["key"]: e for _, section, _, e in _register_entries() if section == "nodes"}
    problems, checked = [], 0
    for name, section, source, entry in _register_entries():
        where = _cited(source_lines[source], f"line {entry['line']}")
        ours = set(entry.get("authored") or [])
        quoted = [_normal(entry[p]) for p in QUOTED_TEXT if entry.get(p) and p not in ours]
        what = entry["key"] if section == "nodes" else f"{entry['type']} {entry['from']}->{entry['to']}"
        problems += [f"{name} {what}: not on line {entry['line']}: {q[:60]}" for q in quoted if q not in where]
        evidence = quoted + (_names(entry) if section == "nodes" else _names(nodes[entry["from"]]) + _names(nodes[entry["to"]]))
        if not any(e in where for e in evidence) and not (ours or entry.get("basis") == "inferred"):
            problems.append(f"{name} {what}: line {entry['line']} states none of {evidence[:3]}")
        checked += 1
    assert checked > 250 and problems == []


def test_each_front_sheet_fact_cites_its_own_line(source_lines):
    """Version, publication, review and production dates and the values cite the lines that state them
    (9-10, 7, 125-138), not the title's line 5; a date is shown as the document writes it."""
    policy = next(e for _, _, _, e in _register_entries() if e.get("key") == NEW_NORMAL)
    cited = dict(c.split(" | ", 1) for c in policy["citations"])
    assert {f: re.search(r"lines? [\d-]+", loc)[0] for f, loc in cited.items()} == {
        "produced_on": "line 7", "published_on": "line 9", "last_version_on": "line 9", "version": "line 10",
        "review_date": "line 10", "values": "lines 125-138"}
    lines = source_lines["new-normal-strategy-2019-2024.txt"]
    for field, locator in cited.items():
        value = policy[field]
        for text in value if isinstance(value, list) else [shown(value) if field != "version" else value]:
            assert _normal(text) in _cited(lines, locator), (field, text, locator)
    assert shown(policy["review_date"]) == "May 2020" and shown(policy["produced_on"]) == "February 2019"


def test_authored_text_and_inferred_links_say_so_where_they_are_cited(everything):
    nodes, rels = everything
    personas = [n for n in nodes if n.label == "Persona"]
    assert personas and all(f"description {AUTHORED}" in n.provenance.locator for n in personas)
    assert "name, description " + AUTHORED in next(n for n in personas if n.key == "persona:public-sector-bodies").provenance.locator
    inferred = [r for r in rels if r.props.get("basis") == "inferred"]
    assert len(inferred) >= 6 and all(INFERRED in r.provenance.locator for r in inferred)
    programme = next(n for n in nodes if n.key == "programme:new-normal")
    assert programme.provenance.locator == "New Normal Strategy; line 257" and AUTHORED not in programme.provenance.locator

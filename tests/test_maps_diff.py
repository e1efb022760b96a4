"""What changed between two dates on the stakeholder map and the ego view, on a small graph whose
changes are known: Newco's contract starts between the dates, Riverside's charter membership ends,
Mover engages and moves quadrant, Steady's relationship holder adds a contract review. Checked
through the diff functions on both backends, over real HTTP and the CLI, and in Chromium."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from graph_service.errors import BadRequest, NotFound
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from tests.conftest import ARTIFACTS, ROOT
from tests.test_maps_browser import Watched, local
from tests.test_stakeholders import XSS
from visualisations import render_html
from visualisations.diff import STYLES, comparing, ego_diff, stakeholder_diff

PROV = Provenance(source="test fixture", locator="tests/test_maps_diff.py")
FROM, TO = "2024-01-01", "2026-11-01"
SUMMARY = f"2 added, 2 ended, 3 changed between {FROM} and {TO}"
PARKS_VALUE = 750_000.0
NEWCO = f"Newco {XSS}"
COMPARE = {"compare_from": FROM, "compare_to": TO}


def _n(label: str, key: str, **props) -> NodeRecord:
    return NodeRecord(label=label, key=key, props=props, provenance=PROV)


def _r(kind: str, start: str, end: str, valid_from: str | None = None, valid_to: str | None = None) -> RelRecord:
    return RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to, provenance=PROV)


def seed(store) -> None:
    """Four partners, each with one story between FROM and TO (and Steady the control on the ego views).

    newco: its parks contract starts in 2025, managed by the Parks Officer (who manages nothing else);
    riverside: party to the compact until mid-2025, the Charter Officer's only link to any partner;
    mover: engaged in a work-stream from 2025 and met four times in 2026, so its interest rises;
    steady: its relationship holder also attends a contract review with it in 2025;
    and a payment to Newco, which only procurement may see.
    """
    nodes = [
        _n("Organisation", "GB-LAE-DAC", name="Dacorum Borough Council", is_council=True),
        _n("Persona", "persona:contractors", name="Contractors"),
        _n("Persona", "persona:voluntary-sector", name="Voluntary sector"),
        _n("Service", "service:parks", name="Parks maintenance"),
        _n("Priority", "priority:economy", name="Economic well-being"),
        _n("Workstream", "workstream:partnerships", name="Partnerships"),
        _n("Charter", "charter:compact", name="Voluntary Sector Compact", status="active"),
        _n("Post", "post:contracts", title="Contracts Manager", kind="officer"),
        _n("Post", "post:community", title="Community Lead", kind="officer"),
        _n("Post", "post:parks", title="Parks Officer", kind="officer"),
        _n("Post", "post:charters", title="Charter Officer", kind="officer"),
        _n("Contract", "contract:parks", title="Parks maintenance contract", value=PARKS_VALUE),
        _n("Payment", "payment:1", amount=1234.5),
        _n("Organisation", "org:newco", name=NEWCO),
        _n("Organisation", "org:riverside", name="Riverside Trust"),
        _n("Organisation", "org:mover", name="Mover Ltd"),
        _n("Organisation", "org:steady", name="Steady Ltd"),
        *[_n("Engagement", f"engagement:{i}", kind="meeting", held_on=f"2026-0{i}-15") for i in range(1, 5)],
        _n("Engagement", "engagement:review", kind="contract review", held_on="2025-05-01"),
    ]
    rels = [
        *[_r("HAS_PERSONA", f"org:{k}", "persona:contractors") for k in ("newco", "mover", "steady")],
        _r("HAS_PERSONA", "org:riverside", "persona:voluntary-sector"),
        _r("SUPPLIES", "org:newco", "contract:parks", "2025-03-01"), _r("DELIVERS", "contract:parks", "service:parks"),
        _r("MANAGES", "post:parks", "contract:parks", "2025-03-01"), _r("PAID_TO", "payment:1", "org:newco"),
        _r("PARTY_TO", "org:riverside", "charter:compact", "2020-01-01", "2025-06-30"),
        _r("MANAGES", "post:charters", "charter:compact", "2020-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:community", "org:riverside", "2020-01-01"),
        _r("ENGAGED_IN", "org:mover", "workstream:partnerships", "2025-01-01"),
        _r("SUPPORTS", "workstream:partnerships", "priority:economy"),
        *[_r("WITH_PARTNER", f"engagement:{i}", "org:mover") for i in range(1, 5)],
        _r("HOLDS_RELATIONSHIP", "post:contracts", "org:steady", "2019-01-01"),
        _r("WORKS_WITH", "org:steady", "org:riverside", "2018-01-01"),
        _r("WITH_PARTNER", "engagement:review", "org:steady"), _r("ATTENDED", "post:contracts", "engagement:review"),
    ]
    store.upsert(Batch(nodes=nodes, rels=rels))


@pytest.fixture
def seeded(store):
    seed(store)
    return store


def node_status(view) -> dict[str, str]:
    return {n.id: n.category.lower() for n in view.nodes}


def line_status(view) -> dict[tuple[str, str], str]:
    styles = {(s.line, s.dashed): status for status, s in STYLES.items()}
    return {(e.source, e.target): styles[(e.colour, e.dashes)] for e in view.edges}


def change(view, **match) -> dict:
    return next(c for c in view.diff["changes"] if match.items() <= c.items())


# -- the diff, on both backends -----------------------------------------------------------------
def test_the_stakeholder_map_shows_what_began_ended_and_changed(any_store):
    seed(any_store)
    view, later = stakeholder_diff(any_store, Role.viewer, FROM, TO)
    assert later.as_of == TO
    assert node_status(view) == {
        "post:parks": "added",  # manages only Newco's new contract
        "post:charters": "ended",  # its only partner link was through the compact, which Riverside left
        "org:mover": "changed", "org:newco": "changed",
        "org:riverside": "unchanged", "org:steady": "unchanged", "post:community": "unchanged",
        "post:contracts": "unchanged"}
    assert line_status(view) == {
        ("org:newco", "post:parks"): "added", ("org:riverside", "post:charters"): "ended",
        ("org:steady", "post:contracts"): "changed",
        ("org:riverside", "org:steady"): "unchanged", ("org:riverside", "post:community"): "unchanged"}
    mover = change(view, id="org:mover")
    assert (mover["before"]["quadrant"], mover["after"]["quadrant"]) == ("Monitor", "Keep informed")
    assert (mover["before"]["interest_band"], mover["after"]["interest_band"]) == ("0.00-0.25", "0.50-0.75")
    newco = change(view, id="org:newco")  # the contract's service raises its power a band; still Monitor
    assert (newco["before"]["power_band"], newco["after"]["power_band"]) == ("0.00-0.25", "0.25-0.50")
    assert newco["before"]["quadrant"] == newco["after"]["quadrant"] == "Monitor"
    steady = change(view, source="org:steady")
    assert (steady["before"], steady["after"]) == ({"relationships": "HOLDS_RELATIONSHIP", "links": "1"},
                                                   {"relationships": "ATTENDED+HOLDS_RELATIONSHIP", "links": "2"})
    assert view.diff["summary"] == SUMMARY and view.subtitle.startswith(SUMMARY)
    assert view.diff["counts"] == {"nodes": {"added": 1, "ended": 1, "changed": 2, "unchanged": 4},
                                   "relationships": {"added": 1, "ended": 1, "changed": 1, "unchanged": 2}}
    quiet, _ = stakeholder_diff(any_store, Role.viewer, "2026-10-01", TO)  # nothing happened in October
    assert set(node_status(quiet).values()) == set(line_status(quiet).values()) == {"unchanged"}
    assert quiet.diff["summary"] == f"0 added, 0 ended, 0 changed between 2026-10-01 and {TO}"


def test_the_ego_view_shows_what_began_ended_and_changed(any_store):
    seed(any_store)
    parks = ego_diff(any_store, "post:parks", Role.viewer, FROM, TO, hops=2)
    assert node_status(parks) == {"post:parks": "unchanged", "contract:parks": "added", "org:newco": "added",
                                  "service:parks": "added"}
    assert line_status(parks) == {("post:parks", "contract:parks"): "added", ("org:newco", "contract:parks"): "added",
                                  ("contract:parks", "service:parks"): "added"}
    assert change(parks, id="org:newco")["after"]["power_band"] == "0.25-0.50"
    riverside = ego_diff(any_store, "org:riverside", Role.viewer, FROM, TO, hops=1)
    assert {k: s for k, s in node_status(riverside).items() if s != "unchanged"} == {"charter:compact": "ended"}
    assert {k: s for k, s in line_status(riverside).items() if s != "unchanged"} == {
        ("org:riverside", "charter:compact"): "ended"}
    assert riverside.diff["summary"] == f"0 added, 2 ended, 0 changed between {FROM} and {TO}"
    steady = ego_diff(any_store, "org:steady", Role.viewer, FROM, TO, hops=2)  # Mover shares its persona
    mover = change(steady, id="org:mover")
    assert mover["status"] == "changed" and mover["after"]["quadrant"] == "Keep informed"
    assert steady.title == "Ego view: Steady Ltd: what changed" and steady.directed


def test_a_comparison_needs_two_dates_in_order(seeded):
    assert not comparing(None, None, "2026-01-01")
    assert comparing(FROM, TO)
    for args in [(FROM, None), (None, TO), (FROM, TO, "2026-01-01")]:
        with pytest.raises(BadRequest):
            comparing(*args)
    for dates in [(TO, FROM), (FROM, FROM), ("2024-13-01", TO), ("yesterday", TO)]:
        with pytest.raises(BadRequest):
            stakeholder_diff(seeded, Role.viewer, *dates)
    with pytest.raises(NotFound):
        ego_diff(seeded, "org:nobody", Role.viewer, FROM, TO)
    with pytest.raises(BadRequest):
        ego_diff(seeded, "org:newco", Role.viewer, FROM, TO, hops=9)


def test_each_change_has_its_own_style_and_legend_entry(seeded):
    view, _ = stakeholder_diff(seeded, Role.viewer, FROM, TO)
    for node in view.nodes:
        style = STYLES[node.category.lower()]
        assert (node.colour, node.border, node.border_width, node.border_dashes) == (
            style.fill, style.border, style.border_width, style.dashed), node.id
    legend = {(entry.swatch, entry.colour): entry.text for entry in view.legend}
    assert legend[("dot", STYLES["added"].fill)].startswith("Added")
    assert legend[("dashed-ring", STYLES["ended"].border)].startswith("Ended")
    assert legend[("ring", STYLES["changed"].border)].startswith("Changed")
    assert legend[("line", STYLES["added"].line)].startswith("Relationship added")
    assert legend[("dashed", STYLES["ended"].line)].startswith("Relationship ended")
    assert legend[("line", STYLES["changed"].line)].startswith("Relationship changed")
    assert legend[("line", STYLES["unchanged"].line)] == "Relationship unchanged"
    assert any(entry.text.startswith("Size") for entry in view.legend)
    newco = next(n for n in view.nodes if n.id == "org:newco")
    assert ("What changed", ["power band: 0.00-0.25 -> 0.25-0.50"]) in newco.details
    page = render_html(view, served=True)
    assert XSS not in page and "<img" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)


# -- over HTTP and the CLI ----------------------------------------------------------------------
def test_the_routes_serve_the_comparison(seeded, server):
    viewer = server.client(Role.viewer)
    page = viewer.get("/maps/stakeholders", params=COMPARE)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert SUMMARY in page.text and XSS not in page.text
    assert re.search(r'name="compare_from"[^>]*value="01/01/2024"', page.text)  # the form keeps the comparison
    data = viewer.get("/maps/stakeholders", params={**COMPARE, "format": "json"}).json()
    assert data["kind"] == "stakeholders-diff" and data["diff"]["summary"] == SUMMARY
    assert {c["id"]: c["status"] for c in data["diff"]["changes"] if c["element"] == "node"} == {
        "post:parks": "added", "post:charters": "ended", "org:mover": "changed", "org:newco": "changed"}
    rows = list(csv.DictReader(io.StringIO(viewer.get("/maps/stakeholders", params={**COMPARE, "format": "csv"}).text)))
    assert {r["id"]: r["category"] for r in rows if r["record"] == "node"}["post:charters"] == "Ended"
    filtered = viewer.get("/maps/stakeholders", params={**COMPARE, "persona": "persona:voluntary-sector",
                                                        "format": "json"}).json()
    assert {n["id"] for n in filtered["nodes"] if n["id"].startswith("org:")} == {"org:riverside"}
    ego = viewer.get("/maps/ego/post:parks", params={**COMPARE, "format": "json"}).json()
    assert ego["kind"] == "ego-diff" and ego["diff"]["counts"]["nodes"]["added"] == 3
    assert "what changed" in viewer.get("/maps/ego/org:riverside", params={**COMPARE, "hops": 1}).text


def test_the_routes_refuse_a_half_or_backwards_comparison(seeded, server):
    viewer = server.client(Role.viewer)
    for route in ("/maps/stakeholders", "/maps/ego/org:newco"):
        assert viewer.get(route, params={"compare_from": FROM}).status_code == 400
        assert viewer.get(route, params={"compare_from": TO, "compare_to": FROM}).status_code == 400
        assert viewer.get(route, params={**COMPARE, "as_of": TO}).status_code == 400
        assert viewer.get(route, params={"compare_from": "soon", "compare_to": TO}).status_code == 400
        assert server.client().get(route, params=COMPARE).status_code == 303  # to sign in
    assert viewer.get("/maps/ego/org:nobody", params=COMPARE).status_code == 404


def test_a_viewer_comparison_never_carries_a_contract_value(seeded, server):
    viewer, procurement = server.client(Role.viewer), server.client(Role.procurement)
    values = [f"{PARKS_VALUE:,.0f}", str(int(PARKS_VALUE)), repr(PARKS_VALUE)]
    for route in ("/maps/stakeholders", "/maps/ego/post:parks", "/maps/ego/org:newco"):
        for fmt in (None, "json", "csv", "graphml", "gexf"):
            text = viewer.get(route, params={**COMPARE, **({"format": fmt} if fmt else {})}).text
            assert not [v for v in values if v in text], (route, fmt)
    data = procurement.get("/maps/stakeholders", params={**COMPARE, "format": "json"}).text
    assert f"{PARKS_VALUE:,.0f}" in data and "Power includes the value of contracts in force" in data
    ego = {client: client.get("/maps/ego/org:newco", params={**COMPARE, "format": "json"}).json()
           for client in (viewer, procurement)}
    assert "payment:1" not in {n["id"] for n in ego[viewer]["nodes"]}  # payments are procurement-only
    assert "payment:1" in {n["id"] for n in ego[procurement]["nodes"]}


def _cli(data_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph_service.cli", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_cli_writes_the_comparison(seeded, tmp_path):
    page = tmp_path / "diff.html"
    written = _cli(seeded.dir, "map", "stakeholders", "--compare-from", FROM, "--compare-to", TO, "--out", str(page))
    assert written.returncode == 0, written.stderr
    assert SUMMARY in written.stdout and SUMMARY in page.read_text() and XSS not in page.read_text()
    data = tmp_path / "ego.json"
    written = _cli(seeded.dir, "map", "ego", "post:parks", "--compare-from", FROM, "--compare-to", TO,
                   "--out", str(data))
    assert written.returncode == 0, written.stderr
    assert json.loads(data.read_text())["diff"]["counts"]["relationships"]["added"] == 3
    refused = _cli(seeded.dir, "map", "grid", "--compare-from", FROM, "--compare-to", TO, "--out", str(page))
    assert refused.returncode == 1 and "stakeholders and ego" in refused.stderr
    half = _cli(seeded.dir, "map", "stakeholders", "--compare-from", FROM, "--out", str(page))
    assert half.returncode == 1 and "both dates" in half.stderr


# -- in the browser -----------------------------------------------------------------------------
DRAWN = """() => {
    const data = window.mapNetwork.body.data;
    return {nodes: data.nodes.get().map(n => [n.color.background, n.color.border,
                                               Boolean(n.shapeProperties && n.shapeProperties.borderDashes)]),
            edges: data.edges.get().map(e => [e.color, Boolean(e.dashes)])};
}"""


@pytest.mark.browser
def test_the_page_draws_each_change_in_its_style(browser, seeded, server):
    watched = Watched(browser, server.url, server.session(Role.viewer))
    try:
        watched.open(f"{server.url}/maps/stakeholders?compare_from={FROM}&compare_to={TO}")
        page = watched.page
        expected = server.client(Role.viewer).get("/maps/stakeholders", params={**COMPARE, "format": "json"}).json()
        assert watched.drawn() == len(expected["nodes"])
        expect(page.locator(".subtitle")).to_have_text(re.compile("^" + re.escape(SUMMARY)))
        expect(page.locator("#legend li")).to_have_text([entry["text"] for entry in expected["legend"]])
        expect(page.locator("#legend .swatch-dashed-ring")).to_have_count(1)
        drawn = page.evaluate(DRAWN)
        node_styles = {(s.fill, s.border, s.dashed): status for status, s in STYLES.items()}
        line_styles = {(s.line, s.dashed): status for status, s in STYLES.items()}
        counted = {"nodes": dict.fromkeys(STYLES, 0), "relationships": dict.fromkeys(STYLES, 0)}
        for fill, border, dashed in drawn["nodes"]:
            counted["nodes"][node_styles[(fill, border, dashed)]] += 1
        for colour, dashed in drawn["edges"]:
            counted["relationships"][line_styles[(colour, dashed)]] += 1
        assert counted == expected["diff"]["counts"]

        watched.click_node("org:newco")  # its name is markup: it must stay text
        expect(page.locator("#details h2")).to_have_text(NEWCO)
        expect(page.locator("#details dl")).to_contain_text("power band: 0.00-0.25 -> 0.25-0.50")
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        page.screenshot(path=str(ARTIFACTS / "map-diff-stakeholders.png"))
        with page.expect_navigation():  # the ego view it links to compares the same dates
            page.click("#details a")
        watched.wait_for("window.mapState && window.mapState.ready")
        expect(page.locator("h1")).to_have_text(f"Ego view: {NEWCO}: what changed")
        # the contract, its service and its manager, with their three relationships; Newco and Mover changed
        expect(page.locator(".subtitle")).to_have_text(
            re.compile("^" + re.escape(f"6 added, 0 ended, 2 changed between {FROM} and {TO}")))
        watched.check_clean(local(server))
    finally:
        watched.close()

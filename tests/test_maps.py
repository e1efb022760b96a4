"""The maps without a browser: the routes and their roles, the page is self-contained and escapes
every name, exports parse in the tools people open them with, legends cover every colour, big
maps are capped with a note, and a viewer's map never carries a contract value."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph_service.web.deps import SESSION_COOKIE
from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord
from graph_service.answers.stakeholders import analyse, ego, policy_ownership
from tests.test_stakeholders import AS_OF, PROV, REPAIRS_VALUE, WASTE_VALUE, XSS, seed
from visualisations import EXPORT_TYPES, ego_view, export, grid_view, policy_view, render_html, stakeholder_view

ROUTES = ["/maps/stakeholders", "/maps/grid", "/maps/ego/GB-COH-00000001", "/maps/policy-ownership"]


@pytest.fixture
def seeded(store):
    seed(store)
    return store


def views(store, role=Role.viewer):
    analysis = analyse(store, role, as_of=AS_OF)
    return {"stakeholders": stakeholder_view(analysis), "grid": grid_view(analysis),
            "ego": ego_view(ego(store, "GB-COH-00000001", role, as_of=AS_OF)),
            "policy-ownership": policy_view(policy_ownership(store, as_of=AS_OF))}


def _values(*amounts: float) -> list[str]:
    """How a contract value could appear in text."""
    return [form for a in amounts for form in (f"{a:,.0f}", str(int(a)), repr(a))]


# -- the page ---------------------------------------------------------------------------------------
def _csp(page: str) -> dict[str, str]:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    return {d.split()[0]: d.split(None, 1)[1] for d in (p.strip() for p in policy.split(";")) if d}


def test_the_page_loads_nothing_from_the_network(seeded):
    for view in views(seeded).values():
        page = render_html(view)
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
        assert not re.search(r"""(url\(|@import)\s*["']?\s*(https?:)?//""", page, re.I)
        csp = _csp(page)
        assert csp["default-src"] == "'none'" and csp["connect-src"] == "'none'"
        assert csp["script-src"].startswith("'nonce-") and "unsafe" not in csp["script-src"]
        assert page.count("<script nonce=") == 2 and "vis.Network" in page


def test_every_name_is_escaped(seeded):
    for view in views(seeded).values():
        page = render_html(view, served=True)
        assert XSS not in page and "<img" not in page.lower()
    stakeholders = render_html(views(seeded)["stakeholders"])
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in stakeholders  # only as JSON text
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', stakeholders,
                                re.S).group(1))
    node = next(n for n in data["nodes"] if n[0] == "org:xss")  # [id, style, size, tooltip, name, ...]: see render.py
    strings, first_row = data["strings"], data["detailRows"][node[7][0]]
    assert strings[node[4]] == XSS and [strings[first_row[0]], strings[first_row[1]]] == ["Key", "org:xss"]


def test_every_colour_and_size_has_a_legend_entry(seeded):
    for kind, view in views(seeded).items():
        legend = {entry.colour.lower() for entry in view.legend}
        unexplained = {n.colour.lower() for n in view.nodes} - legend
        assert not unexplained, f"{kind}: colours without a legend entry: {unexplained}"
        unexplained = {e.colour.lower() for e in view.edges} - legend
        assert not unexplained, f"{kind}: line colours without a legend entry: {unexplained}"
        assert {n.border.lower() for n in view.nodes if n.border} <= legend
        assert any("size" in entry.text.lower() for entry in view.legend), f"{kind}: sizes are not explained"


def test_a_big_map_is_capped_and_says_so(seeded):
    analysis = analyse(seeded, Role.viewer, as_of=AS_OF)
    view = stakeholder_view(analysis, max_nodes=6)
    assert len(view.nodes) <= 6
    assert any("capped at 6 nodes" in note for note in view.notes)
    kept = [n.id for n in view.nodes if not n.id.startswith("post:")]
    powers = {p.key: p.power for p in analysis.partners}
    assert min(powers[k] for k in kept) >= max(p for k, p in powers.items() if k not in kept)


# -- exports ----------------------------------------------------------------------------------------
def test_exports_parse_and_hold_the_same_nodes(seeded):
    view = views(seeded)["stakeholders"]
    ids = {n.id for n in view.nodes}
    as_json = json.loads(export(view, "json")[0])
    assert {n["id"] for n in as_json["nodes"]} == ids and len(as_json["legend"]) == len(view.legend)
    rows = list(csv.DictReader(io.StringIO(export(view, "csv")[0])))
    assert {r["id"] for r in rows if r["record"] == "node"} == ids
    assert sum(r["record"] == "edge" for r in rows) == len(view.edges)
    graphml = nx.parse_graphml(export(view, "graphml")[0])
    assert set(graphml.nodes) == ids and graphml.nodes["org:xss"]["label"] == XSS
    gexf = ET.fromstring(export(view, "gexf")[0])
    labels = {n.get("id"): n.get("label") for n in gexf.iter() if n.tag.endswith("}node")}
    assert set(labels) == ids and labels["org:xss"] == XSS


def test_csv_exports_cannot_run_as_spreadsheet_formulas(store):
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="org:formula", props={"name": "=HYPERLINK(\"x\")"},
                                         provenance=PROV)], rels=[]))
    rows = list(csv.DictReader(io.StringIO(export(stakeholder_view(analyse(store, Role.viewer)), "csv")[0])))
    assert rows[0]["name"] == "'=HYPERLINK(\"x\")"


# -- the routes -------------------------------------------------------------------------------------
def test_every_map_route_serves_a_page_to_a_viewer(seeded, server):
    viewer = server.client(Role.viewer)
    for route in ROUTES:
        response = viewer.get(route, params={"as_of": AS_OF})
        assert response.status_code == 200, (route, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert "<!doctype html>" in response.text and XSS not in response.text
        signed_out = server.client().get(route)
        assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/sign-in?next=")


def test_the_sign_in_cookie_is_accepted(seeded, server):
    client = server.client()
    client.cookies.set(SESSION_COOKIE, server.session(Role.viewer))
    assert client.get("/maps/stakeholders").status_code == 200


def test_map_routes_export_with_format(seeded, server):
    viewer = server.client(Role.viewer)
    for fmt, media_type in EXPORT_TYPES.items():
        response = viewer.get("/maps/stakeholders", params={"format": fmt, "as_of": AS_OF})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type.split(";")[0]
        assert f'filename="stakeholders.{fmt}"' in response.headers["content-disposition"]
    graph = nx.parse_graphml(viewer.get("/maps/ego/org:xss", params={"format": "graphml", "hops": 1}).text)
    assert "post:gm-community" in graph
    bad = viewer.get("/maps/grid", params={"format": "xlsx"})  # asked for data: the error is data too
    assert bad.status_code == 400 and bad.json()["error"]["details"]["allowed"] == sorted(EXPORT_TYPES)


def test_map_routes_filter_and_refuse_bad_input(seeded, server):
    viewer = server.client(Role.viewer)
    data = viewer.get("/maps/stakeholders", params={"persona": "persona:voluntary-sector", "format": "json"}).json()
    assert {n["id"] for n in data["nodes"] if not n["id"].startswith("post:")} == {"org:xss", "org:carers"}
    assert any(note.startswith("Filtered: persona = Voluntary sector") for note in data["notes"])
    page = viewer.get("/maps/grid", params={"persona": "persona:voluntary-sector"}).text
    assert '<option value="persona:voluntary-sector" selected>' in page  # the form shows the filter applied
    assert 'name="min_health"' not in page  # health scores are procurement-only
    assert 'name="min_health"' in server.client(Role.procurement).get("/maps/grid").text
    assert viewer.get("/maps/grid", params={"min_health": 50}).status_code == 403
    assert viewer.get("/maps/grid", params={"priority": "persona:contractors"}).status_code == 400
    assert viewer.get("/maps/stakeholders", params={"as_of": "yesterday"}).status_code == 400
    assert viewer.get("/maps/ego/org:nobody").status_code == 404
    assert viewer.get("/maps/ego/payment:1").status_code == 404  # payments are procurement-only
    assert server.client(Role.procurement).get("/maps/ego/payment:1").status_code == 200
    assert viewer.get("/maps/ego/org:xss", params={"hops": 9}).status_code == 400


def test_a_viewer_map_never_carries_a_contract_value(seeded, server):
    viewer, procurement = server.client(Role.viewer), server.client(Role.procurement)
    values = _values(WASTE_VALUE, REPAIRS_VALUE, WASTE_VALUE + REPAIRS_VALUE)
    for route in ROUTES:
        for fmt in [None, *EXPORT_TYPES]:
            text = viewer.get(route, params={"as_of": AS_OF, **({"format": fmt} if fmt else {})}).text
            assert not [v for v in values if v in text], (route, fmt)
    page = procurement.get("/maps/stakeholders", params={"as_of": AS_OF, "format": "json"}).text
    assert f"{WASTE_VALUE + REPAIRS_VALUE:,.0f}" in page  # procurement sees the value behind the power score


def test_the_map_pages_are_in_the_openapi_description(server):
    paths = server.client().get("/openapi.json").json()["paths"]
    assert {"/maps/stakeholders", "/maps/grid", "/maps/ego/{key}", "/maps/policy-ownership",
            "/api/v1/stakeholders"} <= set(paths)


def test_posts_link_to_the_departments_they_sit_in(seeded):
    view = views(seeded)["policy-ownership"]
    assert ("post:gm-community", "dept:community", "IN_DEPARTMENT") in {(e.source, e.target, e.kind) for e in view.edges}
    orphan = next(n for n in view.nodes if n.id == "policy:orphan")
    assert orphan.category == "Policy with no responsible officer"
    assert any("Orphan Plan" in note for note in view.notes)


def test_the_ego_view_marks_the_centre_and_sizes_by_distance(seeded):
    view = views(seeded)["ego"]
    sizes = {n.id: n.size for n in view.nodes}
    assert sizes["GB-COH-00000001"] > sizes["post:gm-procurement"] > sizes["service:waste"]
    assert view.directed and "payment:1" not in sizes



# -- the pages: sign-in, hops, British dates ----------------------------------------------------------
def test_a_browser_not_signed_in_is_sent_to_sign_in(seeded, server):
    with server.client() as client:
        page = client.get("/maps/stakeholders?persona=persona:contractors")
        data = client.get("/maps/stakeholders?format=json")
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=%2Fmaps%2Fstakeholders%3Fpersona%3Dpersona%3Acontractors"
    assert data.status_code == 401 and data.json()["error"]["code"] == "unauthorised"


def test_the_ego_view_offers_one_to_three_hops(seeded, server):
    with server.client(Role.viewer) as client:
        page = client.get("/maps/ego/GB-COH-00000001", params={"hops": 1}).text
        assert client.get("/maps/ego/GB-COH-00000001", params={"hops": 4}).status_code == 400
    hops = re.search(r'<select name="hops">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\d)"', hops) == ["1", "2", "3"] and '"1" selected' in hops


def test_dates_are_entered_and_shown_the_british_way(seeded, server):
    with server.client(Role.viewer) as client:
        page = client.get("/maps/stakeholders", params={"compare_from": "1 January 2025", "compare_to": "30/06/2026"}).text
    assert 'type="date"' not in page and "For example, 1 December 2026 or 01/12/2026" in page
    assert 'value="01/01/2025"' in page and 'value="30/06/2026"' in page


# -- the grid's placement ---------------------------------------------------------------------------
def _in_own_quadrant(node: dict, centre: list[float], width: float, height: float) -> bool:
    """The whole dot lies on its quadrant's side of both axes and on the canvas (y grows downward)."""
    from visualisations.maps import GRID_DOT

    x, y, (cx, cy) = node["x"], node["y"], centre
    high_power, high_interest = node["quadrant"] in ("manage_closely", "keep_satisfied"), node["quadrant"] in ("manage_closely", "keep_informed")
    across = x - GRID_DOT > cx if high_interest else x + GRID_DOT < cx
    up = y + GRID_DOT < cy if high_power else y - GRID_DOT > cy
    return across and up and GRID_DOT <= x <= width - GRID_DOT and GRID_DOT <= y <= height - GRID_DOT


def test_at_council_size_every_dot_is_in_its_quadrant_and_no_labels_overlap(reference_store, tmp_path):
    from tests.test_stakeholders import _cli
    from visualisations.maps import label_box

    for role in ("viewer", "procurement"):
        out = tmp_path / f"grid-{role}.data"
        done = _cli(reference_store.dir, "map", "grid", "--format", "json", "--role", role, "--as-of", "2026-09-30", "--out", str(out))
        assert done.returncode == 0, done.stderr
        grid = json.loads(out.read_text())
        assert grid["centre"] == [grid["interest_threshold"] * grid["width"], (1 - grid["power_threshold"]) * grid["height"]]
        assert len(grid["nodes"]) > 300 and {"key", "x", "y", "quadrant", "power", "interest"} <= set(grid["nodes"][0])
        assert [n["key"] for n in grid["nodes"] if not _in_own_quadrant(n, grid["centre"], grid["width"], grid["height"])] == []
        assert len({(n["x"], n["y"]) for n in grid["nodes"]}) == len(grid["nodes"])  # one dot to a place
    analysis = analyse(reference_store, Role.viewer, as_of="2026-09-30")
    boxes = [label_box(n.label, n.x, n.y) for n in grid_view(analysis).nodes if n.label]
    assert len(boxes) >= 10
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_at_two_thousand_partners_every_dot_is_in_its_quadrant(store):
    """A generated graph of 2,000 partners with many ties (most score alike): the crowded quadrants still hold their own."""
    import random

    from graph_service.records import RelRecord
    from visualisations.maps import grid_points

    rng = random.Random(11)
    nodes = [NodeRecord(label="Organisation", key="GB-LAE-DAC", props={"name": "Council", "is_council": True}, provenance=PROV),
             NodeRecord(label="Service", key="service:s", props={"name": "S", "critical": True}, provenance=PROV),
             NodeRecord(label="Charter", key="charter:c", props={"name": "Charter"}, provenance=PROV),
             NodeRecord(label="Organisation", key="org:county", props={"name": "Shire County Council", "org_type": "local authority"},
                        provenance=PROV)]
    rels = []
    for n in range(2000):
        key = f"org:p{n:04d}"
        name = f"{'Police and Crime ' if rng.random() < 0.15 else ''}Partner {n}"  # standing: power
        nodes.append(NodeRecord(label="Organisation", key=key, props={"name": name}, provenance=PROV))
        if rng.random() < 0.4:
            rels.append(RelRecord(type="PARTY_TO", start=key, end="charter:c", valid_from="2024-01-01", provenance=PROV))
        for m in range(rng.choice([0, 0, 0, 1, 3, 5])):  # engagements: interest
            nodes.append(NodeRecord(label="Engagement", key=f"engagement:{n}-{m}", props={"kind": "meeting", "held_on": "2026-01-10"},
                                    provenance=PROV))
            rels.append(RelRecord(type="WITH_PARTNER", start=f"engagement:{n}-{m}", end=key, provenance=PROV))
        if rng.random() < 0.3:  # a contract: power
            nodes.append(NodeRecord(label="Contract", key=f"contract:{n}", props={"title": "C", "value": rng.choice([1e4, 1e6, 9e6])},
                                    provenance=PROV))
            rels += [RelRecord(type="SUPPLIES", start=key, end=f"contract:{n}", valid_from="2024-01-01", provenance=PROV),
                     RelRecord(type="DELIVERS", start=f"contract:{n}", end="service:s", provenance=PROV)]
    store.upsert(Batch(nodes=nodes, rels=rels))
    grid = grid_points(grid_view(analyse(store, Role.procurement, as_of=AS_OF)))
    assert len(grid["nodes"]) == 2001 and len({n["quadrant"] for n in grid["nodes"]}) == 4
    assert [n["key"] for n in grid["nodes"] if not _in_own_quadrant(n, grid["centre"], grid["width"], grid["height"])] == []


def test_generated_nodes_are_marked_in_the_details_hover_text_and_legend(reference_store):
    from graph_service.answers.illustrative import illustrative_keys
    from visualisations.view import ILLUSTRATIVE_TEXT, mark_illustrative

    analysis = analyse(reference_store, Role.viewer, as_of="2026-09-30")
    made = {p.key for p in analysis.partners if p.illustrative}
    assert made and "org:hertfordshire-lep" not in made  # the LEP is named in the documents
    for view in (grid_view(analysis), stakeholder_view(analysis)):
        keys = illustrative_keys(reference_store, [n.id for n in view.nodes])
        assert made & {n.id for n in view.nodes} <= keys  # a partner's own flag agrees with the store's
        mark_illustrative(view, keys)
        for node in view.nodes:
            generated = node.id in keys
            assert ("Illustrative example" in node.tooltip) == generated
            assert (node.details[0][0] == "Illustrative example") == generated
        assert any(entry.text == ILLUSTRATIVE_TEXT for entry in view.legend)

def test_the_served_page_takes_its_scripts_and_styles_from_cacheable_files(seeded, server):
    viewer = server.client(Role.viewer)
    page = viewer.get("/maps/stakeholders", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and "vis.Network" not in page.text  # not inlined
    csp = {d.split()[0]: d.split(None, 1)[1] for d in (p.strip() for p in page.headers["content-security-policy"].split(";"))}
    assert csp["script-src"].startswith("'nonce-") and "unsafe" not in csp["script-src"] and csp["default-src"] == "'none'"
    nonce = csp["script-src"].split("'")[1].removeprefix("nonce-")
    scripts = re.findall(r'<script nonce="([^"]+)" src="(/maps/assets/[^"]+)"></script>', page.text)
    assert [n for n, _ in scripts] == [nonce, nonce] and len(re.findall(r'href="/maps/assets/[^"]+\.css', page.text)) == 2
    asset = server.client().get(scripts[0][1], headers={"Accept-Encoding": "gzip"})  # public: it holds no data
    assert asset.status_code == 200 and "vis" in asset.text and asset.headers["content-encoding"] == "gzip"
    assert "immutable" in asset.headers["cache-control"] and asset.headers["content-type"].startswith("text/javascript")
    stale = server.client().get(scripts[0][1].split("?")[0] + "?v=old")
    assert stale.headers["cache-control"] == "no-cache"
    assert server.client().get("/maps/assets/secrets.py").status_code == 404

"""The maps in headless Chromium, served over real HTTP with the sign-in cookie: each page loads
with no console error and no request leaving the machine, draws every node, shows a node's
details on click, keeps an injected name as text, exports what is on screen, and a map of
2,000+ nodes settles and answers clicks within seconds. Screenshots go to test-artifacts/."""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import expect

from graph_service.web.deps import SESSION_COOKIE
from graph_service.access.auth import Role
from graph_service.store.embedded import EmbeddedStore
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.reference import load_reference
from graph_service.answers.stakeholders import analyse
from tests.conftest import ARTIFACTS, DOC_IMAGES, UPDATE_DOC_IMAGES, live_server, screenshot
from tests.test_stakeholders import XSS
from visualisations import render_html, stakeholder_view

pytestmark = pytest.mark.browser

README_IMAGE = DOC_IMAGES / "stakeholder-map.png"
PROV = Provenance(source="browser test", locator="tests/test_maps_browser.py")
XSS_KEY = "org:injected-name"
MAPS = {"stakeholders": "/maps/stakeholders", "grid": "/maps/grid",
        "ego": "/maps/ego/post:gm-procurement-contracted-services?hops=1", "policy-ownership": "/maps/policy-ownership"}




@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference dataset, plus a partner whose name is markup, served on a loopback port."""
    base = tmp_path_factory.mktemp("maps-browser")
    store = EmbeddedStore(base / "data")
    load_reference(store)
    store.upsert(Batch(
        nodes=[NodeRecord(label="Organisation", key=XSS_KEY, props={"name": XSS}, provenance=PROV)],
        rels=[RelRecord(type="HAS_PERSONA", start=XSS_KEY, end="persona:voluntary-sector", provenance=PROV),
              RelRecord(type="HOLDS_RELATIONSHIP", start="post:gm-procurement-contracted-services", end=XSS_KEY,
                        provenance=PROV),
              RelRecord(type="WORKS_WITH", start=XSS_KEY, end="org:voluntary-and-community-sector", provenance=PROV)]))
    with live_server(store, base / "keys") as server:
        yield server


class Watched:
    """A page whose every request, console error, page error and dialog is recorded."""

    def __init__(self, browser, base_url: str | None = None, cookie: str | None = None):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        if cookie:
            self.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base_url}])
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str, timeout: float = 30) -> "Watched":
        self.page.goto(url)
        self.wait_for("window.mapState && window.mapState.ready", timeout)
        return self

    def wait_for(self, expression: str, timeout: float = 10) -> float:
        """Poll from outside the page: the page's CSP forbids the eval that wait_for_function needs."""
        start = time.monotonic()
        while not self.page.evaluate(expression):
            if time.monotonic() - start > timeout:
                raise AssertionError(f"timed out after {timeout}s waiting for {expression}")
            time.sleep(0.02)
        return time.monotonic() - start

    def drawn(self) -> int:
        return self.page.evaluate("window.mapNetwork.body.nodeIndices.length")

    def click_node(self, node_id: str) -> float:
        """Click the node where it is drawn; the seconds until its details show."""
        point = self.page.evaluate("""id => {
            const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            return {x: box.left + p.x, y: box.top + p.y};
        }""", node_id)
        start = time.monotonic()
        self.page.mouse.click(point["x"], point["y"])
        self.wait_for(f"window.mapState.focus === {json.dumps(node_id)}")
        return time.monotonic() - start

    def download(self, button: str) -> bytes:
        with self.page.expect_download() as info:
            self.page.click(button)
        return Path(info.value.path()).read_bytes()

    def check_clean(self, allowed: tuple[str, ...]) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        leaving = [url for url in self.requests if not url.startswith(allowed)]
        assert not leaving, f"requests that leave the machine: {leaving}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watch(browser, reference):
    pages: list[Watched] = []

    def open_map(path: str, role: Role = Role.viewer) -> Watched:
        watched = Watched(browser, reference.url, reference.session(role))
        pages.append(watched)
        return watched.open(reference.url + path)

    yield open_map
    for watched in pages:
        watched.close()


def local(server) -> tuple[str, ...]:
    return (server.url + "/", "data:", "blob:")


def map_data(server, path: str) -> dict:
    separator = "&" if "?" in path else "?"
    return server.client(Role.viewer).get(f"{path}{separator}format=json").json()


@pytest.mark.parametrize("kind", list(MAPS))
def test_each_map_loads_offline_and_draws_every_node(watch, reference, kind):
    watched = watch(MAPS[kind])
    expected = map_data(reference, MAPS[kind])
    assert watched.drawn() == len(expected["nodes"]) > 0
    legend = watched.page.locator("#legend li").all_inner_texts()
    assert [entry["text"] for entry in expected["legend"]] == legend
    watched.check_clean(local(reference))
    screenshot(watched.page, f"map-{kind}.png")


def test_clicking_a_node_shows_its_details_and_dims_the_rest(watch, reference):
    watched = watch(MAPS["stakeholders"])
    top = map_data(reference, MAPS["stakeholders"])["nodes"][0]  # the partner with the highest power
    seconds = watched.click_node(top["id"])
    assert seconds < 3
    page = watched.page
    expect(page.locator("#details h2")).to_have_text(top["name"])
    details = page.locator("#details dl")
    expect(details).to_contain_text("Power - services depending on it")
    expect(details).to_contain_text("Relationship holders")
    expect(details).not_to_contain_text("Power - contract value")  # a viewer's power leaves it out
    state = page.evaluate("window.mapState")
    neighbours = page.evaluate(f"window.mapNetwork.getConnectedNodes({json.dumps(top['id'])}).length")
    assert state["dimmed"] == state["nodes"] - neighbours - 1 > 0
    page.click("#reset")
    assert page.evaluate("window.mapState.dimmed") == 0
    watched.check_clean(local(reference))


def test_search_finds_a_node_by_name(watch, reference):
    watched = watch(MAPS["grid"])
    watched.page.fill("#search-input", "hertfordshire local enterprise")
    watched.page.press("#search-input", "Enter")
    watched.wait_for("window.mapState.focus === 'org:hertfordshire-lep'")
    expect(watched.page.locator("#details h2")).to_have_text("Hertfordshire Local Enterprise Partnership")
    watched.page.fill("#search-input", "no such partner")
    watched.page.press("#search-input", "Enter")
    expect(watched.page.locator("#status")).to_contain_text("Nothing on this map")


@pytest.mark.parametrize("path", [MAPS["stakeholders"], MAPS["grid"], f"/maps/ego/{XSS_KEY}"])
def test_an_injected_name_stays_text(watch, reference, path):
    watched = watch(path)
    page = watched.page
    page.fill("#search-input", XSS)
    page.press("#search-input", "Enter")
    watched.wait_for(f"window.mapState.focus === {json.dumps(XSS_KEY)}")
    expect(page.locator("#details h2")).to_have_text(XSS)
    point = page.evaluate("""id => {
        const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return {x: box.left + p.x, y: box.top + p.y};
    }""", XSS_KEY)
    page.mouse.move(point["x"], point["y"])
    watched.wait_for("document.querySelector('.vis-tooltip') && "
                     "getComputedStyle(document.querySelector('.vis-tooltip')).visibility === 'visible'")
    expect(page.locator(".vis-tooltip")).to_contain_text(XSS)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    time.sleep(0.3)  # an onerror handler would have fired by now
    watched.check_clean(local(reference))


def test_the_bridges_between_partners_show_after_the_stakeholder_map(watch, reference):
    watched = watch(MAPS["stakeholders"])
    watched.wait_for("window.mapState.bridges !== null", 60)  # taken in once the map is ready
    assert watched.page.evaluate("window.mapState.bridges") == "shown"
    rows = watched.page.locator("#bridges #bridges-list tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 10
    expect(rows.locator(".app-tag--illustrative").first).to_have_text("Illustrative example")  # generated, marked
    watched.check_clean(local(reference))


def test_exports_download_the_current_view(watch, reference):
    watched = watch(MAPS["stakeholders"])
    everything = json.loads(watched.download("[data-export=json]"))
    assert len(everything["nodes"]) == watched.drawn()
    assert {e["kind"] for e in everything["edges"]} >= {"WORKS_WITH"}
    watched.click_node(XSS_KEY)
    neighbourhood = 1 + watched.page.evaluate(f"window.mapNetwork.getConnectedNodes({json.dumps(XSS_KEY)}).length")
    rows = list(csv.DictReader(io.StringIO(watched.download("[data-export=csv]").decode())))
    assert {r["name"] for r in rows if r["id"] == XSS_KEY} == {XSS}
    assert sum(r["record"] == "node" for r in rows) == neighbourhood
    graphml = nx.parse_graphml(watched.download("[data-export=graphml]").decode())
    assert graphml.number_of_nodes() == neighbourhood and graphml.nodes[XSS_KEY]["name"] == XSS
    gexf = ET.fromstring(watched.download("[data-export=gexf]"))
    assert XSS in {n.get("label") for n in gexf.iter("{http://gexf.net/1.3}node")}
    png = watched.download("#export-png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    watched.check_clean(local(reference))


def test_a_map_file_written_offline_works_from_disk(browser, tmp_path):
    """What `graph-service map stakeholders --out FILE.html` writes, opened from disk with no server.

    Its screenshot, of the reference dataset as a viewer sees it, is the README's picture."""
    store = EmbeddedStore(tmp_path / "data")
    load_reference(store)
    page_file = tmp_path / "map.html"
    view = stakeholder_view(analyse(store, Role.viewer))
    page_file.write_text(render_html(view))
    watched = Watched(browser)
    try:
        watched.open(page_file.as_uri())
        assert watched.drawn() == len(view.nodes) > 300
        watched.check_clean((page_file.as_uri(), "data:", "blob:"))
        screenshot(watched.page, "map-offline-stakeholders.png")
        if os.environ.get(UPDATE_DOC_IMAGES):  # the README's picture; a normal run leaves docs/ as committed
            shutil.copyfile(ARTIFACTS / "map-offline-stakeholders.png", README_IMAGE)
    finally:
        watched.close()


def _screen(node_id: str, page) -> tuple[float, float]:
    point = page.evaluate("""id => {
        const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return [box.left + p.x, box.top + p.y];
    }""", node_id)
    return point[0], point[1]


def big_store(path: Path, partners: int = 2_000, posts: int = 60) -> EmbeddedStore:
    """Partners in twenty groups of a hundred that work with each other, each with a relationship holder."""
    rng = random.Random(5)
    personas = [f"persona:kind-{i}" for i in range(5)]
    nodes = [NodeRecord(label="Persona", key=k, props={"name": k.split(":")[1]}, provenance=PROV) for k in personas]
    nodes += [NodeRecord(label="Post", key=f"post:p{i}", props={"title": f"Post {i}"}, provenance=PROV) for i in range(posts)]
    nodes += [NodeRecord(label="Organisation", key=f"org:o{i}", props={"name": f"Partner {i}"}, provenance=PROV)
              for i in range(partners)]
    rels: dict[str, RelRecord] = {}
    for i in range(partners):
        for rel in [RelRecord(type="HAS_PERSONA", start=f"org:o{i}", end=personas[i % 5], provenance=PROV),
                    RelRecord(type="HOLDS_RELATIONSHIP", start=f"post:p{i // 40 % posts}", end=f"org:o{i}", provenance=PROV),
                    *[RelRecord(type="WORKS_WITH", start=f"org:o{i}", end=f"org:o{i // 100 * 100 + rng.randrange(100)}",
                                provenance=PROV) for _ in range(3)]]:
            if rel.start != rel.end:
                rels[rel.rel_id] = rel
    store = EmbeddedStore(path)
    store.upsert(Batch(nodes=nodes, rels=list(rels.values())))
    return store


def test_a_map_of_2000_nodes_opens_on_its_communities_and_answers_clicks(browser, tmp_path):
    """How fast is for the benchmarks (a loaded machine must not fail a test); here: it opens on one node per
    community with no physics running, a click on a community shows every node, and any node answers a click."""
    view = stakeholder_view(analyse(big_store(tmp_path / "big"), Role.viewer))
    assert len(view.nodes) > 2_000
    page_file = tmp_path / "big.html"
    page_file.write_text(render_html(view))
    watched = Watched(browser)
    try:
        watched.open(page_file.as_uri(), timeout=120)
        assert watched.page.evaluate("window.mapState.clustered")
        assert watched.drawn() == len(view.groups) < 30  # the overview: twenty groups of partners, not 2,060 dots
        assert not watched.page.evaluate("window.mapNetwork.physics.physicsEnabled")
        watched.page.mouse.click(*_screen("group:0", watched.page))
        watched.wait_for("!window.mapState.clustered")
        assert watched.drawn() == len(view.nodes)
        for node in ("org:o7", "post:p3", "org:o1999"):
            watched.page.evaluate("id => window.mapNetwork.focus(id, {scale: 1.5, animation: false})", node)
            watched.click_node(node)  # waits until the node is the focus
        watched.check_clean((page_file.as_uri(), "data:", "blob:"))
        watched.page.screenshot(path=str(ARTIFACTS / "map-2000-nodes.png"))
    finally:
        watched.close()

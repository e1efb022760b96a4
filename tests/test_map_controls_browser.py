"""The map page's controls and report pictures in headless Chromium, over real HTTP with the sign-in
cookie: labels (always, on hover, off) kept from overlapping at council size, search that lists every
match and steps through them, relationship types when zoomed in and in the details, exports of the whole
map or the focus that say which, PNG and SVG pictures with title, date, filters, legend and source drawn
by the page's own export functions, generated facts marked, and saved views saved and opened."""
from __future__ import annotations

import base64
import json
import struct
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from tests.test_maps_browser import MAPS, Watched, local, map_data, reference, watch  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
LEP = "org:hertfordshire-lep"


def _overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]


def _screen_point(page, node_id: str) -> dict:
    return page.evaluate("""id => {
        const net = window.mapNetwork, box = document.getElementById('network').getBoundingClientRect();
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return {x: box.left + p.x, y: box.top + p.y};
    }""", node_id)


def _png_size(data_url: str) -> tuple[int, int]:
    png = base64.b64decode(data_url.split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def test_labels_always_keep_apart_at_council_size_and_can_show_on_hover_or_not_at_all(watch, reference):
    watched = watch(MAPS["stakeholders"])
    page = watched.page
    expect(page.locator("#labels")).to_have_value("always")
    watched.wait_for("window.mapState.labelsDrawn > 20")
    state = page.evaluate("window.mapState")
    assert state["nodes"] > 300 and state["labelsDrawn"] < state["nodes"]  # crowded: some names wait for a zoom
    assert _overlapping(state["labelBoxes"]) == []
    page.select_option("#labels", "off")
    watched.wait_for("window.mapState.labelsDrawn === 0")
    page.select_option("#labels", "hover")
    point = _screen_point(page, LEP)
    page.mouse.move(point["x"], point["y"])
    watched.wait_for(f"window.mapState.hover === {json.dumps(LEP)}")
    watched.wait_for("window.mapState.labelsDrawn === 1")
    assert page.evaluate("window.mapState.labelTexts") == ["Hertfordshire Local Enterprise Partnership"]
    corner = page.locator("#network").bounding_box()
    page.mouse.move(corner["x"] + 3, corner["y"] + 3)  # empty canvas: the hover ends
    watched.wait_for("window.mapState.hover === null && window.mapState.labelsDrawn === 0")
    watched.check_clean(local(reference))


def test_search_lists_every_match_and_steps_through_them(watch, reference):
    watched = watch(MAPS["stakeholders"])
    page = watched.page
    names = map_data(reference, MAPS["stakeholders"])["nodes"]
    wanted = [n for n in names if "council" in n["name"].lower()]
    assert len(wanted) > 2
    page.fill("#search-input", "council")
    page.press("#search-input", "Enter")
    expect(page.locator("#matches li")).to_have_count(len(wanted))
    expect(page.locator("#status")).to_contain_text(f"Match 1 of {len(wanted)}")
    matches = page.evaluate("window.mapState.matches")
    assert sorted(matches) == sorted(n["id"] for n in wanted)
    page.click("#search-next")
    expect(page.locator("#status")).to_contain_text(f"Match 2 of {len(wanted)}")
    expect(page.locator("#details h2")).to_have_text(next(n["name"] for n in wanted if n["id"] == matches[1]))
    page.click("#search-prev")
    page.click("#search-prev")  # from the first, back to the last
    expect(page.locator("#status")).to_contain_text(f"Match {len(wanted)} of {len(wanted)}")
    expect(page.locator("#matches li.current")).to_have_count(1)
    page.locator("#matches li button").nth(2).click()
    expect(page.locator("#status")).to_contain_text(f"Match 3 of {len(wanted)}")
    watched.check_clean(local(reference))


def test_relationship_types_show_in_the_details_and_on_the_lines_when_zoomed_in(watch, reference):
    path = MAPS["ego"]
    watched = watch(path)
    page = watched.page
    data = map_data(reference, path)
    centre = "post:gm-procurement-contracted-services"
    touching = [e for e in data["edges"] if centre in (e["source"], e["target"])]
    watched.click_node(centre)
    rows = page.locator("#details .relationships li")
    expect(rows).to_have_count(len(touching))
    kinds = {e["kind"].lower().replace("_", " ") for e in touching}
    for kind in kinds:
        expect(page.locator("#details .relationships")).to_contain_text(kind + ": ")
    page.click("#reset")
    page.evaluate("id => window.mapNetwork.moveTo({position: window.mapNetwork.getPositions([id])[id], scale: 0.4})", centre)
    watched.wait_for("window.mapState.edgeLabelsDrawn === 0")
    page.evaluate("id => window.mapNetwork.moveTo({position: window.mapNetwork.getPositions([id])[id], scale: 2})", centre)
    watched.wait_for("window.mapState.edgeLabelsDrawn > 0")
    assert set(page.evaluate("window.mapState.edgeLabelTexts")) <= kinds | {e["kind"].lower().replace("_", " ")
                                                                           for e in data["edges"]}
    watched.check_clean(local(reference))


@pytest.mark.parametrize("kind", list(MAPS))
def test_every_map_shares_one_legend_on_the_page_and_in_its_pictures(watch, reference, kind):
    watched = watch(MAPS[kind])
    page = watched.page
    legend = page.locator("#legend li").all_inner_texts()
    assert legend == [e["text"] for e in map_data(reference, MAPS[kind])["legend"]]
    drawn = page.evaluate("window.mapExport.png('map')")
    assert drawn["legend"] == legend
    assert page.evaluate("window.mapExport.svg('map').legend") == legend


def test_generated_facts_are_marked_in_the_legend_and_the_details(watch, reference):
    watched = watch(MAPS["stakeholders"])
    page = watched.page
    data = map_data(reference, MAPS["stakeholders"])
    ringed = page.evaluate("JSON.parse(document.getElementById('map-data').textContent).illustrative")
    assert ringed and "org:hertfordshire-lep" not in ringed  # the LEP is in the council's documents
    expect(page.locator("#legend")).to_contain_text("illustrative example (generated sample data, not a council record)")
    generated = next(n for n in data["nodes"] if n["id"] == ringed[0])
    watched.click_node(generated["id"])
    expect(page.locator("#details dl dt").first).to_have_text("Illustrative example")
    watched.click_node(LEP)
    expect(page.locator("#details dl")).not_to_contain_text("Illustrative example")


def test_exports_say_whether_they_hold_the_whole_map_or_the_focus_and_offer_both(watch, reference):
    watched = watch(MAPS["stakeholders"])
    page = watched.page
    holds = page.locator("#export-holds")
    expect(holds).to_contain_text("the whole map")
    expect(page.locator("#export-scope option[value=focus]")).to_be_disabled()
    total = watched.drawn()
    watched.click_node(LEP)
    neighbourhood = 1 + page.evaluate(f"window.mapNetwork.getConnectedNodes({json.dumps(LEP)}).length")
    expect(holds).to_contain_text(f"the focus: Hertfordshire Local Enterprise Partnership and its {neighbourhood - 1} neighbours")
    expect(page.locator("#export-scope")).to_have_value("focus")
    focus = json.loads(watched.download("[data-export=json]"))
    assert len(focus["nodes"]) == neighbourhood and focus["holds"].startswith("the focus")
    page.select_option("#export-scope", "map")
    expect(holds).to_contain_text("the whole map")
    whole = json.loads(watched.download("[data-export=json]"))
    assert len(whole["nodes"]) == total and whole["holds"].startswith("the whole map")
    watched.check_clean(local(reference))


def _pixels(page, data_url: str, points: list[dict]) -> list[list[int]]:
    """The colour of the picture at each point, read back from the PNG the page made."""
    return page.evaluate("""async ([url, points]) => {
        const image = new Image();
        image.src = url;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width; canvas.height = image.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(image, 0, 0);
        return points.map(p => Array.from(ctx.getImageData(p.x, p.y, 1, 1).data.slice(0, 3)));
    }""", [data_url, points])


def _rgb(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


@pytest.mark.parametrize("kind", ["stakeholders", "grid"])
def test_a_png_for_a_report_has_title_date_filters_legend_and_source(watch, reference, kind):
    path = MAPS[kind] + "?persona=persona:voluntary-sector"
    watched = watch(path)
    page = watched.page
    picture = page.evaluate("window.mapExport.png('map')")
    width, height = _png_size(picture["url"])
    assert (width, height) == (picture["width"], picture["height"]) and width == 1600 and height > 900
    texts = picture["texts"]
    title = map_data(reference, path)["title"]
    assert texts[0] == title
    assert any(t.startswith("As on ") for t in texts)
    assert any(t.startswith("Filters: persona: Voluntary") for t in texts), texts[:6]
    assert any("This picture holds the whole map" in t for t in texts)
    assert texts[-1].startswith("Source: Dacorum Borough Council partner relationship graph")
    legend = page.locator("#legend li").all_inner_texts()
    assert picture["legend"] == legend
    swatches = [s for s in picture["swatches"] if s["swatch"] in ("dot", "square", "area")]
    assert swatches
    for swatch, pixel in zip(swatches, _pixels(page, picture["url"], swatches)):
        assert max(abs(a - b) for a, b in zip(pixel, _rgb(swatch["colour"]))) < 40, (swatch, pixel)
    png = watched.download("#export-png")
    assert png.startswith(b"\x89PNG") and struct.unpack(">I", png[16:20])[0] == 1600
    watched.check_clean(local(reference))


def test_an_svg_of_the_focus_holds_the_same_captions_as_text(watch, reference):
    watched = watch(MAPS["stakeholders"])
    watched.click_node(LEP)
    svg = ET.fromstring(watched.download("#export-svg"))
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in svg.iter(ns + "text")]
    joined = " ".join(texts)
    assert svg.get("width") == "1600"
    assert texts[0] == "Stakeholder map" and "Hertfordshire Local Enterprise Partnership" in texts  # its label
    assert "This picture holds the focus: Hertfordshire Local Enterprise Partnership and its" in joined
    for entry in watched.page.locator("#legend li").all_inner_texts():
        assert entry in joined
    assert texts[-1].startswith("Source:")
    watched.check_clean(local(reference))


def test_an_editor_saves_a_view_and_a_viewer_opens_it_by_its_link(browser, watch, reference):
    path = MAPS["ego"]
    focus = next(n for n in map_data(reference, path)["nodes"] if n["id"].startswith("org:"))
    editor = watch(path, Role.editor)
    page = editor.page
    editor.click_node(focus["id"])
    page.select_option("#labels", "hover")
    page.fill("#save-view input[name=name]", "A partner of procurement, one hop")
    page.click("#save-view button[type=submit]")
    expect(page.locator("header .note").first).to_contain_text("Saved view A partner of procurement, one hop")
    editor.wait_for("window.mapState && window.mapState.ready && window.mapState.savedApplied")
    assert page.evaluate("window.mapState.focus") == focus["id"]
    assert page.url.endswith("hops=1&view=view%3Aa-partner-of-procurement-one-hop")

    viewer = watch("/maps/grid", Role.viewer)
    expect(viewer.page.locator("#save-view")).to_have_count(0)  # viewers open views; they do not save them
    viewer.page.goto(reference.url + "/maps")
    expect(viewer.page.locator("h1")).to_have_text("Maps and saved views")
    row = viewer.page.locator("table tr", has_text="A partner of procurement, one hop")
    expect(row).to_contain_text("test editor (editor)")
    row.locator("a").click()
    viewer.wait_for("window.mapState && window.mapState.ready && window.mapState.savedApplied")
    assert viewer.page.evaluate("window.mapState.focus") == focus["id"]
    expect(viewer.page.locator("#labels")).to_have_value("hover")
    expect(viewer.page.locator("#details h2")).to_have_text(focus["name"])
    viewer.check_clean(local(reference))


def test_a_saved_view_puts_moved_nodes_back_where_they_were_put(watch, reference):
    editor = reference.client(Role.editor)
    saved = editor.post("/api/v1/maps/views", json={"name": "Moved LEP", "address": MAPS["stakeholders"],
                                                     "positions": {LEP: [1234, -987]}})
    assert saved.status_code == 201, saved.text
    watched = watch(saved.json()["link"])
    watched.wait_for("window.mapState.savedApplied")
    assert watched.page.evaluate(f"window.mapNetwork.getPositions([{json.dumps(LEP)}])[{json.dumps(LEP)}]") == \
        {"x": 1234, "y": -987}

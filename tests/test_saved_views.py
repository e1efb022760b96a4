"""Saved map views over real HTTP, on both backends: editors and above save (the JSON API with a key, or
the map page's form with its CSRF token), everyone allowed to see maps lists and opens them by link, a
view saved again keeps the earlier save (who, when) in its history, and an address that is not a map is
refused."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from tests.conftest import form_token, live_server

PROV = Provenance(source="saved views test")
ADDRESS = "/maps/ego/org:partner-a?hops=1&format=json&view=view:old&unknown=1"


@pytest.fixture
def server(any_store, tmp_path):
    any_store.upsert(Batch(
        nodes=[NodeRecord(label="Organisation", key=k, props={"name": n}, provenance=PROV)
               for k, n in (("org:partner-a", "Partner A"), ("org:partner-b", "Partner B"))],
        rels=[RelRecord(type="WORKS_WITH", start="org:partner-a", end="org:partner-b", provenance=PROV)]))
    with live_server(any_store, tmp_path / "keys") as running:
        yield running


def test_an_editor_saves_a_view_and_every_viewer_lists_and_opens_it(server):
    body = {"name": "  Partner A,  one hop ", "address": ADDRESS, "focus": "org:partner-b",
            "positions": {"org:partner-b": [10.25, -4]}, "labels": "hover"}
    saved = server.client(Role.editor).post("/api/v1/maps/views", json=body)
    assert saved.status_code == 201, saved.text
    view = saved.json()
    assert view["key"] == "view:partner-a-one-hop" and view["name"] == "Partner A, one hop"
    assert view["kind"] == "ego" and view["address"] == "/maps/ego/org:partner-a?hops=1"  # only a map's own parameters
    assert view["positions"] == {"org:partner-b": [10.2, -4.0]} and view["labels"] == "hover"
    assert view["saved_by"] == "test editor (editor)" and view["history"] == []
    viewer = server.client(Role.viewer)
    assert [v["key"] for v in viewer.get("/api/v1/maps/views").json()] == ["view:partner-a-one-hop"]
    assert viewer.get(view["link"].replace("/maps/views/", "/api/v1/maps/views/")).json() == view
    opened = viewer.get(view["link"], follow_redirects=False)
    assert opened.status_code == 303
    target = urlsplit(opened.headers["location"])
    assert target.path == "/maps/ego/org:partner-a" and parse_qs(target.query) == {"hops": ["1"], "view": [view["key"]]}
    page = viewer.get(opened.headers["location"])
    assert page.status_code == 200 and "Saved view <strong>Partner A, one hop</strong>" in page.text
    assert 'id="save-view"' not in page.text  # a viewer opens views; only editors get the form
    listing = server.browser_client(Role.viewer).get("/maps")
    assert listing.status_code == 200 and 'href="/maps/views/view:partner-a-one-hop"' in listing.text
    assert "test editor (editor)" in listing.text


def test_saving_a_name_again_keeps_the_earlier_save_in_history(server):
    editor, admin = server.client(Role.editor), server.client(Role.admin)
    first = editor.post("/api/v1/maps/views", json={"name": "Grid", "address": "/maps/grid"}).json()
    second = admin.post("/api/v1/maps/views", json={"name": "grid", "address": "/maps/grid?persona=persona:x"})
    assert second.status_code == 201
    again = second.json()
    assert again["key"] == first["key"] and again["saved_by"] == "test admin (admin)"
    assert again["history"] == [{"name": "Grid", "saved_by": "test editor (editor)", "saved_at": first["saved_at"]}]
    assert server.app.state.store.get(first["key"]).history[0]["prov"]["locator"] == "saved by test editor (editor)"


def test_names_without_a_letter_or_digit_a_key_keeps_are_still_two_views(server):
    editor = server.client(Role.editor)
    saved = [editor.post("/api/v1/maps/views", json={"name": n, "address": "/maps/grid"}).json() for n in ("日本", "✓✓")]
    assert saved[0]["key"] != saved[1]["key"] and all(v["key"].startswith("view:unnamed-") for v in saved)
    listed = server.client(Role.viewer).get("/api/v1/maps/views").json()
    assert sorted(v["name"] for v in listed) == ["✓✓", "日本"]
    again = editor.post("/api/v1/maps/views", json={"name": " 日本 ", "address": "/maps/stakeholders"}).json()
    assert again["key"] == saved[0]["key"] and len(again["history"]) == 1


def test_viewers_may_not_save_and_an_address_must_be_a_map(server):
    refused = server.client(Role.viewer).post("/api/v1/maps/views", json={"name": "x", "address": "/maps/grid"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    editor = server.client(Role.editor)
    for address in ("https://example.org/maps/grid", "/partners", "/maps/ego/", "//evil/maps/grid"):
        bad = editor.post("/api/v1/maps/views", json={"name": "x", "address": address})
        assert bad.status_code == 400 and bad.json()["error"]["details"]["field"] == "address", address
    assert editor.post("/api/v1/maps/views", json={"name": "x", "address": "/maps/grid", "labels": "x"}).status_code == 422
    assert server.client(Role.viewer).get("/api/v1/maps/views/view:none").status_code == 404


def test_the_map_page_form_saves_with_its_csrf_token_and_only_with_it(server):
    browser = server.browser_client(Role.editor)
    page = browser.get("/maps/ego/org:partner-a", params={"hops": 1, "as_of": "01/06/2026"})
    assert 'id="save-view"' in page.text
    assert 'name="address" value="/maps/ego/org:partner-a?hops=1&amp;as_of=01%2F06%2F2026"' in page.text
    form = {"name": "From the form", "address": "/maps/ego/org:partner-a?hops=1&as_of=01%2F06%2F2026", "focus": "org:partner-a",
            "positions": '{"org:partner-a": [1, 2]}', "labels": "off"}
    forged = browser.post("/maps/views", data=form, follow_redirects=False)
    assert forged.status_code == 403  # no form token: refused before the route
    saved = browser.post("/maps/views", data={**form, "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/maps/views/view:from-the-form"
    view = server.client(Role.viewer).get("/api/v1/maps/views/view:from-the-form").json()
    assert view["focus"] == "org:partner-a" and view["positions"] == {"org:partner-a": [1.0, 2.0]} and view["labels"] == "off"
    viewer = server.browser_client(Role.viewer)
    token = form_token(viewer.get("/maps").text)
    assert viewer.post("/maps/views", data={**form, "csrf_token": token}).status_code == 403  # viewers do not save

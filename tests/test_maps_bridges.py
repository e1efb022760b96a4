"""The stakeholder map's secondary list, "bridges between partners" (the delivery network's cut vertices, from
answers/bridges.py): served over real HTTP on both backends, after the map, each bridge with
what it connects, names escaped and generated partners marked."""
from __future__ import annotations

import pytest
from markupsafe import escape

from graph_service.access.auth import Role
from graph_service.answers.bridges import bridges_between_partners
from graph_service.records import Batch, NodeRecord
from graph_service.reference import load_reference
from graph_service.web.pages.layout import ILLUSTRATIVE_TAG
from tests.conftest import live_server
from tests.test_stakeholders import PROV, XSS


@pytest.fixture
def bridged(any_store):
    """The reference dataset, with one partner that a bridge connects renamed to markup."""
    load_reference(any_store)
    bridge = bridges_between_partners(any_store)["bridges"][0]
    renamed = bridge["cut_off"][0]["partner"]
    any_store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key=renamed, props={"name": XSS}, provenance=PROV)]))
    return any_store, bridge


def test_the_stakeholder_map_lists_each_bridge_and_what_it_connects(bridged, tmp_path):
    store, bridge = bridged
    with live_server(store, tmp_path / "keys") as server:
        viewer = server.client(Role.viewer)
        page = viewer.get("/maps/stakeholders").text
        assert page.index('id="network"') < page.index('id="bridges"')  # after the map
        assert 'href="/maps/stakeholders/bridges"' in page
        response = viewer.get("/maps/stakeholders/bridges")
        assert response.status_code == 200
        listing = response.text[response.text.index('id="bridges-list"'):]
        row = listing[listing.index(f'href="/partners/{bridge["partner"]}"'):]
        row = row[:row.index("</tr>")]
        assert f"{escape(bridge['name'])}</a> {ILLUSTRATIVE_TAG}" in row  # a generated partner, marked
        assert escape(bridge["priority_name"]) in row and escape(XSS) in row  # what it connects, as text
        assert XSS not in response.text and "<img" not in response.text.lower()
        dated = viewer.get("/maps/stakeholders", params={"as_of": "2020-01-01"}).text
        assert 'href="/maps/stakeholders/bridges?as_of=2020-01-01"' in dated  # the list answers for the map's date

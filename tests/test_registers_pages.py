"""The charters, contracts and grants registers over real HTTP on the reference dataset: lapsed charters
first with the reason, contracts only for procurement, each fact with its source, illustrative rows marked,
and a CSV with an illustrative column."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph_service.access.auth import Role
from tests.conftest import live_server


@pytest.fixture(scope="module")
def server(reference_store, tmp_path_factory):
    with live_server(reference_store, tmp_path_factory.mktemp("keys")) as running:
        yield running


def test_lapsed_charters_come_first_with_why(server):
    client = server.browser_client(Role.viewer)
    text = client.get("/charters", params={"lapsed": "lapsed"}).text
    assert "Dacorum Health and Well-being Partnership Principles" in text and "lapsed (recorded as lapsed)" in text
    assert "Dacorum Business Charter" in text and "lapsed (review date passed)" in text
    assert "Social Value Charter" not in text
    assert "Source: illustrative generator (seed 2019)" in text
    page = client.get("/charters/charter:dacorum-business-charter").text
    assert "Lapsed: review date passed" in page and '<a href="/roles/post:ad-planning-regeneration">' in page
    assert "Review due</dt><dd>2024-03-31" in page


def test_charters_csv_has_an_illustrative_column(server):
    response = server.browser_client(Role.viewer).get("/charters", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8 and all(r["illustrative"] == "yes" for r in rows)
    assert rows[0]["Charter"] == "Dacorum Health and Well-being Partnership Principles"


def test_contracts_are_procurements_only(server):
    viewer = server.browser_client(Role.viewer)
    for path in ("/contracts", "/contracts/contract:dbc-2016-0001", "/grants", "/grants/grant:dbc-2016-001"):
        response = viewer.get(path)
        assert response.status_code == 403 and "need the procurement role" in response.text
    assert 'href="/contracts"' not in viewer.get("/charters").text


def test_contracts_ending_soon_without_a_successor(server):
    from graph_service.answers import procurement

    client = server.browser_client(Role.procurement)
    response = client.get("/contracts", params={"flag": "ending soon without a successor", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expiring = procurement.expiring(server.app.state.store)
    wanted = [c for c in expiring["contracts"] if c["window_months"] == 6 and not c["successors"]]
    assert len(rows) == len(wanted) == expiring["windows"][0]["without_successor"] > 0
    assert sorted(r["Ends"] for r in rows) == sorted(c["end_date"] for c in wanted)
    page = client.get("/contracts/contract:dbc-2016-0001").text
    assert "£28,513,500" in page and '<a href="/contracts/contract:dbc-2024-0001">' in page
    assert '<a href="/partners/GB-COH-08819687">Northgate Recycling Limited</a>' in page


def test_registers_page_by_50_and_grants_show_amounts(server):
    client = server.browser_client(Role.procurement)
    text = client.get("/grants").text
    pages = int(re.findall(r'aria-label="Page (\d+)"', text)[-1])
    assert pages >= 6 and "£" in text
    assert 'aria-label="Page 2"' in text and 'aria-label="Page 3"' not in text and "&ctdot;" in text  # 1 2 … last
    middle = client.get("/grants", params={"page": 4}).text
    numbers = re.findall(r'<li><a href="[^"]*"(?: aria-current="page"| aria-label="Page \d+")>(\d+)</a>', middle)
    assert numbers[:5] == ["1", "2", "3", "4", "5"] and numbers[-1] == str(pages)
    assert client.get("/contracts", params={"page": "x"}).status_code == 400


def test_home_lists_what_needs_attention_for_the_role(server):
    from graph_service.answers import charters, procurement

    store = server.app.state.store
    viewer = server.browser_client(Role.viewer).get("/").text
    assert f'<a href="/charters?lapsed=lapsed">Charters lapsed: {len(charters.lapsed_charters(store))}</a>' in viewer
    assert 'href="/gaps?reason=review+overdue">Policy reviews overdue: ' in viewer
    assert 'role="search"' in viewer and "Contracts ending" not in viewer and "rated red" not in viewer
    buyer = server.browser_client(Role.procurement).get("/").text
    soon = procurement.expiring(store)["windows"][0]["without_successor"]
    assert f"Contracts ending within 6 months without a successor: {soon}</a>" in buyer
    assert 'href="/health?rating=red">Partners rated red: ' in buyer and '<a href="/grants">Grants</a>' in buyer


def test_gaps_page_links_each_gap(server):
    text = server.browser_client(Role.viewer).get("/gaps", params={"reason": "review overdue"}).text
    assert '<a href="/policies/policy:new-normal-strategy-2019-2024">' in text

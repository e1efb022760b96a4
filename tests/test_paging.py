"""Answers that would ship every row come a page at a time: expiring contracts cut by the store (the same page,
count and next on both backends), their API's limits, the page's 50 a page with links, and the CLI's CSV, which
still writes every contract."""
from __future__ import annotations

import csv
import io

import pytest

from graph_service.access.auth import Role
from graph_service.answers import procurement
from graph_service.cli import main
from tests.test_api_core import assert_error_shape

AS_OF = "2026-11-01"  # the reference data has 73 current contracts ending within 18 months of it
COUNT = 73
API = "/api/v1/procurement/expiring-contracts"


def _keys(answer: dict) -> list[str]:
    return [c["contract"] for c in answer["contracts"]]


def test_pages_cut_every_contract_in_order_and_total_them_all(reference_store):
    whole = procurement.expiring(reference_store, AS_OF)
    assert whole["count"] == len(whole["contracts"]) == COUNT
    pages = [procurement.expiring(reference_store, AS_OF, limit=20, offset=offset) for offset in range(0, COUNT, 20)]
    assert [len(p["contracts"]) for p in pages] == [20, 20, 20, 13]
    assert [c for p in pages for c in p["contracts"]] == whole["contracts"]
    assert all(p["windows"] == whole["windows"] and p["count"] == COUNT for p in pages)
    assert procurement.expiring(reference_store, AS_OF, limit=20, offset=COUNT)["contracts"] == []
    streamed = list(procurement.expiring_pages(reference_store, AS_OF, size=30))
    assert [c for p in streamed for c in p["contracts"]] == whole["contracts"] and len(streamed) == 3


@pytest.mark.neo4j
def test_both_backends_give_the_same_page_and_count(reference_store, neo4j_reference_store):
    for limit, offset in ((50, 0), (50, 50), (7, 33), (10, COUNT), (None, 0)):
        embedded = procurement.expiring(reference_store, AS_OF, limit=limit, offset=offset)
        assert embedded == procurement.expiring(neo4j_reference_store, AS_OF, limit=limit, offset=offset)
        assert embedded["count"] == COUNT


def test_the_api_answers_a_page_with_count_and_next(reference_server):
    client = reference_server.client(Role.procurement)
    first = client.get(API, params={"as_of": AS_OF, "limit": 30}).json()
    assert (first["count"], first["limit"], first["offset"], len(first["contracts"])) == (COUNT, 30, 0, 30)
    seen, body = _keys(first), first
    while body["next"]:
        assert "limit=30" in body["next"]
        body = client.get(body["next"]).json()
        seen += _keys(body)
        assert body["windows"] == first["windows"]
    assert body["offset"] == 60 and seen == _keys(procurement.expiring(reference_server.app.state.store, AS_OF))
    default = client.get(API, params={"as_of": AS_OF}).json()
    assert default["limit"] == 200 and len(default["contracts"]) == COUNT and default["next"] is None


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_the_api_refuses_a_page_out_of_bounds(reference_server, params):
    assert_error_shape(reference_server.client(Role.procurement).get(API, params=params), 422, "invalid_request")


def test_the_page_shows_50_a_page_and_links_the_others(reference_server):
    client = reference_server.browser_client(Role.procurement)
    first = client.get("/procurement/expiring", params={"as_of": AS_OF}).text
    assert f"Showing 1 to 50 of {COUNT}" in first and first.count("<tr>") == 51  # the heading row and 50
    assert f'<a href="/procurement/expiring?as_of={AS_OF}&amp;page=2" aria-label="Page 2">2</a>' in first
    assert f'<a href="/procurement/expiring?as_of={AS_OF}&amp;page=2" rel="next">Next page</a>' in first
    assert f"{COUNT} within 18 months" in first  # the windows total every contract, not the page
    second = client.get("/procurement/expiring", params={"as_of": AS_OF, "page": 2}).text
    assert f"Showing 51 to {COUNT} of {COUNT}" in second and 'rel="prev">Previous page</a>' in second
    assert f"Showing 51 to {COUNT} of {COUNT}" in client.get("/procurement/expiring", params={"as_of": AS_OF, "page": 9}).text
    by_value = client.get("/procurement/expiring", params={"as_of": AS_OF, "sort": "-value"}).text  # every row, sorted
    assert f"Showing 1 to 50 of {COUNT}" in by_value
    rows = list(csv.DictReader(io.StringIO(client.get("/procurement/expiring", params={"as_of": AS_OF, "format": "csv"}).text)))
    assert len(rows) == COUNT
    assert client.get("/procurement/expiring", params={"page": "0"}).status_code == 400


def test_the_cli_csv_writes_every_contract_a_page_at_a_time(reference_store, tmp_path, capsys, monkeypatch):
    from graph_service.cli import health
    from graph_service.reference import load_reference
    from graph_service.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "data")
    load_reference(store)
    store.close()
    monkeypatch.setattr(health, "CSV_PAGE", 25)  # three pages
    assert main(["--data-dir", str(tmp_path / "data"), "procurement", "expiring", "--csv", "--as-of", AS_OF]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["contract"] for r in rows] == _keys(procurement.expiring(reference_store, AS_OF))


def test_the_stakeholder_api_answers_a_page_of_partners_scored_over_all(reference_server):
    client = reference_server.client(Role.viewer)
    whole = client.get("/api/v1/stakeholders", params={"as_of": AS_OF, "limit": 1000}).json()
    assert whole["count"] == len(whole["partners"]) > 40 and whole["next"] is None
    body = client.get("/api/v1/stakeholders", params={"as_of": AS_OF, "limit": 20}).json()
    partners = body["partners"]
    while body["next"]:
        body = client.get(body["next"]).json()
        assert body["links"] == whole["links"] and body["count"] == whole["count"]
        partners += body["partners"]
    assert partners == whole["partners"]  # the same scores, in the same order, each once
    assert client.get("/api/v1/stakeholders", params={"as_of": AS_OF}).json()["limit"] == 200
    for params in ({"limit": 1001}, {"offset": -1}):
        assert_error_shape(client.get("/api/v1/stakeholders", params=params), 422, "invalid_request")

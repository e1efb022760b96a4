"""Finding partners and reading their golden records: ranking, personas, redaction by role, the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.ingest import ingest_file
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.queries import ask

PROV = Provenance(source="partners.yaml", locator="test")


def node(label: str, key: str, **props) -> NodeRecord:
    return NodeRecord(label=label, key=key, props=props, provenance=PROV)


def rel(kind: str, start: str, end: str, valid_from=None, valid_to=None, **props) -> RelRecord:
    return RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to, props=props, provenance=PROV)


def seed(store) -> None:
    store.upsert(Batch(
        nodes=[node("Organisation", "GB-COH-01234567", name="Acme", aliases=["Acme Ltd", "Acme Waste Services"],
                    alias_sources=["Acme Ltd | contracts.csv | row 4"], identifiers=["GB-COH-01234567"]),
               node("Organisation", "org:acme-community-trust", name="Acme Community Trust"),
               node("Organisation", "org:the-big-acme", name="The Big Acme Group"),
               node("Organisation", "GB-LAE-DAC", name="Dacorum Borough Council", is_council=True, identifiers=["GB-LAE-DAC"]),
               node("Persona", "persona:contractors", name="Contractors"),
               node("Persona", "persona:voluntary-sector", name="Voluntary sector"),
               node("Contract", "contract:waste", title="Waste collection", value=2_500_000.0, start_date="2020-04-01",
                    end_date="2027-03-31"),
               node("Grant", "grant:g1", title="Community grant", amount=5000.0, award_date="2023-05-01"),
               node("Charter", "charter:business", name="Dacorum Business Charter", status="active"),
               node("Payment", "payment:1", amount=900.0, paid_on="2024-01-10"),
               node("Payment", "payment:2", amount=100.1, paid_on="2025-01-10"),
               node("Post", "post:gm-procurement", title="Group Manager Procurement"),
               node("Person", "person:a", name="Alex"), node("Person", "person:b", name="Bo")],
        rels=[rel("HAS_PERSONA", "GB-COH-01234567", "persona:contractors"),
              rel("HAS_PERSONA", "org:acme-community-trust", "persona:voluntary-sector"),
              rel("SUPPLIES", "GB-COH-01234567", "contract:waste", "2020-04-01", "2027-03-31", role="supplier"),
              rel("BUYS", "GB-LAE-DAC", "contract:waste", "2020-04-01", "2027-03-31"),
              rel("RECEIVES", "GB-COH-01234567", "grant:g1", "2023-05-01"),
              rel("PARTY_TO", "GB-COH-01234567", "charter:business", "2021-03-15"),
              rel("PAID_TO", "payment:1", "GB-COH-01234567"), rel("PAID_TO", "payment:2", "GB-COH-01234567"),
              rel("PAID_BY", "payment:1", "GB-LAE-DAC"),
              rel("HOLDS_RELATIONSHIP", "post:gm-procurement", "GB-COH-01234567", "2019-01-01"),
              rel("HOLDS", "person:a", "post:gm-procurement", "2018-01-01", "2022-04-01"),
              rel("HOLDS", "person:b", "post:gm-procurement", "2022-04-01")]))


def test_search_ranks_exact_then_prefix_then_substring_then_name(any_store):
    seed(any_store)
    found = ask(any_store, "partner_search", q="acme")
    assert [(r["key"], r["rank"]) for r in found] == [
        ("GB-COH-01234567", 0), ("org:acme-community-trust", 1), ("org:the-big-acme", 2)]
    assert ask(any_store, "partner_search", q="ACME WASTE")[0]["key"] == "GB-COH-01234567"  # an alias, any case
    assert [r["key"] for r in ask(any_store, "partner_search", q="coh-0123")] == ["GB-COH-01234567"]
    assert [r["key"] for r in ask(any_store, "partner_search", q="acme", limit=1)] == ["GB-COH-01234567"]


def test_search_by_persona_key_or_name(any_store):
    seed(any_store)
    assert [r["key"] for r in ask(any_store, "partner_search", q="acme", persona="Voluntary sector")] == ["org:acme-community-trust"]
    [contractor] = ask(any_store, "partner_search", q="", persona="persona:contractors")
    assert contractor["personas"] == ["Contractors"]


def test_profile_is_the_golden_record(any_store):
    seed(any_store)
    [profile] = ask(any_store, "partner_profile", key="GB-COH-01234567")
    assert profile["aliases"] == [{"name": "Acme Ltd", "sources": [{"source": "contracts.csv", "locator": "row 4"}]},
                                  {"name": "Acme Waste Services", "sources": []}]
    assert [c["key"] for c in profile["contracts"]] == ["contract:waste"] and profile["contracts"][0]["value"] == 2_500_000.0
    assert [g["key"] for g in profile["grants"]] == ["grant:g1"]
    assert [c["name"] for c in profile["charters"]] == ["Dacorum Business Charter"]
    assert profile["spending"]["paid_to"] == {"payments": 2, "total": 1000.1}
    [held] = profile["relationship_holders"]
    assert held["title"] == "Group Manager Procurement" and [h["name"] for h in held["holders"]] == ["Alex", "Bo"]
    assert ask(any_store, "partner_profile", key="org:nobody") == []


def test_profile_as_of_a_date(any_store):
    seed(any_store)
    [then] = ask(any_store, "partner_profile", key="GB-COH-01234567", as_of="2020-01-01")
    assert then["contracts"] == [] and then["spending"]["paid_to"]["payments"] == 0
    assert [h["name"] for h in then["relationship_holders"][0]["holders"]] == ["Alex"]
    [now] = ask(any_store, "partner_profile", key="GB-COH-01234567", as_of="2024-06-30")
    assert [h["name"] for h in now["relationship_holders"][0]["holders"]] == ["Bo"]
    assert now["spending"]["paid_to"] == {"payments": 1, "total": 900.0}


def test_viewers_see_public_facts_procurement_sees_values_and_spending(store, server):
    seed(store)
    viewer = server.client(Role.viewer).get("/api/v1/partners/GB-COH-01234567").json()
    assert "value" not in viewer["contracts"][0] and viewer["contracts"][0]["title"] == "Waste collection"
    assert "spending" not in viewer and "matches" not in viewer
    assert viewer["grants"][0]["amount"] == 5000.0
    procurement = server.client(Role.procurement).get("/api/v1/partners/GB-COH-01234567").json()
    assert procurement["contracts"][0]["value"] == 2_500_000.0 and procurement["spending"]["paid_to"]["total"] == 1000.1
    found = server.client(Role.viewer).get("/api/v1/partners", params={"q": "acme", "persona": "Contractors"}).json()
    assert [r["key"] for r in found] == ["GB-COH-01234567"]
    missing = server.client(Role.viewer).get("/api/v1/partners/org:nobody")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert server.client().get("/api/v1/partners?q=acme").status_code == 401


def test_cli_partner_search_and_profile(store, tmp_path, capsys):
    seed(store)
    assert main(["--data-dir", str(store.dir), "partner", "acme"]) == 0
    assert "GB-COH-01234567" in capsys.readouterr().out
    assert main(["--data-dir", str(store.dir), "partner", "Acme Ltd", "--json"]) == 0
    profile = json.loads(capsys.readouterr().out)
    assert profile["key"] == "GB-COH-01234567" and profile["spending"]["paid_to"]["payments"] == 2
    assert main(["--data-dir", str(store.dir), "partner", "GB-COH-01234567"]) == 0
    assert "relationship held by Group Manager Procurement: Bo\n" in capsys.readouterr().out
    assert main(["--data-dir", str(store.dir), "partner", "zzz"]) == 1


def test_search_finds_ingested_partners_under_every_published_name(store, tmp_path: Path):
    path = tmp_path / "spend.csv"
    path.write_text("Organisation Name,Supplier Name,Amount,Payment Date\n"
                    "Dacorum Borough Council,HC-One Ltd,10.00,01/04/2024\n"
                    "Dacorum Borough Council,HC-One Limited,12.00,02/04/2024\n")
    ingest_file(store, path)
    [found] = ask(store, "partner_search", q="hc-one limited")
    assert found["rank"] == 0
    [profile] = ask(store, "partner_profile", key=found["key"])
    assert {a["name"] for a in profile["aliases"]} == {"HC-One Ltd", "HC-One Limited"}
    assert profile["spending"]["paid_to"] == {"payments": 2, "total": 22.0}


@pytest.mark.parametrize("query", ["partner_search", "partner_profile", "organisation_identities", "possible_matches"])
def test_queries_have_parity_examples(query):
    from graph_service.queries import registry

    assert registry.get(query).examples and registry.get(query).cypher.startswith("//")

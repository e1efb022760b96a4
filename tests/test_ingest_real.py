"""Ingest on every real published file in shared/data: counts checked against the raw files,
golden records, and loading twice changing nothing."""
from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from graph_service.store.embedded import EmbeddedStore
from graph_service.ingest import ingest_file
from graph_service.ingest.identifiers import ORG_ID_LISTS
from tests.conftest import SHARED
from graph_service.queries import ask

DATA = SHARED / "data"
GRANTS_CSV = DATA / "360giving" / "trafford_council_voluntary_sector_grants.csv"
GRANTS_JSON = DATA / "360giving" / "trafford_council_voluntary_sector_grants.json"
SPEND = DATA / "transparency-code" / "trafford-supplier-spend-2026-27_first2000rows.csv"
OCDS = DATA / "ocds"
RELEASE_PACKAGE = OCDS / "1.1_ocds-213czf-000-00001.json"
CONTRACTS_FINDER = sorted((OCDS / "uk-contracts-finder-2017").glob("*/*.json"))
REAL_FILES = [GRANTS_CSV, GRANTS_JSON, SPEND, *sorted(OCDS.glob("1.1_*.json")), *CONTRACTS_FINDER]

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data is not beside the clone")


def labelled(store, label: str) -> dict[str, dict]:
    nodes, _ = store.export()
    return {n.key: n.props for n in nodes if n.label == label}


def rels(store, rel_type: str) -> list:
    _, found = store.export()
    return [r for r in found if r.type == rel_type]


def raw_grants() -> list[dict[str, str]]:
    with GRANTS_CSV.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:60])
def test_every_real_file_loads_whole_and_a_second_load_changes_nothing(store, path: Path):
    first = ingest_file(store, path)
    assert first.exit_code == 0 and not first.rejected, first.as_dict()
    assert first.created > 0 or first.unchanged > 0
    before = store.export()
    second = ingest_file(store, path)
    assert (second.created, second.updated, second.rejected, second.exit_code) == (0, 0, [], 0)
    assert second.unchanged > 0
    after = store.export()
    assert [n.model_dump() for n in before[0]] == [n.model_dump() for n in after[0]]
    assert len(before[1]) == len(after[1])


def test_trafford_grants_csv_counts_match_the_raw_file(store):
    rows = raw_grants()
    funders = {r["Funding Org:Identifier"] for r in rows}
    recipients = {r["Recipient Org:Identifier"] for r in rows}
    assert (len(rows), funders, len(recipients)) == (555, {"GB-LAE-TRF"}, 323)  # what the file holds
    report = ingest_file(store, GRANTS_CSV)
    assert report.format == "360giving" and report.exit_code == 0
    grants = labelled(store, "Grant")
    assert len(grants) == len(rows)
    assert {r.start for r in rels(store, "FUNDS")} == funders
    assert len({r.start for r in rels(store, "RECEIVES")}) == len(recipients)
    total = math.fsum(float(r["Amount Awarded"]) for r in rows)
    assert math.isclose(math.fsum(g["amount"] for g in grants.values()), total)


def test_one_charity_under_three_spellings_is_one_golden_record(store):
    ingest_file(store, GRANTS_CSV)
    spellings = {r["Recipient Org:Name"] for r in raw_grants() if r["Recipient Org:Charity Number"] == "1110767"}
    assert spellings == {"G Force", "G- Force", "G-Force"}
    g_force = store.get("GB-CHC-1110767")
    assert set(g_force.props["aliases"]) == spellings
    assert all(any(s.startswith(f"{name} | {GRANTS_CSV.name} | row ") for s in g_force.props["alias_sources"])
               for name in spellings)


def test_a_charitable_company_carries_both_numbers(store):
    ingest_file(store, GRANTS_CSV)
    [row] = {(r["Recipient Org:Identifier"], r["Recipient Org:Charity Number"]) for r in raw_grants()
             if r["Recipient Org:Company Number"] == "07597525"}
    assert row == ("GB-COH-07597525", "1146058")
    centre = store.get("GB-COH-07597525")
    assert set(centre.props["identifiers"]) == {"GB-COH-07597525", "GB-CHC-1146058"}
    assert centre.props["org_type"] == "charity"
    assert ask(store, "partner_search", q="GB-CHC-1146058")[0]["key"] == "GB-COH-07597525"


def test_one_name_with_two_company_numbers_is_kept_apart_for_review(store):
    ingest_file(store, GRANTS_CSV)
    numbers = {r["Recipient Org:Identifier"] for r in raw_grants() if r["Recipient Org:Name"] == "Footlights"}
    assert len(numbers) == 2
    assert all(store.get(n).props["name"] == "Footlights" for n in numbers)
    [match] = [m for m in ask(store, "possible_matches") if {m["start"], m["end"]} == numbers]
    assert match["status"] == "pending" and match["score"] < 1 and "different identifiers" in match["reason"]


def golden_records(store) -> dict[str, tuple]:
    return {k: (p["name"], sorted(p["aliases"]), sorted(p.get("identifiers", [])), p.get("org_type"))
            for k, p in labelled(store, "Organisation").items()}


def test_the_csv_and_json_forms_give_the_same_golden_records(tmp_path):
    from_csv, from_json = EmbeddedStore(tmp_path / "csv"), EmbeddedStore(tmp_path / "json")
    assert ingest_file(from_csv, GRANTS_CSV).exit_code == 0
    assert ingest_file(from_json, GRANTS_JSON).exit_code == 0
    assert golden_records(from_csv) == golden_records(from_json)
    assert labelled(from_csv, "Grant") == labelled(from_json, "Grant")
    assert len(golden_records(from_json)) == 323 + 1  # recipients and the one funder
    def pairs(store):
        return {(m["start"], m["end"], m["reason"]) for m in ask(store, "possible_matches")}

    assert pairs(from_csv) == pairs(from_json)


def test_both_forms_together_add_sources_not_organisations(store):
    ingest_file(store, GRANTS_CSV)
    count = len(labelled(store, "Organisation"))
    report = ingest_file(store, GRANTS_JSON)
    assert report.created == 0 and report.exit_code == 0
    assert len(labelled(store, "Organisation")) == count
    sources = store.get("GB-CHC-1110767").props["alias_sources"]
    assert any(GRANTS_JSON.name in s and "grants[" in s for s in sources)


def raw_spend() -> list[dict[str, str]]:
    with SPEND.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_trafford_spend_payments_totals_and_redactions(store):
    rows = raw_spend()
    redacted = [r for r in rows if r["BeneficiaryName"] == "Redacted"]
    credits = [r for r in rows if float(r["Amount"]) < 0]
    suppliers = {" ".join(r["BeneficiaryName"].replace("\xa0", " ").split()) for r in rows} - {"Redacted"}
    assert (len(rows), len(redacted), len(credits), len(suppliers)) == (2000, 188, 143, 236)
    report = ingest_file(store, SPEND)
    assert report.format == "spend-csv" and report.exit_code == 0
    payments = labelled(store, "Payment")
    assert len(payments) == len(rows)  # identical lines within one transaction stay distinct
    assert math.isclose(math.fsum(p["amount"] for p in payments.values()), math.fsum(float(r["Amount"]) for r in rows))
    assert sum(p["amount"] < 0 for p in payments.values()) == len(credits)
    paid_to = rels(store, "PAID_TO")
    assert len(paid_to) == len(rows) - len(redacted)
    assert len({r.end for r in paid_to}) == len(suppliers)
    assert {r.end for r in rels(store, "PAID_BY")} == {"GB-LAE-TRF"}  # from OrganisationURI, through the register
    assert "Redacted" not in {p["name"] for p in labelled(store, "Organisation").values()}
    sample = next(p for p in payments.values() if p.get("transaction_id") == "5100509851")
    assert sample == {"amount": 742.5, "paid_on": "2026-05-29", "transaction_id": "5100509851",
                      "service_area": "LIFT REPAIRS & MTCE", "expense_type": "FACILITIES MGT : Lifts"}


def test_a_non_breaking_space_does_not_make_a_second_supplier(store):
    ingest_file(store, SPEND)
    names = {r["BeneficiaryName"] for r in raw_spend() if r["BeneficiaryName"].startswith("LifeCentre Events")}
    assert names == {"LifeCentre Events Ltd\xa0"}
    [found] = ask(store, "partner_search", q="lifecentre events")
    assert found["name"] == "LifeCentre Events Ltd"


def test_grants_then_spend_meet_the_same_council_as_one_organisation(store):
    """The grants name Trafford by GB-LAE-TRF; the spend file's OrganisationURI names it too, so one record."""
    ingest_file(store, GRANTS_CSV)
    ingest_file(store, SPEND)
    trafford = store.get("GB-LAE-TRF").props
    assert {"Trafford Council", "Trafford Metropolitan Borough Council"} <= set(trafford["aliases"])
    assert store.get("org:trafford-council") is None


def test_ocds_release_package_merges_six_releases_into_one_contracting_process(store):
    releases = json.loads(RELEASE_PACKAGE.read_text())["releases"]
    assert len(releases) == 6 and len({r["ocid"] for r in releases}) == 1
    ingest_file(store, RELEASE_PACKAGE)
    contracts = labelled(store, "Contract")
    award = releases[-1]["awards"][0]["id"]
    assert list(contracts) == [f"contract:ocds-213czf-000-00001/{award}"]
    latest = releases[-1]["contracts"][0]
    assert contracts[f"contract:ocds-213czf-000-00001/{award}"] == {
        "title": latest["title"], "ocid": "ocds-213czf-000-00001", "value": float(latest["value"]["amount"]),
        "currency": "GBP", "start_date": "2010-07-01", "end_date": "2011-06-30", "status": "active",
        "procurement_method": "open", "supplier_count": 1, "value_share": float(latest["value"]["amount"])}
    assert list(labelled(store, "Tender")) == ["tender:ocds-213czf-000-00001"]  # the notice, beside the contract
    buys = {(r.start, r.end.split(":")[0]) for r in rels(store, "BUYS")}
    # 'London Borough of Barnet', by the register; its GB-LAC id kept as published
    assert buys == {("GB-LAE-BNE", "contract"), ("GB-LAE-BNE", "tender")}
    assert store.get("GB-LAE-BNE").props["identifiers"] == ["GB-LAE-BNE", "GB-LAC-E09000003"]
    supplies = {r.start: r for r in rels(store, "SUPPLIES")}
    assert set(supplies) == {"GB-COH-11111111"}  # '11111111.0' in the file
    assert supplies["GB-COH-11111111"].props == {"role": "supplier"}  # the term is the contract's
    assert {r.start for r in rels(store, "TENDERED_FOR")} == {"GB-COH-11111111", "GB-COH-22222222"}
    anycorp = store.get("GB-COH-11111111").props
    assert set(anycorp["aliases"]) == {"AnyCorp Cycle Provision", "AnyCorp Ltd"} and anycorp["postal_code"] == "AA1 1AA"
    payments = labelled(store, "Payment")
    expected = [t["value"]["amount"] for t in latest["implementation"]["transactions"]]
    assert sorted(p["amount"] for p in payments.values()) == sorted(float(a) for a in expected)
    assert {r.end for r in rels(store, "PAID_UNDER")} == {f"contract:ocds-213czf-000-00001/{award}"}
    assert {r.end for r in rels(store, "PAID_TO")} == {"GB-COH-11111111"}


def test_release_order_in_the_file_does_not_change_the_process(store, tmp_path):
    package = json.loads(RELEASE_PACKAGE.read_text())
    package["releases"].reverse()
    shuffled = tmp_path / "reversed.json"
    shuffled.write_text(json.dumps(package))
    ingest_file(store, shuffled)
    other = EmbeddedStore(tmp_path / "in-order")
    ingest_file(other, RELEASE_PACKAGE)
    assert labelled(store, "Contract") == labelled(other, "Contract")


def test_record_package_gives_the_same_process_as_the_releases(tmp_path):
    from_releases, from_record = EmbeddedStore(tmp_path / "a"), EmbeddedStore(tmp_path / "b")
    ingest_file(from_releases, RELEASE_PACKAGE)
    ingest_file(from_record, OCDS / "1.1_record_ocds-213czf-000-00001.json")
    assert labelled(from_releases, "Contract") == labelled(from_record, "Contract")
    assert set(labelled(from_record, "Organisation")) == set(labelled(from_releases, "Organisation"))


def test_contracts_finder_bare_files_one_tender_each_and_wrong_buyer_names_kept_apart(store):
    ocids = set()
    for path in CONTRACTS_FINDER:
        data = json.loads(path.read_text())
        ocids.add(data.get("ocid") or data["compiledRelease"]["ocid"])
        assert ingest_file(store, path).exit_code == 0
    assert set(labelled(store, "Tender")) == {f"tender:{o}" for o in ocids}
    assert labelled(store, "Contract") == {}  # tender notices only: no award, no supplier
    orgs = labelled(store, "Organisation")
    spend_network = {k: p for k, p in orgs.items() if p["name"] == "Spend Network"}
    assert len({p["postal_code"] for p in spend_network.values()}) == len(spend_network) > 1
    reasons = [m["reason"] for m in ask(store, "possible_matches")]
    assert any("same postcode" in r for r in reasons)


def test_org_id_lists_match_the_register_summary():
    with (DATA / "org-id" / "org-id_gb_xi_summary.csv").open(encoding="utf-8", newline="") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    assert set(ORG_ID_LISTS) == codes
    assert Counter(ORG_ID_LISTS).most_common(1)[0][1] == 1


def test_ocds_package_and_trafford_grants_on_both_backends(any_store):
    """The same reader and resolver on Neo4j: the same contracting process and golden records, twice."""
    for path in (RELEASE_PACKAGE, GRANTS_CSV):
        assert ingest_file(any_store, path).exit_code == 0
        again = ingest_file(any_store, path)
        assert (again.created, again.updated, again.exit_code) == (0, 0, 0)
    contract = any_store.get("contract:ocds-213czf-000-00001/ocds-213czf-000-00001-award-01").props
    assert (contract["value"], contract["start_date"], contract["status"]) == (11000000.0, "2010-07-01", "active")
    assert set(any_store.get("GB-CHC-1110767").props["aliases"]) == {"G Force", "G- Force", "G-Force"}
    assert any_store.stats()["labels"]["Grant"] == 555


def test_the_councils_strategy_is_detected_as_a_policy_document():
    from graph_service.ingest.detect import detect_format

    strategy = SHARED / "sources" / "new-normal-strategy-2019-2024.txt"
    opening = strategy.read_text(encoding="utf-8")[:4000]
    assert "Sponsoring Officer" in opening
    assert detect_format(strategy) == "policy-document"

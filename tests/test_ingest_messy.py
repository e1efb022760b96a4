"""Small files mimicking each messy case in shared/data/README.md, and the identity rules."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graph_service.ingest import ingest_file
from graph_service.ingest.csvutil import parse_amount, parse_date
from graph_service.ingest.detect import detect_format
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.ingest.names import normalise_name
from graph_service.records import Batch, NodeRecord, Provenance
from graph_service.queries import ask

SPEND_HEADER = "Organisation Name,Service Area,Expenses Type,Payment Date,Transaction Number,Amount (£),Supplier Name"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def orgs(store) -> dict[str, dict]:
    nodes, _ = store.export()
    return {n.key: n.props for n in nodes if n.label == "Organisation"}


def payments(store) -> list[dict]:
    nodes, _ = store.export()
    return sorted((n.props for n in nodes if n.label == "Payment"), key=lambda p: p["amount"])


# -- identifiers and names -------------------------------------------------------------------------
@pytest.mark.parametrize("scheme,value,expected", [
    ("GB-COH", "4142000", "GB-COH-04142000"),          # leading zeros lost in a spreadsheet
    ("GB-COH", "11111111.0", "GB-COH-11111111"),       # float artefact
    ("GB-COH", "sc123456", "GB-COH-SC123456"),
    (None, "GB-COH-1234567", "GB-COH-01234567"),
    ("GB-CHC", "0512710", "GB-CHC-512710"),
    ("", "GB-CHC-1110767", "GB-CHC-1110767"),
    ("GB-LAE", "trf", "GB-LAE-TRF"),
    ("GB-NHS", "rax", "GB-NHS-RAX"),
    ("GB-LAC", "E09000003", "GB-LAC-E09000003"),       # not an org-id list: as given
    ("GB-CFS", "ABC-123", "GB-CFS-ABC-123"),
    (None, "360G-trafford-be_active", "360G-trafford-be_active"),
    ("", "", None),
    ("GB-COH", "  ", None),
])
def test_identifiers_are_normalised_to_org_id_form(scheme, value, expected):
    assert normalise_identifier(scheme, value) == expected


@pytest.mark.parametrize("a,b", [
    ("HC-One Ltd", "HC-One Limited"), ("L&amp;Q", "L and Q"), ("Guy&#039;s and St Thomas'", "Guys & St Thomas"),
    ("The Friends of Walkden Gardens", "Friends Of Walkden Gardens"), ("  LifeCentre Events Ltd\xa0", "lifecentre events ltd"),
    ("G- Force", "G Force"),
])
def test_names_that_are_one_name(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_names_that_are_not_one_name():
    assert normalise_name("Acme Ltd") != normalise_name("Acme Trading Ltd")


@pytest.mark.parametrize("text,expected", [
    ("06/06/2023", dt.date(2023, 6, 6)), ("06/06/23", dt.date(2023, 6, 6)), ("06-Jun-23", dt.date(2023, 6, 6)),
    ("6 Jun 2023", dt.date(2023, 6, 6)), ("2023-06-06", dt.date(2023, 6, 6)), ("2023-06-06T00:00:00Z", dt.date(2023, 6, 6)),
    ("6 June 2023", dt.date(2023, 6, 6)), ("", None), ("NA", None),
])
def test_dates_councils_write(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("1,708.75", 1708.75), ("£1,708.75", 1708.75), ("-203.01", -203.01), ("(203.01)", -203.01), ("203.01 CR", -203.01),
    ("Redacted", None), ("NA", None), ("", None), ("\xa31,000", 1000.0),
])
def test_amounts_councils_write(text, expected):
    assert parse_amount(text) == expected


def test_a_value_that_is_no_date_or_amount_is_an_error():
    with pytest.raises(ValueError):
        parse_date("31/13/2023")
    with pytest.raises(ValueError):
        parse_amount("twelve pounds")


# -- spend CSVs --------------------------------------------------------------------------------------
ROWS = ["Dacorum Borough Council,Waste,Vehicle hire,06/06/2023,T1,\"1,708.75\",Acme Ltd",
        "Dacorum Borough Council,Waste,Vehicle hire,06-Jun-23,T2,-203.01,ACME LIMITED",
        "Dacorum Borough Council,Housing,Repairs,6 Jun 2023,T3,900,Redacted",
        "Dacorum Borough Council,Housing,Repairs,2023-06-07,T4,NA,Acme Ltd"]


@pytest.mark.parametrize("encoding,newline,prefix", [
    ("utf-8", "\n", ""), ("utf-8-sig", "\r\n", ""), ("cp1252", "\r\n", ""), ("cp1252", "\r", ""),
    ("utf-8", "\n", "\n\n"), ("utf-8", "\n", "Dacorum spending over £500, June 2023\n\n"),
], ids=["utf8", "utf8-bom-crlf", "windows-1252", "bare-cr", "blank-first-lines", "title-line"])
def test_spend_file_variants_give_the_same_payments(store, tmp_path, encoding, newline, prefix):
    path = write(tmp_path, "spend.csv", prefix + "\n".join([SPEND_HEADER, *ROWS]) + "\n", encoding, newline)
    assert detect_format(path) == "spend-csv"
    report = ingest_file(store, path)
    assert report.exit_code == 3  # the 'NA' amount is rejected, the rest stored
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == (f"row {prefix.count(chr(10)) + 5}", "amount")
    assert [(p["amount"], p["paid_on"]) for p in payments(store)] == [(-203.01, "2023-06-06"), (900.0, "2023-06-06"),
                                                                       (1708.75, "2023-06-06")]
    acme = [p for p in orgs(store).values() if p["name"] == "Acme Ltd"]
    assert len(acme) == 1 and set(acme[0]["aliases"]) == {"Acme Ltd", "ACME LIMITED"}
    assert "Redacted" not in {p["name"] for p in orgs(store).values()}


def test_other_header_names_order_and_empty_columns(store, tmp_path):
    text = ("Supplier,,Net Amount,Date Paid,Body Name,Service Division,,\n"
            "Acme Ltd,,500.00,01/04/2024,Dacorum Borough Council,Parks,,\n")
    path = write(tmp_path, "april.csv", text)
    report = ingest_file(store, path)
    assert report.exit_code == 0 and report.format == "spend-csv"
    [payment] = payments(store)
    assert payment == {"amount": 500.0, "paid_on": "2024-04-01", "service_area": "Parks"}


def test_a_pound_sign_in_some_other_byte_still_names_the_amount_column(store, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Body,Supplier Name,Amount (\x9c),Payment Date\r\nDacorum Borough Council,Acme Ltd,12.50,01/04/2024\r\n")
    assert ingest_file(store, path).exit_code == 0
    assert payments(store)[0]["amount"] == 12.5


def test_spend_file_without_a_header_row(store, tmp_path):
    rows = ["Dacorum Borough Council,Waste,01/04/2024,T1,1708.75,Acme Ltd",
            "Dacorum Borough Council,Waste,02/04/2024,T2,22.10,Bravo Services Limited",
            "Dacorum Borough Council,Parks,03/04/2024,T3,-5.00,Acme Ltd"]
    path = write(tmp_path, "noheader.csv", "\n".join(rows) + "\n")
    assert detect_format(path) == "spend-csv"
    report = ingest_file(store, path)
    assert report.exit_code == 0 and report.items == 3
    assert [p["amount"] for p in payments(store)] == [-5.0, 22.1, 1708.75]
    assert {p["name"] for p in orgs(store).values()} == {"Dacorum Borough Council", "Acme Ltd", "Bravo Services Limited"}


def test_a_spend_file_that_names_no_publisher_is_refused_even_by_a_loaded_store(store, tmp_path):
    """Never an assumed home council: a store holding its council still asks who published the file."""
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="GB-LAE-DAC", provenance=Provenance(source="t"),
                                         props={"name": "Dacorum Borough Council", "is_council": True})]))
    before = store.stats()
    path = write(tmp_path, "spend.csv", "Supplier Name,Amount,Payment Date\nAcme Ltd,10.00,01/04/2024\n")
    report = ingest_file(store, path)
    assert report.exit_code == 2 and "--publisher ORG-ID" in report.error and "publisher" in report.error
    assert store.stats() == before


def test_the_caller_names_the_publisher(store, tmp_path):
    path = write(tmp_path, "spend.csv", "Supplier Name,Amount,Payment Date\nAcme Ltd,10.00,01/04/2024\n")
    assert ingest_file(store, path, publisher="GB-LAE-DAC").exit_code == 0
    _, found = store.export()
    assert [r.end for r in found if r.type == "PAID_BY"] == ["GB-LAE-DAC"]
    assert store.get("GB-LAE-DAC").props["name"] == "Dacorum Borough Council"  # from the local-authority register


def test_without_a_publisher_nothing_is_stored(store, tmp_path):
    path = write(tmp_path, "spend.csv", "Supplier Name,Amount,Payment Date\nAcme Ltd,10.00,01/04/2024\n")
    report = ingest_file(store, path)
    assert report.exit_code == 2 and "does not say which body published it" in report.error
    assert store.stats()["nodes"] == 0


def test_html_entities_cut_names_and_leading_spaces(store, tmp_path):
    text = (f"{SPEND_HEADER}\n"
            "Dacorum Borough Council,Housing,Repairs,01/04/2024,T1,10.00,L&amp;Q\n"
            "Dacorum Borough Council,Housing,Repairs,01/04/2024,T2,11.00,   L&Q\n"
            "Dacorum Borough Council,Housing,Repairs,01/04/2024,T3,12.00,Arboricultural Services Treework Lt\n"
            "Dacorum Borough Council,Housing,Repairs,01/04/2024,T4,13.00,Arboricultural Services Treework Ltd\n")
    ingest_file(store, write(tmp_path, "entities.csv", text))
    names = sorted(p["name"] for p in orgs(store).values())
    assert names.count("L&Q") == 1 and "L&amp;Q" not in names
    [cut] = [m for m in ask(store, "possible_matches") if "Treework" in m["start_name"]]
    assert cut["status"] == "pending" and "cut short" in cut["reason"]


def test_redacted_or_missing_amounts_are_rejected_with_row_and_field(store, tmp_path):
    text = f"{SPEND_HEADER}\nDacorum Borough Council,Waste,Hire,31/02/2024,T1,10.00,Acme Ltd\n" \
           "Dacorum Borough Council,Waste,Hire,01/02/2024,T2,Redacted,Acme Ltd\n"
    report = ingest_file(store, write(tmp_path, "bad.csv", text))
    assert report.exit_code == 3 and report.created == 0
    assert [(r.locator, r.field) for r in report.rejected] == [("row 2", "paid_on"), ("row 3", "amount")]
    assert "not a date" in report.rejected[0].reason


# -- identity across store and file -------------------------------------------------------------------
def seed_two_footlights(store) -> None:
    prov = Provenance(source="seed")
    store.upsert(Batch(nodes=[
        NodeRecord(label="Organisation", key="GB-COH-06447020", props={"name": "Footlights", "identifiers": ["GB-COH-06447020"]},
                   provenance=prov),
        NodeRecord(label="Organisation", key="GB-COH-07363900", props={"name": "Footlights", "identifiers": ["GB-COH-07363900"]},
                   provenance=prov)]))


def test_a_name_only_record_matching_several_organisations_is_kept_apart(store, tmp_path):
    seed_two_footlights(store)
    path = write(tmp_path, "spend.csv", f"{SPEND_HEADER}\nDacorum Borough Council,Arts,Grant,01/04/2024,T1,50.00,FOOTLIGHTS\n")
    assert ingest_file(store, path).exit_code == 0
    assert orgs(store)["org:footlights"]["aliases"] == ["FOOTLIGHTS"]
    pending = {(m["start"], m["end"]) for m in ask(store, "possible_matches")}
    assert pending == {("org:footlights", "GB-COH-06447020"), ("org:footlights", "GB-COH-07363900")}
    again = ingest_file(store, path)
    assert (again.created, again.updated) == (0, 0)


def test_a_name_only_record_matching_one_organisation_merges(store, tmp_path):
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="GB-COH-04142000", provenance=Provenance(source="seed"),
                                         props={"name": "HC-One Limited", "identifiers": ["GB-COH-04142000"]})]))
    text = (f"{SPEND_HEADER}\nDacorum Borough Council,Care,Fees,01/04/2024,T1,50.00,HC-One Ltd\n")
    ingest_file(store, write(tmp_path, "spend.csv", text))
    hc_one = store.get("GB-COH-04142000").props
    assert hc_one["name"] == "HC-One Limited" and "HC-One Ltd" in hc_one["aliases"]
    assert hc_one["alias_sources"] == ["HC-One Ltd | spend.csv | row 2"]


def test_company_number_without_leading_zero_meets_its_record(store, tmp_path):
    text = ("Title of Agreement,Supplier Name,Supplier Company Registration Number,Start Date,End Date,Total Contract Value\n"
            "Care at home,HC-One Ltd,4142000,01-Apr-23,31-Mar-26,\"1,250,000\"\n")
    path = write(tmp_path, "contracts.csv", text)
    assert detect_format(path) == "contracts-csv"
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="GB-LAE-DAC", provenance=Provenance(source="seed"),
                                         props={"name": "Dacorum Borough Council", "is_council": True})]))
    report = ingest_file(store, path, publisher="GB-LAE-DAC")  # the register names no buyer
    assert report.exit_code == 0
    assert store.get("GB-COH-04142000").props["identifiers"] == ["GB-COH-04142000"]
    nodes, found = store.export()
    [contract] = [n for n in nodes if n.label == "Contract"]
    assert contract.props == {"title": "Care at home", "value": 1250000.0, "currency": "GBP",
                              "start_date": "2023-04-01", "end_date": "2026-03-31"}
    assert {(r.type, r.start, r.props["valid_to"]) for r in found} == {
        ("BUYS", "GB-LAE-DAC", "2026-03-31"), ("SUPPLIES", "GB-COH-04142000", "2026-03-31")}


def test_contracts_register_rejects_a_contract_ending_before_it_starts(store, tmp_path):
    text = ("Organisation Name,Reference,Title,Supplier Name,Start Date,End Date\n"
            "Dacorum Borough Council,C1,Grounds,Acme Ltd,01/04/2024,31/03/2023\n"
            "Dacorum Borough Council,C2,Cleaning,Bravo Ltd,01/04/2024,31/03/2025\n")
    report = ingest_file(store, write(tmp_path, "register.csv", text))
    assert report.exit_code == 3
    [rejected] = report.rejected
    assert rejected.locator == "row 2" and rejected.field == "valid_to" and "before it starts" in rejected.reason
    assert store.get("contract:dacorum-borough-council/c2").props["title"] == "Cleaning"


# -- OCDS shapes ---------------------------------------------------------------------------------------
def release(ocid: str, date: str, **extra) -> dict:
    return {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": ["contract"], **extra}


def test_json_lines_of_releases(store, tmp_path):
    buyer = {"id": "org-1", "name": "Dacorum Borough Council", "roles": ["buyer"],
             "identifier": {"scheme": "GB-LAE", "id": "dac"}}
    lines = [release("ocds-h6vhtk-0001", "2024-01-01T00:00:00Z", parties=[buyer], tender={"title": "Waste"}),
             release("ocds-h6vhtk-0001", "2024-03-01T00:00:00Z",
                     contracts=[{"id": "c1", "title": "Waste collection", "period": {"startDate": "2024-04-01T00:00:00Z"}}])]
    path = write(tmp_path, "releases.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n")
    assert detect_format(path) == "ocds"
    assert ingest_file(store, path).exit_code == 0
    assert store.get("contract:ocds-h6vhtk-0001/c1").props["title"] == "Waste collection"
    assert store.get("tender:ocds-h6vhtk-0001").props == {"title": "Waste", "ocid": "ocds-h6vhtk-0001", "stage": "contract"}
    assert store.get("GB-LAE-DAC").props["name"] == "Dacorum Borough Council"


def kpi_release(classification: str) -> dict:
    observation = {"id": "1", "period": {"startDate": "2025-01-01T00:00:00Z", "endDate": "2025-03-31T23:59:59Z"},
                   "measureClassification": {"id": classification, "scheme": "UK"}, "notes": "Quarter 4"}
    return release("ocds-h6vhtk-0002", "2025-04-10T00:00:00Z", tag=["contractImplementation"],
                   contracts=[{"id": "c1", "title": "Housing repairs", "implementation": {
                       "metrics": [{"id": "kpi-1", "title": "Repairs on time", "observations": [observation]}]}}])


@pytest.mark.parametrize("classification,rating", [("met", "Good"), ("slightlyBelow", "Approaching target"),
                                                   ("below", "Requires improvement"), ("significantlyBelow", "Inadequate"),
                                                   ("other", "Other")])
def test_procurement_act_kpi_ratings(store, tmp_path, classification, rating):
    path = write(tmp_path, "kpi.json", json.dumps({"uri": "x", "releases": [kpi_release(classification)]}))
    assert ingest_file(store, path).exit_code == 0
    kpi = store.get("kpi:ocds-h6vhtk-0002/c1/kpi-1/1")
    assert kpi.props == {"kpi": "Repairs on time", "rating": rating, "period_end": "2025-03-31", "note": "Quarter 4"}
    assert [r.type for r, _ in store.neighbours(kpi.key)] == ["RATED"]


def test_an_unknown_kpi_rating_is_rejected_with_its_json_path(store, tmp_path):
    path = write(tmp_path, "kpi.json", json.dumps({"uri": "x", "releases": [kpi_release("excellent")]}))
    report = ingest_file(store, path)
    assert report.exit_code == 3
    [rejected] = report.rejected
    assert rejected.locator == "releases[0].contracts[0].implementation.metrics[0].observations[0]"
    assert rejected.field == "measureClassification.id"


def test_a_process_with_two_awards_keys_each_contract_by_its_award(store, tmp_path):
    package = {"uri": "x", "releases": [release(
        "ocds-b5fd17-9", "2024-01-01T00:00:00Z",
        parties=[{"id": "p1", "name": "Acme Ltd", "roles": ["supplier"], "identifier": {"scheme": "GB-COH", "id": "123"}},
                 {"id": "p2", "name": "Bravo Ltd", "roles": ["supplier"], "identifier": {"scheme": "GB-COH", "id": "456"}}],
        awards=[{"id": "a1", "suppliers": [{"id": "p1"}]}, {"id": "a2", "suppliers": [{"id": "p2"}]}],
        contracts=[{"id": "c1", "awardID": "a1", "title": "Lot 1"}, {"id": "c2", "awardID": "a2", "title": "Lot 2"}])]}
    ingest_file(store, write(tmp_path, "lots.json", json.dumps(package)))
    _, found = store.export()
    assert {(r.start, r.end) for r in found if r.type == "SUPPLIES"} == {
        ("GB-COH-00000123", "contract:ocds-b5fd17-9/a1"), ("GB-COH-00000456", "contract:ocds-b5fd17-9/a2")}
    assert store.get("contract:ocds-b5fd17-9/a2").props["title"] == "Lot 2"


@pytest.mark.parametrize("content,name", [
    (b'{"releases": [{"ocid": "x", "date": "2024', "truncated.json"),
    (b"\x00\x01\x02binary\x00", "blob.csv"),
    (b"just some words\nand more words\n", "notes.csv"),
    (b'{"hello": "world"}', "other.json"),
])
def test_unreadable_files_store_nothing_and_exit_2(store, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    report = ingest_file(store, path)
    assert report.exit_code == 2 and report.error
    assert store.stats()["nodes"] == 0


def test_a_release_without_an_ocid_is_rejected(store, tmp_path):
    package = {"uri": "x", "releases": [{"id": "r1", "date": "2024-01-01", "tag": ["tender"], "tender": {"title": "T"}}]}
    report = ingest_file(store, write(tmp_path, "no-ocid.json", json.dumps(package)))
    assert [(r.locator, r.field) for r in report.rejected] == [("releases[0]", "ocid")]


def test_360giving_csv_in_windows_1252_with_flattened_json_paths(store, tmp_path):
    text = ("id,title,amountAwarded,currency,awardDate,recipientOrganization/0/id,recipientOrganization/0/name,"
            "recipientOrganization/0/companyNumber,fundingOrganization/0/id,fundingOrganization/0/name\n"
            "360G-dbc-1,Café grant,\"1,500\",GBP,06/06/2023,360G-dbc-cafe,Café Club,4142000,GB-LAE-DAC,Dacorum Borough Council\n")
    path = write(tmp_path, "grants.csv", text, "cp1252")
    assert detect_format(path) == "360giving"
    assert ingest_file(store, path).exit_code == 0
    grant = store.get("grant:360G-dbc-1").props
    assert grant == {"title": "Café grant", "amount": 1500.0, "currency": "GBP", "award_date": "2023-06-06"}
    assert set(store.get("360G-dbc-cafe").props["identifiers"]) == {"360G-dbc-cafe", "GB-COH-04142000"}


def test_policy_documents_are_detected_by_their_ownership_table(tmp_path):
    path = write(tmp_path, "policy.txt", "Housing Allocations Policy\n\nSponsoring Officer: Chief Executive\n")
    assert detect_format(path) == "policy-document"
    assert detect_format(write(tmp_path, "register.yaml", "nodes: []\n")) == "register"

"""Golden records: one node per real organisation, on real files and on small synthetic ones.

The synthetic spend files here are labelled as such; each real file's expectations are
counted from the raw file with the csv module, not the product's readers.
"""
from __future__ import annotations

import collections
import csv
import json
from pathlib import Path

import pytest
import yaml

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.ingest import ingest_file
from graph_service.ingest.identifiers import company_number_problem, identifier_problem, normalise_identifier
from graph_service.ingest.names import council_identifier, legal_forms, normalise_name, strip_qualifiers
from graph_service.ingest.pipeline import Item
from graph_service.ingest.resolver import Resolver, backfill_match_keys, org_node
from graph_service.records import Node, Provenance
from tests.conftest import SHARED
from graph_service.queries import ask

BOLTON = SHARED / "data" / "real" / "spend" / "derived-nwod-gmca" / "bolton_2019.csv"
TRAFFORD_GRANTS = SHARED / "data" / "360giving" / "trafford_council_voluntary_sector_grants.csv"
OXFORD_GRANTS = (SHARED / "data" / "real" / "360giving" / "local-authority" / "oxford-city-council"
                 / "oxford-city-council-grants-awarded-214-15-to-2017-18.csv")
LEGAL_FORMS = Path(__file__).resolve().parents[1] / "graph_service" / "ingest" / "data" / "legal_forms.yaml"
SPEND_HEADER = "Organisation Name,Supplier Name,Company Number,Amount,Payment Date"


def spend(tmp_path: Path, name: str, *suppliers: tuple[str, str]) -> Path:
    """A synthetic spend file from Dacorum: one 10.00 payment per (supplier, company number)."""
    path = tmp_path / name
    lines = [SPEND_HEADER, *(f'Dacorum Borough Council,"{s}",{number},10.00,01/04/2024' for s, number in suppliers)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def organisations(store) -> dict[str, dict]:
    nodes, _ = store.export()
    return {n.key: n.props for n in nodes if n.label == "Organisation"}


def paid_to(store) -> collections.Counter:
    _, rels = store.export()
    return collections.Counter(r.end for r in rels if r.type == "PAID_TO")


# -- names -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("Smith & Jones Limited Liability Partnership", "SMITH AND JONES LLP"), ("Smith & Jones L.L.P.", "Smith & Jones LLP"),
    ("Dacorum Heritage Community Interest Company", "Dacorum Heritage CIC"), ("Acme Public Limited Company", "ACME PLC"),
    ("HC-One Ltd", "HC-One Limited"), ("Age Concern Charitable Incorporated Organisation", "Age Concern CIO"),
    ("Cwmni Cyf", "Cwmni Limited"), ("TÜV SÜD Ltd", "TUV SUD Limited"), ("G- Force", "G-Force"), ("G Force", "G-Force"),
])
def test_one_name_however_its_legal_form_and_punctuation_are_written(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize("a,b", [("Acme Ltd", "Acme LLP"), ("Acme Ltd", "Acme Trading Ltd"), ("Acme CIC", "Acme CIO")])
def test_different_legal_forms_and_words_stay_different(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_every_spelling_in_the_legal_forms_table_becomes_its_form():
    table = yaml.safe_load(LEGAL_FORMS.read_text(encoding="utf-8"))
    assert {"ltd", "plc", "llp", "cic", "cio"} <= set(table)
    for form, spellings in table.items():
        for spelling in spellings:
            assert normalise_name(f"Acme {spelling}") == f"acme {form}", spelling
    assert legal_forms() == {spelling: form for form, spellings in table.items() for spelling in spellings}


@pytest.mark.parametrize("published,meant", [
    ("British Gas A/C 1234", "British Gas"), ("EDF Energy - account 99", "EDF Energy"),
    ("British Gas Acc No. 8812/33", "British Gas"), ("Kent County Council (Direct Debit Payments)", "Kent County Council"),
    ("Ministry of Justice SW1H 9AJ", "Ministry of Justice"), ("Ministry of Justice, (NG2 1AR)", "Ministry of Justice"),
    ("Accountancy Services Ltd", "Accountancy Services Ltd"), ("A/C 1234", "A/C 1234"),
])
def test_account_lines_payment_methods_and_postcodes_are_not_part_of_a_name(published, meant):
    assert strip_qualifiers(published) == meant


@pytest.mark.parametrize("name,code", [
    ("Hertfordshire County Council - Pensions", "GB-LAE-HRT"), ("Hertfordshire County Council SG13 8DQ", "GB-LAE-HRT"),
    ("Borough of Broxbourne", "GB-LAE-BRX"), ("Broxbourne Borough Council", "GB-LAE-BRX"),
    ("Kent County Council (Direct Debit Payments)", "GB-LAE-KEN"), ("Leeds City Council, Highways", "GB-LAE-LDS"),
    ("Bolton", None), ("Dacorum Council for Voluntary Service", None), ("Tring Town Council", None),
])
def test_council_names_in_any_form_carry_their_register_code(name, code):
    assert council_identifier(name) == code


# -- identifiers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("number", ["04142000", "SC123456", "OC303675", "NI012345", "R0000123", "IP29746R", "IP00723C", "LP001234",
                                    "FC012345", "CE001234"])
def test_real_company_numbers_are_accepted(number):
    assert company_number_problem(number) is None


@pytest.mark.parametrize("number", ["123456789", "00000000", "XY123456", "SC12345A", "4142000", "ABCDEFGH"])
def test_impossible_company_numbers_are_refused(number):
    assert "is not a company number" in company_number_problem(number)


def test_normalising_pads_a_short_number_and_leaves_a_long_one_for_validation():
    assert identifier_problem(normalise_identifier("GB-COH", "4142000")) is None
    assert identifier_problem(normalise_identifier("GB-COH", "123456789")) is not None
    assert identifier_problem("GB-CHC-1110767") is None and identifier_problem("GB-CHC-CQC-1-102642841") is not None
    assert identifier_problem("360G-trafford-be_active") is None  # a scheme with no known numbering: as given


def test_a_nine_digit_company_number_is_refused_and_its_row_kept_by_name(any_store, tmp_path):
    path = spend(tmp_path, "spend.csv", ("Acme Ltd", "123456789"), ("Bravo Ltd", "4142000"))
    report = ingest_file(any_store, path)
    assert report.exit_code == 3
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("row 2", "identifiers")
    assert "GB-COH-123456789" in rejected.reason and "'Acme Ltd'" in rejected.reason
    assert paid_to(any_store) == {"org:acme-ltd": 1, "GB-COH-04142000": 1}
    assert "identifiers" not in organisations(any_store)["org:acme-ltd"]


# -- golden records across files -----------------------------------------------------------------------
@pytest.mark.parametrize("identified_first", [True, False], ids=["identified-first", "name-only-first"])
def test_one_identified_copy_makes_one_record_of_an_exact_name(any_store, tmp_path, identified_first):
    """Deloitte was 3 nodes: the same name published with and without its company number."""
    with_number = spend(tmp_path, "contracts.csv", ("Deloitte LLP", "OC303675"))
    without = spend(tmp_path, "spend.csv", ("DELOITTE LLP", ""), ("Deloitte Limited Liability Partnership", ""))
    for path in (with_number, without) if identified_first else (without, with_number):
        assert ingest_file(any_store, path).exit_code == 0
    deloitte = [(k, p) for k, p in organisations(any_store).items() if "deloitte" in p["name"].lower()]
    assert len(deloitte) == 1
    key, props = deloitte[0]
    assert props["identifiers"] == ["GB-COH-OC303675"] and paid_to(any_store)[key] == 3
    assert {"Deloitte LLP", "DELOITTE LLP", "Deloitte Limited Liability Partnership"} <= set(props["aliases"])
    [profile] = ask(any_store, "partner_profile", key="GB-COH-OC303675")  # found by its number, whatever its key
    assert profile["key"] == key
    again = ingest_file(any_store, without)
    assert (again.created, again.updated) == (0, 0)


def test_a_name_two_identified_organisations_share_is_not_merged(any_store, tmp_path):
    ingest_file(any_store, spend(tmp_path, "a.csv", ("Footlights", "6447020"), ("Footlights", "7363900")))
    ingest_file(any_store, spend(tmp_path, "b.csv", ("FOOTLIGHTS", "")))
    assert set(paid_to(any_store)) == {"GB-COH-06447020", "GB-COH-07363900", "org:footlights"}
    pending = {frozenset((m["start"], m["end"])) for m in ask(any_store, "possible_matches")}
    assert frozenset(("org:footlights", "GB-COH-06447020")) in pending


def test_councils_under_suffixes_and_other_forms_are_one_record_each(any_store, tmp_path):
    path = spend(tmp_path, "spend.csv", ("Hertfordshire County Council - Pensions", ""),
                 ("Hertfordshire County Council SG13 8DQ", ""), ("HERTFORDSHIRE COUNTY COUNCIL", ""),
                 ("Borough of Broxbourne", ""), ("Broxbourne Borough Council", ""),
                 ("Kent County Council (Direct Debit Payments)", ""))
    assert ingest_file(any_store, path).exit_code == 0
    assert paid_to(any_store) == {"GB-LAE-HRT": 3, "GB-LAE-BRX": 2, "GB-LAE-KEN": 1}
    herts = organisations(any_store)["GB-LAE-HRT"]
    assert herts["name"] == "Hertfordshire County Council" and herts["org_type"] == "local authority"
    assert "Hertfordshire County Council - Pensions" in herts["aliases"]


def test_utility_account_lines_and_postcode_suffixes_resolve_to_the_body(any_store, tmp_path):
    path = spend(tmp_path, "spend.csv", ("British Gas A/C 1234", ""), ("British Gas A/C 5678", ""),
                 ("EDF Energy - account 99", ""), ("EDF ENERGY", ""),
                 *((f"Ministry of Justice {pc}", "") for pc in ("SW1H 9AJ", "(SW1H 9AJ)", "NG2 1AR", "- LS1 4AP")),
                 ("MINISTRY OF JUSTICE", ""))
    assert ingest_file(any_store, path).exit_code == 0
    assert paid_to(any_store) == {"org:british-gas": 2, "org:edf-energy": 2, "org:ministry-of-justice": 5}
    assert organisations(any_store)["org:british-gas"]["name"] == "British Gas"


def test_keys_are_transliterated(any_store, tmp_path):
    ingest_file(any_store, spend(tmp_path, "spend.csv", ("TÜV SÜD", ""), ("Société Générale", "")))
    assert set(paid_to(any_store)) == {"org:tuv-sud", "org:societe-generale"}
    assert organisations(any_store)["org:tuv-sud"]["name"] == "TÜV SÜD"


# -- blocking ------------------------------------------------------------------------------------------
def test_near_names_are_looked_for_only_among_names_sharing_a_word(store, tmp_path):
    resolver = Resolver(store)
    items = [Item(f"row {i}", Provenance(source="synthetic"), nodes=[org_node("t", name)]) for i, name in enumerate(
        ["Arboricultural Services Treework Ltd", "Zeta Widgets Ltd", "Dacorum Heritage Trust", "Heritage Kitchens Ltd"])]
    list(resolver.resolve(items))
    assert resolver._candidates(normalise_name("Arboricultural Services Treework Lt")) == [
        "arboricultural services treework ltd"]
    assert resolver._candidates(normalise_name("Heritage Trust")) == ["dacorum heritage trust", "heritage kitchens ltd"]
    assert resolver._candidates(normalise_name("Omega Catering Ltd")) == []


def test_a_file_reads_only_the_organisations_its_names_and_identifiers_reach(any_store, tmp_path):
    ingest_file(any_store, spend(tmp_path, "a.csv", ("Zeta Widgets Ltd", ""), ("Omega Catering Ltd", ""),
                                 ("Acme Holdings Ltd", "01234567")))
    resolver = Resolver(any_store)
    items = [Item("row 1", Provenance(source="synthetic"), nodes=[org_node("t", "Zeta Widgets Limited")]),
             Item("row 2", Provenance(source="synthetic"), nodes=[org_node("u", "Acme Group", ["GB-COH-01234567"])])]
    keys = {n["key"] for item in resolver.resolve(items) for n in item.nodes}
    assert keys == {"org:zeta-widgets-ltd", "GB-COH-01234567"}
    assert set(resolver.entities) == {"org:zeta-widgets-ltd", "GB-COH-01234567"}  # never Omega, nor the council


def test_organisations_stored_before_match_keys_are_found_once_reindexed(any_store, tmp_path):
    # as a store written before match_keys holds it (restore writes nodes exactly as given)
    any_store.restore([Node(label="Organisation", key="org:zeta-widgets-ltd", props={"name": "Zeta Widgets Ltd"},
                            provenance=Provenance(source="old"), history=[])], [])
    assert backfill_match_keys(any_store) == {"organisations": 1, "updated": 1}
    assert backfill_match_keys(any_store) == {"organisations": 1, "updated": 0}
    ingest_file(any_store, spend(tmp_path, "a.csv", ("ZETA WIDGETS LIMITED", "")))
    assert [k for k in organisations(any_store) if "zeta" in k] == ["org:zeta-widgets-ltd"]
    assert paid_to(any_store)["org:zeta-widgets-ltd"] == 1


# -- real files ------------------------------------------------------------------------------------------
def bolton_rows() -> list[dict[str, str]]:
    with BOLTON.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_bolton_name_merges_agree_with_north_west_open_datas_numbers(store):
    """NWOD matched each Bolton payee to Companies House or the Charity Commission by hand and by
    tool: a weak gold standard. Resolving every distinct payee name by name alone, no two names the
    resolver makes one organisation may carry different NWOD numbers."""
    rows = bolton_rows()
    numbers: dict[str, set[str]] = collections.defaultdict(set)
    for row in rows:
        numbers[row["beneficiary_name"]].add(row["company_number"].strip() or row["charity_number"].strip())
    names = sorted(numbers)
    assert (len(rows), len(names)) == (17035, 2520)
    items = [Item(f"name {i}", Provenance(source=BOLTON.name), nodes=[org_node("t", n)]) for i, n in enumerate(names)]
    resolved = list(Resolver(store).resolve(items))[:len(names)]
    key_of = {name: item.nodes[0]["key"] for name, item in zip(names, resolved)}
    merged: dict[str, list[str]] = collections.defaultdict(list)
    for name, key in key_of.items():
        merged[key].append(name)
    groups = [group for group in merged.values() if len(group) > 1]
    disagreeing = [group for group in groups
                   if len({n for name in group for n in numbers[name] if n and len(numbers[name] - {""}) == 1}) > 1]
    assert len(groups) > 300  # 'BUDDI LTD' / 'Buddi Ltd', 'Joseph Purdy Productions Limited' / '... Ltd', ...
    assert disagreeing == []
    assert key_of["Bury Council"] == "GB-LAE-BUR" and key_of["Lancashire County Council"] == "GB-LAE-LAN"


def test_bolton_through_the_spend_reader_gives_each_company_number_one_record(store):
    numbers = {normalise_identifier("GB-COH", r["company_number"].strip()) for r in bolton_rows()} - {None}
    assert ingest_file(store, BOLTON).exit_code == 0
    held = collections.Counter(i for p in organisations(store).values() for i in p.get("identifiers", [])
                               if i.startswith("GB-COH-"))
    assert set(held) == numbers and set(held.values()) == {1}
    assert not [p for p in organisations(store).values()
                if len([i for i in p.get("identifiers", []) if i.startswith("GB-COH-")]) > 1]


def test_bolton_company_numbers_are_all_valid_and_its_cqc_ids_are_no_charity_numbers():
    rows = bolton_rows()
    companies = {r["company_number"].strip() for r in rows} - {""}
    refused = {n for n in companies if identifier_problem(normalise_identifier("GB-COH", n))}
    assert len(companies) > 1000 and refused == set()
    charities = {r["charity_number"].strip() for r in rows if r["charity_number"].startswith("CHC-")}
    assert charities and not [c for c in charities if identifier_problem("GB-" + c)]
    cqc = {r["charity_number"].strip() for r in rows if r["charity_number"].startswith("CQC-")}
    assert cqc and all(identifier_problem(normalise_identifier("GB-CHC", c)) for c in cqc)


def trafford_recipients() -> dict[str, set[str]]:
    with TRAFFORD_GRANTS.open(encoding="utf-8-sig", newline="") as f:
        names: dict[str, set[str]] = collections.defaultdict(set)
        for row in csv.DictReader(f):
            names[row["Recipient Org:Identifier"]].add(row["Recipient Org:Name"])
    return names


def test_trafford_g_force_is_one_record_under_every_name_it_was_published_as(any_store):
    published = trafford_recipients()["GB-CHC-1110767"]
    assert published == {"G Force", "G- Force", "G-Force"}
    ingest_file(any_store, TRAFFORD_GRANTS)
    [g_force] = [p for p in organisations(any_store).values() if published & set(p.get("aliases") or [])]
    assert published <= set(g_force["aliases"]) and "GB-CHC-1110767" in g_force["identifiers"]


def test_trafford_recipients_give_one_record_per_identifier(any_store):
    recipients = trafford_recipients()
    report = ingest_file(any_store, TRAFFORD_GRANTS)
    assert report.exit_code == 0, report.rejected[:3]
    _, rels = any_store.export()
    receivers = {r.start for r in rels if r.type == "RECEIVES"}
    assert len(receivers) == len(recipients)


def test_oxford_grants_load_whole_but_a_society_number_that_lost_its_prefix(any_store):
    """Row 87 gives A2 Dominion as GB-COH-IP28985R and its company number as '28985R'."""
    with OXFORD_GRANTS.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    numbers = {r["Recipient Org:Company Number"].strip() for r in rows} - {""}
    impossible = {n for n in numbers if identifier_problem(normalise_identifier("GB-COH", n))}
    assert impossible == {"28985R"}
    report = ingest_file(any_store, OXFORD_GRANTS)
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("row 87", "identifiers") and "28985R" in rejected.reason
    _, rels = any_store.export()
    assert len([r for r in rels if r.type == "RECEIVES"]) == len(rows)
    assert "GB-COH-IP28985R" in ask(any_store, "partner_profile", key="GB-COH-IP28985R")[0]["identifiers"]


# -- the partner command answers every key the product prints ---------------------------------------------
def test_partner_answers_org_keys_org_ids_and_names(store, tmp_path, capsys):
    ingest_file(store, TRAFFORD_GRANTS)
    ingest_file(store, spend(tmp_path, "spend.csv", ("TÜV SÜD", ""), ("Deloitte LLP", "OC303675")))
    data = ["--data-dir", str(store.dir)]
    for query, expected in [("org:tuv-sud", "TÜV SÜD  (org:tuv-sud)"), ("GB-CHC-1110767", "(GB-CHC-1110767)"),
                            ("G Force", "(GB-CHC-1110767)"), ("gb-coh-oc303675", "Deloitte LLP  (GB-COH-OC303675)"),
                            ("GB-LAE-TRF", "(GB-LAE-TRF)"), ("GB-LAE-DAC", "Dacorum Borough Council  (GB-LAE-DAC)"),
                            ("Deloitte Limited Liability Partnership", "(GB-COH-OC303675)"), ("TUV SUD", "(org:tuv-sud)")]:
        assert main([*data, "partner", query]) == 0, query
        assert expected in capsys.readouterr().out.splitlines()[0], query
    assert main([*data, "partner", "org:tuv-sud", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key"] == "org:tuv-sud"


def test_the_api_partner_route_answers_keys_and_identifiers(store, server, tmp_path):
    ingest_file(store, spend(tmp_path, "spend.csv", ("Deloitte LLP", ""), ("TÜV SÜD", "")))
    ingest_file(store, spend(tmp_path, "contracts.csv", ("DELOITTE LLP", "OC303675")))
    viewer = server.client(Role.viewer)
    for path in ("org:deloitte-llp", "GB-COH-OC303675", "gb-coh-oc303675", "org:tuv-sud"):
        answer = viewer.get(f"/api/v1/partners/{path}")
        assert answer.status_code == 200, path
        assert answer.json()["key"] == ("org:tuv-sud" if "tuv" in path else "org:deloitte-llp")
    assert viewer.get("/api/v1/partners/GB-COH-99999999").status_code == 404

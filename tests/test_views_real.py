"""Buyer-scoped views and spend that feeds them, on real files loaded over the reference dataset:
Trafford's supplier spend (another council's payments), Contracts Finder 2017 and Find a Tender
OCDS (other buyers' notices). Expected figures come from the raw files with this test's own few
lines, not the product's parsers. Two small files written here are labelled synthetic: no real
file in shared/data has a multi-supplier framework award, or a council paying a supplier of one.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from graph_service.answers import procurement
from graph_service.answers.health.report import health_report
from graph_service.answers.health.scope import ServiceMap
from graph_service.ingest import ingest_file
from graph_service.reference import load_reference
from tests.conftest import SHARED
from graph_service.queries import ask

DATA = SHARED / "data"
TRAFFORD = DATA / "transparency-code" / "trafford-supplier-spend-2026-27_first2000rows.csv"
OCDS_FILES = sorted((DATA / "ocds" / "uk-contracts-finder-2017").glob("*/*.json")) + sorted(
    (DATA / "real" / "ocds" / "find-a-tender").glob("*.json"))
HOME = "GB-LAE-DAC"
AS_OF = "2026-11-01"  # the reference dataset's anchor

pytestmark = pytest.mark.skipif(not TRAFFORD.is_file(), reason="shared/data is not beside the clone")


def raw_trafford(named_payee: bool = True) -> list[dict[str, str]]:
    """Every payment line; with named_payee, those whose payee the file names (not 'Redacted')."""
    with TRAFFORD.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r["Amount"].strip()
                and not (named_payee and r["BeneficiaryName"].strip().lower() in ("", "redacted"))]


NOT_GIVEN = {"", "na"}  # how this file says "no unit" / "no classification"


def given(text: str) -> str | None:
    return None if text.strip().lower() in NOT_GIVEN else text.strip().lower()


def trafford_table(rows: list[dict[str, str]]) -> ServiceMap:
    """An officer's table for Trafford: its three largest units by area, and one expense type."""
    by_unit: dict[str, float] = defaultdict(float)
    for r in rows:
        if given(r["OrganisationalUnit"]):
            by_unit[r["OrganisationalUnit"]] += float(r["Amount"].replace(",", ""))
    units = sorted(by_unit, key=lambda u: -by_unit[u])[:3]
    services = {f"service:trafford-{i}": {"name": unit.title(), "areas": [unit]} for i, unit in enumerate(units)}
    services["service:trafford-lifts"] = {"name": "Lifts", "areas": ["FACILITIES MGT : Lifts"]}
    return ServiceMap.model_validate({"services": services})


def raw_service_sums(rows: list[dict[str, str]], table: ServiceMap) -> tuple[dict[str, float], float]:
    areas = {label.strip().lower(): key for key, s in table.services.items() for label in s.areas}
    sums: dict[str, float] = defaultdict(float)
    unmapped = 0.0
    for r in rows:
        amount = float(r["Amount"].replace(",", ""))
        unit, kind = given(r["OrganisationalUnit"]), given(r["ProclassLabel"])
        service = (areas.get(unit) if unit else None) or (areas.get(kind) if kind else None)
        if service:
            sums[service] += amount
        else:
            unmapped += amount
    return sums, unmapped


def raw_ocds_buyers() -> dict[str, str]:
    """ocid -> the buyer's name each real OCDS file states."""
    found = {}
    for path in OCDS_FILES:
        data = json.loads(path.read_bytes())
        for item in data.get("releases") or data.get("records") or [data]:
            release = item.get("compiledRelease") or (item.get("releases") or [item])[0] if "ocid" in item else item
            if (release.get("buyer") or {}).get("name"):
                found[release["ocid"]] = release["buyer"]["name"]
    return found


FRAMEWORK = {  # synthetic: a framework award to four suppliers, let by the home council
    "uri": "synthetic", "publishedDate": "2026-01-05T00:00:00Z", "version": "1.1",
    "releases": [{
        "ocid": "ocds-synthetic-framework-1", "id": "award-1", "date": "2026-01-05T00:00:00Z", "tag": ["award"],
        "initiationType": "tender",
        "buyer": {"id": "GB-LAE-DAC", "name": "Dacorum Borough Council"},
        "parties": [{"id": "GB-LAE-DAC", "name": "Dacorum Borough Council", "roles": ["buyer"],
                     "identifier": {"scheme": "GB-LAE", "id": "DAC"}}]
                   + [{"id": f"GB-COH-0999000{n}", "name": f"Synthetic Framework Supplier {n} Ltd", "roles": ["supplier"],
                       "identifier": {"scheme": "GB-COH", "id": f"0999000{n}"}} for n in range(1, 5)],
        "tender": {"id": "t1", "title": "Synthetic building works framework", "techniques": {"hasFrameworkAgreement": True}},
        "awards": [{"id": "a1", "title": "Synthetic building works framework", "status": "active",
                    "value": {"amount": 1_000_000.0, "currency": "GBP"},
                    "contractPeriod": {"startDate": "2026-01-01", "endDate": "2027-06-30"},
                    "suppliers": [{"id": f"GB-COH-0999000{n}", "name": f"Synthetic Framework Supplier {n} Ltd"}
                                  for n in range(1, 5)]}],
    }],
}
FRAMEWORK_SPEND = ("Organisation Name,Supplier Name,Company Number,Payment Date,Transaction Number,Amount,Service Area\n"
                   "Dacorum Borough Council,Synthetic Framework Supplier 2 Ltd,09990002,2026-03-15,SYN-1,12500.00,Strategic Housing\n"
                   "Dacorum Borough Council,Synthetic Framework Supplier 2 Ltd,09990002,2025-03-15,SYN-2,700.00,Strategic Housing\n")


@pytest.fixture
def loaded(any_store, tmp_path: Path):
    load_reference(any_store)
    for path in [TRAFFORD, *OCDS_FILES]:
        report = ingest_file(any_store, path)
        assert report.error is None, (path.name, report.error)
    return any_store


def trafford_key(store) -> str:
    return next(o["key"] for o in ask(store, "organisation_identities")
                if o["key"] == "GB-LAE-TRF" or o["name"] == "Trafford Council")


def test_trafford_concentration_per_service_is_the_raw_sums(loaded):
    rows = raw_trafford()
    table = trafford_table(rows)
    sums, unmapped = raw_service_sums(rows, table)
    buyer = trafford_key(loaded)
    answer = procurement.concentration(loaded, AS_OF, buyer=buyer, services_map=table)
    got = {s["service"]: s["spend"] for s in answer["services"]}
    assert got == {k: round(v, 2) for k, v in sums.items()}
    assert {s["buyer"] for s in answer["services"]} == {buyer}
    assert round(sum(a["spend"] for a in answer["unmapped"]), 2) == round(unmapped, 2)
    assert len({a["area"] for a in answer["unmapped"]}) > 1  # listed by area, not lumped
    # the home council's concentration holds none of Trafford's payments
    home = procurement.concentration(loaded, AS_OF, services_map=table)
    assert {s["buyer"] for s in home["services"]} == {HOME}
    assert not any(s["service"].startswith("service:trafford-") for s in home["services"])
    # the paying council's own profile shows the payments it made
    profile = ask(loaded, "partner_profile", key=buyer)[0]
    made = sum(float(r["Amount"].replace(",", "")) for r in raw_trafford(named_payee=False))
    assert profile["spending"]["paid_by"]["total"] == pytest.approx(made, abs=0.01)


def test_other_buyers_contracts_stay_out_of_the_home_councils_lists(loaded):
    buyers = raw_ocds_buyers()
    assert len(buyers) >= 10 and not any("Dacorum" in b for b in buyers.values())
    every = ask(loaded, "procurement_expiring_contracts")
    from_files = [c for c in every if c["source"] in {p.name for p in OCDS_FILES}]
    for contract in from_files:  # each listed under all with the buyer its file names
        assert buyers[contract["contract"].removeprefix("contract:").split("/")[0]] in [b["name"] for b in contract["buyers"]]
    home = {c["contract"] for c in ask(loaded, "procurement_expiring_contracts", buyer=HOME)}
    assert home and not home & {c["contract"] for c in from_files}
    assert not {r["contract"] for r in ask(loaded, "health_contracts", buyer=HOME)} & {c["contract"] for c in from_files}
    for contract in from_files:  # and at the answer level, on a day each is current
        day = contract["start_date"] or contract["end_date"]
        listed = {c["contract"]: c for c in procurement.expiring(loaded, day, buyer="all")["contracts"]}
        if contract["contract"] in listed:
            assert listed[contract["contract"]]["buyer"] != "buyer unknown"
            assert contract["contract"] not in {c["contract"] for c in procurement.expiring(loaded, day)["contracts"]}
    home_report = health_report(loaded, AS_OF)
    assert home_report["buyer"] == {"key": HOME, "name": "Dacorum Borough Council"}


def test_a_framework_is_divided_and_its_payments_linked_in_either_order(any_store, tmp_path: Path):
    load_reference(any_store)
    spend = tmp_path / "synthetic-framework-spend.csv"
    spend.write_text(FRAMEWORK_SPEND)
    release = tmp_path / "synthetic-framework.json"
    release.write_text(json.dumps(FRAMEWORK))
    for path in (spend, release):  # payments first: the link is worked out when asked
        report = ingest_file(any_store, path)
        assert report.error is None and not report.rejected, (path.name, report)
    rows = [r for r in ask(any_store, "health_contracts", as_of="2026-06-01", buyer=HOME)
            if r["title"] == "Synthetic building works framework"]
    assert len(rows) == 4
    assert {r["value"] for r in rows} == {250_000.0}  # divided, never 1m to each
    assert sum(r["value"] for r in rows) == 1_000_000.0
    contract = rows[0]["contract"]
    linked = [r for r in ask(any_store, "health_contract_spend", as_of="2026-06-01", since="2025-06-01", buyer=HOME)
              if r["contract"] == contract]
    assert [(r["spend"], r["payments"], r["linked_by"]) for r in linked] == [(12_500.0, 1, ["supplier, buyer and period"])]
    answer = procurement.kraljic(any_store, "2026-06-01")
    credited = [p["value_per_year"] for p in answer["partners"] if p["name"].startswith("Synthetic Framework Supplier")]
    assert len(credited) == 4 and max(credited) < 1_000_000 * 365.25 / 546 / 2
    # the mapped service area reaches the service through settings/services.yaml
    spent = procurement.concentration(any_store, "2026-06-01")
    housing = next(s for s in spent["services"] if s["service"] == "service:homelessness-and-temporary-accommodation")
    assert any(s["name"] == "Synthetic Framework Supplier 2 Ltd" and s["spend"] == 12_500.0 for s in housing["suppliers"])


def test_the_paying_councils_profile_on_the_command_line(tmp_path: Path, capsys):
    from graph_service.cli import main
    from graph_service.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "data")
    load_reference(store)
    assert ingest_file(store, TRAFFORD).error is None
    buyer = trafford_key(store)
    store.close()
    made = raw_trafford(named_payee=False)
    assert main(["--data-dir", str(tmp_path / "data"), "partner", buyer]) == 0
    total = sum(float(r["Amount"].replace(",", "")) for r in made)
    assert f"payments made by it: {len(made)} totalling {total:,.2f}" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "data"), "procurement", "expiring", "--buyer", "all", "--csv",
                 "--as-of", AS_OF]) == 0
    table = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert table and {r["buyer"] for r in table} == {"Dacorum Borough Council"}
    assert main(["--data-dir", str(tmp_path / "data"), "procurement", "concentration", "--buyer", buyer,
                 "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "for Trafford" in out and "does not map" in out  # the shipped table knows no Trafford area
    assert main(["--data-dir", str(tmp_path / "data"), "procurement", "kraljic", "--buyer", "GB-LAE-NONE"]) == 1
    assert "no organisation with key 'GB-LAE-NONE'" in capsys.readouterr().err

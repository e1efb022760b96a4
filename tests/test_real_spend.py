"""Every real spend file in shared/data/real/spend/ (and Trafford's) against the store, on both backends.

For each file this test counts payment rows, distinct suppliers and the total amount from the raw
bytes with its own few lines of code (the standard library's csv module, or xlrd for a real .xls; never
the product's parser) and checks that the store holds exactly that. Every difference is accounted for:
a row the reader skipped is counted in the report under its reason, and a row it refused is a located
rejection. Redacted payees are payments to no one named, never suppliers called 'REDACTED'.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph_service.access import audit
from graph_service.store.embedded import EmbeddedStore
from graph_service.cli import main
from graph_service.ingest import ingest_file, ingest_path
from tests.conftest import SHARED

REAL = SHARED / "data" / "real" / "spend"
TRAFFORD = SHARED / "data" / "transparency-code" / "trafford-supplier-spend-2026-27_first2000rows.csv"


@dataclass(frozen=True)
class Spec:
    path: Path
    encoding: str  # how the test itself decodes the bytes
    header_line: int  # the header's line, counted the way a text editor counts (CR, LF or CRLF)
    supplier: str
    amount: str
    payers: frozenset[str]  # the org-ids or names the payments are booked to
    publisher: str | None = None  # what the caller must say, when the file does not
    redaction: str | None = None  # a column beside the supplier that says the payee is withheld
    skipped: dict[str, int] = field(default_factory=dict)  # the reader's skip reasons the test expects non-zero

    @property
    def id(self) -> str:
        return self.path.stem


SPECS = [
    Spec(REAL / "lambeth" / "2012-06-payments.csv", "utf-8", 10, "Supplier Name", "Invoice Nett Amount",
         frozenset({"GB-LAE-LBH"}),
         skipped={"lines above the header": 6, "comma-only rows": 4, "total rows": 1,
                  "rows with no supplier, amount or date": 1}),
    Spec(REAL / "lambeth" / "2011-11-payments-supplier-totals.csv", "utf-8", 2, "Supplier Name", "Total",
         frozenset({"GB-LAE-LBH"}), publisher="GB-LAE-LBH", skipped={"lines above the header": 1, "total rows": 1}),
    Spec(REAL / "oxford-city" / "expenditure-over-500-jan-mar-2014.csv", "utf-8", 1, "supplier_name", "amount",
         frozenset({"GB-LAE-OXO"}), skipped={"rows with no supplier, amount or date": 1}),
    Spec(REAL / "oxford-city" / "expenditure-over-500-oct-dec-2017.csv", "utf-8", 1, "Supplier Name", "Amount",
         frozenset({"GB-LAE-OXO"}), publisher="GB-LAE-OXO"),  # the file says only 'OCC'
    Spec(REAL / "oxford-city" / "procurement-card" / "procurement-card-spending-jan-mar-2017.csv", "utf-8", 1,
         "Merchant", "Value", frozenset({"GB-LAE-OXO"}), publisher="GB-LAE-OXO"),
    Spec(REAL / "oxford-city" / "procurement-card" / "procurement-card-spending-february-2018.csv", "utf-8", 1,
         "MCH.MERCHANT NAME", "FIN.TRANSACTION AMOUNT", frozenset({"GB-LAE-OXO"}), publisher="Oxford City Council"),
    Spec(REAL / "windsor-maidenhead" / "wandm_supplier_payments_2009_q1.csv", "utf-8", 1, "Supplier Name", "Amount",
         frozenset({"GB-LAE-WNM"}), publisher="GB-LAE-WNM"),
    Spec(REAL / "windsor-maidenhead" / "wandm_supplier_payments_2009_q4.csv", "utf-8", 1, "Supplier Name", "Amount",
         frozenset({"GB-LAE-WNM"}), publisher="E06000040", skipped={"comma-only rows": 1}),
    Spec(REAL / "openlylocal-fixtures" / "windows_file_with_pound_signs_in_heading.csv", "cp1252", 1, "Supplier Name",
         "Amount \xa3 (Excl VAT)", frozenset({"GB-LAE-STN"}), publisher="GB-LAE-STN"),
    Spec(REAL / "openlylocal-fixtures" / "file_with_extra_lines_at_top.csv", "cp1252", 3, "Supplier Name", "Amount",
         frozenset({"GB-LAE-WNM"}), publisher="GB-LAE-WNM", skipped={"lines above the header": 1}),
    Spec(REAL / "leeds" / "raw-2010-12.csv", "cp1252", 1, "Supplier name", "Net amount",
         frozenset({"GB-LAE-LDS", "East North East Homes Leeds", "Education Leeds", "West North West Homes Leeds",
                    "Aire Valley Homes Leeds"}), skipped={"comma-only rows": 1}),
    Spec(REAL / "leeds" / "raw-2012-06.csv", "cp1252", 1, "Supplier name ", "Net amount",
         frozenset({"GB-LAE-LDS", "East - North East", "West - North West", "Aire Valley Homes Leeds"})),
    Spec(REAL / "leeds" / "raw-2013-12.csv", "cp1252", 1, "SupplierName", "NetAmount",
         frozenset({"GB-LAE-LDS", "East - North East", "West - North West", "Aire Valley Homes Leeds"}),
         skipped={"unlabelled total rows": 1}),
    Spec(REAL / "craven-district" / "payments-march-2017.csv", "cp1252", 1, "Supplier Name", "Amount",
         frozenset({"GB-LAE-CRA"}), skipped={"unlabelled total rows": 1}),
    Spec(REAL / "manchester" / "Manchester September 2014.xls", "cp1252", 1, "Supplier Name", "Net Amount",
         frozenset({"GB-LAE-MAN"})),
    Spec(REAL / "tameside" / "Tameside September 2014.csv", "cp1252", 1, "Supplier Name", "Sum of Inv Amount",
         frozenset({"GB-LAE-TAM"}), publisher="GB-LAE-TAM", redaction="Redact Name", skipped={"comma-only rows": 976}),
    Spec(REAL / "stockport" / "Stockport September 2014.xls", "xls", 1, "Supplier Name", "Amount \xa3",
         frozenset({"GB-LAE-SKP"}), publisher="GB-LAE-SKP"),  # the file says only 'SMBC'
    Spec(REAL / "derived-nwod-gmca" / "bolton_2019.csv", "utf-8", 1, "beneficiary_name", "amount",
         frozenset({"GB-LAE-BOL"})),
    Spec(TRAFFORD, "utf-8", 1, "BeneficiaryName", "Amount", frozenset({"GB-LAE-TRF"})),
]


# -- the test's own reading of the raw bytes ------------------------------------------------------
def raw_table(spec: Spec) -> tuple[list[str], list[list[str]]]:
    """The header and every line below it, as the file's bytes say."""
    if spec.encoding == "xls":
        import xlrd

        sheet = xlrd.open_workbook(str(spec.path)).sheet_by_index(0)
        table = [[str(c.value) for c in sheet.row(i)] for i in range(sheet.nrows)]
    else:
        text = spec.path.read_bytes().decode(spec.encoding)
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        table = list(csv.reader(io.StringIO(text)))
    return table[spec.header_line - 1], table[spec.header_line:]


def amount_of(text: str) -> float:
    text = text.replace("\xa3", "").replace(",", "").strip()
    return -float(text[:-1]) if text.endswith("-") else float(text)


def is_redacted(name: str, beside: str) -> bool:
    return bool(re.search(r"\bredacted\b", name, re.I) or re.fullmatch(r"\*+", name.strip())
                or re.search(r"\bredacted\b", beside, re.I))


def same_name(name: str) -> str:
    """Case, spacing, punctuation, '&'/'and', spaced initials ('D W'/'DW'), 'Limited'/'Ltd' and a leading 'The'
    do not make a second supplier."""
    value = re.sub(r"['’`´]", "", name.lower().replace("&", " and "))
    value = " ".join(re.sub(r"[^\w]+|_", " ", value).split())
    value = re.sub(r"\b\w(?: \w\b)+", lambda m: m.group(0).replace(" ", ""), value)
    value = re.sub(r"\blimited\b", "ltd", value)
    return re.sub(r"^the ", "", value)


@dataclass
class Raw:
    payments: int = 0
    total: float = 0.0
    suppliers: set[str] = field(default_factory=set)
    redacted: int = 0
    unnamed: int = 0  # payments whose supplier cell is empty (not redacted: simply not given)
    comma_only: int = 0


def count(spec: Spec) -> Raw:
    header, lines = raw_table(spec)
    supplier, amount = header.index(spec.supplier), header.index(spec.amount)
    redaction = header.index(spec.redaction) if spec.redaction else None
    raw, amounts = Raw(), []
    for line in lines:
        cells = [c.strip() for c in line]
        if not any(cells):
            raw.comma_only += len(line) > 1
            continue
        if any(c.lower() in ("total", "grand total") for c in cells) or not cells[amount] or \
                not any(c for i, c in enumerate(cells) if i != amount):
            continue  # a total row, or a row with no amount, which the store must not hold as a payment
        raw.payments += 1
        amounts.append(amount_of(cells[amount]))
        name = " ".join(line[supplier].replace("\xa0", " ").split())
        if is_redacted(name, cells[redaction] if redaction is not None else ""):
            raw.redacted += 1
        elif name:
            raw.suppliers.add(same_name(name))
        else:
            raw.unnamed += 1
    raw.total = math.fsum(amounts)
    return raw


# -- the store ----------------------------------------------------------------------------------------
def stored(store):
    nodes, rels = store.export()
    by_key = {n.key: n for n in nodes}
    payments = {n.key: n.props for n in nodes if n.label == "Payment"}
    paid_to = {r.start: r.end for r in rels if r.type == "PAID_TO"}
    paid_by = {r.start: r.end for r in rels if r.type == "PAID_BY"}
    return by_key, payments, paid_to, paid_by


def payer_names(by_key, paid_by) -> set[str]:
    """Each paying body as its org-id, or, for one outside the register, its name (in same_name form: an ALMO
    may be the same organisation as a payee of that name, stored first under its capitals)."""
    return {key if key.startswith("GB-") else same_name(by_key[key].props["name"]) for key in paid_by.values()}


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_the_store_holds_exactly_what_the_file_says(spec: Spec, any_store):
    raw = count(spec)
    report = ingest_file(any_store, spec.path, publisher=spec.publisher)
    assert report.error is None and report.format == "spend-csv", report.error
    assert report.rejected == []  # no real file here has a row this reader cannot store
    assert {k: v for k, v in report.skipped.items() if v} == spec.skipped
    assert raw.comma_only == report.skipped.get("comma-only rows", 0)

    by_key, payments, paid_to, paid_by = stored(any_store)
    assert len(payments) == raw.payments
    assert math.isclose(math.fsum(p["amount"] for p in payments.values()), raw.total, abs_tol=0.005)
    assert sum(bool(p.get("payee_redacted")) for p in payments.values()) == raw.redacted
    assert len(payments) - len(paid_to) == raw.redacted + raw.unnamed  # redacted and unnamed payees: no PAID_TO
    assert not any(re.search(r"\bredacted\b", n.props.get("name", ""), re.I) for n in by_key.values())
    assert payer_names(by_key, paid_by) == {p if p.startswith("GB-") else same_name(p) for p in spec.payers}
    if spec.path.parent.name == "derived-nwod-gmca":
        # NWOD matched Bolton's payees to company numbers, so one company stands for several published names:
        # every published name is on the supplier it was booked to, and every matched number is a supplier
        names = {same_name(a) for key in set(paid_to.values()) for a in by_key[key].props.get("aliases", [])}
        # the council pays itself too: that supplier also carries the names its body column published
        payer = {same_name(a) for key in set(paid_by.values()) for a in by_key[key].props.get("aliases", [])}
        assert raw.suppliers <= names and names - raw.suppliers <= payer
        header, lines = raw_table(spec)
        numbers = {f"GB-COH-{c.zfill(8)}" for c in (line[header.index("company_number")].strip() for line in lines)
                   if re.fullmatch(r"([A-Z]{2})?\d{1,8}|IP\d{5}R", c)}  # 'IP27902R': a society's register number
        assert numbers == {i for key in set(paid_to.values()) for i in by_key[key].props.get("identifiers", [])
                           if i.startswith("GB-COH-")}
    else:
        # one supplier per published name, except that a council's several forms ('Bradford Council',
        # 'Bradford Metropolitan Council') are its one register code
        names = {key: {same_name(a) for a in by_key[key].props.get("aliases", [])} & raw.suppliers
                 for key in set(paid_to.values())}
        assert set().union(*names.values()) == raw.suppliers
        assert {key: found for key, found in names.items() if len(found) > 1 and not key.startswith("GB-LA")} == {}


# -- what the reader decided, file by file -------------------------------------------------------------
def test_leeds_rows_are_booked_to_the_body_each_names(store):
    """Leeds' file holds its ALMOs' and Education Leeds' payments too: each is its own body, and reported."""
    path = REAL / "leeds" / "raw-2010-12.csv"
    header, lines = raw_table(SPECS[10])
    by_body = Counter(line[0].strip() for line in lines if any(c.strip() for c in line))
    report = ingest_file(store, path)
    by_key, payments, _, paid_by = stored(store)
    booked = Counter(same_name(by_key[end].props["name"]) if not end.startswith("GB-") else end
                     for end in paid_by.values())
    assert booked == {"GB-LAE-LDS": by_body["Leeds City Council"] + by_body["Leeds City Council as Accountable Body"],
                      **{same_name(name): n for name, n in by_body.items() if not name.startswith("Leeds City Council")}}
    assert any("outside the local-authority register" in note and "'Education Leeds' (199 rows)" in note
               for note in report.notes)
    assert store.get("GB-LAE-LDS").props["name"] == "Leeds City Council"


def test_stockport_month_only_dates_are_stored_as_months(store):
    ingest_file(store, REAL / "stockport" / "Stockport September 2014.xls", publisher="GB-LAE-SKP")
    _, payments, _, _ = stored(store)
    assert {p.get("paid_in") for p in payments.values()} == {"2014-09"}
    assert not any("paid_on" in p for p in payments.values())  # no invented day
    assert store.get("GB-LAE-SKP").props["aliases"] == ["Stockport Metropolitan Borough Council", "SMBC"]


def test_windsor_us_dates_are_read_month_first_because_the_file_proves_it(store):
    path = REAL / "windsor-maidenhead" / "wandm_supplier_payments_2009_q4.csv"
    report = ingest_file(store, path, publisher="GB-LAE-WNM")
    assert any("month/day/year" in note and "'11/17/2009'" in note for note in report.notes)
    _, payments, _, _ = stored(store)
    header, lines = raw_table(SPECS[7])
    assert lines[0][1:3] == ["10/7/2009", "2618827"]
    [first] = [p for p in payments.values() if p.get("transaction_id") == "2618827"]
    assert first["paid_on"] == "2009-10-07"
    assert {p["paid_on"][:7] for p in payments.values()} == {"2009-09", "2009-10", "2009-11", "2009-12"}


@pytest.mark.parametrize("path, says", [
    (REAL / "stockport" / "Stockport September 2014.xls", "'SMBC'"),
    (REAL / "oxford-city" / "expenditure-over-500-oct-dec-2017.csv", "'OCC'"),
    (REAL / "tameside" / "Tameside September 2014.csv", "does not say which body published it"),
    (REAL / "windsor-maidenhead" / "wandm_supplier_payments_2009_q1.csv", "does not say which body published it"),
], ids=["stockport-smbc", "oxford-occ", "tameside-none", "windsor-none"])
def test_a_file_whose_publisher_cannot_be_told_is_refused_and_stores_nothing(path, says, tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path / "data"), "ingest", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "--publisher ORG-ID" in err and "nothing was stored" in err
    assert EmbeddedStore(tmp_path / "data").stats()["nodes"] == 0


def test_a_publisher_that_contradicts_the_file_is_refused(store):
    report = ingest_file(store, REAL / "craven-district" / "payments-march-2017.csv", publisher="GB-LAE-DAC")
    assert report.exit_code == 2 and "GB-LAE-CRA" in report.error and store.stats()["nodes"] == 0


def test_loading_a_real_file_twice_changes_nothing(store):
    path = REAL / "craven-district" / "payments-march-2017.csv"
    ingest_file(store, path)
    before = store.export()
    again = ingest_file(store, path)
    assert (again.created, again.updated) == (0, 0) and store.export() == before


# -- folders and zips --------------------------------------------------------------------------------
FOLDER = [SPECS[2], SPECS[13], SPECS[14]]  # Oxford 2014, Craven, Manchester: each names its publisher


def test_a_folder_loads_every_file_with_a_line_each_and_a_summary(store, tmp_path, capsys):
    folder = tmp_path / "downloads"
    for spec in FOLDER:
        (folder / spec.path.parent.name).mkdir(parents=True)
        shutil.copy(spec.path, folder / spec.path.parent.name / spec.path.name)
    (folder / "notes.txt").write_text("our own notes, not a data file\n")
    code = main(["--data-dir", str(store.dir), "ingest", str(folder)])
    out = capsys.readouterr().out.splitlines()
    assert code == 2  # notes.txt is no data file: reported, and the others stored
    assert [line.split(" (")[0] for line in out[:-1]] == [f"{s.path.parent.name}/{s.path.name}" for s in
                                                           sorted(FOLDER, key=lambda s: s.path.parent.name)]
    assert out[-1].startswith("downloads (folder): 4 files, 1 unreadable: ")
    labels = EmbeddedStore(store.dir).stats()["labels"]
    assert labels["Payment"] == sum(count(spec).payments for spec in FOLDER)


def test_a_zip_loads_every_file_over_the_api_too(store, server, tmp_path):
    from graph_service.access.auth import Role

    archive = tmp_path / "trafford-and-craven.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(TRAFFORD, "2026/" + TRAFFORD.name)
        out.write(SPECS[13].path, SPECS[13].path.name)
    response = server.client(Role.admin).post("/api/v1/ingest", files={"file": (archive.name, archive.read_bytes())})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["format"] == "zip" and report["exit_code"] == 0
    assert [f["source"] for f in report["files"]] == [f"{archive.name}/2026/{TRAFFORD.name}",
                                                      f"{archive.name}/{SPECS[13].path.name}"]
    assert store.stats()["labels"]["Payment"] == count(SPECS[-1]).payments + count(SPECS[13]).payments


def test_a_zip_through_the_cli_audits_each_member_in_its_zip(store, tmp_path, capsys):
    archive = tmp_path / "spend.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(SPECS[13].path, "craven.csv")
        out.writestr("empty.csv", "")
    code = main(["--data-dir", str(store.dir), "ingest", str(archive), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2 and [f["exit_code"] for f in report["files"]] == [0, 2]
    assert report["files"][0]["skipped"] == {"unlabelled total rows": 1}
    entries = audit.entries(store.dir, action="ingest")
    assert [e["file"]["name"] for e in entries] == [f"{archive.resolve()}!craven.csv", f"{archive.resolve()}!empty.csv"]
    batch = ingest_path(EmbeddedStore(store.dir), archive)
    assert batch.total("created") == 0 and batch.total("updated") == 0  # loading it twice changes nothing


def test_the_api_takes_the_publisher_as_a_form_field(store, server):
    from graph_service.access.auth import Role

    path = REAL / "tameside" / "Tameside September 2014.csv"
    admin = server.client(Role.admin)
    refused = admin.post("/api/v1/ingest", files={"file": (path.name, path.read_bytes())})
    assert refused.status_code == 422 and "--publisher" in refused.json()["error"]["message"]
    assert store.stats()["nodes"] == 0
    bad = admin.post("/api/v1/ingest", files={"file": (path.name, path.read_bytes())}, data={"publisher": "TMBC"})
    assert bad.status_code == 400
    taken = admin.post("/api/v1/ingest", files={"file": (path.name, path.read_bytes())}, data={"publisher": "E08000008"})
    assert taken.status_code == 200 and taken.json()["skipped"] == {"comma-only rows": 976}
    assert {r.end for r in store.export()[1] if r.type == "PAID_BY"} == {"GB-LAE-TAM"}


# -- a real file cut short --------------------------------------------------------------------------------
def test_a_real_file_cut_in_its_last_amount_rejects_that_row(store, tmp_path):
    """Trafford's second payment cut inside '31843.62' (no final newline, fewer fields): a located rejection."""
    text = TRAFFORD.read_bytes()
    cut = text[:text.index(b"31843.62") + 3]
    path = tmp_path / "cut.csv"
    path.write_bytes(cut)
    report = ingest_file(store, path)
    assert report.exit_code == 3
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("row 3", "row") and "cut short" in rejected.reason
    _, payments, _, _ = stored(store)
    assert [p["amount"] for p in payments.values()] == [742.5]


def test_a_folder_leaves_its_descriptors_and_readmes_aside_and_says_so(store):
    """Oxford's folder holds a Data Package descriptor beside its data: not data, named, not an error."""
    batch = ingest_path(store, REAL / "oxford-city", publisher="GB-LAE-OXO")
    assert batch.exit_code == 0, batch.as_dict()["error"]
    assert set(batch.not_data) == {"datapackage.json", "procurement-card/datapackage.json"}
    assert "not data: " in batch.summary() and len(batch.files) == 4

"""Spend-file layouts real councils use, as small synthetic files (labelled so: each mimics one quirk of a
real file named in shared/data/real/README.md), and CSV bombs refused fast with bounded memory."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from graph_service.ingest import ingest_file, ingest_path
from graph_service.ingest.detect import detect_format

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Body Name,Supplier Name,Amount,Payment Date,Transaction Number"
COUNCIL = "Dacorum Borough Council"


def write(tmp_path: Path, text: str, name: str = "spend.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def payments(store) -> list[dict]:
    nodes, _ = store.export()
    return sorted((n.props for n in nodes if n.label == "Payment"), key=lambda p: (p.get("transaction_id") or "", p["amount"]))


def test_synthetic_header_at_the_bottom(store, tmp_path):
    path = write(tmp_path, f"{COUNCIL},Acme Ltd,10.00,01/04/2024,T1\n{COUNCIL},Bravo Ltd,20.00,02/04/2024,T2\n{HEADER}\n")
    assert detect_format(path) == "spend-csv"
    report = ingest_file(store, path)
    assert report.exit_code == 0, report.as_dict()
    assert [(p["transaction_id"], p["amount"]) for p in payments(store)] == [("T1", 10.0), ("T2", 20.0)]


def test_synthetic_repeated_headers_totals_and_comma_only_rows_are_skipped_and_counted(store, tmp_path):
    text = (f"Payments over £500, April 2024,,,\n{HEADER}\n{COUNCIL},Acme Ltd,10.00,01/04/2024,T1\n,,,,\n"
            f"{HEADER}\n{COUNCIL},Total Gas & Power Ltd,20.00,02/04/2024,T2\nGrand Total,,30.00,,\n,,30.00,,\n")
    report = ingest_file(store, write(tmp_path, text))
    assert report.exit_code == 0 and report.rejected == []
    assert report.skipped == {"lines above the header": 1, "comma-only rows": 1, "repeated header rows": 1,
                              "total rows": 1, "unlabelled total rows": 1}
    assert [p["amount"] for p in payments(store)] == [10.0, 20.0]  # 'Total Gas & Power Ltd' is a supplier


def test_synthetic_duplicate_header_names_read_code_then_description(store, tmp_path):
    """Craven: 'Account Code,Account Code,Cost Centre Code,Cost Centre Code' (a code, then its description)."""
    text = ("Body Name,Supplier Name,Account Code,Account Code,Cost Centre Code,Cost Centre Code,Amount,Payment Date\n"
            f"{COUNCIL},Acme Ltd,2280,Miscellaneous,R255,Development Control,\"1,000.00\",06/03/2024\n")
    assert ingest_file(store, write(tmp_path, text)).exit_code == 0
    [payment] = payments(store)
    assert (payment["expense_type"], payment["service_area"]) == ("Miscellaneous", "Development Control")


@pytest.mark.parametrize("written, stored", [
    ("43525", {"paid_on": "2019-03-01"}),  # an Excel serial date
    ("01.09.2014", {"paid_on": "2014-09-01"}),  # Manchester
    ("20-Dec-13", {"paid_on": "2013-12-20"}),  # Leeds 2013
    ("15-Jun-2012", {"paid_on": "2012-06-15"}),  # Leeds 2012
    ("24/09/14", {"paid_on": "2014-09-24"}),  # Tameside
    ("2010-07-30", {"paid_on": "2010-07-30"}),
    ("Sep 2014", {"paid_in": "2014-09"}),  # Stockport: a month, never an invented day
])
def test_synthetic_dates_as_councils_write_them(store, tmp_path, written, stored):
    assert ingest_file(store, write(tmp_path, f"{HEADER}\n{COUNCIL},Acme Ltd,10.00,{written},T1\n")).exit_code == 0
    [payment] = payments(store)
    assert {k: v for k, v in payment.items() if k in ("paid_on", "paid_in")} == stored


def test_synthetic_us_dates_only_when_the_file_proves_them(store, tmp_path):
    proven = write(tmp_path, f"{HEADER}\n{COUNCIL},Acme Ltd,10.00,10/7/2009,T1\n{COUNCIL},Acme Ltd,11.00,11/17/2009,T2\n")
    report = ingest_file(store, proven)
    assert report.exit_code == 0 and any("month/day/year" in n for n in report.notes)
    assert [p["paid_on"] for p in payments(store)] == ["2009-10-07", "2009-11-17"]


def test_synthetic_a_date_that_contradicts_the_files_order_is_a_located_rejection(store, tmp_path):
    mixed = write(tmp_path, f"{HEADER}\n{COUNCIL},Acme Ltd,10.00,25/07/2009,T1\n{COUNCIL},Acme Ltd,11.00,11/17/2009,T2\n")
    report = ingest_file(store, mixed)
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("row 3", "paid_on") and "month/day/year" in rejected.reason
    assert [p["paid_on"] for p in payments(store)] == ["2009-07-25"]


@pytest.mark.parametrize("written, amount", [("123.45-", -123.45), ("\"£1,708.75\"", 1708.75), ('"5,303.57 "', 5303.57),
                                             ("-£743.00", -743.0), ("(20.00)", -20.0)])
def test_synthetic_amounts_as_ledgers_write_them(store, tmp_path, written, amount):
    assert ingest_file(store, write(tmp_path, f"{HEADER}\n{COUNCIL},Acme Ltd,{written},01/04/2024,T1\n")).exit_code == 0
    assert [p["amount"] for p in payments(store)] == [amount]


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_synthetic_semicolon_and_tab_delimited_files(store, tmp_path, delimiter):
    text = "\n".join(delimiter.join(row) for row in [HEADER.split(","), [COUNCIL, "Acme, Ltd", "1,50", "01/04/2024", "T1"]])
    assert ingest_file(store, write(tmp_path, text + "\n")).exit_code == 0
    assert [p["amount"] for p in payments(store)] == [1.5]
    nodes, _ = store.export()
    assert "Acme, Ltd" in {n.props.get("name") for n in nodes}


def test_synthetic_supplier_columns_named_name_and_payee(store, tmp_path):
    text = f"Organisation Label,Name:,Value,Date paid\n{COUNCIL},Acme Ltd,10.00,01/04/2024\n"
    assert ingest_file(store, write(tmp_path, text, "name.csv", "cp1252")).exit_code == 0
    text = f"Council,Payee,Total,Paid Date\n{COUNCIL},Bravo Ltd,20.00,01/04/2024\n"
    assert ingest_file(store, write(tmp_path, text, "payee.csv", "utf-8-sig")).exit_code == 0
    assert [p["amount"] for p in payments(store)] == [10.0, 20.0]


def test_synthetic_truncated_last_row_is_a_located_rejection(store, tmp_path):
    text = f"{HEADER}\n{COUNCIL},Acme Ltd,10.00,01/04/2024,T1\n{COUNCIL},Bravo Ltd,318"  # cut inside 318xx.xx
    report = ingest_file(store, write(tmp_path, text))
    assert report.exit_code == 3
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("row 3", "row") and "cut short" in rejected.reason
    assert [p["amount"] for p in payments(store)] == [10.0]


def test_synthetic_a_last_row_without_a_newline_but_whole_is_stored(store, tmp_path):
    """Oxford's files end without a final newline: a whole row is a row."""
    text = f"{HEADER}\n{COUNCIL},Acme Ltd,10.00,01/04/2024,T1"
    assert ingest_file(store, write(tmp_path, text)).exit_code == 0


def test_synthetic_abbreviated_publisher_is_asked_for(store, tmp_path):
    path = write(tmp_path, "Body Name,Supplier Name,Amount\nSMBC,Acme Ltd,10.00\n")
    report = ingest_file(store, path)
    assert report.exit_code == 2 and "'SMBC'" in report.error and "--publisher" in report.error
    assert store.stats()["nodes"] == 0
    assert ingest_file(store, path, publisher="Stockport Metropolitan Borough Council").exit_code == 0
    assert store.get("GB-LAE-SKP").props["aliases"] == ["Stockport Metropolitan Borough Council", "SMBC"]


@pytest.mark.parametrize("publisher", ["OCC", "GB-LAE-XYZ", "Nowhere District Council"])
def test_an_unknown_publisher_is_refused(store, tmp_path, publisher):
    path = write(tmp_path, "Supplier Name,Amount\nAcme Ltd,10.00\n")
    report = ingest_file(store, path, publisher=publisher)
    assert report.exit_code == 2 and repr(publisher) in report.error and store.stats()["nodes"] == 0


def test_a_publisher_outside_the_register_may_be_any_org_id(store, tmp_path):
    assert ingest_file(store, write(tmp_path, "Supplier Name,Amount\nAcme Ltd,10.00\n"), publisher="GB-NHS-RAX").exit_code == 0
    assert {r.end for r in store.export()[1] if r.type == "PAID_BY"} == {"GB-NHS-RAX"}


# -- CSV bombs: refused in a process whose memory is capped, so a regression fails instead of eating the machine
BOMBS = {
    "10,000 columns in 1 MB": lambda: ("Supplier Name,Amount," + ",".join(f"c{i}" for i in range(10_000)) + "\n"
                                       + "Acme Ltd,1.00," + ",".join("x" * 90 for _ in range(10_000)) + "\n"),
    "one 8 MB line": lambda: "Supplier Name,Amount\n" + "A" * (8 * 1024 * 1024) + "\n",
    "a 1 MB field": lambda: 'Supplier Name,Amount\n"' + "A" * (1024 * 1024) + '",1.00\n',
}
LIMIT = 512 * 1024 * 1024  # address space for the whole interpreter


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_csv_bomb_is_refused_with_exit_2_in_bounded_memory(bomb, tmp_path):
    path = write(tmp_path, BOMBS[bomb]())
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
        from graph_service.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    done = subprocess.run([sys.executable, "-c", script, "--data-dir", str(tmp_path / "data"), "ingest", str(path),
                           "--publisher", "GB-LAE-DAC"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "nothing was stored" in done.stderr and ("columns" in done.stderr or "longer than" in done.stderr)


def _reader_peak(tmp_path: Path, rows: int) -> int:
    """Peak memory (VmHWM, bytes) of a fresh process that writes a synthetic spend file of `rows` rows and reads it."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from graph_service.ingest.transparency import read_spend
        path = Path({str(tmp_path / f"{rows}.csv")!r})
        with path.open("w") as f:
            f.write("Body Name,Supplier Name,Amount,Payment Date,Transaction Number,Service Area,Expenses Type\\n")
            for i in range({rows}):
                f.write(f"{COUNCIL},Supplier {{i % 5000}} Ltd,{{i % 997}}.{{i % 100:02d}},01/04/2024,T{{i}},Waste,Hire\\n")
        for item in read_spend(path):
            pass
        print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout) * 1024


def test_the_spend_reader_streams_rows_so_its_memory_does_not_grow_with_the_file(tmp_path):
    """Eight times the rows (3.5 MB more file) adds under 8 MB to the reader's peak; reading the file whole, as
    it once did, added about ten times the file. (What remains is a 12-byte digest per line, so that identical
    lines stay distinct payments.)"""
    small, large = _reader_peak(tmp_path, 5_000), _reader_peak(tmp_path, 40_000)
    assert large - small < 8 * 2**20, f"{(large - small) / 2**20:.1f} MiB more for 35,000 more rows"


def test_synthetic_contracts_register_needs_its_buyer_named_too(store, tmp_path):
    path = write(tmp_path, "Title,Supplier Name,Start Date,End Date\nGrounds,Acme Ltd,01/04/2024,31/03/2026\n", "contracts.csv")
    refused = ingest_file(store, path)
    assert refused.exit_code == 2 and "--publisher" in refused.error and store.stats()["nodes"] == 0
    assert ingest_file(store, path, publisher="E07000096").exit_code == 0  # Dacorum's GSS code
    assert {(r.type, r.start) for r in store.export()[1] if r.type == "BUYS"} == {("BUYS", "GB-LAE-DAC")}


def test_an_xlsx_workbook_is_refused_with_what_to_do(store, tmp_path):
    path = tmp_path / "spend.xlsx"
    with zipfile.ZipFile(path, "w") as book:  # the shape of an .xlsx: a zip of XML parts
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    report = ingest_path(store, path)
    assert report.exit_code == 2 and "save the sheet as CSV" in report.error and store.stats()["nodes"] == 0

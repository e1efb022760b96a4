"""Nothing lost: a damaged journal stops the store opening; a file is stored whole or not at all; a key keeps its
label; uploads keep their own name and leave nothing behind; the data directory is private; store check/backup."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.errors import StoreCorrupt
from graph_service.errors import UnreadableInput
from graph_service.ingest import ingest_file
from graph_service.ingest.pipeline import Item, ingest
from graph_service.records import Provenance
from graph_service.store.embedded import JOURNAL, EmbeddedStore, check
from graph_service.store.files import Receipt
from tests.kill_writer import batch
from tests.test_faults import write_spend


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_damaged_line_mid_journal_stops_the_store_opening_and_nothing_is_truncated(tmp_path):
    store = EmbeddedStore(tmp_path)
    for number in range(3):
        store.upsert(batch(number))
    journal = tmp_path / JOURNAL
    lines = journal.read_bytes().splitlines(keepends=True)
    offset = len(lines[0])
    _flip(journal, offset + 40)  # inside the second line's body
    size = journal.stat().st_size
    _damaged_bytes = journal.read_bytes()
    with pytest.raises(StoreCorrupt) as raised:
        EmbeddedStore(tmp_path)
    assert f"{journal}: line 2 (byte offset {offset})" in raised.value.message
    store.upsert(batch(9))  # a store that read the line before it was damaged only appends after it
    assert journal.read_bytes()[:size] == _damaged_bytes
    found = check(tmp_path)
    assert not found["ok"] and found["problems"] == [f"{journal}: line 2 (byte offset {offset}) fails its checksum"]
    assert main(["--data-dir", str(tmp_path), "store", "check"]) == 1


def test_a_damaged_last_line_is_dropped_as_torn(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.upsert(batch(0))
    store.upsert(batch(1))
    journal = tmp_path / JOURNAL
    _flip(journal, journal.stat().st_size - 20)
    assert EmbeddedStore(tmp_path).stats()["labels"]["Post"] == 1
    assert check(tmp_path)["ok"]


def test_store_check_and_backup_give_a_consistent_copy(tmp_path, capsys):
    data, copy = tmp_path / "data", tmp_path / "copy"
    assert ingest_file(EmbeddedStore(data), write_spend(tmp_path / "spend.csv", 50)).exit_code == 0
    assert main(["--data-dir", str(data), "store", "check"]) == 0
    assert main(["--data-dir", str(data), "store", "backup", str(copy)]) == 0
    capsys.readouterr()
    assert EmbeddedStore(copy).export() == EmbeddedStore(data).export()
    assert main(["--data-dir", str(data), "store", "backup", str(copy)]) == 1  # not empty: refused
    assert "not empty" in capsys.readouterr().err


def test_a_file_that_fails_part_way_stores_nothing(any_store, tmp_path):
    """A reader that fails after 5,000 records (two batches already in the unit): none of them is stored, and the
    audit callback hears of the failure once."""
    def items():
        for row in range(2, 5002):
            yield Item(f"row {row}", Provenance(source="people.csv", locator=f"row {row}"),
                       nodes=[{"label": "Person", "key": f"person:p{row}", "props": {"name": f"P {row}"}}])
        raise UnreadableInput("people.csv: cut off after row 5001")

    outcomes = []

    def audited(report):
        outcomes.append(report)
        return Receipt(str(tmp_path / "audit.log"), '{"file": "people.csv"}')

    report = ingest(any_store, items(), source="people.csv", fmt="register", receipt=audited)
    assert report.error and report.exit_code == 2 and outcomes == [report]
    assert any_store.stats()["nodes"] == 0
    assert (tmp_path / "audit.log").read_text().splitlines() == ['{"file": "people.csv"}']


def test_a_unit_is_invisible_until_its_commit_and_gone_if_its_writer_dies(tmp_path):
    store, reader = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    with store.unit() as unit:
        unit.upsert(batch(0))
        unit.upsert(batch(1))
        assert reader.stats()["nodes"] == 0 and store.stats()["nodes"] == 0
    assert reader.stats()["labels"]["Post"] == 2
    with pytest.raises(RuntimeError):
        with store.unit() as unit:
            unit.upsert(batch(2))
            raise RuntimeError("killed")  # its lines stay in the journal without a commit
    assert EmbeddedStore(tmp_path).stats()["labels"]["Post"] == 2
    store.upsert(batch(3))
    assert EmbeddedStore(tmp_path).stats()["labels"]["Post"] == 3
    assert check(tmp_path)["units_abandoned"] == 1


PAYMENT_KEY = "payment:dacorum-borough-council-t0"


def test_a_key_of_another_label_is_a_located_rejection(any_store, tmp_path):
    """A 360Giving recipient id equal to a stored Payment's key, and a register naming a KPI rating's key as a
    partner: both rejected at the row, field 'key', and the Payment and the rating keep their labels."""
    assert ingest_file(any_store, write_spend(tmp_path / "spend.csv", 3)).exit_code == 0
    [payment] = [n for n in any_store.export()[0] if n.label == "Payment"][:1]
    grants = tmp_path / "grants.csv"
    grants.write_text(
        "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,"
        "Recipient Org:Name,Funding Org:Identifier,Funding Org:Name\n"
        f"360G-DBC-1,Community grant,Youth club,GBP,5000,2024-04-01,{payment.key},Hemel Youth Club,"
        "GB-LAE-DAC,Dacorum Borough Council\n")
    report = ingest_file(any_store, grants)
    assert report.rejected[0].locator == "row 2" and report.rejected[0].field == "key", report.as_dict()
    assert "Payment" in report.rejected[0].reason and {r.locator for r in report.rejected} == {"row 2"}
    assert report.created == 0
    assert any_store.get(payment.key).label == "Payment"


def test_uploads_keep_their_name_and_are_removed(store, server, tmp_path):
    admin = server.client(Role.admin)
    document = b"Policy title: Tree Management Policy\nVersion: 2\nReview date: 01/04/2026\n"
    response = admin.post("/api/v1/ingest", files={"file": ("tree-policy.txt", document)},
                          data={"format": "policy-document"})
    assert response.status_code == 200, response.text
    [policy] = [n for n in store.export()[0] if n.label == "Policy"]
    assert policy.props["document_location"] == "tree-policy.txt" and policy.provenance.source == "tree-policy.txt"
    for bad in ("..", ".", "/", ""):
        answer = admin.post("/api/v1/ingest", files={"file": (bad, b"Supplier Name,Amount\nAcme,1.00\n")})
        assert answer.status_code in (400, 422), (bad, answer.text)  # "" is no upload at all to the form parser
    assert not any((server.app.state.settings.data_dir / "uploads").iterdir())


def test_the_data_directory_is_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        data = tmp_path / "data"
        store = EmbeddedStore(data)
        assert ingest_file(store, write_spend(tmp_path / "spend.csv", 5)).exit_code == 0
        store.compact()
        store.upsert(batch(0))
        from graph_service.access import audit

        audit.record(data, "ingest", audit.command_line_actor(), "cli")
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

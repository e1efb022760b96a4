"""Ingest over HTTP and the CLI: roles, the upload limit, reports and exit codes, both backends."""
from __future__ import annotations

import json
from pathlib import Path

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.config import Settings
from graph_service.ingest import ingest_file
from tests.conftest import LiveServer
from graph_service.queries import ask

SPEND = ("Organisation Name,Supplier Name,Amount,Payment Date\n"
         "Dacorum Borough Council,Acme Ltd,\"1,708.75\",06/06/2023\n"
         "Dacorum Borough Council,ACME LIMITED,Redacted,07/06/2023\n")


def test_admin_uploads_a_file_and_gets_the_report(store, server):
    files = {"file": ("spend-june.csv", SPEND.encode("cp1252"), "text/csv")}
    assert server.client(Role.procurement).post("/api/v1/ingest", files=files).status_code == 403
    response = server.client(Role.admin).post("/api/v1/ingest", files=files)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["format"], report["source"], report["exit_code"]) == ("spend-csv", "spend-june.csv", 3)
    assert report["rejected"] == [{"source": "spend-june.csv", "locator": "row 3", "field": "amount",
                                   "reason": "no amount (blank, 'NA' or redacted)"}]
    [payment] = [n for n in store.export()[0] if n.label == "Payment"]
    assert payment.provenance.source == "spend-june.csv" and payment.provenance.locator == "row 2"
    again = server.client(Role.admin).post("/api/v1/ingest", files=files, data={"format": "spend-csv"}).json()
    assert (again["created"], again["updated"]) == (0, 0)


def test_an_unreadable_upload_is_422_and_stores_nothing(store, server):
    response = server.client(Role.admin).post("/api/v1/ingest", files={"file": ("x.json", b'{"releases": [', "application/json")})
    assert response.status_code == 422 and response.json()["error"]["code"] == "unreadable_input"
    assert store.stats()["nodes"] == 0


def test_uploads_over_the_limit_are_refused_with_413(store, tmp_path):
    settings = Settings.from_env(backend="embedded", data_dir=str(tmp_path / "keys"), max_upload_mb=1)
    with LiveServer(settings, store) as running:
        big = b"Supplier Name,Amount\n" + b"Acme Ltd,1.00\n" * 100_000  # 1.4 MB
        response = running.client(Role.admin).post("/api/v1/ingest", files={"file": ("big.csv", big, "text/csv")})
        assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
        assert running.client(Role.admin).post("/api/v1/ingest", files={"file": ("no.txt", b"", "text/plain")}, data={
            "format": "nonsense"}).status_code == 400
    assert store.stats()["nodes"] == 0


def test_cli_exit_codes_0_3_2(store, tmp_path: Path, capsys):
    good, partial, broken = tmp_path / "good.csv", tmp_path / "partial.csv", tmp_path / "broken.json"
    good.write_text(SPEND.rsplit("\n", 2)[0] + "\n")
    partial.write_text(SPEND)
    broken.write_text('{"grants": [{"id": ')
    data = ["--data-dir", str(store.dir)]
    assert main([*data, "ingest", str(good)]) == 0
    assert main([*data, "ingest", str(partial), "--json"]) == 3
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["rejected"][0]["locator"] == "row 3"
    assert main([*data, "ingest", str(broken)]) == 2
    assert "nothing was stored" in capsys.readouterr().err
    assert main([*data, "ingest", str(good), "--format", "contracts-csv"]) == 2


def test_the_same_ingest_gives_the_same_graph_on_both_backends(any_store, tmp_path):
    """Identity resolution asks the store through named queries, so Neo4j resolves alike."""
    spend = tmp_path / "spend.csv"
    spend.write_text("Organisation Name,Supplier Name,Company Number,Amount,Payment Date\n"
                     "Dacorum Borough Council,HC-One Ltd,4142000,10.00,01/04/2024\n"
                     "Dacorum Borough Council,HC-One Limited,,12.00,02/04/2024\n"
                     "Dacorum Borough Council,Footlights,06447020,5.00,02/04/2024\n"
                     "Dacorum Borough Council,Footlights,07363900,6.00,02/04/2024\n"
                     "Dacorum Borough Council,FOOTLIGHTS,,7.00,03/04/2024\n")
    first = ingest_file(any_store, spend)
    assert first.exit_code == 0
    second = ingest_file(any_store, spend)
    assert (second.created, second.updated) == (0, 0)
    assert any_store.get("GB-COH-04142000").props["aliases"] == ["HC-One Ltd", "HC-One Limited"]
    assert {frozenset((m["start"], m["end"])) for m in ask(any_store, "possible_matches")} == {
        frozenset(p) for p in (("GB-COH-07363900", "GB-COH-06447020"), ("org:footlights", "GB-COH-06447020"),
                               ("org:footlights", "GB-COH-07363900"))}
    [profile] = ask(any_store, "partner_profile", key="GB-COH-04142000")
    assert profile["spending"]["paid_to"] == {"payments": 2, "total": 22.0}
    stats = any_store.stats()
    assert (stats["labels"]["Payment"], stats["labels"]["Organisation"]) == (5, 5)

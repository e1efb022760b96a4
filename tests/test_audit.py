"""The audit log: every ingest and match decision, over the API and the CLI, says who, when, which file and
what changed; procurement and admin can read it; keys never appear in it; concurrent and torn appends are safe."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.access import audit
from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.store.embedded import EmbeddedStore
from graph_service.store.neo4j import Neo4jStore
from tests.kill_writer import batch
from tests.test_matches import seed as seed_matches
from graph_service.queries import ask

ROOT = Path(__file__).resolve().parents[1]
SPEND = ("Organisation Name,Supplier Name,Amount,Payment Date\nDacorum Borough Council,Acme Ltd,10.00,01/04/2024\n"
         "Dacorum Borough Council,Acme Ltd,Redacted,02/04/2024\n")


def test_an_upload_is_audited_with_who_when_the_file_and_its_counts(server):
    before = dt.datetime.now(dt.timezone.utc)
    report = server.client(Role.admin).post("/api/v1/ingest", files={"file": ("june.csv", SPEND.encode())}).json()
    unreadable = server.client(Role.admin).post("/api/v1/ingest", files={"file": ("x.json", b'{"grants": [')})
    assert unreadable.status_code == 422
    answer = server.client(Role.procurement).get("/api/v1/audit").json()
    assert answer["count"] == 2
    failed, entry = answer["entries"]  # newest first
    key = server.keys[Role.admin]
    assert entry["who"] == {"label": "test admin", "role": "admin", "key": hashlib.sha256(key.encode()).hexdigest()[:12]}
    assert (entry["action"], entry["via"], entry["format"], entry["error"]) == ("ingest", "api", "spend-csv", None)
    assert entry["file"] == {"name": "june.csv", "bytes": len(SPEND), "sha256": hashlib.sha256(SPEND.encode()).hexdigest()}
    assert entry["changes"] == {k: report[k] for k in ("items", "created", "updated", "unchanged")} | {"rejected": 1}
    assert before <= dt.datetime.fromisoformat(entry["at"]) <= dt.datetime.now(dt.timezone.utc)
    assert failed["file"]["name"] == "x.json" and "not valid JSON" in failed["error"]
    raw = (Path(server.app.state.settings.data_dir) / audit.AUDIT_FILE).read_text()
    assert all(k not in raw for k in server.keys.values())  # only a short hash of a key is ever written


def test_match_decisions_are_audited_with_the_status_they_replace(store, server, tmp_path):
    seed_matches(store, tmp_path)
    first, second = sorted(ask(store, "possible_matches"), key=lambda m: m["end"])
    admin = server.client(Role.admin)
    assert admin.post(f"/api/v1/matches/{first['id']}/confirm").status_code == 200
    assert admin.post(f"/api/v1/matches/{second['id']}/reject").status_code == 200
    assert admin.post("/api/v1/matches/m-0000000000/reject").status_code == 404  # nothing decided, nothing audited
    entries = server.client(Role.procurement).get("/api/v1/audit", params={"action": "match-decision"}).json()["entries"]
    assert [(e["match"]["id"], e["match"]["was"], e["match"]["decision"]) for e in entries] == [
        (second["id"], "pending", "rejected"), (first["id"], "pending", "confirmed")]
    assert entries[0]["match"]["start_name"] == "Footlights" and entries[0]["who"]["label"] == "test admin"


def test_the_cli_audits_its_writes_and_prints_the_log(store, tmp_path, capsys):
    data = ["--data-dir", str(store.dir)]
    spend = tmp_path / "spend.csv"
    spend.write_text(SPEND)
    assert main([*data, "ingest", str(spend)]) == 3
    (tmp_path / "matches").mkdir()
    seed_matches(store, tmp_path / "matches")
    [match, _] = ask(store, "possible_matches")
    assert main([*data, "matches", "reject", match["id"]]) == 0
    capsys.readouterr()
    assert main([*data, "audit", "--json"]) == 0
    ingest, decision = json.loads(capsys.readouterr().out)
    assert ingest["via"] == decision["via"] == "cli" and ingest["who"]["role"] == "command line"
    assert ingest["file"]["name"] == str(spend.resolve()) and ingest["changes"]["rejected"] == 1
    assert decision["match"]["decision"] == "rejected"
    assert main([*data, "audit", "--action", "ingest"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert f"ingest {spend.resolve()} (spend-csv): {ingest['changes']['created']} created" in line
    assert line.endswith("1 rejected") and "(command line)" in line


def test_the_log_filters_by_action_day_and_count(tmp_path):
    actor = audit.Actor("someone", "admin", "0123456789ab")
    for n in range(5):
        audit.record(tmp_path, "ingest", actor, "api", file={"name": f"{n}.csv"})
    audit.record(tmp_path, "match-decision", actor, "api", match={"id": "m-1"})
    assert [e["file"]["name"] for e in audit.entries(tmp_path, action="ingest", limit=2)] == ["3.csv", "4.csv"]
    assert len(audit.entries(tmp_path, since=dt.date.today())) == 6
    assert audit.entries(tmp_path, since=dt.date.today() + dt.timedelta(days=1)) == []


def test_a_torn_line_is_skipped_and_the_next_entry_starts_on_its_own_line(tmp_path):
    actor = audit.Actor("someone", "admin")
    audit.record(tmp_path, "ingest", actor, "api", file={"name": "first.csv"})
    with (tmp_path / audit.AUDIT_FILE).open("ab") as log:
        log.write(b'{"at": "2024-01-01T00:00:00+00:00", "action": "ing')  # a crash mid-append
    audit.record(tmp_path, "ingest", actor, "api", file={"name": "second.csv"})
    assert [e["file"]["name"] for e in audit.entries(tmp_path)] == ["first.csv", "second.csv"]


def test_processes_appending_at_once_interleave_whole_lines(tmp_path):
    script = ("import sys\nfrom pathlib import Path\nfrom graph_service.access import audit\n"
              "for n in range(200):\n"
              "    audit.record(Path(sys.argv[1]), 'ingest', audit.Actor(sys.argv[2], 'admin'), 'cli',"
              " file={'name': 'x' * 5000})\n")
    writers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), f"writer {n}"], cwd=ROOT) for n in range(3)]
    assert [w.wait(60) for w in writers] == [0, 0, 0]
    lines = (tmp_path / audit.AUDIT_FILE).read_bytes().splitlines()
    assert len(lines) == 600 and all(json.loads(line)["file"]["name"] == "x" * 5000 for line in lines)


def _restarted(store):
    """The store as the next process finds it: the embedded one opened afresh, Neo4j's settled on first write."""
    if store.backend == "embedded":
        return EmbeddedStore(store.dir)
    store.settle()
    return store


def test_a_writer_killed_between_its_commit_and_its_audit_entry_is_audited_by_the_next_process(any_store, tmp_path,
                                                                                                 monkeypatch):
    """The entry travels with the commit: a writer that dies before appending it (its settling cut off here)
    leaves the next process to append it, once; a unit that never committed leaves none."""
    log = tmp_path / "audit" / audit.AUDIT_FILE
    stored, failed = (audit.receipt(log.parent, "ingest", audit.command_line_actor(), "cli", file={"name": name})
                      for name in ("stored.csv", "failed.csv"))
    with monkeypatch.context() as killed:
        killed.setattr("graph_service.store.embedded.settle", lambda receipts: None)
        killed.setattr(Neo4jStore, "settle", lambda self: None)
        with any_store.unit(receipt=lambda: stored) as unit:
            unit.upsert(batch(0))
        with pytest.raises(RuntimeError), any_store.unit(receipt=lambda: failed) as unit:
            unit.upsert(batch(1))
            raise RuntimeError("killed before the commit")
    assert not log.exists()
    assert _restarted(any_store).stats()["labels"]["Post"] == 1
    assert log.read_text().splitlines() == [stored.line]
    _restarted(any_store)  # and the one after finds it there
    assert log.read_text().splitlines() == [stored.line]

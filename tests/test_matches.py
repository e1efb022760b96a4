"""Reviewing uncertain matches: list, confirm, reject, over the CLI and the API; decisions stick."""
from __future__ import annotations

import json
from pathlib import Path

from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.ingest import ingest_file
from graph_service.ingest.resolver import match_id
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.queries import ask

HEADER = "Organisation Name,Supplier Name,Amount,Payment Date\n"


def seed(store, tmp_path: Path) -> Path:
    """Two companies called Footlights, then a spend line naming 'Footlights' with no number."""
    prov = Provenance(source="grants.csv", locator="row 2")
    store.upsert(Batch(nodes=[
        NodeRecord(label="Organisation", key=key, props={"name": "Footlights", "identifiers": [key]}, provenance=prov)
        for key in ("GB-COH-06447020", "GB-COH-07363900")]))
    path = tmp_path / "spend.csv"
    path.write_text(HEADER + "Dacorum Borough Council,Footlights,50.00,01/04/2024\n")
    ingest_file(store, path)
    return path


def test_cli_lists_and_decides(store, tmp_path, capsys):
    seed(store, tmp_path)
    data = ["--data-dir", str(store.dir)]
    assert main([*data, "matches", "--json"]) == 0
    pending = json.loads(capsys.readouterr().out)
    assert {(m["start"], m["end"]) for m in pending} == {("org:footlights", "GB-COH-06447020"),
                                                        ("org:footlights", "GB-COH-07363900")}
    first, second = sorted(pending, key=lambda m: m["end"])
    assert main([*data, "matches", "confirm", first["id"]]) == 0
    assert main([*data, "matches", "reject", second["id"]]) == 0
    capsys.readouterr()
    assert main([*data, "matches", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*data, "matches", "--status", "all", "--json"]) == 0
    decided = {m["id"]: m for m in json.loads(capsys.readouterr().out)}
    assert decided[first["id"]]["status"] == "confirmed" and decided[second["id"]]["status"] == "rejected"
    store_view = [r for r, _ in store.neighbours("org:footlights") if r.props.get("match_id") == first["id"]][0]
    assert store_view.provenance.source == "officer review"
    assert store_view.history[-1]["props"]["status"] == "pending"
    assert main([*data, "matches", "confirm", "m-0000000000"]) == 1


def test_decisions_survive_reloading_the_file(store, tmp_path):
    path = seed(store, tmp_path)
    for match in ask(store, "possible_matches"):
        main(["--data-dir", str(store.dir), "matches", "reject", match["id"]])
    report = ingest_file(store, path)
    assert (report.created, report.updated) == (0, 0)
    assert ask(store, "possible_matches") == []
    assert {m["status"] for m in ask(store, "possible_matches", status=None)} == {"rejected"}


def test_a_confirmed_match_makes_the_name_unambiguous_for_later_files(store, tmp_path):
    prov = Provenance(source="seed")
    keys = ("GB-CHC-1000001", "GB-COH-06447020")
    store.upsert(Batch(
        nodes=[NodeRecord(label="Organisation", key=k, props={"name": "Footlights Theatre", "identifiers": [k]},
                          provenance=prov) for k in keys],
        rels=[RelRecord(type="POSSIBLY_SAME_AS", start=keys[1], end=keys[0], provenance=prov,
                        props={"score": 0.8, "reason": "same name", "status": "pending", "match_id": match_id(*keys)})]))
    main(["--data-dir", str(store.dir), "matches", "confirm", match_id(*keys)])
    later = tmp_path / "later.csv"
    later.write_text(HEADER + "Dacorum Borough Council,FOOTLIGHTS THEATRE,75.00,01/05/2024\n")
    report = ingest_file(store, later)
    assert report.exit_code == 0 and ask(store, "possible_matches") == []
    assert "FOOTLIGHTS THEATRE" in store.get("GB-CHC-1000001").props["aliases"]


def test_without_a_decision_the_same_name_stays_apart(store, tmp_path):
    prov = Provenance(source="seed")
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key=k, props={"name": "Footlights Theatre", "identifiers": [k]},
                                         provenance=prov) for k in ("GB-CHC-1000001", "GB-COH-06447020")]))
    later = tmp_path / "later.csv"
    later.write_text(HEADER + "Dacorum Borough Council,FOOTLIGHTS THEATRE,75.00,01/05/2024\n")
    ingest_file(store, later)
    assert store.get("org:footlights-theatre") is not None
    assert len(ask(store, "possible_matches")) == 2


def test_api_roles_for_matches(store, server, tmp_path):
    seed(store, tmp_path)
    assert server.client(Role.viewer).get("/api/v1/matches").status_code == 403
    pending = server.client(Role.procurement).get("/api/v1/matches").json()
    assert len(pending) == 2
    match_id = pending[0]["id"]
    # who sees the restricted match reviews decides them: procurement and admin, not an editor
    assert server.client(Role.editor).post(f"/api/v1/matches/{match_id}/confirm").status_code == 403
    confirmed = server.client(Role.procurement).post(f"/api/v1/matches/{match_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    rejected = server.client(Role.admin).post(f"/api/v1/matches/{pending[1]['id']}/reject").json()
    assert rejected["status"] == "rejected"
    assert server.client(Role.procurement).get("/api/v1/matches").json() == []
    everything = server.client(Role.procurement).get("/api/v1/matches", params={"status": "all"}).json()
    assert {m["status"] for m in everything} == {"confirmed", "rejected"}
    missing = server.client(Role.admin).post("/api/v1/matches/m-0000000000/reject")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"

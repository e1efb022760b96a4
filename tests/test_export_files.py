"""`graph-service export --format jsonl|graphml|csv`: the whole graph, as one role may see it, and the
copy between backends as a user runs it."""
from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graph_service.access.auth import Role
from graph_service.answers.export import graph_records
from graph_service.cli import main
from graph_service.records import Batch, NodeRecord, Provenance
from graph_service.reference import load_reference
from graph_service.schema import schema
from graph_service.store.embedded import EmbeddedStore

HOSTILE = "=HYPERLINK(\"http://example.invalid\",\"click\")"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    store = EmbeddedStore(folder)
    load_reference(store)
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="org:hostile", props={"name": HOSTILE},
                                         provenance=Provenance(source="test", locator="row 1"))]))
    store.close()
    return folder


def _export(data_dir, tmp_path, fmt: str, role: str, capsys) -> str:
    out = tmp_path / f"graph.{fmt}" if fmt != "csv" else tmp_path / "graph-csv"
    assert main(["export", "--format", fmt, "--out", str(out), "--role", role, "--data-dir", str(data_dir)]) == 0
    assert "as " + role + " sees them" in capsys.readouterr().out
    return str(out)


def _jsonl(data_dir, tmp_path, role, capsys) -> list[dict]:
    with open(_export(data_dir, tmp_path, "jsonl", role, capsys), encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_jsonl_holds_every_node_and_relationship_for_an_admin(data_dir, tmp_path, capsys):
    records = _jsonl(data_dir, tmp_path, "admin", capsys)
    nodes, rels = EmbeddedStore(data_dir).export()
    assert sum(r["kind"] == "node" for r in records) == len(nodes)
    assert sum(r["kind"] == "relationship" for r in records) == len(rels)
    first = next(r for r in records if r["kind"] == "relationship")
    assert set(first) == {"kind", "type", "start", "end", "props", "provenance"}
    assert set(records[0]) == {"kind", "label", "key", "props", "provenance"}
    assert any(r["provenance"]["illustrative"] for r in records) and any(not r["provenance"]["illustrative"]
                                                                         for r in records)


def test_a_viewer_export_carries_nothing_restricted(data_dir, tmp_path, capsys):
    records = _jsonl(data_dir, tmp_path, "viewer", capsys)
    hidden_labels = {name for name in schema().labels if schema().fully_restricted(name)}
    assert hidden_labels and not any(r.get("label") in hidden_labels for r in records)
    for record in (r for r in records if r["kind"] == "node"):
        assert not set(record["props"]) & schema().label(record["label"]).restricted, record["key"]
    keys = {r["key"] for r in records if r["kind"] == "node"}
    assert all(r["start"] in keys and r["end"] in keys for r in records if r["kind"] == "relationship")
    procurement = _jsonl(data_dir, tmp_path, "procurement", capsys)
    assert any(r.get("label") in hidden_labels for r in procurement)
    assert any("value" in r["props"] for r in procurement if r.get("label") == "Contract")


def test_graphml_opens_in_networkx_with_provenance(data_dir, tmp_path, capsys):
    graph = nx.read_graphml(_export(data_dir, tmp_path, "graphml", "viewer", capsys))
    assert graph.nodes["GB-LAE-DAC"]["label"] == "Organisation"
    assert graph.nodes["GB-LAE-DAC"]["provenance_source"] == "new-normal-strategy-2019-2024.txt"
    assert json.loads(graph.nodes["GB-LAE-DAC"]["aliases"]) == ["DBC", "Dacorum"]
    viewer_nodes = sum(r["kind"] == "node" for r in _jsonl(data_dir, tmp_path, "viewer", capsys))
    assert graph.number_of_nodes() == viewer_nodes


def test_csv_is_a_folder_per_label_and_type_and_never_runs_a_formula(data_dir, tmp_path, capsys):
    folder = tmp_path / "graph-csv"
    _export(data_dir, tmp_path, "csv", "procurement", capsys)
    names = {p.name for p in folder.iterdir()}
    assert {"nodes-Organisation.csv", "nodes-Contract.csv", "relationships-SUPPLIES.csv"} <= names
    with open(folder / "nodes-Organisation.csv", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    hostile = next(r for r in rows if r["key"] == "org:hostile")
    assert hostile["name"] == "'" + HOSTILE and hostile["illustrative"] == "false"
    with open(folder / "nodes-Contract.csv", encoding="utf-8") as table:
        values = [r["value"] for r in csv.DictReader(table) if r["value"]]
    assert values and all(float(v) for v in values)  # numbers stay numbers, not quoted text


def test_export_needs_an_out_and_only_jsonl_goes_to_stdout(data_dir, capsys):
    assert main(["export", "--format", "csv", "--data-dir", str(data_dir)]) == 1
    assert "needs --out" in capsys.readouterr().err
    assert main(["export", "--format", "graphml", "--out", "-", "--data-dir", str(data_dir)]) == 1
    assert main(["export", "--format", "jsonl", "--out", "-", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["kind"] == "node"


def _comparable(records):
    return [{**r, "provenance": {k: v for k, v in r["provenance"].items() if k != "loaded_at"}} for r in records]


def test_both_backends_export_the_same_graph(any_store, tmp_path):
    load_reference(any_store)
    embedded = EmbeddedStore(tmp_path / "twin")
    load_reference(embedded)
    for role in (Role.viewer, Role.procurement):
        assert _comparable(graph_records(any_store, role)) == _comparable(graph_records(embedded, role))


@pytest.mark.neo4j
def test_export_to_neo4j_copies_the_embedded_store(data_dir, neo4j_store, monkeypatch, capsys):
    from graph_service.store import neo4j_server

    uri, user, password = neo4j_server.connection_settings()
    for name, value in {"NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}.items():
        monkeypatch.setenv(name, value)
    assert main(["export", "--to", "neo4j", "--data-dir", str(data_dir)]) == 0
    assert "sample answers agree" in capsys.readouterr().out

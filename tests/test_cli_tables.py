"""The terminal: every text table has a heading row over aligned columns, `--json` and `--csv` print
nothing but their data, and a command against Neo4j prints only its answer (stderr empty)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from graph_service.cli import main
from graph_service.cli.table import print_table
from tests.conftest import ROOT

AS_OF = "2026-06-30"


def test_a_table_has_headings_and_aligned_columns():
    out = io.StringIO()
    print_table([{"name": "Waste", "spend": 1250.5, "note": None}, {"name": "Housing repairs", "spend": 12, "note": "a\nb"}],
                ["name", "spend", "note"], out=out)
    heading, rule, *rows = out.getvalue().splitlines()
    assert heading.split() == ["name", "spend", "note"]
    assert [len(part) for part in rule.split("  ")] == [len("Housing repairs"), len("1,250.50"), len("note")]
    assert rows == ["Waste            1,250.50  -", "Housing repairs        12  a b"]  # numbers right, text left


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("tables")
    assert main(["load-reference", "--data-dir", str(path)]) == 0
    return path


@pytest.mark.parametrize("view", ["expiring", "concentration"])
def test_procurement_tables_have_headings(data_dir, capsys, view):
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "procurement", view, "--buyer", "all", "--as-of", AS_OF]) == 0
    lines = capsys.readouterr().out.splitlines()
    heading, rule = lines[1], lines[2]
    assert "buyer" in heading.split() and set(rule.strip()) <= {"-", " "}
    columns = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    assert all(heading[i - 1] == " " for i in columns[1:])  # each heading starts its column


@pytest.mark.parametrize("args", [["stats"], ["stakeholders", "--top", "5"], ["partner", "council"],
                                  ["changes", "--from", "2025-01-01"]])
def test_other_tables_have_a_rule_under_their_headings(data_dir, capsys, args):
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) <= {"-", " "}]
    assert rules and all(lines[i - 1].strip() for i in rules)


def test_json_and_csv_are_machine_clean(data_dir, capsys):
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "procurement", "expiring", "--buyer", "all", "--csv"]) == 0
    done = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(done.out)))
    assert rows and "buyer" in rows[0] and done.err == ""
    assert main(["--data-dir", str(data_dir), "procurement", "concentration", "--json"]) == 0
    done = capsys.readouterr()
    assert json.loads(done.out)["services"] is not None and done.err == ""


@pytest.mark.neo4j
@pytest.mark.parametrize("args", [["procurement", "expiring", "--buyer", "all"], ["stakeholders", "--top", "3"],
                                  ["partner", "org:hertfordshire-lep"], ["gaps"], ["health", "--json"],
                                  ["changes", "--from", "2025-01-01"]])
def test_a_neo4j_command_prints_only_its_answer(neo4j_reference_store, tmp_path, args):
    """The named queries read labels and properties the graph may not hold; the driver is told not to
    send those notifications, so nothing but the answer reaches the terminal."""
    env = {**os.environ, "GRAPH_SERVICE_BACKEND": "neo4j", "GRAPH_SERVICE_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "graph_service.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and done.stderr == ""

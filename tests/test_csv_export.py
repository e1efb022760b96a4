"""CSV exports (health, expiring contracts, maps) neutralise formula injection in text cells only:
a name starting with =, +, -, @, tab or CR gets a leading apostrophe; numbers, negative ones included,
stay numbers."""
from __future__ import annotations

import csv
import io

import pytest

from graph_service.cli import main
from graph_service.csv_export import neutralise
from graph_service.records import Batch, NodeRecord, Provenance
from graph_service.store.embedded import EmbeddedStore
from tests.test_health_fixture import AS_OF, A, load
from visualisations.view import MapNode, MapView, to_csv

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_like_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, -3, 0, 12.0, "-3.5", "+1", "1e5", None, True, "Acme Ltd", "a=b"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise(value) == value


def test_the_map_csv_keeps_negative_numbers_as_numbers():
    view = MapView("grid", "t", "", [MapNode("org:x", "", FORMULAS[0], "-category", "#000", -2.5, x=-10.0, y=3.0)], [], [])
    [row] = list(csv.DictReader(io.StringIO(to_csv(view))))
    assert (row["name"], row["category"], row["size"], row["x"]) == ("'" + FORMULAS[0], "'-category", "-2.5", "-10.0")


def test_the_health_and_expiring_contracts_csvs_neutralise_names(tmp_path, capsys):
    store = EmbeddedStore(tmp_path)
    load(store)
    prov = Provenance(source="csv test (synthetic)")
    store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key=A, props={"name": FORMULAS[0]}, provenance=prov),
                              NodeRecord(label="Contract", key="contract:waste-1", props={"title": FORMULAS[1]},
                                         provenance=prov)], rels=[]))
    store.close()
    assert main(["--data-dir", str(tmp_path), "health", "--csv", "--as-of", AS_OF]) == 0
    health = {r["partner"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert health[A]["name"] == "'" + FORMULAS[0]
    assert all(not r["name"].startswith(("=", "+", "@")) for r in health.values())
    assert main(["--data-dir", str(tmp_path), "procurement", "expiring", "--csv", "--as-of", AS_OF]) == 0
    text = capsys.readouterr().out
    assert "'" + FORMULAS[1] in text.replace('""', '"') and "\n+cmd" not in text and ",+cmd" not in text

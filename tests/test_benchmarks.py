"""The benchmark generator at a tiny size: deterministic, realistic identifiers, and every CSV row ingests.

Not a timing test: the figures live in docs/benchmarks.md (python -m benchmarks.run).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from benchmarks.generate import FILES, SIZES, csv_items, items, write_csv
from benchmarks.load_csv import STATEMENTS, statements
from graph_service.store.embedded import EmbeddedStore
from graph_service.ingest.pipeline import ingest
from graph_service.reference import load_reference

TINY = SIZES["tiny"]


def _read(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path) -> None:
    first = write_csv(TINY, tmp_path / "a", seed=3)
    write_csv(TINY, tmp_path / "b", seed=3)
    write_csv(TINY, tmp_path / "c", seed=4)
    assert _read(tmp_path / "a") == _read(tmp_path / "b")
    assert _read(tmp_path / "a") != _read(tmp_path / "c")
    assert first["organisations.csv"] == TINY.partners and first["contracts.csv"] == TINY.contracts
    assert all(first[name] > 0 for name in FILES)
    assert [i.nodes for i in items(TINY, seed=3)] == [i.nodes for i in items(TINY, seed=3)]


def test_identifiers_and_names_look_real(tmp_path: Path) -> None:
    write_csv(SIZES["council"].scaled(0.05), tmp_path, seed=1)
    with (tmp_path / "organisations.csv").open(newline="") as handle:
        orgs = list(csv.DictReader(handle))
    ids = [i for o in orgs for i in o["identifiers"].split("; ") if i]
    assert any(re.fullmatch(r"GB-COH-0\d{7}", i) for i in ids)
    assert any(re.fullmatch(r"GB-CHC-1\d{6}", i) for i in ids)
    assert all(re.fullmatch(r"GB-COH-0\d{7}|GB-CHC-1\d{6}|GB-LAE-[A-Z]{3}", i) for i in ids)
    assert len({o["key"] for o in orgs}) == len(orgs) and len({o["name"] for o in orgs}) == len(orgs)
    assert any(o["aliases"] for o in orgs), "some partners are published under name variants"
    with (tmp_path / "contracts.csv").open(newline="") as handle:
        contracts = list(csv.DictReader(handle))
    assert all(c["start_date"] <= c["end_date"] for c in contracts)
    assert any(c["succeeds"] for c in contracts)


def test_csv_rows_ingest_with_no_rejections(tmp_path: Path) -> None:
    write_csv(TINY, tmp_path / "csv", seed=2)
    store = EmbeddedStore(tmp_path / "store")
    assert not [r for report in load_reference(store, include_illustrative=False) for r in report.rejected]
    rows = 0
    for name in FILES:
        report = ingest(store, csv_items(tmp_path / "csv" / name), source=name, fmt="benchmark-csv")
        assert report.rejected == [] and report.error is None, (name, report.rejected[:3])
        rows += report.items
    assert rows == sum(1 for name in FILES for _ in csv.DictReader((tmp_path / "csv" / name).open(newline="")))
    stats = store.stats()
    assert stats["labels"]["Contract"] == TINY.contracts
    assert stats["relationship_types"]["SUPPLIES"] >= TINY.contracts
    # a second load of the same rows changes nothing
    again = ingest(store, csv_items(tmp_path / "csv" / "contracts.csv"), source="contracts.csv", fmt="benchmark-csv")
    assert again.created == again.updated == 0


def test_every_file_has_a_load_csv_statement() -> None:
    assert set(STATEMENTS) == set(FILES)
    texts = statements("payments.csv", 1000)
    assert len(texts) == 5  # the Payment nodes, then PAID_BY, PAID_TO, PAID_FOR and PAID_UNDER
    assert all(t.startswith("LOAD CSV WITH HEADERS FROM $url") and "IN TRANSACTIONS OF 1000 ROWS" in t for t in texts)

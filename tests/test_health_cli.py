"""`graph-service health`, `impact` and `procurement` against a real store directory."""
from __future__ import annotations

import csv
import io
import json

import pytest

from graph_service.store.embedded import EmbeddedStore
from graph_service.cli import main
from graph_service.answers.health.snapshots import SNAPSHOT_DIR
from tests.test_health_fixture import AS_OF, A, B, C, load


@pytest.fixture
def data_dir(tmp_path):
    directory = tmp_path / "cli-data"
    load(EmbeddedStore(directory))
    return directory


def run(capsys, data_dir, *args: str) -> str:
    assert main(["--data-dir", str(data_dir), *args, "--as-of", AS_OF]) == 0
    return capsys.readouterr().out


def test_the_portfolio_as_text_json_and_csv(capsys, data_dir):
    text = run(capsys, data_dir, "health").splitlines()
    assert text[0] == f"Partner relationship health as of {AS_OF} for Dacorum Borough Council: 2 green, 0 amber, 2 red"
    assert text[1].split()[:2] == ["rank", "score"]  # the table's headings
    assert "Community Advice Trust" in text[3] and "Acme Waste Ltd" in text[4]
    report = json.loads(run(capsys, data_dir, "health", "--json", "--rating", "green"))
    assert [r["partner"] for r in report["partners"]] == ["org:police", B]
    rows = list(csv.DictReader(io.StringIO(run(capsys, data_dir, "health", "--csv", "--persona", "Contractors"))))
    assert [(r["partner"], r["rating"]) for r in rows] == [(A, "red"), (B, "green")]
    assert rows[1]["score"] == "86.76" and rows[1]["quality_sub_score"] == "100.0"
    assert [r["provisional"] for r in rows] == ["False", "False"]
    assert [r["illustrative"] for r in rows] == ["False", "False"]  # the fixture's partners are not generated
    police = next(r for r in csv.DictReader(io.StringIO(run(capsys, data_dir, "health", "--csv"))) if r["partner"] == "org:police")
    assert police["provisional"] == "True"  # scored on 30% of the model's weight
    assert any("green (provisional)" in line and "30%" in line for line in text)


def test_one_partner_with_its_evidence(capsys, data_dir):
    text = run(capsys, data_dir, "health", A)
    assert text.startswith(f"Acme Waste Ltd  ({A})  as of {AS_OF}")
    assert "Capped at red: the only provider of Waste collection (a critical service)" in text
    assert "[health-fixture.csv: row" in text and "; kpi:waste-1-missed-collections-2026-06-30]" in text
    assert "  engagement     no data    0.00    0.00  no engagement recorded" in text


def test_save_a_snapshot_and_see_the_change(capsys, data_dir):
    run(capsys, data_dir, "health", "--save")
    assert (data_dir / SNAPSHOT_DIR / f"{AS_OF}.json").exists()
    assert main(["--data-dir", str(data_dir), "health", C, "--as-of", "2026-07-15"]) == 0
    text = capsys.readouterr().out
    # a fortnight on, C's one meeting has faded a little: only engagement moved
    assert f"Change since {AS_OF}: -" in text and "(engagement -" in text and "governance" not in text.split("Change")[1].split("\n")[0]


def test_impact_and_procurement_views(capsys, data_dir):
    text = run(capsys, data_dir, "impact", A)
    assert "Waste collection  (service:waste) (critical), NO other provider" in text
    assert "owned by GM Environment (Alice Able)" in text
    rows = list(csv.DictReader(io.StringIO(run(capsys, data_dir, "procurement", "expiring", "--csv"))))
    assert [(r["contract"], r["successor_status"]) for r in rows] == [
        ("contract:repairs-b-small", "successor let"), ("contract:repairs-a", "exit plan only"), ("contract:waste-1", "none")]
    answer = json.loads(run(capsys, data_dir, "procurement", "kraljic", "--json"))
    assert answer["counts"]["strategic"] == 2
    assert "single-points-of-failure as of 2026-06-30 for Dacorum Borough Council: 4 row(s)" in run(capsys, data_dir, "procurement",
                                                                        "single-points-of-failure")


def test_an_unknown_partner_is_an_error(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "health", "org:nobody"]) == 1
    assert "no partner with key 'org:nobody'" in capsys.readouterr().err


def test_every_impact_line_about_generated_data_says_so(reference_store):
    from graph_service.answers.health.report import partner_impact
    from graph_service.answers.illustrative import illustrative_keys
    from graph_service.answers.policies import GENERATED
    from graph_service.cli.health import format_impact

    answer = partner_impact(reference_store, "GB-CHC-1428528", "2026-09-30")  # generated, with documented links too
    entries = [e for field in ("contracts", "grants", "services", "key_indicators", "priorities", "workstreams")
               for e in answer[field]]
    generated = illustrative_keys(reference_store, [e["key"] for e in entries])
    assert generated and len(generated) < len(entries)
    assert all(e["illustrative"] == (e["key"] in generated) for e in entries)
    lines = format_impact(answer)
    for entry in entries:
        [line] = [x for x in lines if f"({entry['key']})" in x]
        assert line.split(f"({entry['key']})")[1].startswith(f" ({GENERATED})") == entry["illustrative"], line
        holders = [h for o in entry.get("owners", []) for h in o["holders"]]
        assert all((f"{h['name']} ({GENERATED})" in line) == h["illustrative"] for h in holders), line

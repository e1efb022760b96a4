"""History: what changed between two dates, on both backends, and the route that shows it."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.queries import ask

REGISTER = Provenance(source="posts.yaml", locator="entry 1")
TODAY = dt.date.today().isoformat()


def build_history(store) -> None:
    """Ann held the GM post in 2019-2020, Bob from 2021; the post was retitled today; Acme joined a persona."""
    store.upsert(Batch(
        nodes=[NodeRecord(label="Person", key="person:ann", props={"name": "Ann"}, provenance=REGISTER),
               NodeRecord(label="Person", key="person:bob", props={"name": "Bob"}, provenance=REGISTER),
               NodeRecord(label="Post", key="post:gm", props={"title": "GM Procurement"}, provenance=REGISTER),
               NodeRecord(label="Organisation", key="org:acme", props={"name": "Acme"}, provenance=REGISTER),
               NodeRecord(label="Persona", key="persona:contractors", props={"name": "Contractors"}, provenance=REGISTER)],
        rels=[RelRecord(type="HOLDS", start="person:ann", end="post:gm", valid_from="2019-04-01",
                        valid_to="2020-09-30", provenance=REGISTER),
              RelRecord(type="HOLDS", start="person:bob", end="post:gm", valid_from="2021-01-04", provenance=REGISTER),
              RelRecord(type="HAS_PERSONA", start="org:acme", end="persona:contractors", provenance=REGISTER)]))
    store.upsert(Batch(nodes=[NodeRecord(label="Post", key="post:gm", props={"title": "GM Procurement & Contracts"},
                                         provenance=Provenance(source="org-chart.csv", locator="row 7"))]))


def events(store, date_from: str, date_to: str, **filters) -> list[tuple[str, str, str]]:
    return [(c["on"], c["change"], c["key"])
            for c in ask(store, "changed_facts", date_from=date_from, date_to=date_to, **filters)]


def test_before_between_and_after_the_changes(any_store):
    build_history(any_store)
    assert events(any_store, "2010-01-01", "2019-03-31") == []
    assert events(any_store, "2019-03-31", "2020-12-31") == [
        ("2019-04-01", "began", "person:ann|HOLDS|post:gm|2019-04-01"),
        ("2020-09-30", "ended", "person:ann|HOLDS|post:gm|2019-04-01")]
    assert events(any_store, "2020-12-31", "2021-12-31") == [
        ("2021-01-04", "began", "person:bob|HOLDS|post:gm|2021-01-04")]
    [retitled] = [c for c in ask(any_store, "changed_facts", date_from="2021-12-31", date_to=TODAY)]
    assert retitled["values"] == {"title": {"before": "GM Procurement", "after": "GM Procurement & Contracts"}}
    assert retitled["provenance"] == {"source": "org-chart.csv", "locator": "row 7", "illustrative": False}


def test_filters_narrow_to_what_they_touch(any_store):
    build_history(any_store)
    assert events(any_store, "2010-01-01", TODAY, persona="persona:contractors") == []
    assert [e[2] for e in events(any_store, "2010-01-01", TODAY, partner="post:gm")] == [
        "person:ann|HOLDS|post:gm|2019-04-01", "person:ann|HOLDS|post:gm|2019-04-01",
        "person:bob|HOLDS|post:gm|2021-01-04", "post:gm"]


def test_changes_route(store, server):
    build_history(store)
    viewer = server.client(Role.viewer)
    body = viewer.get("/api/v1/changes", params={"from": "2019-01-01", "to": "2020-12-31"}).json()
    assert body["count"] == 2 and {c["change"] for c in body["changes"]} == {"began", "ended"}
    assert body["next"] is None
    first = viewer.get("/api/v1/changes", params={"from": "2019-01-01", "to": "2020-12-31", "limit": 1}).json()
    assert first["count"] == 2 and len(first["changes"]) == 1 and "offset=1" in first["next"]
    second = viewer.get(first["next"]).json()
    assert second["next"] is None
    assert first["changes"] + second["changes"] == body["changes"]
    too_many = viewer.get("/api/v1/changes", params={"from": "2019-01-01", "limit": 100_000})
    assert too_many.status_code in (400, 422)
    refused = viewer.get("/api/v1/changes", params={"from": "2021-01-01", "to": "2020-01-01"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"


def test_changes_route_needs_from_and_runs_to_today(server):
    viewer = server.client(Role.viewer)
    response = viewer.get("/api/v1/changes", params={"to": "2020-01-01"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert "from is required" in response.json()["error"]["message"]
    answer = viewer.get("/api/v1/changes", params={"from": "2020-01-01"}).json()
    assert answer["to"] == dt.date.today().isoformat()


def test_a_policys_publication_review_and_end_of_period_are_changes(reference_store):
    """The strategy was published on 12 February 2019; its review was due in May 2020 (counted on the 31st);
    the Corporate Plan's period 2015 to 2020 ended with 2020. Each cites the line that states it."""
    strategy, plan = "policy:new-normal-strategy-2019-2024", "policy:corporate-plan-2015-2020"
    early = ask(reference_store, "changed_facts", date_from="2019-01-01", date_to="2019-03-01")
    [published] = [c for c in early if c["change"] == "published"]
    assert (published["key"], published["on"]) == (strategy, "2019-02-12")
    assert published["provenance"]["locator"].endswith("Date of publication; line 9")
    began = {c["start"] for c in early if c["change"] == "began" and c["end"] == strategy}
    assert "post:ad-people-performance-innovation" in began  # the owners it declares hold from that day
    assert [(c["key"], c["on"]) for c in ask(reference_store, "changed_facts", date_from="2020-05-30",
                                               date_to="2020-05-31") if c["change"] == "review due"] == [(strategy, "2020-05")]
    assert not [c for c in ask(reference_store, "changed_facts", date_from="2020-05-01", date_to="2020-05-30")
                if c["change"] == "review due"]  # due by the end of May, not its first day
    ended = ask(reference_store, "changed_facts", date_from="2020-12-30", date_to="2021-01-01", policy=plan)
    assert [(c["change"], c["on"]) for c in ended if c["key"] == plan] == [("period ended", "2020")]


def test_the_cli_lists_the_strategys_publication(tmp_path):
    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "graph_service.cli", *args, "--data-dir", str(tmp_path)],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("load-reference")
    out = cli("changes", "--from", "2019-01-01", "--to", "2019-03-01").splitlines()
    published = [line.split() for line in out if "policy:new-normal-strategy-2019-2024" in line and "published" in line]
    assert published and " ".join(published[0]) == (
        "12 February 2019 published Policy policy:new-normal-strategy-2019-2024 - new-normal-strategy-2019-2024.txt "
        "New Normal Strategy front sheet: Date of publication; line 9")
    generated = [line for line in out if "illustrative generator" in line]
    assert generated and all(line.endswith("(illustrative: generated example data)") for line in generated)

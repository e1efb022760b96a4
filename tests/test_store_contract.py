"""The GraphStore contract, written once and run on both backends."""
from __future__ import annotations

import pytest

from graph_service.errors import SchemaError
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord

PROV = Provenance(source="test.csv", locator="row 2")


def org(key: str, name: str, **props) -> NodeRecord:
    return NodeRecord(label="Organisation", key=key, props={"name": name, **props}, provenance=PROV)


def test_upsert_is_idempotent(any_store):
    batch = Batch(nodes=[org("GB-COH-01234567", "Acme Ltd"), org("org:beta", "Beta")],
                  rels=[RelRecord(type="WORKS_WITH", start="GB-COH-01234567", end="org:beta", provenance=PROV)])
    first = any_store.upsert(batch)
    second = any_store.upsert(batch)
    assert (first.created, first.unchanged) == (3, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert any_store.stats()["nodes"] == 2
    assert any_store.stats()["relationships"] == 1


def test_update_keeps_history_and_provenance(any_store):
    any_store.upsert(Batch(nodes=[org("org:acme", "Acme", aliases=["ACME LTD"])]))
    later = Provenance(source="spend.csv", locator="row 9")
    report = any_store.upsert(Batch(nodes=[NodeRecord(label="Organisation", key="org:acme",
                                                      props={"name": "Acme Limited", "aliases": ["Acme Ltd."]},
                                                      provenance=later)]))
    assert report.updated == 1
    node = any_store.get("org:acme")
    assert node.props["name"] == "Acme Limited"
    assert node.props["aliases"] == ["ACME LTD", "Acme Ltd."]  # list properties are unioned
    assert node.provenance.source == "spend.csv" and node.provenance.locator == "row 9"
    [previous] = node.history
    assert previous["props"]["name"] == "Acme"
    assert previous["prov"]["source"] == "test.csv"
    assert previous["replaced_at"]


def test_relationship_periods_are_separate_facts(any_store):
    person = NodeRecord(label="Person", key="person:ann", props={"name": "Ann"}, provenance=PROV)
    post = NodeRecord(label="Post", key="post:gm", props={"title": "GM"}, provenance=PROV)
    spells = [RelRecord(type="HOLDS", start="person:ann", end="post:gm", valid_from="2019-01-01",
                        valid_to="2020-01-01", provenance=PROV),
              RelRecord(type="HOLDS", start="person:ann", end="post:gm", valid_from="2022-01-01", provenance=PROV)]
    any_store.upsert(Batch(nodes=[person, post], rels=spells))
    rels = [rel for rel, _ in any_store.neighbours("post:gm")]
    assert [(r.props.get("valid_from"), r.props.get("valid_to")) for r in rels] == [
        ("2019-01-01", "2020-01-01"), ("2022-01-01", None)]


def test_a_bad_relationship_rejects_the_whole_batch(any_store):
    any_store.upsert(Batch(nodes=[org("org:kept", "Kept")]))
    bad = Batch(nodes=[org("org:new", "New")],
                rels=[RelRecord(type="HOLDS", start="org:new", end="org:kept", provenance=PROV)])
    with pytest.raises(SchemaError) as error:
        any_store.upsert(bad)
    assert "HOLDS may not join a Organisation" in str(error.value)
    assert any_store.get("org:new") is None
    assert any_store.get("org:kept").props["name"] == "Kept"


def test_relationship_to_missing_node_is_rejected(any_store):
    with pytest.raises(SchemaError, match="no node with key 'org:ghost'"):
        any_store.upsert(Batch(nodes=[org("org:a", "A")],
                               rels=[RelRecord(type="WORKS_WITH", start="org:a", end="org:ghost", provenance=PROV)]))


def test_export_round_trips_everything(any_store):
    any_store.upsert(Batch(nodes=[org("org:a", "A"), org("org:b", "B")],
                           rels=[RelRecord(type="WORKS_WITH", start="org:a", end="org:b", provenance=PROV)]))
    any_store.upsert(Batch(nodes=[org("org:a", "A2")]))
    nodes, rels = any_store.export()
    by_key = {n.key: n for n in nodes}
    assert by_key["org:a"].props["name"] == "A2" and len(by_key["org:a"].history) == 1
    assert set(by_key["org:a"].props) == {"name", "match_keys"}  # the resolver's keys, derived from the name
    assert "n:a2" in by_key["org:a"].props["match_keys"]
    assert [(r.type, r.start, r.end, r.provenance.locator) for r in rels] == [("WORKS_WITH", "org:a", "org:b", "row 2")]

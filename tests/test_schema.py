"""The schema module: the single source of truth, and its rejections."""
from pathlib import Path

import pytest
import yaml

from graph_service.errors import SchemaError
from graph_service.records import NodeRecord, Provenance, RelRecord
from graph_service import schema as schema_module
from graph_service.schema import CAPTION_ORDER, schema

PROV = Provenance(source="t", locator="row 1")


def test_every_relationship_joins_known_labels():
    labels = set(schema().labels)
    for rel in schema().relationships.values():
        assert rel.sources <= labels and rel.targets <= labels


def test_unknown_label_is_rejected_with_record_and_field():
    with pytest.raises(SchemaError) as error:
        NodeRecord(label="Wizard", key="x:y", props={}, provenance=PROV)
    assert error.value.field == "label"


def test_missing_required_property_names_the_record_and_field():
    with pytest.raises(SchemaError) as error:
        NodeRecord(label="Policy", key="policy:x", props={"version": "1"}, provenance=PROV)
    assert (error.value.record, error.value.field) == ("Policy 'policy:x'", "title")


def test_unknown_property_is_rejected():
    with pytest.raises(SchemaError) as error:
        NodeRecord(label="Policy", key="policy:x", props={"title": "X", "colour": "red"}, provenance=PROV)
    assert error.value.field == "colour"


def test_bad_date_is_rejected():
    with pytest.raises(SchemaError) as error:
        NodeRecord(label="Policy", key="policy:x", props={"title": "X", "review_date": "next May"}, provenance=PROV)
    assert error.value.field == "review_date"


def test_unstable_key_is_rejected():
    with pytest.raises(SchemaError) as error:
        NodeRecord(label="Policy", key="has spaces", props={"title": "X"}, provenance=PROV)
    assert error.value.field == "key"


def test_period_on_a_timeless_relationship_is_rejected():
    with pytest.raises(SchemaError) as error:
        RelRecord(type="HAS_PERSONA", start="org:a", end="persona:b", valid_from="2020-01-01", provenance=PROV)
    assert error.value.field == "valid_from"


def test_period_that_ends_before_it_starts_is_rejected():
    with pytest.raises(SchemaError, match="ends"):
        RelRecord(type="HOLDS", start="person:a", end="post:b", valid_from="2020-01-01", valid_to="2019-01-01",
                  provenance=PROV)


def test_dates_are_stored_as_iso_strings():
    record = NodeRecord(label="Policy", key="policy:x", props={"title": "X", "review_date": "2020-05-01"}, provenance=PROV)
    assert record.props["review_date"] == "2020-05-01"


def test_every_named_label_has_the_caption_the_cypher_coalesce_picks():
    for name, label in schema().labels.items():
        named = [p for p in CAPTION_ORDER if p in label.properties]
        assert label.caption == (named[0] if named else None), name
    assert schema().caption("Post", {"title": "Chief Executive", "kind": "officer"}) == "Chief Executive"
    assert schema().caption("Payment", {}, "payment:1") == "payment:1"


def test_a_caption_the_cypher_would_not_pick_is_refused():
    raw = yaml.safe_load((Path(schema_module.__file__).parent / "schema.yaml").read_text())
    raw["labels"]["Charter"]["caption"] = "kind"
    with pytest.raises(SchemaError, match="caption"):
        schema_module._parse(raw)

"""Records written to the graph, and the nodes and relationships read back from it.

A record carries its provenance: where the fact came from (file, document or
system), where in it (row, section, line or JSON path) and when it was loaded.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_service.errors import SchemaError
from graph_service.schema import VALID_FROM, VALID_TO, check_key, schema, to_storable, validate_properties


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class FactSource(BaseModel):
    """Where a fact came from, as answers cite it: the source, the place in it, and whether it is generated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(description="file, document or system the fact came from")
    locator: str = Field("", description="where in the source: row, section, line or JSON path")
    illustrative: bool = Field(False, description="generated example data, not a council fact")

    @classmethod
    def of(cls, fact: dict[str, Any]) -> "FactSource":
        """The source fields of a query row or stored provenance, ignoring the rest."""
        return cls(source=fact["source"], locator=fact["locator"], illustrative=fact["illustrative"])


class Provenance(FactSource):
    """A fact's source and when it was loaded, as the store keeps it."""

    loaded_at: str = Field(default_factory=now_utc)

    def same_origin(self, other: "Provenance") -> bool:
        return (self.source, self.locator, self.illustrative) == (other.source, other.locator, other.illustrative)


class NodeRecord(BaseModel):
    """A node to upsert by key; props are checked against the label's schema."""

    model_config = ConfigDict(extra="forbid")

    label: str
    key: str
    props: dict[str, Any]
    provenance: Provenance

    @model_validator(mode="after")
    def _check(self) -> "NodeRecord":
        name = f"{self.label} {self.key!r}"
        schema().label(self.label)
        check_key(name, self.key)
        self.props = validate_properties(name, self.label, self.props)
        if self.label == "Organisation":  # every write carries the keys golden-record resolution looks it up by
            from graph_service.ingest.names import match_keys

            keys = match_keys(self.key, self.props)
            if keys:
                self.props["match_keys"] = sorted(set(keys) | set(self.props.get("match_keys") or []))
        return self


class RelRecord(BaseModel):
    """A relationship to upsert; identity is (type, start, end, valid_from)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    start: str
    end: str
    props: dict[str, Any] = Field(default_factory=dict)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    provenance: Provenance

    @model_validator(mode="after")
    def _check(self) -> "RelRecord":
        name = f"{self.type} {self.start!r}->{self.end!r}"
        rel = schema().rel(self.type)
        check_key(name, self.start)
        check_key(name, self.end)
        if (self.valid_from or self.valid_to) and not rel.temporal:
            raise SchemaError(name, VALID_FROM, f"{self.type} does not hold for a period")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise SchemaError(name, VALID_TO, f"ends ({self.valid_to}) before it starts ({self.valid_from})")
        bad = [k for k, v in self.props.items() if not _plain(v) or k.startswith("_")]
        if bad:
            raise SchemaError(name, bad[0], "relationship properties must be plain values or lists of strings, "
                                            "and not start with '_'")
        self.props = to_storable(self.props)
        return self

    @property
    def rel_id(self) -> str:
        return rel_id(self.type, self.start, self.end, self.valid_from.isoformat() if self.valid_from else "")

    def stored_props(self) -> dict[str, Any]:
        props = dict(self.props)
        if self.valid_from:
            props[VALID_FROM] = self.valid_from.isoformat()
        if self.valid_to:
            props[VALID_TO] = self.valid_to.isoformat()
        return props


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, (str, int, float, bool, dt.date))


def rel_id(rel_type: str, start: str, end: str, valid_from: str = "") -> str:
    """The stable identity of a relationship, the same on both backends."""
    return f"{start}|{rel_type}|{end}|{valid_from}"


class Batch(BaseModel):
    """Records written all-or-nothing. Relationship ends must exist in the store or the batch."""

    nodes: list[NodeRecord] = Field(default_factory=list)
    rels: list[RelRecord] = Field(default_factory=list)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.rels)


class Stored(BaseModel):
    """A node or relationship as read back, with its provenance and the history of its values."""

    props: dict[str, Any]
    provenance: Provenance
    history: list[dict[str, Any]] = Field(default_factory=list)

    def state(self) -> dict[str, Any]:
        """The stored form both backends keep (see store/merge.py)."""
        return {"props": self.props, "prov": self.provenance.model_dump(), "history": self.history}


class Node(Stored):
    label: str
    key: str


class Relationship(Stored):
    id: str
    type: str
    start: str
    end: str


class WriteReport(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "WriteReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

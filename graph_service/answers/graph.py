"""The shapes of the graph's own answers: the service's health, counts, a stored node with its
relationships, and the changes between two dates."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from graph_service.answers import Answer, Facts


class ServiceHealth(Answer):
    status: str
    backend: str


class Stats(Answer):
    backend: str
    nodes: int
    relationships: int
    labels: dict[str, int]
    relationship_types: dict[str, int]


class Provenance(Answer):
    source: str | None = None
    locator: str | None = None
    loaded_at: str | None = None
    illustrative: bool | None = None


class StoredNode(Answer):
    key: str
    label: str
    props: Facts
    provenance: Provenance | None = None
    history: list[Facts] = []


class StoredRelationship(Answer):
    id: str
    type: str
    start: str
    end: str
    props: Facts
    provenance: Provenance | None = None
    history: list[Facts] = []


class Neighbour(Answer):
    relationship: StoredRelationship
    node: StoredNode


class NodeAnswer(Answer):
    node: StoredNode
    relationships: list[Neighbour]


class Change(Answer):
    kind: str
    key: str
    what: str
    start: str | None = None
    end: str | None = None
    change: str
    on: str | None = None
    values: dict[str, Any] = {}
    provenance: Provenance | None = None


class Changes(Answer):
    date_from: dt.date = Field(alias="from")
    to: dt.date
    count: int  # every change in the window; `changes` is one page of them
    changes: list[Change]
    offset: int = 0
    limit: int | None = None
    next: str | None = None  # the next page's URL; none on the last page

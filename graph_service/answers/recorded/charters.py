"""Charters officers record and correct: name, parties, signed and review dates, where the document is.

A charter whose review date has passed has lapsed (answers/charters.py `lapse`) and is an accountability gap.
A party left out of a correction stops being a party today; the relationship and its history stay.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph_service.access.audit import Actor
from graph_service.answers.charters import Charter, get_charter
from graph_service.errors import Conflict, SchemaError
from graph_service.queries.graph import in_force, today
from graph_service.schema import make_key
from graph_service.store.base import GraphStore
from graph_service.answers.recorded import WRITING, Write, check_version, node_of, version_of


class CharterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300, description="the charter's name as signed")
    parties: list[str] = Field(min_length=1, max_length=200, description="the partners' keys (the council's too)")
    signed_on: dt.date = Field(description="the day it was signed")
    review_on: dt.date = Field(description="the day it is due for review: after it, the charter has lapsed")
    document_location: str | None = Field(None, max_length=1000, description="where the signed document is kept")

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give the charter's name")
        return value.strip()

    @field_validator("parties")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        keys = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        if not keys:
            raise ValueError("name at least one party")
        return keys

    @model_validator(mode="after")
    def _order(self) -> "CharterIn":
        if self.review_on < self.signed_on:
            raise ValueError("review_on: the review date is before the date it was signed")
        return self


def _check_parties(store: GraphStore, parties: list[str]) -> None:
    found = store.labels(set(parties))
    missing = [p for p in parties if found.get(p) != "Organisation"]
    if missing:
        raise SchemaError("charter", "parties", f"no partner with key {missing[0]!r}")


def _party_rels(store: GraphStore, key: str) -> list:
    return sorted((rel for rel, _ in store.neighbours(key) if rel.type == "PARTY_TO"), key=lambda r: r.id)


def current_version(store: GraphStore, key: str) -> str:
    node = node_of(store, key, "Charter", "charter")
    return version_of(node, *_party_rels(store, key))


def _write(write: Write, key: str, given: CharterIn) -> None:
    write.node("Charter", key, name=given.name, signed_on=given.signed_on, review_date=given.review_on,
               **({"document_location": given.document_location} if given.document_location else {}))


def create(store: GraphStore, data_dir: Path, actor: Actor, via: str, given: CharterIn) -> Charter:
    key = make_key("Charter", given.name)
    _check_parties(store, given.parties)
    with WRITING:
        if store.get(key) is not None:
            raise Conflict(f"a charter with key {key!r} exists already: correct it instead", key=key)
        write = Write(actor)
        _write(write, key, given)
        for party in given.parties:
            write.rel("PARTY_TO", party, key, valid_from=given.signed_on)
        write.commit(store, data_dir, via, "charter", key, name=given.name, parties=given.parties)
    return get_charter(store, key)


def correct(store: GraphStore, data_dir: Path, actor: Actor, via: str, key: str, given: CharterIn,
            expected: str | None) -> Charter:
    _check_parties(store, given.parties)
    day = today()
    with WRITING:
        check_version(expected, current_version(store, key))
        write = Write(actor)
        _write(write, key, given)
        current = {r.start: r for r in _party_rels(store, key) if in_force(r.props, day)}
        for party in given.parties:
            if party not in current:
                write.rel("PARTY_TO", party, key, valid_from=given.signed_on)
        for party, rel in current.items():
            if party not in given.parties:
                write.rel("PARTY_TO", party, key, valid_from=rel.props.get("valid_from"), valid_to=day,
                          **{k: v for k, v in rel.props.items() if k not in ("valid_from", "valid_to")})
        write.commit(store, data_dir, via, "charter", key, name=given.name, parties=given.parties)
    return get_charter(store, key)

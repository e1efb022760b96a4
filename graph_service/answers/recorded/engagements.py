"""An engagement an officer records with a partner: a meeting, review or visit, which the health model's
engagement dimension counts as evidence (answers/health/model.py reads every Engagement WITH_PARTNER)."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph_service.access.audit import Actor
from graph_service.answers.health.config import load_config
from graph_service.errors import NotFound, SchemaError
from graph_service.records import FactSource
from graph_service.store.base import GraphStore
from graph_service.answers.recorded import Write, node_of, provenance


def kinds() -> list[str]:
    """The kinds of engagement the health model weighs (settings/health.yaml)."""
    return sorted(load_config().engagement.kind_weights)


class EngagementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: dt.date = Field(description="the day it was held (not in the future)")
    kind: str = Field(description="one of the kinds settings/health.yaml weighs: contract review, meeting, ...")
    summary: str = Field(min_length=1, max_length=2000, description="what was discussed or agreed")
    post: str | None = Field(None, description="the council post that attended, e.g. post:partnerships-officer")
    attendees: list[str] = Field(default_factory=list, max_length=50, description="the partner's people present, by name")

    @field_validator("held_on")
    @classmethod
    def _past(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError("the date it was held cannot be in the future")
        return value

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in kinds():
            raise ValueError(f"choose one of: {', '.join(kinds())}")
        return value

    @field_validator("summary")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say what the engagement was about")
        return value.strip()

    @field_validator("attendees")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        names = [v.strip() for v in value if v.strip()]
        if any(len(n) > 200 for n in names):
            raise ValueError("a name is at most 200 characters")
        return names


class EngagementOut(BaseModel):
    key: str
    partner: str
    held_on: str
    kind: str
    summary: str
    post: str | None
    attendees: list[str]
    provenance: FactSource


def record(store: GraphStore, data_dir: Path, actor: Actor, via: str, partner: str, given: EngagementIn) -> EngagementOut:
    node_of(store, partner, "Organisation", "partner")
    if given.post:
        try:
            node_of(store, given.post, "Post", "post")
        except NotFound:
            raise SchemaError("engagement", "post", f"no post with key {given.post!r}") from None
    key = f"engagement:{given.held_on.isoformat()}-{secrets.token_hex(4)}"
    write = Write(actor)
    write.node("Engagement", key, kind=given.kind, held_on=given.held_on, summary=given.summary,
               **({"attendees": given.attendees} if given.attendees else {}))
    write.rel("WITH_PARTNER", key, partner)
    if given.post:
        write.rel("ATTENDED", given.post, key)
    write.commit(store, data_dir, via, "engagement", key, partner=partner, kind=given.kind,
                 held_on=given.held_on.isoformat())
    return EngagementOut(key=key, partner=partner, held_on=given.held_on.isoformat(), kind=given.kind,
                         summary=given.summary, post=given.post, attendees=given.attendees,
                         provenance=FactSource.of(provenance(actor).model_dump()))

"""Who holds a partner relationship: a post from a date. One post holds it at a time, so setting a new
holder ends the current one on that date; ending it leaves the relationship unheld (a gap to fill)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graph_service.access.audit import Actor
from graph_service.errors import BadRequest, NotFound, SchemaError
from graph_service.queries.graph import in_force
from graph_service.records import FactSource
from graph_service.store.base import GraphStore
from graph_service.answers.recorded import WRITING, Write, check_version, node_of, version_of

HOLDS = "HOLDS_RELATIONSHIP"


class HolderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    post: str = Field(description="the post that holds the relationship, e.g. post:partnerships-officer")
    held_from: dt.date = Field(description="the day it starts holding it")


class HolderEndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: dt.date = Field(description="the day the current holder stops holding it")


class HolderOut(BaseModel):
    post: str
    title: str
    held_from: str | None
    held_to: str | None
    provenance: FactSource


class HoldersAnswer(BaseModel):
    partner: str
    current: list[HolderOut] = Field(description="the posts holding it today")
    history: list[HolderOut] = Field(description="every holding, earliest first")
    version: str = Field(description="send as If-Match to change the holder")


def _holdings(store: GraphStore, partner: str) -> list:
    return sorted(((rel, post) for rel, post in store.neighbours(partner) if rel.type == HOLDS and rel.end == partner),
                  key=lambda pair: (pair[0].props.get("valid_from") or "", pair[0].id))


def holders(store: GraphStore, partner: str) -> HoldersAnswer:
    node_of(store, partner, "Organisation", "partner")
    pairs = _holdings(store, partner)
    shown = [HolderOut(post=post.key, title=post.props.get("title", post.key), held_from=rel.props.get("valid_from"),
                       held_to=rel.props.get("valid_to"), provenance=FactSource.of(rel.provenance.model_dump()))
             for rel, post in pairs]
    day = dt.date.today().isoformat()
    return HoldersAnswer(partner=partner, current=[h for h, (rel, _) in zip(shown, pairs) if in_force(rel.props, day)],
                         history=shown, version=version_of(*(rel for rel, _ in pairs)))


def _end(write: Write, rel, on: dt.date, field: str) -> None:
    start = rel.props.get("valid_from")
    if start and start[:10] > on.isoformat():
        raise SchemaError("relationship holder", field,
                          f"the current holder started on {start[:10]}, after {on.isoformat()}")
    write.rel(HOLDS, rel.start, rel.end, valid_from=start, valid_to=on,
              **{k: v for k, v in rel.props.items() if k not in ("valid_from", "valid_to")})


def set_holder(store: GraphStore, data_dir: Path, actor: Actor, via: str, partner: str, given: HolderIn,
               expected: str | None) -> HoldersAnswer:
    with WRITING:
        current = holders(store, partner)
        check_version(expected, current.version)
        try:
            node_of(store, given.post, "Post", "post")
        except NotFound:
            raise SchemaError("relationship holder", "post", f"no post with key {given.post!r}") from None
        day = given.held_from.isoformat()
        write = Write(actor)
        write.rel(HOLDS, given.post, partner, valid_from=given.held_from)
        for rel, _ in _holdings(store, partner):
            if in_force(rel.props, day) and rel.start != given.post:
                _end(write, rel, given.held_from, "held_from")
        write.commit(store, data_dir, via, "relationship holder", partner, post=given.post, held_from=day)
    return holders(store, partner)


def end_holder(store: GraphStore, data_dir: Path, actor: Actor, via: str, partner: str, given: HolderEndIn,
               expected: str | None) -> HoldersAnswer:
    with WRITING:
        current = holders(store, partner)
        check_version(expected, current.version)
        held = [rel for rel, _ in _holdings(store, partner) if rel.props.get("valid_to") is None]  # the open holding
        if not held:
            raise BadRequest(f"no post holds {partner!r} now", field="ended_on")
        write = Write(actor)
        for rel in held:
            _end(write, rel, given.ended_on, "ended_on")
        write.commit(store, data_dir, via, "relationship holder ended", partner, ended_on=given.ended_on.isoformat())
    return holders(store, partner)

"""Corrections to a policy's facts: where it lives, its version, its review date and who owns it.

Owners hold from a date: an owner of a role who is not in the correction stops on that date, a new one
starts on it, so the register answers "who owned it then" as well as now.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph_service.access.audit import Actor
from graph_service.answers.policies import ROLE_FIELDS
from graph_service.dates import DocDate
from graph_service.errors import SchemaError
from graph_service.queries.graph import in_force
from graph_service.records import FactSource
from graph_service.store.base import GraphStore
from graph_service.answers.recorded import WRITING, Write, check_version, node_of, version_of

OwnerRole = Literal["responsible_officer", "sponsoring_officer", "sponsoring_member", "portfolio_holder"]
TYPES = {field: rel_type for rel_type, field in ROLE_FIELDS.items()}


class OwnerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: OwnerRole
    post: str = Field(description="the owning post's key")


class PolicyFactsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_location: str | None = Field(None, max_length=1000, description="where the document is kept")
    version: str | None = Field(None, max_length=100)
    review_date: str | None = Field(None, description="as precise as the document: YYYY-MM-DD, YYYY-MM or YYYY")
    owners: list[OwnerIn] | None = Field(None, description="every owner from owners_from; omit to leave owners as they are")
    owners_from: dt.date | None = Field(None, description="the day these owners hold from (needed with owners)")

    @field_validator("review_date")
    @classmethod
    def _docdate(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return DocDate.of(value.strip()).iso()
        except ValueError:
            raise ValueError("a date as YYYY-MM-DD, YYYY-MM or YYYY") from None


class OwnerOut(BaseModel):
    role: OwnerRole
    post: str
    title: str
    held_from: str | None
    held_to: str | None
    provenance: FactSource


class PolicyFacts(BaseModel):
    key: str
    title: str
    document_location: str | None
    version: str | None
    review_date: str | None
    owners: list[OwnerOut] = Field(description="owners in force today")
    provenance: FactSource
    version_tag: str = Field(description="send as If-Match to correct these facts")


def _owner_rels(store: GraphStore, key: str) -> list:
    return sorted(((rel, post) for rel, post in store.neighbours(key) if rel.type in ROLE_FIELDS and rel.end == key),
                  key=lambda pair: pair[0].id)


def facts(store: GraphStore, key: str) -> PolicyFacts:
    node = node_of(store, key, "Policy", "policy")
    pairs = _owner_rels(store, key)
    day = dt.date.today().isoformat()
    owners = [OwnerOut(role=ROLE_FIELDS[rel.type], post=post.key, title=post.props.get("title", post.key),
                       held_from=rel.props.get("valid_from"), held_to=rel.props.get("valid_to"),
                       provenance=FactSource.of(rel.provenance.model_dump()))
              for rel, post in pairs if in_force(rel.props, day)]
    return PolicyFacts(key=key, title=node.props["title"], document_location=node.props.get("document_location"),
                       version=node.props.get("version"), review_date=node.props.get("review_date"), owners=owners,
                       provenance=FactSource.of(node.provenance.model_dump()),
                       version_tag=version_of(node, *(rel for rel, _ in pairs)))


def correct(store: GraphStore, data_dir: Path, actor: Actor, via: str, key: str, given: PolicyFactsIn,
            expected: str | None) -> PolicyFacts:
    if given.owners is not None and given.owners_from is None:
        raise SchemaError("policy", "owners_from", "say from which day these owners hold")
    with WRITING:
        current = facts(store, key)
        check_version(expected, current.version_tag)
        write = Write(actor)
        changed = {f: getattr(given, f) for f in ("document_location", "version", "review_date")
                   if getattr(given, f) is not None}
        if changed:
            write.node("Policy", key, title=current.title, **changed)
        if given.owners is not None:
            posts = store.labels({o.post for o in given.owners})
            missing = [o.post for o in given.owners if posts.get(o.post) != "Post"]
            if missing:
                raise SchemaError("policy", "owners", f"no post with key {missing[0]!r}")
            since = given.owners_from.isoformat()
            wanted = {(TYPES[o.role], o.post) for o in given.owners}
            held = {(rel.type, rel.start): rel for rel, _ in _owner_rels(store, key) if in_force(rel.props, since)}
            for (rel_type, post), rel in held.items():
                if (rel_type, post) not in wanted:
                    start = rel.props.get("valid_from")
                    if start and start[:10] > since:
                        raise SchemaError("policy", "owners_from", f"an owner started on {start[:10]}, after {since}")
                    write.rel(rel_type, post, key, valid_from=start, valid_to=given.owners_from,
                              **{k: v for k, v in rel.props.items() if k not in ("valid_from", "valid_to")})
            for rel_type, post in sorted(wanted - set(held)):
                write.rel(rel_type, post, key, valid_from=given.owners_from)
        if not write.nodes and not write.rels:
            return current
        write.commit(store, data_dir, via, "policy facts", key, **{k: v for k, v in changed.items()},
                     owners=[o.model_dump() for o in given.owners] if given.owners is not None else None)
    return facts(store, key)

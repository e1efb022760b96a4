"""An officer's placement of a partner on the power/interest grid, with the reason.

The computed placement (answers/stakeholders.py) stays visible beside it; the officer's decides the
quadrant. Withdrawing it returns the partner to the computed placement; the values stay in history.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph_service.access.audit import Actor
from graph_service.errors import NotFound
from graph_service.queries import ask
from graph_service.records import FactSource, now_utc
from graph_service.schema import slug
from graph_service.store.base import GraphStore
from graph_service.answers.recorded import WRITING, Write, check_version, node_of, version_of


class AssessmentIn(BaseModel):
    """What an officer records: power and interest from 0 (none) to 1 (the most), and why."""

    model_config = ConfigDict(extra="forbid")

    power: float = Field(ge=0, le=1, description="the partner's power over the council's aims, 0 to 1")
    interest: float = Field(ge=0, le=1, description="the partner's interest in them, 0 to 1")
    reason: str = Field(min_length=1, max_length=2000, description="why: what the officer knows that the graph does not")

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give a reason for the placement")
        return value.strip()


@dataclass
class OfficerPlacement:
    """The officer's placement, who made it and when, and why."""

    power: float
    interest: float
    quadrant: str
    quadrant_name: str
    reason: str
    assessed_by: str
    assessed_at: str
    provenance: FactSource


def assessment_key(partner: str) -> str:
    return f"assessment:{slug(partner)}"


def _placement(row: dict[str, Any]) -> OfficerPlacement:
    from graph_service.answers.stakeholders import _quadrant, quadrant_names

    quadrant = _quadrant(row["power"], row["interest"])
    return OfficerPlacement(power=row["power"], interest=row["interest"], quadrant=quadrant,
                            quadrant_name=quadrant_names()[quadrant], reason=row["reason"],
                            assessed_by=row["assessed_by"], assessed_at=row["assessed_at"],
                            provenance=FactSource.of(row))


def placements(store: GraphStore, partner: str | None = None) -> dict[str, OfficerPlacement]:
    """Each assessed partner's placement in force, by partner key."""
    return {row["partner"]: _placement(row) for row in ask(store, "stakeholder_assessments", partner=partner)}


def overlay(store: GraphStore, partners: list[Any]) -> None:
    """Lay the officers' placements over the computed ones: the computed quadrant is kept beside, the officer's
    decides `quadrant`."""
    found = placements(store)
    for partner in partners:
        partner.computed_quadrant = partner.quadrant
        partner.assessment = found.get(partner.key)
        if partner.assessment:
            partner.quadrant, partner.quadrant_name = partner.assessment.quadrant, partner.assessment.quadrant_name


def current_version(store: GraphStore, partner: str) -> str:
    """The version of a partner's assessment (also when there is none yet, or it was withdrawn)."""
    node_of(store, partner, "Organisation", "partner")
    return version_of(store.get(assessment_key(partner)))


def record(store: GraphStore, data_dir: Path, actor: Actor, via: str, partner: str, given: AssessmentIn,
           expected: str | None) -> OfficerPlacement:
    key = assessment_key(partner)
    with WRITING:
        check_version(expected, current_version(store, partner))
        write = Write(actor)
        write.node("Assessment", key, power=given.power, interest=given.interest, reason=given.reason,
                   assessed_by=actor.label, assessed_at=now_utc(), withdrawn=False)
        write.rel("ASSESSES", key, partner)
        write.commit(store, data_dir, via, "assessment", partner, power=given.power, interest=given.interest,
                     reason=given.reason)
    return placements(store, partner)[partner]


def withdraw(store: GraphStore, data_dir: Path, actor: Actor, via: str, partner: str, expected: str | None) -> None:
    key = assessment_key(partner)
    with WRITING:
        check_version(expected, current_version(store, partner))
        node = store.get(key)
        if node is None or node.props.get("withdrawn"):
            raise NotFound(f"{partner!r} has no officer's assessment to withdraw", key=partner)
        write = Write(actor)
        write.node("Assessment", key, **{**node.props, "withdrawn": True, "assessed_by": actor.label,
                                         "assessed_at": now_utc()})
        write.commit(store, data_dir, via, "assessment withdrawn", partner)

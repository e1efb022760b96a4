"""The shapes of relationship health's answers (built in report.py and snapshots.py): a partner's score with
its evidence, the ranked report, saved snapshots and the impact chain."""
from __future__ import annotations

from typing import Any

from graph_service.answers import Answer, Facts, Named


class Evidence(Answer):
    fact: str | None = None
    key: str | None = None
    source: str | None = None
    locator: str | None = None


class Dimension(Answer):
    name: str
    has_data: bool
    sub_score: float | None
    weight: float
    effective_weight: float
    points: float
    lost: float
    summary: str
    evidence: list[Evidence] | None = None  # in a partner's answer, not the report's rows
    detail: Facts | None = None


class Flag(Answer):
    code: str
    message: str
    evidence: list[Evidence] | None = None


class Driver(Answer):
    dimension: str
    lost: float
    summary: str


class PartnerScore(Answer):
    partner: str
    name: str | None
    personas: list[Named]
    as_of: str
    score: float | None
    rating: str
    score_rating: str
    coverage: float
    provisional: bool = False  # the score rests on less than the model's provisional_below share of its weight
    illustrative: bool = False  # the partner is generated (illustrative) data
    criteria: dict[str, float | None]
    dimensions: list[Dimension]
    overrides: list[Flag]
    flags: list[Flag]
    drivers: list[Driver]
    services: list[str]
    workstreams: list[str]
    explanation: str
    change: Facts | None = None  # since the previous snapshot
    rank: int | None = None  # in the report


class SnapshotPoint(Answer):
    date: str
    score: float | None
    rating: str | None
    coverage: float | None


class PartnerHealth(PartnerScore):
    buyer: Named | None = None
    history: list[SnapshotPoint] = []


class HealthReport(Answer):
    as_of: str
    buyer: Named | None
    weights: dict[str, float]
    filters: dict[str, str | None]
    counts: dict[str, int]
    previous_snapshot: str | None
    saved_snapshot: str | None
    partners: list[PartnerScore]


class SavedSnapshot(Answer):
    date: str | None
    partners: int
    previous_snapshot: str | None
    counts: dict[str, int]


class SnapshotDates(Answer):
    dates: list[str]


class PartnerHistory(Answer):
    partner: str
    history: list[SnapshotPoint]


class ImpactPartner(Named):
    personas: list[Named]
    owners: list[dict[str, Any]]
    source: str | None = None
    locator: str | None = None


class Impact(Answer):
    """What is hit if the partner fails, each link with the posts owning it and who holds them."""

    partner: ImpactPartner
    as_of: str
    contracts: list[Facts]
    grants: list[Facts]
    services: list[Facts]
    key_indicators: list[Facts]
    priorities: list[Facts]
    workstreams: list[Facts]
    summary: dict[str, Any]
    buyer: Named | None = None

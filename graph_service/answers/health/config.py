"""The health model's numbers, loaded from graph_service/settings/health.yaml and checked once.

Every weight, half-life and threshold the score uses lives in that file with its reason;
this module only gives them types, so a typo fails loudly at start rather than scoring wrong.
"""
from __future__ import annotations

from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_service.config import SETTINGS_DIR

HEALTH_YAML = SETTINGS_DIR / "health.yaml"
DIMENSIONS = ("quality", "cost", "resilience", "lifecycle", "engagement", "governance")
KPI_RATINGS = ("Good", "Approaching target", "Requires improvement", "Inadequate")
POSITIONS = ("strategic", "bottleneck", "leverage", "routine")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ratings(_Strict):
    green: float
    amber: float
    provisional_below: float = Field(ge=0, le=1)


class Quality(_Strict):
    points: dict[str, float]
    window_months: int = Field(gt=0)

    @model_validator(mode="after")
    def _every_rating(self) -> "Quality":
        if set(self.points) != set(KPI_RATINGS):
            raise ValueError(f"quality.points must score exactly {list(KPI_RATINGS)}")
        return self


class Cost(_Strict):
    window_months: int = Field(gt=0)
    tolerance: float = Field(ge=0)
    zero_at: float

    @model_validator(mode="after")
    def _ordered(self) -> "Cost":
        if self.zero_at <= self.tolerance:
            raise ValueError("cost.zero_at must be above cost.tolerance")
        return self


class Resilience(_Strict):
    spend_window_months: int = Field(gt=0)
    alternatives_points: list[float] = Field(min_length=1)
    alternatives_blend: float = Field(ge=0, le=1)
    critical_weight: float = Field(gt=0)
    cut_vertex_penalty: float = Field(ge=0)


class LifecyclePoints(_Strict):
    covered: float
    uncovered: float
    urgent: float


class Lifecycle(_Strict):
    horizon_months: int = Field(gt=0)
    sharp_months: int = Field(gt=0)
    points: LifecyclePoints


class Engagement(_Strict):
    half_life_days: float = Field(gt=0)
    target: float = Field(gt=0)
    kind_weights: dict[str, float]
    other: float = Field(ge=0)
    review_kinds: list[str]
    review_within_months: int = Field(gt=0)


class GovernancePoints(_Strict):
    owner: float = Field(ge=0)
    management_plan: float = Field(ge=0)
    charter: float = Field(ge=0)
    priorities: float = Field(ge=0)


class Governance(_Strict):
    points: GovernancePoints
    charter_statuses: list[str]


class SupplyRisk(_Strict):
    weights: dict[str, float]
    alternatives_cap: int = Field(gt=0)
    contract_end_months: int = Field(ge=0)
    high_at: float

    @model_validator(mode="after")
    def _every_sign(self) -> "SupplyRisk":
        if set(self.weights) != {"share", "alternatives", "critical", "contract_end"}:
            raise ValueError("kraljic.supply_risk.weights must name share, alternatives, critical and contract_end")
        return self


class Kraljic(_Strict):
    high_value_gbp_per_year: float = Field(ge=0)
    high_risk_below: float
    supply_risk: SupplyRisk
    review_months: dict[str, int]

    @model_validator(mode="after")
    def _every_position(self) -> "Kraljic":
        if set(self.review_months) != set(POSITIONS):
            raise ValueError(f"kraljic.review_months must name exactly {list(POSITIONS)}")
        return self


class Procurement(_Strict):
    expiry_windows_months: list[int] = Field(min_length=1)
    concentration_window_months: int = Field(gt=0)
    hhi_concentrated: float
    hhi_highly_concentrated: float
    single_supplier_share: float = Field(gt=0, le=1)


class HealthConfig(_Strict):
    weights: dict[str, float]
    ratings: Ratings
    commissioning_criteria: dict[str, list[str]]
    quality: Quality
    cost: Cost
    resilience: Resilience
    lifecycle: Lifecycle
    engagement: Engagement
    governance: Governance
    kraljic: Kraljic
    procurement: Procurement

    @model_validator(mode="after")
    def _consistent(self) -> "HealthConfig":
        if set(self.weights) != set(DIMENSIONS) or any(w < 0 for w in self.weights.values()) or not sum(self.weights.values()):
            raise ValueError(f"weights must give each of {list(DIMENSIONS)} a non-negative weight, not all zero")
        named = {d for dims in self.commissioning_criteria.values() for d in dims}
        if named - set(DIMENSIONS):
            raise ValueError(f"commissioning_criteria names unknown dimensions {sorted(named - set(DIMENSIONS))}")
        if self.ratings.amber > self.ratings.green:
            raise ValueError("ratings.amber must not be above ratings.green")
        if self.lifecycle.sharp_months > self.lifecycle.horizon_months:
            raise ValueError("lifecycle.sharp_months must not be beyond lifecycle.horizon_months")
        return self


def parse(text: str) -> HealthConfig:
    return HealthConfig.model_validate(yaml.safe_load(text))


@cache
def load_config() -> HealthConfig:
    """The model's configuration from settings/health.yaml (read once)."""
    return parse(HEALTH_YAML.read_text())

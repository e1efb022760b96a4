"""Finding partners and reading one partner's golden record; viewers see public facts only."""
from __future__ import annotations

from typing import Union

from fastapi import APIRouter, Query
from pydantic import BaseModel

from graph_service.access.auth import Role
from graph_service.dates import iso
from graph_service.errors import NotFound
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.web.deps import AsOf, Store, Viewer
from graph_service.queries import ask

router = APIRouter()


class PartnerFound(BaseModel):
    key: str
    name: str
    org_type: str | None
    identifiers: list[str]
    personas: list[str]
    rank: int  # 0 exact, 1 prefix, 2 substring


class AliasSource(BaseModel):
    source: str
    locator: str


class Alias(BaseModel):
    name: str
    sources: list[AliasSource]


class ContractPublic(BaseModel):
    """A contract as a viewer sees it: what schema.yaml marks restricted (its value) is not a field."""

    key: str
    title: str
    role: str
    currency: str | None
    status: str | None
    start_date: str | None
    end_date: str | None
    valid_from: str | None
    valid_to: str | None


class ContractForProcurement(ContractPublic):
    value: float | None


class Grant(BaseModel):
    key: str
    title: str
    role: str
    amount: float | None
    currency: str | None
    award_date: str | None
    programme: str | None


class Charter(BaseModel):
    key: str
    name: str
    status: str | None
    valid_from: str | None
    valid_to: str | None


class Person(BaseModel):
    person: str
    name: str | None
    valid_from: str | None
    valid_to: str | None


class RelationshipHolder(BaseModel):
    post: str
    title: str | None
    valid_from: str | None
    valid_to: str | None
    holders: list[Person]


class Payments(BaseModel):
    payments: int
    total: float


class Spending(BaseModel):
    paid_to: Payments
    paid_by: Payments


class Match(BaseModel):
    id: str | None
    other: str
    other_name: str | None
    status: str | None
    score: float | None
    reason: str | None


class PartnerPublic(BaseModel):
    """A partner's golden record for a viewer: no contract values, spending or match reviews."""

    key: str
    name: str
    org_type: str | None
    website: str | None
    postal_code: str | None
    is_council: bool
    verified_on: str | None
    identifiers: list[str]
    aliases: list[Alias]
    personas: list[str]
    contracts: list[ContractPublic]
    grants: list[Grant]
    charters: list[Charter]
    relationship_holders: list[RelationshipHolder]


class PartnerForProcurement(PartnerPublic):
    """The whole golden record: contract values, payments to and from it, and its match reviews."""

    contracts: list[ContractForProcurement]
    spending: Spending
    matches: list[Match]


@router.get("/api/v1/partners", tags=["partners"])
def search_partners(store: Store, role: Viewer, q: str = "", persona: str | None = None,
                    limit: int = Query(20, ge=1, le=500), as_of: AsOf = None) -> list[PartnerFound]:
    """Partners whose name, an alias or an identifier contains q: exact, then prefix, then substring matches."""
    return ask(store, "partner_search", q=q, persona=persona, limit=limit, as_of=iso(as_of))


# org keys have no "/": leaves /health, /impact to their routes. The role picks the shape, so the route
# serialises the model it built rather than one response model.
@router.get("/api/v1/partners/{key}", tags=["partners"], response_model=None,
            responses={200: {"model": Union[PartnerForProcurement, PartnerPublic],
                             "description": "PartnerForProcurement for procurement and above, else PartnerPublic"}})
def partner(key: str, store: Store, role: Viewer, as_of: AsOf = None) -> PartnerPublic:
    """One partner's golden record by its key or any identifier it lists; contract values, spending and match
    reviews need the procurement role."""
    rows = ask(store, "partner_profile", key=normalise_identifier(None, key) or key, as_of=iso(as_of))
    if not rows:
        raise NotFound(f"no organisation with key {key!r}", key=key)
    shape = PartnerForProcurement if role >= Role.procurement else PartnerPublic
    return shape.model_validate(rows[0])

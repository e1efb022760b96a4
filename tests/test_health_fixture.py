"""A small partner portfolio whose health scores can be worked out by hand, and the check that both
backends read the same facts from it.

On AS_OF (2026-06-30):
- Acme Waste (A) alone provides waste collection (critical), shares housing repairs with B, has a
  contract ending in 12 months with no successor or exit plan, no engagements, and is the only route
  for Subcontractor Ltd (F) to the housing priority.
- Best Repairs (B) is the healthy one: Good KPI ratings, spend on pro rata, a successor let for its
  contract ending in 3 months, reviews twice a year, a held owner, a charter.
- Community Advice Trust (C) lives on a grant; its relationship owner's post is vacant.
- The police (D) have no contract: only engagement and governance apply.
- Dormant Ltd (E) and F have no current relationship.
"""
from __future__ import annotations

import pytest

from graph_service.queries import ask, registry
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord

AS_OF = "2026-06-30"
COUNCIL, A, B, C, D, E, F = ("GB-LAE-DAC", "GB-COH-00000001", "GB-COH-00000002", "GB-CHC-1000001", "org:police",
                             "org:dormant", "org:subcontractor")
SOURCE = "health-fixture.csv"


class Builder:
    """Records with a provenance row each, written as one batch."""

    def __init__(self) -> None:
        self.nodes: list[NodeRecord] = []
        self.rels: list[RelRecord] = []

    def _prov(self) -> Provenance:
        return Provenance(source=SOURCE, locator=f"row {len(self.nodes) + len(self.rels) + 1}")

    def node(self, label: str, key: str, **props) -> "Builder":
        self.nodes.append(NodeRecord(label=label, key=key, props=props, provenance=self._prov()))
        return self

    def rel(self, kind: str, start: str, end: str, valid_from: str | None = None, valid_to: str | None = None) -> "Builder":
        self.rels.append(RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to,
                                   provenance=self._prov()))
        return self

    def contract(self, key: str, supplier: str, service: str, value: float, start: str, end: str, *,
                 plan: bool = True, exit_plan: bool = False, manager: str | None = None) -> "Builder":
        self.node("Contract", key, title=key.split(":")[1].replace("-", " ").capitalize(), value=value,
                  start_date=start, end_date=end, has_management_plan=plan, has_exit_plan=exit_plan)
        self.rel("SUPPLIES", supplier, key, start, end).rel("BUYS", COUNCIL, key, start, end).rel("DELIVERS", key, service)
        if manager:
            self.rel("MANAGES", manager, key, start)
        return self

    def payment(self, key: str, amount: float, paid_on: str, payee: str, service: str,
                contract: str | None = None) -> "Builder":
        self.node("Payment", key, amount=amount, paid_on=paid_on)
        self.rel("PAID_TO", key, payee).rel("PAID_BY", key, COUNCIL).rel("PAID_FOR", key, service)
        if contract:
            self.rel("PAID_UNDER", key, contract)
        return self

    def rating(self, contract: str, kpi: str, period_end: str, rating: str) -> "Builder":
        key = f"kpi:{contract.split(':')[1]}-{kpi}-{period_end}"
        return self.node("KpiRating", key, kpi=kpi, rating=rating, period_end=period_end).rel("RATED", contract, key)

    def engagement(self, key: str, partner: str, kind: str, held_on: str, *posts: str) -> "Builder":
        self.node("Engagement", key, kind=kind, held_on=held_on).rel("WITH_PARTNER", key, partner)
        for post in posts:
            self.rel("ATTENDED", post, key)
        return self

    def write(self, store) -> None:
        store.upsert(Batch(nodes=self.nodes, rels=self.rels))


def portfolio() -> Builder:
    b = Builder()
    b.node("Organisation", COUNCIL, name="Dacorum Borough Council", is_council=True)
    for key, name in (("persona:contractors", "Contractors"), ("persona:voluntary-sector", "Voluntary sector"),
                      ("persona:public-sector-bodies", "Public sector bodies")):
        b.node("Persona", key, name=name)
    b.node("Priority", "priority:housing", name="Housing led regeneration")
    b.node("Priority", "priority:economy", name="To promote economic well-being")
    b.node("KeyIndicator", "indicator:homes", name="Affordable homes delivered").rel("MEASURES", "indicator:homes", "priority:housing")
    b.node("Service", "service:waste", name="Waste collection", critical=True)
    b.node("Service", "service:repairs", name="Housing repairs", critical=True).rel("SUPPORTS", "service:repairs", "priority:housing")
    b.node("Service", "service:advice", name="Community advice", critical=False).rel("SUPPORTS", "service:advice", "priority:economy")
    b.node("Workstream", "workstream:partnerships", name="Partnerships")
    for post, title in (("post:gm-env", "GM Environment"), ("post:gm-housing", "GM Strategic Housing"),
                        ("post:proc", "GM Procurement")):
        b.node("Post", post, title=title)
    b.node("Person", "person:alice", name="Alice Able").rel("HOLDS", "person:alice", "post:gm-env", "2020-01-01")
    b.node("Person", "person:bob", name="Bob Best").rel("HOLDS", "person:bob", "post:proc", "2019-04-01")
    b.node("Person", "person:cara", name="Cara Gone").rel("HOLDS", "person:cara", "post:gm-housing", "2018-01-01", "2026-05-31")
    b.rel("LEADS", "post:proc", "workstream:partnerships")

    # A: Acme Waste
    b.node("Organisation", A, name="Acme Waste Ltd").rel("HAS_PERSONA", A, "persona:contractors")
    b.contract("contract:waste-1", A, "service:waste", 1_200_000, "2024-07-01", "2027-06-30", manager="post:gm-env")
    b.contract("contract:repairs-a", A, "service:repairs", 300_000, "2025-01-01", "2027-03-31", plan=False, exit_plan=True)
    for period, first, second in (("2025-09-30", "Good", "Good"), ("2025-12-31", "Good", "Good"),
                                  ("2026-03-31", "Approaching target", "Good"),
                                  ("2026-06-30", "Requires improvement", "Other")):
        b.rating("contract:waste-1", "missed-collections", period, first)
        b.rating("contract:waste-1", "social-value", period, second)
    for n, day in enumerate(("2025-09-15", "2025-12-15", "2026-03-15", "2026-06-15"), 1):
        b.payment(f"payment:a-waste-{n}", 100_000, day, A, "service:waste", "contract:waste-1")
    for n, day in enumerate(("2026-01-15", "2026-04-15"), 1):
        b.payment(f"payment:a-repairs-{n}", 50_000, day, A, "service:repairs", "contract:repairs-a")

    # B: Best Repairs
    b.node("Organisation", B, name="Best Repairs Ltd").rel("HAS_PERSONA", B, "persona:contractors")
    b.contract("contract:repairs-b", B, "service:repairs", 2_000_000, "2024-01-01", "2029-12-31")
    b.contract("contract:repairs-b-small", B, "service:repairs", 50_000, "2025-10-01", "2026-09-30")
    b.contract("contract:repairs-b-next", B, "service:repairs", 100_000, "2026-10-01", "2028-09-30")
    b.rel("SUCCEEDS", "contract:repairs-b-next", "contract:repairs-b-small")
    for period in ("2026-03-31", "2026-06-30"):
        b.rating("contract:repairs-b", "right-first-time", period, "Good")
        b.rating("contract:repairs-b", "social-value", period, "Good")
    for n, day in enumerate(("2025-08-15", "2025-11-15", "2026-02-15", "2026-05-15"), 1):
        b.payment(f"payment:b-{n}", 80_000, day, B, "service:repairs", "contract:repairs-b")
    b.payment("payment:b-old", 999_999, "2024-05-15", B, "service:repairs", "contract:repairs-b")  # before every window
    b.engagement("engagement:b-review-1", B, "contract review", "2025-11-30", "post:proc")
    b.engagement("engagement:b-review-2", B, "contract review", "2026-05-31", "post:proc")
    b.rel("HOLDS_RELATIONSHIP", "post:proc", B, "2024-01-01")

    # C: Community Advice Trust
    b.node("Organisation", C, name="Community Advice Trust").rel("HAS_PERSONA", C, "persona:voluntary-sector")
    b.node("Grant", "grant:advice-1", title="Advice grant", amount=20_000, award_date="2025-12-01",
           start_date="2026-01-01", end_date="2026-12-31")
    b.rel("FUNDS", COUNCIL, "grant:advice-1", "2026-01-01", "2026-12-31")
    b.rel("RECEIVES", C, "grant:advice-1", "2026-01-01", "2026-12-31").rel("DELIVERS", "grant:advice-1", "service:advice")
    b.node("Grant", "grant:advice-0", title="Old advice grant", amount=15_000, award_date="2019-02-01",
           start_date="2019-03-01", end_date="2019-12-31")
    b.rel("FUNDS", COUNCIL, "grant:advice-0", "2019-03-01", "2019-12-31")
    b.rel("RECEIVES", C, "grant:advice-0", "2019-03-01", "2019-12-31").rel("DELIVERS", "grant:advice-0", "service:advice")
    b.payment("payment:c-1", 10_000, "2026-01-20", C, "service:advice")
    b.engagement("engagement:c-meeting", C, "meeting", "2026-03-31", "post:gm-housing")
    b.rel("HOLDS_RELATIONSHIP", "post:gm-housing", C, "2020-01-01")

    # D: the police
    b.node("Organisation", D, name="Hertfordshire Police").rel("HAS_PERSONA", D, "persona:public-sector-bodies")
    b.engagement("engagement:d-meeting", D, "meeting", "2026-06-01", "post:gm-env")
    b.rel("HOLDS_RELATIONSHIP", "post:gm-env", D, "2019-01-01")
    b.rel("CONTRIBUTES_TO", D, "indicator:homes").rel("ENGAGED_IN", D, "workstream:partnerships", "2019-06-01")

    # a signed charter: B, C and D are party to it
    b.node("Charter", "charter:principles", name="Principles of partnership", kind="principles of partnership",
           signed_on="2021-01-01", status="active")
    for party in (COUNCIL, B, C, D):
        b.rel("PARTY_TO", party, "charter:principles", "2021-01-01")

    # E and F: no current relationship; F works only through A
    b.node("Organisation", E, name="Dormant Ltd")
    b.node("Organisation", F, name="Subcontractor Ltd").rel("WORKS_WITH", F, A, "2025-01-01")
    return b


def load(store) -> None:
    portfolio().write(store)


FACT_QUERIES = [name for name in registry.names() if name.startswith(("health_", "procurement_"))]


@pytest.mark.neo4j
def test_both_backends_read_the_same_facts(neo4j_store, store):
    """The named queries behind the score agree on the fixture too (the parity suite covers the reference)."""
    load(neo4j_store)
    load(store)
    for name in FACT_QUERIES:
        query = registry.get(name)
        dated = [{**example, "as_of": AS_OF} for example in query.examples] if "as_of" in query.defaults else []
        for params in query.examples + dated:
            assert ask(neo4j_store, name, **params) == ask(store, name, **params), (name, params)

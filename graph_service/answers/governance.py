"""The council's governance rules applied to the graph.

Four rules from the two council documents, stated with their citations in
graph_service/settings/governance.yaml:

- every initiative is tested against the top priorities (Policy Framework line 57);
- a project's approval route follows from its funding need (New Normal Strategy lines 171-180);
- every commissioning decision weighs resilience, quality and cost (Strategy line 161);
- 15-20 key indicators for the top priorities (Policy Framework line 53).

The facts come from named queries (graph_service/queries/initiatives.py, indicators.py),
so the rules here run unchanged over either backend's rows.
"""
from __future__ import annotations

from functools import cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from graph_service.config import SETTINGS_DIR
from graph_service.store.base import GraphStore
from graph_service.errors import NotFound
from graph_service.queries import ask
from graph_service.records import FactSource

RULES_FILE = SETTINGS_DIR / "governance.yaml"
VIA = {"Priority": "direct", "Objective": "objective", "Workstream": "workstream", "KeyIndicator": "key indicator"}
CRITERIA_FIELDS = ("resilience", "quality", "cost")

Row = dict[str, Any]


# -- the answers' shapes --------------------------------------------------------------------
class Citation(BaseModel):
    source: str | None = Field(description="the council document")
    section: str
    line: int


class Rule(BaseModel):
    """A document rule in its own words, with its citation."""

    text: str
    citation: Citation


class Flag(Rule):
    message: str = Field(description="what breaks the rule, for people")


class NodeRef(BaseModel):
    key: str
    label: str
    name: str | None


class PathStep(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: NodeRef = Field(alias="from")
    type: str
    to: NodeRef
    provenance: FactSource


class AlignmentPath(BaseModel):
    via: Literal["direct", "objective", "workstream", "key indicator"]
    steps: list[PathStep]


class PriorityServed(BaseModel):
    priority: str
    name: str | None
    paths: list[AlignmentPath]


class Alignment(BaseModel):
    """Which top priorities an initiative serves and by which paths; flagged when it serves none."""

    initiative: str
    name: str
    aligned: bool
    priorities: list[PriorityServed]
    flag: Flag | None


class Linked(FactSource):
    """The node at the other end of a relationship, with the relationship's type and source."""

    type: str
    key: str
    label: str
    name: str | None


class Approval(Linked):
    approved_on: str | None


class PidEvidence(BaseModel):
    pid_status: str | None
    provenance: FactSource


class Body(BaseModel):
    key: str
    name: str


class RouteStep(BaseModel):
    step: str
    stage: int
    what: str
    citation: Citation
    bodies: list[Body] = Field(description="the approving bodies, all of whom approve (CMT and BRG jointly); "
                                           "none for a document step (the full PID)")
    awaiting: list[Body] = Field(description="the bodies whose approval is not yet recorded")
    done: bool
    evidence: list[Approval | PidEvidence]

    def dates(self) -> list[str]:
        return [e.approved_on for e in self.evidence if isinstance(e, Approval) and e.approved_on]


class Route(BaseModel):
    name: str
    when: str


class ApprovalRoute(BaseModel):
    """The steps the New Normal Strategy sets for an initiative, and where it stands on them."""

    initiative: str
    name: str
    pid_status: str | None
    funding: str | None
    stage: str | None
    route: Route | None = Field(description="none until the funding need is known")
    steps: list[RouteStep]
    next: list[str] = Field(description="the steps of the earliest stage not yet done")
    complete: bool
    other_approvals: list[Approval] = Field(description="approvals by bodies not on this route")
    issues: list[str]


class InitiativeSummary(BaseModel):
    """An initiative with what it claims to serve, whether it is aligned and where its approval stands."""

    initiative: str
    name: str
    pid_status: str | None
    funding: str | None
    stage: str | None
    provenance: FactSource
    raised_by: list[Linked]
    claims: list[Linked]
    programmes: list[Linked]
    people: list[Linked]
    approvals: list[Approval]
    aligned: bool
    priorities_served: list[str]
    route: Route | None
    next: list[str]
    complete: bool
    issues: list[str]


class OptionAssessed(BaseModel):
    option: str | None
    resilience: str | None
    quality: str | None
    cost: str | None
    missing: list[str] = Field(description="the criteria this option does not record")


class DecisionReview(BaseModel):
    """Whether a commissioning decision weighed resilience, quality and cost for every option."""

    decision: str
    title: str
    decided_on: str | None
    chosen_option: str | None
    options: list[OptionAssessed]
    decides: list[Linked]
    approvals: list[Approval]
    provenance: FactSource
    missing: list[str]
    flag: Flag | None
    issues: list[str]


class PriorityCoverage(BaseModel):
    priority: str
    name: str | None
    indicators: list[Linked]
    count: int


class IndicatorRef(BaseModel):
    indicator: str
    name: str | None
    illustrative: bool = False


class Range(BaseModel):
    min: int
    max: int


class IndicatorCoverage(BaseModel):
    """Key indicators per top priority, and whether the set stays within the Framework's 15-20."""

    rule: Rule
    indicators: int
    illustrative_indicators: int = Field(description="how many of the indicators are generated example data")
    range: Range
    size: Literal["too few", "within", "too many"]
    priorities: list[PriorityCoverage]
    priorities_without_indicators: list[str]
    indicators_without_priority: list[IndicatorRef]


@cache
def rules() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def citation(entry: dict[str, Any], source: str | None = None) -> Citation:
    """Where a rule or step comes from: document, section and line."""
    return Citation(source=entry.get("source") or source, section=entry["cite"], line=entry["line"])


def rule(name: str) -> Rule:
    """A document rule in its own words, with its citation."""
    entry = rules()[name]
    return Rule(text=entry["rule"], citation=citation(entry))


def _flag(name: str, message: str) -> Flag:
    return Flag(**rule(name).model_dump(), message=message)


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _lookup(value: str | None, spellings: dict[str, list[str]]) -> str | None:
    """The canonical name whose spellings include value (ignoring case, hyphens and spacing)."""
    if value is None:
        return None
    wanted = _normal(value)
    return next((name for name, names in spellings.items() if wanted in {_normal(s) for s in names}), None)


# -- alignment with the top priorities ---------------------------------------------------------
def _path(row: Row) -> AlignmentPath:
    steps = [PathStep(from_=NodeRef(**start), type=rel["type"], to=NodeRef(**end), provenance=FactSource.of(rel))
             for start, rel, end in zip(row["nodes"], row["links"], row["nodes"][1:])]
    return AlignmentPath(via=VIA[row["nodes"][1]["label"]], steps=steps)


def alignment(rows: list[Row]) -> list[Alignment]:
    """Group initiative_alignment rows by initiative: each priority served, by which paths.

    An initiative that reaches no priority is flagged: the Policy Framework tests every
    initiative against the top priorities.
    """
    report: dict[str, Alignment] = {}
    for row in rows:
        entry = report.setdefault(row["initiative"], Alignment(initiative=row["initiative"], name=row["name"],
                                                               aligned=False, priorities=[], flag=None))
        if row["priority"] is None:
            continue
        entry.aligned = True
        served = next((p for p in entry.priorities if p.priority == row["priority"]), None)
        if served is None:
            served = PriorityServed(priority=row["priority"], name=row["priority_name"], paths=[])
            entry.priorities.append(served)
        served.paths.append(_path(row))
    for entry in report.values():
        if not entry.aligned:
            entry.flag = _flag("alignment", f"{entry.name} is linked to none of the council's top priorities")
    return list(report.values())


# -- approval route -------------------------------------------------------------------------------
def _route_steps(funding: str | None) -> tuple[str | None, list[Row]]:
    approval = rules()["approval"]
    entry = approval["funding"].get(funding) if funding else None
    route = entry["route"] if entry else None
    steps = approval["common"] + (approval["routes"][route]["steps"] if route else [])
    return route, steps


def _step(spec: Row, row: Row, pid_status: str | None) -> RouteStep:
    source = rules()["approval"]["source"]
    evidence: list[Approval | PidEvidence]
    bodies = [Body(key=key, name=name) for key, name in spec.get("bodies", {}).items()]
    awaiting: list[Body] = []
    if bodies:
        evidence = [Approval(**a) for a in row["approvals"] if a["key"] in spec["bodies"]]
        awaiting = [b for b in bodies if b.key not in {a.key for a in evidence}]
        done = not awaiting
    else:
        done = pid_status == spec["pid_status"]
        evidence = [PidEvidence(pid_status=row["pid_status"], provenance=FactSource.of(row["provenance"]))] if done else []
    return RouteStep(step=spec["step"], stage=spec["stage"], what=spec["what"], citation=citation(spec, source),
                     bodies=bodies, awaiting=awaiting, done=done, evidence=evidence)


def _order_issues(steps: list[RouteStep]) -> list[str]:
    """Steps done before an earlier stage was, by the record or by the approval dates."""
    issues = []
    for later in steps:
        for earlier in steps:
            if earlier.stage >= later.stage or not later.evidence:
                continue
            if not earlier.done:
                issues.append(f"'{later.what}' is recorded although '{earlier.what}' is not")
            elif earlier.dates() and later.dates() and min(later.dates()) < min(earlier.dates()):
                issues.append(f"'{later.what}' is dated {min(later.dates())}, before "
                              f"'{earlier.what}' ({min(earlier.dates())})")
    return issues


def approval_route(row: Row) -> ApprovalRoute:
    """The steps the New Normal Strategy sets for this initiative, and where it stands on them.

    The funding need picks the route: existing budgets or approved reserve go to CMT and BRG;
    additional capital also goes to Cabinet for formal approval by Members.
    """
    approval = rules()["approval"]
    funding = _lookup(row["funding"], {name: spec["spellings"] for name, spec in approval["funding"].items()})
    pid_status = _lookup(row["pid_status"], approval["pid_status"])
    route, specs = _route_steps(funding)
    steps = [_step(spec, row, pid_status) for spec in specs]
    on_route = {b.key for s in steps for b in s.bodies}
    other_approvals = [Approval(**a) for a in row["approvals"] if a["key"] not in on_route]
    issues = []
    past_mini_pid = any(s.done for s in steps if s.stage > 1) or bool(other_approvals)
    if row["funding"] is None and past_mini_pid:  # the full PID is where funding is sought (line 171)
        issues.append("no funding need is recorded, so the route after the full PID is unknown: CMT and BRG "
                      "(existing budgets or approved reserve), or also Cabinet (additional capital)")
    elif row["funding"] is not None and funding is None:
        issues.append(f"funding {row['funding']!r} is none of {sorted(approval['funding'])}")
    if row["pid_status"] is not None and pid_status is None:
        issues.append(f"pid_status {row['pid_status']!r} is none of {sorted(approval['pid_status'])}")
    issues += _order_issues(steps)
    pending = [s for s in steps if not s.done]
    next_stage = min((s.stage for s in pending), default=None)
    complete = route is not None and not pending
    if not complete and row["stage"] and _normal(row["stage"]) in {_normal(s) for s in approval["stages_after_approval"]}:
        issues.append(f"its stage is {row['stage']!r} but its approval route is not complete")
    return ApprovalRoute(
        initiative=row["initiative"], name=row["name"], pid_status=row["pid_status"],
        funding=row["funding"], stage=row["stage"],
        route=Route(name=route, when=approval["routes"][route]["when"]) if route else None,
        steps=steps,
        next=[s.step for s in pending if s.stage == next_stage],
        complete=complete,
        other_approvals=other_approvals,
        issues=issues,
    )


# -- commissioning decisions ----------------------------------------------------------------------
def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _option(name: str | None, values: dict[str, str | None]) -> OptionAssessed:
    return OptionAssessed(option=name, **values, missing=[c for c in CRITERIA_FIELDS if _blank(values[c])])


def decision_criteria(row: Row) -> DecisionReview:
    """Whether a decision weighed resilience, quality and cost for every option it considered.

    Options are recorded as "option | resilience | quality | cost"; a decision without them
    is read as one option, the chosen one, described by its own three properties.
    """
    issues = []
    if row["options"]:
        options: dict[str, OptionAssessed] = {}
        for entry in row["options"]:
            name, *values = [part.strip() for part in entry.split("|")]
            if name in options:
                issues.append(f"option {name!r} is assessed more than once; the last entry is used")
            options[name] = _option(name, dict(zip(CRITERIA_FIELDS, [*values, None, None, None])))
        considered = list(options.values())
        if row["chosen_option"] and row["chosen_option"] not in options:
            issues.append(f"the chosen option {row['chosen_option']!r} is not among the options considered")
    else:
        considered = [_option(row["chosen_option"], {c: row[c] for c in CRITERIA_FIELDS})]
    criteria = rules()["commissioning"]["criteria"]
    gaps = [f"{'option ' + repr(o.option) if o.option else 'the decision'} does not record "
            + ", ".join(f"{criteria[c]} ({c})" for c in o.missing) for o in considered if o.missing]
    return DecisionReview(
        decision=row["decision"], title=row["title"], decided_on=row["decided_on"],
        chosen_option=row["chosen_option"], options=considered, decides=row["decides"],
        approvals=row["approvals"], provenance=FactSource.of(row["provenance"]),
        missing=sorted({c for o in considered for c in o.missing}),
        flag=_flag("commissioning", "; ".join(gaps)) if gaps else None,
        issues=issues,
    )


# -- key indicators -------------------------------------------------------------------------------
def coverage(rows: list[Row]) -> IndicatorCoverage:
    """Key indicators per top priority, and whether the set stays within the Framework's 15-20."""
    spec = rules()["key_indicators"]
    priorities = [PriorityCoverage(priority=r["key"], name=r["name"], indicators=r["links"], count=len(r["links"]))
                  for r in rows if r["kind"] == "priority"]
    indicators = [r for r in rows if r["kind"] == "indicator"]
    count = len(indicators)
    size = "too few" if count < spec["min"] else "too many" if count > spec["max"] else "within"
    return IndicatorCoverage(
        rule=rule("key_indicators"),
        indicators=count, illustrative_indicators=sum(bool(r["provenance"]["illustrative"]) for r in indicators),
        range=Range(min=spec["min"], max=spec["max"]), size=size,
        priorities=priorities,
        priorities_without_indicators=[p.priority for p in priorities if not p.count],
        indicators_without_priority=[IndicatorRef(indicator=r["key"], name=r["name"],
                                                  illustrative=bool(r["provenance"]["illustrative"]))
                                     for r in indicators if not r["links"]],
    )


# -- over a store ---------------------------------------------------------------------------------
def _one(rows: list[Row], key: str) -> list[Row]:
    if not rows:
        raise NotFound(f"no initiative with key {key!r}", key=key)
    return rows


def initiatives_overview(store: GraphStore, as_of: str | None = None) -> list[InitiativeSummary]:
    """Every initiative with what it claims to serve, whether it is aligned and where its approval stands."""
    aligned = {a.initiative: a for a in alignment(ask(store, "initiative_alignment", as_of=as_of))}
    overview = []
    for row in ask(store, "initiative_list", as_of=as_of):
        route, served = approval_route(row), aligned[row["initiative"]]
        overview.append(InitiativeSummary(**row, aligned=served.aligned,
                                          priorities_served=[p.priority for p in served.priorities],
                                          route=route.route, next=route.next, complete=route.complete,
                                          issues=route.issues))
    return overview


def initiative_alignment(store: GraphStore, key: str, as_of: str | None = None) -> Alignment:
    [report] = alignment(_one(ask(store, "initiative_alignment", initiative=key, as_of=as_of), key))
    return report


def unaligned_initiatives(store: GraphStore, as_of: str | None = None) -> list[Alignment]:
    return [a for a in alignment(ask(store, "initiative_alignment", as_of=as_of)) if not a.aligned]


def initiative_route(store: GraphStore, key: str, as_of: str | None = None) -> ApprovalRoute:
    [row] = _one(ask(store, "initiative_list", initiative=key, as_of=as_of), key)
    return approval_route(row)


def decisions_review(store: GraphStore, as_of: str | None = None) -> list[DecisionReview]:
    return [decision_criteria(row) for row in ask(store, "commissioning_decisions", as_of=as_of)]


def indicators_coverage(store: GraphStore, as_of: str | None = None) -> IndicatorCoverage:
    return coverage(ask(store, "indicator_coverage", as_of=as_of))


class Indicator(BaseModel):
    """A key indicator: its unit and target, and the top priorities it measures."""

    key: str
    name: str
    unit: str | None
    target: str | None
    priorities: list[Linked]
    provenance: FactSource


def indicators(store: GraphStore, as_of: str | None = None) -> list[Indicator]:
    return [Indicator(key=r["key"], name=r["name"], unit=r["unit"], target=r["target"], priorities=r["links"],
                      provenance=r["provenance"])
            for r in ask(store, "indicator_coverage", as_of=as_of) if r["kind"] == "indicator"]


def get_indicator(store: GraphStore, key: str, as_of: str | None = None) -> Indicator:
    found = [i for i in indicators(store, as_of) if i.key == key]
    if not found:
        raise NotFound(f"no key indicator with key {key!r}", key=key)
    return found[0]

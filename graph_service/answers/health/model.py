"""The relationship-health score (New Normal Strategy: "identify how best to monitor performance and
health of relationship with partners").

Six dimensions are worked out from the named queries' rows, each with a sub-score from 0 to 100 and
the evidence behind it (facts with source, locator and node or relationship key). The score is the
weighted sum of the dimensions that have data: a dimension without data drops out and its weight is
shared among the rest in proportion, so each dimension's points (effective weight x sub-score / 100)
add up to the score, and `coverage` says how much of the configured weight had data. Ratings are
green, amber or red by the score, capped at red by overrides. Every number comes from
settings/health.yaml; `as_of` is explicit so a run can be repeated exactly.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from graph_service.answers.health.config import DIMENSIONS, HealthConfig
from graph_service.answers.health.facts import Facts, Row, add_months
from graph_service.answers.health.impact import reached
from graph_service.answers.health.network import Network

RATING_ORDER = {"red": 0, "amber": 1, "green": 2, "no data": 3}


@dataclass
class Finding:
    """One dimension's result for one partner, before weighting. sub_score None means no data."""

    sub_score: float | None
    summary: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)


def evidence(fact: str, key: str, row: Row) -> dict[str, Any]:
    return {"fact": fact, "key": key, "source": row["source"], "locator": row["locator"]}


def flag(code: str, message: str, items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "evidence": items or []}


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Mean of (score, weight) pairs; equal weights when none has a positive weight."""
    total = sum(w for _, w in pairs)
    if total <= 0:
        return sum(s for s, _ in pairs) / len(pairs)
    return sum(s * w for s, w in pairs) / total


def money(amount: float | None) -> str:
    return "no value" if amount is None else f"GBP {amount:,.0f}"


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@dataclass
class Context:
    """What every dimension may read: the facts, the dependency network and the configuration."""

    facts: Facts
    network: Network
    config: HealthConfig
    _reached: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    @property
    def as_of(self) -> dt.date:
        return self.facts.as_of

    def reached(self, partner: str) -> dict[str, list[dict[str, Any]]]:
        """What depends on the partner (impact.reached), worked out once per partner."""
        if partner not in self._reached:
            self._reached[partner] = reached(self.facts, partner)
        return self._reached[partner]

    def current_relationship(self, partner: str) -> bool:
        """Whether the council deals with the partner now: a current contract or grant (as supplier,
        recipient or co-funder), a charter, a work-stream or indicator it works towards, a post holding the
        relationship, spend in the window, or contact within the review window. Without one, governance
        has nothing to measure and no review is expected."""
        since = add_months(self.as_of, -self.config.engagement.review_within_months).isoformat()
        return bool(any(link["type"] != "WORKS_WITH" for link in self.facts.links_from.get(partner, []))
                    or self.facts.partners[partner]["owners"] or self.network.services_of.get(partner)
                    or any(e["held_on"] >= since for e in self.facts.engagements.get(partner, [])))


# -- the six dimensions --------------------------------------------------------------------------
def quality(ctx: Context, partner: str) -> Finding:
    """KPI ratings on the partner's current contracts in the window, on the Procurement Act scale,
    weighted by contract value; "Other" is no data. Caps at red if a contract's latest rating is Inadequate."""
    points, since = ctx.config.quality.points, add_months(ctx.as_of, -ctx.config.quality.window_months).isoformat()
    ratings = ctx.facts.ratings.get(partner, [])
    by_contract: dict[str, list[Row]] = {}
    for r in ratings:
        by_contract.setdefault(r["contract"], []).append(r)
    found = Finding(None, "no KPI ratings on current contracts")
    pairs = []
    for contract, rows in sorted(by_contract.items()):
        latest = max(r["period_end"] for r in rows)
        inadequate = [r for r in rows if r["period_end"] == latest and r["rating"] == "Inadequate"]
        if inadequate:
            found.overrides.append(flag("inadequate_kpi", f"latest KPI rating on {rows[0]['title']} is Inadequate",
                                        [evidence(f"{r['kpi']}: Inadequate for the period ending {latest}", r["rating_key"], r)
                                         for r in inadequate]))
        scored = [r for r in rows if r["period_end"] > since and r["rating"] in points]
        if not scored:
            continue
        mean = sum(points[r["rating"]] for r in scored) / len(scored)
        pairs.append((mean, rows[0]["value"] or 0.0))
        found.detail.setdefault("contracts", []).append({"contract": contract, "value": rows[0]["value"],
                                                         "ratings": len(scored), "mean": round(mean, 1)})
        found.evidence += [evidence(f"{r['title']}: {r['kpi']} rated {r['rating']} ({points[r['rating']]:g}) for the "
                                    f"period ending {r['period_end']}", r["rating_key"], r) for r in scored]
    if pairs:
        found.sub_score = weighted_mean(pairs)
        count = sum(c["ratings"] for c in found.detail["contracts"])
        found.summary = (f"{count} KPI ratings on {len(pairs)} contract(s) since {since}, value-weighted mean "
                         f"{found.sub_score:.0f}")
    return found


def cost(ctx: Context, partner: str) -> Finding:
    """Spend in the window under each current contract against the partner's share of its value pro rata
    over the same days. A framework's ceiling is no price to spend against, so it is left out."""
    cfg = ctx.config.cost
    since = add_months(ctx.as_of, -cfg.window_months)
    found = Finding(None, "no payments recorded under current contracts")
    pairs = []
    for c in ctx.facts.contracts.get(partner, []):
        spent = ctx.facts.contract_spend.get((partner, c["contract"]))
        if not (spent and spent["payments"] and c["value"] and c["start_date"] and c["end_date"]) or c.get("value_is_ceiling"):
            continue
        start, end = day(c["start_date"]), day(c["end_date"])
        overlap = (min(end, ctx.as_of) - max(start, since)).days + 1
        expected = c["value"] * overlap / ((end - start).days + 1)
        ratio = spent["spend"] / expected
        over = ratio - 1 - cfg.tolerance
        score = 100.0 if over <= 0 else max(0.0, 100 * (1 - over / (cfg.zero_at - cfg.tolerance)))
        pairs.append((score, c["value"]))
        found.detail.setdefault("contracts", []).append({"contract": c["contract"], "spend": round(spent["spend"], 2),
                                                         "pro_rata": round(expected, 2), "ratio": round(ratio, 3),
                                                         "score": round(score, 1)})
        found.evidence.append({"fact": f"{c['title']}: {money(spent['spend'])} paid in {spent['payments']} payment(s) "
                                       f"since {since.isoformat()} against {money(expected)} pro rata of "
                                       f"{money(c['value'])} (ratio {ratio:.2f})",
                               "key": c["contract"], "source": ", ".join(spent["sources"]),
                               "locator": f"payments under {c['contract']} ({'; '.join(spent['linked_by'])}), "
                                          f"{spent['first_paid']} to {spent['last_paid']}"})
    if pairs:
        found.sub_score = weighted_mean(pairs)
        worst = max(found.detail["contracts"], key=lambda d: d["ratio"])
        found.summary = (f"spend against pro rata value on {len(pairs)} contract(s); highest ratio "
                         f"{worst['ratio']:.2f} on {worst['contract']}")
    return found


def resilience(ctx: Context, partner: str) -> Finding:
    """The partner's share of each service it provides and how many alternatives each service has;
    single points of failure and cut vertices flagged, a sole provider of a critical service caps at red."""
    cfg = ctx.config.resilience
    network = ctx.network
    found = Finding(None, "provides no service and is no cut vertex")
    pairs = []
    for key in network.services_of.get(partner, []):
        dependency = network.services[key]
        alternatives = dependency.other_providers(partner)
        share = dependency.share(partner)
        alt_points = cfg.alternatives_points[min(alternatives, len(cfg.alternatives_points) - 1)]
        score = cfg.alternatives_blend * alt_points + (1 - cfg.alternatives_blend) * (1 - share) * 100
        pairs.append((score, cfg.critical_weight if dependency.critical else 1.0))
        provision = dependency.providers[partner]
        found.detail.setdefault("services", []).append({
            "service": key, "name": dependency.name, "critical": dependency.critical, "share": round(share, 4),
            "basis": dependency.basis, "alternatives": alternatives, "score": round(score, 1)})
        found.evidence += [evidence(f"{link['start_name']} {link['type']} {link['end_name']}", link["rel"], link)
                           for link in provision.via]
        if provision.spend:
            found.evidence.append({"fact": f"{money(provision.spend)} of {money(dependency.total_spend)} spent on "
                                           f"{dependency.name} in the last {cfg.spend_window_months} months went to "
                                           f"this partner ({share:.0%}); {alternatives} other provider(s)",
                                   "key": key, "source": ", ".join(ctx.facts.spend_sources.get((key, partner), [])),
                                   "locator": f"payments PAID_FOR {key} and PAID_TO {partner}"})
        if not alternatives:
            sole = flag("single_point_of_failure", f"the only provider of {dependency.name}"
                        + (" (a critical service)" if dependency.critical else ""),
                        [evidence(f"no other provider of {dependency.name}", key, link) for link in provision.via[:1]])
            (found.overrides if dependency.critical else found.flags).append(sole)
    for priority in network.sole_priorities.get(partner, []):
        found.flags.append(flag("sole_priority_provider", f"the only partner delivering {network.priority_names[priority]}"))
    cuts = network.cut_vertices.get(partner, [])
    for cut in cuts:
        names = ", ".join(ctx.facts.partners[p]["name"] for p in cut.cut_off)
        found.flags.append(flag("cut_vertex", f"the only route between {cut.priority_name} and {len(cut.cut_off)} "
                                              f"partner(s) that work through it: {names}",
                                [evidence(f"{link['start_name']} WORKS_WITH {link['end_name']}", link["rel"], link)
                                 for link in cut.links]))
    if pairs or cuts:
        base = weighted_mean(pairs) if pairs else 100.0
        found.sub_score = max(0.0, base - (cfg.cut_vertex_penalty if cuts else 0.0))
        found.detail["cut_vertex_for"] = [cut.priority for cut in cuts]
        sole = [d["name"] for d in found.detail.get("services", []) if not d["alternatives"]]
        found.summary = (f"provides {len(pairs)} service(s)"
                         + (f", sole provider of {', '.join(sole)}" if sole else "")
                         + (f"; cut vertex for {len(cuts)} priority(ies)" if cuts else ""))
    return found


def lifecycle(ctx: Context, partner: str) -> Finding:
    """Current contracts ending within the horizon with neither a successor nor an exit plan (sharper in
    the last months); one ending within the sharp window with no successor caps at red."""
    cfg = ctx.config.lifecycle
    horizon, sharp = add_months(ctx.as_of, cfg.horizon_months), add_months(ctx.as_of, cfg.sharp_months)
    found = Finding(None, "no current contract with an end date")
    pairs, at_risk = [], 0
    for c in ctx.facts.contracts.get(partner, []):
        if not c["end_date"]:
            continue
        end = day(c["end_date"])
        successor, exit_plan = bool(c["successors"]), bool(c["has_exit_plan"])
        if end > horizon or successor or exit_plan:
            score, state = cfg.points.covered, ("ends after the horizon" if end > horizon else
                                                "successor let" if successor else "exit plan in place")
        else:
            score, state = (cfg.points.urgent, "urgent") if end <= sharp else (cfg.points.uncovered, "uncovered")
            at_risk += 1
        pairs.append((score, c["value"] or 0.0))
        found.detail.setdefault("contracts", []).append({"contract": c["contract"], "end_date": c["end_date"],
                                                         "successors": [s["key"] for s in c["successors"]],
                                                         "has_exit_plan": exit_plan, "state": state, "score": score})
        if end <= horizon:
            found.evidence.append(evidence(f"{c['title']} ends {c['end_date']}: {state}", c["contract"], c))
        if end <= sharp and not successor:
            found.overrides.append(flag("expiry_without_successor",
                                        f"{c['title']} ends {c['end_date']}, within {cfg.sharp_months} months, "
                                        "with no successor", [evidence(f"ends {c['end_date']}; no SUCCEEDS", c["contract"], c)]))
    if pairs:
        found.sub_score = weighted_mean(pairs)
        found.summary = (f"{at_risk} of {len(pairs)} contract(s) end within {cfg.horizon_months} months with neither a "
                         f"successor nor an exit plan" if at_risk else
                         f"{len(pairs)} contract(s), none ending within {cfg.horizon_months} months uncovered")
    return found


def engagement(ctx: Context, partner: str) -> Finding:
    """Meetings and reviews weighted by recency (halving every half-life); none recorded is no data.
    Flags a partner the council has a current relationship with and no review in the review window."""
    cfg = ctx.config.engagement
    rows = sorted(ctx.facts.engagements.get(partner, []), key=lambda r: (r["held_on"], r["engagement"]), reverse=True)
    found = Finding(None, "no engagement recorded")
    total = 0.0
    for r in rows:
        age = (ctx.as_of - day(r["held_on"])).days
        contribution = cfg.kind_weights.get(r["kind"], cfg.other) * 0.5 ** (age / cfg.half_life_days)
        total += contribution
        found.evidence.append(evidence(f"{r['kind']} on {r['held_on']} ({age} days ago) counts {contribution:.3f}",
                                       r["engagement"], r))
    reviews = [r["held_on"] for r in rows if r["kind"] in cfg.review_kinds]
    latest_review = reviews[0] if reviews else None
    if rows:
        found.sub_score = min(100.0, 100 * total / cfg.target)
        found.detail = {"decayed_total": round(total, 4), "target": cfg.target, "engagements": len(rows),
                        "latest_review": latest_review}
        found.summary = (f"{len(rows)} engagement(s), recency-weighted total {total:.2f} of {cfg.target:g}; "
                         + (f"last review {latest_review}" if latest_review else "no review recorded"))
    since = add_months(ctx.as_of, -cfg.review_within_months).isoformat()
    if ctx.current_relationship(partner) and (latest_review is None or latest_review < since):
        found.flags.append(flag("no_recent_review", f"no review meeting in the last {cfg.review_within_months} months"
                                + (f" (last {latest_review})" if latest_review else " (none recorded)")))
    return found


def governance(ctx: Context, partner: str) -> Finding:
    """A named officer owner whose post is held, contract management plans, a signed charter, and links
    to the council's priorities: points earned over the points of the checks that apply. Applies to
    partners the council has a current relationship with."""
    cfg = ctx.config.governance
    facts = ctx.facts
    if not ctx.current_relationship(partner):
        return Finding(None, "no current relationship")
    found = Finding(None, "")
    earned, possible, missing = 0.0, 0.0, []

    items = [link["end"] for link in facts.links_from.get(partner, []) if link["type"] in ("SUPPLIES", "RECEIVES")]
    owners = facts.owners_of(partner) + [o for item in sorted(set(items)) for o in facts.owners_of(item)]
    held = [o for o in owners if o["holders"]]
    possible += cfg.points.owner
    if held:
        earned += cfg.points.owner
    else:
        missing.append("a named officer owner")
        found.flags.append(flag("owner_post_vacant" if owners else "no_named_owner",
                                "every post owning the relationship is vacant" if owners else "no post owns the relationship"))
    found.evidence += [evidence(f"{o['title']} ({o['role']}) held by "
                                + (", ".join(h["name"] for h in o["holders"]) or "nobody: vacant"), o["rel"], o) for o in owners]

    contracts = facts.contracts.get(partner, [])
    if contracts:
        possible += cfg.points.management_plan
        share = weighted_mean([(1.0 if c["has_management_plan"] else 0.0, c["value"] or 0.0) for c in contracts])
        earned += cfg.points.management_plan * share
        without = sum(not c["has_management_plan"] for c in contracts)
        if without:
            plans = (f"{without} of {len(contracts)} current contract{'s' if len(contracts) != 1 else ''} "
                     f"{'has' if without == 1 else 'have'} no management plan")
        found.evidence += [evidence(f"{c['title']}: " + ("management plan" if c["has_management_plan"] else
                                                         "no management plan"), c["contract"], c) for c in contracts]
        found.detail["management_plan_share"] = round(share, 4)

    possible += cfg.points.charter
    signed = [c for c in facts.charters.get(partner, []) if c["status"] in cfg.charter_statuses
              and c["signed_on"] and c["signed_on"] <= ctx.as_of.isoformat()]
    if signed:
        earned += cfg.points.charter
    else:
        missing.append("a signed charter")
    found.evidence += [evidence(f"party to {c['name']} ({c['status']}, signed {c['signed_on'] or 'never'})", c["rel"], c)
                       for c in facts.charters.get(partner, [])]

    possible += cfg.points.priorities
    priorities = _linked_priorities(ctx, partner)
    if priorities:
        earned += cfg.points.priorities
    else:
        missing.append("a link to a top priority")
    found.evidence += [evidence(f"linked to {name} via {via['from']} {via['type']}", via["rel"], via)
                       for name, via in priorities]

    found.sub_score = 100 * earned / possible
    found.detail.update({"points": round(earned, 2), "possible": possible, "owners_held": len(held),
                         "charters_in_effect": [c["charter"] for c in signed],
                         "priorities": sorted({name for name, _ in priorities})})
    said = (["missing " + ", ".join(missing)] if missing else []) + ([plans] if contracts and without else [])
    found.summary = "; ".join(said) or "all checks met"
    return found


def _linked_priorities(ctx: Context, partner: str) -> list[tuple[str, dict[str, Any]]]:
    """(priority name, the link reaching it) through the impact chain or a charter supporting it."""
    found = [(p["name"], p["via"][0]) for p in ctx.reached(partner)["Priority"]]
    for party in ctx.facts.links_from.get(partner, []):
        if party["type"] == "PARTY_TO":
            found += [(link["end_name"], {"from": link["start"], "type": "SUPPORTS", "to": link["end"], "rel": link["rel"],
                                          "source": link["source"], "locator": link["locator"]})
                      for link in ctx.facts.links_from.get(party["end"], []) if link["type"] == "SUPPORTS"]
    return found


SCORERS: dict[str, Callable[[Context, str], Finding]] = {
    "quality": quality, "cost": cost, "resilience": resilience,
    "lifecycle": lifecycle, "engagement": engagement, "governance": governance,
}
assert tuple(SCORERS) == DIMENSIONS


# -- putting them together ---------------------------------------------------------------------
def rate(score: float | None, config: HealthConfig) -> str:
    if score is None:
        return "no data"
    return "green" if score >= config.ratings.green else "amber" if score >= config.ratings.amber else "red"


def score_partner(ctx: Context, partner: str) -> dict[str, Any]:
    """One partner's score, rating, dimensions with evidence, overrides, flags and the drivers of lost points."""
    weights = ctx.config.weights
    findings = {name: scorer(ctx, partner) for name, scorer in SCORERS.items()}
    covered = sum(weights[n] for n, f in findings.items() if f.sub_score is not None)
    dimensions = []
    for name, f in findings.items():
        share = weights[name] / covered * 100 if f.sub_score is not None and covered else 0.0
        points = share * f.sub_score / 100 if f.sub_score is not None else 0.0
        dimensions.append({"name": name, "has_data": f.sub_score is not None,
                           "sub_score": None if f.sub_score is None else round(f.sub_score, 1),
                           "weight": weights[name], "effective_weight": round(share, 2), "points": round(points, 2),
                           "lost": round(share - points, 2), "summary": f.summary, "evidence": f.evidence,
                           "detail": f.detail})
    score = round(sum(d["points"] for d in dimensions), 2) if covered else None
    overrides = [o for f in findings.values() for o in f.overrides]
    score_rating = rate(score, ctx.config)
    drivers = sorted((d for d in dimensions if d["lost"] > 0), key=lambda d: (-d["lost"], d["name"]))[:3]
    row = ctx.facts.partners[partner]
    result = {
        "partner": partner, "name": row["name"], "personas": row["personas"], "as_of": ctx.as_of.isoformat(),
        "illustrative": row["illustrative"],
        "score": score, "rating": "red" if overrides and score is not None else score_rating,
        "score_rating": score_rating, "coverage": round(covered / sum(weights.values()), 4),
        "provisional": score is not None and covered / sum(weights.values()) < ctx.config.ratings.provisional_below,
        "dimensions": dimensions, "criteria": _criteria(dimensions, ctx.config),
        "overrides": overrides, "flags": [x for f in findings.values() for x in f.flags],
        "drivers": [{"dimension": d["name"], "lost": d["lost"], "summary": d["summary"]} for d in drivers],
        "services": ctx.network.services_of.get(partner, []),
        "workstreams": [w["key"] for w in ctx.reached(partner)["Workstream"]],
    }
    result["explanation"] = explain(result)
    return result


def _criteria(dimensions: list[dict[str, Any]], config: HealthConfig) -> dict[str, float | None]:
    """The strategy's three commissioning criteria, each the weighted mean of its dimensions with data."""
    by_name = {d["name"]: d for d in dimensions}
    out = {}
    for criterion, names in config.commissioning_criteria.items():
        pairs = [(by_name[n]["sub_score"], config.weights[n]) for n in names if by_name[n]["has_data"]]
        out[criterion] = round(weighted_mean(pairs), 1) if pairs else None
    return out


def explain(result: dict[str, Any]) -> str:
    """One paragraph: the score, its coverage, the three biggest drivers of lost points, and any cap."""
    if result["score"] is None:
        return "No dimension has data for this partner."
    text = (f"{result['name']} scores {result['score']:.1f} ({result['score_rating']}) on "
            f"{result['coverage']:.0%} of the model's weight.")
    if result["provisional"]:
        text = f"Provisional: {text}"
    if result["drivers"]:
        text += " Most points lost on " + "; ".join(
            f"{d['dimension']} (-{d['lost']:.1f}: {d['summary']})" for d in result["drivers"]) + "."
    if result["overrides"]:
        text += " Rated red because " + "; ".join(o["message"] for o in result["overrides"]) + "."
    return text

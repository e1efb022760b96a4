"""Procurement's views, the same on either backend: contracts nearing their end and whether a successor
is let, spend concentration per service (shares and the Herfindahl-Hirschman index), single points of
failure, each partner's Kraljic position and review cycle, and grant against contract value by year.

Each answers for one buyer (answers/health/scope.py): the home council by default, another
organisation by key, or 'all'. Lists carry the buyer; a contract no file gave a buyer for shows
under 'buyer unknown', and only in 'all'."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Iterator

from graph_service.answers import Answer, Facts, Named
from graph_service.store.base import GraphStore
from graph_service.answers.health.config import HealthConfig, load_config
from graph_service.answers.health.facts import add_months, gather, parse_date
from graph_service.answers.health.network import analyse
from graph_service.answers.health.report import assess
from graph_service.answers.health.scope import UNKNOWN, ServiceMap, resolve_buyer
from graph_service.answers.health.facts import service_spend
from graph_service.answers.illustrative import illustrative_keys
from graph_service.queries import ask

VIEWS = ("expiring", "concentration", "single-points-of-failure", "kraljic", "commissioning")


def _successor_status(row: dict[str, Any]) -> str:
    if row["successors"]:
        return "successor let"
    return "exit plan only" if row["has_exit_plan"] else "none"


def buyer_label(buyers: list[dict[str, str]]) -> str:
    """The buyer column: the buyers' names, or 'buyer unknown' when no file stated one."""
    return "; ".join(b["name"] for b in buyers) or UNKNOWN


def _expiry_ends(as_of: str | dt.date | None, config: HealthConfig | None) -> tuple[dt.date, dict[int, str]]:
    """The day and each expiry window's last day (window months -> date), windows in order."""
    config = config or load_config()
    today = parse_date(as_of)
    return today, {months: add_months(today, months).isoformat() for months in sorted(config.procurement.expiry_windows_months)}


def _expiring_contracts(store: GraphStore, today: dt.date, ends: dict[int, str], buyer: str | None,
                        limit: int | None, offset: int) -> list[dict[str, Any]]:
    rows = ask(store, "procurement_expiring_contracts", as_of=today.isoformat(), until=list(ends.values())[-1],
               buyer=buyer, limit=limit, offset=offset)
    generated = illustrative_keys(store, [row["contract"] for row in rows])
    return [{**row, "buyer": buyer_label(row["buyers"]), "window_months": next(m for m, end in ends.items() if row["end_date"] <= end),
             "days_left": (dt.date.fromisoformat(row["end_date"]) - today).days,
             "successor_status": _successor_status(row), "illustrative": row["contract"] in generated} for row in rows]


def expiring(store: GraphStore, as_of: str | dt.date | None = None, config: HealthConfig | None = None,
             buyer: str | None = None, limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """The buyer's current contracts ending within each window (6, 12 and 18 months by default), soonest
    first, each with its buyer and successor status; a contract is listed once, in the first window it
    falls in. Totals count a contract's value once, and a framework's ceiling apart from real values.
    `limit` contracts from `offset` (none: all of them); `count` is all of them, and the windows total
    them all, whatever the page."""
    today, ends = _expiry_ends(as_of, config)
    scope = resolve_buyer(store, buyer)
    totals = ask(store, "procurement_expiring_windows", untils=list(ends.values()), as_of=today.isoformat(), buyer=scope.key)
    summary = [{"months": months, "until": until, **{k: v for k, v in total.items() if k != "until"}}
               for (months, until), total in zip(ends.items(), totals)]
    return {"as_of": today.isoformat(), "buyer": scope.describe(), "windows": summary, "count": summary[-1]["contracts"],
            "contracts": _expiring_contracts(store, today, ends, scope.key, limit, offset)}


def expiring_pages(store: GraphStore, as_of: str | dt.date | None = None, buyer: str | None = None,
                   size: int = 1000) -> Iterator[dict[str, Any]]:
    """`expiring` a page of `size` at a time (the windows worked out once), so every contract can be written
    out without holding them all."""
    first = expiring(store, as_of, buyer=buyer, limit=size)
    yield first
    today, ends = _expiry_ends(first["as_of"], None)
    scope = resolve_buyer(store, buyer)
    for offset in range(size, first["count"], size):
        yield {**first, "contracts": _expiring_contracts(store, today, ends, scope.key, size, offset)}


def concentration(store: GraphStore, as_of: str | dt.date | None = None, config: HealthConfig | None = None,
                  buyer: str | None = None, services_map: ServiceMap | None = None) -> dict[str, Any]:
    """Each service's spend in the window by supplier, for the buyer who paid (with 'all', one entry per
    buyer and service), each supplier's share and the Herfindahl-Hirschman index (shares in per cent,
    squared and summed: 10,000 is one supplier), most concentrated first. A payment's service is stated
    or comes from the service table (settings/services.yaml); spend on areas the table does not map is
    listed under `unmapped`, largest first, never dropped."""
    config = config or load_config()
    cfg = config.procurement
    today = parse_date(as_of)
    scope = resolve_buyer(store, buyer)
    since = add_months(today, -cfg.concentration_window_months).isoformat()
    mapped, unmapped = service_spend(store, scope, since, today.isoformat(), services_map)
    generated = illustrative_keys(store, sorted({row["partner"] for row in mapped}))
    services: dict[tuple, dict[str, Any]] = {}
    for row in mapped:
        service = services.setdefault((row["buyer"], row["service"]), {
            "buyer": row["buyer"] or UNKNOWN, "service": row["service"], "name": row["service_name"],
            "critical": row["critical"], "suppliers": []})
        service["suppliers"].append({"partner": row["partner"], "name": row["partner_name"], "spend": row["spend"],
                                     "payments": row["payments"], "illustrative": row["partner"] in generated})
    out = []
    for service in services.values():
        total = sum(s["spend"] for s in service["suppliers"])
        for s in service["suppliers"]:
            s["share"] = round(s["spend"] / total, 4) if total else 0.0
        hhi = sum((s["spend"] / total * 100) ** 2 for s in service["suppliers"]) if total else 0.0
        band = ("highly concentrated" if hhi > cfg.hhi_highly_concentrated else
                "concentrated" if hhi > cfg.hhi_concentrated else "unconcentrated")
        service["suppliers"].sort(key=lambda s: (-s["spend"], s["partner"]))
        out.append({**service, "spend": round(total, 2), "hhi": round(hhi, 1), "band": band,
                    "illustrative": any(s["illustrative"] for s in service["suppliers"])})
    out.sort(key=lambda s: (-s["hhi"], s["service"], s["buyer"]))
    areas: dict[tuple, dict[str, Any]] = {}
    for row in unmapped:
        area = areas.setdefault((row["buyer"], row["area"]), {"buyer": row["buyer"] or UNKNOWN, "area": row["area"],
                                                              "spend": 0.0, "payments": 0})
        area["spend"] += row["spend"]
        area["payments"] += row["payments"]
    listed = sorted(({**a, "spend": round(a["spend"], 2)} for a in areas.values()),
                    key=lambda a: (-a["spend"], a["area"] or "", a["buyer"]))
    return {"as_of": today.isoformat(), "since": since, "buyer": scope.describe(), "services": out, "unmapped": listed}


def _service_shares(rows: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """Spend per (buyer, service) with each supplier's spend and share, largest first."""
    services: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        service = services.setdefault((row["buyer"], row["service"]), {
            "buyer": row["buyer"], "service": row["service"], "name": row["service_name"], "critical": row["critical"],
            "spend": 0.0, "suppliers": {}})
        service["spend"] += row["spend"]
        supplier = service["suppliers"].setdefault(row["partner"], {"partner": row["partner"], "name": row["partner_name"],
                                                                    "spend": 0.0})
        supplier["spend"] += row["spend"]
    for service in services.values():
        for supplier in service["suppliers"].values():
            supplier["share"] = round(supplier["spend"] / service["spend"], 4) if service["spend"] else 0.0
        service["suppliers"] = sorted(service["suppliers"].values(), key=lambda x: (-x["spend"], x["partner"]))
    return services


def _rests_on_one(suppliers: list[dict[str, Any]], above: float) -> str | None:
    """Why spend rests on its largest supplier (suppliers largest first), or None when it does not."""
    top, *others = suppliers
    if not others:
        return "only supplier paid"
    return f"holds more than {above:.0%} of the spend" if top["share"] > above else None


def _alternatives(others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"partner": o["partner"], "name": o["name"], "share": o["share"]} for o in others]


def _indicators_resting_on_one(services: dict[tuple, dict[str, Any]], moves: dict[str, list[tuple[str, str]]],
                               above: float, generated: set[str]) -> list[dict[str, Any]]:
    """Key indicators whose services' spend (all services moving the indicator, added up) rests on one
    supplier, or on one holding more than `above` of it."""
    indicators: dict[tuple, dict[str, Any]] = {}
    for (buyer, service_key), service in services.items():
        for indicator, name in moves.get(service_key, []):
            entry = indicators.setdefault((buyer, indicator), {"buyer": buyer, "indicator": indicator, "name": name,
                                                               "services": [], "spend": 0.0, "suppliers": {}})
            entry["services"].append({"service": service_key, "name": service["name"]})
            entry["spend"] += service["spend"]
            for s in service["suppliers"]:
                supplier = entry["suppliers"].setdefault(s["partner"], {"partner": s["partner"], "name": s["name"],
                                                                        "spend": 0.0})
                supplier["spend"] += s["spend"]
    out = []
    for entry in indicators.values():
        suppliers = sorted(({**s, "share": round(s["spend"] / entry["spend"], 4) if entry["spend"] else 0.0}
                            for s in entry["suppliers"].values()), key=lambda s: (-s["spend"], s["partner"]))
        why = _rests_on_one(suppliers, above)
        if why is None:
            continue
        top, *others = suppliers
        out.append({"buyer": entry["buyer"] or UNKNOWN, "indicator": entry["indicator"], "name": entry["name"],
                    "services": sorted(entry["services"], key=lambda s: s["service"]),
                    "spend": round(entry["spend"], 2), "partner": top["partner"], "partner_name": top["name"],
                    "share": top["share"], "why": why, "alternatives": _alternatives(others),
                    "illustrative": top["partner"] in generated})
    return sorted(out, key=lambda x: (-x["share"], x["indicator"], x["buyer"]))


def single_points_of_failure(store: GraphStore, as_of: str | dt.date | None = None,
                             config: HealthConfig | None = None, buyer: str | None = None) -> dict[str, Any]:
    """For the buyer: services resting on one supplier, or on one holding more than
    procurement.single_supplier_share of the service's spend, with the partner, its share, the
    alternatives paid for the same service and the key indicators the service moves; key indicators
    whose services' spend rests on one supplier in the same way; and priorities only one partner
    delivers. `illustrative` marks a row whose partner is generated example data. Partners that
    bridge others in the delivery network are `bridges_between_partners`, apart: they say nothing of
    spend."""
    config = config or load_config()
    facts = gather(store, parse_date(as_of), config, resolve_buyer(store, buyer))
    network = analyse(facts)
    names = {key: row["name"] for key, row in facts.partners.items()}
    generated = {key for key, row in facts.partners.items() if row["illustrative"]}
    above = config.procurement.single_supplier_share
    shares = _service_shares(facts.service_spend)
    moves = {key: sorted({(r["end"], r["end_name"]) for r in rows
                          if r["type"] == "CONTRIBUTES_TO" and r["end_label"] == "KeyIndicator"})
             for key, rows in facts.links_from.items()}
    services = []
    for service in sorted(shares.values(),
                          key=lambda x: (not x["critical"], -x["suppliers"][0]["share"], x["service"], x["buyer"] or "")):
        why = _rests_on_one(service["suppliers"], above)
        if why is None:
            continue
        top, *others = service["suppliers"]
        services.append({"buyer": service["buyer"] or UNKNOWN, "service": service["service"], "name": service["name"],
                         "critical": service["critical"], "spend": round(service["spend"], 2),
                         "partner": top["partner"], "partner_name": top["name"], "share": top["share"], "why": why,
                         "alternatives": _alternatives(others),
                         "indicators": [{"indicator": k, "name": n} for k, n in moves.get(service["service"], [])],
                         "illustrative": top["partner"] in generated})
    priorities = [{"priority": priority, "name": network.priority_names[priority], "partner": partner,
                   "partner_name": names[partner], "illustrative": partner in generated}
                  for partner, keys in sorted(network.sole_priorities.items()) for priority in keys]
    return {"as_of": facts.as_of.isoformat(), "buyer": facts.scope.describe(), "single_supplier_share": above,
            "services": services, "indicators": _indicators_resting_on_one(shares, moves, above, generated),
            "priorities": priorities}


def _annual_contract_value(contracts: list[dict[str, Any]]) -> float:
    total = 0.0
    for c in contracts:
        if c["value"] and c["start_date"] and c["end_date"]:
            days = (dt.date.fromisoformat(c["end_date"]) - dt.date.fromisoformat(c["start_date"])).days + 1
            total += c["value"] * 365.25 / days
    return total


def _supply_risk(partner: str, shares: dict[tuple, dict[str, Any]], ending: bool, cfg) -> tuple[float, list[str]]:
    """The highest supply risk over the services the partner is paid for, and what makes it up."""
    risk = cfg.supply_risk
    w, best, why = risk.weights, 0.0, []
    for service in shares.values():
        mine = next((x for x in service["suppliers"] if x["partner"] == partner), None)
        if mine is None:
            continue
        alternatives = len(service["suppliers"]) - 1
        score = (w["share"] * mine["share"] + w["alternatives"] * (1 - min(alternatives / risk.alternatives_cap, 1.0))
                 + w["critical"] * bool(service["critical"]) + w["contract_end"] * ending)
        if score > best:
            best = score
            why = [f"{mine['share']:.0%} of {service['name']} spend", f"{alternatives} alternative supplier"
                   + ("" if alternatives == 1 else "s")] + (["a critical service"] if service["critical"] else [])
    if ending and why:
        why.append(f"a contract ends within {risk.contract_end_months} months")
    return round(best, 3), why


def kraljic(store: GraphStore, as_of: str | dt.date | None = None, config: HealthConfig | None = None,
            buyer: str | None = None) -> dict[str, Any]:
    """Each partner the council has a current relationship with, placed by value to the council (spend in
    the last year or annualised current contract value, the larger) against supply risk: from the
    spend, its share of a service's spend, how few alternative suppliers that service has, whether it
    is critical and whether a current contract ends within 18 months (kraljic.supply_risk); also a low
    resilience sub-score or being the only provider of a service or priority. With how often it should
    be reviewed and when the next review is due after the last one recorded (none recorded: due now).
    Contract value is the partner's share (a framework divided among its suppliers), for the buyer's
    contracts only."""
    portfolio = assess(store, as_of, config, buyer)
    cfg = portfolio.config.kraljic
    spend: dict[str, float] = defaultdict(float)
    for row in portfolio.facts.service_spend:
        spend[row["partner"]] += row["spend"]
    shares = _service_shares(portfolio.facts.service_spend)
    horizon = add_months(parse_date(portfolio.as_of), cfg.supply_risk.contract_end_months).isoformat()
    partners = []
    for key, result in portfolio.results.items():
        if result["score"] is None:
            continue
        contracts = portfolio.facts.contracts.get(key, [])
        value = max(spend.get(key, 0.0), _annual_contract_value(contracts))
        dims = {d["name"]: d for d in result["dimensions"]}
        resilience = dims["resilience"]["sub_score"]
        ending = any(c["end_date"] and c["end_date"] <= horizon for c in contracts)
        risk, signs = _supply_risk(key, shares, ending, cfg)
        reasons = [f"supply risk {risk:.2f}: " + ", ".join(signs)] if risk >= cfg.supply_risk.high_at else []
        reasons += [x["message"] for x in result["overrides"] + result["flags"]
                    if x["code"] in ("single_point_of_failure", "sole_priority_provider")]
        if resilience is not None and resilience < cfg.high_risk_below:
            reasons.insert(0, f"resilience sub-score {resilience:.0f} below {cfg.high_risk_below:g}")
        high_value = value >= cfg.high_value_gbp_per_year
        position = ("strategic" if reasons else "leverage") if high_value else ("bottleneck" if reasons else "routine")
        months = cfg.review_months[position]
        last = dims["engagement"]["detail"].get("latest_review")
        due = add_months(dt.date.fromisoformat(last), months).isoformat() if last else None
        partners.append({"partner": key, "name": result["name"], "position": position,
                         "value_per_year": round(value, 2), "high_value": high_value, "supply_risk": bool(reasons),
                         "supply_risk_score": risk, "risk_reasons": reasons, "resilience": resilience,
                         "review_every_months": months,
                         "last_review": last, "next_review_due": due,
                         "review_overdue": due is None or due < portfolio.as_of,
                         "recorded_categories": sorted({c["kraljic_category"] for c in contracts if c["kraljic_category"]}),
                         "illustrative": portfolio.facts.partners[key]["illustrative"]})
    order = {p: i for i, p in enumerate(("strategic", "bottleneck", "leverage", "routine"))}
    partners.sort(key=lambda p: (order[p["position"]], -p["value_per_year"], p["partner"]))
    counts = {p: sum(x["position"] == p for x in partners) for p in order}
    return {"as_of": portfolio.as_of, "buyer": portfolio.facts.scope.describe(), "thresholds": cfg.model_dump(),
            "counts": counts, "partners": partners}


def commissioning(store: GraphStore, as_of: str | dt.date | None = None, buyer: str | None = None) -> dict[str, Any]:
    """Grant and contract value the buyer let each year, in total and by persona, and the grants' share:
    the move "from grant giving towards service commissioning". Totals add the persona rows, so an item
    whose counterparts have two personas counts under both. A year is `illustrative` when any item let
    in it is generated."""
    today = parse_date(as_of)
    scope = resolve_buyer(store, buyer)
    years: dict[str, dict[str, Any]] = {}
    for row in ask(store, "procurement_commissioning", as_of=today.isoformat(), buyer=scope.key):
        year = years.setdefault(row["year"], {"year": row["year"], "grant": {"value": 0.0, "count": 0},
                                              "contract": {"value": 0.0, "count": 0}, "personas": {}, "illustrative": 0})
        year[row["kind"]]["value"] += row["value"]
        year[row["kind"]]["count"] += row["count"]
        year["illustrative"] += row["illustrative"]
        persona = year["personas"].setdefault(row["persona"], {"persona": row["persona"],
                                                               "name": row["persona_name"] or "No persona",
                                                               "grant": 0.0, "contract": 0.0})
        persona[row["kind"]] += row["value"]
    out = []
    for year in sorted(years.values(), key=lambda y: y["year"]):
        total = year["grant"]["value"] + year["contract"]["value"]
        out.append({"year": year["year"],
                    "grants": {"value": round(year["grant"]["value"], 2), "count": year["grant"]["count"]},
                    "contracts": {"value": round(year["contract"]["value"], 2), "count": year["contract"]["count"]},
                    "grant_share": round(year["grant"]["value"] / total, 4) if total else None,
                    "illustrative": year["illustrative"] > 0,
                    "personas": sorted(({**p, "grant": round(p["grant"], 2), "contract": round(p["contract"], 2)}
                                        for p in year["personas"].values()), key=lambda p: p["name"])})
    return {"as_of": today.isoformat(), "buyer": scope.describe(), "years": out}


# -- the shapes of procurement's answers ------------------------------------------------------------------
class Window(Answer):
    months: int
    until: str
    contracts: int
    value: float
    framework_ceilings: float
    without_successor: int


class ExpiringContract(Answer):
    contract: str
    title: str | None
    value: float | None
    value_is_ceiling: bool
    buyers: list[Named]
    suppliers: list[Named]
    services: list[Facts]
    successors: list[Facts]
    managers: list[str]
    start_date: str | None
    end_date: str | None
    has_exit_plan: bool | None
    window_months: int
    days_left: int
    successor_status: str
    illustrative: bool
    source: str | None = None
    locator: str | None = None


class Expiring(Answer):
    as_of: str
    buyer: Named | None
    windows: list[Window]
    count: int  # every contract ending within the last window; `contracts` is a page of them
    contracts: list[ExpiringContract]
    limit: int | None = None
    offset: int | None = None
    next: str | None = None  # the following page's URL, none after the last


class ServiceSpend(Answer):
    service: str
    name: str | None
    critical: bool | None
    suppliers: list[Facts]
    spend: float
    hhi: float
    band: str
    illustrative: bool  # a supplier is generated


class Concentration(Answer):
    as_of: str
    since: str
    buyer: Named | None
    services: list[ServiceSpend]
    unmapped: list[Facts]


class RestingOnOne(Answer):
    """Spend (a service's, or all the services' moving an indicator) resting on one supplier."""
    buyer: str  # the buyer's key, or 'buyer unknown'
    name: str | None
    spend: float
    partner: str
    partner_name: str | None
    share: float
    why: str
    alternatives: list[Facts]
    illustrative: bool


class SingleSupplierService(RestingOnOne):
    service: str
    critical: bool
    indicators: list[Facts]


class SingleSupplierIndicator(RestingOnOne):
    indicator: str
    services: list[Facts]


class SinglePoints(Answer):
    as_of: str
    buyer: Named | None
    single_supplier_share: float
    services: list[SingleSupplierService]
    indicators: list[SingleSupplierIndicator]
    priorities: list[Facts]


class KraljicPosition(Answer):
    partner: str
    name: str | None
    position: str
    value_per_year: float
    high_value: bool
    supply_risk: bool
    supply_risk_score: float
    risk_reasons: list[str]
    resilience: float | None
    review_every_months: int
    last_review: str | None
    next_review_due: str | None
    review_overdue: bool
    recorded_categories: list[str]
    illustrative: bool


class Kraljic(Answer):
    as_of: str
    buyer: Named | None
    thresholds: dict[str, Any]
    counts: dict[str, int]
    partners: list[KraljicPosition]


class Tally(Answer):
    count: int
    value: float


class CommissioningYear(Answer):
    year: str
    grants: Tally
    contracts: Tally
    grant_share: float | None
    personas: list[Facts]
    illustrative: bool  # an item let this year is generated


class Commissioning(Answer):
    as_of: str
    buyer: Named | None
    years: list[CommissioningYear]

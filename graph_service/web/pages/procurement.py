"""Procurement's views as pages (procurement role and above), each a register with column headings and a
CSV: contracts ending soon and their successors, spend concentration per service, single points of
failure, Kraljic positions, and grants against contracts by year. Each reads answers/procurement.py's
answer as it stands, so a change in how a view is worked out shows here without a change to this page."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.answers import procurement
from graph_service.answers.health.config import load_config
from graph_service.dates import iso, long_date
from graph_service.web.deps import AsOf, ProcurementPage, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Cell, Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
TRAIL = (("/", "Home"), ("/procurement", "Procurement"))
Row = dict[str, Any]
POSITIONS = ("strategic", "bottleneck", "leverage", "routine")  # the Kraljic page's order


def _money(value: float | None) -> str | None:
    return None if value is None else f"£{value:,.0f}"


def _partner(key_field: str, name_field: str):
    return lambda r: [Cell(r.get(name_field) or r[key_field], path_to("/partners", r[key_field]))]


EXPIRING = Register("Contracts ending soon", "/procurement/expiring", default_sort="end_date", columns=(
    Column("title", "Contract", href=lambda r: path_to("/contracts", r["contract"])),
    Column("suppliers", "Suppliers", cells=lambda r: [Cell(s["name"] or s["key"], path_to("/partners", s["key"]))
                                                      for s in r["suppliers"]]),
    Column("value", "Value", text=lambda r: _money(r["value"]) + (" (framework ceiling)" if r["value_is_ceiling"] else "")
           if r["value"] is not None else None, numeric=True, sort_value=lambda r: r["value"]),
    Column("end_date", "Ends", text=lambda r: long_date(r["end_date"]), sort_value=lambda r: r["end_date"]),
    Column("days_left", "Days left", numeric=True, sort_value=lambda r: r["days_left"]),
    Column("window", "Within", text=lambda r: f"{r['window_months']} months", sort_value=lambda r: r["window_months"]),
    Column("successor", "Successor", cells=lambda r: [Cell(s["title"], path_to("/contracts", s["key"])) for s in r["successors"]]
           or [Cell(r["successor_status"], tag="red" if r["successor_status"] == "none" else "yellow")],
           sort_value=lambda r: r["successor_status"]),
    Column("services", "Services", text=lambda r: [s["name"] + (" (critical)" if s["critical"] else "") for s in r["services"]]),
    Column("buyer", "Buyer"),
), filters=(
    Filter("within", "Ending within", match=lambda r, v: r["window_months"] <= int(v.split()[0]),
           options=tuple(f"{m} months" for m in sorted(load_config().procurement.expiry_windows_months))),
    Filter("successor", "Successor", match=lambda r, v: (v == "none let") == (not r["successors"]),
           options=("none let", "successor let")),
))

CONCENTRATION = Register("Spend concentration", "/procurement/concentration", default_sort="-hhi", columns=(
    Column("name", "Service"),
    Column("critical", "Critical", text=lambda r: "yes" if r["critical"] else "no"),
    Column("hhi", "HHI", text=lambda r: f"{r['hhi']:,.0f}", numeric=True, sort_value=lambda r: r["hhi"]),
    Column("band", "Concentration", cells=lambda r: [Cell(r["band"], tag={"highly concentrated": "red",
                                                                         "concentrated": "yellow"}.get(r["band"], "green"))],
           sort_value=lambda r: r["hhi"]),
    Column("spend", "Spend", text=lambda r: _money(r["spend"]), numeric=True, sort_value=lambda r: r["spend"]),
    Column("suppliers", "Suppliers (share of spend)", cells=lambda r: [
        Cell(f"{s['name'] or s['partner']} ({s['share']:.0%})", path_to("/partners", s["partner"])) for s in r["suppliers"]],
        sortable=False),
    Column("buyer", "Buyer"),
), filters=(Filter("band", "Concentration", match=lambda r, v: r["band"] == v,
                   options=("highly concentrated", "concentrated", "unconcentrated")),))

SPOF_KINDS = ("service resting on one supplier", "indicator resting on one supplier", "only partner delivering a priority")
SPOF = Register("Single points of failure", "/procurement/single-points-of-failure", default_sort="kind", columns=(
    Column("kind", "Kind", sort_value=lambda r: (SPOF_KINDS.index(r["kind"]), -(r.get("share") or 0.0))),
    Column("partner", "Partner", cells=lambda r: [Cell(r["partner_name"] or r["partner"], path_to("/partners", r["partner"]))],
           sort_value=lambda r: (r["partner_name"] or "").casefold()),
    Column("what", "Service, indicator or priority"),
    Column("critical", "Critical service", text=lambda r: r.get("critical")),
    Column("share", "Share of spend", text=lambda r: None if r.get("share") is None else f"{r['share']:.0%}",
           numeric=True, sort_value=lambda r: r.get("share") or 0.0),
    Column("why", "Why", text=lambda r: r["why"], sortable=False),
    Column("alternatives", "Alternatives", text=lambda r: r.get("alternatives") or [], sortable=False),
), filters=(Filter("kind", "Kind", match=lambda r, v: r["kind"] == v, values=lambda r: [r["kind"]]),))

KRALJIC = Register("Kraljic positions", "/procurement/kraljic", default_sort="position", columns=(
    Column("name", "Partner", cells=_partner("partner", "name"), sort_value=lambda r: (r.get("name") or "").casefold()),
    Column("position", "Position", sort_value=lambda r: (POSITIONS.index(r["position"]) if r["position"] in POSITIONS
                                                          else len(POSITIONS), -(r.get("value_per_year") or 0))),
    Column("value_per_year", "Value a year", text=lambda r: _money(r.get("value_per_year")), numeric=True,
           sort_value=lambda r: r.get("value_per_year")),
    Column("risk", "Supply risk", text=lambda r: r.get("risk_reasons") or ("none found" if "risk_reasons" in r else None),
           sortable=False),
    Column("review_every_months", "Review every", text=lambda r: f"{r['review_every_months']} months"
           if r.get("review_every_months") else None, sort_value=lambda r: r.get("review_every_months")),
    Column("next_review_due", "Next review due", cells=lambda r: [Cell(
        long_date(r.get("next_review_due")) or "now (none recorded)", tag="red" if r.get("review_overdue") else None)],
        sort_value=lambda r: r.get("next_review_due") or ""),
), filters=(Filter("position", "Position", match=lambda r, v: r["position"] == v, values=lambda r: [r["position"]]),
            Filter("review", "Review", match=lambda r, v: bool(r.get("review_overdue")) == (v == "overdue"),
                   options=("overdue", "not overdue"))))

COMMISSIONING = Register("Grants against contracts", "/procurement/commissioning", default_sort="-year", columns=(
    Column("year", "Year"),
    Column("grants", "Grants", text=lambda r: f"{_money(r['grants']['value'])} ({r['grants']['count']})", numeric=True,
           sort_value=lambda r: r["grants"]["value"]),
    Column("contracts", "Contracts", text=lambda r: f"{_money(r['contracts']['value'])} ({r['contracts']['count']})",
           numeric=True, sort_value=lambda r: r["contracts"]["value"]),
    Column("grant_share", "Grants' share", text=lambda r: None if r["grant_share"] is None else f"{r['grant_share']:.1%}",
           numeric=True, sort_value=lambda r: r["grant_share"]),
    Column("personas", "By persona (grants / contracts)", text=lambda r: [
        f"{p['name']}: {_money(p['grant'])} / {_money(p['contract'])}" for p in r["personas"]], sortable=False),
))
VIEWS = (EXPIRING, CONCENTRATION, SPOF, KRALJIC, COMMISSIONING)


def _page(request: Request, role, register: Register, rows: list[Row], intro: str) -> Response:
    view = register.view(request.query_params, rows, keep=("as_of", "buyer"))
    return respond(request, role, view, register.title, intro=intro, trail=TRAIL)


@router.get("/procurement", response_model=None)
def index(request: Request, role: ProcurementPage) -> Response:
    return templated(request, role, "procurement/index.html", "Procurement", current="/procurement", views=VIEWS)


@router.get("/procurement/expiring", response_model=None)
def expiring(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
             buyer: str | None = None) -> Response:
    answers = []

    def fetch(offset: int, limit: int) -> tuple[list[Row], int]:
        answers.append(procurement.expiring(store, iso(as_of), buyer=buyer, limit=limit, offset=offset))
        return answers[-1]["contracts"], answers[-1]["count"]

    keep = ("as_of", "buyer")
    view = EXPIRING.store_view(request.query_params, fetch, keep=keep)  # the default listing: one page read
    if view is None:
        answers.append(procurement.expiring(store, iso(as_of), buyer=buyer))
        view = EXPIRING.view(request.query_params, answers[-1]["contracts"], keep=keep)
    answer = answers[-1]
    windows = "; ".join(f"{w['contracts']} within {w['months']} months ({w['without_successor']} without a successor)"
                        for w in answer["windows"])
    return respond(request, role, view, EXPIRING.title, trail=TRAIL, intro=(
        f"Current contracts let by {answer['buyer']['name']} ending soon, as of {long_date(answer['as_of'])}, soonest "
        f"first: {windows}. Each is listed in the first window it falls in."))


@router.get("/procurement/concentration", response_model=None)
def concentration(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
                  buyer: str | None = None) -> Response:
    answer = procurement.concentration(store, iso(as_of), buyer=buyer)
    rows = answer["services"]
    unmapped = sum(a["spend"] for a in answer["unmapped"])
    return _page(request, role, CONCENTRATION, rows, f"Spend by {answer['buyer']['name']} from "
                 f"{long_date(answer['since'])} to {long_date(answer['as_of'])} per service, most concentrated first "
                 "(Herfindahl-Hirschman index: 10,000 is one supplier)."
                 + (f" {_money(unmapped)} was paid on areas no service maps to." if unmapped else ""))


@router.get("/procurement/single-points-of-failure", response_model=None)
def single_points_of_failure(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
                             buyer: str | None = None) -> Response:
    answer = procurement.single_points_of_failure(store, iso(as_of), buyer=buyer)

    def resting(kind: str, entry: Row, what: str, critical: str | None, why: list[str]) -> Row:
        return {"kind": kind, "partner": entry["partner"], "partner_name": entry["partner_name"], "what": what,
                "critical": critical, "share": entry["share"], "why": [entry["why"], *why],
                "alternatives": [f"{a['name'] or a['partner']} ({a['share']:.0%})" for a in entry["alternatives"]],
                "illustrative": entry["illustrative"]}

    rows = [resting("service resting on one supplier", s, s["name"] or s["service"], "yes" if s["critical"] else "no",
                    [f"moves {i['name'] or i['indicator']}" for i in s["indicators"]]) for s in answer["services"]]
    rows += [resting("indicator resting on one supplier", i, i["name"] or i["indicator"], None,
                     [f"through {s['name'] or s['service']}" for s in i["services"]]) for i in answer["indicators"]]
    rows += [{"kind": "only partner delivering a priority", "partner": p["partner"], "partner_name": p["partner_name"],
              "what": p["name"] or p["priority"], "why": [], "illustrative": p["illustrative"]} for p in answer["priorities"]]
    return _page(request, role, SPOF, rows, f"For {answer['buyer']['name']}, as of {long_date(answer['as_of'])}: services "
                 f"and key indicators whose spend rests on one supplier or on one holding more than "
                 f"{answer['single_supplier_share']:.0%} of it, with the alternatives; and priorities only one partner "
                 "delivers. Partners through which others alone reach a priority are on the stakeholder map's page.")


@router.get("/procurement/kraljic", response_model=None)
def kraljic(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
            buyer: str | None = None) -> Response:
    answer = procurement.kraljic(store, iso(as_of), buyer=buyer)
    rows = answer["partners"]
    counts = ", ".join(f"{n} {position}" for position, n in answer.get("counts", {}).items())
    return _page(request, role, KRALJIC, rows, f"Each partner {answer['buyer']['name']} has a current relationship with, "
                 f"placed by value against supply risk, as of {long_date(answer['as_of'])}: {counts}.")


@router.get("/procurement/commissioning", response_model=None)
def commissioning(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
                  buyer: str | None = None) -> Response:
    answer = procurement.commissioning(store, iso(as_of), buyer=buyer)
    rows = answer["years"]
    return _page(request, role, COMMISSIONING, rows, f"Grant and contract value {answer['buyer']['name']} let each year, "
                 "and the grants' share: the move from grant giving towards commissioning services. Counts in brackets.")

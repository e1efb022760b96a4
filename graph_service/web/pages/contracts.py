"""The contracts and grants registers (/contracts, /grants) and a page per contract and grant, with values:
procurement and admin only, a 403 page for anyone else."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from graph_service.access.auth import Role
from graph_service.answers import contracts
from graph_service.web.deps import ProcurementPage, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.registers import Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
SOON = "ending soon without a successor"
TERMS = ("current", "not started", "ended", "term not recorded")  # the contracts register's default order


def _money(value: float | None) -> str | None:
    return None if value is None else f"£{value:,.0f}"


def _names(links: list[dict[str, Any]]) -> list[str]:
    return [link["name"] or link["key"] for link in links]


def _contract_row(c: contracts.Contract) -> dict[str, Any]:
    return {**c.model_dump(), "illustrative": c.provenance.illustrative,
            "flag": SOON if c.ending_soon_without_successor else ("successor let" if c.successors else "")}


CONTRACTS = Register("Contracts", "/contracts", columns=(
    Column("title", "Contract", href=lambda r: path_to("/contracts", r["key"]), source=lambda r: r["provenance"]),
    Column("suppliers", "Suppliers", text=lambda r: _names(r["suppliers"])),
    Column("value", "Value", text=lambda r: _money(r["value"]), numeric=True, sort_value=lambda r: r["value"]),
    Column("start_date", "Starts"),
    Column("end_date", "Ends"),
    Column("term", "Term", sort_value=lambda r: (TERMS.index(r["term"]), r["end_date"] or "9999", r["title"])),
    Column("flag", "Successor"),
    Column("managers", "Managed by", text=lambda r: _names(r["managers"])),
), filters=(Filter("term", "Term", match=lambda r, v: r["term"] == v, values=lambda r: [r["term"]]),
            Filter("flag", "Successor", match=lambda r, v: r["flag"] == v, options=(SOON, "successor let"))),
    default_sort="term")

GRANTS = Register("Grants", "/grants", columns=(
    Column("title", "Grant", href=lambda r: path_to("/grants", r["key"]), source=lambda r: r["provenance"]),
    Column("recipients", "Recipients", text=lambda r: _names(r["recipients"])),
    Column("amount", "Amount", text=lambda r: _money(r["amount"]), numeric=True, sort_value=lambda r: r["amount"]),
    Column("award_date", "Awarded"),
    Column("programme", "Programme"),
    Column("term", "Term"),
), filters=(Filter("programme", "Programme", match=lambda r, v: r["programme"] == v, values=lambda r: [r["programme"]]),),
    default_sort="-award_date")


def _page(request: Request, role: Role, template: str, title: str, current: str, **context: Any) -> Response:
    return templated(request, role, template, title, current=current,
                     trail=(("/", "Home"), (current, current.strip("/").capitalize())), **context)


@router.get("/contracts", response_model=None)
def contract_register(request: Request, store: Store, role: ProcurementPage, buyer: str | None = None) -> Response:
    register = contracts.contracts(store, buyer=buyer)
    view = CONTRACTS.view(request.query_params, [_contract_row(c) for c in register.contracts], keep=("buyer",))
    return respond(request, role, view, "Contracts",
                   intro=f"Contracts let by {register.buyer['name']}, current ones first, soonest ending first. "
                         f"“{SOON}”: current, ending within {register.soon_months} months, and nothing succeeds it.")


@router.get("/contracts/{key:path}", response_model=None)
def contract_page(key: str, request: Request, store: Store, role: ProcurementPage) -> Response:
    contract = contracts.get_contract(store, key)
    return _page(request, role, "contracts/contract.html", contract.title, "/contracts", contract=contract,
                 money=_money, soon=SOON)


@router.get("/grants", response_model=None)
def grant_register(request: Request, store: Store, role: ProcurementPage, buyer: str | None = None) -> Response:
    register = contracts.grants(store, buyer=buyer)
    rows = [{**g.model_dump(), "illustrative": g.provenance.illustrative} for g in register.grants]
    return respond(request, role, GRANTS.view(request.query_params, rows, keep=("buyer",)), "Grants",
                   intro=f"Grants funded by {register.buyer['name']}, latest awarded first.")


@router.get("/grants/{key:path}", response_model=None)
def grant_page(key: str, request: Request, store: Store, role: ProcurementPage) -> Response:
    grant = contracts.get_grant(store, key)
    return _page(request, role, "contracts/grant.html", grant.title, "/grants", grant=grant, money=_money)

"""The recording forms (editor role and above): an engagement, the relationship holder and the officer's
grid placement on a partner, a charter (new or corrected), a policy's facts. Each writes through the same
domain functions as the API (answers/recorded), carries the fact's version as a hidden field (a second
officer saving over the same version gets the conflict, not a silent overwrite), and on a mistake shows the
GOV.UK error summary with each message beside its field, having written nothing. Dates are British
(dates.parse_day). Pages live under /record/ so no register's `{key:path}` route swallows them."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, get_args

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from graph_service.access import audit
from graph_service.answers import posts
from graph_service.answers.charters import get_charter
from graph_service.answers.recorded import assessments, charters, engagements, holders, node_of, policies
from graph_service.answers.recorded.assessments import AssessmentIn
from graph_service.answers.recorded.charters import CharterIn
from graph_service.answers.recorded.engagements import EngagementIn
from graph_service.answers.recorded.holders import HolderEndIn, HolderIn
from graph_service.answers.recorded.policies import OwnerIn, OwnerRole, PolicyFactsIn
from graph_service.dates import parse_day
from graph_service.errors import BadRequest, GraphServiceError, PreconditionFailed, PreconditionRequired, SchemaError
from graph_service.ingest.resolver import CONFIRMED, REJECTED
from graph_service.queries import ask
from graph_service.web.deps import Caller, Editor, Procurement, Store
from graph_service.web.pages.layout import path_to
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
Errors = dict[str, str]


def _problems(exc: Exception) -> Errors:
    """Each field's first problem, in the form's words."""
    if isinstance(exc, ValidationError):
        found: Errors = {}
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            name = str(error["loc"][0]) if error["loc"] else message.partition(":")[0]
            found.setdefault(name, message.partition(": ")[2] if not error["loc"] and ": " in message else message)
        return found
    if isinstance(exc, SchemaError):
        return {exc.field: exc.reason}
    if isinstance(exc, (PreconditionFailed, PreconditionRequired)):
        return {"fact_version": "Someone changed this since you opened the form. Open it again to see their change."}
    if isinstance(exc, BadRequest):
        return {exc.details.get("field", "fact_version"): exc.message}
    raise exc


def _dates(form: dict[str, str], *names: str) -> tuple[dict[str, dt.date | None], Errors]:
    days, errors = {}, {}
    for name in names:
        try:
            days[name] = parse_day(form.get(name, ""), name)
        except BadRequest:
            days[name], errors[name] = None, "Enter a real date, for example 1 December 2026 or 01/12/2026"
    return days, errors


async def _submitted(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _attempt(build: Callable[[], Any], save: Callable[[Any], Any], errors: Errors) -> Errors:
    """Validate the whole form (so every field's problem is shown at once), then save only if nothing is wrong."""
    try:
        given = build()
    except ValidationError as exc:
        return {**_problems(exc), **errors}
    if errors:
        return errors
    try:
        save(given)
    except GraphServiceError as exc:
        return _problems(exc)
    return {}


def _form(request: Request, role, title: str, *, action: str, back: str, fields: list, values: dict, errors: Errors,
          version: str = "", submit: str = "Save", intro: str = "", withdraw: str = "", trail=()) -> Response:
    labels = {name: label for _, name, label, _ in fields}
    return templated(request, role, "forms/form.html", title, status=422 if errors else 200, action=action, back=back,
                     fields=fields, values=values, errors=errors, labels=labels, version=version, submit=submit,
                     intro=intro, withdraw=withdraw, trail=(("/", "Home"), *trail))


def _post_options(store) -> list[tuple[str, str]]:
    return sorted((p.post, p.title or p.post) for p in posts.post_register(store))


def _validated(model, **values: Any):
    return model.model_validate(values)


# -- a partner: engagement, holder, assessment ----------------------------------------------------
def _partner(store, key: str):
    return node_of(store, key, "Organisation", "partner")


def _engagement_fields(store) -> list:
    return [("date", "held_on", "When was it held?", None),
            ("select", "kind", "Kind of engagement", [(k, k.capitalize()) for k in engagements.kinds()]),
            ("textarea", "summary", "What was discussed or agreed", None),
            ("select", "post", "Council post that attended (optional)", _post_options(store)),
            ("textarea", "attendees", "The partner's people present (optional)", "One name a line")]


@router.get("/record/partners/{key}/engagement", response_model=None)
def engagement_form(key: str, request: Request, store: Store, role: Editor) -> Response:
    partner = _partner(store, key)
    return _form(request, role, f"Record an engagement with {partner.props['name']}",
                 action=f"{path_to('/record/partners', key)}/engagement", back=path_to("/partners", key),
                 fields=_engagement_fields(store), values={}, errors={}, submit="Record engagement",
                 trail=(("/partners", "Partners"), (path_to("/partners", key), partner.props["name"])))


@router.post("/record/partners/{key}/engagement", response_model=None)
async def engagement_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    days, errors = _dates(form, "held_on")

    errors = await run_in_threadpool(_attempt, lambda: _validated(
        EngagementIn, held_on=days["held_on"], kind=form.get("kind", ""), summary=form.get("summary", ""),
        post=form.get("post") or None, attendees=form.get("attendees", "").splitlines()),
        lambda given: engagements.record(store, request.app.state.settings.data_dir, who, "page", key, given), errors)
    if not errors:
        return RedirectResponse(f"{path_to('/partners', key)}#engagements", status_code=303)
    partner = _partner(store, key)
    return _form(request, role, f"Record an engagement with {partner.props['name']}",
                 action=f"{path_to('/record/partners', key)}/engagement", back=path_to("/partners", key),
                 fields=_engagement_fields(store), values=form, errors=errors, submit="Record engagement",
                 trail=(("/partners", "Partners"), (path_to("/partners", key), partner.props["name"])))


def _holder_page(request, store, role, key: str, values: dict, errors: Errors) -> Response:
    partner = _partner(store, key)
    current = holders.holders(store, key)
    held = ", ".join(h.title for h in current.current) or "no post"
    return _form(request, role, f"Who holds the relationship with {partner.props['name']}",
                 action=f"{path_to('/record/partners', key)}/holder", back=path_to("/partners", key),
                 fields=[("select", "post", "Post that holds it", _post_options(store)),
                         ("date", "held_from", "From", None)],
                 values=values, errors=errors, version=values.get("fact_version") or current.version, submit="Save holder",
                 intro=f"Held today by {held}. The post you choose holds it from the date; the current holder's ends then.",
                 trail=(("/partners", "Partners"), (path_to("/partners", key), partner.props["name"])))


@router.get("/record/partners/{key}/holder", response_model=None)
def holder_form(key: str, request: Request, store: Store, role: Editor) -> Response:
    return _holder_page(request, store, role, key, {}, {})


@router.post("/record/partners/{key}/holder", response_model=None)
async def holder_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    days, errors = _dates(form, "held_from")
    if not form.get("post"):
        errors["post"] = "Choose the post that holds the relationship"
    if days["held_from"] is None:
        errors.setdefault("held_from", "Enter the date it starts holding it")

    errors = await run_in_threadpool(_attempt, lambda: _validated(HolderIn, post=form.get("post", ""), held_from=days["held_from"]),
                                     lambda given: holders.set_holder(store, request.app.state.settings.data_dir, who, "page",
                                                                      key, given, form.get("fact_version")), errors)
    if not errors:
        return RedirectResponse(f"{path_to('/partners', key)}#holders", status_code=303)
    return _holder_page(request, store, role, key, {**form, "fact_version": ""} if "fact_version" in errors else form, errors)


def _holder_end_page(request, store, role, key: str, values: dict, errors: Errors) -> Response:
    partner = _partner(store, key)
    current = holders.holders(store, key)
    return _form(request, role, f"End the holding of the relationship with {partner.props['name']}",
                 action=f"{path_to('/record/partners', key)}/holder/end", back=path_to("/partners", key),
                 fields=[("date", "ended_on", "Last day it is held", None)], values=values, errors=errors,
                 version=values.get("fact_version") or current.version, submit="End holding",
                 intro=f"Held today by {', '.join(h.title for h in current.current) or 'no post'}; after this it is unheld.",
                 trail=(("/partners", "Partners"), (path_to("/partners", key), partner.props["name"])))


@router.get("/record/partners/{key}/holder/end", response_model=None)
def holder_end_form(key: str, request: Request, store: Store, role: Editor) -> Response:
    return _holder_end_page(request, store, role, key, {}, {})


@router.post("/record/partners/{key}/holder/end", response_model=None)
async def holder_end_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    days, errors = _dates(form, "ended_on")
    if days["ended_on"] is None:
        errors.setdefault("ended_on", "Enter the date")
    errors = await run_in_threadpool(_attempt, lambda: _validated(HolderEndIn, ended_on=days["ended_on"]),
                                     lambda given: holders.end_holder(store, request.app.state.settings.data_dir, who,
                                                                      "page", key, given, form.get("fact_version")), errors)
    if not errors:
        return RedirectResponse(f"{path_to('/partners', key)}#holders", status_code=303)
    return _holder_end_page(request, store, role, key, {**form, "fact_version": ""} if "fact_version" in errors else form, errors)


ASSESSMENT_FIELDS = [("number", "power", "Power", None), ("number", "interest", "Interest", None),
                     ("textarea", "reason", "Why", "What you know that the graph does not")]


def _assessment_page(request, store, role, key: str, values: dict, errors: Errors) -> Response:
    partner = _partner(store, key)
    placed = assessments.placements(store, key).get(key)
    shown = values or ({"power": placed.power, "interest": placed.interest, "reason": placed.reason} if placed else {})
    version = values.get("fact_version") or assessments.current_version(store, key)
    return _form(request, role, f"Place {partner.props['name']} on the power-interest grid",
                 action=f"{path_to('/record/partners', key)}/assessment", back=path_to("/partners", key),
                 fields=ASSESSMENT_FIELDS, values=shown, errors=errors, version=version, submit="Save placement",
                 intro="Your placement decides the partner's quadrant; the computed one stays visible beside it.",
                 withdraw=f"{path_to('/record/partners', key)}/assessment/withdraw" if placed else "",
                 trail=(("/partners", "Partners"), (path_to("/partners", key), partner.props["name"])))


@router.get("/record/partners/{key}/assessment", response_model=None)
def assessment_form(key: str, request: Request, store: Store, role: Editor) -> Response:
    return _assessment_page(request, store, role, key, {}, {})


def _number(form: dict[str, str], name: str, errors: Errors) -> float | None:
    try:
        return float(form.get(name, "").strip())
    except ValueError:
        errors[name] = "Enter a number from 0 to 1, for example 0.7"
        return None


@router.post("/record/partners/{key}/assessment", response_model=None)
async def assessment_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    errors: Errors = {}
    power, interest = _number(form, "power", errors), _number(form, "interest", errors)

    errors = await run_in_threadpool(_attempt, lambda: _validated(AssessmentIn, power=power, interest=interest,
                                                                  reason=form.get("reason", "")),
                                     lambda given: assessments.record(store, request.app.state.settings.data_dir, who,
                                                                      "page", key, given, form.get("fact_version")), errors)
    if not errors:
        return RedirectResponse(f"{path_to('/partners', key)}#record", status_code=303)
    return _assessment_page(request, store, role, key, {**form, "fact_version": ""} if "fact_version" in errors else form, errors)


@router.post("/record/partners/{key}/assessment/withdraw", response_model=None)
async def assessment_withdraw(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    errors = await run_in_threadpool(_attempt, lambda: None, lambda _: assessments.withdraw(
        store, request.app.state.settings.data_dir, who, "page", key, form.get("fact_version")), {})
    if not errors:
        return RedirectResponse(f"{path_to('/partners', key)}#record", status_code=303)
    return _assessment_page(request, store, role, key, {}, errors)


# -- charters --------------------------------------------------------------------------------------
CHARTER_FIELDS = [("text", "name", "Name of the charter", None),
                  ("textarea", "parties", "Parties", "One partner key a line, for example GB-LAE-DAC"),
                  ("date", "signed_on", "Signed on", None), ("date", "review_on", "Review due", None),
                  ("text", "document_location", "Where the signed document is kept (optional)", "A link or a file path")]


def _charter_from(form: dict[str, str]) -> tuple[Callable[[], CharterIn], Errors]:
    days, errors = _dates(form, "signed_on", "review_on")
    for name in ("signed_on", "review_on"):
        if days[name] is None:
            errors.setdefault(name, "Enter the date")
    return (lambda: _validated(CharterIn, name=form.get("name", ""), parties=form.get("parties", "").split(),
                               signed_on=days["signed_on"], review_on=days["review_on"],
                               document_location=form.get("document_location") or None)), errors


@router.get("/record/charters/new", response_model=None)
def charter_new(request: Request, store: Store, role: Editor) -> Response:
    return _form(request, role, "Record a charter", action="/record/charters/new", back="/charters",
                 fields=CHARTER_FIELDS, values={}, errors={}, submit="Record charter", trail=(("/charters", "Charters"),))


@router.post("/record/charters/new", response_model=None)
async def charter_create(request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    given, errors = _charter_from(form)
    made: list[str] = []
    errors = await run_in_threadpool(_attempt, given, lambda charter: made.append(charters.create(
        store, request.app.state.settings.data_dir, who, "page", charter).key), errors)
    if not errors:
        return RedirectResponse(path_to("/charters", made[0]), status_code=303)
    return _form(request, role, "Record a charter", action="/record/charters/new", back="/charters",
                 fields=CHARTER_FIELDS, values=form, errors=errors, submit="Record charter",
                 trail=(("/charters", "Charters"),))


def _charter_page(request, role, store, key: str, values: dict, errors: Errors) -> Response:
    charter = get_charter(store, key)
    shown = values or {"name": charter.name, "parties": "\n".join(p.key for p in charter.parties if not p.left),
                       "signed_on": charter.signed_on or "", "review_on": charter.review_date or "",
                       "document_location": (store.get(key).props.get("document_location") or "")}
    return _form(request, role, f"Correct {charter.name}", action=path_to("/record/charters", key),
                 back=path_to("/charters", key), fields=CHARTER_FIELDS, values=shown, errors=errors,
                 version=values.get("fact_version") or charters.current_version(store, key), submit="Save charter",
                 trail=(("/charters", "Charters"), (path_to("/charters", key), charter.name)))


@router.get("/record/charters/{key}", response_model=None)
def charter_edit(key: str, request: Request, store: Store, role: Editor) -> Response:
    return _charter_page(request, role, store, key, {}, {})


@router.post("/record/charters/{key}", response_model=None)
async def charter_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    given, errors = _charter_from(form)
    errors = await run_in_threadpool(_attempt, given, lambda charter: charters.correct(
        store, request.app.state.settings.data_dir, who, "page", key, charter, form.get("fact_version")), errors)
    if not errors:
        return RedirectResponse(path_to("/charters", key), status_code=303)
    return _charter_page(request, role, store, key, {**form, "fact_version": ""} if "fact_version" in errors else form, errors)


# -- a policy's facts ------------------------------------------------------------------------------
OWNER_FIELDS = get_args(OwnerRole)  # every owning role a policy has


def _slot(role: str, n: int) -> str:
    """The n-th select of an owning role (a role may be held by more than one post)."""
    return role if n == 1 else f"{role}_{n}"


def _is_slot(role: str, name: str) -> bool:
    return name == role or (name.startswith(f"{role}_") and name[len(role) + 1:].isdigit())


def _owners_in(form: dict[str, str]) -> dict[str, list[str]]:
    """The posts chosen for each role, in the form's order, each once."""
    return {role: list(dict.fromkeys(v for k, v in form.items() if _is_slot(role, k) and v)) for role in OWNER_FIELDS}


def _policy_fields(store, held: dict[str, list[str]]) -> list:
    """Each role's posts one select each, then a blank one to add another post."""
    options = _post_options(store)

    def label(role: str, n: int) -> str:
        named = role.replace("_", " ").capitalize()
        return named if n == 1 else f"{named}: another post (optional)"

    return [("text", "document_location", "Where the document is kept", None), ("text", "version", "Version", None),
            ("text", "review_date", "Review due", "As the document gives it: 2027-03-31, 2027-03 or 2027"),
            *(("select", _slot(role, n), label(role, n), options)
              for role in OWNER_FIELDS for n in range(1, len(held.get(role, [])) + 2)),
            ("date", "owners_from", "Owners hold from (needed when you change an owner)", None)]


def _policy_page(request, role, store, key: str, form: dict, errors: Errors) -> Response:
    current = policies.facts(store, key)
    if form:
        held = _owners_in(form)
        values = {k: v for k, v in form.items() if not any(_is_slot(r, k) for r in OWNER_FIELDS)}
    else:
        held = {r: sorted(o.post for o in current.owners if o.role == r) for r in OWNER_FIELDS}
        values = {"document_location": current.document_location or "", "version": current.version or "",
                  "review_date": current.review_date or ""}
    values |= {_slot(r, n): post for r, posts in held.items() for n, post in enumerate(posts, 1)}
    return _form(request, role, f"Correct {current.title}", action=path_to("/record/policies", key),
                 back=path_to("/policies", key), fields=_policy_fields(store, held), values=values, errors=errors,
                 version=form.get("fact_version") or current.version_tag, submit="Save corrections",
                 trail=((path_to("/policies", key), current.title),))


@router.get("/record/policies/{key}", response_model=None)
def policy_edit(key: str, request: Request, store: Store, role: Editor) -> Response:
    return _policy_page(request, role, store, key, {}, {})


@router.post("/record/policies/{key}", response_model=None)
async def policy_save(key: str, request: Request, store: Store, role: Editor, who: Caller) -> Response:
    form = await _submitted(request)
    days, errors = _dates(form, "owners_from")

    def build() -> PolicyFactsIn:
        current = policies.facts(store, key)
        chosen = [OwnerIn(role=r, post=post) for r, posts in _owners_in(form).items() for post in posts]
        changed = {(o.role, o.post) for o in chosen} != {(o.role, o.post) for o in current.owners}
        return _validated(PolicyFactsIn, document_location=form.get("document_location") or None,
                          version=form.get("version") or None, review_date=form.get("review_date") or None,
                          owners=chosen if changed else None, owners_from=days["owners_from"])

    errors = await run_in_threadpool(_attempt, build, lambda given: policies.correct(
        store, request.app.state.settings.data_dir, who, "page", key, given, form.get("fact_version")), errors)
    if not errors:
        return RedirectResponse(path_to("/policies", key), status_code=303)
    return _policy_page(request, role, store, key, {**form, "fact_version": ""} if "fact_version" in errors else form, errors)


# -- golden-record matches (the admin's decision, as on the API: web/api/matches.py) -----------------------
def pending_matches(store, partner: str) -> list[dict[str, Any]]:
    """The possible matches naming this partner that wait for a decision."""
    return [m for m in ask(store, "possible_matches") if partner in (m["start"], m["end"])]


@router.post("/record/matches/{match_id}/{decision}", response_model=None)
async def match_decision(match_id: str, decision: str, request: Request, store: Store, role: Procurement,
                         who: Caller) -> Response:
    form = await _submitted(request)
    status = {"confirm": CONFIRMED, "reject": REJECTED}.get(decision)
    if status is None:
        raise BadRequest(f"a decision is confirm or reject, not {decision!r}", field="decision")
    decided = await run_in_threadpool(audit.decide_match, store, request.app.state.settings.data_dir, who, "page",
                                      match_id, status, f"{request.url.path} (partner page)")
    back = form.get("partner") if form.get("partner") in (decided["start"], decided["end"]) else decided["start"]
    return RedirectResponse(f"{path_to('/partners', back)}#record", status_code=303)

"""Where a policy lives and who owns it, what a post holds, and where accountability has gaps.

Built on the named queries in graph_service/queries/policies.py, so both backends share
the ranking, the review status and the vacancy rules here. Ownership belongs to posts:
a policy whose officer has left still has its owner post, shown as vacant.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Iterable, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process, utils

from graph_service.answers.charters import lapsed_charters
from graph_service.dates import DocDate, period_end
from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest, NotFound
from graph_service.queries.graph import in_force, today
from graph_service.records import FactSource
from graph_service.queries import ask

REVIEW_DUE_DAYS = 90
MATCH_CUTOFF = 70.0
KEYWORD_WEIGHT = 0.9  # a title or alias match ranks above the same score on a keyword
TIE_BREAK_CAP = 200  # distinct tied names compared word by word, so a vague query on a big register stays fast

OFFICER_ROLES = {"RESPONSIBLE_FOR": "responsible_officer", "SPONSORING_OFFICER_FOR": "sponsoring_officer"}
MEMBER_ROLES = {"SPONSORING_MEMBER_FOR": "sponsoring_member", "PORTFOLIO_HOLDER_FOR": "portfolio_holder"}
ROLE_FIELDS = {**OFFICER_ROLES, **MEMBER_ROLES}
ROLE_NAMES = {
    "RESPONSIBLE_FOR": "responsible officer", "SPONSORING_OFFICER_FOR": "sponsoring officer",
    "SPONSORING_MEMBER_FOR": "sponsoring member", "PORTFOLIO_HOLDER_FOR": "portfolio holder",
    "SPONSORS": "sponsor", "LEADS": "lead", "DIRECTS": "director", "BUSINESS_REP_FOR": "business rep",
    "MANAGES": "manager", "HOLDS_RELATIONSHIP": "relationship holder",
}
CATEGORIES = {
    "Policy": "policies", "Workstream": "workstreams", "Programme": "programmes", "Initiative": "initiatives",
    "Contract": "contracts", "Charter": "charters", "Grant": "grants", "Organisation": "partner relationships",
}
# a business rep represents a department on a workstream; the workstream is owned by its sponsor and lead
NOT_OWNERSHIP = {"BUSINESS_REP_FOR"}
GAP_REASONS = {
    "no_officer_owner": "no officer-level owner (responsible or sponsoring officer)",
    "no_member_owner": "no member-level owner (sponsoring member or portfolio holder)",
    "owner_post_vacant": "the owning post is vacant",
    "review_overdue": "review overdue",
    "period_ended": "the period it covers has ended",
    "not_verified": "not verified recently",
    "charter_lapsed": "charter lapsed (its review date has passed)",
}
_PERIOD = re.compile(r"\s*[-–:]?\s*\d{4}(?:/\d{2})?(?:\s*(?:to|-|–)\s*\d{4}(?:/\d{2})?)?\s*$")
_MINOR_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with"}


def _days_between(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


# -- the answers' shapes --------------------------------------------------------------------
class Review(BaseModel):
    date: str | None = Field(description="as precise as the document: 2020-05 is May 2020, not a day in it")
    shown: str | None = Field(description="the date as the document writes it: May 2020")
    due_by: str | None = Field(description="the last day the review date may mean (2020-05-31); overdue after it")
    status: Literal["none", "current", "due", "overdue"]
    days: int | None = Field(description="days until due_by (negative: overdue)")
    label: str


class PostHolder(BaseModel):
    person: str
    name: str | None
    valid_from: str | None
    valid_to: str | None
    provenance: FactSource


class PostStatus(BaseModel):
    """Who holds a post on the day asked about."""

    status: Literal["held", "vacant", "unrecorded"]
    holders: list[PostHolder]
    vacant_since: str | None
    last_holder: PostHolder | None


class OwnerPost(PostStatus):
    post: str
    title: str | None
    kind: str | None
    provenance: FactSource


class Linked(BaseModel):
    key: str
    name: str | None
    provenance: FactSource


class PolicySource(FactSource):
    loaded_on: str


class Policy(BaseModel):
    """Where a policy lives, its dates and review status, its owner posts and their holders, and its links."""

    key: str
    title: str
    aliases: list[str] | None
    keywords: list[str] | None
    period: str | None
    document_location: str | None
    section: str | None
    version: str | None
    produced_on: str | None = Field(description="dates are as precise as the document gives them: 2019-02 is February 2019")
    published_on: str | None
    last_version_on: str | None
    verified_on: str | None
    values: list[str] | None
    period_end: str | None = Field(description="when the period ends, as precise as the period says (2020: by 31 December)")
    period_ended: bool = Field(description="the period it covers had ended by the day asked about")
    citations: dict[str, str] = Field(description="field -> where the document states it, when not the policy's own locator")
    provenance: PolicySource
    review: Review
    responsible_officer: list[OwnerPost]
    sponsoring_officer: list[OwnerPost]
    sponsoring_member: list[OwnerPost]
    portfolio_holder: list[OwnerPost]
    approved_by: list[Linked]
    associated_documents: list[Linked]
    priorities: list[Linked]

    def owners(self, field: str) -> list[OwnerPost]:
        """The owner posts in one of ROLE_FIELDS."""
        return getattr(self, field)


class Matched(BaseModel):
    field: Literal["title", "alias", "acronym", "keyword"]
    text: str


class PolicyMatch(Policy):
    """A search result: the policy, its score (0-100) and the name that matched."""

    score: float
    matched: Matched


class PolicySearch(BaseModel):
    query: str | None
    as_of: str | None = Field(description="the day asked about; none: today")
    results: list[PolicyMatch] | list[Policy]


class Department(BaseModel):
    key: str
    name: str | None


class Holding(BaseModel):
    role: str
    type: str
    category: str
    key: str
    label: str
    name: str | None
    valid_from: str | None
    valid_to: str | None
    provenance: FactSource


class PostHoldings(PostStatus):
    """A post's handover list: who holds it, and what it holds now and held before."""

    post: str
    title: str | None
    kind: str | None
    abbreviation: str | None
    provenance: FactSource
    departments: list[Department]
    history: list[PostHolder]
    holdings: list[Holding]
    ended: list[Holding]


class PostRef(BaseModel):
    key: str
    title: str | None


class Gap(BaseModel):
    reason: Literal["no_officer_owner", "no_member_owner", "owner_post_vacant", "review_overdue", "period_ended",
                    "not_verified", "charter_lapsed"]
    reason_text: str
    kind: str
    key: str
    name: str | None
    detail: str
    since: str | None = None
    post: PostRef | None = None
    illustrative: bool = Field(False, description="the gap rests on generated example data, not council fact")


class GapReport(BaseModel):
    as_of: str
    verify_after_days: int
    counts: dict[str, int]
    gaps: list[Gap]


# -- review status and vacancy --------------------------------------------------------------
def review_status(review_date: str | None, day: str) -> Review:
    """current, due (within REVIEW_DUE_DAYS), overdue, or none when no review date is recorded. A review
    date of a month ("May 2020") is due by its last day and overdue from the first of the next."""
    if not review_date:
        return Review(date=None, shown=None, due_by=None, status="none", days=None, label="no review date recorded")
    when = DocDate.of(review_date)
    dated = {"date": when.iso(), "shown": when.shown(), "due_by": when.last.isoformat()}
    days = _days_between(day, when.last.isoformat())
    by = f"by the end of {when.shown()}" if when.precision != "day" else f"on {when.shown()}"
    if days < 0:
        return Review(**dated, status="overdue", days=days, label=f"overdue by {-days} days (due {by})")
    if days <= REVIEW_DUE_DAYS:
        return Review(**dated, status="due", days=days, label=f"due within {REVIEW_DUE_DAYS} days (due {by})")
    return Review(**dated, status="current", days=days, label=f"current (due {by})")


def citations(entries: list[str] | None) -> dict[str, str]:
    """A policy's `citations` ("field | locator") as field -> locator."""
    return dict(entry.split(" | ", 1) for entry in entries or [] if " | " in entry)


def _holder(h: dict[str, Any]) -> PostHolder:
    return PostHolder(person=h["person"], name=h["name"], valid_from=h["valid_from"], valid_to=h["valid_to"],
                      provenance=FactSource.of(h))


def post_status(holders: Iterable[dict[str, Any]], day: str) -> dict[str, Any]:
    """Who holds a post on day: held, vacant (it had holders, none now) or unrecorded (no holder ever
    recorded); the fields of a PostStatus."""
    holders = list(holders)
    current = sorted((h for h in holders if in_force(h, day)), key=lambda h: h["valid_from"] or "")
    if current:
        return {"status": "held", "holders": [_holder(h) for h in current], "vacant_since": None, "last_holder": None}
    if not holders:
        return {"status": "unrecorded", "holders": [], "vacant_since": None, "last_holder": None}
    left = [h for h in holders if h["valid_to"] and h["valid_to"] <= day]
    last = max(left, key=lambda h: h["valid_to"]) if left else None
    return {"status": "vacant", "holders": [], "vacant_since": last["valid_to"] if last else None,
            "last_holder": _holder(last) if last else None}


GENERATED = "illustrative: generated example data"


def _named(holder: PostHolder) -> str:
    """A holder's name, marked when it is generated (the illustrative layer's people are not council fact)."""
    name = holder.name or holder.person
    return f"{name} ({GENERATED})" if holder.provenance.illustrative else name


def holder_summary(status: PostStatus) -> str:
    """One line on who holds a post, for the CLI and the pages; a generated holder is marked as such."""
    if status.status == "held":
        return "held by " + "; ".join(f"{_named(h)} since {h.valid_from}" if h.valid_from else _named(h)
                                      for h in status.holders)
    if status.status == "unrecorded":
        return "holder not recorded"
    since = f" since {status.vacant_since}" if status.vacant_since else ""
    last = f" (last held by {_named(status.last_holder)})" if status.last_holder else ""
    return f"vacant{since}{last}"


# -- the policy answer ----------------------------------------------------------------------
def _linked(facts: list[dict[str, Any]]) -> list[Linked]:
    return [Linked(key=f["key"], name=f["name"], provenance=FactSource.of(f))
            for f in sorted(facts, key=lambda f: (f["name"] or "", f["key"]))]


def _answer_fields(row: dict[str, Any], day: str) -> dict[str, Any]:
    """A policy_register row as the fields of a Policy."""
    answer: dict[str, Any] = {k: row[k] for k in ("key", "title", "aliases", "keywords", "period", "document_location",
                                                 "section", "version", "produced_on", "published_on", "last_version_on",
                                                 "verified_on", "values")}
    answer["provenance"] = PolicySource(**FactSource.of(row).model_dump(), loaded_on=row["loaded_on"])
    answer["review"] = review_status(row["review_date"], day)
    answer["citations"] = citations(row["citations"])
    end = period_end(row["period"])
    answer["period_end"] = end.iso() if end else None
    answer["period_ended"] = bool(end and end.last.isoformat() < day)
    answer.update({field: [] for field in ROLE_FIELDS.values()})
    for owner in sorted(row["owners"], key=lambda o: (o["title"] or "", o["post"])):
        holders = [h for h in row["holders"] if h["post"] == owner["post"]]
        answer[ROLE_FIELDS[owner["role"]]].append(OwnerPost(
            post=owner["post"], title=owner["title"], kind=owner["kind"], **post_status(holders, day),
            provenance=FactSource.of(owner)))
    answer["approved_by"] = _linked(row["approvers"])
    answer["associated_documents"] = _linked(row["associated"])
    answer["priorities"] = _linked(row["priorities"])
    return answer


def policy_answer(row: dict[str, Any], day: str) -> Policy:
    """A policy_register row as the answer officers read: location, dates, review status, owners and links."""
    return Policy(**_answer_fields(row, day))


def get_policy(store: GraphStore, key: str, as_of: str | None = None) -> Policy:
    rows = ask(store, "policy_register", keys=[key], as_of=as_of)
    if not rows:
        raise NotFound(f"no policy with key {key!r}", key=key)
    return policy_answer(rows[0], as_of or today())


# -- search ---------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower case, '&' as 'and', punctuation as spaces: what both the query and the names are compared as."""
    return utils.default_process(text.replace("&", " and "))


def short_title(title: str) -> str:
    """The title without its period ("New Normal Strategy 2019 to 2024" -> "New Normal Strategy")."""
    return _PERIOD.sub("", title).strip() or title


def acronym(title: str) -> str | None:
    """Initials of a title's significant words ("Medium Term Financial Strategy" -> "MTFS"), if three or more."""
    words = [w for w in normalise(short_title(title)).split() if w not in _MINOR_WORDS and not w.isdigit()]
    return "".join(w[0] for w in words).upper() if len(words) >= 3 else None


@lru_cache(maxsize=100_000)
def _names(title: str, aliases: tuple[str, ...], keywords: tuple[str, ...],
           initialled: bool = True) -> tuple[tuple[str, str, str, float], ...]:
    """(normalised name, field, text, weight) for every name a policy can be found by; cached, since a
    large register is ranked on every search and rarely changes between two. `initialled`: found by its
    title's initials too (a policy's MTFS; a partner's or contract's initials would match short words)."""
    names = [("title", title, 1.0), ("title", short_title(title), 1.0), *(("alias", a, 1.0) for a in aliases)]
    initials = acronym(title) if initialled else None
    if initials:
        names.append(("acronym", initials, 1.0))
    names += [("keyword", k, KEYWORD_WEIGHT) for k in keywords]
    return tuple((normalise(text), field, text, weight) for field, text, weight in names)


@lru_cache(maxsize=4)
def _index(entries: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...]) -> tuple[dict[str, list], list[str]]:
    """Each distinct name and the (row, field, text, weight) it names, for rows of (title, aliases, keywords,
    initialled).
    Cached by content: searches of an unchanged register skip rebuilding it."""
    owners: dict[str, list[tuple[int, str, str, float]]] = {}
    for index, entry in enumerate(entries):
        for name, field, text, weight in _names(*entry):
            owners.setdefault(name, []).append((index, field, text, weight))
    return owners, list(owners)


def rank(query: str, rows: list[dict[str, Any]], limit: int) -> list[tuple[dict[str, Any], float, dict[str, str]]]:
    """Best matches first: (row, score 0-100, what matched). A row is found by its title, aliases and
    keywords, and by its title's initials unless its `initialled` is false.

    The score is rapidfuzz's WRatio (typo-tolerant, and partial for a word inside a longer title) of the
    query against every distinct name once, keywords weighted down. Ties are broken by how many query
    words start or nearly spell a word of the name ("tech" in "technology"), then by whole-string
    closeness, then by title. Only names tied for the last places shown are compared word by word, and
    at most TIE_BREAK_CAP of them (the closest), so a vague query on a large register stays fast.
    """
    wanted = normalise(query)
    if not wanted:
        raise BadRequest("the search needs at least one letter or digit")
    owners, names = _index(tuple((r["title"], tuple(r["aliases"] or ()), tuple(r["keywords"] or ()),
                                  r.get("initialled", True)) for r in rows))
    best: dict[int, tuple[float, str, dict[str, str]]] = {}
    for name, score, _ in process.extract(wanted, names, scorer=fuzz.WRatio, processor=None,
                                          score_cutoff=MATCH_CUTOFF, limit=None):
        for index, field, text, weight in owners[name]:
            weighted = round(score * weight, 1)
            if index not in best or weighted > best[index][0]:
                best[index] = (weighted, name, {"field": field, "text": text})
    ranked = sorted(best, key=lambda i: -best[i][0])
    if len(ranked) > limit:  # only candidates tied with the last place shown can still move into the top
        floor = best[ranked[limit - 1]][0]
        ranked = [i for i in ranked if best[i][0] >= floor]
    tied = sorted({best[i][1] for i in ranked})
    close = {tied[j]: score for _, score, j in process.extract(wanted, tied, scorer=fuzz.QRatio, processor=None,
                                                               limit=TIE_BREAK_CAP)}
    words = wanted.split()
    coverage = {name: _coverage(words, name.split()) for name in close}
    order = sorted((i for i in ranked if best[i][1] in close),
                   key=lambda i: (-best[i][0], -coverage[best[i][1]], -close[best[i][1]], rows[i]["title"], rows[i]["key"]))
    return [(rows[i], best[i][0], best[i][2]) for i in order[:limit]]


def _coverage(words: list[str], name_words: list[str]) -> float:
    """The share of the query's words that start, or nearly spell, a word of the name."""
    found = sum(any(n.startswith(w) or fuzz.ratio(w, n) >= 80 for n in name_words) for w in words)
    return found / len(words)


def find_policies(store: GraphStore, query: str, *, limit: int = 10, as_of: str | None = None) -> list[PolicyMatch]:
    """Policies matching a title, alias, acronym or keyword (typos tolerated), best first, each a full answer."""
    ranked = rank(query, ask(store, "policy_index", as_of=as_of), limit)
    rows = {r["key"]: r for r in ask(store, "policy_register", keys=[row["key"] for row, _, _ in ranked], as_of=as_of)}
    day = as_of or today()
    return [PolicyMatch(**_answer_fields(rows[row["key"]], day), score=score, matched=Matched(**matched))
            for row, score, matched in ranked]


def all_policies(store: GraphStore, as_of: str | None = None) -> list[Policy]:
    """Every policy as its full answer, in title order: the policies register."""
    keys = [r["key"] for r in ask(store, "policy_index", as_of=as_of)]
    day = as_of or today()
    answers = [policy_answer(r, day) for r in ask(store, "policy_register", keys=keys, as_of=as_of)] if keys else []
    return sorted(answers, key=lambda p: (p.title, p.key))


def list_policies(store: GraphStore, *, limit: int = 10, as_of: str | None = None) -> list[Policy]:
    """The register in title order, for browsing without a search term."""
    keys = [r["key"] for r in sorted(ask(store, "policy_index", as_of=as_of), key=lambda r: (r["title"], r["key"]))]
    rows = {r["key"]: r for r in ask(store, "policy_register", keys=keys[:limit], as_of=as_of)}
    day = as_of or today()
    return [policy_answer(rows[key], day) for key in keys[:limit]]


# -- what a post holds ----------------------------------------------------------------------
def _holding(h: dict[str, Any]) -> Holding:
    return Holding(role=ROLE_NAMES[h["type"]], type=h["type"], category=CATEGORIES[h["label"]], key=h["key"],
                   label=h["label"], name=h["name"], valid_from=h["valid_from"], valid_to=h["valid_to"],
                   provenance=FactSource.of(h))


def holdings_answer(row: dict[str, Any], day: str) -> PostHoldings:
    """A role_holdings row as a handover list: who holds the post, and what it holds now and held before."""
    ordered = sorted(row["holdings"], key=lambda h: (CATEGORIES[h["label"]], h["name"] or "", h["key"]))
    return PostHoldings(
        post=row["post"], title=row["title"], kind=row["kind"], abbreviation=row["abbreviation"],
        provenance=FactSource.of(row), departments=sorted(row["departments"], key=lambda d: d["name"] or ""),
        **post_status(row["holders"], day),
        history=[_holder(h) for h in sorted(row["holders"], key=lambda h: h["valid_from"] or "")],
        holdings=[_holding(h) for h in ordered if in_force(h, day)],
        ended=[_holding(h) for h in ordered if not in_force(h, day)],
    )


def get_holdings(store: GraphStore, post: str, as_of: str | None = None) -> PostHoldings:
    rows = ask(store, "role_holdings", post=post, as_of=as_of)
    if not rows:
        raise NotFound(f"no post with key {post!r}", key=post)
    return holdings_answer(rows[0], as_of or today())


# -- accountability gaps --------------------------------------------------------------------
def _gap(reason: str, kind: str, key: str, name: str | None, detail: str, since: str | None = None,
         post: PostRef | None = None, illustrative: bool = False) -> Gap:
    return Gap(reason=reason, reason_text=GAP_REASONS[reason], kind=kind, key=key, name=name, detail=detail,
               since=since, post=post, illustrative=illustrative)


def _unverified(kind: str, key: str, name: str | None, verified_on: str | None, loaded_on: str,
                day: str, after_days: int) -> Gap | None:
    last = verified_on or loaded_on
    age = _days_between(last, day)
    if age <= after_days:
        return None
    how = "verified" if verified_on else "loaded (never verified)"
    return _gap("not_verified", kind, key, name, f"last {how} on {last}, {age} days ago (limit {after_days})", last)


def _vacancy(kind: str, key: str, name: str | None, role: str, post: PostRef, status: PostStatus,
             illustrative: bool = False) -> Gap:
    generated = illustrative or any(h.provenance.illustrative for h in [*status.holders, status.last_holder] if h)
    return _gap("owner_post_vacant", kind, key, name, f"{role} post '{post.title}' is {holder_summary(status)}",
                status.vacant_since, post, generated)


def accountability_gaps(store: GraphStore, *, verify_after_days: int, as_of: str | None = None) -> GapReport:
    """Policies without an officer- or member-level owner, owned by a vacant post, overdue for review or not
    verified lately; and whatever else posts own (contracts, charters, grants, partner relationships,
    workstreams, programmes, initiatives) whose owning post is vacant or that is not verified lately.
    Grouped by reason, oldest first."""
    day = as_of or today()
    gaps: list[Gap] = []
    for row in ask(store, "policy_register", as_of=as_of):
        policy = policy_answer(row, day)
        key, title = policy.key, policy.title
        roles = {o["role"] for o in row["owners"]}
        if not roles & set(OFFICER_ROLES):
            gaps.append(_gap("no_officer_owner", "policy", key, title, "no responsible officer or sponsoring officer recorded"))
        if not roles & set(MEMBER_ROLES):
            gaps.append(_gap("no_member_owner", "policy", key, title, "no sponsoring member or portfolio holder recorded"))
        for role, field in ROLE_FIELDS.items():
            gaps += [_vacancy("policy", key, title, ROLE_NAMES[role], PostRef(key=owner.post, title=owner.title), owner)
                     for owner in policy.owners(field) if owner.status == "vacant"]
        if policy.review.status == "overdue":
            gaps.append(_gap("review_overdue", "policy", key, title, f"review {policy.review.label}", policy.review.date))
        if policy.period_ended:
            gaps.append(_gap("period_ended", "policy", key, title,
                             f"its period ({policy.period}) ended at the end of {DocDate.of(policy.period_end).shown()}: "
                             "renew, replace or retire it", policy.period_end))
        stale = _unverified("policy", key, title, row["verified_on"], row["loaded_on"], day, verify_after_days)
        gaps += [stale] if stale else []
    checked: set[str] = set()
    for row in ask(store, "role_holdings", as_of=as_of):
        post = PostRef(key=row["post"], title=row["title"])
        status = PostStatus(**post_status(row["holders"], day))
        for held in row["holdings"]:
            if not in_force(held, day) or held["label"] == "Policy":  # policies are covered above
                continue
            kind = "partner relationship" if held["label"] == "Organisation" else held["label"].lower()
            if status.status == "vacant" and held["type"] not in NOT_OWNERSHIP:
                gaps.append(_vacancy(kind, held["key"], held["name"], ROLE_NAMES[held["type"]], post, status,
                                     held["illustrative"]))
            if held["key"] not in checked:
                checked.add(held["key"])
                stale = _unverified(kind, held["key"], held["name"], held["verified_on"], held["loaded_on"], day,
                                    verify_after_days)
                gaps += [stale.model_copy(update={"illustrative": held["illustrative"]})] if stale else []
    gaps += [_gap("charter_lapsed", "charter", c.key, c.name, f"review date {c.review_date} passed", c.review_date,
                  illustrative=c.provenance.illustrative)
             for c in lapsed_charters(store, as_of) if c.lapsed_because == "review date passed"]
    order = list(GAP_REASONS)
    gaps.sort(key=lambda g: (order.index(g.reason), g.since is None, g.since or "", g.kind, g.name or "", g.key))
    counts = {reason: sum(g.reason == reason for g in gaps) for reason in order}
    return GapReport(as_of=day, verify_after_days=verify_after_days, counts=counts, gaps=gaps)

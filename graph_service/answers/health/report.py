"""The portfolio: every partner scored on one day, ranked worst first, filtered, compared with the
previous snapshot; and one partner's full result with its history."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_service.csv_export import SafeDictWriter
from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest, NotFound
from graph_service.answers.health import snapshots
from graph_service.answers.health.config import DIMENSIONS, HealthConfig, load_config
from graph_service.answers.health.facts import Facts, gather, parse_date
from graph_service.answers.health.impact import LEVELS, impact
from graph_service.answers.illustrative import illustrative_keys
from graph_service.answers.health.model import RATING_ORDER, Context, score_partner
from graph_service.answers.health.network import Network, analyse
from graph_service.answers.health.scope import resolve_buyer

RATINGS = ("green", "amber", "red")


@dataclass
class Portfolio:
    """Every partner's result on one day, with the facts and network they were worked out from."""

    facts: Facts
    network: Network
    config: HealthConfig
    results: dict[str, dict[str, Any]]

    @property
    def as_of(self) -> str:
        return self.facts.as_of.isoformat()


def assess(store: GraphStore, as_of: str | dt.date | None = None, config: HealthConfig | None = None,
           buyer: str | None = None) -> Portfolio:
    """Score every partner on as_of (today when None) as the buyer's partner: its contracts, grants and
    payments only (None: the home council; 'all': every buyer's)."""
    config = config or load_config()
    facts = gather(store, parse_date(as_of), config, resolve_buyer(store, buyer))
    network = analyse(facts)
    ctx = Context(facts, network, config)
    return Portfolio(facts, network, config, {key: score_partner(ctx, key) for key in sorted(facts.partners)})


def ranked(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Worst first: red before amber before green, then by score, then by name."""
    return sorted(results, key=lambda r: (RATING_ORDER[r["rating"]], r["score"] if r["score"] is not None else 0,
                                          r["name"], r["partner"]))


def _is(value: str, *candidates: str | None) -> bool:
    return value.casefold() in {c.casefold() for c in candidates if c}


def select(portfolio: Portfolio, persona: str | None = None, workstream: str | None = None,
           service: str | None = None, rating: str | None = None) -> list[dict[str, Any]]:
    """The results matching every filter given; each filter takes a key or a name (any case)."""
    if rating and rating.lower() not in RATINGS:
        raise BadRequest(f"rating must be one of {list(RATINGS)}, not {rating!r}")
    names = {s.service: s.name for s in portfolio.network.services.values()}
    workstream_names = {link["end"]: link["end_name"] for link in portfolio.facts.links if link["end_label"] == "Workstream"}
    workstream_names |= {link["start"]: link["start_name"] for link in portfolio.facts.links
                         if link["start_label"] == "Workstream"}
    chosen = []
    for r in portfolio.results.values():
        if persona and not any(_is(persona, p["key"], p["name"]) for p in r["personas"]):
            continue
        if workstream and not any(_is(workstream, w, workstream_names.get(w)) for w in r["workstreams"]):
            continue
        if service and not any(_is(service, s, names.get(s)) for s in r["services"]):
            continue
        if rating and r["rating"] != rating.lower():
            continue
        chosen.append(r)
    return ranked(chosen)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """A result without its evidence: one row of the portfolio."""
    return {**{k: v for k, v in result.items() if k not in ("dimensions", "overrides", "flags")},
            "dimensions": [{k: v for k, v in d.items() if k not in ("evidence", "detail")} for d in result["dimensions"]],
            "overrides": [{"code": o["code"], "message": o["message"]} for o in result["overrides"]],
            "flags": [{"code": f["code"], "message": f["message"]} for f in result["flags"]]}


def health_report(store: GraphStore, as_of: str | dt.date | None = None, *, persona: str | None = None,
                  workstream: str | None = None, service: str | None = None, rating: str | None = None,
                  snapshot_dir: Path | None = None, save: bool = False,
                  config: HealthConfig | None = None, buyer: str | None = None) -> dict[str, Any]:
    """The portfolio ranked worst first, filtered, each partner with its change since the previous
    snapshot. `save` writes this run's snapshot (all partners, whatever the filters) first."""
    return report_from(assess(store, as_of, config, buyer), persona=persona, workstream=workstream, service=service,
                       rating=rating, snapshot_dir=snapshot_dir, save=save)


def report_from(portfolio: Portfolio, *, persona: str | None = None, workstream: str | None = None,
                service: str | None = None, rating: str | None = None, snapshot_dir: Path | None = None,
                save: bool = False) -> dict[str, Any]:
    """health_report over a portfolio already scored."""
    saved = None
    if save:
        if snapshot_dir is None:
            raise BadRequest("saving a snapshot needs a data directory")
        saved = snapshots.save(snapshot_dir, portfolio.as_of, portfolio.config.weights, list(portfolio.results.values()))
    before = snapshots.previous(snapshot_dir, portfolio.as_of) if snapshot_dir else None
    rows = []
    for rank, result in enumerate(select(portfolio, persona, workstream, service, rating), 1):
        rows.append({"rank": rank, **summary(result), "change": snapshots.change(result, before)})
    return {"as_of": portfolio.as_of, "buyer": portfolio.facts.scope.describe(), "weights": portfolio.config.weights,
            "filters": {"persona": persona, "workstream": workstream, "service": service, "rating": rating},
            "counts": {r: sum(row["rating"] == r for row in rows) for r in RATINGS},
            "previous_snapshot": before["as_of"] if before else None,
            "saved_snapshot": saved.stem if saved else None,
            "partners": rows}


def partner_health(store: GraphStore, key: str, as_of: str | dt.date | None = None, *,
                   snapshot_dir: Path | None = None, config: HealthConfig | None = None,
                   buyer: str | None = None) -> dict[str, Any]:
    """One partner's full result (evidence included), its change since the previous snapshot and its history."""
    return partner_from(assess(store, as_of, config, buyer), key, snapshot_dir)


def partner_from(portfolio: Portfolio, key: str, snapshot_dir: Path | None = None) -> dict[str, Any]:
    """partner_health over a portfolio already scored."""
    result = portfolio.results.get(key)
    if result is None:
        raise NotFound(f"no partner with key {key!r}", key=key)
    before = snapshots.previous(snapshot_dir, portfolio.as_of) if snapshot_dir else None
    return {**result, "buyer": portfolio.facts.scope.describe(), "change": snapshots.change(result, before),
            "history": snapshots.history(snapshot_dir, key) if snapshot_dir else []}


def partner_impact(store: GraphStore, key: str, as_of: str | dt.date | None = None,
                   buyer: str | None = None) -> dict[str, Any]:
    """What is hit if the partner fails (graph_service.answers.health.impact), for the buyer."""
    config = load_config()
    facts = gather(store, parse_date(as_of), config, resolve_buyer(store, buyer))
    if key not in facts.partners:
        raise NotFound(f"no partner with key {key!r}", key=key)
    answer = impact(facts, analyse(facts), key)
    entries = [e for level in LEVELS.values() for e in answer[level]]
    holders = [h for e in [answer["partner"], *entries] for o in e.get("owners", []) for h in o["holders"]]
    generated = illustrative_keys(store, sorted({e["key"] for e in entries} | {h["person"] for h in holders}))
    for thing in entries:
        thing["illustrative"] = thing["key"] in generated
    for holder in holders:
        holder["illustrative"] = holder["person"] in generated
    return {**answer, "buyer": facts.scope.describe()}


CSV_FIELDS = ["rank", "partner", "name", "illustrative", "personas", "score", "rating", "score_rating", "coverage", "provisional",
              *[f"{d}_sub_score" for d in DIMENSIONS], "criteria_resilience", "criteria_quality", "criteria_cost",
              "overrides", "flags", "drivers", "score_delta", "change_since"]


def to_csv(report: dict[str, Any]) -> str:
    """The report as CSV, one row per partner, worst first (text that looks like a formula neutralised)."""
    out = io.StringIO()
    writer = SafeDictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in report["partners"]:
        dims = {d["name"]: d["sub_score"] for d in row["dimensions"]}
        change = row["change"] or {}
        writer.writerow({
            "rank": row["rank"], "partner": row["partner"], "name": row["name"], "illustrative": row["illustrative"],
            "personas": "; ".join(p["name"] for p in row["personas"]), "score": row["score"], "rating": row["rating"],
            "score_rating": row["score_rating"], "coverage": row["coverage"], "provisional": row["provisional"],
            **{f"{d}_sub_score": dims[d] for d in DIMENSIONS},
            **{f"criteria_{c}": row["criteria"].get(c) for c in ("resilience", "quality", "cost")},
            "overrides": "; ".join(o["message"] for o in row["overrides"]),
            "flags": "; ".join(f["message"] for f in row["flags"]),
            "drivers": "; ".join(f"{d['dimension']} -{d['lost']:.1f}" for d in row["drivers"]),
            "score_delta": change.get("score_delta"), "change_since": change.get("since"),
        })
    return out.getvalue()

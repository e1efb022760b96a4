"""Relationship health (procurement): /health, every partner worst first (red before amber before green,
then by score) as a register of 50 a page with the persona and rating filters, and /health/{key}, one
partner's score, why, the evidence behind each dimension and its score over time, linked to and from its
partner page. The charts are inline SVG drawn here (no script, no CDN: the pages' Content-Security-Policy
allows neither); every label is escaped with layout.e, colours are SVG attributes (inline styles are blocked)."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from graph_service.answers import partners
from graph_service.answers.health import snapshots
from graph_service.answers.health.model import RATING_ORDER
from graph_service.answers.health.report import assess, partner_from, report_from
from graph_service.dates import iso, long_date
from graph_service.web.deps import AsOf, ProcurementPage, Store
from graph_service.web.pages.layout import e, path_to
from graph_service.web.pages.registers import Cell, Column, Filter, Register, respond
from graph_service.web.pages.routes import templated

router = APIRouter(include_in_schema=False)
COLOURS = {"red": "#b10e1e", "amber": "#b35c00", "green": "#00703c", "no data": "#505a5f"}
TAGS = {"red": "red", "amber": "yellow", "green": "green", "no data": "grey"}  # GOV.UK tag colours


def rating_chart(counts: dict[str, int]) -> str:
    """Horizontal bars: how many partners are red, amber and green."""
    width, bar, gap, label = 420, 26, 10, 70
    most = max(counts.values(), default=0) or 1
    rows = []
    for i, (rating, count) in enumerate(counts.items()):
        y = i * (bar + gap)
        length = (width - label - 50) * count / most
        rows.append(f'<text x="0" y="{y + bar * 0.7:.0f}" font-size="15" fill="#0b0c0c">{e(rating.title())}</text>'
                    f'<rect x="{label}" y="{y}" width="{length:.1f}" height="{bar}" fill="{COLOURS[rating]}">'
                    f'<title>{e(rating)}: {count}</title></rect>'
                    f'<text x="{label + length + 6:.1f}" y="{y + bar * 0.7:.0f}" font-size="15" fill="#0b0c0c">{count}</text>')
    height = len(counts) * (bar + gap)
    return (f'<svg role="img" aria-labelledby="by-rating-title" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="by-rating-title">Partners by rating: '
            + e(", ".join(f"{n} {r}" for r, n in counts.items())) + "</title>" + "".join(rows) + "</svg>")


def score_chart(name: str, points: list[dict[str, Any]], green: float, amber: float) -> str:
    """A partner's score at each snapshot (and now), with the amber and green thresholds drawn across."""
    width, height, left, right, bottom, top = 560, 240, 50, 50, 40, 10  # room for the axis and date labels
    plot_w, plot_h = width - left - right, height - bottom - top

    def y(score: float) -> float:
        return top + plot_h * (1 - score / 100)

    step = plot_w / max(len(points) - 1, 1)
    xs = [left + (i * step if len(points) > 1 else plot_w / 2) for i in range(len(points))]
    parts = [f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="{colour}" '
             f'stroke-dasharray="4 3"/><text x="0" y="{y(v) + 5:.1f}" font-size="12" fill="#0b0c0c">{v:g}</text>'
             for v, colour in ((green, COLOURS["green"]), (amber, COLOURS["amber"]))]
    parts += [f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="#b1b4b6"/>'
              f'<text x="0" y="{y(v) + 5:.1f}" font-size="12" fill="#0b0c0c">{v}</text>' for v in (0, 100)]
    scored = [(x, p) for x, p in zip(xs, points) if p["score"] is not None]
    if len(scored) > 1:
        parts.append('<polyline fill="none" stroke="#1d4f91" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y(p['score']):.1f}" for x, p in scored) + '"/>')
    for x, p in scored:
        parts.append(f'<circle cx="{x:.1f}" cy="{y(p["score"]):.1f}" r="5" fill="{COLOURS[p["rating"]]}">'
                     f'<title>{e(long_date(p["date"]))}: {p["score"]:.1f} ({e(p["rating"])})</title></circle>')
    for x, p in zip(xs, points):
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="12" text-anchor="middle" fill="#0b0c0c">'
                     f'{e(long_date(p["date"]))}</text>')
    summary = ", ".join(f"{long_date(p['date'])}: {p['score']}" for p in points)
    return (f'<svg role="img" aria-labelledby="over-time-title" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="over-time-title">{e(name)}: score over time ({e(summary)})</title>' + "".join(parts) + "</svg>")


def _change(change: dict[str, Any] | None) -> str | None:
    if not change:
        return None
    since = long_date(change["since"])
    if change["new"]:
        return f"new since {since}"
    delta = change["score_delta"]
    moved = ", ".join(f"{m['dimension']} {m['points']:+.1f}" for m in change["moved"][:3])
    return (f"{delta:+.1f} since {since}" if delta is not None else f"since {since}") + (f" ({moved})" if moved else "")


def _score(row: dict[str, Any]) -> float:
    return row["score"] if row["score"] is not None else -1.0


HEALTH = Register("Relationship health", "/health", default_sort="rank", columns=(
    Column("rank", "Rank", numeric=True, sort_value=lambda r: r["rank"]),
    Column("name", "Partner", href=lambda r: r["href"]),
    Column("personas", "Personas", text=lambda r: [p["name"] for p in r["personas"]]),
    Column("score", "Score", text=lambda r: None if r["score"] is None else f"{r['score']:.1f}", numeric=True,
           sort_value=_score),
    Column("rating", "Rating", cells=lambda r: [Cell(r["rating"].capitalize() + (" (capped)" if r["overrides"] else ""),
                                                     tag=TAGS[r["rating"]])],
           sort_value=lambda r: (RATING_ORDER[r["rating"]], _score(r))),
    Column("provisional", "Provisional", text=lambda r: "yes: under half the model's weight" if r["provisional"] else "no",
           sort_value=lambda r: r["provisional"]),
    Column("coverage", "Coverage", text=lambda r: f"{r['coverage']:.0%}", numeric=True, sort_value=lambda r: r["coverage"]),
    Column("change", "Change", text=lambda r: _change(r["change"]), sortable=False),
    Column("drivers", "Most points lost", text=lambda r: [f"{d['dimension']} −{d['lost']:.1f}" for d in r["drivers"]],
           sortable=False),
), filters=(
    Filter("persona", "Persona", match=lambda r, v: v in [p["name"] for p in r["personas"]],
           values=lambda r: [p["name"] for p in r["personas"]]),
    Filter("rating", "Rating", match=lambda r, v: r["rating"] == v, options=tuple(RATING_ORDER)),
))


def _snapshot_dir(request: Request) -> Path:
    return snapshots.snapshot_dir(request.app.state.settings.data_dir)


@router.get("/health", response_model=None)
def health(request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None,
           partner: str | None = None) -> Response:
    """The portfolio by rating beside the ranked table; `?partner=` (the old address) opens its page."""
    if partner:
        on = f"?{urlencode({'as_of': iso(as_of)})}" if as_of else ""
        return RedirectResponse(path_to("/health", partner) + on, status_code=303)
    portfolio = assess(store, iso(as_of))
    answer = report_from(portfolio, snapshot_dir=_snapshot_dir(request))
    generated = {p.key for p in partners.partner_register(store, portfolio.as_of) if p.provenance.illustrative}
    on = f"?{urlencode({'as_of': iso(as_of)})}" if as_of else ""  # the partner's page scores the same day
    rows = [{**r, "illustrative": r["partner"] in generated, "href": path_to("/health", r["partner"]) + on}
            for r in answer["partners"]]
    view = HEALTH.view(request.query_params, rows, keep=("as_of",))
    return respond(request, role, view, "Relationship health", template="health/health.html",
                   caption="Partners, worst first", report=answer, chart=Markup(rating_chart(answer["counts"])))


@router.get("/health/{key:path}", response_model=None)
def partner_health(key: str, request: Request, store: Store, role: ProcurementPage, as_of: AsOf = None) -> Response:
    """Why a partner scores what it does: each dimension's points and evidence, overrides, flags, history."""
    portfolio = assess(store, iso(as_of))
    detail = partner_from(portfolio, key, _snapshot_dir(request))
    points = detail["history"] + ([] if any(h["date"] == detail["as_of"] for h in detail["history"]) else
                                  [{"date": detail["as_of"], "score": detail["score"], "rating": detail["rating"]}])
    ratings = portfolio.config.ratings
    generated = any(p.key == key and p.provenance.illustrative for p in partners.partner_register(store, portfolio.as_of))
    return templated(request, role, "health/partner.html", f"Relationship health: {detail['name']}", current="/health",
                     trail=(("/", "Home"), ("/health", "Relationship health")), detail=detail, tag=TAGS,
                     change=_change(detail["change"]), illustrative=generated,
                     chart=Markup(score_chart(detail["name"], points, ratings.green, ratings.amber)))

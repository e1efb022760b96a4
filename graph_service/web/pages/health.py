"""The /health page body: the portfolio by rating and a partner's score over time as inline SVG (drawn
here, no script, no CDN: the pages' Content-Security-Policy allows neither), beside the ranked table.
Every label is escaped with web.layout.e; colours are SVG attributes, since inline styles are blocked."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from graph_service.web.pages.layout import e, link

COLOURS = {"red": "#b10e1e", "amber": "#b35c00", "green": "#00703c", "no data": "#505a5f"}
STATUS = {"red": "status-overdue", "amber": "status-due", "green": "status-current", "no data": ""}


def _href(**params: Any) -> str:
    return "/health?" + urlencode({k: v for k, v in params.items() if v})


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
                     f'<title>{e(p["date"])}: {p["score"]:.1f} ({e(p["rating"])})</title></circle>')
    for x, p in zip(xs, points):
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="12" text-anchor="middle" fill="#0b0c0c">'
                     f'{e(p["date"])}</text>')
    summary = ", ".join(f"{p['date']}: {p['score']}" for p in points)
    return (f'<svg role="img" aria-labelledby="over-time-title" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="over-time-title">{e(name)}: score over time ({e(summary)})</title>' + "".join(parts) + "</svg>")


def _filters(report: dict[str, Any], personas: list[str]) -> str:
    chosen = report["filters"]
    options = "".join(f'<option value="{e(p)}"{" selected" if p == chosen["persona"] else ""}>{e(p)}</option>'
                      for p in personas)
    ratings = "".join(f'<option value="{r}"{" selected" if r == chosen["rating"] else ""}>{r.title()}</option>'
                      for r in ("red", "amber", "green"))
    return ('<form method="get" action="/health" class="search">'
            f'<input type="hidden" name="as_of" value="{e(report["as_of"])}">'
            f'<div><label for="persona">Persona</label><select id="persona" name="persona"><option value="">All</option>'
            f'{options}</select></div>'
            f'<div><label for="rating">Rating</label><select id="rating" name="rating"><option value="">All</option>'
            f'{ratings}</select></div><button type="submit">Show</button></form>')


def _change(change: dict[str, Any] | None) -> str:
    if not change:
        return ""
    if change["new"]:
        return f"new since {e(change['since'])}"
    delta = change["score_delta"]
    moved = ", ".join(f"{m['dimension']} {m['points']:+.1f}" for m in change["moved"][:3])
    return (f"{delta:+.1f} since {e(change['since'])}" if delta is not None else f"since {e(change['since'])}") + (
        f" ({e(moved)})" if moved else "")


def _table(report: dict[str, Any]) -> str:
    rows = []
    for r in report["partners"]:
        href = _href(partner=r["partner"], as_of=report["as_of"], **{k: v for k, v in report["filters"].items() if v})
        score = "" if r["score"] is None else f"{r['score']:.1f}"
        drivers = "; ".join(f"{d['dimension']} −{d['lost']:.1f}" for d in r["drivers"])
        capped = (" (capped)" if r["overrides"] else "") + (" (provisional)" if r["provisional"] else "")
        rows.append(f"<tr><td>{r['rank']}</td><td>{link(href, r['name'])}</td>"
                    f"<td>{e(', '.join(p['name'] for p in r['personas']))}</td><td>{score}</td>"
                    f'<td><span class="status {STATUS[r["rating"]]}">{e(r["rating"])}</span>{capped}</td>'
                    f"<td>{r['coverage']:.0%}</td><td>{_change(r['change'])}</td><td>{e(drivers)}</td></tr>")
    return ('<table><caption>Partners, worst first</caption><thead><tr><th scope="col">#</th>'
            '<th scope="col">Partner</th><th scope="col">Persona</th><th scope="col">Score</th>'
            '<th scope="col">Rating</th><th scope="col">Coverage</th><th scope="col">Change</th>'
            '<th scope="col">Most points lost</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _partner(detail: dict[str, Any], green: float, amber: float) -> str:
    points = detail["history"] + ([] if any(h["date"] == detail["as_of"] for h in detail["history"]) else
                                  [{"date": detail["as_of"], "score": detail["score"], "rating": detail["rating"]}])
    dims = "".join(
        f"<tr><th scope=\"row\">{e(d['name'])}</th><td>{'no data' if d['sub_score'] is None else d['sub_score']}</td>"
        f"<td>{d['weight']:g}</td><td>{d['effective_weight']:.1f}</td><td>{d['points']:.1f}</td><td>{e(d['summary'])}"
        + (f"<details><summary>Evidence ({len(d['evidence'])})</summary><ul>"
           + "".join(f"<li>{e(x['fact'])}<span class=\"source\">Source: {e(x['source'])}, {e(x['locator'])}; "
                     f"key {e(x['key'])}</span></li>" for x in d["evidence"]) + "</ul></details>" if d["evidence"] else "")
        + "</td></tr>" for d in detail["dimensions"])
    notes = "".join(f"<li>{e(x['message'])}</li>" for x in detail["overrides"] + detail["flags"])
    return (f'<section aria-labelledby="partner-heading"><h2 id="partner-heading">{e(detail["name"])}</h2>'
            f"<p>{e(detail['explanation'])}</p>"
            f"<h3>Score over time</h3>{score_chart(detail['name'], points, green, amber)}"
            '<table><caption>How the score is made</caption><thead><tr><th scope="col">Dimension</th>'
            '<th scope="col">Sub-score</th><th scope="col">Weight</th><th scope="col">Effective weight</th>'
            '<th scope="col">Points</th><th scope="col">Why</th></tr></thead><tbody>' + dims + "</tbody></table>"
            + (f"<h3>Overrides and flags</h3><ul>{notes}</ul>" if notes else "") + "</section>")


def health_page(report: dict[str, Any], personas: list[str], detail: dict[str, Any] | None,
                green: float, amber: float) -> str:
    """The page body: filters, the rating chart beside the table, and the chosen partner's history."""
    since = (f"Changes are since the snapshot of {e(report['previous_snapshot'])}." if report["previous_snapshot"]
             else "No earlier snapshot to compare with.")
    return (f"<h1>Partner relationship health</h1><p>As of {e(report['as_of'])}. {since} "
            f"{link('/api/v1/health-report?format=csv&as_of=' + report['as_of'], 'Download as CSV')}</p>"
            + _filters(report, personas)
            + (_partner(detail, green, amber) if detail else "")
            + f"<h2>Portfolio by rating</h2>{rating_chart(report['counts'])}" + _table(report))

"""What changed on the stakeholder map or an ego view between two dates.

Each map is built as on `date_from` and as on `date_to` with the as_of support every named
query already has, and the two maps are compared here, in Python, so both backends give the
same answer and the diff shows exactly what the two maps show (a viewer's maps leave out
contract values, so a viewer's diff does too):

- a node or line is *added* when it is on the later map and not the earlier, *ended* the other
  way round;
- a partner on both is *changed* when its quadrant, personas, power band or interest band differ;
- a line on both is *changed* when what it stands for differs: its relationship types and, on the
  stakeholder map, how many links join the pair.

The answer is a MapView like any other (render_html draws it, export writes its data); its
`diff` holds the dates, the counts and every change.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph_service.access.auth import Role
from graph_service.store.base import GraphStore
from graph_service.errors import BadRequest
from graph_service.answers.stakeholders import Analysis, Ego, analyse, ego
from visualisations.maps import POST_SHAPE, ego_view, stakeholder_view
from visualisations.view import LegendEntry, MapEdge, MapNode, MapView

# Scores are compared in bands this wide, not to the third decimal: centrality is relative, so every
# partner's power moves a little whenever anyone's links change. Quarters keep the grid's 0.5 line.
BAND = 0.25
STATUSES = ("added", "ended", "changed", "unchanged")
UNCHANGED_FILL = "#c6d4e1"


@dataclass(frozen=True)
class Style:
    """How one status is drawn: a node's fill and border, a line's colour and width; what ended is dashed."""

    fill: str
    border: str
    border_width: int
    line: str
    line_width: float
    dashed: bool = False


STYLES = {"added": Style("#2ca02c", "#2ca02c", 2, "#2ca02c", 3.0),
          "ended": Style("#ffffff", "#8c8c8c", 2, "#8c8c8c", 2.0, dashed=True),
          "changed": Style(UNCHANGED_FILL, "#ff7f0e", 4, "#ff7f0e", 3.0),
          "unchanged": Style(UNCHANGED_FILL, UNCHANGED_FILL, 1, "#d0d0d0", 1.0)}


@dataclass
class _Snapshot:
    """One date's map, and what the comparison looks at on it."""

    view: MapView
    facts: dict[str, dict[str, str]]  # node id -> what counts as a change (empty: only whether it is there)
    lines: dict[tuple[str, str], dict[str, str]]  # (source, target) -> what the line stands for


def comparing(date_from: str | None, date_to: str | None, as_of: str | None = None) -> bool:
    """Whether a map request asks for a comparison; half a comparison, or one with as_of as well, is refused."""
    if date_from is None and date_to is None:
        return False
    if date_from is None or date_to is None:
        raise BadRequest("a comparison needs both dates: compare_from and compare_to",
                         compare_from=date_from, compare_to=date_to)
    if as_of is not None:
        raise BadRequest("as_of shows one date and compare_from / compare_to compare two: give one or the other",
                         as_of=as_of)
    return True


def _dates(date_from: str, date_to: str) -> tuple[str, str]:
    """Both dates as yyyy-mm-dd, the earlier first: 'added' and 'ended' only make sense forwards in time."""
    try:
        first, last = dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to)
    except ValueError:
        raise BadRequest("compare dates must be yyyy-mm-dd", compare_from=date_from, compare_to=date_to) from None
    if first >= last:
        raise BadRequest("compare_from must be before compare_to", compare_from=date_from, compare_to=date_to)
    return first.isoformat(), last.isoformat()


def _band(score: float) -> str:
    low = min(math.floor(score / BAND), math.ceil(1 / BAND) - 1) * BAND
    return f"{low:.2f}-{low + BAND:.2f}"


def _partner_facts(analysis: Analysis) -> dict[str, dict[str, str]]:
    """What a partner is compared on: where the maps place it and how they colour it, and its scores in bands."""
    return {p.key: {"quadrant": p.quadrant_name,
                    "personas": ", ".join(sorted(x["name"] for x in p.personas)) or "none recorded",
                    "power_band": _band(p.power), "interest_band": _band(p.interest)} for p in analysis.partners}


def _stakeholder_snapshot(analysis: Analysis) -> _Snapshot:
    """The stakeholder map, with each line compared on its kinds of link and how many links it stands for."""
    view = stakeholder_view(analysis)
    facts = _partner_facts(analysis)
    weights = {(link.source, link.target): link.weight for link in analysis.links}
    return _Snapshot(view, {n.id: facts.get(n.id, {}) for n in view.nodes},
                     {(e.source, e.target): {"relationships": e.kind, "links": str(weights[(e.source, e.target)])}
                      for e in view.edges})


def _ego_snapshot(found: Ego, analysis: Analysis) -> _Snapshot:
    """The ego view, with one line per pair of nodes standing for every relationship between them."""
    view = ego_view(found)
    facts = _partner_facts(analysis)
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    for start, kind, end in found.edges:
        types[(start, end)].add(kind)
    return _Snapshot(view, {n.id: facts.get(n.id, {}) for n in view.nodes},
                     {pair: {"relationships": "+".join(sorted(kinds))} for pair, kinds in types.items()})


def stakeholder_diff(store: GraphStore, role: Role, date_from: str, date_to: str, *, persona: str | None = None,
                     workstream: str | None = None, priority: str | None = None, department: str | None = None,
                     min_health: float | None = None) -> tuple[MapView, Analysis]:
    """The stakeholder map's changes between two dates, the same filters applied on both; with the later
    analysis, whose filter choices the page's form offers."""
    date_from, date_to = _dates(date_from, date_to)
    before, after = (analyse(store, role, as_of=day, persona=persona, workstream=workstream, priority=priority,
                             department=department, min_health=min_health) for day in (date_from, date_to))
    view = _compare(_stakeholder_snapshot(before), _stakeholder_snapshot(after), date_from, date_to,
                    kind="stakeholders-diff", title="Stakeholder map: what changed", about=after.basis,
                    line_change="the kinds of link, or how many links join the pair, differ",
                    shapes=[LegendEntry(POST_SHAPE, UNCHANGED_FILL, "Square: council post; round: partner")])
    return view, after


def ego_diff(store: GraphStore, key: str, role: Role, date_from: str, date_to: str, *, hops: int = 2) -> MapView:
    """An ego view's changes between two dates, with the same centre and hops on both."""
    date_from, date_to = _dates(date_from, date_to)
    found = [ego(store, key, role, hops=hops, as_of=day) for day in (date_from, date_to)]
    analyses = [analyse(store, role, as_of=day) for day in (date_from, date_to)]  # partners' quadrants and bands
    name = found[1].nodes[key].name
    return _compare(*(_ego_snapshot(f, a) for f, a in zip(found, analyses)), date_from, date_to,
                    kind="ego-diff", title=f"Ego view: {name}: what changed",
                    about=f"Everything within {hops} hop(s) of {name} on either date. {analyses[1].basis}",
                    line_change="the types of relationship between its ends differ", shapes=[])


def _status(old: dict[str, str] | None, new: dict[str, str] | None) -> str:
    if old is None:
        return "added"
    if new is None:
        return "ended"
    return "changed" if old != new else "unchanged"


def _what_changed(old: dict[str, str] | None, new: dict[str, str] | None) -> list[str]:
    if old is None or new is None:
        return []
    return [f"{k.replace('_', ' ')}: {old.get(k)} -> {new.get(k)}" for k in sorted(old.keys() | new.keys())
            if old.get(k) != new.get(k)]


def _words(kind: str) -> str:
    return " + ".join(k.lower().replace("_", " ") for k in kind.split("+"))


def _compare(before: _Snapshot, after: _Snapshot, date_from: str, date_to: str, *, kind: str, title: str, about: str,
             line_change: str, shapes: list[LegendEntry]) -> MapView:
    """Both dates' nodes and lines on one map, each styled by whether it was added, ended, changed or not."""
    headline = {"added": f"Added: on the map on {date_to}, not on {date_from}",
                "ended": f"Ended: on the map on {date_from}, not on {date_to}",
                "changed": f"Changed between {date_from} and {date_to}",
                "unchanged": f"Unchanged between {date_from} and {date_to}"}
    counts = {element: dict.fromkeys(STATUSES, 0) for element in ("nodes", "relationships")}
    changes: list[dict[str, Any]] = []
    drawn = {n.id: n for n in before.view.nodes} | {n.id: n for n in after.view.nodes}  # the later map's, if on both
    nodes = []
    for node_id, base in drawn.items():
        old, new = before.facts.get(node_id), after.facts.get(node_id)
        status, what = _status(old, new), _what_changed(old, new)
        counts["nodes"][status] += 1
        if status != "unchanged":
            changes.append({"element": "node", "id": node_id, "name": base.name, "status": status,
                            "before": old, "after": new})
        style = STYLES[status]
        nodes.append(MapNode(
            node_id, base.label, base.name, status.capitalize(), style.fill, base.size, shape=base.shape,
            tooltip="\n".join([base.tooltip, headline[status], *what]),
            details=[("Compared", headline[status]), *([("What changed", what)] if what else []),
                     ("Details as on", date_from if status == "ended" else date_to), *base.details],
            x=base.x, y=base.y, border=style.border, border_width=style.border_width, border_dashes=style.dashed))
    edges = []
    for source, target in sorted(before.lines.keys() | after.lines.keys()):
        old, new = before.lines.get((source, target)), after.lines.get((source, target))
        status, what = _status(old, new), _what_changed(old, new)
        counts["relationships"][status] += 1
        if status != "unchanged":
            changes.append({"element": "relationship", "source": source, "target": target, "status": status,
                            "before": old, "after": new})
        style, facts = STYLES[status], new or old
        edges.append(MapEdge(source, target, facts["relationships"], style.line, style.line_width, dashes=style.dashed,
                             tooltip="\n".join([_words(facts["relationships"]), headline[status], *what])))
    changes.sort(key=lambda c: (c["element"], STATUSES.index(c["status"]), c.get("id", ""), c.get("source", ""),
                                c.get("target", "")))
    total = {s: counts["nodes"][s] + counts["relationships"][s] for s in STATUSES}
    summary = (f"{total['added']} added, {total['ended']} ended, {total['changed']} changed "
               f"between {date_from} and {date_to}")
    n, r = counts["nodes"], counts["relationships"]
    subtitle = (f"{summary}. Nodes: {n['added']} added, {n['ended']} ended, {n['changed']} changed, {n['unchanged']} "
                f"unchanged; relationships: {r['added']} added, {r['ended']} ended, {r['changed']} changed, "
                f"{r['unchanged']} unchanged. {about}")
    notes = [note for note in after.view.notes if note in before.view.notes] + [
        f"On {day}: {note}" for day, mine, other in ((date_from, before, after), (date_to, after, before))
        for note in mine.view.notes if note not in other.view.notes]
    legend = _legend(headline, date_from, date_to, line_change,
                     [*shapes, *[e for e in after.view.legend if e.text.startswith("Size")]])
    diff = {"from": date_from, "to": date_to, "summary": summary, "counts": counts, "changes": changes}
    return MapView(kind, title, subtitle, nodes, edges, legend, notes, directed=after.view.directed, diff=diff)


def _legend(headline: dict[str, str], date_from: str, date_to: str, line_change: str,
            shapes_and_sizes: list[LegendEntry]) -> list[LegendEntry]:
    """Every style, used on this map or not: the legend explains how changes look, whatever changed this time."""
    return [LegendEntry("dot", STYLES["added"].fill, headline["added"]),
            LegendEntry("dashed-ring", STYLES["ended"].border, headline["ended"]),
            LegendEntry("ring", STYLES["changed"].border,
                        "Changed: a partner whose quadrant, personas, power band or interest band differ"),
            LegendEntry("dot", UNCHANGED_FILL, "Unchanged"),
            LegendEntry("line", STYLES["added"].line, f"Relationship added: on the map on {date_to} only"),
            LegendEntry("dashed", STYLES["ended"].line, f"Relationship ended: on the map on {date_from} only"),
            LegendEntry("line", STYLES["changed"].line, f"Relationship changed: {line_change}"),
            LegendEntry("line", STYLES["unchanged"].line, "Relationship unchanged"),
            *shapes_and_sizes,
            LegendEntry("text", "#333333", f"Sizes and details as on {date_to} ({date_from} for what ended). Bands "
                                           f"are steps of {BAND} in a score.")]

"""Draw a MapView as an HTML page: one self-contained file that works offline, or the service's page.

vis-network comes from the copy pyvis ships; the page is our own template (assets/map.html), because
pyvis's loads Bootstrap from a CDN. An offline file inlines vis-network, our script and styles, so it
makes no network request; the service's page takes them from its own addresses instead, so a browser
downloads them once. A Content-Security-Policy keeps either from loading anything else and stops any
injected markup from running. Names reach the page only as JSON data (each distinct string once, see
_graph_data) and are drawn on the canvas or set as text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph_service.answers.stakeholders import settings
from graph_service.dates import DATE_HINT, long_date, short_date
from visualisations.view import EXPORT_TYPES, MapNode, MapView

SOURCE = "Source: Dacorum Borough Council partner relationship graph (graph-service)"
LABEL_MODES = {"always": "always", "hover": "on hover", "off": "off"}

ASSETS = Path(__file__).resolve().parent / "assets"
VIS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


# The page's scripts and styles: inlined in an offline file, served as files (cached) by the service.
ASSET_FILES = {"vis-network.min.js": VIS / "vis-network.min.js", "vis-network.css": VIS / "vis-network.css",
               "map.js": ASSETS / "map.js", "map.css": ASSETS / "map.css"}
ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def map_csp(nonce: str, served: bool = False) -> str:
    """The map page's policy: its own scripts (by nonce) and nothing from anywhere else. The page carries it
    as a meta tag (an offline file has no headers); served, it is the response's header too, and the page may
    also load its styles from the service and fetch its bridges list there."""
    styles, connect = ("'self' 'unsafe-inline'", "'self'") if served else ("'unsafe-inline'", "'none'")
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src {styles}; img-src data: blob:; "
            f"font-src data:; connect-src {connect}; form-action 'self'; base-uri 'none'")


@cache
def asset(name: str) -> tuple[bytes, str, str]:
    """A served asset: (its bytes, media type, version: the start of its SHA-256, which its address carries,
    so a browser may keep it for good and fetches it again only when it changes)."""
    body = _asset(ASSET_FILES[name]).encode("utf-8")
    return body, ASSET_TYPES[Path(name).suffix], hashlib.sha256(body).hexdigest()[:12]


def asset_url(name: str) -> str:
    return f"/maps/assets/{name}?v={asset(name)[2]}"


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(ASSETS), autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters.update(short_date=short_date, long_date=long_date)  # British dates, never month first
    env.globals.update(date_hint=DATE_HINT)
    return env


@cache
def _asset(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{path} cannot be inlined: it closes its own element")
    return text


def _options(view: MapView, large: bool) -> dict[str, Any]:
    iterations = settings()["maps"]["stabilisation_iterations"]
    fixed = view.grid is not None
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 12, "face": "sans-serif", "color": "#222222"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"smooth": False if large else {"type": "continuous"}, "selectionWidth": 2,
                  "arrows": {"to": {"enabled": view.directed, "scaleFactor": 0.5}}},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "dragNodes": not fixed},
        # a large map with an overview (map.js) keeps its starting layout: groups show first, and a layout of
        # thousands of nodes takes seconds in a browser
        "physics": {"enabled": not fixed and not (large and view.groups), "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.3},
                    "stabilization": {"enabled": True, "iterations": iterations["large" if large else "small"],
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }


class _Table:
    """Each distinct value once: a big map repeats the same detail rows, categories and styles thousands of
    times, so the page sends them once and refers to them by position (map.js expands them)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[Any] = []

    def __call__(self, value: Any) -> int:
        key = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        if key not in self.index:
            self.index[key] = len(self.values)
            self.values.append(value)
        return self.index[key]


def _node_style(view: MapView, n: MapNode) -> dict[str, Any]:
    style: dict[str, Any] = {"shape": n.shape, "borderWidth": n.border_width,
                             "color": {"background": n.colour, "border": n.border or n.colour,
                                       "highlight": {"background": n.colour, "border": "#000000"}}}
    if view.grid is not None:  # the grid places nodes by their scores: they must not move
        style.update(fixed=True, physics=False)
    if n.border_dashes:
        style["shapeProperties"] = {"borderDashes": [4, 3]}
    return style


def _graph_data(view: MapView) -> dict[str, Any]:
    """Nodes and edges as rows of positions into shared tables (strings, styles, detail rows):
    node [id, style, size, tooltip lines, name, category, label, details, x, y];
    edge [from node, to node, kind, style, width, tooltip]."""
    text, styles, rows, edge_styles = _Table(), _Table(), _Table(), _Table()

    def detail_row(label: str, value: str | list[str]) -> int:
        return rows([text(label), [text(v) for v in value] if isinstance(value, list) else text(value)])

    position = {n.id: i for i, n in enumerate(view.nodes)}
    nodes = [[n.id, styles(_node_style(view, n)), n.size, [text(line) for line in n.tooltip.split("\n") if line],
              text(n.name), text(n.category), text(n.label or n.name), [detail_row(*row) for row in n.details], n.x, n.y]
             for n in view.nodes]
    edges = [[position[e.source], position[e.target], text(e.kind),
              edge_styles({"color": e.colour, "dashes": e.dashes, "arrows": {"to": {"enabled": view.directed}}}),
              e.width, text(e.tooltip)] for e in view.edges]
    rank = sorted(range(len(view.nodes)), key=lambda i: (not view.nodes[i].label, -view.nodes[i].size))
    return {"strings": text.values, "nodeStyles": styles.values, "detailRows": rows.values, "edgeStyles": edge_styles.values,
            "nodes": nodes, "edges": edges, "labelRank": rank,
            "groups": [{"name": g["name"], "members": [position[k] for k in g["members"] if k in position]}
                       for g in view.groups]}


def _when(view: MapView) -> str:
    if view.diff:
        return f"Changes from {long_date(view.diff['from'])} to {long_date(view.diff['to'])}"
    return f"As on {long_date(view.as_of)}" if view.as_of else ""


def _filters_text(choices: dict[str, list[dict[str, str]]] | None, filters: dict[str, Any] | None,
                  hops: int | None) -> str:
    """The filters applied, by their names, as an export's caption says them."""
    names = {f: {c["key"]: c["name"] for c in options} for f, options in (choices or {}).items()}
    parts = [f"{f.replace('_', ' ')}: {names.get(f, {}).get(v, v)}" for f, v in (filters or {}).items()
             if v is not None and v != ""]
    if hops:
        parts.append(f"within {hops} hop{'s' if hops > 1 else ''} of the centre")
    return "Filters: " + ("; ".join(parts) if parts else "none")


def render_html(view: MapView, *, served: bool = False, choices: dict[str, list[dict[str, str]]] | None = None,
                filters: dict[str, Any] | None = None, health_filter: bool = False, compare: bool = False,
                nonce: str | None = None, hops: int | None = None, saved: dict[str, Any] | None = None,
                save_form: dict[str, str] | None = None, bridges: str | None = None) -> str:
    """The page. `served` adds links that need the API (other maps, ego views) and takes the scripts and
    styles from ASSETS' addresses (cached by the browser) instead of inlining them; `choices` adds a filter
    form (the values each filter can take), with a minimum health score if `health_filter` and two dates
    to compare if `compare`; `filters` are the ones applied; `nonce` the one the served page's CSP header names;
    `hops` (an ego view) adds a choice of 1 to the configured most hops; `saved` is the saved view being
    opened (its focus, moved nodes and labels); `save_form` (an editor's page: its address and form token)
    adds the form that saves the map as a named view; `bridges` (a served stakeholder map) is the address
    of the bridges between partners, listed after the map."""
    large = len(view.nodes) > settings()["maps"]["large"]
    data = {
        "kind": view.kind, "title": view.title, "options": _options(view, large), **_graph_data(view),
        "grid": view.grid, "large": large, "directed": view.directed, "served": served, "exportName": view.kind,
        "egoQuery": urlencode({"compare_from": view.diff["from"], "compare_to": view.diff["to"]}) if view.diff else "",
        "illustrative": [n.id for n in view.nodes if n.illustrative],
        "legend": [{"swatch": e.swatch, "colour": e.colour, "text": e.text, "size": e.size} for e in view.legend],
        "subtitle": view.subtitle, "notes": view.notes, "when": _when(view), "filters": _filters_text(choices, filters, hops),
        "source": f"{SOURCE}, drawn {long_date(dt.date.today())}.", "saved": saved, "bridges": bridges,
    }
    nonce = nonce or secrets.token_urlsafe(16)
    inline = {} if served else {name: _asset(path) for name, path in ASSET_FILES.items()}
    return _environment().get_template("map.html").render(
        view=view, data=data, nonce=nonce, csp=map_csp(nonce, served=served), served=served, choices=choices,
        filters=filters or {}, health_filter=health_filter, compare=compare, hops=hops,
        max_hops=settings()["maps"]["ego_max_hops"], label_modes=LABEL_MODES, saved=saved, save_form=save_form,
        when=data["when"], formats=list(EXPORT_TYPES), asset_url=asset_url, bridges=bridges, inline=inline)

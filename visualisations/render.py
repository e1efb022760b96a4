"""Draw a MapView as one self-contained HTML page that works offline.

pyvis builds the vis-network nodes, edges and options; the page itself comes from our own
template (assets/map.html) because pyvis's loads Bootstrap from a CDN. vis-network is inlined
from the copy pyvis ships, with our script and styles, so the page makes no network request;
a Content-Security-Policy keeps it that way and stops any injected markup from running.
Names reach the page only as JSON data and are drawn on the canvas or set as text.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from graph_service.answers.stakeholders import settings
from graph_service.dates import DATE_HINT, long_date, short_date
from visualisations.view import EXPORT_TYPES, MapView

SOURCE = "Source: Dacorum Borough Council partner relationship graph (graph-service)"
LABEL_MODES = {"always": "always", "hover": "on hover", "off": "off"}

ASSETS = Path(__file__).resolve().parent / "assets"
VIS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def map_csp(nonce: str) -> str:
    """The map page's policy: its own inlined scripts (by nonce) and nothing from anywhere else. The page
    carries it as a meta tag (an offline file has no headers); served, it is the response's header too."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data: blob:; "
            "font-src data:; connect-src 'none'; form-action 'self'; base-uri 'none'")


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
        "physics": {"enabled": not fixed, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.3},
                    "stabilization": {"enabled": True, "iterations": iterations["large" if large else "small"],
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }


def _network(view: MapView, large: bool) -> Network:
    # directed=True skips pyvis's duplicate-edge scan (quadratic in edges); arrows are set in the options.
    net = Network(directed=True)
    for n in view.nodes:
        extra: dict[str, Any] = {} if n.x is None else {"x": n.x, "y": n.y}
        if view.grid is not None:  # the grid places nodes by their scores: they must not move
            extra.update(fixed=True, physics=False)
        if n.border_dashes:
            extra["shapeProperties"] = {"borderDashes": [4, 3]}
        color: Any = {"background": n.colour, "border": n.border or n.colour,
                      "highlight": {"background": n.colour, "border": "#000000"}}
        net.add_node(n.id, shape=n.shape, color=color, size=n.size, title=n.tooltip, borderWidth=n.border_width,
                     **extra)
        net.node_map[n.id].pop("label")  # map.js draws the labels, keeping them apart (pyvis would show ids)
    for e in view.edges:
        net.add_edge(e.source, e.target, kind=e.kind, color=e.colour, width=e.width, dashes=e.dashes, title=e.tooltip,
                     arrows={"to": {"enabled": view.directed}})
    net.options = _options(view, large)
    return net


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
                save_form: dict[str, str] | None = None) -> str:
    """The page. `served` adds links that need the API (other maps, ego views); `choices` adds a filter
    form (the values each filter can take), with a minimum health score if `health_filter` and two dates
    to compare if `compare`; `filters` are the ones applied; `nonce` the one the served page's CSP header names;
    `hops` (an ego view) adds a choice of 1 to the configured most hops; `saved` is the saved view being
    opened (its focus, moved nodes and labels); `save_form` (an editor's page: its address and form token)
    adds the form that saves the map as a named view."""
    large = len(view.nodes) > settings()["maps"]["large"]
    nodes, edges, *_, options = _network(view, large).get_network_data()  # options come back as JSON text
    data = {
        "kind": view.kind, "title": view.title, "nodes": nodes, "edges": edges, "options": json.loads(options),
        "names": {n.id: n.name for n in view.nodes}, "categories": {n.id: n.category for n in view.nodes},
        "details": {n.id: n.details for n in view.nodes}, "grid": view.grid, "large": large,
        "directed": view.directed, "served": served, "exportName": view.kind,
        "egoQuery": urlencode({"compare_from": view.diff["from"], "compare_to": view.diff["to"]}) if view.diff else "",
        # labels drawn by map.js: the builder's label first (the grid names its top partners), then the biggest
        "labels": {n.id: n.label or n.name for n in view.nodes},
        "labelRank": [n.id for n in sorted(view.nodes, key=lambda n: (not n.label, -n.size))],
        "illustrative": [n.id for n in view.nodes if n.illustrative],
        "legend": [{"swatch": e.swatch, "colour": e.colour, "text": e.text, "size": e.size} for e in view.legend],
        "subtitle": view.subtitle, "notes": view.notes, "when": _when(view), "filters": _filters_text(choices, filters, hops),
        "source": f"{SOURCE}, drawn {long_date(dt.date.today())}.", "saved": saved,
    }
    nonce = nonce or secrets.token_urlsafe(16)
    return _environment().get_template("map.html").render(
        view=view, data=data, nonce=nonce, csp=map_csp(nonce), served=served, choices=choices, filters=filters or {},
        health_filter=health_filter, compare=compare, hops=hops, max_hops=settings()["maps"]["ego_max_hops"],
        label_modes=LABEL_MODES, saved=saved, save_form=save_form, when=data["when"],
        formats=list(EXPORT_TYPES), vis_js=_asset(VIS / "vis-network.min.js"), vis_css=_asset(VIS / "vis-network.css"),
        map_js=_asset(ASSETS / "map.js"), map_css=_asset(ASSETS / "map.css"))

"""A map as plain data (nodes, edges, legend, notes), and its exports: JSON, CSV, GraphML, GEXF.

Builders (visualisations/maps.py) turn an analysis into a MapView; render.py draws it as an
offline HTML page. Everything a page shows comes from the MapView, so an export holds the
same facts the page does and nothing more (no restricted fact reaches a viewer's export if
it is not on the viewer's map).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graph_service.csv_export import SafeWriter
from graph_service.errors import BadRequest

EXPORT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8",
                "graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
CSV_COLUMNS = ["record", "id", "name", "category", "size", "x", "y", "from", "to", "kind"]


@dataclass
class MapNode:
    id: str
    label: str  # drawn on the canvas; empty leaves the node unlabelled (its name still shows on hover)
    name: str  # the full name: search, details and exports use it
    category: str  # the legend entry its colour stands for
    colour: str
    size: float
    shape: str = "dot"
    tooltip: str = ""  # plain text, shown as text
    details: list[tuple[str, str | list[str]]] = field(default_factory=list)  # shown as text in the details panel
    x: float | None = None  # the grid's fixed position, or a large map's starting one; None: the layout decides
    y: float | None = None
    border: str | None = None
    border_width: int = 1
    border_dashes: bool = False  # a diff map's ended nodes
    illustrative: bool = False  # a generated fact: ringed on the map and in exports, said in the details


@dataclass
class MapEdge:
    source: str
    target: str
    kind: str
    colour: str = "#c8c8c8"
    width: float = 1.0
    dashes: bool = False
    tooltip: str = ""


@dataclass
class LegendEntry:
    swatch: str  # dot, square, diamond, star, ring, dashed-ring, line, dashed, area
    colour: str
    text: str
    size: int = 12


@dataclass
class MapView:
    kind: str
    title: str
    subtitle: str
    nodes: list[MapNode]
    edges: list[MapEdge]
    legend: list[LegendEntry]
    notes: list[str] = field(default_factory=list)  # what was capped, left out or assumed
    directed: bool = False
    grid: dict[str, Any] | None = None  # the power-interest grid's geometry, drawn behind the nodes
    diff: dict[str, Any] | None = None  # a comparison of two dates: the dates, counts and every change (diff.py)
    as_of: str | None = None  # the day the map shows (ISO); a comparison's dates are in diff
    groups: list[dict[str, Any]] = field(default_factory=list)  # a large map's overview: {name, members} clusters

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ILLUSTRATIVE_COLOUR = "#4c2c92"  # the pages' "Illustrative example" tag
ILLUSTRATIVE_TEXT = "Purple ring: illustrative example (generated sample data, not a council record)"


def mark_illustrative(view: MapView, keys: set[str]) -> MapView:
    """Ring the generated nodes among keys, say so first in their details and hover text, and add the legend entry."""
    marked = [n for n in view.nodes if n.id in keys]
    for node in marked:
        node.illustrative = True
        node.details.insert(0, ("Illustrative example", "Generated sample data, not a council record"))
        node.tooltip = "\n".join(filter(None, [node.tooltip, "Illustrative example (generated sample data)"]))
    if marked:
        view.legend.append(LegendEntry("ring", ILLUSTRATIVE_COLOUR, ILLUSTRATIVE_TEXT))
    return view


def to_csv(view: MapView) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n in view.nodes:
        writer.writerow(("node", n.id, n.name, n.category, n.size, n.x, n.y, None, None, None))
    for e in view.edges:
        writer.writerow(("edge", None, None, None, e.width, None, None, e.source, e.target, e.kind))
    return out.getvalue()


def to_graph(view: MapView) -> nx.Graph:
    graph: nx.Graph = nx.MultiDiGraph() if view.directed else nx.MultiGraph()
    for n in view.nodes:
        attrs = {"label": n.name, "category": n.category, "size": float(n.size)}
        attrs.update({axis: float(v) for axis, v in (("x", n.x), ("y", n.y)) if v is not None})
        graph.add_node(n.id, **attrs)
    for e in view.edges:
        graph.add_edge(e.source, e.target, kind=e.kind)
    return graph


def export(view: MapView, fmt: str) -> tuple[str, str]:
    """The map in one of EXPORT_TYPES: (body, media type)."""
    if fmt not in EXPORT_TYPES:
        raise BadRequest(f"unknown export format {fmt!r}", allowed=sorted(EXPORT_TYPES))
    if fmt == "json":
        body = json.dumps(view.to_dict(), ensure_ascii=False, indent=1)
    elif fmt == "csv":
        body = to_csv(view)
    elif fmt == "graphml":
        body = "\n".join(nx.generate_graphml(to_graph(view)))
    else:
        body = "\n".join(nx.generate_gexf(to_graph(view)))
    return body, EXPORT_TYPES[fmt]

"""What the search box searches besides policies (which have their own index): every name a partner,
post, work stream, theme, programme, charter or contract can be found by."""
from __future__ import annotations

from typing import Any

import networkx as nx

from graph_service.queries.graph import nodes, sort_key
from graph_service.queries.registry import named_query

Row = dict[str, Any]
# label: (the property naming it, properties it is also found by)
SEARCHED = {"Organisation": ("name", ("aliases", "identifiers")), "Post": ("title", ("abbreviation",)),
            "Workstream": ("name", ()), "Theme": ("name", ()), "Programme": ("name", ()),
            "Charter": ("name", ()), "Contract": ("title", ("reference", "ocid"))}


def _also(value: Any) -> list[str]:
    if value is None:
        return []
    return [v for v in value if v] if isinstance(value, list) else [value]


def _finish(rows: list[Row]) -> list[Row]:
    return sorted(({**r, "aliases": sorted(set(r["aliases"]))} for r in rows), key=sort_key("label", "key"))


@named_query("search_index", finish=_finish, examples=[{}])
def search_index(graph: nx.MultiDiGraph, as_of: str | None = None) -> list[Row]:
    """Each searchable node: its key, label, name and the other names it is found by, and whether it is
    illustrative. Names hold no period, so as_of changes nothing here."""
    rows = []
    for label, (name, others) in SEARCHED.items():
        for key, p in nodes(graph, label):
            rows.append({"key": key, "label": label, "name": p[name],
                         "aliases": [a for field in others for a in _also(p.get(field))],
                         "illustrative": graph.nodes[key]["prov"]["illustrative"]})
    return rows

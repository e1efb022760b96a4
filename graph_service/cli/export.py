"""Copy a whole store between backends (a user outgrowing the laptop moves to Neo4j, or back), or
write the whole graph to a file for Gephi, spreadsheets or another system: JSON lines, GraphML or
a folder of CSVs, as the chosen role may see it."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from graph_service.access.auth import Role
from graph_service.answers.export import graph_records
from graph_service.cli import command, opened_store
from graph_service.config import Settings
from graph_service.errors import BadRequest
from graph_service.queries import ask, registry

FORMATS = ("jsonl", "graphml", "csv")
PROVENANCE = ("source", "locator", "loaded_at", "illustrative")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def compare_answers(source, target) -> list[str]:
    """Names of the named-query examples on which the two stores disagree."""
    return [
        f"{name}{params or ''}"
        for name in registry.names()
        for params in registry.get(name).examples
        if ask(source, name, **params) != ask(target, name, **params)
    ]


def _arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--to", choices=["neo4j", "embedded"], help="the backend to copy the other one's store into")
    what.add_argument("--format", choices=FORMATS, help="write the graph to --out as JSON lines, GraphML or CSVs")
    parser.add_argument("--replace", action="store_true", help="with --to: clear the target first (otherwise it "
                                                                "must be empty)")
    parser.add_argument("--out", help="with --format: the file to write (- for standard output, jsonl only); "
                                      "for csv a folder")
    parser.add_argument("--role", choices=[r.name for r in Role], default="viewer",
                        help="with --format: whose view to write; procurement and admin add restricted facts "
                             "(default: viewer)")


@command("export", "copy the whole store into the other backend (--to), or write it to a file (--format)", _arguments)
def export_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.format:
        return _write_graph(args, settings)
    other = "embedded" if args.to == "neo4j" else "neo4j"
    with opened_store(settings.model_copy(update={"backend": other})) as source, \
            opened_store(settings.model_copy(update={"backend": args.to})) as target:
        if target.stats()["nodes"] and not args.replace:
            print(f"The {args.to} store is not empty; pass --replace to overwrite it.")
            return 1
        if args.replace:
            target.clear()
        nodes, rels = source.export()
        target.restore(nodes, rels)
        counts = {s.backend: (s.stats()["nodes"], s.stats()["relationships"]) for s in (source, target)}
        print(f"Copied {len(nodes)} nodes and {len(rels)} relationships from {other} to {args.to}.")
        disagreements = compare_answers(source, target)
        if counts[other] != counts[args.to] or disagreements:
            print(f"The copy differs: counts {counts}; queries answering differently: {disagreements}")
            return 1
        print(f"Counts match and all {sum(len(registry.get(n).examples) for n in registry.names())} "
              "sample answers agree.")
        return 0


def _write_graph(args: argparse.Namespace, settings: Settings) -> int:
    if not args.out:
        raise BadRequest(f"--format {args.format} needs --out FILE (or a folder for csv)")
    if args.out == "-" and args.format != "jsonl":
        raise BadRequest("only --format jsonl can be written to standard output")
    with opened_store(settings) as store:
        records = graph_records(store, Role.parse(args.role))
        if args.out == "-":
            counts = _write_jsonl(records, sys.stdout)
        elif args.format == "jsonl":
            with open(args.out, "w", encoding="utf-8") as out:
                counts = _write_jsonl(records, out)
        elif args.format == "graphml":
            counts = _write_graphml(records, Path(args.out))
        else:
            counts = _write_csv_folder(records, Path(args.out))
    if args.out != "-":
        print(f"Wrote {counts['node']} nodes and {counts['relationship']} relationships as {args.role} sees them "
              f"to {args.out}.")
    return 0


def _write_jsonl(records: Iterable[dict[str, Any]], out) -> dict[str, int]:
    counts = {"node": 0, "relationship": 0}
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        counts[record["kind"]] += 1
    return counts


def _attribute(value: Any) -> str | int | float | bool:
    """GraphML holds scalars only: lists and dicts travel as JSON text."""
    if value is None:
        return ""
    return value if isinstance(value, (str, int, float, bool)) else json.dumps(value, ensure_ascii=False)


def _write_graphml(records: Iterable[dict[str, Any]], path: Path) -> dict[str, int]:
    graph = nx.MultiDiGraph()
    counts = {"node": 0, "relationship": 0}
    for record in records:
        provenance = {f"provenance_{k}": _attribute(record["provenance"][k]) for k in PROVENANCE}
        props = {k: _attribute(v) for k, v in record["props"].items()}
        if record["kind"] == "node":
            graph.add_node(record["key"], label=record["label"], **props, **provenance)
        else:
            graph.add_edge(record["start"], record["end"], type=record["type"], **props, **provenance)
        counts[record["kind"]] += 1
    nx.write_graphml(graph, path)
    return counts


def _cell(value: Any) -> Any:
    """A CSV cell a spreadsheet never runs as a formula; numbers stay numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv_folder(records: Iterable[dict[str, Any]], folder: Path) -> dict[str, int]:
    """One file per label (nodes-Label.csv) and per type (relationships-TYPE.csv), columns as their props."""
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        head = ({"key": record["key"]} if record["kind"] == "node"
                else {"start": record["start"], "end": record["end"]})
        name = f"nodes-{record['label']}" if record["kind"] == "node" else f"relationships-{record['type']}"
        tables[name].append({**head, **record["props"], **record["provenance"]})
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        first = ["key"] if name.startswith("nodes-") else ["start", "end"]
        props = sorted({k for row in rows for k in row} - set(first) - set(PROVENANCE))
        columns = [*first, *props, *PROVENANCE]
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return {"node": sum(len(r) for n, r in tables.items() if n.startswith("nodes-")),
            "relationship": sum(len(r) for n, r in tables.items() if n.startswith("relationships-"))}

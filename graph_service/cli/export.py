"""Copy a whole store between backends: a user outgrowing the laptop moves to Neo4j, or back."""
from __future__ import annotations

import argparse

from graph_service.cli import command, opened_store
from graph_service.config import Settings
from graph_service.queries import registry


def compare_answers(source, target) -> list[str]:
    """Names of the named-query examples on which the two stores disagree."""
    return [
        f"{name}{params or ''}"
        for name in registry.names()
        for params in registry.get(name).examples
        if source.run(name, **params) != target.run(name, **params)
    ]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, choices=["neo4j", "embedded"], help="the backend to copy into")
    parser.add_argument("--replace", action="store_true", help="clear the target first (otherwise it must be empty)")


@command("export", "copy the other backend's whole store into this one (--to neo4j or --to embedded)", _arguments)
def export_command(args: argparse.Namespace, settings: Settings) -> int:
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

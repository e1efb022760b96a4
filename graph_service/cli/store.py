"""`graph-service store check` verifies the store; `graph-service store backup PATH` writes a consistent copy;
`graph-service store reindex` gives organisations stored before golden-record look-ups their match_keys."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_service.cli import command, opened_store, print_json
from graph_service.config import Settings


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "backup", "reindex"],
                        help="check: verify; backup: copy to PATH; reindex: every organisation's match_keys")
    parser.add_argument("path", nargs="?", type=Path, help="backup: a new or empty directory to write the copy into")


@command("store", "check the store (exit 0 sound, 1 problems) or back it up to a directory", _arguments)
def store_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "reindex":
        from graph_service.ingest.resolver import backfill_match_keys

        with opened_store(settings) as store:
            print_json(backfill_match_keys(store))
        return 0
    if args.action == "check":
        if settings.backend == "embedded":
            from graph_service.store.embedded import check

            found = check(settings.data_dir)  # without opening it: a damaged store cannot be opened
        else:
            with opened_store(settings) as store:
                found = store.check()
        print_json(found)
        for problem in found["problems"]:
            print(f"graph-service: {problem}", file=sys.stderr)
        return 0 if found["ok"] else 1
    if args.path is None:
        print("graph-service: store backup needs a PATH (a new or empty directory)", file=sys.stderr)
        return 2
    if settings.backend != "embedded":
        print("graph-service: a Neo4j store is backed up by Neo4j: `neo4j-admin database dump` with the database "
              "stopped, or copy it here with `graph-service export --to embedded` and run `graph-service store "
              "backup PATH` on that", file=sys.stderr)
        return 2
    with opened_store(settings) as store:
        print_json(store.backup(args.path))
    return 0

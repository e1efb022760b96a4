"""Core commands: load the reference data, serve, stats, the local Neo4j server (keys: cli/keys.py)."""
from __future__ import annotations

import argparse
import sys

from graph_service.access.auth import DamagedFile, KeyStore, Role
from graph_service.cli import command, opened_store, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.errors import GraphServiceError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


@command("load-reference", "load the council's reference dataset into the store",
         lambda p: p.add_argument("--documents-only", action="store_true", help="skip the illustrative layer"))
def load_reference_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service.reference import load_reference

    with opened_store(settings) as store:
        reports = load_reference(store, include_illustrative=not args.documents_only)
    for report in reports:
        print(f"{report.source}: {report.created} created, {report.updated} updated, "
              f"{report.unchanged} unchanged, {len(report.rejected)} rejected")
        for rejection in report.rejected:
            print(f"  {rejection}", file=sys.stderr)
    return max(r.exit_code for r in reports)


@command("stats", "count nodes and relationships by label and type", _json_flag)
def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        stats = store.stats()
    if args.json:
        print_json(stats)
        return 0
    print(f"{stats['backend']}: {stats['nodes']} nodes, {stats['relationships']} relationships")
    print_table([*(("label", n, c) for n, c in stats["labels"].items()),
                 *(("relationship", n, c) for n, c in stats["relationship_types"].items())], ["kind", "name", "count"],
                indent="  ")
    return 0


def serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from graph_service.web.app import create_app

    if host not in LOOPBACK and not KeyStore(settings.data_dir).any():
        raise GraphServiceError(f"refusing to listen on {host}: no API keys exist; "
                                "create one with 'graph-service keys create --role admin --name NAME' first")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


@command("serve", "serve the API, pages and maps", _serve_arguments)
def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        serve(settings, args.host, args.port)
    except DamagedFile as exc:  # refuse to start rather than answer every request with an error
        print(f"graph-service: {exc.message}", file=sys.stderr)
        return 2
    return 0


@command("demo", "load the reference dataset if the store is empty, then serve on 127.0.0.1",
         lambda p: p.add_argument("--port", type=int, default=8000))
def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service.reference import load_reference

    with opened_store(settings) as store:
        if store.stats()["nodes"] == 0:
            print("Loading the reference dataset (the council's documents and the illustrative layer)...")
            load_reference(store)
    keys = KeyStore(settings.data_dir)
    if not keys.any():
        print(f"Your admin API key (shown once; keep it): {keys.create(Role.admin, 'demo')}")
    base = f"http://127.0.0.1:{args.port}"
    print(f"Open {base}/ to search policies and partners, {base}/maps/stakeholders for the stakeholder map, "
          f"{base}/docs for the API.")
    serve(settings, "127.0.0.1", args.port)
    return 0


@command("neo4j", "start, stop or check the project's local Neo4j server",
         lambda p: p.add_argument("action", choices=["start", "stop", "status"]))
def neo4j_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service.store import neo4j_server

    return neo4j_server.main([args.action])

"""The `graph-service` command. Each subcommand reads like the task it does."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from graph_service.auth import KeyStore, Role
from graph_service.config import Settings
from graph_service.errors import GraphServiceError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(function: Command) -> Command:
        COMMANDS[name] = function
        return function

    return register


def _store(settings: Settings):
    from graph_service.store import open_store

    return open_store(settings)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


@command("load-reference")
def load_reference_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service.reference import load_reference

    store = _store(settings)
    reports = load_reference(store, include_illustrative=not args.documents_only)
    for report in reports:
        print(f"{report.source}: {report.created} created, {report.updated} updated, "
              f"{report.unchanged} unchanged, {len(report.rejected)} rejected")
        for rejection in report.rejected:
            print(f"  {rejection}", file=sys.stderr)
    store.close()
    return max(r.exit_code for r in reports)


@command("stats")
def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    stats = store.stats()
    store.close()
    if args.json:
        _print_json(stats)
        return 0
    print(f"{stats['backend']}: {stats['nodes']} nodes, {stats['relationships']} relationships")
    for label, count in stats["labels"].items():
        print(f"  {label:24} {count}")
    for rel, count in stats["relationship_types"].items():
        print(f"  {rel:24} {count}")
    return 0


@command("keys")
def keys_command(args: argparse.Namespace, settings: Settings) -> int:
    print(KeyStore(settings.data_dir).create(Role.parse(args.role), args.label or ""))
    return 0


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from graph_service.api.app import create_app

    if host not in LOOPBACK and not KeyStore(settings.data_dir).any():
        raise GraphServiceError(
            f"refusing to listen on {host}: no API keys exist; create one with "
            "'graph-service keys create --role admin' first"
        )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@command("serve")
def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    _serve(settings, args.host, args.port)
    return 0


@command("demo")
def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service.reference import load_reference

    store = _store(settings)
    if store.stats()["nodes"] == 0:
        print("Loading the reference dataset (the council's documents and the illustrative layer)...")
        load_reference(store)
    store.close()
    keys = KeyStore(settings.data_dir)
    if not keys.any():
        print(f"Your admin API key (shown once; keep it): {keys.create(Role.admin, 'demo')}")
    base = f"http://127.0.0.1:{args.port}"
    print(f"Open {base}/ to search policies and partners, {base}/maps/stakeholders for the "
          f"stakeholder map, {base}/docs for the API.")
    _serve(settings, "127.0.0.1", args.port)
    return 0


@command("neo4j")
def neo4j_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph_service import neo4j_server

    return neo4j_server.main([args.action])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graph-service", description=__doc__)
    parser.add_argument("--backend", choices=["embedded", "neo4j"], help="overrides GRAPH_SERVICE_BACKEND")
    parser.add_argument("--data-dir", help="overrides GRAPH_SERVICE_DATA_DIR")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("load-reference", help="load the council's reference dataset")
    p.add_argument("--documents-only", action="store_true", help="skip the illustrative layer")
    p = sub.add_parser("stats", help="count nodes and relationships")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("keys", help="manage API keys")
    p.add_argument("action", choices=["create"])
    p.add_argument("--role", required=True, choices=[r.name for r in Role])
    p.add_argument("--label", help="who the key is for")
    p = sub.add_parser("serve", help="serve the API and pages")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p = sub.add_parser("demo", help="load the reference dataset if empty, then serve on 127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p = sub.add_parser("neo4j", help="manage the project's local Neo4j server")
    p.add_argument("action", choices=["start", "stop", "status"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(backend=args.backend, data_dir=args.data_dir)
    try:
        return COMMANDS[args.command](args, settings)
    except GraphServiceError as exc:
        print(f"graph-service: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

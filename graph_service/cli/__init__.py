"""The `graph-service` command. Each module in this package adds the subcommands of its area."""
from __future__ import annotations

import argparse
import gc
import importlib
import json
import pkgutil
import signal
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from pydantic_core import to_jsonable_python

from graph_service.config import Settings
from graph_service.errors import GraphServiceError
from graph_service.records import FactSource
from graph_service.store.base import GraphStore

Handler = Callable[[argparse.Namespace, Settings], int]


@dataclass
class Command:
    name: str
    help: str
    handler: Handler
    arguments: Callable[[argparse.ArgumentParser], None]


COMMANDS: dict[str, Command] = {}
_process_is_the_command = False  # main() without argv: the console script or `python -m graph_service.cli`


def command(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None):
    """Register a subcommand; `arguments` adds its options to its parser."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, handler, arguments)
        return handler

    return register


@contextmanager
def opened_store(settings: Settings) -> Iterator[GraphStore]:
    """The configured store, closed when the command is done with it (a Neo4j driver holds connections)."""
    from graph_service.store import open_store

    store = open_store(settings)
    if _process_is_the_command:
        # The store lives until the process ends: frozen, the collector never walks its records again, nor
        # at exit, where walking and freeing 1.3 million records cost more than the command (2 of 5 CPU s).
        gc.freeze()
    try:
        yield store
    finally:
        store.close()


def cite(provenance: FactSource | dict[str, Any]) -> str:
    """Where a printed fact comes from: [source: locator, illustrative]."""
    fact = FactSource.of(provenance.model_dump() if isinstance(provenance, FactSource) else
                         {"locator": "", "illustrative": False, **provenance})
    where = f": {fact.locator}" if fact.locator else ""
    return f"[{fact.source}{where}{', illustrative' if fact.illustrative else ''}]"


def print_json(data: Any) -> None:
    """Answers (pydantic models, dataclasses, rows) as the JSON the API gives."""
    json.dump(to_jsonable_python(data, fallback=str), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


class _Parser(argparse.ArgumentParser):
    """argparse with its errors on one line (what was wrong and where to look), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "__main__":  # importing it would run the command again
            importlib.import_module(f"{__name__}.{module.name}")
    # the store options are accepted before or after the subcommand
    store_options = _Parser(add_help=False)
    store_options.add_argument("--backend", choices=["embedded", "neo4j"], default=argparse.SUPPRESS,
                               help="overrides GRAPH_SERVICE_BACKEND")
    store_options.add_argument("--data-dir", default=argparse.SUPPRESS, help="overrides GRAPH_SERVICE_DATA_DIR")
    parser = _Parser(prog="graph-service", parents=[store_options],
                                     description="Partners, contracts, policies and who owns them, as one graph.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in sorted(COMMANDS):
        spec = COMMANDS[name]
        spec.arguments(sub.add_parser(name, help=spec.help, description=spec.help, parents=[store_options]))
    return parser


def main(argv: list[str] | None = None) -> int:
    global _process_is_the_command
    _process_is_the_command = argv is None
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `graph-service health | head` ends quietly
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(backend=getattr(args, "backend", None), data_dir=getattr(args, "data_dir", None))
    try:
        return COMMANDS[args.command].handler(args, settings)
    except GraphServiceError as exc:
        print(f"graph-service: {exc.message}", file=sys.stderr)
        return 1

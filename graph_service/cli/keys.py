"""`graph-service keys create|list|revoke`: API keys with a role, a name and an optional expiry."""
from __future__ import annotations

import argparse
import sys

from graph_service.access.auth import DamagedFile, KeyStore, Role
from graph_service.cli import command, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.dates import cli_day

COLUMNS = ("id", "name", "role", "created", "expires", "last_used", "revoked")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["create", "list", "revoke"],
                        help="create: print a new key (shown once; only its hash is kept); list: every key's id, "
                             "name, role, dates and revocation (never the key); revoke: stop a key and its sessions")
    parser.add_argument("key", nargs="?", metavar="KEY-OR-ID", help="revoke: the key itself or its id from 'keys list'")
    parser.add_argument("--role", choices=[r.name for r in Role], help="create: the key's role")
    parser.add_argument("--name", help="create: who or what the key is for")
    parser.add_argument("--expires", metavar="YYYY-MM-DD", type=cli_day, help="create: the day the key stops working (UTC)")
    parser.add_argument("--json", action="store_true", help="list: print JSON")


def _usage(args: argparse.Namespace) -> str | None:
    if args.action == "create" and not (args.role and args.name):
        return "keys create needs --role ROLE and --name NAME"
    if args.action == "revoke" and not args.key:
        return "keys revoke needs the key or its id"
    return None


@command("keys", "create, list and revoke API keys", _arguments)
def keys_command(args: argparse.Namespace, settings: Settings) -> int:
    problem = _usage(args)
    if problem:
        print(f"graph-service: {problem} (see graph-service keys --help)", file=sys.stderr)
        return 2
    keys = KeyStore(settings.data_dir)
    try:
        if args.action == "create":
            print(keys.create(Role.parse(args.role), args.name, args.expires))
        elif args.action == "revoke":
            revoked = keys.revoke(args.key)
            print(f"revoked {revoked['id']} ({revoked['name']}, {revoked['role']}) at {revoked['revoked']}")
        elif args.json:
            print_json(keys.list())
        else:
            rows = keys.list()
            if rows:
                print_table(rows, COLUMNS)
            else:
                print(f"no keys in {keys.path}")
    except DamagedFile as exc:
        print(f"graph-service: {exc.message}", file=sys.stderr)
        return 2
    return 0

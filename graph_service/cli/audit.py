"""`graph-service audit`: the log of writes, newest last (who, when, which file or match, what changed)."""
from __future__ import annotations

import argparse
from typing import Any

from graph_service.dates import cli_day
from graph_service.access import audit
from graph_service.cli import command, print_json
from graph_service.config import Settings


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--action", choices=audit.ACTIONS, help="only this kind of write")
    parser.add_argument("--since", type=cli_day, metavar="YYYY-MM-DD", help="only entries on or after this day")
    parser.add_argument("--limit", type=int, default=50, help="the newest N entries (default 50; 0 for all)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def format_entry(entry: dict[str, Any]) -> str:
    who = entry["who"]
    by = f"{who['label'] or 'unlabelled key'} ({who['role']}{', key ' + who['key'] if who.get('key') else ''})"
    if entry["action"] == "match-decision":
        m = entry["match"]
        what = (f"match {m['id']} {m['was']} -> {m['decision']}: {m['start_name']} ({m['start']}) ~ "
                f"{m['end_name']} ({m['end']})")
    else:
        c = entry["changes"]
        what = (f"ingest {entry['file']['name']} ({entry['format']}): " +
                (f"unreadable: {entry['error']}" if entry.get("error") else
                 f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, {c['rejected']} rejected"))
    return f"{entry['at'][:19]}Z  {entry['via']:3}  {by}  {what}"


@command("audit", "who wrote what to the graph, and when (the audit log)", _arguments)
def audit_command(args: argparse.Namespace, settings: Settings) -> int:
    found = audit.entries(settings.data_dir, action=args.action, since=args.since, limit=args.limit or None)
    if args.json:
        print_json(found)
        return 0
    for entry in found:
        print(format_entry(entry))
    if not found:
        print("no writes recorded")
    return 0

"""`graph-service changes`: what changed between two dates."""
from __future__ import annotations

import argparse
import datetime as dt

from graph_service.dates import cli_day, shown
from graph_service.cli import command, opened_store, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.queries import ask


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", required=True, type=cli_day, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=cli_day, default=dt.date.today(), help="YYYY-MM-DD")
    for name in ("partner", "persona", "workstream", "policy"):
        parser.add_argument(f"--{name}", help=f"only changes touching this {name} (its key)")
    parser.add_argument("--json", action="store_true")


@command("changes", "what began, ended or changed between two dates", _arguments)
def changes_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        rows = ask(store, "changed_facts", date_from=args.date_from.isoformat(), date_to=args.date_to.isoformat(),
                         partner=args.partner, persona=args.persona, workstream=args.workstream, policy=args.policy)
    if args.json:
        print_json(rows)
        return 0
    table = []
    for change in rows:
        subject = f"{change['start']} -{change['what']}-> {change['end']}" if change["kind"] == "relationship" \
            else f"{change['what']} {change['key']}"
        values = "; ".join(f"{k}: {v['before']!r} -> {v['after']!r}" for k, v in change["values"].items())
        marker = " (illustrative: generated example data)" if change["provenance"]["illustrative"] else ""
        table.append((shown(change["on"]), change["change"], subject, values,
                      f"{change['provenance']['source']} {change['provenance']['locator']}".strip() + marker))
    if table:
        print_table(table, ["on", "change", "what", "values", "source"])
    print(f"{len(rows)} changes")
    return 0

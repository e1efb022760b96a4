"""`graph-service ingest PATH`: load a published file; exit 0 all stored, 3 some rejected, 2 unreadable."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_service.access import audit
from graph_service.cli import command, open_configured_store, print_json
from graph_service.config import Settings
from graph_service.ingest import FORMATS, ingest_file


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the file to load")
    parser.add_argument("--format", default="auto", choices=["auto", *FORMATS], help="detected from the content by default")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


@command("ingest", "load an OCDS, 360Giving, Transparency Code, register or policy file", _arguments)
def ingest_command(args: argparse.Namespace, settings: Settings) -> int:
    store = open_configured_store(settings)
    try:
        report = ingest_file(store, args.path, args.format, progress=sys.stderr.isatty(), on_outcome=lambda report:
                             audit.record_ingest(settings.data_dir, audit.command_line_actor(), "cli", args.path,
                                                 report, name=str(args.path.resolve())))
    finally:
        store.close()
    if args.json:
        print_json(report.as_dict())
        return report.exit_code
    if report.error:
        print(f"graph-service: {report.error}; nothing was stored", file=sys.stderr)
        return report.exit_code
    print(f"{report.source} ({report.format}): {report.items} records: {report.created} created, "
          f"{report.updated} updated, {report.unchanged} unchanged, {len(report.rejected)} rejected")
    for rejection in report.rejected:
        print(f"  rejected {rejection}", file=sys.stderr)
    return report.exit_code

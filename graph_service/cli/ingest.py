"""`graph-service ingest PATH`: load a published file, a folder or a zip; exit 0 all stored, 3 some rejected,
2 unreadable (for a folder or zip: the worst of its files)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_service.access import audit
from graph_service.cli import command, opened_store, print_json
from graph_service.config import Settings
from graph_service.ingest import FORMATS, BatchReport, IngestReport, ingest_path
from graph_service.store.files import Receipt


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the file to load, or a folder or zip of files")
    parser.add_argument("--format", default="auto", choices=["auto", *FORMATS], help="detected from the content by default")
    parser.add_argument("--publisher", metavar="ORG-ID",
                        help="who published a spend or contracts file that does not say so (e.g. GB-LAE-DAC, or a "
                             "council's GSS code or name)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


@command("ingest", "load an OCDS, 360Giving, Transparency Code, register or policy file, or a folder or zip of them",
         _arguments)
def ingest_command(args: argparse.Namespace, settings: Settings) -> int:
    actor = audit.command_line_actor()

    whole = args.path.resolve()

    def audited(path: Path, name: str, report: IngestReport) -> Receipt:
        """Each file's audit entry, committed with it; a zip's member is named inside its zip."""
        member = path.resolve() != whole and not args.path.is_dir()
        where = f"{whole}!{name.split('/', 1)[-1]}" if member else str(path.resolve())
        if not args.json and (member or args.path.is_dir()):
            _print_file(report)
        return audit.ingest_receipt(settings.data_dir, actor, "cli", path, report, name=where)

    with opened_store(settings) as store:
        report = ingest_path(store, args.path, args.format, progress=sys.stderr.isatty(), publisher=args.publisher,
                             receipt=audited)
    if args.json:
        print_json(report.as_dict())
        return report.exit_code
    if isinstance(report, BatchReport):
        if report.error:
            print(f"graph-service: {report.error}", file=sys.stderr)
        print(report.summary())
        return report.exit_code
    _print_file(report)
    return report.exit_code


def _print_file(report: IngestReport) -> None:
    """One file's report line (stdout); what the reader decided and each rejection on stderr."""
    if report.error:
        print(f"graph-service: {report.error}; nothing was stored", file=sys.stderr)
        return
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.items())
    print(f"{report.source} ({report.format}): {report.items} records: {report.created} created, "
          f"{report.updated} updated, {report.unchanged} unchanged, {len(report.rejected)} rejected"
          + (f"; skipped {skipped}" if skipped else ""))
    for note in report.notes:
        print(f"  {note}", file=sys.stderr)
    for rejection in report.rejected:
        print(f"  rejected {rejection}", file=sys.stderr)

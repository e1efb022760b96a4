"""Stakeholder commands: `map` writes a map as an offline HTML page (or its data), and
`stakeholders` prints the analysis. Both show what a viewer may see unless --role says otherwise,
so a file written here is safe to share with anyone who may see the maps."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from graph_service.dates import cli_day, iso
from graph_service.access.auth import Role
from graph_service.cli import command, opened_store, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.errors import BadRequest
from graph_service.answers.illustrative import illustrative_keys
from graph_service.answers.stakeholders import Analysis, analyse, ego, policy_ownership
from visualisations import EXPORT_TYPES, ego_view, export, grid_view, policy_view, render_html, stakeholder_view
from visualisations.maps import grid_points
from visualisations.diff import comparing, ego_diff, stakeholder_diff
from visualisations.view import mark_illustrative

KINDS = ["stakeholders", "grid", "ego", "policy-ownership"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=[r.name for r in Role], default="viewer",
                        help="whose view to produce: procurement and admin add contract values (default: viewer)")
    parser.add_argument("--as-of", type=cli_day, metavar="YYYY-MM-DD", help="the date to show (default: today)")
    for name, example in (("persona", "persona:contractors"), ("workstream", "workstream:partnerships"),
                          ("priority", "priority:economic-well-being"), ("department", "dept:housing")):
        parser.add_argument(f"--{name}", help=f"only partners with this {name} key, e.g. {example}")
    parser.add_argument("--min-health", type=float, help="only partners with at least this health score (0-100; "
                                                        "needs --role procurement)")


def _analyse(store, args: argparse.Namespace) -> Analysis:
    return analyse(store, Role.parse(args.role), as_of=iso(args.as_of), persona=args.persona, workstream=args.workstream,
                   priority=args.priority, department=args.department, min_health=args.min_health)


def _map_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("key", nargs="?", help="for ego: the partner, post or other node at the centre")
    parser.add_argument("--hops", type=int, default=2, help="for ego: how many relationships out (default 2)")
    parser.add_argument("--out", required=True, type=Path,
                        help="FILE.html for the page; .json, .csv, .graphml or .gexf for the map's data")
    parser.add_argument("--format", choices=["html", *EXPORT_TYPES],
                        help="what to write (default: from the --out suffix); a grid's json is each dot's x, y, "
                             "quadrant, power and interest and the axes' centre, in canvas coordinates (y down)")
    parser.add_argument("--compare-from", type=cli_day, metavar="YYYY-MM-DD", help="for stakeholders and ego, with --compare-to: what was added, ended "
                                               "or changed since this date")
    parser.add_argument("--compare-to", type=cli_day, metavar="YYYY-MM-DD", help="the later date of the comparison")
    _common(parser)


@command("map", "write a stakeholder, grid, ego or policy-ownership map to an offline HTML file (or its data)",
         _map_arguments)
def map_command(args: argparse.Namespace, settings: Settings) -> int:
    fmt = args.format or args.out.suffix.lower().lstrip(".")
    if fmt not in ("html", *EXPORT_TYPES):
        raise BadRequest(f"--out must end in .html, {', '.join('.' + f for f in EXPORT_TYPES)}")
    if args.kind == "ego" and not args.key:
        raise BadRequest("an ego map needs the key of the node at its centre: graph-service map ego KEY --out FILE")
    compare = comparing(iso(args.compare_from), iso(args.compare_to), iso(args.as_of))
    if compare and args.kind not in ("stakeholders", "ego"):
        raise BadRequest("--compare-from and --compare-to work with the stakeholders and ego maps")
    with opened_store(settings) as store:
        if compare and args.kind == "ego":
            view = ego_diff(store, args.key, Role.parse(args.role), iso(args.compare_from), iso(args.compare_to), hops=args.hops)
        elif compare:
            view, _ = stakeholder_diff(store, Role.parse(args.role), iso(args.compare_from), iso(args.compare_to),
                                       persona=args.persona, workstream=args.workstream, priority=args.priority,
                                       department=args.department, min_health=args.min_health)
        elif args.kind == "ego":
            view = ego_view(ego(store, args.key, Role.parse(args.role), hops=args.hops, as_of=iso(args.as_of)))
        elif args.kind == "policy-ownership":
            view = policy_view(policy_ownership(store, as_of=iso(args.as_of)))
        else:
            analysis = _analyse(store, args)
            view = stakeholder_view(analysis) if args.kind == "stakeholders" else grid_view(analysis)
        mark_illustrative(view, illustrative_keys(store, [n.id for n in view.nodes]))  # as the served maps do
    if fmt == "html":
        text = render_html(view)
    elif fmt == "json" and view.kind == "grid":
        text = json.dumps(grid_points(view), ensure_ascii=False, indent=1)
    else:
        text = export(view, fmt)[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {view.title}, {len(view.nodes)} nodes, {len(view.edges)} links")
    if view.diff:
        print(f"  {view.diff['summary']}")
    for note in view.notes:
        print(f"  {note}")
    return 0


def _stakeholder_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the whole analysis as JSON")
    parser.add_argument("--top", type=int, default=25, help="how many partners to list (default 25)")
    _common(parser)


@command("stakeholders", "score partners' power and interest, and list brokers and communities",
         _stakeholder_arguments)
def stakeholders_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        analysis = _analyse(store, args)
    if args.json:
        print_json(analysis.to_dict())
        return 0
    print(f"{len(analysis.partners)} of {analysis.total_partners} partners as on {analysis.as_of}. {analysis.basis}")
    print_table([(round(p.power, 3), round(p.interest, 3), p.quadrant_name, p.name, p.key)
                 for p in analysis.partners[:args.top]], ["power", "interest", "quadrant", "partner", "key"])
    print("\nBrokers (bridge otherwise separate groups):")
    print_table([(round(b.betweenness, 3), b.name, b.label, ", ".join(map(str, b.communities))) for b in analysis.brokers],
                ["betweenness", "name", "label", "communities"], indent="  ")
    print("\nCommunities:")
    print_table([(c.id, c.name, c.partners, c.posts) for c in analysis.communities],
                ["community", "name", "partners", "posts"], indent="  ")
    return 0

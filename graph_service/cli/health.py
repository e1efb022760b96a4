"""Relationship health and procurement's views on the command line:

    graph-service health                      the portfolio, worst first (--json, --csv, --save)
    graph-service health GB-COH-01234567      one partner's score with its evidence
    graph-service impact GB-COH-01234567      what is hit if the partner fails
    graph-service procurement expiring        also concentration, single-points-of-failure, kraljic, commissioning

Each answers for the home council; --buyer ORG-ID for another buyer, --buyer all for every one.
"""
from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from graph_service.cli import command, opened_store, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.csv_export import SafeDictWriter
from graph_service.dates import cli_day, iso
from graph_service.answers import procurement
from graph_service.answers.policies import GENERATED
from graph_service.answers.health import snapshots
from graph_service.answers.health.report import health_report, partner_health, partner_impact, to_csv


def _as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=cli_day, metavar="YYYY-MM-DD", help="score as on this day (default: today)")
    parser.add_argument("--buyer", metavar="ORG-ID",
                        help="answer for this buyer's contracts, grants and payments (default: the home council; 'all': every buyer)")


def _health_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("partner", nargs="?", help="a partner's key: show its score and evidence")
    _as_of(parser)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print the portfolio as CSV")
    for name, what in (("persona", "persona"), ("workstream", "work-stream"), ("service", "service")):
        parser.add_argument(f"--{name}", help=f"only partners of this {what} (key or name)")
    parser.add_argument("--rating", choices=["green", "amber", "red"], help="only partners with this rating")
    parser.add_argument("--save", action="store_true",
                        help=f"keep this run as the dated snapshot in <data dir>/{snapshots.SNAPSHOT_DIR}/")


def format_partner(result: dict[str, Any]) -> list[str]:
    """A partner's score as an officer reads it: the verdict, each dimension, and the evidence behind it."""
    generated = f"  ({GENERATED})" if result["illustrative"] else ""
    lines = [f"{result['name']}  ({result['partner']})  as of {result['as_of']}{generated}", f"  {result['explanation']}"]
    change = result["change"]
    if change and not change["new"] and change["score_delta"] is not None:
        moved = ", ".join(f"{m['dimension']} {m['points']:+.2f}" for m in change["moved"]) or "nothing"
        lines.append(f"  Change since {change['since']}: {change['score_delta']:+.2f} ({moved})")
    lines.append(f"  {'dimension':12} {'sub-score':>9} {'weight':>7} {'points':>7}  why")
    for d in result["dimensions"]:
        sub = "no data" if d["sub_score"] is None else f"{d['sub_score']:.1f}"
        lines.append(f"  {d['name']:12} {sub:>9} {d['effective_weight']:>7.2f} {d['points']:>7.2f}  {d['summary']}")
        lines += [f"      - {x['fact']}  [{x['source']}: {x['locator']}; {x['key']}]" for x in d["evidence"]]
    for x in result["overrides"]:
        lines.append(f"  Capped at red: {x['message']}")
    for x in result["flags"]:
        lines.append(f"  Flag: {x['message']}")
    return lines


def format_report(report: dict[str, Any]) -> list[str]:
    counts = ", ".join(f"{n} {r}" for r, n in report["counts"].items())
    since = f"; change since {report['previous_snapshot']}" if report["previous_snapshot"] else ""
    lines = [f"Partner relationship health as of {report['as_of']} for {report['buyer']['name']}: {counts}{since}"]
    if report["saved_snapshot"]:
        lines.append(f"Saved the snapshot for {report['saved_snapshot']}.")
    rows = [(r["rank"], None if r["score"] is None else round(r["score"], 1),
             r["rating"] + (" (provisional)" if r["provisional"] else ""), f"{r['coverage']:.0%}",
             None if (r["change"] or {}).get("score_delta") is None else f"{r['change']['score_delta']:+.1f}",
             r["name"] + (" (illustrative)" if r["illustrative"] else ""), r["partner"], "; ".join(f"{d['dimension']} -{d['lost']:.1f}" for d in r["drivers"]))
            for r in report["partners"]]
    out = io.StringIO()
    print_table(rows, ["rank", "score", "rating", "coverage", "change", "partner", "key", "what costs most"], out=out)
    return lines + out.getvalue().splitlines()


@command("health", "relationship-health scores: the portfolio worst first, or one partner with its evidence",
         _health_arguments)
def health_command(args: argparse.Namespace, settings: Settings) -> int:
    directory = snapshots.snapshot_dir(settings.data_dir)
    with opened_store(settings) as store:
        if args.partner:
            result = partner_health(store, args.partner, iso(args.as_of), snapshot_dir=directory, buyer=args.buyer)
        else:
            result = health_report(store, iso(args.as_of), persona=args.persona, workstream=args.workstream,
                                   service=args.service, rating=args.rating, snapshot_dir=directory, save=args.save,
                                   buyer=args.buyer)
    if args.json:
        print_json(result)
    elif args.csv and not args.partner:
        sys.stdout.write(to_csv(result))
    else:
        print("\n".join(format_partner(result) if args.partner else format_report(result)))
    return 0


def _impact_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("partner", help="the partner's key")
    _as_of(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def format_impact(answer: dict[str, Any]) -> list[str]:
    def marked(entry: dict[str, Any]) -> str:
        return f" ({GENERATED})" if entry.get("illustrative") else ""

    def owners(entry: dict[str, Any]) -> str:
        named = [f"{o['title']} ({', '.join(h['name'] + marked(h) for h in o['holders']) or 'vacant'})"
                 for o in entry.get("owners", [])]
        return f"  owned by {'; '.join(named)}" if named else ""

    partner = answer["partner"]
    lines = [f"If {partner['name']} ({partner['key']}){marked(partner)} fails, as of {answer['as_of']}:{owners(partner)}"]
    for field, title in (("contracts", "Contracts"), ("grants", "Grants"), ("services", "Services"),
                         ("key_indicators", "Key indicators"), ("priorities", "Priorities"), ("workstreams", "Work-streams")):
        lines.append(f"  {title}: {len(answer[field]) or 'none'}")
        for entry in answer[field]:
            extra = ""
            if field == "services":
                alternatives = len(entry["alternatives"])
                extra = (" (critical)" if entry["critical"] else "") + (
                    f", {alternatives} other provider(s)" if alternatives else ", NO other provider")
            via = ", ".join(sorted({link["from"] for link in entry["via"]}))
            lines.append(f"    {entry['name']}  ({entry['key']}){marked(entry)}{extra}  via {via}{owners(entry)}")
    return lines


@command("impact", "what is hit if a partner fails: contracts, services, indicators, priorities, owners",
         _impact_arguments)
def impact_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        answer = partner_impact(store, args.partner, iso(args.as_of), buyer=args.buyer)
    if args.json:
        print_json(answer)
    else:
        print("\n".join(format_impact(answer)))
    return 0


def _procurement_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("view", choices=procurement.VIEWS)
    _as_of(parser)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print a table as CSV")


def view_rows(view: str, answer: dict[str, Any]) -> list[dict[str, Any]]:
    """A view as flat rows: what the text and CSV forms print."""
    if view == "expiring":
        return [{"window_months": c["window_months"], "end_date": c["end_date"], "days_left": c["days_left"],
                 "buyer": c["buyer"], "contract": c["contract"], "title": c["title"],
                 "value": c["value"], "value_is_ceiling": c["value_is_ceiling"],
                 "suppliers": "; ".join(s["name"] for s in c["suppliers"]), "successor_status": c["successor_status"],
                 "successors": "; ".join(s["key"] for s in c["successors"]), "illustrative": c["illustrative"]}
                for c in answer["contracts"]]
    if view == "concentration":
        return [{"buyer": s["buyer"], "service": s["service"], "name": s["name"], "critical": s["critical"],
                 "spend": s["spend"], "hhi": s["hhi"],
                 "band": s["band"], "suppliers": len(s["suppliers"]),
                 "largest": f"{s['suppliers'][0]['name']} {s['suppliers'][0]['share']:.0%}" if s["suppliers"] else "",
                 "illustrative": s["illustrative"]} for s in answer["services"]]
    if view == "single-points-of-failure":
        def resting(kind: str, entry: dict[str, Any], critical: Any, moves: list[str]) -> dict[str, Any]:
            return {"kind": kind, "of": entry["name"], "critical": critical, "partner": entry["partner_name"],
                    "share": f"{entry['share']:.0%}", "detail": f"{entry['why']}; {len(entry['alternatives'])} alternatives"
                    + "".join(f"; {m}" for m in moves), "illustrative": entry["illustrative"]}

        return ([resting("service rests on one supplier", s, s["critical"], [f"moves {i['name']}" for i in s["indicators"]])
                 for s in answer["services"]]
                + [resting("indicator rests on one supplier", i, "", [f"through {s['name']}" for s in i["services"]])
                   for i in answer["indicators"]]
                + [{"kind": "sole priority provider", "of": p["name"], "critical": "", "partner": p["partner_name"],
                    "share": "", "detail": "", "illustrative": p["illustrative"]} for p in answer["priorities"]])
    if view == "kraljic":
        return [{"position": p["position"], "partner": p["partner"], "name": p["name"], "value_per_year": p["value_per_year"],
                 "supply_risk": p["supply_risk"], "supply_risk_score": p["supply_risk_score"], "review_every_months": p["review_every_months"],
                 "last_review": p["last_review"], "next_review_due": p["next_review_due"],
                 "review_overdue": p["review_overdue"], "illustrative": p["illustrative"]} for p in answer["partners"]]
    return [{"year": y["year"], "persona": p["name"], "grant": p["grant"], "contract": p["contract"],
             "grant_share_of_year": y["grant_share"], "illustrative": y["illustrative"]}
            for y in answer["years"] for p in y["personas"]]


CSV_PAGE = 1000  # expiring contracts read a page at a time for --csv

VIEW_FUNCTIONS = {"expiring": procurement.expiring, "concentration": procurement.concentration,
                  "single-points-of-failure": procurement.single_points_of_failure, "kraljic": procurement.kraljic,
                  "commissioning": procurement.commissioning}


@command("procurement", "procurement's views: expiring contracts, spend concentration, single points of failure, "
                        "Kraljic positions, grants against contracts by year", _procurement_arguments)
def procurement_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.view == "expiring" and args.csv:  # every contract, written a page at a time
        with opened_store(settings) as store:
            writer = None
            for page in procurement.expiring_pages(store, iso(args.as_of), buyer=args.buyer, size=CSV_PAGE):
                rows = view_rows(args.view, page)
                if writer is None:
                    writer = SafeDictWriter(sys.stdout, list(rows[0]) if rows else ["none"], lineterminator="\n")
                    writer.writeheader()
                writer.writerows(rows)
        return 0
    with opened_store(settings) as store:
        answer = VIEW_FUNCTIONS[args.view](store, iso(args.as_of), buyer=args.buyer)
    if args.json:
        print_json(answer)
        return 0
    rows = view_rows(args.view, answer)
    if args.csv:
        writer = SafeDictWriter(sys.stdout, list(rows[0]) if rows else ["none"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return 0
    print(f"{args.view} as of {answer['as_of']} for {answer['buyer']['name']}: {len(rows)} row(s)")
    if rows:
        print_table(rows, list(rows[0]), indent="  ")
    if answer.get("unmapped"):
        print(f"Spend on areas graph_service/settings/services.yaml does not map: {len(answer['unmapped'])}")
        print_table([{**area, "area": area["area"] or "(no area given)"} for area in answer["unmapped"]],
                    ["buyer", "area", "spend", "payments"], indent="  ")
    return 0

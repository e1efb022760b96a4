"""`graph-service partner QUERY` finds partners; `graph-service matches` reviews uncertain matches."""
from __future__ import annotations

import argparse
import datetime as dt

from graph_service.access import audit
from graph_service.cli import command, opened_store, print_json
from graph_service.cli.table import print_table
from graph_service.config import Settings
from graph_service.errors import BadRequest
from graph_service.ingest.identifiers import normalise_identifier
from graph_service.ingest.names import normalise_name
from graph_service.ingest.resolver import CONFIRMED, REJECTED
from graph_service.queries import ask


def _partner_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="an organisation's key or identifier (org:..., GB-COH-..., GB-LAE-...), "
                        "or part of a name or alias")
    parser.add_argument("--persona", help="a persona key or name, e.g. 'Voluntary sector'")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print JSON")


@command("partner", "find partners by name, alias or identifier; one match shows its golden record", _partner_arguments)
def partner_command(args: argparse.Namespace, settings: Settings) -> int:
    query = normalise_identifier(None, args.query.strip()) or args.query  # 'gb-coh-2445189' is GB-COH-02445189
    with opened_store(settings) as store:
        profile = ask(store, "partner_profile", key=query) if args.persona is None else []
        found = [] if profile else ask(store, "partner_search", q=args.query, persona=args.persona, limit=args.limit)
        if not profile and not found and args.persona is None:  # 'HC-One Limited' for a record published as 'HC-One Ltd'
            found = _same_name(store, args.query)
        exact = [r for r in found if r["rank"] == 0]
        key = exact[0]["key"] if len(exact) == 1 else found[0]["key"] if len(found) == 1 else None
        profile = profile or (ask(store, "partner_profile", key=key) if key else [])
    if args.json:
        print_json(profile[0] if profile else found)
    elif profile:
        _print_profile(profile[0])
    else:
        if found:
            print_table([(row["key"], row["name"], ", ".join(row.get("personas") or [])) for row in found],
                        ["key", "name", "personas"])
        else:
            print(f"no partner matches {args.query!r}")
    return 0 if profile or found else 1


def _same_name(store, query: str) -> list[dict]:
    """Organisations one of whose names is the query's name in another spelling, as search rows."""
    wanted = normalise_name(query)
    if not wanted:
        return []
    [term] = ask(store, "resolver_candidates", terms=[{"key": "n:" + wanted, "cap": None}])  # its match keys
    return [{"key": o["key"], "name": o["name"], "org_type": o["org_type"], "identifiers": o["identifiers"], "rank": 0}
            for o in term["organisations"]]


def _print_profile(p: dict) -> None:
    print(f"{p['name']}  ({p['key']})")
    for label, values in (("identifiers", p["identifiers"]), ("personas", p["personas"])):
        if values:
            print(f"  {label}: {', '.join(values)}")
    for alias in p["aliases"]:
        where = "; ".join(f"{s['source']} {s['locator']}" for s in alias["sources"])
        print(f"  also published as {alias['name']!r}" + (f" ({where})" if where else ""))
    for c in p["contracts"]:
        print(f"  {c['role']:9} {c['title']} ({c['key']}) {c['start_date'] or ''}..{c['end_date'] or ''}")
    for g in p["grants"]:
        print(f"  {g['role']:9} {g['title']} ({g['key']}) {g['amount'] or ''} {g['award_date'] or ''}")
    for c in p["charters"]:
        print(f"  party to  {c['name']} ({c['status'] or 'status unknown'})")
    today = dt.date.today().isoformat()
    for h in p["relationship_holders"]:
        current = [person for person in h["holders"] if not person["valid_to"] or person["valid_to"] > today]
        people = ", ".join(person["name"] for person in current) or "vacant"
        print(f"  relationship held by {h['title']}: {people}")
    spend = p["spending"]
    print(f"  payments to it: {spend['paid_to']['payments']} totalling {spend['paid_to']['total']:,.2f}")
    if spend["paid_by"]["payments"]:  # a paying body: the council, or another that published its spend
        print(f"  payments made by it: {spend['paid_by']['payments']} totalling {spend['paid_by']['total']:,.2f}")
    for m in p["matches"]:
        print(f"  {m['status']} match {m['id']}: {m['other_name']} ({m['other']}): {m['reason']}")


def _matches_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", default="list", choices=["list", CONFIRMED[:-2], REJECTED[:-2]],
                        help="list (default), confirm or reject")
    parser.add_argument("id", nargs="?", help="the match id (m-...) to confirm or reject")
    parser.add_argument("--status", default="pending", choices=["pending", CONFIRMED, REJECTED, "all"])
    parser.add_argument("--json", action="store_true", help="print JSON")


@command("matches", "list uncertain golden-record matches, or confirm or reject one", _matches_arguments)
def matches_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.action != "list" and not args.id:
        raise BadRequest(f"'matches {args.action}' needs the match id")
    with opened_store(settings) as store:
        if args.action == "list":
            rows = ask(store, "possible_matches", status=None if args.status == "all" else args.status)
        else:
            status = CONFIRMED if args.action == "confirm" else REJECTED
            rows = [audit.decide_match(store, settings.data_dir, audit.command_line_actor(), "cli", args.id, status,
                                       f"graph-service matches {args.action} {args.id}")]
    if args.json:
        print_json(rows)
        return 0
    if rows:
        print_table([(m["id"], m["status"], m["score"], f"{m['start_name']} ({m['start']})", f"{m['end_name']} ({m['end']})",
                      m["reason"]) for m in rows], ["id", "status", "score", "record", "may be the same as", "why"])
    else:
        print(f"no {args.status} matches")
    return 0

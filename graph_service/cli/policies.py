"""Policy commands: find a policy and its owners, a post's handover list, accountability gaps."""
from __future__ import annotations

import argparse

from graph_service.dates import cli_day, iso, shown
from graph_service.answers import policies
from graph_service.cli import cite, command, opened_store, print_json
from graph_service.config import Settings
from graph_service.records import FactSource

LABEL_WIDTH = 21


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=cli_day, metavar="YYYY-MM-DD", help="judge review dates and vacancies on this day (default: today)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _line(label: str, text: str, provenance: FactSource | None = None) -> str:
    cited = f"  {cite(provenance)}" if provenance else ""
    return f"  {label + ':':{LABEL_WIDTH}} {text}{cited}"


def _cited(answer: policies.Policy, field: str) -> FactSource:
    """Where the document states one of the policy's facts: its own line when recorded, else the policy's."""
    locator = answer.citations.get(field)
    return FactSource(**{**answer.provenance.model_dump(include={"source", "locator", "illustrative"}),
                         **({"locator": locator} if locator else {})})


def format_policy(answer: policies.Policy) -> list[str]:
    """A policy answer as the lines an officer reads, each fact followed by its source."""
    heading = f"{answer.title}  ({answer.key})"
    if isinstance(answer, policies.PolicyMatch):
        heading += f"  matched {answer.matched.field} \"{answer.matched.text}\", score {answer.score}"
    prov = answer.provenance
    where = answer.document_location or "not recorded"
    if answer.section:
        where += f", section {answer.section}"
    review = answer.review
    lines = [heading, _line("Lives at", where, prov)]
    for label, field, value in (("Produced", "produced_on", shown(answer.produced_on)),
                                ("Published", "published_on", shown(answer.published_on)),
                                ("Last version", "last_version_on", shown(answer.last_version_on)),
                                ("Version", "version", answer.version or "not recorded")):
        if value:
            lines.append(_line(label, value, _cited(answer, field)))
    if answer.period:
        ended = f": ended at the end of {shown(answer.period_end)}" if answer.period_ended else ""
        lines.append(_line("Period", f"{answer.period}{ended}", _cited(answer, "period")))
    lines.append(_line("Review", f"{review.shown or '-'}: {review.label}",
                       _cited(answer, "review_date") if review.date else None))
    if answer.values:
        lines.append(_line("Values", "; ".join(answer.values), _cited(answer, "values")))
    for field in policies.ROLE_FIELDS.values():
        label = field.replace("_", " ").capitalize()
        owners = answer.owners(field) or [None]
        for owner in owners:
            if owner is None:
                lines.append(_line(label, "none recorded"))
            else:
                lines.append(_line(label, f"{owner.title}: {policies.holder_summary(owner)}", owner.provenance))
    for label, field in (("Approved by", "approved_by"), ("Associated document", "associated_documents"),
                         ("Supports priority", "priorities")):
        for link in getattr(answer, field) or [None]:
            lines.append(_line(label, "none recorded") if link is None else _line(label, link.name, link.provenance))
    return lines


def _policy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="title, alias, acronym (MTFS) or keyword; typos are tolerated")
    parser.add_argument("--limit", type=int, default=3, help="how many matches to show (default 3)")
    _common(parser)


@command("policy", "where a policy lives and who owns it (typo-tolerant search)", _policy_arguments)
def policy_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        results = policies.find_policies(store, args.query, limit=args.limit, as_of=iso(args.as_of))
    if args.json:
        print_json(results)
    elif not results:
        print(f"No policy matches {args.query!r}.")
    else:
        print("\n\n".join("\n".join(format_policy(answer)) for answer in results))
    return 0 if results else 1


def _holdings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("post", metavar="POST_KEY", help="e.g. post:chief-executive")
    _common(parser)


@command("holdings", "everything a post owns, sponsors or manages: the handover list", _holdings_arguments)
def holdings_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        answer = policies.get_holdings(store, args.post, as_of=iso(args.as_of))
    if args.json:
        print_json(answer)
        return 0
    departments = ", ".join(d.name for d in answer.departments)
    print(f"{answer.title}  ({answer.post}){'  in ' + departments if departments else ''}")
    print(f"  {policies.holder_summary(answer)}")
    if not answer.holdings:
        print("  holds nothing")
    category = None
    for held in answer.holdings:
        if held.category != category:
            category = held.category
            print(f"  {category.capitalize()}:")
        print(f"    {held.role} of {held.name} ({held.key})  {cite(held.provenance)}")
    if answer.ended:
        print(f"  ({len(answer.ended)} earlier holdings have ended; --json lists them)")
    return 0


@command("gaps", "accountability gaps: missing or vacant owners, overdue reviews, unverified records", _common)
def gaps_command(args: argparse.Namespace, settings: Settings) -> int:
    with opened_store(settings) as store:
        report = policies.accountability_gaps(store, verify_after_days=settings.verify_after_days,
                                              as_of=iso(args.as_of))
    if args.json:
        print_json(report)
        return 0
    print(f"Accountability gaps on {report.as_of}: {len(report.gaps)}")
    reason = None
    for gap in report.gaps:
        if gap.reason != reason:
            reason = gap.reason
            print(f"\n{gap.reason_text.capitalize()} ({report.counts[reason]}):")
        marker = f"  ({policies.GENERATED})" if gap.illustrative else ""
        print(f"  {gap.kind} {gap.name} ({gap.key}): {gap.detail}{marker}")
    return 0

"""Governance commands: initiatives against the top priorities, approval routes, commissioning
decisions against the three criteria, key-indicator coverage."""
from __future__ import annotations

import argparse
from typing import Any, Callable

from graph_service.dates import cli_day
from graph_service.answers import governance
from graph_service.answers.policies import GENERATED
from graph_service.cli import command, opened_store, print_json
from graph_service.config import Settings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=cli_day, metavar="YYYY-MM-DD",
                        help="the graph as it stood on this date")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _with_initiative(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("initiative", help="the initiative's key, e.g. initiative:customer-golden-record")
    _common(parser)


def _ask(settings: Settings, question: Callable[..., Any], args: argparse.Namespace, *params: Any) -> Any:
    with opened_store(settings) as store:
        return question(store, *params, args.as_of.isoformat() if args.as_of else None)


def _generated(provenance) -> str:
    return f"  ({GENERATED})" if provenance.illustrative else ""


def _citation(cited: governance.Citation) -> str:
    return f"{cited.source}, {cited.section}, line {cited.line}"


@command("initiatives", "list initiatives: PID status, funding, alignment and next approval step", _common)
def initiatives_command(args: argparse.Namespace, settings: Settings) -> int:
    overview = _ask(settings, governance.initiatives_overview, args)
    if args.json:
        print_json(overview)
        return 0
    for item in overview:
        served = ", ".join(item.priorities_served) or "NO TOP PRIORITY"
        standing = "approved" if item.complete else f"next: {', '.join(item.next) or 'funding need to be recorded'}"
        print(f"{item.initiative}  {item.name}{_generated(item.provenance)}")
        print(f"  {item.pid_status or 'no PID'}; funding: {item.funding or 'not recorded'}; stage: {item.stage or '-'}")
        print(f"  serves: {served}; {standing}")
        for issue in item.issues:
            print(f"  ! {issue}")
    return 0


def _print_alignment(report: governance.Alignment) -> None:
    print(f"{report.initiative}  {report.name}")
    if report.flag:
        print(f"  UNALIGNED: {report.flag.message}")
        print(f"  ({report.flag.text} {_citation(report.flag.citation)})")
    for priority in report.priorities:
        print(f"  serves {priority.priority} ({priority.name})")
        for path in priority.paths:
            print(f"    via {path.via}:")
            for step in path.steps:
                prov = step.provenance
                print(f"      {step.from_.key} -{step.type}-> {step.to.key}"
                      f"   [{prov.source}; {prov.locator}{'; illustrative' if prov.illustrative else ''}]")


@command("alignment", "which top priorities an initiative serves, by which path, with provenance", _with_initiative)
def alignment_command(args: argparse.Namespace, settings: Settings) -> int:
    report = _ask(settings, governance.initiative_alignment, args, args.initiative)
    if args.json:
        print_json(report)
    else:
        _print_alignment(report)
    return 0


@command("unaligned", "initiatives linked to none of the top priorities", _common)
def unaligned_command(args: argparse.Namespace, settings: Settings) -> int:
    reports = _ask(settings, governance.unaligned_initiatives, args)
    if args.json:
        print_json(reports)
        return 0
    rule = governance.rule("alignment")
    print(f"{rule.text} ({_citation(rule.citation)})")
    for report in reports:
        print(f"  {report.initiative}  {report.name}")
    if not reports:
        print("  every initiative is linked to a top priority")
    return 0


@command("approval-route", "the approval steps the New Normal Strategy sets for an initiative, and where it stands",
         _with_initiative)
def approval_route_command(args: argparse.Namespace, settings: Settings) -> int:
    route = _ask(settings, governance.initiative_route, args, args.initiative)
    if args.json:
        print_json(route)
        return 0
    print(f"{route.initiative}  {route.name}")
    when = route.route.when if route.route else "not yet known"
    print(f"  funding: {route.funding or 'not recorded'}; route: {when}")
    for step in route.steps:
        mark = "done" if step.done else "NEXT" if step.step in route.next else "    "
        waiting = f"; awaiting {' and '.join(b.name for b in step.awaiting)}" if step.evidence and step.awaiting else ""
        print(f"  [{mark:4}] {step.what}  ({_citation(step.citation)}{waiting})")
    for approval in route.other_approvals:
        print(f"  also approved by {approval.name} ({approval.key}), which is not on this route")
    for issue in route.issues:
        print(f"  ! {issue}")
    return 0


def _decision_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--flagged", action="store_true", help="only decisions missing a criterion")
    _common(parser)


@command("commissioning-decisions", "commissioning decisions checked for resilience, quality and cost on every option",
         _decision_arguments)
def commissioning_decisions_command(args: argparse.Namespace, settings: Settings) -> int:
    decisions = [d for d in _ask(settings, governance.decisions_review, args) if d.flag or not args.flagged]
    if args.json:
        print_json(decisions)
        return 0
    rule = governance.rule("commissioning")
    print(f"{rule.text} ({_citation(rule.citation)})")
    for decision in decisions:
        print(f"{'!' if decision.flag else ' '} {decision.decision}  {decision.title}{_generated(decision.provenance)}")
        for option in decision.options:
            chosen = " (chosen)" if option.option == decision.chosen_option else ""
            print(f"    {option.option or '-'}{chosen}: " + "; ".join(
                f"{c}: {getattr(option, c) or 'NOT RECORDED'}" for c in governance.CRITERIA_FIELDS))
        for issue in decision.issues:
            print(f"    ! {issue}")
    return 0


@command("indicator-coverage", "key indicators per top priority, and whether the set stays within 15-20", _common)
def indicator_coverage_command(args: argparse.Namespace, settings: Settings) -> int:
    report = _ask(settings, governance.indicators_coverage, args)
    if args.json:
        print_json(report)
        return 0
    print(f"{report.rule.text} ({_citation(report.rule.citation)})")
    generated = f"; {report.illustrative_indicators} of them {GENERATED}" if report.illustrative_indicators else ""
    print(f"  {report.indicators} key indicators ({report.size}: the Framework asks for "
          f"{report.range.min}-{report.range.max}{generated})")
    for priority in report.priorities:
        made = sum(i.illustrative for i in priority.indicators)
        print(f"  {priority.count:3}  {priority.priority}  {priority.name}"
              f"{'   <- no key indicator' if not priority.count else ''}"
              f"{f'   ({made} {GENERATED})' if made else ''}")
    for indicator in report.indicators_without_priority:
        print(f"  measures no top priority: {indicator.indicator}  {indicator.name}"
              f"{f'  ({GENERATED})' if indicator.illustrative else ''}")
    return 0

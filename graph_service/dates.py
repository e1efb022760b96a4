"""The one date type: a `datetime.date`, parsed once where a date enters (a CLI option, a query
parameter) so that nothing further in may meet garbage. The store keeps ISO strings, which sort as
dates do, so `iso()` is how a parsed day is handed to a query."""
from __future__ import annotations

import argparse
import datetime as dt

from graph_service.errors import BadRequest

Day = dt.date


def parse_day(value: str | dt.date | None, name: str = "date") -> Day | None:
    """An ISO date (YYYY-MM-DD), or None for no value; anything else is a BadRequest naming the option."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(f"{name} must be a date as YYYY-MM-DD, not {value!r}", field=name) from None


def cli_day(text: str) -> Day:
    """argparse `type=` for a date option: a bad date becomes argparse's one-line error and exit 2."""
    try:
        return parse_day(text)
    except BadRequest:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def iso(day: Day | None) -> str | None:
    return day.isoformat() if day else None

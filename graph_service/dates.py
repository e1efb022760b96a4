"""The one date type: a `datetime.date`, parsed once where a date enters (a CLI option, a query
parameter, a page's form) so that nothing further in may meet garbage. The store keeps ISO strings,
which sort as dates do, so `iso()` is how a parsed day is handed to a query.

People read and type dates the British way: pages show `1 December 2026` (`long_date`) and accept
that, `01/12/2026` or ISO; never the American month first. A browser's own date picker shows its
locale's order, so pages use a text field with a hint (`DATE_HINT`) instead."""
from __future__ import annotations

import argparse
import datetime as dt
import re

from graph_service.errors import BadRequest

Day = dt.date

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
FORMS = "YYYY-MM-DD, DD/MM/YYYY or 1 December 2026"
DATE_HINT = "For example, 1 December 2026 or 01/12/2026"
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")


def _month(word: str) -> int | None:
    """A month's number from its name or its first three letters or more ('Dec', 'Sept')."""
    found = [i for i, name in enumerate(MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _parse(text: str) -> Day:
    if match := _SLASHED.fullmatch(text):  # day first, always
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)
    if match := _WORDS.fullmatch(text.lower()):
        month = _month(match.group(2))
        if month is None:
            raise ValueError(text)
        return dt.date(int(match.group(3)), month, int(match.group(1)))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def parse_day(value: str | dt.date | None, name: str = "date") -> Day | None:
    """A date as ISO, DD/MM/YYYY or `1 December 2026`, or None for no value; anything else (a day that
    does not exist, a month first) is a BadRequest naming the option."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return _parse(" ".join(value.split()))
    except ValueError:
        raise BadRequest(f"{name} must be a date as {FORMS}, not {value!r}", field=name) from None


def cli_day(text: str) -> Day:
    """argparse `type=` for a date option: a bad date becomes argparse's one-line error and exit 2."""
    try:
        return parse_day(text)
    except BadRequest:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as {FORMS}") from None


def iso(day: Day | None) -> str | None:
    return day.isoformat() if day else None


def long_date(value: str | Day | None) -> str:
    """`1 December 2026` for a day or an ISO date (a longer ISO timestamp shows its day); '' for none.
    A value that is not a date is shown as it is rather than hidden."""
    if not value:
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1].capitalize()} {day.year}"


def short_date(value: str | Day | None) -> str:
    """`01/12/2026`, for tables and form fields; '' for none."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return day.strftime("%d/%m/%Y")

"""The one date type: a `datetime.date`, parsed once where a date enters (a CLI option, a query
parameter, a page's form) so that nothing further in may meet garbage. The store keeps ISO strings,
which sort as dates do, so `iso()` is how a parsed day is handed to a query.

People read and type dates the British way: pages show `1 December 2026` (`long_date`) and accept
that, `01/12/2026` or ISO; never the American month first. A browser's own date picker shows its
locale's order, so pages use a text field with a hint (`DATE_HINT`) instead.

A document may give less than a day ("Date for Review May 2020"): `DocDate` keeps the precision it
gives, stored as reduced ISO 8601 (`2020-05`, `2020`), never as an invented first of the month. It
is due by its last day (`last`) and has surely happened by then; it is shown as written ("May 2020")."""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from graph_service.errors import BadRequest

Day = dt.date
Precision = Literal["day", "month", "year"]
_REDUCED = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
_RANK = {"year": 0, "month": 1, "day": 2}
# "2017/18 to 2021/22": a financial year, which ends on 31 March of its second year
_PERIOD_END = re.compile(r"(?:to|-|–)\s*(?P<year>\d{4})(?:/(?P<fy>\d{2}))?\s*$")

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
FORMS = "YYYY-MM-DD, DD/MM/YYYY or 1 December 2026"
DATE_HINT = "For example, 1 December 2026 or 01/12/2026"
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")  # day first, always
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4})")  # [12th] Feb[.][,] 2019


def _month(word: str) -> int | None:
    """A month's number from its name or its first three letters or more ('Dec', 'Sept')."""
    found = [i for i, name in enumerate(MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def read_date(text: str, precision: Precision) -> "DocDate":
    """The one reader of a written date, British way round: `12 February 2019`, `12th Feb. 2019`, `12/02/2019`,
    `12.02.2019` or ISO, a month (`May 2020`, `2020-05`) or a year; case and spacing do not matter. ValueError
    when it is no date, names a day that does not exist, or is less precise than `precision` needs."""
    cleaned = " ".join(text.lower().split()).rstrip(".")
    if found := _NUMERIC.fullmatch(cleaned):
        day, month, year = map(int, found.groups())
        when = DocDate(year, month, day)
    elif found := _ISO.fullmatch(cleaned):
        when = DocDate(int(found[1]), int(found[2]), int(found[3]) if found[3] else None)
    elif found := _WORDS.fullmatch(cleaned):
        month = _month(found[2])
        if month is None:
            raise ValueError(text)
        when = DocDate(int(found[3]), month, int(found[1]) if found[1] else None)
    elif re.fullmatch(r"\d{4}", cleaned):
        when = DocDate(int(cleaned))
    else:
        raise ValueError(text)
    if _RANK[when.precision] < _RANK[precision]:
        raise ValueError(f"{text!r} is less precise than a {precision}")
    return when


def parse_day(value: str | dt.date | None, name: str = "date") -> Day | None:
    """A date as ISO, DD/MM/YYYY or `1 December 2026`, or None for no value; anything else (a day that
    does not exist, a month first) is a BadRequest naming the option."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return read_date(value, "day").first
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


@dataclass(frozen=True)
class DocDate:
    """A date as precise as its document: a day, a month or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        dt.date(self.year, self.month or 1, self.day or 1)  # refuses 2020-13 and 2019-02-30
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first(self) -> Day:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> Day:
        """The last day it may mean: a review due "May 2020" is due by 31 May 2020."""
        if self.day:
            return self.first
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """Reduced ISO 8601: 2019-02-12, 2020-05 or 2020, as the store keeps it."""
        return self.first.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.precision]]

    def shown(self) -> str:
        """As a reader writes it: "12 February 2019", "May 2020", "2020"."""
        if self.precision == "day":
            return f"{self.day} {self.first:%B %Y}"
        return f"{self.first:%B %Y}" if self.month else str(self.year)

    @classmethod
    def of(cls, value: "str | dt.date | DocDate") -> "DocDate":
        """From a stored value (reduced ISO, or a date); ValueError if it is neither."""
        if isinstance(value, DocDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        found = _REDUCED.match(str(value).strip())
        if not found:
            raise ValueError(f"{value!r} is not a date as YYYY-MM-DD, YYYY-MM or YYYY")
        return cls(int(found["year"]), *(int(found[p]) if found[p] else None for p in ("month", "day")))

    @classmethod
    def from_text(cls, text: str) -> "DocDate | None":
        """A date as a document writes it: "12 February 2019", "12th Feb 2019", "May 2020", ISO or dd/mm/yyyy."""
        try:
            return read_date(text, "year")
        except ValueError:
            return None


def shown(value: str | dt.date | None) -> str | None:
    """A stored date as a reader writes it; None stays None, and text that is no date is shown as it is."""
    if value is None or value == "":
        return None
    try:
        return DocDate.of(value).shown()
    except ValueError:
        return str(value)


def due_by(value: str | dt.date) -> Day:
    """The last day a stored date may mean (2020-05 -> 2020-05-31)."""
    return DocDate.of(value).last


def period_end(period: str | None) -> DocDate | None:
    """When a plan's period ends: "2015 to 2020" -> 2020 (by 31 December), "2017/18 to 2021/22" -> March 2022
    (the financial year's end); None when the period names no end year."""
    found = _PERIOD_END.search(period or "")
    if not found:
        return None
    year = int(found["year"])
    return DocDate(year + 1, 3) if found["fy"] else DocDate(year)


def long_date(value: str | Day | None) -> str:
    """`1 December 2026` for a day or an ISO date (a longer ISO timestamp shows its day), `May 2020` for a
    month; '' for none. A value that is not a date is shown as it is rather than hidden."""
    if not value:
        return ""
    return shown(value if isinstance(value, dt.date) else str(value)[:10]) or ""


def short_date(value: str | Day | None) -> str:
    """`01/12/2026` for a day, for tables and form fields; a month or year as `long_date` shows it ("May 2020");
    '' for none, and text that is no date as it is."""
    if not value:
        return ""
    try:
        when = DocDate.of(value if isinstance(value, dt.date) else str(value)[:10])
    except ValueError:
        return str(value)
    return when.first.strftime("%d/%m/%Y") if when.precision == "day" else when.shown()

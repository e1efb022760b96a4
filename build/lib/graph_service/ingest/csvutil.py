"""Reading the CSVs councils really publish: unknown encodings, stray lines, loose headers, odd dates.

Everything here turns one messy cell or file into a plain value, or says it cannot.
The format readers decide what a value means.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Iterator

from graph_service.errors import UnreadableInput

MISSING = {"", "na", "n/a", "n.a.", "null", "none", "-", "redacted", "not applicable", "withheld"}
HEADER_SEARCH_ROWS = 10  # a title line or two may stand above the header


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 (with or without BOM), UTF-16 (BOM) or Windows-1252.

    A file that is not valid UTF-8 is almost always Windows-1252 (Excel's default on a
    council PC: the pound sign as byte 0xA3); charset-normalizer decides the rest.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def header_name(text: str) -> str:
    """A header cell reduced to letters and digits, so 'Amount (£)', 'AMOUNT' and 'amount �' agree."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank row with the line it starts on; bare CR line endings are accepted."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise UnreadableInput(f"{path.name}: this is a binary file, not a CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableInput(f"{path.name}: line {reader.line_num}: not valid CSV: {exc}") from exc


def find_header(rows: list[tuple[int, list[str]]], known: set[str], minimum: int = 2) -> int | None:
    """The index of the first row, near the top, with at least `minimum` recognised column names."""
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(header_name(cell) in known for cell in row) >= minimum:
            return index
    return None


def map_columns(header: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> column index, from the first header matching any of the field's synonyms.

    Synonyms are compared in header_name form; a field listed earlier wins a shared column.
    Columns with an empty header (spurious trailing commas) are never used.
    """
    names = [header_name(cell) for cell in header]
    columns: dict[str, int] = {}
    taken: set[int] = set()
    for field, options in synonyms.items():
        for option in options:
            hits = [i for i, name in enumerate(names) if name and name == option and i not in taken]
            if hits:
                columns[field] = hits[0]
                taken.add(hits[0])
                break
    return columns


def cell(row: list[str], columns: dict[str, int], field: str) -> str | None:
    """The stripped cell for a field, or None when the column is absent or the value is missing."""
    index = columns.get(field)
    if index is None or index >= len(row):
        return None
    value = row[index].replace("\xa0", " ").strip()
    return None if value.lower() in MISSING else value


# -- values --------------------------------------------------------------------------------------
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y",
                 "%d %b %y", "%Y/%m/%d", "%d/%b/%Y", "%d-%B-%Y")


def parse_date(text: str | None) -> dt.date | None:
    """dd/mm/yyyy, dd/mm/yy, dd-Mon-yy, '6 Jun 2023', ISO dates and date-times; None if empty.

    Raises ValueError for a value that is there but is no date, so the row is rejected
    with the reason rather than stored without it.
    """
    if text is None:
        return None
    value = str(text).strip()
    if not value or value.lower() in MISSING:
        return None
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", value)
    if iso:
        return dt.date.fromisoformat(iso.group(1))
    value = re.sub(r"\s+00:00(:00)?$", "", value)  # Excel's midnight on a plain date
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date this reader knows (dd/mm/yyyy, dd-Mon-yy, 6 Jun 2023, ISO)")


def parse_amount(text: str | None) -> float | None:
    """'1,708.75', '£1,708.75', '-203.01', '(203.01)', '203.01 CR' -> float; None if empty/redacted/NA.

    Raises ValueError for text that is not an amount.
    """
    if text is None:
        return None
    value = text.replace("\xa0", " ").strip()
    if value.lower() in MISSING:
        return None
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.upper().endswith("CR"):
        negative, value = True, value[:-2]
    value = re.sub(r"^[^\d\-+.]+", "", value.strip())  # a currency sign, whatever byte it became
    value = value.replace(",", "").replace(" ", "")
    if value.endswith("-"):  # some ledgers put the sign last
        negative, value = True, value[:-1]
    try:
        amount = float(value)
    except ValueError:
        raise ValueError(f"{text!r} is not an amount") from None
    return -abs(amount) if negative else amount


class Values:
    """Parses one record's cells, keeping the first problem (field, reason) for the record's rejection."""

    def __init__(self) -> None:
        self.problem: tuple[str, str] | None = None

    def _note(self, field: str, exc: ValueError) -> None:
        self.problem = self.problem or (field, str(exc))

    def date(self, field: str, text: str | None) -> dt.date | None:
        try:
            return parse_date(text)
        except ValueError as exc:
            self._note(field, exc)
            return None

    def amount(self, field: str, text: str | float | int | None) -> float | None:
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            return float(text)
        try:
            return parse_amount(text)
        except ValueError as exc:
            self._note(field, exc)
            return None

    def require(self, field: str, value: object, reason: str) -> None:
        if value in (None, ""):
            self.problem = self.problem or (field, reason)

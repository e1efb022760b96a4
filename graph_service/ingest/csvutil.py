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
from collections import Counter
from pathlib import Path
from typing import Iterator, NamedTuple

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


MAX_COLUMNS = 1000  # the widest real file has ~40; 10,000 columns is an attack, refused at its first row
MAX_FIELD = csv.field_size_limit()  # 131,072 characters
MAX_LINE = 4 * 1024 * 1024  # characters in one physical line
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024  # xlrd reads a workbook whole: BIFF has no streaming reader
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 (BIFF8) workbook's first bytes


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 is read as Windows-1252 (Latin-1 for its five undefined bytes), line by line,
    so a UTF-8 file with one Excel-typed pound sign still reads."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("graph-service-cp1252", _cp1252_fallback)


class Row(NamedTuple):
    line: int  # the line (or spreadsheet row) the record starts on
    cells: list[str]
    terminated: bool  # False for a CSV record whose last line has no line ending: the file may be cut short


def is_workbook(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(OLE2)) == OLE2
    except OSError:
        return False


def rows(path: Path) -> Iterator[Row]:
    """Every non-blank record of a CSV file (streamed) or of the first sheet of a real .xls workbook.

    Comma-only rows are yielded too (all cells blank) so that a reader can count them; lines with
    nothing at all are not. Bounded: MAX_COLUMNS cells, MAX_FIELD characters a cell, MAX_LINE a line.
    """
    if is_workbook(path):
        yield from _workbook_rows(path)
        return
    try:
        binary = path.open("rb")
    except OSError as exc:
        raise UnreadableInput(f"{path.name}: could not be read: {exc.strerror or exc}") from exc
    with binary:
        head = binary.read(2)
        binary.seek(0)
        utf16 = head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        text = io.TextIOWrapper(binary, encoding="utf-16" if utf16 else "utf-8-sig",
                                errors="strict" if utf16 else "graph-service-cp1252", newline="")
        state = {"terminated": True}

        def lines() -> Iterator[str]:
            while True:
                try:
                    line = text.readline(MAX_LINE)
                except UnicodeDecodeError as exc:
                    raise UnreadableInput(f"{path.name}: not readable as UTF-16 text: {exc}") from exc
                if not line:
                    return
                state["terminated"] = line.endswith(("\n", "\r"))
                if not state["terminated"] and len(line) >= MAX_LINE:
                    raise UnreadableInput(f"{path.name}: a line longer than {MAX_LINE:,} characters; not a CSV this "
                                          "service reads")
                if "\x00" in line:
                    raise UnreadableInput(f"{path.name}: this is a binary file, not a CSV")
                yield line

        reader = csv.reader(lines(), delimiter=_delimiter(path, "utf-16" if utf16 else "utf-8-sig"))
        line = 1
        try:
            for cells in reader:
                if len(cells) > MAX_COLUMNS:
                    raise UnreadableInput(f"{path.name}: line {line}: {len(cells):,} columns; more than {MAX_COLUMNS} "
                                          "is not a file this service reads")
                if cells:
                    yield Row(line, cells, state["terminated"])
                line = reader.line_num + 1
        except csv.Error as exc:
            reason = (f"a field longer than {MAX_FIELD:,} characters" if "field larger" in str(exc)
                      else f"not valid CSV: {exc}")
            raise UnreadableInput(f"{path.name}: line {reader.line_num}: {reason}") from exc


DELIMITERS = (",", ";", "\t")
SNIFF = 64 * 1024  # characters of a file its delimiter is told from


def _delimiter(path: Path, encoding: str) -> str:
    """',' unless ';' or a tab splits the opening lines into more columns (header rows are the widest)."""
    try:
        with path.open(encoding=encoding, errors="graph-service-cp1252", newline="") as f:
            opening = f.read(SNIFF)
    except (OSError, UnicodeError):
        return ","
    lines = [line for line in re.split(r"\r\n|\r|\n", opening)[:50] if line.strip()]

    def steadiness(delimiter: str) -> tuple[int, int, bool]:
        """How many lines split into the same number of columns, and how many that is."""
        counts = Counter(n for n in (line.count(delimiter) for line in lines) if n)
        if not counts:
            return 0, 0, delimiter == ","
        width, agreeing = counts.most_common(1)[0]
        return agreeing, width, delimiter == ","

    return max(DELIMITERS, key=steadiness)


def _workbook_rows(path: Path) -> Iterator[Row]:
    """The first sheet with data of an Excel 97-2003 workbook, cells as the text a CSV export would hold."""
    import xlrd

    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise UnreadableInput(f"{path.name}: an Excel workbook over {MAX_WORKBOOK_BYTES // 2**20} MB; save it as CSV")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        sheet = next((book.sheet_by_index(i) for i in range(book.nsheets) if book.sheet_by_index(i).nrows), None)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, KeyError, IndexError) as exc:
        raise UnreadableInput(f"{path.name}: not a readable Excel workbook: {exc}") from exc
    if sheet is None:
        return
    if sheet.ncols > MAX_COLUMNS:
        raise UnreadableInput(f"{path.name}: {sheet.ncols:,} columns; more than {MAX_COLUMNS} is not a file this "
                              "service reads")
    for index in range(sheet.nrows):
        cells = [_workbook_cell(c, book.datemode) for c in sheet.row(index)]
        if any(c.strip() for c in cells):
            yield Row(index + 1, cells, True)


def _workbook_cell(c, datemode: int) -> str:
    import xlrd

    if c.ctype == xlrd.XL_CELL_NUMBER:
        return str(int(c.value)) if float(c.value).is_integer() else repr(c.value)
    if c.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(c.value, datemode).date().isoformat()
    if c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(c.value)


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every row with some content, with the line it starts on; bare CR line endings are accepted."""
    for row in rows(path):
        if any(cell.strip() for cell in row.cells):
            yield row.line, row.cells


def find_header(rows: list[tuple[int, list[str]]], known: set[str], minimum: int = 2) -> int | None:
    """The index of the first row, near the top, with at least `minimum` recognised column names."""
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(header_name(cell) in known for cell in row) >= minimum:
            return index
    return None


def header_names(header: list[str]) -> list[str]:
    """Each header cell in header_name form; a repeated name gets its occurrence ('accountcode2')."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for text in header:
        name = header_name(text)
        seen[name] = seen.get(name, 0) + 1
        names.append(f"{name}{seen[name]}" if name and seen[name] > 1 else name)
    return names


def map_columns(header: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> column index, from the first header matching any of the field's synonyms.

    Synonyms are compared in header_name form; a field listed earlier wins a shared column.
    Columns with an empty header (spurious trailing commas) are never used.
    """
    names = header_names(header)
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


EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
EXCEL_SERIALS = range(20000, 80000)  # 1954 to 2119: a bare number in a date column in this range is a serial date
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{2}|\d{4})$")
_MONTH = re.compile(r"^([A-Za-z]{3,9})[ -]'?(\d{4}|\d{2})$")


def parse_date(text: str | None, month_first: bool = False) -> dt.date | None:
    """dd/mm/yyyy, dd/mm/yy, dd.mm.yyyy, dd-Mon-yy, '6 Jun 2023', ISO dates and date-times, Excel serial
    numbers (43525); None if empty. `month_first` reads 10/17/2009 as a US file writes it.

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
    serial = re.fullmatch(r"(\d{5})(?:\.0+)?", value)
    if serial and int(serial.group(1)) in EXCEL_SERIALS:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1)))
    value = re.sub(r"\s+00:00(:00)?$", "", value)  # Excel's midnight on a plain date
    numeric = _NUMERIC_DATE.match(value)
    if numeric and month_first:
        first, _, second, year = numeric.groups()
        value = f"{second}/{first}/{year}"
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if numeric and not month_first and int(numeric.group(1)) <= 12 < int(numeric.group(3)) <= 31:
        raise ValueError(f"{text!r} reads only as month/day/year; dates are read day first unless the whole file "
                         "writes the month first (no date with a day over 12 in the first place)")
    raise ValueError(f"{text!r} is not a date this reader knows (dd/mm/yyyy, dd-Mon-yy, 6 Jun 2023, ISO)")


def parse_month(text: str | None) -> str | None:
    """'Sep 2014', 'September 2014' or 'Sep-14' -> '2014-09' (a month, when a file gives no day); else None."""
    match = _MONTH.match((text or "").strip())
    if not match:
        return None
    name, year = match.groups()
    for fmt in ("%b", "%B"):
        try:
            month = dt.datetime.strptime(name[:3] if fmt == "%b" else name, fmt).month
        except ValueError:
            continue
        full = int(year) if len(year) == 4 else 2000 + int(year)
        return f"{full:04d}-{month:02d}"
    return None


def date_order(first: int, second: int) -> str | None:
    """What one numeric date a/b/yyyy proves about its file: 'day-first', 'month-first' or nothing."""
    if first > 12 >= second:
        return "day-first"
    if second > 12 >= first:
        return "month-first"
    return None


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
    value = re.sub(r"^([-+]?)[^\d\-+.]+", r"\1", value.strip())  # a currency sign, whatever byte it became
    if re.fullmatch(r"[-+]?\d+(\.\d{3})*,\d{1,2}-?", value.replace(" ", "")):  # '1.234,50': a decimal comma
        value = value.replace(".", "").replace(",", ".")
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

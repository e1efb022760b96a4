"""CSV for spreadsheets: a text cell that starts like a formula (=, +, -, @, tab, carriage return) gets a
leading apostrophe, so Excel or LibreOffice shows it as text instead of running it (`=HYPERLINK(...)`,
`+cmd|...`). Numbers, and text that is only a number, stay numbers: -3.5 is not a formula."""
from __future__ import annotations

import csv
import re
from typing import Any, Iterable, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose text cells are neutralised."""

    def __init__(self, out: TextIO, **options: Any):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose text cells are neutralised."""

    def writerow(self, rowdict: dict[str, Any]) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[dict[str, Any]]) -> None:  # csv's own skips writerow
        for rowdict in rowdicts:
            self.writerow(rowdict)

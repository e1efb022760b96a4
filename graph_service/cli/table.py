"""The one text table every command prints: a heading row, a rule, then columns aligned (numbers to the
right). `--json` and `--csv` never come through here, so they stay machine-clean."""
from __future__ import annotations

import sys
from typing import Any, Iterable, Sequence, TextIO


def cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:g}"
    return " ".join(str(value).split())  # a line break in a value must not break the row


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def print_table(rows: Iterable[dict[str, Any] | Sequence[Any]], columns: Sequence[str],
                headings: Sequence[str] | None = None, indent: str = "", out: TextIO | None = None) -> None:
    """Rows (dicts read by `columns`, or sequences in that order) under `headings` (default: the column
    names with underscores as spaces). A column is right-aligned when all its values are numbers."""
    out = out or sys.stdout
    headings = list(headings or [c.replace("_", " ") for c in columns])
    raw = [[row.get(c) for c in columns] if isinstance(row, dict) else list(row) for row in rows]
    texts = [[cell(v) for v in row] for row in raw]
    widths = [max([len(headings[i])] + [len(t[i]) for t in texts]) for i in range(len(columns))]
    right = [any(_numeric(r[i]) for r in raw) and all(_numeric(r[i]) or r[i] is None for r in raw)
             for i in range(len(columns))]

    def line(values: list[str]) -> str:
        padded = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)]
        return (indent + "  ".join(padded)).rstrip()

    out.write(line(headings) + "\n")
    out.write(indent + "  ".join("-" * w for w in widths) + "\n")
    for t in texts:
        out.write(line(t) + "\n")

"""Register tables every register page shares: search, filters, sort, 50 rows a page, and a CSV of the same rows.

No script (the pages' CSP allows none): search and filters are one GET form, sort and paging are links that
keep the rest of the query string. A page module describes its register once and hands it the rows:

    PARTNERS = Register("Partners", "/partners", columns=(
        Column("name", "Partner", href=lambda r: path_to("/partners", r["key"])),
        Column("personas", "Personas", text=lambda r: r["personas"]),       # a list shows as one cell, one per line
    ), filters=(Filter("persona", "Persona", match=lambda r, v: v in r["personas"]),), default_sort="name")

    view = PARTNERS.view(request.query_params, rows)    # BadRequest (400, naming the parameter) on bad input
    return respond(request, role, view, "Partners")     # ?format=csv: every filtered row, sorted, not one page

A register the store can page in its default order passes `store_view(params, fetch)` first (None when the
request needs every row), so its default listing reads one page, not the whole register.

`respond` renders register_page.html (a heading, `intro`, the table); a page needing more passes its own
template, which imports the macro: {% from "register_table.html" import register %}{{ register(view, caption) }}.

Query parameters: `q` (every word must appear in some column's text), each filter's name, `sort` (a column
key, `-key` for descending), `page` (from 1; past the last page shows the last) and `format=csv`. A row is
illustrative (generated sample data) when `illustrative(row)` says so (default: its `illustrative` field):
the table marks it, the CSV says so in an `illustrative` column. CSV cells go through csv_export, so no cell
runs as a formula.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from graph_service.csv_export import SafeWriter
from graph_service.errors import BadRequest
from graph_service.access.auth import Role
from graph_service.web.pages.layout import SECURITY_HEADERS
from graph_service.web.pages.routes import templated

PAGE_SIZE = 50
MAX_QUERY = 200
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Cell:
    """One value in a cell: its text, a link when it names something with a page, the fact's source, and
    `tag`, a GOV.UK tag colour (red, yellow, green, grey) when the value is a status."""

    text: str
    href: str | None = None
    source: Mapping[str, Any] | None = None
    tag: str | None = None


def _texts(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


@dataclass(frozen=True)
class Column:
    """A column: `key` names it in `sort=`; `text(row)` is its value (a list gives several cells' worth);
    `href(row)` links a single value; `cells(row)` overrides both for several linked values; `sort_value(row)`
    orders it (default: the text, case-insensitive); empty values sort last either way."""

    key: str
    heading: str
    text: Callable[[Row], Any] | None = None
    href: Callable[[Row], str | None] | None = None
    cells: Callable[[Row], Sequence[Cell]] | None = None
    source: Callable[[Row], Mapping[str, Any] | None] | None = None
    sort_value: Callable[[Row], Any] | None = None
    sortable: bool = True
    numeric: bool = False

    def values(self, row: Row) -> list[Cell]:
        if self.cells is not None:
            return list(self.cells(row))
        texts = _texts(self.text(row) if self.text else row.get(self.key))
        href = self.href(row) if self.href and len(texts) == 1 else None
        where = self.source(row) if self.source else None
        return [Cell(t, href, where if i == len(texts) - 1 else None) for i, t in enumerate(texts)]

    def order(self, row: Row) -> Any:
        if self.sort_value is not None:
            return self.sort_value(row)
        return " ".join(c.text for c in self.values(row)).casefold() or None


@dataclass(frozen=True)
class Filter:
    """A select in the search form: `match(row, chosen)` keeps a row; `options` are offered (default: every
    value `values(row)` gives across the rows, sorted)."""

    name: str
    label: str
    match: Callable[[Row, str], bool]
    values: Callable[[Row], Iterable[str]] | None = None
    options: Sequence[str] | None = None


@dataclass
class RegisterView:
    """One request's view of a register: the filtered, sorted rows, this page of them, and the links."""

    register: Register
    q: str
    chosen: dict[str, str]
    sort: str
    descending: bool
    page: int
    pages: int
    rows: list[Row]
    page_rows: list[Row]
    options: dict[str, list[str]]
    csv: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    count: int | None = None  # every row's count when the store cut page_rows (`rows` is then that page)

    @property
    def total(self) -> int:
        return len(self.rows) if self.count is None else self.count

    @property
    def first(self) -> int:
        return (self.page - 1) * self.register.page_size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.page_rows) - 1 if self.total else 0

    def _href(self, **change: Any) -> str:
        params = {"q": self.q, **self.chosen, **self.extra, "sort": self._sort_param(), "page": self.page}
        params.update(change)
        if params.get("page") == 1:
            params.pop("page")
        if params.get("sort") == self.register.default_sort:
            params.pop("sort")
        return self.register.path + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def _sort_param(self) -> str:
        return ("-" if self.descending else "") + self.sort

    def sort_href(self, column: Column) -> str:
        """Sorting by a column starts at page 1; the column already sorted by turns the other way."""
        turn = column.key == self.sort and not self.descending
        return self._href(sort=("-" if turn else "") + column.key, page=1)

    def aria_sort(self, column: Column) -> str | None:
        if not column.sortable:
            return None
        if column.key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def page_href(self, number: int) -> str:
        return self._href(page=number)

    @property
    def page_numbers(self) -> list[int | None]:
        """The pager's numbers as GOV.UK's pagination shows them: the first, the last, this page and its
        neighbours, None for each gap ("1 … 4 5 6 … 300"), so a county's register is not 300 links."""
        shown = sorted({1, self.pages} | {n for n in (self.page - 1, self.page, self.page + 1) if 1 <= n <= self.pages})
        numbers: list[int | None] = []
        previous = 0
        for n in shown:
            if n - previous == 2:
                numbers.append(n - 1)  # a gap of one page shows the page
            elif n - previous > 2:
                numbers.append(None)
            numbers.append(n)
            previous = n
        return numbers

    @property
    def csv_href(self) -> str:
        return self._href(page=1, format="csv")

    def illustrative(self, row: Row) -> bool:
        return bool(self.register.illustrative(row))


def _default_illustrative(row: Row) -> bool:
    return bool(row.get("illustrative"))


@dataclass(frozen=True)
class Register:
    """A register: its columns, filters, default order and page size. `path` is the page the links go to."""

    title: str
    path: str
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    default_sort: str | None = None
    page_size: int = PAGE_SIZE
    illustrative: Callable[[Row], bool] = _default_illustrative
    csv_name: str | None = None

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def _parse(self, params: Mapping[str, str]) -> tuple[str, dict[str, str], str, bool, int, bool]:
        """Check the query string: (q, chosen filters, sort key, descending, page, csv); BadRequest naming the
        parameter otherwise."""
        q = (params.get("q") or "").strip()
        if len(q) > MAX_QUERY:
            raise BadRequest(f"q: a search is at most {MAX_QUERY} characters (this one is {len(q)})", parameter="q")
        chosen = {f.name: params[f.name].strip() for f in self.filters if (params.get(f.name) or "").strip()}
        sortable = [c.key for c in self.columns if c.sortable]
        default = self.default_sort or (sortable[0] if sortable else "")
        sort = (params.get("sort") or default).strip()
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        if sort and sort not in sortable:
            raise BadRequest(f"sort: {self.title} cannot be sorted by {sort!r}; choose one of "
                             + ", ".join(sortable) + " (with - in front for descending)", parameter="sort")
        page = self._page(params.get("page"))
        fmt = (params.get("format") or "html").strip().lower()
        if fmt not in ("html", "csv"):
            raise BadRequest(f"format: {fmt!r} is not a format here; choose html or csv", parameter="format")
        return q, chosen, sort, descending, page, fmt == "csv"

    def view(self, params: Mapping[str, str], rows: Iterable[Row], *, keep: Sequence[str] = ()) -> RegisterView:
        """Parse and check the query string, then filter, sort and slice `rows`. `keep` names further
        parameters the page reads itself (such as as_of) that the links must carry."""
        rows = list(rows)
        q, chosen, sort, descending, page, csv = self._parse(params)
        options = {f.name: self._options(f, rows) for f in self.filters}
        words = q.casefold().split()
        by_name = {f.name: f for f in self.filters}
        kept = [r for r in rows if all(by_name[name].match(r, value) for name, value in chosen.items())
                and (not words or self._matches(r, words))]
        if sort:
            kept = self._sorted(kept, self.column(sort), descending)
        pages = max(1, -(-len(kept) // self.page_size))
        page = min(page, pages)
        start = (page - 1) * self.page_size
        return RegisterView(self, q, chosen, sort, descending, page, pages, kept, kept[start:start + self.page_size],
                            options, csv=csv, extra={k: params[k] for k in keep if params.get(k)})

    def store_view(self, params: Mapping[str, str], fetch: Callable[[int, int], tuple[list[Row], int]], *,
                   keep: Sequence[str] = ()) -> RegisterView | None:
        """The default listing (no search, no filter, the default order, as HTML) a page at a time from the
        store: `fetch(offset, limit)` gives that page's rows, already in the default order, and the count of
        all of them. None when the request needs every row (a search, a filter, another order, the CSV):
        then `view` it is. Filters offer their fixed options, so every filter needs them."""
        q, chosen, sort, descending, page, csv = self._parse(params)
        if q or chosen or csv or (sort, descending) != self._parse({})[2:4] or any(f.options is None for f in self.filters):
            return None
        rows, count = fetch((page - 1) * self.page_size, self.page_size)
        pages = max(1, -(-count // self.page_size))
        if page > pages:  # past the last page shows the last
            page = pages
            rows, count = fetch((page - 1) * self.page_size, self.page_size)
        return RegisterView(self, q, chosen, sort, descending, page, pages, rows, rows,
                            {f.name: list(f.options or ()) for f in self.filters},
                            extra={k: params[k] for k in keep if params.get(k)}, count=count)

    @staticmethod
    def _page(raw: str | None) -> int:
        if raw is None or raw.strip() == "":
            return 1
        try:
            page = int(raw)
        except ValueError:
            raise BadRequest(f"page: {raw!r} is not a page number; pages are numbered from 1", parameter="page") from None
        if page < 1:
            raise BadRequest(f"page: {page} is not a page; pages are numbered from 1", parameter="page")
        return page

    @staticmethod
    def _options(f: Filter, rows: list[Row]) -> list[str]:
        if f.options is not None:
            return list(f.options)
        found = {v for r in rows for v in (f.values(r) if f.values else []) if v}
        return sorted(found, key=str.casefold)

    def _matches(self, row: Row, words: list[str]) -> bool:
        text = " ".join(c.text for column in self.columns for c in column.values(row)).casefold()
        return all(w in text for w in words)

    @staticmethod
    def _sorted(rows: list[Row], column: Column, descending: bool) -> list[Row]:
        """Empty values last in either direction; ties keep the rows' given order."""
        keyed = [(column.order(r), r) for r in rows]
        full = sorted((k for k in keyed if k[0] not in (None, "")), key=lambda k: k[0], reverse=descending)
        return [r for _, r in full] + [r for v, r in keyed if v in (None, "")]

    def csv_text(self, view: RegisterView) -> str:
        """Every filtered row in the view's order, one column per heading and an `illustrative` column."""
        out = io.StringIO()
        writer = SafeWriter(out, lineterminator="\n")
        writer.writerow([c.heading for c in self.columns] + ["illustrative"])
        for row in view.rows:
            writer.writerow(["; ".join(cell.text for cell in c.values(row)) for c in self.columns]
                            + ["yes" if view.illustrative(row) else "no"])
        return out.getvalue()

    def csv_response(self, view: RegisterView) -> Response:
        name = self.csv_name or self.path.strip("/").replace("/", "-") or "register"
        return Response(self.csv_text(view), media_type="text/csv; charset=utf-8",
                        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}.csv"'})


def respond(request: Request, role: Role, view: RegisterView, title: str, *, template: str = "register_page.html",
            caption: str | None = None, trail: tuple[tuple[str, str], ...] = (("/", "Home"),),
            **context: Any) -> Response:
    """The view as a page (its register's path is the header link marked current), or as CSV when asked."""
    if view.csv:
        return view.register.csv_response(view)
    return templated(request, role, template, title, current=view.register.path, trail=trail, view=view,
                     caption=caption or title, **context)

"""The shared register table (web/pages/registers.py + templates/register_table.html): search, filters, sort
links with aria-sort, 50 rows a page, clear errors for bad parameters, and a formula-safe CSV of the same
filtered rows with an illustrative column."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph_service.errors import BadRequest
from graph_service.web.pages.layout import TEMPLATES
from graph_service.web.pages.registers import Cell, Column, Filter, Register

ROWS = [{"key": f"org:{i:03d}", "name": f"Partner {i:03d}", "kind": "Voluntary" if i % 3 == 0 else "Business",
         "score": i % 7 or None, "illustrative": i % 2 == 0} for i in range(1, 121)]
ROWS.append({"key": "org:evil", "name": '=HYPERLINK("http://x")<script>', "kind": "Business", "score": 3,
             "illustrative": False})

REGISTER = Register("Partners", "/partners", columns=(
    Column("name", "Partner", href=lambda r: "/partners/" + r["key"],
           source=lambda r: {"source": "register.csv", "locator": "row 1", "illustrative": r["illustrative"]}),
    Column("kind", "Kind"),
    Column("score", "Score", sort_value=lambda r: r["score"], numeric=True),
    Column("also", "Also", sortable=False, cells=lambda r: [Cell("a", "/a"), Cell("b")]),
), filters=(Filter("kind", "Kind", match=lambda r, v: r["kind"] == v, values=lambda r: [r["kind"]]),),
    default_sort="name")


def render(view) -> str:
    return TEMPLATES.from_string('{% from "register_table.html" import register %}{{ register(view, "All") }}') \
        .render(view=view)


def test_first_page_holds_fifty_rows_sorted_by_the_default_column_with_links_to_the_rest():
    view = REGISTER.view({}, ROWS)
    assert (view.total, view.pages, len(view.page_rows)) == (121, 3, 50)
    assert view.page_rows[0]["name"] == '=HYPERLINK("http://x")<script>'  # "=" sorts before letters
    page = render(view)
    assert page.count("<tr>") == 51  # the heading row and fifty
    assert 'href="/partners?page=2" rel="next">Next page' in page and 'aria-current="page">1</a>' in page
    assert '<th scope="col" aria-sort="ascending"><a href="/partners?sort=-name">Partner</a>' in page
    assert '<th scope="col" aria-sort="none"><a href="/partners?sort=kind">Kind</a>' in page
    assert '<th scope="col">Also</th>' in page
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_search_and_filter_narrow_the_rows_and_every_link_keeps_them():
    view = REGISTER.view({"q": "PARTNER", "kind": "Voluntary", "sort": "-score", "page": "1"}, ROWS)
    assert [r["name"] for r in REGISTER.view({"q": "partner 00", "kind": "Voluntary"}, ROWS).rows] == [
        "Partner 003", "Partner 006", "Partner 009"]  # every word, anywhere in the row
    assert view.total == 40 and all(r["kind"] == "Voluntary" for r in view.rows)
    scores = [r["score"] for r in view.rows]
    assert scores == sorted((s for s in scores if s), reverse=True) + [None] * scores.count(None)  # empty last
    page = render(view)
    assert '<option value="Voluntary" selected>' in page
    assert 'href="/partners?q=PARTNER&amp;kind=Voluntary&amp;sort=score"' in page  # the sorted column turns
    assert 'aria-sort="descending"' in page
    assert 'href="/partners?q=PARTNER&amp;kind=Voluntary&amp;sort=-score&amp;format=csv"' in page


def test_a_page_past_the_end_shows_the_last_and_the_source_and_marker_sit_beside_the_fact():
    view = REGISTER.view({"page": "99"}, ROWS)
    assert view.page == 3 and (view.first, view.last) == (101, 121)
    page = render(view)
    assert 'href="/partners?page=2" rel="prev">Previous page' in page
    assert re.search(r'<a href="/partners/org:102">Partner 102</a>\s*<strong class="govuk-tag app-tag--illustrative example">'
                     r'Illustrative example</strong><span class="source">Source: register.csv, row 1</span>', page)


@pytest.mark.parametrize("params, where", [({"sort": "secret"}, "sort: Partners cannot be sorted by 'secret'"),
                                           ({"sort": "also"}, "sort:"), ({"page": "two"}, "page: 'two'"),
                                           ({"page": "0"}, "page: 0"), ({"format": "xml"}, "format: 'xml'"),
                                           ({"q": "x" * 201}, "q: a search is at most 200")])
def test_bad_parameters_are_a_clear_error_naming_the_parameter(params, where):
    with pytest.raises(BadRequest) as raised:
        REGISTER.view(params, ROWS)
    assert raised.value.message.startswith(where)


def test_csv_holds_every_filtered_row_in_order_formula_safe_with_an_illustrative_column():
    view = REGISTER.view({"kind": "Business", "sort": "-name", "format": "csv"}, ROWS)
    assert view.csv
    rows = list(csv.reader(io.StringIO(REGISTER.csv_text(view))))
    assert rows[0] == ["Partner", "Kind", "Score", "Also", "illustrative"]
    assert len(rows) - 1 == view.total == 81  # not one page: every filtered row
    assert [r[0] for r in rows[1:-1]] == [r["name"] for r in view.rows[:-1]]
    assert rows[-1][0] == "'=HYPERLINK(\"http://x\")<script>" and rows[-1][3] == "a; b"
    assert {r[4] for r in rows[1:]} == {"yes", "no"}
    assert rows[1][4] == ("yes" if view.rows[0]["illustrative"] else "no")

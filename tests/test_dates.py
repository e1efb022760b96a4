"""A date is parsed once where it enters: a bad one is a one-line error (exit 2) on the CLI, a 400 in
the one error shape on the API, and an HTML page with the message on a page. Never a traceback."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from graph_service.access.auth import Role
from graph_service.dates import DocDate, long_date, parse_day, period_end, short_date, shown
from graph_service.errors import BadRequest
from graph_service.reference import load_reference


@pytest.mark.parametrize("args", [
    ["stakeholders", "--as-of", "2024-13-01"],
    ["map", "ego", "GB-LAE-DAC", "--as-of", "nonsense", "--out", "map.html"],
    ["health", "--as-of", "yesterday"],
    ["changes", "--from", "2024-02-30"],
    ["policy", "strategy", "--as-of", "2024/01/01"],
    ["keys", "create", "--role", "viewer", "--name", "x", "--expires", "banana"],
])
def test_a_bad_date_on_the_command_line_is_one_line_and_exit_2(args, tmp_path):
    done = subprocess.run([sys.executable, "-m", "graph_service.cli", *args, "--data-dir", str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "YYYY-MM-DD" in lines[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "map.html").exists()


def test_parse_day_names_the_option():
    assert parse_day("2024-02-29", "as_of").isoformat() == "2024-02-29"
    assert parse_day(None) is None and parse_day("") is None
    with pytest.raises(BadRequest, match="as_of must be a date as YYYY-MM-DD, DD/MM/YYYY or 1 December 2026, not 'banana'"):
        parse_day("banana", "as_of")


@pytest.mark.parametrize("text", ["1 December 2026", "01/12/2026", "1/12/2026", "2026-12-01", " 1  Dec  2026 ",
                                  "1st December 2026", "01.12.2026", "1 DECEMBER 2026"])
def test_a_day_is_read_the_british_way(text):
    assert parse_day(text, "from") == dt.date(2026, 12, 1)


@pytest.mark.parametrize("text", ["12/31/2026", "31/02/2026", "2026/12/01", "1 Ju 2026", "December 1 2026", "1-12-2026",
                                  "December 2026", "2026-12", "2026"])
def test_a_month_first_or_impossible_day_is_refused(text):
    with pytest.raises(BadRequest, match="DD/MM/YYYY"):
        parse_day(text, "from")


def test_a_day_is_shown_the_british_way():
    assert long_date("2026-12-01") == "1 December 2026" and long_date(dt.date(2027, 3, 31)) == "31 March 2027"
    assert long_date("2026-12-01T10:00:00+00:00") == "1 December 2026" and long_date(None) == ""
    assert short_date("2026-12-01") == "01/12/2026"
    assert short_date("2020-05") == "May 2020" and short_date("2020") == "2020" and short_date("soon") == "soon"


@pytest.mark.parametrize("text,stored", [
    ("12 February 2019", "2019-02-12"), ("12th Feb 2019", "2019-02-12"), ("12 Feb. 2019", "2019-02-12"),
    ("12 FEBRUARY, 2019", "2019-02-12"), ("2019-02-12", "2019-02-12"), ("2019-2-12", "2019-02-12"),
    ("12/02/2019", "2019-02-12"), ("12.02.2019", "2019-02-12"), (" 12  February 2019. ", "2019-02-12"),
    ("May 2020", "2020-05"), ("Sept 2020", "2020-09"), ("2020-05", "2020-05"), ("2020", "2020")])
def test_a_document_date_is_read_in_each_form_it_is_written(text, stored):
    assert DocDate.from_text(text).iso() == stored


@pytest.mark.parametrize("text", ["12/13/2019", "30 February 2019", "Ju 2020", "February 12 2019", "2019/02", "spring"])
def test_a_document_date_that_is_none_is_none(text):
    assert DocDate.from_text(text) is None


@pytest.fixture
def reference_server(store, server):
    load_reference(store, include_illustrative=False)
    return server


@pytest.mark.parametrize("path", ["/api/v1/policies?as_of=banana", "/api/v1/health-report?as_of=2024-13-01",
                                  "/api/v1/changes?from=banana", "/api/v1/stakeholders?as_of=x",
                                  "/api/v1/audit?since=banana"])
def test_a_bad_date_on_the_api_is_a_400_in_the_one_error_shape(reference_server, path):
    with reference_server.client(Role.admin) as client:
        answer = client.get(path)
    if answer.status_code == 404:  # a route this test lists that does not exist would pass silently
        pytest.fail(f"{path} is not a route")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "bad_request" and "YYYY-MM-DD" in error["message"]


def test_a_bad_date_on_a_page_is_an_html_page_with_the_message(reference_server):
    with reference_server.client(Role.procurement) as client:
        answer = client.get("/health?as_of=banana")
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "as_of must be a date as YYYY-MM-DD, DD/MM/YYYY or 1 December 2026, not &#39;banana&#39;" in answer.text  # as the template escapes it
    assert "<h1>There is a problem</h1>" in answer.text


@pytest.mark.parametrize("stored,precision,first,last,written", [
    ("2019-02-12", "day", "2019-02-12", "2019-02-12", "12 February 2019"),
    ("2020-05", "month", "2020-05-01", "2020-05-31", "May 2020"),
    ("2020-02", "month", "2020-02-01", "2020-02-29", "February 2020"),
    ("2020", "year", "2020-01-01", "2020-12-31", "2020")])
def test_a_document_date_keeps_its_precision(stored, precision, first, last, written):
    when = DocDate.of(stored)
    assert (when.precision, when.first.isoformat(), when.last.isoformat(), when.shown(), when.iso()) == \
        (precision, first, last, written, stored)
    assert DocDate.from_text(written) == when


def test_a_document_date_refuses_what_is_not_one():
    for bad in ("2020-13", "2019-02-30", "May", "2020-5"):
        with pytest.raises(ValueError):
            DocDate.of(bad)
    assert DocDate.from_text("next spring") is None and shown(None) is None


@pytest.mark.parametrize("period,end", [("2015 to 2020", "2020"), ("2017/18 to 2021/22", "2022-03"),
                                        ("2018/19 to 2036", "2036"), ("2019-2024", "2024"), ("ongoing", None)])
def test_a_period_ends_with_its_last_year_or_financial_year(period, end):
    found = period_end(period)
    assert (found.iso() if found else None) == end

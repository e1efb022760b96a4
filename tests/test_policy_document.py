"""Reading a policy document's front sheet: the policy, its owner posts, the ownership and the
associated documents, each citing the file and line; loaded over the reference dataset it
updates the same policy and reuses the same posts."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.answers import policies
from graph_service.dates import DocDate
from graph_service.ingest.pipeline import ingest
from graph_service.ingest.policy_document import known_posts, parse_date, policy_key, read_policy_document
from graph_service.reference import load_reference
from tests.conftest import SHARED

NEW_NORMAL = SHARED / "sources" / "new-normal-strategy-2019-2024.txt"
KEY = "policy:new-normal-strategy-2019-2024"
ASSOCIATED = {"policy:corporate-plan-2015-2020", "policy:medium-term-financial-strategy-2017-18-2021-22",
              "policy:growth-and-infrastructure-strategy-2018-19-2036", "policy:people-strategy-2017-2020",
              "policy:technology-and-digital-transformation-strategy-2017-2020"}


def load(store, path: Path, **options):
    return ingest(store, read_policy_document(path, **options), source=path.name, fmt="policy-document")


def test_the_new_normal_strategy_front_sheet(any_store):
    report = load(any_store, NEW_NORMAL)
    assert report.rejected == [] and report.error is None
    answer = policies.get_policy(any_store, KEY)
    assert answer.title == "New Normal Strategy 2019 to 2024" and answer.period == "2019 to 2024"
    assert (answer.version, answer.published_on, answer.last_version_on) == ("1.0", "2019-02-12", "2019-02-12")
    assert (answer.review.date, answer.review.shown, answer.review.due_by) == ("2020-05", "May 2020", "2020-05-31")
    assert answer.review.status == "overdue" and answer.produced_on == "2019-02"
    assert answer.citations == {"produced_on": "Produced; line 7", "published_on": "Date of publication; line 9",
                                "last_version_on": "Date of last version; line 9", "version": "Version no; line 10",
                                "review_date": "Date for Review; line 10"}
    assert answer.document_location == str(NEW_NORMAL)
    assert answer.provenance.source == NEW_NORMAL.name
    assert answer.provenance.locator == "front sheet; lines 5-13"
    owners = {field: [(o.post, o.title, o.provenance.locator) for o in answer.owners(field)]
              for field in policies.ROLE_FIELDS.values()}
    assert owners == {
        "sponsoring_member": [("post:leader-of-the-council", "Leader of the Council", "Sponsoring Member; line 12")],
        "sponsoring_officer": [("post:chief-executive", "Chief Executive", "Sponsoring Officer; line 12")],
        "portfolio_holder": [("post:portfolio-holder-corporate-contracted-services",
                              "Portfolio Holder for Corporate and Contracted Services", "Portfolio Holder; line 13")],
        "responsible_officer": [("post:ad-people-performance-innovation",
                                 "Assistant Director – People, Performance and Innovation", "Responsible Officer; line 13")],
    }
    assert {d.key for d in answer.associated_documents} == ASSOCIATED
    assert {d.provenance.locator for d in answer.associated_documents} == {"Associated documents; line 11"}


def test_associated_documents_are_policies_of_their_own(any_store):
    load(any_store, NEW_NORMAL)
    mtfs = policies.get_policy(any_store, "policy:medium-term-financial-strategy-2017-18-2021-22")
    assert mtfs.title == "Medium Term Financial Strategy 2017/18 to 2021/22" and mtfs.period == "2017/18 to 2021/22"
    assert [d.key for d in mtfs.associated_documents] == [KEY]
    assert policies.find_policies(any_store, "people strategy")[0].key == "policy:people-strategy-2017-2020"
    assert any_store.stats()["labels"]["Policy"] == 6


def test_loading_over_the_reference_dataset_updates_rather_than_duplicates(store):
    load_reference(store, include_illustrative=False)
    before = store.stats()
    report = load(store, NEW_NORMAL)
    assert report.rejected == [] and report.created == 0
    after = store.stats()
    assert after["labels"] == before["labels"] and after["relationships"] == before["relationships"]
    node = store.get(KEY)
    assert node.props["document_location"] == str(NEW_NORMAL)
    assert node.history[-1]["props"]["document_location"] == "sources/new-normal-strategy-2019-2024.txt"
    assert load(store, NEW_NORMAL).updated == 0  # a second load changes nothing


def test_policy_key_drops_the_periods_to():
    assert policy_key("New Normal Strategy 2019 to 2024") == KEY
    assert policy_key("Medium Term Financial Strategy 2017/18 to 2021/22") == \
        "policy:medium-term-financial-strategy-2017-18-2021-22"


@pytest.mark.parametrize("text,expected", [("12 February 2019", DocDate(2019, 2, 12)), ("May 2020", DocDate(2020, 5)),
                                           ("3rd Sep 2021", DocDate(2021, 9, 3)),
                                           ("2021-09-03", DocDate(2021, 9, 3)), ("03/09/2021", DocDate(2021, 9, 3)),
                                           ("next spring", None)])
def test_front_sheet_dates_keep_the_precision_written(text, expected):
    assert parse_date(text) == expected


def test_the_declared_links_hold_from_the_documents_date(any_store):
    load(any_store, NEW_NORMAL)
    before = policies.get_policy(any_store, "policy:corporate-plan-2015-2020", as_of="2019-02-11")
    on_the_day = policies.get_policy(any_store, "policy:corporate-plan-2015-2020", as_of="2019-02-12")
    assert before.associated_documents == [] and [d.key for d in on_the_day.associated_documents] == [KEY]
    owners = any_store.neighbours(KEY)
    assert {r.props.get("valid_from") for r, _ in owners if r.type in policies.ROLE_FIELDS} == {"2019-02-12"}


FRONT_SHEET = """\
Waste & Recycling Policy 2023 to 2026
Version: 2.0\tReview date: 1st April 2024
Publication date\tnext spring
Responsible officer: Head of Waste Services\tPortfolio Holder: Portfolio Holder for Environment
Sponsoring Officer: Chief Executive
Related documents: Litter Strategy; Fleet Replacement Plan 2022 to 2030
Contents
Version: 9.9
"""


def test_an_unknown_owner_becomes_a_new_post_and_a_bad_date_is_rejected_alone(store, tmp_path):
    path = tmp_path / "waste-policy.txt"
    path.write_text(FRONT_SHEET, encoding="utf-8")
    report = load(store, path, posts=[("post:chief-executive", "Chief Executive", None)])
    [rejected] = report.rejected
    assert (rejected.locator, rejected.field) == ("Publication date; line 3", "published_on")
    key = "policy:waste-recycling-policy-2023-2026"
    answer = policies.get_policy(store, key, as_of="2024-06-01")
    assert answer.version == "2.0"  # the front sheet ends at "Contents"
    assert answer.review.model_dump() == {"date": "2024-04-01", "shown": "1 April 2024", "due_by": "2024-04-01",
                                          "status": "overdue", "days": -61, "label": "overdue by 61 days (due on 1 April 2024)"}
    assert answer.aliases == ["Waste & Recycling Policy"]
    [officer] = answer.responsible_officer
    assert (officer.post, officer.title) == ("post:head-of-waste-services", "Head of Waste Services")
    assert store.get("post:head-of-waste-services").props["kind"] == "officer"
    assert store.get("post:portfolio-holder-for-environment").props["kind"] == "member"
    assert answer.sponsoring_officer[0].post == "post:chief-executive"
    assert {d.key for d in answer.associated_documents} == {"policy:litter-strategy",
                                                                  "policy:fleet-replacement-plan-2022-2030"}


def test_owner_titles_match_the_posts_a_store_holds(store, tmp_path):
    load_reference(store, include_illustrative=False)
    path = tmp_path / "digital.txt"
    path.write_text("Digital Strategy\nResponsible Officer:\tAD People, Performance & Innovation\n", encoding="utf-8")
    load(store, path, posts=known_posts(store))
    [officer] = policies.get_policy(store, "policy:digital-strategy").responsible_officer
    assert officer.post == "post:ad-people-performance-innovation"
    assert store.stats()["labels"]["Post"] == 22


def test_a_document_without_a_front_sheet_still_records_where_the_policy_lives(store):
    path = SHARED / "sources" / "policy-framework-guiding-principles.txt"
    assert load(store, path).rejected == []
    answer = policies.get_policy(store, "policy:policy-framework-guiding-principles")
    assert answer.document_location == str(path) and answer.provenance.locator == "front sheet; line 3"
    assert all(not answer.owners(field) for field in policies.ROLE_FIELDS.values())


def test_an_unreadable_document_stores_nothing(store, tmp_path):
    report = load(store, tmp_path / "missing.txt")
    assert report.error and "could not be read" in report.error
    assert store.stats()["nodes"] == 0

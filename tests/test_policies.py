"""Policy lookup: typo-tolerant search ranked best first, where each policy lives, its review
status, and its owner posts (shown vacant when the holder has left), with every fact's source,
on both backends, over the API and the CLI."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from graph_service.answers import policies
from graph_service.access.auth import Role
from graph_service.cli import main
from graph_service.errors import BadRequest, NotFound
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord

AS_OF = "2025-06-30"
REGISTER = "policy-register.csv"
MTFS = "policy:medium-term-financial-strategy-2024-25-2028-29"
HOUSING = "policy:housing-strategy-2020-2025"


def _node(label: str, key: str, row: int, **props) -> NodeRecord:
    return NodeRecord(label=label, key=key, props=props, provenance=Provenance(source=REGISTER, locator=f"row {row}"))


def _rel(kind: str, start: str, end: str, row: int, valid_from: str | None = None, valid_to: str | None = None,
         source: str = REGISTER) -> RelRecord:
    return RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to,
                     provenance=Provenance(source=source, locator=f"row {row}"))


def seed(store) -> None:
    """A small register: policies with and without owners, a post whose holder left on 2025-03-31
    (its contract, charter, partner and workstream are then held by a vacant post), and one
    policy published after AS_OF."""
    nodes = [
        _node("Policy", MTFS, 2, title="Medium Term Financial Strategy 2024/25 to 2028/29", aliases=["MTFS"],
              keywords=["budget", "savings"], document_location="https://www.dacorum.gov.uk/mtfs.pdf", section="Part 2",
              version="3.1", published_on="2024-02-20", review_date="2025-08-15", verified_on="2025-01-10"),
        _node("Policy", HOUSING, 3, title="Housing Strategy 2020 to 2025", keywords=["homelessness", "affordable housing"],
              published_on="2020-04-01", review_date="2024-03-31", document_location="Housing/strategy.docx"),
        _node("Policy", "policy:climate-emergency-strategy", 4, title="Climate and Ecological Emergency Strategy",
              published_on="2021-01-01", review_date="2027-01-01"),
        _node("Policy", "policy:customer-service-charter", 5, title="Customer Service Charter", published_on="2024-05-01"),
        _node("Policy", "policy:future-plan", 6, title="Future Plan", published_on="2025-12-01"),
        _node("Post", "post:chief-executive", 10, title="Chief Executive", kind="officer"),
        _node("Post", "post:ad-finance", 11, title="Assistant Director Finance", kind="officer"),
        _node("Post", "post:leader-of-the-council", 12, title="Leader of the Council", kind="member"),
        _node("Post", "post:portfolio-holder-housing", 13, title="Portfolio Holder for Housing", kind="member"),
        _node("Post", "post:gm-strategic-housing", 14, title="GM Strategic Housing", kind="officer"),
        _node("Department", "dept:finance", 15, name="Finance"),
        _node("Person", "person:ann-hughes", 20, name="Ann Hughes"),
        _node("Person", "person:bob-shaw", 21, name="Bob Shaw"),
        _node("Person", "person:cara-webb", 22, name="Cllr Cara Webb"),
        _node("Person", "person:dan-reid", 23, name="Dan Reid"),
        _node("Priority", "priority:economic-well-being", 30, name="To promote economic well-being"),
        _node("GovernanceBody", "body:cabinet", 31, name="Cabinet"),
        _node("Contract", "contract:waste", 40, title="Waste collection", value=2_500_000.0),
        _node("Contract", "contract:old-cleaning", 41, title="Office cleaning"),
        _node("Charter", "charter:business", 42, name="Business Charter"),
        _node("Organisation", "GB-COH-01234567", 43, name="Acme Ltd"),
        _node("Workstream", "workstream:partnerships", 44, name="Partnerships"),
    ]
    rels = [
        _rel("RESPONSIBLE_FOR", "post:ad-finance", MTFS, 50),
        _rel("SPONSORING_OFFICER_FOR", "post:chief-executive", MTFS, 51),
        _rel("SPONSORING_MEMBER_FOR", "post:leader-of-the-council", MTFS, 52),
        _rel("APPROVES", "body:cabinet", MTFS, 53),
        _rel("SUPPORTS", MTFS, "priority:economic-well-being", 54),
        _rel("ASSOCIATED_WITH", MTFS, HOUSING, 55),
        _rel("RESPONSIBLE_FOR", "post:gm-strategic-housing", HOUSING, 56),
        _rel("PORTFOLIO_HOLDER_FOR", "post:portfolio-holder-housing", HOUSING, 57),
        _rel("RESPONSIBLE_FOR", "post:chief-executive", "policy:climate-emergency-strategy", 58),
        _rel("IN_DEPARTMENT", "post:ad-finance", "dept:finance", 59),
        _rel("HOLDS", "person:ann-hughes", "post:chief-executive", 60, "2020-01-01", source="hr-posts.csv"),
        _rel("HOLDS", "person:bob-shaw", "post:ad-finance", 61, "2019-05-01", "2025-03-31", source="hr-posts.csv"),
        _rel("HOLDS", "person:cara-webb", "post:leader-of-the-council", 62, "2023-05-11", source="hr-posts.csv"),
        _rel("HOLDS", "person:dan-reid", "post:gm-strategic-housing", 63, "2022-01-01", source="hr-posts.csv"),
        _rel("MANAGES", "post:ad-finance", "contract:waste", 70, "2023-04-01"),
        _rel("MANAGES", "post:ad-finance", "charter:business", 71, "2024-01-01"),
        _rel("HOLDS_RELATIONSHIP", "post:ad-finance", "GB-COH-01234567", 72, "2022-01-01"),
        _rel("SPONSORS", "post:ad-finance", "workstream:partnerships", 73),
        _rel("BUSINESS_REP_FOR", "post:gm-strategic-housing", "workstream:partnerships", 74),
        _rel("MANAGES", "post:chief-executive", "contract:old-cleaning", 75, "2015-04-01", "2019-03-31"),
    ]
    store.upsert(Batch(nodes=nodes, rels=rels))


@pytest.fixture
def seeded(any_store):
    seed(any_store)
    return any_store


# -- search ---------------------------------------------------------------------------------
def test_a_misspelt_title_finds_the_policy_first(seeded):
    results = policies.find_policies(seeded, "medum term finacial stratgy", as_of=AS_OF)
    assert results[0].key == MTFS
    assert results[0].matched.field == "title"
    assert results[0].score >= 80


@pytest.mark.parametrize("query,field", [("MTFS", "alias"), ("mtfs", "alias"), ("budget", "keyword"),
                                          ("Housing Strategy", "title"), ("CEES", "acronym")])
def test_alias_acronym_keyword_and_title_all_find_a_policy(seeded, query, field):
    [best, *_] = policies.find_policies(seeded, query, as_of=AS_OF)
    expected = {"alias": MTFS, "keyword": MTFS, "title": HOUSING, "acronym": "policy:climate-emergency-strategy"}
    assert (best.key, best.matched.field) == (expected[field], field)


def test_an_exact_alias_ranks_above_the_same_word_as_a_keyword(seeded):
    seeded.upsert(Batch(nodes=[_node("Policy", "policy:budget-guide", 8, title="Guide to the Budget", keywords=["MTFS"])]))
    results = policies.find_policies(seeded, "MTFS", as_of=AS_OF)
    assert [(r.key, r.matched.field, r.score) for r in results] == [
        (MTFS, "alias", 100.0), ("policy:budget-guide", "keyword", 90.0)]


def test_nothing_similar_finds_nothing(seeded):
    assert policies.find_policies(seeded, "zzqx", as_of=AS_OF) == []
    with pytest.raises(BadRequest):
        policies.find_policies(seeded, "  ?! ", as_of=AS_OF)


def test_limit_caps_the_results(seeded):
    assert len(policies.find_policies(seeded, "strategy", limit=1, as_of=AS_OF)) == 1


def test_as_of_hides_policies_not_yet_published(seeded):
    assert policies.find_policies(seeded, "future plan", as_of=AS_OF) == []
    assert policies.find_policies(seeded, "future plan", as_of="2026-01-01")[0].key == "policy:future-plan"


# -- the answer -----------------------------------------------------------------------------
def test_the_answer_says_where_it_lives_and_who_owns_it_with_sources(seeded):
    answer = policies.get_policy(seeded, MTFS, as_of=AS_OF)
    assert (answer.document_location, answer.section, answer.version) == \
        ("https://www.dacorum.gov.uk/mtfs.pdf", "Part 2", "3.1")
    assert answer.published_on == "2024-02-20"
    assert answer.provenance.source == REGISTER and answer.provenance.locator == "row 2"
    [sponsor] = answer.sponsoring_officer
    assert sponsor.post == "post:chief-executive" and sponsor.status == "held"
    assert [h.name for h in sponsor.holders] == ["Ann Hughes"]
    assert sponsor.holders[0].provenance.model_dump() == {"source": "hr-posts.csv", "locator": "row 60", "illustrative": False}
    assert sponsor.provenance.model_dump() == {"source": REGISTER, "locator": "row 51", "illustrative": False}
    assert [m.title for m in answer.sponsoring_member] == ["Leader of the Council"]
    assert answer.portfolio_holder == []
    assert [(b.name, b.provenance.locator) for b in answer.approved_by] == [("Cabinet", "row 53")]
    assert [(d.key, d.provenance.locator) for d in answer.associated_documents] == [(HOUSING, "row 55")]
    assert [p.name for p in answer.priorities] == ["To promote economic well-being"]


def test_associated_documents_are_listed_from_both_ends(seeded):
    assert [d.key for d in policies.get_policy(seeded, HOUSING, as_of=AS_OF).associated_documents] == [MTFS]


def test_ownership_stays_with_the_post_when_the_holder_leaves(seeded):
    before = policies.get_policy(seeded, MTFS, as_of="2025-01-01").responsible_officer[0]
    assert before.status == "held" and before.holders[0].name == "Bob Shaw"
    after = policies.get_policy(seeded, MTFS, as_of=AS_OF).responsible_officer[0]
    assert after.post == "post:ad-finance" and after.title == "Assistant Director Finance"
    assert after.status == "vacant" and after.holders == []
    assert after.vacant_since == "2025-03-31" and after.last_holder.name == "Bob Shaw"
    assert policies.holder_summary(after) == "vacant since 2025-03-31 (last held by Bob Shaw)"


def test_a_post_nobody_was_recorded_in_is_not_called_vacant(seeded):
    [holder] = policies.get_policy(seeded, HOUSING, as_of=AS_OF).portfolio_holder
    assert holder.status == "unrecorded" and policies.holder_summary(holder) == "holder not recorded"


@pytest.mark.parametrize("review_date,status", [("2025-06-29", "overdue"), ("2025-06-30", "due"),
                                                ("2025-09-28", "due"), ("2025-09-29", "current"), (None, "none")])
def test_review_status_is_relative_to_the_day(review_date, status):
    assert policies.review_status(review_date, AS_OF).status == status


def test_review_status_uses_as_of_or_else_today(seeded):
    assert policies.get_policy(seeded, MTFS, as_of=AS_OF).review.status == "due"
    assert policies.get_policy(seeded, MTFS, as_of="2025-01-01").review.status == "current"
    assert policies.get_policy(seeded, HOUSING, as_of=AS_OF).review.model_dump() == {
        "date": "2024-03-31", "shown": "31 March 2024", "due_by": "2024-03-31", "status": "overdue", "days": -456,
        "label": "overdue by 456 days (due on 31 March 2024)"}
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    seeded.upsert(Batch(nodes=[_node("Policy", "policy:soon", 7, title="Soon Reviewed Policy", review_date=soon)]))
    review = policies.get_policy(seeded, "policy:soon").review
    assert (review.date, review.status, review.days) == (soon, "due", 30)
    assert review.label.startswith("due within 90 days (due on ")


def test_an_unknown_policy_is_not_found(seeded):
    with pytest.raises(NotFound):
        policies.get_policy(seeded, "policy:nothing")


def test_the_register_lists_policies_by_title(seeded):
    titles = [a.title for a in policies.list_policies(seeded, limit=3, as_of=AS_OF)]
    assert titles == ["Climate and Ecological Emergency Strategy", "Customer Service Charter",
                      "Housing Strategy 2020 to 2025"]


# -- the reference dataset ------------------------------------------------------------------
@pytest.fixture
def reference(reference_store):
    return reference_store


def test_new_normal_strategy_from_a_typo_in_the_reference_dataset(reference):
    [answer] = policies.find_policies(reference, "new normal stratgey", limit=1)
    assert answer.key == "policy:new-normal-strategy-2019-2024"
    assert (answer.version, answer.published_on) == ("1.0", "2019-02-12")
    # "Date for Review May 2020": the month, due by its end, shown as the document writes it
    assert (answer.review.date, answer.review.shown, answer.review.due_by) == ("2020-05", "May 2020", "2020-05-31")
    assert answer.review.status == "overdue"
    assert answer.citations["review_date"].endswith("Date for Review; line 10")
    assert answer.citations["published_on"].endswith("Date of publication; line 9")
    assert answer.produced_on == "2019-02" and answer.period_ended
    assert answer.responsible_officer[0].post == "post:ad-people-performance-innovation"
    assert answer.responsible_officer[0].provenance.locator.endswith("line 13")
    assert answer.sponsoring_officer[0].title == "Chief Executive"
    assert answer.sponsoring_member[0].title == "Leader of the Council"
    assert answer.portfolio_holder[0].post == "post:portfolio-holder-corporate-contracted-services"
    assert len(answer.associated_documents) == 5


def test_mtfs_finds_the_medium_term_financial_strategy(reference):
    assert policies.find_policies(reference, "MTFS")[0].key == "policy:medium-term-financial-strategy-2017-18-2021-22"


# -- API ------------------------------------------------------------------------------------
def test_api_search_ranks_and_answers_with_provenance(store, server):
    seed(store)
    body = server.client(Role.viewer).get("/api/v1/policies", params={"q": "MTFS", "as_of": AS_OF}).json()
    assert body["as_of"] == AS_OF and body["results"][0]["key"] == MTFS
    officer = body["results"][0]["responsible_officer"][0]
    assert officer["status"] == "vacant" and officer["provenance"]["locator"] == "row 50"


def test_api_without_a_query_lists_the_register(store, server):
    seed(store)
    body = server.client(Role.viewer).get("/api/v1/policies", params={"limit": 2, "as_of": AS_OF}).json()
    assert [r["title"] for r in body["results"]] == ["Climate and Ecological Emergency Strategy", "Customer Service Charter"]


def test_api_policy_by_key(store, server):
    seed(store)
    client = server.client(Role.viewer)
    answer = client.get(f"/api/v1/policies/{MTFS}", params={"as_of": AS_OF}).json()
    assert answer["key"] == MTFS and answer["review"]["status"] == "due"
    missing = client.get("/api/v1/policies/policy:nothing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_api_needs_a_key_and_a_real_date(store, server):
    seed(store)
    assert server.client().get("/api/v1/policies", params={"q": "MTFS"}).status_code == 401
    bad = server.client(Role.viewer).get("/api/v1/policies", params={"q": "MTFS", "as_of": "2025-13-01"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"


def test_api_holdings_is_the_handover_list(store, server):
    seed(store)
    body = server.client(Role.viewer).get("/api/v1/roles/post:ad-finance/holdings", params={"as_of": AS_OF}).json()
    assert body["status"] == "vacant" and body["last_holder"]["name"] == "Bob Shaw"
    assert {(h["category"], h["key"]) for h in body["holdings"]} == {
        ("policies", MTFS), ("contracts", "contract:waste"), ("charters", "charter:business"),
        ("partner relationships", "GB-COH-01234567"), ("workstreams", "workstream:partnerships")}
    assert server.client(Role.viewer).get("/api/v1/roles/post:nobody/holdings").status_code == 404


def test_viewer_holdings_never_show_contract_values(store, server):
    seed(store)
    text = server.client(Role.viewer).get("/api/v1/roles/post:ad-finance/holdings").text
    assert "2500000" not in text and "value" not in text


# -- holdings -------------------------------------------------------------------------------
def test_holdings_list_what_a_post_holds_now_and_what_has_ended(seeded):
    answer = policies.get_holdings(seeded, "post:chief-executive", as_of=AS_OF)
    assert answer.status == "held" and answer.holders[0].name == "Ann Hughes"
    assert [(h.role, h.key) for h in answer.holdings] == [
        ("responsible officer", "policy:climate-emergency-strategy"), ("sponsoring officer", MTFS)]
    assert policies.get_holdings(seeded, "post:chief-executive").ended[0].key == "contract:old-cleaning"
    finance = policies.get_holdings(seeded, "post:ad-finance", as_of=AS_OF)
    assert [d.model_dump() for d in finance.departments] == [{"key": "dept:finance", "name": "Finance"}]
    assert [h.name for h in finance.history] == ["Bob Shaw"]
    assert {h.provenance.locator for h in finance.holdings} == {"row 50", "row 70", "row 71", "row 72", "row 73"}


# -- CLI ------------------------------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path):
    from graph_service.store.embedded import EmbeddedStore

    seed(EmbeddedStore(tmp_path / "data"))
    return str(tmp_path / "data")


def test_cli_policy_prints_owners_and_sources(data_dir, capsys):
    assert main(["--data-dir", data_dir, "policy", "medium term finacial", "--as-of", AS_OF, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Medium Term Financial Strategy 2024/25 to 2028/29")
    assert "Responsible officer:  Assistant Director Finance: vacant since 2025-03-31 (last held by Bob Shaw)" \
           "  [policy-register.csv: row 50]" in out
    assert "Review:               15 August 2025: due within 90 days (due on 15 August 2025)" in out


def test_cli_policy_json_and_no_match(data_dir, capsys):
    assert main(["--data-dir", data_dir, "policy", "MTFS", "--json", "--as-of", AS_OF]) == 0
    assert json.loads(capsys.readouterr().out)[0]["key"] == MTFS
    assert main(["--data-dir", data_dir, "policy", "zzqx"]) == 1
    with pytest.raises(SystemExit) as bad_date:
        main(["--data-dir", data_dir, "policy", "MTFS", "--as-of", "06/30/2025"])  # month first
    assert bad_date.value.code == 2 and "'06/30/2025' is not a date as YYYY-MM-DD, DD/MM/YYYY" in capsys.readouterr().err


def test_cli_holdings(data_dir, capsys):
    assert main(["--data-dir", data_dir, "holdings", "post:ad-finance", "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "vacant since 2025-03-31 (last held by Bob Shaw)" in out
    assert "manager of Waste collection (contract:waste)  [policy-register.csv: row 70]" in out
    assert main(["--data-dir", data_dir, "holdings", "post:ad-finance", "--json"]) == 0
    assert {h["key"] for h in json.loads(capsys.readouterr().out)["holdings"]} >= {"contract:waste", MTFS}


@pytest.mark.parametrize("day,status,days", [("2020-05-01", "due", 30), ("2020-05-31", "due", 0),
                                             ("2020-06-01", "overdue", -1), ("2020-02-01", "current", 120)])
def test_a_review_month_is_due_by_its_last_day_and_overdue_from_the_next(day, status, days):
    review = policies.review_status("2020-05", day)
    assert (review.status, review.days, review.shown, review.due_by) == (status, days, "May 2020", "2020-05-31")


def test_plans_whose_period_has_ended_are_accountability_gaps(reference):
    report = policies.accountability_gaps(reference, verify_after_days=100_000, as_of="2021-06-01")
    ended = {g.key: g for g in report.gaps if g.reason == "period_ended"}
    assert set(ended) == {"policy:corporate-plan-2015-2020", "policy:people-strategy-2017-2020",
                          "policy:technology-and-digital-transformation-strategy-2017-2020"}
    assert ended["policy:corporate-plan-2015-2020"].detail.startswith("its period (2015 to 2020) ended at the end of 2020")
    later = policies.accountability_gaps(reference, verify_after_days=100_000, as_of="2022-04-01")
    assert "policy:medium-term-financial-strategy-2017-18-2021-22" in {  # a financial year ends on 31 March
        g.key for g in later.gaps if g.reason == "period_ended"}
    overdue = [g for g in report.gaps if g.reason == "review_overdue"]
    assert [(g.key, g.since) for g in overdue] == [("policy:new-normal-strategy-2019-2024", "2020-05")]
    assert "due by the end of May 2020" in overdue[0].detail


def test_the_strategys_declared_links_hold_from_its_publication(reference):
    plan = "policy:corporate-plan-2015-2020"
    def associated(day: str) -> set[str]:
        return {d.key for d in policies.get_policy(reference, plan, as_of=day).associated_documents}

    framework = "policy:policy-framework-guiding-principles"  # undated: its link holds at any date
    assert associated("2019-02-11") == {framework}
    assert associated("2019-02-12") == {framework, "policy:new-normal-strategy-2019-2024"}

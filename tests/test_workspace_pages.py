"""The workspace pages over real HTTP on the reference dataset: the search box across every kind, the
policies, initiatives, key indicators, themes and programme pages, the health list, and procurement's
views, each fact with its source and illustrative facts marked."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph_service.access.auth import Role
from tests.conftest import live_server


@pytest.fixture(scope="module")
def server(reference_store, tmp_path_factory):
    with live_server(reference_store, tmp_path_factory.mktemp("keys")) as running:
        yield running


def _results(text: str) -> list[tuple[str, str, str]]:
    """(href, name, kind) of each search result, best first."""
    return re.findall(r'<h3 class="govuk-heading-s"><a href="([^"]+)">([^<]+)</a> '
                      r'<strong class="govuk-tag app-kind">([^<]+)</strong>', text)


def test_search_finds_a_post_by_part_of_its_title(server):
    text = server.browser_client(Role.viewer).get("/", params={"q": "GM Procurement"}).text
    assert _results(text)[0] == ("/posts/post:gm-procurement-contracted-services",
                                 "GM Procurement &amp; Contracted Services", "Post")


def test_search_tolerates_typos_and_shows_a_policys_owner(server):
    text = server.browser_client(Role.viewer).get("/", params={"q": "New Normall Stratgy"}).text
    href, name, kind = _results(text)[0]
    assert (href, kind) == ("/policies/policy:new-normal-strategy-2019-2024", "Policy")
    assert "Assistant Director – People, Performance and Innovation" in text and "Overdue" in text


def test_search_labels_each_kind_and_links_its_page(server):
    client = server.browser_client(Role.viewer)
    wanted = {"Partnerships": ("Work stream", "/workstreams/workstream:partnerships"),
              "Dacorum Business Charter": ("Charter", "/charters/charter:dacorum-business-charter"),
              "Hertfordshire LEP": ("Partner", "/partners/"), "New Normal": ("Programme", "/programmes/"),
              "Ways of Working": ("Theme", "/themes/")}
    for q, (kind, href) in wanted.items():
        found = [h for h, _, k in _results(client.get("/", params={"q": q}).text) if k == kind]
        assert found and found[0].startswith(href), (q, found)
        assert client.get(found[0]).status_code == 200, found[0]


def test_contracts_are_found_by_procurement_only(server):
    viewer = server.browser_client(Role.viewer).get("/", params={"q": "recycling bring sites"}).text
    assert "Contract" not in {kind for _, _, kind in _results(viewer)}
    buyer = server.browser_client(Role.procurement).get("/", params={"q": "recycling bring sites"}).text
    href, name, kind = _results(buyer)[0]
    assert (name, kind) == ("Recycling bring sites", "Contract") and href.startswith("/contracts/contract:")


def test_search_marks_illustrative_results(server):
    text = server.browser_client(Role.viewer).get("/", params={"q": "Tring Youth Project"}).text
    first = text.split('<li class="result">')[1].split("</h3>")[0]
    assert "Tring Youth Project" in first and "Illustrative example" in first


def test_health_lists_red_first_then_by_score_50_a_page(server):
    from graph_service.answers.health.report import health_report

    store = server.app.state.store
    report = health_report(store)
    client = server.browser_client(Role.procurement)
    rows = list(csv.DictReader(io.StringIO(client.get("/health", params={"format": "csv"}).text)))
    order = {"red": 0, "amber": 1, "green": 2, "no data": 3}
    keyed = [(order[r["Rating"].removesuffix(" (capped)").lower()], float(r["Score"] or -1)) for r in rows]
    assert keyed == sorted(keyed) and len(rows) == len(report["partners"])
    assert rows[0]["Rating"].startswith("Red") and {"yes", "no"} >= {r["illustrative"] for r in rows}
    provisional = {p["partner"] for p in report["partners"] if p["provisional"]}
    assert sum(r["Provisional"] != "no" for r in rows) == len(provisional)
    text = client.get("/health", params={"persona": "Voluntary sector", "rating": "red"}).text
    voluntary_red = [p for p in report["partners"] if p["rating"] == "red"
                     and "Voluntary sector" in [x["name"] for x in p["personas"]]]
    assert f"of {len(voluntary_red)}, persona Voluntary sector, rating red." in text
    assert 'aria-label="Page 2"' in client.get("/health").text


def test_a_partners_health_links_to_its_profile_and_back(server):
    from graph_service.answers.health.report import health_report

    red = health_report(server.app.state.store, rating="red")["partners"][0]
    client = server.browser_client(Role.procurement)
    page = client.get(f"/health/{red['partner']}").text
    assert f'<a href="/partners/{red["partner"]}">Partner page: ' in page and "Red</strong>" in page
    assert red["explanation"].replace("'", "&#39;") in page
    profile = client.get(f"/partners/{red['partner']}").text
    assert f'<a href="/health/{red["partner"]}">Relationship health of ' in profile
    assert f'<a href="/maps/ego/{red["partner"]}">Map of ' in profile
    assert server.browser_client(Role.viewer).get(f"/health/{red['partner']}").status_code == 403


def test_policies_register_puts_overdue_reviews_first_with_their_owners(server):
    from graph_service.answers import policies

    everything = policies.all_policies(server.app.state.store)
    client = server.browser_client(Role.viewer)
    rows = list(csv.DictReader(io.StringIO(client.get("/policies", params={"format": "csv"}).text)))
    assert len(rows) == len(everything) and {r["illustrative"] for r in rows} <= {"yes", "no"}
    overdue = [p.title for p in everything if p.review.status == "overdue"]
    assert overdue and [r["Policy"] for r in rows[:len(overdue)]] == sorted(
        overdue, key=lambda t: next(p.review.due_by for p in everything if p.title == t))
    nns = next(r for r in rows if r["Policy"] == "New Normal Strategy 2019 to 2024")
    assert nns["Review date"] == "May 2020" and nns["Review"].startswith("Overdue")
    assert nns["Responsible officer"].startswith("Assistant Director – People, Performance and Innovation")
    text = client.get("/policies", params={"status": "overdue"}).text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue' in text
    assert '<a href="/policies/policy:new-normal-strategy-2019-2024">' in text


def test_policy_page_shows_its_owners_and_review(server):
    text = server.browser_client(Role.viewer).get("/policies/policy:new-normal-strategy-2019-2024").text
    assert "<h1>New Normal Strategy 2019 to 2024</h1>" in text and "12 February 2019" in text
    assert '<a href="/posts/post:ad-people-performance-innovation">' in text and "status-overdue" in text
    assert '<a class="govuk-breadcrumbs__link" href="/policies">Policies</a>' in text


def test_initiatives_show_alignment_and_approval_route(server):
    from graph_service.answers import governance

    store = server.app.state.store
    overview = governance.initiatives_overview(store)
    client = server.browser_client(Role.viewer)
    rows = list(csv.DictReader(io.StringIO(client.get("/initiatives", params={"format": "csv"}).text)))
    assert sorted(r["Initiative"] for r in rows) == sorted(s.name for s in overview)
    assert {r["Alignment"] for r in rows} == {"Aligned" if s.aligned else "Not aligned" for s in overview}
    unaligned = [s for s in overview if not s.aligned]
    text = client.get("/initiatives", params={"aligned": "not aligned"}).text
    assert f"of {len(unaligned)}, aligned not aligned." in text or (not unaligned and "No initiatives match" in text)
    one = overview[0]
    page = client.get(f"/initiatives/{one.initiative}").text
    route = governance.initiative_route(store, one.initiative)
    assert f"<h1 class=\"govuk-heading-xl\">{one.name}</h1>" in page and "Approval route" in page
    for step in route.steps:
        assert f"line {step.citation.line}" in page
        assert " and ".join(b.name for b in step.bodies) in page  # CMT and BRG are one joint step
    for p in governance.initiative_alignment(store, one.initiative).priorities:
        assert p.name in page


def test_key_indicators_and_the_priorities_they_measure(server):
    from graph_service.answers import governance

    indicators = governance.indicators(server.app.state.store)
    client = server.browser_client(Role.viewer)
    rows = list(csv.DictReader(io.StringIO(client.get("/indicators", params={"format": "csv"}).text)))
    assert len(rows) == len(indicators) and all(r["illustrative"] == "yes" for r in rows)
    first = indicators[0]
    page = client.get(f"/indicators/{first.key}").text
    assert first.name in page and all(p.name in page for p in first.priorities) and "line 53" in page


def test_programme_and_themes_link_their_work_streams(server):
    client = server.browser_client(Role.viewer)
    programme = client.get("/programmes/programme:new-normal").text
    assert "<h1 class=\"govuk-heading-xl\">New Normal programme</h1>" in programme
    assert '<a href="/themes/theme:partnerships">Partnerships</a>' in programme
    assert '<a href="/posts/post:programme-director">Programme Director</a>' in programme
    theme = client.get("/themes/theme:ways-of-working").text
    assert '<a href="/workstreams/workstream:people">People</a>' in theme
    assert '<a href="/programmes/programme:new-normal">New Normal</a>' in theme
    workstream = client.get("/workstreams/workstream:partnerships").text
    assert '<a href="/themes/theme:partnerships">Partnerships</a>' in workstream
    assert client.get("/themes/theme:none").status_code == 404


PROCUREMENT_VIEWS = ("/procurement/expiring", "/procurement/concentration", "/procurement/single-points-of-failure",
                     "/procurement/kraljic", "/procurement/commissioning")


def test_procurement_views_are_procurements_only(server):
    viewer = server.browser_client(Role.viewer)
    for path in ("/procurement", *PROCUREMENT_VIEWS):
        response = viewer.get(path)
        assert response.status_code == 403 and "need the procurement role" in response.text, path


def test_expiring_contracts_within_6_months_without_a_successor(server):
    from graph_service.answers import procurement

    expiring = procurement.expiring(server.app.state.store)
    wanted = [c for c in expiring["contracts"] if c["window_months"] == 6 and not c["successors"]]
    client = server.browser_client(Role.procurement)
    params = {"within": "6 months", "successor": "none let"}
    rows = list(csv.DictReader(io.StringIO(client.get("/procurement/expiring", params={**params, "format": "csv"}).text)))
    assert sorted(r["Contract"] for r in rows) == sorted(c["title"] for c in wanted)
    assert len(rows) == expiring["windows"][0]["without_successor"] and {r["Successor"] for r in rows} <= {"none", "exit plan only"}
    text = client.get("/procurement/expiring", params=params).text
    assert '<th scope="col" aria-sort="ascending"><a href="/procurement/expiring?' in text  # headed, sorted by end
    assert f'<a href="/contracts/{wanted[0]["contract"]}">' in text


def test_each_procurement_view_reads_its_answer(server):
    from graph_service.answers import procurement

    store = server.app.state.store
    client = server.browser_client(Role.procurement)
    counts = {"/procurement/concentration": len(procurement.concentration(store)["services"]),
              "/procurement/kraljic": len(procurement.kraljic(store)["partners"]),
              "/procurement/commissioning": len(procurement.commissioning(store)["years"])}
    spof = procurement.single_points_of_failure(store)
    counts["/procurement/single-points-of-failure"] = sum(len(spof[k]) for k in ("services", "indicators", "priorities"))
    for path, count in counts.items():
        rows = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv"}).text)))
        assert len(rows) == count and "illustrative" in rows[0], path
    hhi = [float(r["HHI"].replace(",", "")) for r in csv.DictReader(io.StringIO(
        client.get("/procurement/concentration", params={"format": "csv"}).text))]
    assert hhi == sorted(hhi, reverse=True)
    resting = spof["services"][0]  # the reference data has services resting on one supplier
    text = client.get("/procurement/single-points-of-failure", params={"kind": "service resting on one supplier"}).text
    assert f"{resting['share']:.0%}" in text and (resting["partner_name"] or resting["partner"]) in text
    index = client.get("/procurement").text
    assert all(f'<a href="{path}">' in index for path in PROCUREMENT_VIEWS)


def test_home_leads_to_every_register_map_and_view_by_group(server):
    viewer = server.browser_client(Role.viewer).get("/").text
    for href in ("/policies", "/initiatives", "/indicators", "/themes", "/programmes", "/maps/grid"):
        assert f'<li><a href="{href}">' in viewer, href
    assert '<h2 class="govuk-heading-m">Registers</h2>' in viewer and "Procurement</h2>" not in viewer
    assert "/procurement/" not in viewer
    buyer = server.browser_client(Role.procurement).get("/").text
    assert '<h2 class="govuk-heading-m">Procurement</h2>' in buyer
    for path in PROCUREMENT_VIEWS:
        assert f'<li><a href="{path}">' in buyer, path


def test_gaps_and_registers_mark_illustrative_rows_with_the_tag_and_in_csv(server):
    from graph_service.answers import policies

    report = policies.accountability_gaps(server.app.state.store,
                                          verify_after_days=server.app.state.settings.verify_after_days)
    client = server.browser_client(Role.viewer)
    rows = list(csv.DictReader(io.StringIO(client.get("/gaps", params={"format": "csv"}).text)))
    assert [r["illustrative"] == "yes" for r in rows] == [g.illustrative for g in sorted(
        report.gaps, key=lambda g: (list(policies.GAP_REASONS).index(g.reason), g.since or "9999"))]
    assert {"yes", "no"} == {r["illustrative"] for r in rows}
    vacant = client.get("/gaps", params={"reason": policies.GAP_REASONS["owner_post_vacant"]}).text
    tag = '<strong class="govuk-tag app-tag--illustrative example">Illustrative example</strong>'
    assert tag in vacant and "Illustrative data</strong>" in vacant  # the tag, and the page's banner
    assert '<a href="/posts/post:' in vacant
    overdue = client.get("/gaps", params={"reason": policies.GAP_REASONS["review_overdue"]}).text
    assert tag not in overdue.split("<tbody>")[1]  # a fact from the council's own documents is not marked
    for path in ("/initiatives", "/indicators", "/partners"):
        assert tag in client.get(path).text.split("<tbody>")[1], path


@pytest.mark.parametrize("path", ["/partners", "/charters", "/gaps", "/contracts", "/policies", "/health",
                                  "/procurement/kraljic", "/initiatives"])
def test_every_page_signs_in_first_even_for_its_csv(server, path):
    response = server.client().get(path, params={"format": "csv"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"/sign-in?next=%2F{path[1:4]}")

"""The workspace in headless Chromium, each task from the home page by clicks only: which partners are
Voluntary sector and who holds each relationship; who sponsors, leads and represents the Partnerships work
stream; what GM Procurement & Contracted Services would hand over; who owns the New Normal Strategy and
whether its review is overdue; which charters have lapsed; why a partner is red and on what evidence;
which contracts end within 6 months without a successor."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from graph_service.answers import charters, partners, posts, procurement, workstreams
from graph_service.answers.health.report import health_report
from tests.test_pages_browser import page, sign_in  # noqa: F401 (the fixture and the signing in)
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def server(reference_server):
    """These tasks only read: the session's reference store serves them."""
    return reference_server


@pytest.fixture
def store(reference_store):
    return reference_store


def test_voluntary_sector_partners_and_who_holds_each_relationship(page, server, store):
    voluntary = [p for p in partners.partner_register(store) if "Voluntary sector" in [x.name for x in p.personas]]
    sign_in(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    page.get_by_label("Persona").select_option("Voluntary sector")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text(f"Showing 1 to 50 of {len(voluntary)}")
    table = page.get_by_role("table", name="Partners")
    expect(table.get_by_role("row")).to_have_count(51)
    first = sorted(voluntary, key=lambda p: p.name.casefold())[0]
    row = table.get_by_role("row").nth(1)
    expect(row.get_by_role("link", name=first.name)).to_be_visible()
    holder = first.holders[0]
    expect(row.get_by_role("link", name=re.compile(re.escape(holder.title)))).to_be_visible()
    expect(row).to_contain_text(holder.people[0].name)
    expect(row.locator(".example").first).to_be_visible()  # generated partners are marked
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("status")).to_contain_text(f"Showing 51 to {min(100, len(voluntary))} of {len(voluntary)}")
    screenshot(page, "partners-register.png", full_page=True)


def test_who_sponsors_leads_and_represents_the_partnerships_work_stream(page, server, store):
    ws = workstreams.get_workstream(store, "workstream:partnerships")
    sign_in(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Work streams").click()
    page.get_by_role("table", name="Work streams").get_by_role("link", name="Partnerships", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerships work stream")
    roles = page.get_by_role("table", name="Sponsor, Lead and Business Reps")

    def rows(role: str):
        return roles.get_by_role("row").filter(has=page.get_by_role("rowheader", name=role, exact=True))

    expect(rows("Sponsor")).to_contain_text("AD Corporate & Contracted Services")
    expect(rows("Lead")).to_contain_text("GM Procurement & Contracted Services")
    reps = ws.posts("Business Rep")
    expect(rows("Business Rep")).to_have_count(len(reps))
    for rep in reps:
        row = roles.get_by_role("row").filter(has=page.get_by_role("link", name=rep.title, exact=True))
        expect(row).to_contain_text(rep.departments[0])
        expect(row.locator(".source").first).to_be_visible()
    screenshot(page, "workstream-page.png", full_page=True)


def test_what_gm_procurement_and_contracted_services_would_hand_over(page, server, store):
    post = posts.get_holdings(store, "post:gm-procurement-contracted-services")
    sign_in(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="GM Procurement & Contracted Services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GM Procurement & Contracted Services")
    expect(page.get_by_text(f"{len(post.holdings)} items to hand over")).to_be_visible()
    for category in sorted({h.category for h in post.holdings}):
        expect(page.get_by_role("heading", name=category.capitalize(), exact=True)).to_be_visible()
    workstream = next(h for h in post.holdings if h.label == "Workstream")
    page.get_by_role("link", name=workstream.name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{workstream.name} work stream")


def sign_in_as(page, server, role: Role) -> None:
    page.goto("/")
    page.get_by_label("API key").fill(server.keys[role])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/")


def test_who_owns_the_new_normal_strategy_and_is_it_overdue(page, server):
    sign_in(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policies")
    nns = page.get_by_role("link", name="New Normal Strategy 2019 to 2024", exact=True)
    row = page.get_by_role("table", name="Policies").get_by_role("row").filter(has=nns)
    expect(row).to_contain_text("Overdue")
    row.get_by_role("link", name="New Normal Strategy 2019 to 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New Normal Strategy 2019 to 2024")
    owner = page.get_by_role("table", name="Who owns it").get_by_role("row").filter(has_text="Responsible officer")
    expect(owner).to_contain_text("Assistant Director – People, Performance and Innovation")
    expect(page.get_by_text("May 2020").first).to_contain_text("Overdue")
    screenshot(page, "policies-register.png", full_page=True)


def test_which_charters_have_lapsed(page, server, store):
    lapsed = charters.lapsed_charters(store)
    sign_in(page, server)
    page.get_by_role("link", name=f"Charters lapsed: {len(lapsed)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charters")
    rows = page.get_by_role("table", name="Charters").get_by_role("row")
    expect(rows).to_have_count(len(lapsed) + 1)
    for charter in lapsed:
        expect(rows.filter(has=page.get_by_role("link", name=charter.name, exact=True))).to_contain_text("lapsed (")
    screenshot(page, "charters-lapsed.png", full_page=True)


def test_why_a_partner_is_red_and_on_what_evidence(page, server, store):
    red = health_report(store, rating="red")["partners"]
    sign_in_as(page, server, Role.procurement)
    page.get_by_role("link", name=f"Partners rated red: {len(red)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relationship health")
    table = page.get_by_role("table", name="Partners, worst first")
    expect(table.get_by_role("row")).to_have_count(min(50, len(red)) + 1)
    table.get_by_role("link", name=red[0]["name"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Relationship health: {red[0]['name']}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Red")
    expect(page.get_by_text(red[0]["explanation"])).to_be_visible()
    evidence = page.locator("details").first
    evidence.locator("summary").click()
    expect(evidence.locator(".source").first).to_be_visible()
    expect(evidence.locator(".source").first).to_contain_text("Source: ")
    page.get_by_role("link", name=f"Partner page: {red[0]['name']}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(red[0]["name"])
    screenshot(page, "partner-from-health.png", full_page=True)


def test_which_contracts_end_within_6_months_without_a_successor(page, server, store):
    expiring = procurement.expiring(store)
    wanted = [c for c in expiring["contracts"] if c["window_months"] == 6 and not c["successors"]]
    sign_in_as(page, server, Role.procurement)
    page.get_by_role("link", name="Contracts ending soon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts ending soon")
    page.get_by_label("Ending within").select_option("6 months")
    page.get_by_label("Successor").select_option("none let")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text(f"Showing 1 to {len(wanted)} of {len(wanted)}")
    table = page.get_by_role("table", name="Contracts ending soon")
    expect(table.get_by_role("columnheader", name="Successor")).to_be_visible()
    for contract in wanted:
        expect(table.get_by_role("row").filter(has=page.get_by_role("link", name=contract["title"], exact=True)).first
               ).to_contain_text(contract["suppliers"][0]["name"])
    screenshot(page, "procurement-expiring.png", full_page=True)

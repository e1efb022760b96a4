"""The workspace registers in headless Chromium, reached by clicks from the home page's header navigation:
which partners are Voluntary sector and who holds each relationship; who sponsors, leads and represents
the Partnerships work stream; what GM Procurement & Contracted Services would hand over."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from graph_service.answers import partners, posts, workstreams
from tests.test_pages_browser import page, sign_in  # noqa: F401 (the fixture and the signing in)
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


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

"""The recording forms in headless Chromium, reached from the pages: an editor records an engagement, the
relationship holder and a grid placement on a partner's page, a charter (then corrects it) and a policy's
facts, seeing GOV.UK error messages beside the fields first; a viewer sees no form and is refused one."""
from __future__ import annotations

import re

import datetime as dt

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from tests.conftest import screenshot
from tests.test_editing import DAC, LEP, POLICY, seed

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, store, server):
    seed(store)
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, server, role: Role, path: str) -> None:
    page.goto(path)
    page.get_by_label("API key").fill(server.keys[role])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def test_an_editor_records_an_engagement_after_fixing_the_date(page, server):
    sign_in(page, server, Role.editor, f"/partners/{LEP}")
    page.get_by_role("link", name="Record an engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an engagement with Hertfordshire LEP")
    page.get_by_label("When was it held?").fill("12/31/2024")  # month first: not a British date
    page.get_by_label("Kind of engagement").select_option("meeting")
    page.get_by_label("What was discussed or agreed").fill("Growth deal review")
    page.get_by_role("button", name="Record engagement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="When was it held?: Enter a real date")).to_be_visible()
    expect(page.locator("#held_on-error")).to_contain_text("Enter a real date")
    expect(page.get_by_label("What was discussed or agreed")).to_have_value("Growth deal review")  # kept
    page.get_by_label("When was it held?").fill("31/12/2024")
    page.get_by_role("button", name="Record engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hertfordshire LEP")
    row = page.get_by_role("table", name="Engagements").get_by_role("row").filter(has_text="Growth deal review")
    expect(row).to_contain_text("meeting")
    expect(row).to_contain_text("Source: recorded, test editor")
    screenshot(page, "editing-engagement.png", full_page=True)


def test_an_editor_changes_the_relationship_holder(page, server):
    sign_in(page, server, Role.editor, f"/partners/{LEP}")
    page.get_by_role("link", name="Change who holds the relationship").click()
    expect(page.get_by_text("Held today by Partnerships Officer")).to_be_visible()
    page.get_by_label("Post that holds it").select_option(label="Partnerships Manager")
    page.get_by_role("button", name="Save holder").click()
    expect(page.locator("#held_from-error")).to_contain_text("Enter the date")
    page.get_by_label("From").fill("1 April 2024")
    page.get_by_role("button", name="Save holder").click()
    holders = page.get_by_role("table").first
    expect(holders.get_by_role("link", name="Partnerships Manager")).to_be_visible()
    expect(holders.get_by_role("link", name="Partnerships Officer")).to_have_count(0)
    page.get_by_role("link", name="end the holding").click()
    expect(page.get_by_text("Held today by Partnerships Manager")).to_be_visible()
    page.get_by_label("Last day it is held").fill("1 January 2024")  # before the Manager started
    page.get_by_role("button", name="End holding").click()
    expect(page.locator("#ended_on-error")).to_be_visible()
    page.get_by_label("Last day it is held").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="End holding").click()
    expect(page.get_by_text("No post holds this relationship.")).to_be_visible()


def test_an_editor_places_a_partner_on_the_grid_and_withdraws_it(page, server):
    sign_in(page, server, Role.editor, f"/partners/{LEP}")
    page.get_by_role("link", name="Place it on the power-interest grid").click()
    page.get_by_label("Power").fill("2")
    page.get_by_label("Interest").fill("0.8")
    page.get_by_role("button", name="Save placement").click()
    expect(page.locator("#power-error")).to_contain_text("less than or equal to 1")
    expect(page.locator("#reason-error")).to_be_visible()
    page.get_by_label("Power").fill("0.9")
    page.get_by_label("Why").fill("Holds the growth deal money")
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_text("Officer's placement: Manage closely")).to_contain_text("by test editor")
    expect(page.get_by_text("Officer's placement")).to_contain_text("Holds the growth deal money")
    page.get_by_role("link", name="Place it on the power-interest grid").click()
    expect(page.get_by_label("Power")).to_have_value("0.9")
    page.get_by_role("button", name="Return to the computed placement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hertfordshire LEP")
    expect(page.get_by_text("Officer's placement")).to_have_count(0)


def test_an_editor_records_a_charter_and_corrects_it(page, server):
    sign_in(page, server, Role.editor, "/record/charters/new")
    page.get_by_label("Name of the charter").fill("Dacorum Business Charter 2020")
    page.get_by_label("Parties").fill(f"{DAC}\n{LEP}")
    page.get_by_label("Signed on").fill("15/01/2020")
    page.get_by_label("Review due").fill("15/01/2019")
    page.get_by_role("button", name="Record charter").click()
    expect(page.locator("#review_on-error")).to_contain_text("before the date it was signed")
    page.get_by_label("Review due").fill("15 January 2021")
    page.get_by_role("button", name="Record charter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dacorum Business Charter 2020")
    expect(page.get_by_text("Lapsed: review date passed")).to_be_visible()
    page.get_by_role("link", name="Correct this charter").click()
    expect(page.get_by_label("Review due")).to_have_value("2021-01-15")
    page.get_by_label("Review due").fill(f"15/01/{dt.date.today().year + 2}")
    page.get_by_role("button", name="Save charter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dacorum Business Charter 2020")
    expect(page.get_by_text("Lapsed: review date passed")).to_have_count(0)


def test_an_editor_corrects_a_policy(page, server):
    sign_in(page, server, Role.editor, f"/policies/{POLICY}")
    page.get_by_role("link", name="Correct these facts").click()
    expect(page.get_by_label("Version")).to_have_value("1.0")
    page.get_by_label("Version").fill("2.0")
    page.get_by_label("Review due").fill("next spring")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator("#review_date-error")).to_contain_text("YYYY-MM")
    page.get_by_label("Review due").fill("2027-03")
    holder = page.get_by_label("Portfolio holder", exact=True)  # each of the four owning roles has its select
    holder.select_option(index=holder.locator("option").count() - 1)
    chosen = holder.locator("option:checked").inner_text().strip()
    page.get_by_label("Owners hold from").fill("1 December 2026")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New Normal Strategy")
    expect(page.locator("main")).to_contain_text("2.0")
    expect(page.get_by_role("row", name=re.compile("^Portfolio holder"))).to_contain_text(chosen)


def test_a_viewer_sees_no_form_and_is_refused_one(page, server):
    sign_in(page, server, Role.viewer, f"/partners/{LEP}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hertfordshire LEP")
    expect(page.get_by_role("heading", name="Record", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Record an engagement")).to_have_count(0)
    page.goto(f"/policies/{POLICY}")
    expect(page.get_by_role("heading", level=1)).to_have_text("New Normal Strategy")
    expect(page.get_by_role("link", name="Correct these facts")).to_have_count(0)
    for path in (f"/record/partners/{LEP}/engagement", f"/record/partners/{LEP}/assessment", "/record/charters/new",
                 f"/record/policies/{POLICY}"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")

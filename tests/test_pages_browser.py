"""The pages in headless Chromium, used the way an officer would: sign in once, type a misspelt
policy name, read who owns it, follow it to the post's handover list, all by keyboard."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def server(reference_server):
    """These tests only read: the session's reference store serves them."""
    return reference_server


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, server) -> None:
    page.goto("/")
    assert page.url.endswith("/sign-in?next=%2F")
    page.get_by_label("API key").fill(server.keys[Role.viewer])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/")


def test_sign_in_search_a_misspelt_policy_and_find_its_owner(page, server):
    sign_in(page, server)
    search = page.get_by_role("searchbox", name="Search")
    search.fill("new normal stratgey")
    search.press("Enter")
    page.wait_for_url("**/?q=new+normal+stratgey")
    first = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3)).first
    expect(first.get_by_role("link")).to_have_text("New Normal Strategy 2019 to 2024")
    expect(first).to_contain_text("Assistant Director – People, Performance and Innovation")
    expect(first).to_contain_text("Source: new-normal-strategy-2019-2024.txt")
    screenshot(page, "policy-search.png", full_page=True)

    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New Normal Strategy 2019 to 2024")
    owners = page.get_by_role("table", name="Who owns it")
    row = owners.get_by_role("row").filter(has_text="Responsible officer")
    expect(row).to_contain_text("Assistant Director – People, Performance and Innovation")
    expect(row).to_contain_text("line 13")
    expect(page.get_by_text("May 2020").first).to_contain_text("Overdue")  # as the document gives it
    screenshot(page, "policy-page.png", full_page=True)


def test_the_pages_work_from_the_keyboard(page, server):
    sign_in(page, server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.get_by_role("searchbox", name="Search").focus()
    page.keyboard.type("MTFS")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=MTFS")
    link = page.get_by_role("link", name="Medium Term Financial Strategy 2017/18 to 2021/22")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/policies/policy:medium-term-financial-strategy-2017-18-2021-22")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medium Term Financial Strategy 2017/18 to 2021/22")


def test_a_post_page_lists_what_to_hand_over(page, server):
    sign_in(page, server)
    page.goto("/roles/post:gm-strategic-housing")
    expect(page.get_by_role("heading", level=1)).to_have_text("GM Strategic Housing")
    expect(page.get_by_role("definition").filter(has_text="Vacant since 2026-07-31")).to_have_count(1)
    expect(page.get_by_role("heading", name="Contracts")).to_be_visible()
    expect(page.get_by_role("table", name="Contracts").get_by_role("row").nth(1)).to_be_visible()
    screenshot(page, "post-page.png", full_page=True)


def test_signing_out_ends_the_session(page, server):
    sign_in(page, server)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.goto("/")
    assert "/sign-in" in page.url

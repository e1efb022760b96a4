"""/health in headless Chromium as a procurement officer uses it: sign in, filter to the red partners,
open one, read its score over time; nothing is fetched from another origin."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from tests.conftest import screenshot
from tests.test_health_fixture import AS_OF, load

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, store, server):
    load(store)
    server.client(Role.procurement).post("/api/v1/health-report/snapshots", params={"as_of": "2026-05-31"})
    context = browser.new_context(base_url=server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def test_filter_open_a_partner_and_read_its_history(page, server):
    origins = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))
    page.goto(f"/health?as_of={AS_OF}")
    page.get_by_label("API key").fill(server.keys[Role.procurement])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/health?as_of={AS_OF}")
    expect(page.get_by_role("img", name="Partners by rating: 2 green, 0 amber, 2 red")).to_be_visible()
    page.get_by_label("Rating", exact=True).select_option("red")
    page.get_by_role("button", name="Search").click()
    table = page.get_by_role("table", name="Partners, worst first")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two red partners
    table.get_by_role("link", name="Acme Waste Ltd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relationship health: Acme Waste Ltd")
    history = page.get_by_role("img", name="Acme Waste Ltd: score over time")
    expect(history).to_be_visible()
    expect(history.locator("circle")).to_have_count(2)
    expect(page.get_by_text("Acme Waste Ltd scores")).to_contain_text("Rated red because")
    page.get_by_text("Evidence (7)").click()
    expect(page.get_by_text("Source: health-fixture.csv").first).to_be_visible()
    screenshot(page, "health-page.png", full_page=True)
    assert origins == {urlparse(server.url).netloc}

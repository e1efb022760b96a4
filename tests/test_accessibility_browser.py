"""Every page through axe-core in Chromium, as a viewer and as procurement: no serious or critical
violation of WCAG 2.2 AA. The pages are found as an officer finds them: each entry of the header
navigation, then one page of each kind linked from those (an item from a register, a map from an item),
so a page added to the navigation or a register is covered without naming it here."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from graph_service.access.auth import Role
from graph_service.reference import load_reference
from tests.conftest import screenshot

pytestmark = pytest.mark.browser

# axe-core, vendored by scripts/vendor-axe-core.sh; injected before any page script, past the pages' CSP.
AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Not pages of ours (the API's own docs) or not pages at all (downloads, sign-out).
NOT_PAGES = re.compile(r"^/(api|docs|redoc|openapi\.json|static|sign-out)\b|\.(csv|json|graphml|gexf|png|svg)$")
MOST_PAGES = 80  # a bound on the crawl, far above the kinds there are


def axe_violations(page) -> list[dict]:
    """The serious and critical violations axe finds on the page as it stands."""
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""", WCAG_22_AA)


def kind(path: str) -> str:
    """Pages of one kind share the path before the key (which may hold '/'): /partners/<key> is one kind,
    /partners another, /maps/ego/<key> a third."""
    parts = path.strip("/").split("/")
    head = parts[:2] if parts[0] == "maps" else parts[:1]
    return "/" + "/".join(head) + ("/*" if len(parts) > len(head) else "")


def links_in_main(page, origin: str) -> list[str]:
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" == origin and not NOT_PAGES.search(url.path):
            paths.append(url.path)
    return paths


@pytest.fixture
def axe_page(browser, store, server):
    load_reference(store)
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(script=AXE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def check(page, path: str, failures: dict[str, list[dict]]) -> None:
    response = page.goto(path)
    assert response is not None and "text/html" in response.headers.get("content-type", ""), path
    found = axe_violations(page)
    if found:
        failures[path] = found


@pytest.mark.parametrize("role", [Role.viewer, Role.procurement], ids=["viewer", "procurement"])
def test_every_page_has_no_serious_accessibility_violation(axe_page, server, role):
    page, failures = axe_page, {}
    check(page, "/sign-in", failures)
    page.get_by_label("API key").fill(server.keys[role])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(navigation.first).to_be_visible()
    paths = [urlsplit(href).path for href in navigation.evaluate_all("links => links.map(a => a.href)")]
    assert "/partners" in paths and ("/health" in paths) == (role >= Role.procurement)
    # searches (the home page's results, linking policies and partners' maps) and a page no one has: the error page
    queue = paths + ["/?q=new+normal+strategy", "/?q=hertfordshire+lep", "/partners/no-such-partner"]
    seen_kinds, visited = {kind(p) for p in paths}, []
    while queue and len(visited) < MOST_PAGES:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.append(path)
        check(page, path, failures)
        for link in links_in_main(page, server.url):
            if kind(link) not in seen_kinds:
                seen_kinds.add(kind(link))
                queue.append(link)
    print(f"{role.name}: axe ran on {len(visited)} pages: {', '.join(visited)}")
    for required in ("/partners/*", "/workstreams/*", "/charters/*", "/policies/*", "/maps/ego/*"):
        assert required in seen_kinds, f"no {required} page was reached from the navigation"
    report = "\n".join(f"{path}: {v['impact']} {v['id']} ({v['help']}): " + json.dumps(v["nodes"])
                       for path, found in failures.items() for v in found)
    assert not failures, "serious or critical accessibility violations:\n" + report


FOCUS_VISIBLE = """() => {
    const s = getComputedStyle(document.activeElement);
    const outline = s.outlineStyle !== 'none' && s.outlineColor !== 'rgba(0, 0, 0, 0)' && s.outlineWidth !== '0px';
    return outline || s.boxShadow !== 'none';
}"""


def tab_to(page, target, most: int = 80) -> None:
    """Press Tab until `target` has the focus, checking each stop on the way shows where the focus is."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement !== document.body"):
            assert page.evaluate(FOCUS_VISIBLE), "focus is not visible on " + page.evaluate(
                "document.activeElement.outerHTML.slice(0, 120)")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_register_is_searched_sorted_and_opened_from_the_keyboard(axe_page, server, store):
    page = axe_page
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # the skip link is the first stop on every page, and shows it has the focus
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert page.evaluate(FOCUS_VISIBLE)
    tab_to(page, page.get_by_label("API key"))
    page.keyboard.type(server.keys[Role.viewer])
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Partners"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    tab_to(page, page.get_by_label("Persona"))
    page.keyboard.type("Voluntary")  # a closed select takes the option typed
    expect(page.get_by_label("Persona")).to_have_value("Voluntary sector")
    tab_to(page, page.get_by_role("button", name="Search"))
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text("persona Voluntary sector")

    table = page.get_by_role("table", name="Partners")
    tab_to(page, table.get_by_role("columnheader", name="Partner").get_by_role("link"))
    page.keyboard.press("Enter")  # sorted by name already: the heading's link turns it round
    expect(status).to_contain_text("Sorted by partner, descending")
    expect(status).to_contain_text("persona Voluntary sector")
    first = table.get_by_role("row").nth(1).get_by_role("link").first
    name = first.text_content()  # the sorted page has loaded: the status above waited for it
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_register_and_map_pages_print_without_their_navigation(axe_page, server):
    page = axe_page
    page.goto("/sign-in")
    page.get_by_label("API key").fill(server.keys[Role.viewer])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partners").click()
    table = page.get_by_role("table", name="Partners")
    expect(table).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Pages of partners")).to_be_hidden()
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Partner")).to_be_visible()
    main_width = page.locator("main").evaluate("m => m.getBoundingClientRect().width")
    assert table.evaluate("t => t.getBoundingClientRect().width") == pytest.approx(main_width, abs=2)  # full width
    screenshot(page, "print-register.png", full_page=True)

    page.emulate_media(media="screen")
    page.goto("/maps/stakeholders")
    expect(page.locator("#status")).not_to_have_text("Laying out the map...")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Maps")).to_be_hidden()
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    expect(page.get_by_role("heading", name="Legend")).to_be_visible()
    expect(page.locator("#legend li").first).to_be_visible()
    body_width = page.locator("body").evaluate("b => b.getBoundingClientRect().width")
    network = page.get_by_role("region", name=re.compile("Stakeholder map"))
    assert network.evaluate("n => n.getBoundingClientRect().width") == pytest.approx(body_width, abs=2)
    screenshot(page, "print-map.png", full_page=True)

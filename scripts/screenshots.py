"""Screenshots of each page kind for docs/pages.md, taken by hand (`.venv/bin/python -m scripts.screenshots`),
never by the tests, so a test run leaves the tree as committed.

Loads the reference dataset into a throw-away embedded store, serves the app on a loopback port, signs in as
procurement (who sees every page), reaches each page as an officer would (the header navigation, then the
first item of a register) and writes a 1280x900 PNG per kind to docs/images/pages/, then rewrites the list
between the markers in docs/pages.md.
"""
from __future__ import annotations

import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import expect, sync_playwright

from graph_service.access.auth import KeyStore, Role
from graph_service.config import Settings
from graph_service.reference import load_reference
from graph_service.store.embedded import EmbeddedStore
from graph_service.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "pages"
DOC = ROOT / "docs" / "pages.md"
MARKERS = ("<!-- screenshots: written by scripts/screenshots.py -->", "<!-- /screenshots -->")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def serve(data: Path) -> tuple[uvicorn.Server, str, str]:
    """The app on the reference dataset, in a thread; its URL and a procurement key."""
    store = EmbeddedStore(data / "store")
    load_reference(store)
    settings = Settings.from_env(backend="embedded", data_dir=str(data / "keys"))
    app = create_app(settings, store)
    key = KeyStore(settings.data_dir).create(Role.procurement, "screenshots")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", key


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def first_item(page, table: str) -> None:
    page.get_by_role("table", name=table).get_by_role("row").nth(1).get_by_role("link").first.click()


def map_ready(page) -> None:
    expect(page.get_by_role("status")).to_contain_text("ready in", timeout=60_000)


# (file, caption, how to reach it from the page before)
SHOTS = (
    ("home.png", "Home: what needs attention today, for procurement", lambda p: nav(p, "Home")),
    ("register-partners.png", "A register: partners, searchable, sortable and paged", lambda p: nav(p, "Partners")),
    ("partner.png", "A partner page", lambda p: first_item(p, "Partners")),
    ("workstream.png", "A work stream page", lambda p: (nav(p, "Work streams"), first_item(p, "Work streams"))),
    ("post.png", "A post page: what it would hand over", lambda p: (nav(p, "Posts"), first_item(p, "Posts"))),
    ("policy.png", "A policy page: where it lives, who owns it, its review",
     lambda p: (p.goto("/?q=new+normal+strategy"),
                p.get_by_role("link", name="New Normal Strategy 2019 to 2024").first.click())),
    ("charter.png", "A charter page: parties, signed, review due", lambda p: (nav(p, "Charters"), first_item(p, "Charters"))),
    ("gaps.png", "Accountability gaps", lambda p: nav(p, "Accountability gaps")),
    ("health.png", "Relationship health, worst first", lambda p: nav(p, "Relationship health")),
    ("map-stakeholders.png", "The stakeholder map", lambda p: (nav(p, "Stakeholder map"), map_ready(p))),
)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server, url, key = serve(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto("/sign-in")
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        for name, caption, reach in SHOTS:
            reach(page)
            page.wait_for_load_state("load")
            page.screenshot(path=str(OUT / name))
            print(f"{caption}: {page.url.removeprefix(url)} -> docs/images/pages/{name}")
        browser.close()
        server.should_exit = True
    listing = "\n".join(f"- {caption}: ![{caption}](images/pages/{name})" for name, caption, _ in SHOTS)
    text = DOC.read_text(encoding="utf-8")
    start, end = (re.escape(m) for m in MARKERS)
    DOC.write_text(re.sub(f"{start}.*?{end}", lambda _: f"{MARKERS[0]}\n{listing}\n{MARKERS[1]}", text,
                          flags=re.S), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every HTML response carries its Content-Security-Policy as a header with frame-ancestors 'none' (maps
too, with the nonce their scripts carry); /docs serves Swagger UI from the package and, in Chromium,
renders the API with no request leaving the app and no CSP violation."""
from __future__ import annotations

import re

import pytest

from graph_service.access.auth import Role

PAGES = ["/", "/sign-in", "/health", "/policies/policy:no-such", "/maps/stakeholders", "/maps/grid",
         "/maps/policy-ownership", "/maps/ego/GB-LAE-DAC", "/no-such-page", "/docs"]


def test_every_html_response_has_a_csp_header_that_forbids_framing(reference_server):
    browser = reference_server.browser_client(Role.admin)
    for path in PAGES:
        response = browser.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src" in csp, (path, csp)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "http:" not in csp and "https:" not in csp, (path, csp)


def test_a_map_page_header_names_the_nonce_its_scripts_carry(reference_server):
    response = reference_server.client(Role.viewer).get("/maps/stakeholders")
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)
    scripts = [tag for tag in re.findall(r"<script\b[^>]*>", response.text) if 'type="application/json"' not in tag]
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts  # data blocks do not run


def test_docs_assets_come_from_the_package(server):
    page = server.client().get("/docs")
    assert "cdn" not in page.text.lower() and "//" not in re.sub(r"<!doctype[^>]*>", "", page.text)
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        asset = server.client().get(src)
        assert asset.status_code == 200 and asset.content, src
    assert server.client().get("/docs/assets/..%2Fapp.py").status_code == 404


@pytest.mark.browser
def test_docs_render_in_chromium_offline_under_their_csp(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/docs")
    expect(page.get_by_text("/api/v1/stats").first).to_be_visible(timeout=20_000)
    assert [u for u in requests if not u.startswith(server.url) and not u.startswith("data:")] == []
    assert [p for p in problems if "Content Security Policy" in p] == []
    context.close()

"""CSRF and login CSRF, over real HTTP and in Chromium: a page on another port of 127.0.0.1 (the same
site, so SameSite=Strict cookies go along) that auto-submits forms and fetches to the app gets 403 and
changes nothing; the app's own forms, and API calls with a Bearer key, still work."""
from __future__ import annotations

import http.server
import threading
from typing import Iterator

import httpx
import pytest

from graph_service.access.auth import Role
from graph_service.web.deps import SESSION_COOKIE
from tests.conftest import form_token, free_port, live_server

SPEND = b"Organisation Name,Supplier Name,Amount,Payment Date\nDacorum Borough Council,Matrix Ltd,12.00,01/04/2024\n"


@pytest.fixture
def app(store, tmp_path):
    with live_server(store, tmp_path / "keys") as running:
        yield running


def _state(app) -> tuple[dict, list]:
    admin = app.client(Role.admin)
    return admin.get("/api/v1/stats").json(), admin.get("/api/v1/health-report/snapshots").json()["dates"]


def _upload(client: httpx.Client, token: str | None, **headers: str) -> httpx.Response:
    data = {"csrf_token": token} if token is not None else {}
    return client.post("/api/v1/ingest", data=data, files={"file": ("spend.csv", SPEND, "text/csv")}, headers=headers)


def test_a_cookie_write_needs_this_origin_and_the_form_token(app):
    browser = app.browser_client(Role.admin)
    token = form_token(browser.get("/").text)
    before = _state(app)
    for origin, sent in [("http://127.0.0.1:1", token), (app.url, None), (app.url, "0" * 64), ("null", token)]:
        browser.headers["Origin"] = origin
        refused = _upload(browser, sent)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_site_request", (origin, sent)
        assert browser.post("/api/v1/health-report/snapshots", data={"csrf_token": sent or ""}).status_code == 403
    del browser.headers["Origin"]
    assert _upload(browser, token).status_code == 403  # neither Origin nor Referer
    assert _state(app) == before
    assert _upload(browser, token, Referer=f"{app.url}/").status_code == 200  # the form field, read before the file
    browser.headers["Origin"] = app.url
    # this store has no home council to score for: every buyer's relationships, then
    snapshot = browser.post("/api/v1/health-report/snapshots", params={"buyer": "all"}, headers={"X-CSRF-Token": token})
    assert snapshot.status_code == 201, snapshot.text
    assert _state(app)[0]["nodes"] > before[0]["nodes"] and _state(app)[1]


def test_every_page_masks_the_token_afresh_and_comes_compressed(app):
    """A compressed page that echoes what was typed must not repeat the same token bytes (BREACH)."""
    browser = app.browser_client(Role.admin)
    pages = [browser.get("/", headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
    assert all(p.headers["content-encoding"] == "gzip" for p in pages)
    first, second = (form_token(p.text) for p in pages)
    assert first != second and len(first) == 128
    browser.headers["Origin"] = app.url
    for token in (first, second):
        assert browser.post("/api/v1/health-report/snapshots", params={"buyer": "all"},
                            headers={"X-CSRF-Token": token}).status_code == 201
    assert browser.post("/api/v1/health-report/snapshots", params={"buyer": "all"},
                        headers={"X-CSRF-Token": first[:64]}).status_code == 403  # the unmasked half alone


def test_a_bearer_request_needs_neither_origin_nor_token(app):
    response = _upload(app.client(Role.admin), None, Origin="http://127.0.0.1:1")
    assert response.status_code == 200


def test_sign_in_needs_the_pre_session_token_from_its_own_page(app):
    fresh = app.client()
    assert fresh.post("/sign-in", data={"key": app.keys[Role.viewer]}, headers={"Origin": app.url}).status_code == 403
    token = form_token(fresh.get("/sign-in").text)
    cross = fresh.post("/sign-in", data={"key": app.keys[Role.viewer], "csrf_token": token},
                       headers={"Origin": "http://127.0.0.1:1"})
    assert cross.status_code == 403 and SESSION_COOKIE not in fresh.cookies
    assert fresh.post("/sign-in", data={"key": app.keys[Role.viewer], "csrf_token": token},
                      headers={"Origin": app.url}).status_code == 303


# -- in Chromium, from another port --------------------------------------------------------------
class Attacker:
    """A page server on another loopback port: each path answers a page that writes to the app."""

    def __init__(self, pages: dict[str, str]):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def _pages(app) -> dict[str, str]:
    submit = "<script>document.forms[0].submit()</script>"
    return {
        "/snapshot": f'<form method="post" action="{app.url}/api/v1/health-report/snapshots"></form>{submit}',
        "/sign-in": (f'<form method="post" action="{app.url}/sign-in"><input name="key" value="{app.keys[Role.viewer]}">'
                     f'<input name="csrf_token" value="guessed"><input name="next" value="/"></form>{submit}'),
        "/upload": ("<script>const form = new FormData(); form.append('csrf_token', 'guessed');"
                    f"form.append('file', new Blob([{SPEND.decode()!r}], {{type: 'text/csv'}}), 'spend.csv');"
                    f"fetch('{app.url}/api/v1/ingest', {{method: 'POST', body: form, credentials: 'include', "
                    "mode: 'no-cors'}).then(() => document.title = 'sent', () => document.title = 'sent');</script>"),
    }


@pytest.fixture
def attacker(app) -> Iterator[Attacker]:
    running = Attacker(_pages(app))
    yield running
    running.close()


@pytest.mark.browser
def test_another_port_cannot_write_or_sign_in_for_a_signed_in_admin(browser, app, attacker):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{app.url}/sign-in")
    page.get_by_label("API key").fill(app.keys[Role.admin])
    page.keyboard.press("Enter")  # the app's own form works
    expect(page.get_by_text("Signed in (admin)")).to_be_visible()
    cookie = next(c["value"] for c in context.cookies() if c["name"] == SESSION_COOKIE)
    before = _state(app)
    for path in ("/snapshot", "/sign-in", "/upload"):
        with page.expect_response(lambda r: r.url.startswith(app.url) and r.request.method == "POST") as answer:
            page.goto(attacker.url + path)
        assert answer.value.status == 403, path
    assert _state(app) == before
    assert next(c["value"] for c in context.cookies() if c["name"] == SESSION_COOKIE) == cookie
    page.goto(f"{app.url}/")
    expect(page.get_by_text("Signed in (admin)")).to_be_visible()  # still the admin, not the planted viewer
    page.get_by_role("button", name="Sign out").click()  # the app's own sign-out form works
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{app.url}/")
    expect(page).to_have_url(f"{app.url}/sign-in?next=%2F")
    context.close()

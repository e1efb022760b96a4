"""The officers' pages over real HTTP: signing in once into an HttpOnly, SameSite=Strict cookie,
escaping, the security headers, and the facts with their sources."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape

from graph_service.web.deps import SESSION_COOKIE
from graph_service.access.auth import Role
from graph_service.records import Batch
from tests.conftest import form_token
from tests.test_policies import MTFS, _node, _rel, seed


def signed_in(server, role: Role = Role.viewer):
    return server.browser_client(role)


def test_pages_send_you_to_sign_in_and_back(server):
    client = server.client()
    response = client.get("/policies/policy:x", params={"tab": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fpolicies%2Fpolicy%3Ax%3Ftab%3D1"
    form = client.get(response.headers["location"]).text
    assert '<input type="hidden" name="next" value="/policies/policy:x?tab=1">' in form
    assert '<label for="key">API key</label>' in form


def test_signing_in_sets_a_strict_http_only_session_cookie_not_the_key(server):
    response = server.sign_in(server.keys[Role.viewer], next_path="/policies/x")
    assert response.status_code == 303 and response.headers["location"] == "/policies/x"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and server.keys[Role.viewer] not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie


def test_a_wrong_key_is_refused_with_a_message(server):
    response = server.sign_in("gs_wrong")
    assert response.status_code == 401 and "set-cookie" not in response.headers
    assert 'role="alert">That key is not recognised' in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_off_the_site(server, target):
    response = server.sign_in(server.keys[Role.viewer], next_path=target)
    assert response.headers["location"] == "/"


def test_signing_out_clears_the_cookie(server):
    client = signed_in(server)
    response = client.post("/sign-out", data={"csrf_token": form_token(client.get("/").text)})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    assert client.get("/").status_code == 303


def test_search_page_finds_a_misspelt_policy_and_its_owner_with_sources(store, server):
    seed(store)
    page = signed_in(server).get("/", params={"q": "medium term finacial"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<a href="/policies/policy:medium-term-financial-strategy-2024-25-2028-29">' in text
    assert "Assistant Director Finance:" in text
    assert "Source: policy-register.csv, row 50" in text
    assert 'role="status">' in text and 'role="search"' in text


def test_search_page_finds_partners_labelled_by_kind(store, server):
    seed(store)
    text = signed_in(server).get("/", params={"q": "acme"}).text
    assert '<a href="/partners/GB-COH-01234567">Acme Ltd</a> <strong class="govuk-tag app-kind">Partner</strong>' in text


def test_policy_page_shows_each_fact_with_its_source(store, server):
    seed(store)
    text = signed_in(server).get(f"/policies/{MTFS}").text
    assert "<h1>Medium Term Financial Strategy 2024/25 to 2028/29</h1>" in text
    assert "https://www.dacorum.gov.uk/mtfs.pdf, section Part 2" in text
    assert '<a href="/posts/post:ad-finance">Assistant Director Finance</a>' in text
    assert '<span class="status status-vacant">Vacant since 2025-03-31 (last held by Bob Shaw)</span>' in text
    assert "Source: hr-posts.csv, row 61" in text  # the last holder's record
    assert "Source: policy-register.csv, row 53" in text  # approved by Cabinet
    assert '<a href="/policies/policy:housing-strategy-2020-2025">' in text


def test_post_page_is_the_handover_list(store, server):
    seed(store)
    text = signed_in(server).get("/posts/post:ad-finance").text
    assert "<h1>Assistant Director Finance</h1>" in text
    for heading in ("Policies", "Contracts", "Charters", "Partner relationships", "Workstreams"):
        assert f">{heading}</h3>" in text
    assert "Waste collection" in text and "Source: policy-register.csv, row 70" in text
    assert "2500000" not in text  # a viewer never sees contract values


def test_unknown_keys_are_a_404_page(server):
    client = signed_in(server)
    for path in ("/policies/policy:none", "/posts/post:none"):
        response = client.get(path)
        assert response.status_code == 404 and "<h1>Not found</h1>" in response.text


def test_everything_from_the_graph_is_escaped(store, server):
    evil = '<script>alert("x")</script>'
    store.upsert(Batch(nodes=[_node("Policy", "policy:evil", 1, title=f"Evil {evil} Policy", document_location=evil),
                              _node("Post", "post:evil", 2, title=evil)],
                       rels=[_rel("RESPONSIBLE_FOR", "post:evil", "policy:evil", 3)]))
    client = signed_in(server)
    for response in (client.get("/", params={"q": "evil policy"}), client.get("/policies/policy:evil"),
                     client.get("/posts/post:evil"), client.get("/", params={"q": evil})):
        assert "<script>" not in response.text
    assert str(escape(evil)) in client.get("/policies/policy:evil").text  # as Jinja2 escapes it


def test_pages_allow_no_scripts_and_only_this_sites_stylesheet(server):
    response = signed_in(server).get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'self'" in policy and "script-src" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', response.text)
    assert sheets == ["/static/govuk-frontend/govuk-frontend.min.css", "/static/pages.css"]
    for sheet in sheets:  # served from the package, to anyone (the sign-in page needs them)
        css = server.client().get(sheet)
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ":focus" in css.text
        assert "GDS Transport" not in css.text and "@font-face" not in css.text  # the system font, nothing fetched
    assert server.client().get("/static/../pyproject.toml").status_code == 404


def test_pages_have_landmarks_and_a_skip_link(server):
    text = signed_in(server).get("/").text
    assert '<html lang="en-GB"' in text and '<a class="govuk-skip-link skip" href="#main">' in text
    assert 'id="main"' in text and "<header " in text and "<footer " in text
    assert '<nav aria-label="Account"' in text and '<nav aria-label="Main"' in text


def test_the_api_accepts_the_sign_in_cookie(store, server):
    seed(store)
    client = signed_in(server)
    assert client.get(f"/api/v1/policies/{MTFS}").json()["key"] == MTFS

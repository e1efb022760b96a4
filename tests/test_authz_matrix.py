"""Who may call what: every route the app serves, with every kind of caller, over real HTTP.

Routes are enumerated from the app itself, so a route added without a line in ACCESS fails
here until someone decides who may call it. Viewers' answers are then searched, on every
route they may call (maps and pages included), for the reference dataset's procurement-only
facts: contract values, payment, KPI rating and commissioning decision keys, decisions' costs, and
match reviews (their ids and reasons).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import httpx
import pytest
from fastapi.routing import iter_route_contexts

from graph_service.access.auth import Role
from graph_service.answers.maps import save_view
from graph_service.store.embedded import EmbeddedStore
from graph_service.reference import load_reference
from graph_service.records import Batch, Provenance, RelRecord
from tests.conftest import LiveServer, form_token, live_server

PUBLIC = None
OK, CREATED, MOVED, SEE_OTHER, NOT_FOUND, NOT_ALLOWED, INVALID = 200, 201, 301, 303, 404, 405, 422


@dataclass(frozen=True)
class Access:
    minimum: Role | None  # None: anyone, with or without a key
    ok: int  # what a caller with enough rights gets for the request below
    page: bool = False  # a browser page: no key sends the caller to sign in instead of answering 401
    params: dict[str, Any] = field(default_factory=dict)


SPEND_CSV = b"Organisation Name,Supplier Name,Amount,Payment Date\nDacorum Borough Council,Matrix Ltd,12.00,01/04/2024\n"
ACCESS: dict[tuple[str, str], Access] = {
    ("GET", "/openapi.json"): Access(PUBLIC, OK),
    ("GET", "/docs"): Access(PUBLIC, OK),
    ("GET", "/docs/assets/{name}"): Access(PUBLIC, OK),
    ("GET", "/healthz"): Access(PUBLIC, OK),
    ("GET", "/static/{file}"): Access(PUBLIC, OK),
    ("GET", "/favicon.ico"): Access(PUBLIC, 204),  # no icon, and no 404 in the console
    ("GET", "/sign-in"): Access(PUBLIC, OK),
    ("POST", "/sign-in"): Access(PUBLIC, SEE_OTHER),  # 401 for no key or a wrong one: see _request
    ("POST", "/sign-out"): Access(PUBLIC, SEE_OTHER),
    ("GET", "/"): Access(Role.viewer, OK, page=True, params={"q": "waste"}),
    ("GET", "/policies"): Access(Role.viewer, OK, page=True),
    ("GET", "/policies/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/roles/{key}"): Access(PUBLIC, MOVED),  # the old address of /posts/{key}, which signs in
    ("GET", "/posts"): Access(Role.viewer, OK, page=True),
    ("GET", "/posts/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/partners"): Access(Role.viewer, OK, page=True),
    ("GET", "/partners/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/workstreams"): Access(Role.viewer, OK, page=True),
    ("GET", "/workstreams/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/health"): Access(Role.procurement, OK, page=True),
    ("GET", "/health/{key}"): Access(Role.procurement, OK, page=True),
    ("GET", "/gaps"): Access(Role.viewer, OK, page=True),
    ("GET", "/initiatives"): Access(Role.viewer, OK, page=True),
    ("GET", "/initiatives/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/indicators"): Access(Role.viewer, OK, page=True),
    ("GET", "/indicators/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/programmes"): Access(Role.viewer, OK, page=True),
    ("GET", "/programmes/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/themes"): Access(Role.viewer, OK, page=True),
    ("GET", "/themes/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/charters"): Access(Role.viewer, OK, page=True),
    ("GET", "/charters/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/contracts"): Access(Role.procurement, OK, page=True),
    ("GET", "/contracts/{key}"): Access(Role.procurement, OK, page=True),
    ("GET", "/grants"): Access(Role.procurement, OK, page=True),
    ("GET", "/grants/{key}"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement/expiring"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement/concentration"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement/single-points-of-failure"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement/kraljic"): Access(Role.procurement, OK, page=True),
    ("GET", "/procurement/commissioning"): Access(Role.procurement, OK, page=True),
    ("GET", "/api/v1/stats"): Access(Role.viewer, OK),
    ("GET", "/api/v1/nodes/{key}"): Access(Role.viewer, OK),
    ("GET", "/api/v1/changes"): Access(Role.viewer, OK, params={"from": "2000-01-01", "to": "2030-12-31"}),
    ("GET", "/api/v1/partners"): Access(Role.viewer, OK, params={"q": "ltd"}),
    ("GET", "/api/v1/partners/{key}"): Access(Role.viewer, OK),
    ("GET", "/api/v1/policies"): Access(Role.viewer, OK),
    ("GET", "/api/v1/policies/{key}"): Access(Role.viewer, OK),
    ("GET", "/api/v1/roles/{key}/holdings"): Access(Role.viewer, OK),
    ("GET", "/api/v1/accountability/gaps"): Access(Role.viewer, OK),
    ("GET", "/api/v1/initiatives"): Access(Role.viewer, OK),
    ("GET", "/api/v1/initiatives/unaligned"): Access(Role.viewer, OK),
    ("GET", "/api/v1/initiatives/{key}/alignment"): Access(Role.viewer, OK),
    ("GET", "/api/v1/initiatives/{key}/approval-route"): Access(Role.viewer, OK),
    ("GET", "/api/v1/indicators/coverage"): Access(Role.viewer, OK),
    ("GET", "/api/v1/stakeholders"): Access(Role.viewer, OK),
    ("GET", "/api/v1/stakeholders/bridges"): Access(Role.viewer, OK),
    ("GET", "/maps/stakeholders"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/grid"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/ego/{key}"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/policy-ownership"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/stakeholders/bridges"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/assets/{asset_name}"): Access(PUBLIC, OK),  # vis-network and the map's own script and styles
    ("GET", "/maps"): Access(Role.viewer, OK, page=True),
    ("GET", "/maps/views/{key}"): Access(Role.viewer, SEE_OTHER, page=True),  # to the saved view's map
    ("POST", "/maps/views"): Access(Role.editor, SEE_OTHER, page=True),  # the map page's save form
    ("GET", "/api/v1/maps/views"): Access(Role.viewer, OK),
    ("GET", "/api/v1/maps/views/{key}"): Access(Role.viewer, OK),
    ("POST", "/api/v1/maps/views"): Access(Role.editor, CREATED),
    ("GET", "/api/v1/commissioning/decisions"): Access(Role.procurement, OK),
    ("GET", "/api/v1/health-report"): Access(Role.procurement, OK),
    ("GET", "/api/v1/health-report/snapshots"): Access(Role.procurement, OK),
    ("POST", "/api/v1/health-report/snapshots"): Access(Role.procurement, CREATED),
    ("GET", "/api/v1/partners/{key}/health"): Access(Role.procurement, OK),
    ("GET", "/api/v1/partners/{key}/health/history"): Access(Role.procurement, OK),
    ("GET", "/api/v1/partners/{key}/impact"): Access(Role.procurement, OK),
    ("GET", "/api/v1/procurement/expiring-contracts"): Access(Role.procurement, OK),
    ("GET", "/api/v1/procurement/spend-concentration"): Access(Role.procurement, OK),
    ("GET", "/api/v1/procurement/single-points-of-failure"): Access(Role.procurement, OK),
    ("GET", "/api/v1/procurement/kraljic"): Access(Role.procurement, OK),
    ("GET", "/api/v1/procurement/commissioning"): Access(Role.procurement, OK),
    ("GET", "/api/v1/matches"): Access(Role.procurement, OK),
    ("GET", "/api/v1/audit"): Access(Role.procurement, OK),
    ("POST", "/api/v1/ingest"): Access(Role.admin, OK),
    ("POST", "/api/v1/matches/{match_id}/confirm"): Access(Role.procurement, NOT_FOUND),  # no such match: reached, 404
    ("POST", "/api/v1/matches/{match_id}/reject"): Access(Role.procurement, NOT_FOUND),
    # recording (tests/test_editing.py): an editor reaches the route, which wants a body (422)
    ("GET", "/api/v1/stakeholders/{key}/assessment"): Access(Role.viewer, OK),
    ("PUT", "/api/v1/stakeholders/{key}/assessment"): Access(Role.editor, INVALID),
    ("DELETE", "/api/v1/stakeholders/{key}/assessment"): Access(Role.editor, 428),  # no If-Match
    ("POST", "/api/v1/partners/{key}/engagements"): Access(Role.editor, INVALID),
    ("GET", "/api/v1/charters/{key}"): Access(Role.viewer, OK),
    ("POST", "/api/v1/charters"): Access(Role.editor, INVALID),
    ("PUT", "/api/v1/charters/{key}"): Access(Role.editor, INVALID),
    ("GET", "/api/v1/partners/{key}/holder"): Access(Role.viewer, OK),
    ("PUT", "/api/v1/partners/{key}/holder"): Access(Role.editor, INVALID),
    ("POST", "/api/v1/partners/{key}/holder/end"): Access(Role.editor, INVALID),
    ("GET", "/api/v1/policies/{key}/facts"): Access(Role.viewer, OK),
    ("PUT", "/api/v1/policies/{key}/facts"): Access(Role.editor, INVALID),
    # the recording forms: an empty form comes back with its errors (422)
    ("GET", "/record/partners/{key}/engagement"): Access(Role.editor, OK, page=True),
    ("POST", "/record/partners/{key}/engagement"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/partners/{key}/holder"): Access(Role.editor, OK, page=True),
    ("POST", "/record/partners/{key}/holder"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/partners/{key}/holder/end"): Access(Role.editor, OK, page=True),
    ("POST", "/record/partners/{key}/holder/end"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/partners/{key}/assessment"): Access(Role.editor, OK, page=True),
    ("POST", "/record/partners/{key}/assessment"): Access(Role.editor, INVALID, page=True),
    ("POST", "/record/partners/{key}/assessment/withdraw"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/charters/new"): Access(Role.editor, OK, page=True),
    ("POST", "/record/charters/new"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/charters/{key}"): Access(Role.editor, OK, page=True),
    ("POST", "/record/charters/{key}"): Access(Role.editor, INVALID, page=True),
    ("GET", "/record/policies/{key}"): Access(Role.editor, OK, page=True),
    ("POST", "/record/policies/{key}"): Access(Role.editor, INVALID, page=True),
    ("POST", "/record/matches/{match_id}/{decision}"): Access(Role.procurement, NOT_FOUND, page=True),
}
CALLERS = ["no key", "wrong key", *Role]
SAVED_VIEW = {"name": "Matrix view", "address": "/maps/grid"}


@dataclass
class Reference:
    server: LiveServer
    store: EmbeddedStore
    keys: dict[str, str]  # path parameter for each route prefix


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    folder = tmp_path_factory.mktemp("authz")
    store = EmbeddedStore(folder / "data")
    load_reference(store)
    a, b = "org:hertfordshire-lep", "GB-LAE-DAC"  # a match review to keep from viewers (synthetic)
    store.upsert(Batch(rels=[RelRecord(type="POSSIBLY_SAME_AS", start=a, end=b, provenance=Provenance(source="authz test"),
                                       props={"score": 0.61, "reason": "zz-match-reason-zz", "status": "pending",
                                              "match_id": "m-0123456789"})]))
    saved = save_view(store, name="Authz test view", address="/maps/grid", who="authz test")
    nodes, rels = store.export()
    paid = {r.end for r in rels if r.type == "PAID_TO"}
    supplier = max((r.start for r in rels if r.type == "SUPPLIES" and r.start in paid),
                   key=lambda k: sum(1 for r in rels if k in (r.start, r.end)))
    first = {label: min(n.key for n in nodes if n.label == label)
             for label in ("Policy", "Post", "Initiative", "Charter", "Contract", "Grant", "Workstream", "KeyIndicator",
                           "Programme", "Theme")}
    keys = {"/api/v1/policies/": first["Policy"], "/policies/": first["Policy"], "/roles/": first["Post"],
            "/posts/": first["Post"], "/workstreams/": first["Workstream"],
            "/api/v1/roles/": first["Post"], "/api/v1/initiatives/": first["Initiative"], "": supplier,
            "/charters/": first["Charter"], "/api/v1/charters/": first["Charter"], "/record/charters/": first["Charter"],
            "/record/policies/": first["Policy"], "/contracts/": first["Contract"], "/grants/": first["Grant"],
            "/initiatives/": first["Initiative"], "/indicators/": first["KeyIndicator"],
            "/programmes/": first["Programme"], "/themes/": first["Theme"],
            "/maps/views/": saved.key, "/api/v1/maps/views/": saved.key}
    with live_server(store, folder / "keys") as running:
        yield Reference(running, store, keys)


def routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, HEAD aside (it mirrors GET)."""
    return {(method, context.path_format) for context in iter_route_contexts(app.routes)
            for method in context.methods - {"HEAD"}}


def _url(path: str, keys: dict[str, str]) -> str:
    prefix = max((p for p in keys if path.startswith(p)), key=len)
    return (path.replace("{key}", keys[prefix]).replace("{match_id}", "m-no-such-match").replace("{decision}", "confirm").replace("{name}", "docs.js")
            .replace("{file}", "pages.css").replace("{asset_name}", "map.js"))


def _client(server: LiveServer, caller: str | Role) -> httpx.Client:
    client = server.client(caller if isinstance(caller, Role) else None)
    if caller == "wrong key":
        client.headers["Authorization"] = "Bearer gs_" + "x" * 43
    client.follow_redirects = False
    return client


def _request(client: httpx.Client, method: str, path: str, access: Access, reference: Reference) -> httpx.Response:
    url = _url(path, reference.keys)
    if path == "/sign-in" and method == "POST":
        key = client.headers.get("Authorization", "").removeprefix("Bearer ")
        token = form_token(client.get("/sign-in").text)
        return client.post(url, data={"csrf_token": token, "key": key, "next": "/"},
                           headers={"Origin": reference.server.url})
    if path == "/api/v1/ingest":
        return client.post(url, files={"file": ("matrix.csv", SPEND_CSV, "text/csv")})
    if path == "/api/v1/maps/views":
        return client.post(url, json=SAVED_VIEW) if method == "POST" else client.get(url)
    if (method, path) == ("POST", "/maps/views"):
        return client.post(url, data=SAVED_VIEW)
    return client.request(method, url, params=access.params)


def test_every_route_has_a_declared_access_rule(reference: Reference):
    """A new route cannot escape the matrix: it fails here until it is given a line in ACCESS."""
    served = routes(reference.server.app)
    assert served - set(ACCESS) == set(), "routes with no access rule"
    assert set(ACCESS) - served == set(), "access rules for routes that no longer exist"


@pytest.mark.parametrize("route", sorted(ACCESS), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_caller_gets_exactly_the_allowed_answer(route: tuple[str, str], reference: Reference):
    method, path = route
    access = ACCESS[route]
    for caller in CALLERS:
        response = _request(_client(reference.server, caller), method, path, access, reference)
        who = f"{caller} on {method} {path}: {response.status_code} {response.text[:300]}"
        if access.minimum is PUBLIC:
            keyed = isinstance(caller, Role)
            expected = access.ok if keyed or (method, path) != ("POST", "/sign-in") else 401
            assert response.status_code == expected, who
        elif not isinstance(caller, Role):
            if access.page:
                assert response.status_code == SEE_OTHER, who
                assert response.headers["location"].startswith("/sign-in?next="), who
            else:
                _assert_error(response, 401, "unauthorised", who)
        elif caller < access.minimum:
            if access.page:
                assert response.status_code == 403 and "Not allowed" in response.text, who
            else:
                _assert_error(response, 403, "forbidden", who)
        else:
            assert response.status_code == access.ok, who
            if access.ok == NOT_FOUND and not access.page:
                _assert_error(response, 404, "not_found", who)  # the route answered, not the router


def _assert_error(response: httpx.Response, status: int, code: str, who: str) -> None:
    assert response.status_code == status, who
    error = response.json()["error"]
    assert error["code"] == code and error["message"], who


# -- procurement-only facts never reach a viewer --------------------------------------------------
KEY = re.compile(r"(?:payment|kpi|decision):[\w./-]*\w|m-[0-9a-f]{10}")
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?")


Secrets = tuple[set[str], set[float], set[str]]


def _secrets(store: EmbeddedStore) -> Secrets:
    """Payment, KPI rating and decision keys and match ids, contract values, and decisions' costs and match
    reasons: what a viewer must never receive."""
    nodes, rels = store.export()
    keys = {n.key for n in nodes if n.label in ("Payment", "KpiRating", "CommissioningDecision")}
    keys |= {r.props["match_id"] for r in rels if r.type == "POSSIBLY_SAME_AS"}
    values = {n.props["value"] for n in nodes if n.label == "Contract" and n.props.get("value")}
    texts = {n.props["cost"] for n in nodes if n.label == "CommissioningDecision" and n.props.get("cost")}
    texts |= {r.props["reason"] for r in rels if r.type == "POSSIBLY_SAME_AS"}
    return keys, values, texts


def _found(text: str, secrets: Secrets) -> list[str]:
    """The secrets in a response, however it prints them: 1234567.0, 1234567 or 1,234,567.00."""
    keys, values, texts = secrets
    hits = {k for k in KEY.findall(text) if k in keys}
    hits |= {number for number in NUMBER.findall(text) if float(number.replace(",", "")) in values}
    hits |= {t for t in texts if t in text}
    return sorted(hits)


def _viewer_requests(reference: Reference) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every GET route a viewer may call, with the supplier, contracts and maps in each of their formats."""
    nodes, rels = reference.store.export()
    supplier = reference.keys[""]
    contracts = sorted(r.end for r in rels if r.type == "SUPPLIES" and r.start == supplier)
    for (method, path), access in ACCESS.items():
        if method != "GET" or access.minimum is not Role.viewer or access.ok != OK:
            continue
        yield _url(path, reference.keys), access.params
        if path in ("/api/v1/nodes/{key}", "/maps/ego/{key}"):
            for key in contracts[:3]:
                yield path.replace("{key}", key), {}
        if path.startswith("/maps/"):
            for fmt in ("json", "csv", "graphml", "gexf"):
                yield _url(path, reference.keys), {**access.params, "format": fmt}
    for key in contracts[:3]:
        yield "/", {"q": next(n.props["title"] for n in nodes if n.key == key)}
    decided = sorted(r.end for r in rels if r.type == "DECIDES")  # contracts and services a decision names
    for key in decided[:3]:
        yield f"/api/v1/nodes/{key}", {}
        yield f"/maps/ego/{key}", {"format": "json"}
    for key in ("org:hertfordshire-lep", "GB-LAE-DAC"):  # the two ends of the match review
        yield f"/api/v1/nodes/{key}", {}
        yield f"/maps/ego/{key}", {"format": "json"}
    yield "/api/v1/partners", {"q": "", "limit": 500}


def _leaks(client: httpx.Client, reference: Reference) -> dict[str, list[str]]:
    secrets = _secrets(reference.store)
    found: dict[str, list[str]] = {}
    for url, params in _viewer_requests(reference):
        response = client.get(url, params=params)
        assert response.status_code == 200, f"{url} {params}: {response.status_code} {response.text[:300]}"
        hits = _found(response.text, secrets)
        if hits:
            found[f"{url} {params}"] = hits[:5]
    return found


@pytest.mark.parametrize("role", [Role.viewer, Role.editor], ids=lambda r: r.name)
def test_viewers_and_editors_never_receive_procurement_only_facts(role: Role, reference: Reference):
    """An editor records facts but sees no more than a viewer."""
    keys, values, texts = _secrets(reference.store)
    assert len(keys) > 1000 and len(values) > 100 and len(texts) > 3  # every one there is
    assert _leaks(_client(reference.server, role), reference) == {}


def test_the_leak_search_finds_what_procurement_may_see(reference: Reference):
    """The same search over procurement's answers finds contract values: a viewer's clean result means something."""
    found = _leaks(_client(reference.server, Role.procurement), reference)
    assert any("/api/v1/nodes/contract:" in where for where in found), found
    assert any(where.startswith("/api/v1/partners/") for where in found), found
    assert any("decision:" in hit for hits in found.values() for hit in hits), found
    match = _client(reference.server, Role.procurement).get("/api/v1/nodes/org:hertfordshire-lep").text
    assert "m-0123456789" in match and "zz-match-reason-zz" in match


def test_a_restricted_node_is_not_found_for_a_viewer_and_whole_for_procurement(reference: Reference):
    """/api/v1/nodes/{key} answers as the routes do: commissioning decisions are procurement's."""
    decision = min(n.key for n in reference.store.export()[0] if n.label == "CommissioningDecision")
    for path in (f"/api/v1/nodes/{decision}", f"/maps/ego/{decision}?format=json"):
        assert _client(reference.server, Role.viewer).get(path).status_code == 404, path
        assert _client(reference.server, Role.procurement).get(path).status_code == 200, path
    node = _client(reference.server, Role.procurement).get(f"/api/v1/nodes/{decision}").json()["node"]
    assert node["props"]["cost"]


@pytest.mark.parametrize("path", ["/api/v1/stakeholders", "/maps/stakeholders", "/maps/grid"])
def test_the_health_score_filter_needs_procurement(path: str, reference: Reference):
    """A parameter can be procurement-only too: filtering by health score would reveal the scores."""
    for role in (Role.viewer, Role.editor):
        refused = _client(reference.server, role).get(path, params={"min_health": 50})
        if path.startswith("/maps/"):  # a page: the refusal is a page too
            assert refused.status_code == 403 and "Not allowed" in refused.text, path
        else:
            _assert_error(refused, 403, "forbidden", path)
    assert _client(reference.server, Role.procurement).get(path, params={"min_health": 50}).status_code == 200


def test_the_navigation_links_only_to_pages_the_role_may_open(reference: Reference):
    """An editor's header has no relationship-health link (it is procurement's); procurement's has."""
    for role, shown in ((Role.viewer, False), (Role.editor, False), (Role.procurement, True), (Role.admin, True)):
        home = reference.server.browser_client(role).get("/").text
        assert ('href="/health"' in home) is shown, role

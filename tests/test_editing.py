"""Recording officers' facts and judgement over HTTP, on both backends: who may, the version check (428/412),
validation that names the field and writes nothing, and each write's provenance, history, audit entry and
place in `changes`."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from graph_service.access.auth import Role
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.queries import ask
from tests.conftest import form_token, live_server

PROV = Provenance(source="partners.yaml", locator="test")
LEP, DAC, CHAMBER = "org:hertfordshire-lep", "GB-LAE-DAC", "org:chamber"
OFFICER, MANAGER = "post:partnerships-officer", "post:partnerships-manager"
POLICY = "policy:new-normal"
TODAY = dt.date.today().isoformat()


def seed(store) -> None:
    node = lambda label, key, **p: NodeRecord(label=label, key=key, props=p, provenance=PROV)  # noqa: E731
    rel = lambda t, a, b, since=None, **p: RelRecord(type=t, start=a, end=b, valid_from=since, props=p, provenance=PROV)  # noqa: E731
    store.upsert(Batch(
        nodes=[node("Organisation", LEP, name="Hertfordshire LEP"), node("Organisation", DAC, name="Dacorum", is_council=True),
               node("Organisation", CHAMBER, name="Chamber of Commerce"),
               node("Post", OFFICER, title="Partnerships Officer"), node("Post", MANAGER, title="Partnerships Manager"),
               node("Policy", POLICY, title="New Normal Strategy", version="1.0", review_date="2020-05")],
        rels=[rel("HOLDS_RELATIONSHIP", OFFICER, LEP, "2019-01-01"), rel("RESPONSIBLE_FOR", OFFICER, POLICY, "2019-06-01")]))


@pytest.fixture
def server(any_store, tmp_path):
    seed(any_store)
    with live_server(any_store, tmp_path / "keys") as running:
        yield running


def audit_entries(server) -> list[dict]:
    path = server.app.state.settings.data_dir / "audit.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def changes(server, **params) -> list[dict]:
    """Every change, following the pages to the last."""
    client = server.client(Role.viewer)
    response = client.get("/api/v1/changes", params={"from": "2000-01-01", "to": TODAY, **params})
    found = []
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        found += body["changes"]
        if body["next"] is None:
            assert len(found) == body["count"]
            return found
        response = client.get(body["next"])


ASSESSMENT = {"power": 0.9, "interest": 0.8, "reason": "Holds the growth deal money"}


def test_assessment_needs_the_version_and_refuses_a_stale_one(server):
    editor = server.client(Role.editor)
    url = f"/api/v1/stakeholders/{LEP}/assessment"
    first = editor.get(url)
    assert first.status_code == 200 and first.json()["assessment"] is None
    missing = editor.put(url, json=ASSESSMENT)
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "version_required"
    done = editor.put(url, json=ASSESSMENT, headers={"If-Match": first.headers["ETag"]})
    assert done.status_code == 200, done.text
    assert done.json()["assessment"]["quadrant"] == "manage_closely"
    stale = editor.put(url, json={**ASSESSMENT, "power": 0.1}, headers={"If-Match": first.headers["ETag"]})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "version_mismatch"
    assert editor.get(url).json()["assessment"]["power"] == 0.9  # the second edit did not overwrite the first


def test_viewer_may_read_but_not_record(server):
    viewer = server.client(Role.viewer)
    url = f"/api/v1/stakeholders/{LEP}/assessment"
    tag = viewer.get(url).headers["ETag"]
    refused = viewer.put(url, json=ASSESSMENT, headers={"If-Match": tag})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    for method, path, body in (("POST", f"/api/v1/partners/{LEP}/engagements", {}), ("POST", "/api/v1/charters", {}),
                               ("PUT", f"/api/v1/partners/{LEP}/holder", {}), ("PUT", f"/api/v1/policies/{POLICY}/facts", {})):
        assert viewer.request(method, path, json=body, headers={"If-Match": "x"}).status_code == 403, path
    assert audit_entries(server) == []


def test_assessment_overlays_the_computed_placement_and_is_recorded(server, any_store):
    editor = server.client(Role.editor)
    url = f"/api/v1/stakeholders/{LEP}/assessment"
    before = next(p for p in server.client(Role.viewer).get("/api/v1/stakeholders").json()["partners"] if p["key"] == LEP)
    tag = editor.get(url).headers["ETag"]
    assert editor.put(url, json={**ASSESSMENT, "power": 0.95, "interest": 0.1}, headers={"If-Match": tag}).status_code == 200
    after = next(p for p in server.client(Role.viewer).get("/api/v1/stakeholders").json()["partners"] if p["key"] == LEP)
    assert (after["power"], after["interest"], after["computed_quadrant"]) == (before["power"], before["interest"],
                                                                             before["quadrant"])
    assert after["quadrant"] == "keep_satisfied"
    assert after["assessment"]["assessed_by"] == "test editor" and after["assessment"]["reason"] == ASSESSMENT["reason"]
    node = any_store.get("assessment:org-hertfordshire-lep")
    assert (node.provenance.source, node.provenance.locator) == ("recorded", "test editor")
    entry = audit_entries(server)[-1]
    assert (entry["action"], entry["who"]["label"], entry["fact"]["kind"], entry["fact"]["key"]) == (
        "record", "test editor", "assessment", LEP)
    assert any(c["change"] == "recorded" and c["key"] == "assessment:org-hertfordshire-lep" for c in changes(server))

    tag = editor.get(url).headers["ETag"]
    assert editor.delete(url).status_code == 428
    withdrawn = editor.delete(url, headers={"If-Match": tag})
    assert withdrawn.status_code == 200 and withdrawn.json()["assessment"] is None
    back = next(p for p in server.client(Role.viewer).get("/api/v1/stakeholders").json()["partners"] if p["key"] == LEP)
    assert back["quadrant"] == before["quadrant"] and back["assessment"] is None
    node = any_store.get("assessment:org-hertfordshire-lep")
    assert node.props["withdrawn"] is True and node.history[-1]["props"]["power"] == 0.95
    assert any(c["change"] == "recorded" and c["values"].get("withdrawn") == {"before": False, "after": True}
               for c in changes(server))


def test_a_bad_assessment_names_the_field_and_writes_nothing(server, any_store):
    editor = server.client(Role.editor)
    url = f"/api/v1/stakeholders/{LEP}/assessment"
    tag = editor.get(url).headers["ETag"]
    bad = editor.put(url, json={**ASSESSMENT, "power": 1.5}, headers={"If-Match": tag})
    assert bad.status_code == 422
    assert [p["where"] for p in bad.json()["error"]["details"]["problems"]] == ["body.power"]
    assert any_store.get("assessment:org-hertfordshire-lep") is None and audit_entries(server) == []


def test_an_engagement_counts_as_health_evidence(server, any_store):
    editor = server.client(Role.editor)
    body = {"held_on": TODAY, "kind": "meeting", "summary": "Growth deal review", "post": OFFICER,
            "attendees": ["Sam Jones"]}
    made = editor.post(f"/api/v1/partners/{LEP}/engagements", json=body)
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert made.json()["provenance"]["source"] == "recorded"
    health = server.client(Role.procurement).get(f"/api/v1/partners/{LEP}/health")
    assert health.status_code == 200, health.text
    assert key in health.text
    assert [p["where"] for p in editor.post(f"/api/v1/partners/{LEP}/engagements", json={**body, "kind": "chat"})
            .json()["error"]["details"]["problems"]] == ["body.kind"]
    unknown = editor.post(f"/api/v1/partners/{LEP}/engagements", json={**body, "post": "post:nobody"})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"]["field"] == "post"
    assert [e["fact"]["key"] for e in audit_entries(server)] == [key]
    assert any(c["change"] == "recorded" and key in (c["key"], c["start"]) for c in changes(server, partner=LEP))


def test_a_charter_past_its_review_date_is_a_gap(server, any_store):
    editor = server.client(Role.editor)
    body = {"name": "Dacorum Business Charter 2020", "parties": [DAC, LEP], "signed_on": "2020-01-15",
            "review_on": "2021-01-15", "document_location": "https://example.org/charter.pdf"}
    made = editor.post("/api/v1/charters", json=body)
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert made.json()["lapsed_because"] == "review date passed"
    assert editor.post("/api/v1/charters", json=body).status_code == 409
    gaps = server.client(Role.viewer).get("/api/v1/accountability/gaps").json()["gaps"]
    assert any(g["reason"] == "charter_lapsed" and g["key"] == key for g in gaps)

    tag = editor.get(f"/api/v1/charters/{key}").headers["ETag"]
    renewed = editor.put(f"/api/v1/charters/{key}", json={**body, "parties": [DAC, CHAMBER], "review_on": "2099-01-01"},
                         headers={"If-Match": tag})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["lapsed"] is False
    parties = {p["key"]: p for p in renewed.json()["parties"]}
    assert parties[LEP]["left"] == TODAY and parties[CHAMBER]["left"] is None
    assert editor.put(f"/api/v1/charters/{key}", json=body, headers={"If-Match": tag}).status_code == 412
    assert any(c["change"] == "recorded" and c["key"] == key and "review_date" in c["values"] for c in changes(server))
    backwards = editor.post("/api/v1/charters", json={**body, "name": "Other", "review_on": "2019-01-01"})
    assert backwards.status_code == 422 and "review" in backwards.text
    assert any_store.get("charter:other") is None


def test_holder_set_and_ended_from_a_date(server):
    editor = server.client(Role.editor)
    url = f"/api/v1/partners/{LEP}/holder"
    tag = editor.get(url).headers["ETag"]
    assert editor.put(url, json={"post": MANAGER, "held_from": "2024-04-01"}).status_code == 428
    moved = editor.put(url, json={"post": MANAGER, "held_from": "2024-04-01"}, headers={"If-Match": tag})
    assert moved.status_code == 200, moved.text
    assert [h["post"] for h in moved.json()["current"]] == [MANAGER]
    old = next(h for h in moved.json()["history"] if h["post"] == OFFICER)
    assert (old["held_from"], old["held_to"], old["provenance"]["source"]) == ("2019-01-01", "2024-04-01", "recorded")
    ended = editor.post(f"{url}/end", json={"ended_on": TODAY}, headers={"If-Match": moved.headers["ETag"]})
    assert ended.status_code == 200 and ended.json()["current"] == []
    early = editor.post(f"{url}/end", json={"ended_on": TODAY}, headers={"If-Match": ended.headers["ETag"]})
    assert early.status_code == 400 and early.json()["error"]["details"]["field"] == "ended_on"


def test_policy_corrections_keep_owners_in_time(server, any_store):
    editor = server.client(Role.editor)
    url = f"/api/v1/policies/{POLICY}/facts"
    got = editor.get(url)
    assert got.status_code == 200, got.text
    body = {"document_location": "https://example.org/nn.pdf", "version": "2.0", "review_date": "2027-03",
            "owners": [{"role": "responsible_officer", "post": MANAGER}], "owners_from": "2025-01-01"}
    fixed = editor.put(url, json=body, headers={"If-Match": got.headers["ETag"]})
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["version"], fixed.json()["review_date"]) == ("2.0", "2027-03")
    assert [o["post"] for o in fixed.json()["owners"]] == [MANAGER]
    for day, owner in (("2024-06-01", OFFICER), (TODAY, MANAGER)):  # who owned it then, and now
        [row] = ask(any_store, "policy_register", keys=[POLICY], as_of=day)
        assert {o["post"] for o in row["owners"]} == {owner}, day
    policy = any_store.get(POLICY)
    assert policy.history[-1]["props"]["version"] == "1.0" and policy.provenance.source == "recorded"
    assert editor.put(url, json=body, headers={"If-Match": got.headers["ETag"]}).status_code == 412
    bad = editor.put(url, json={"review_date": "soon"}, headers={"If-Match": fixed.headers["ETag"]})
    assert [p["where"] for p in bad.json()["error"]["details"]["problems"]] == ["body.review_date"]
    assert any(c["change"] == "recorded" and c["key"] == POLICY for c in changes(server, policy=POLICY))


# -- the forms, over HTTP as a signed-in browser sends them (the Chromium tests: test_editing_browser.py)
def test_a_form_with_mistakes_names_each_field_and_writes_nothing(server, any_store):
    browser = server.browser_client(Role.editor)
    page = browser.get(f"/record/partners/{LEP}/engagement")
    assert page.status_code == 200
    sent = browser.post(f"/record/partners/{LEP}/engagement",
                        data={"csrf_token": form_token(page.text), "held_on": "12/31/2024", "kind": "", "summary": ""})
    assert sent.status_code == 422
    assert 'class="govuk-error-summary"' in sent.text
    for field in ("held_on", "kind", "summary"):
        assert f'id="{field}-error"' in sent.text and f'href="#{field}"' in sent.text, field
    assert audit_entries(server) == []
    ok = browser.post(f"/record/partners/{LEP}/engagement", follow_redirects=False,
                      data={"csrf_token": form_token(page.text), "held_on": "31/12/2024", "kind": "meeting",
                            "summary": "Quarterly liaison", "attendees": "Sam Jones\nAli Khan"})
    assert ok.status_code == 303, ok.text
    [entry] = audit_entries(server)
    assert (entry["via"], entry["fact"]["held_on"]) == ("page", "2024-12-31")


def test_a_form_without_its_token_is_refused(server):
    browser = server.browser_client(Role.editor)
    sent = browser.post(f"/record/partners/{LEP}/assessment", data={"power": "0.5", "interest": "0.5", "reason": "x"})
    assert sent.status_code == 403 and audit_entries(server) == []


def test_a_stale_form_gets_the_conflict(server):
    browser = server.browser_client(Role.editor)
    first, second = (browser.get(f"/record/partners/{LEP}/assessment").text for _ in range(2))
    data = {"power": "0.9", "interest": "0.9", "reason": "Growth deal"}
    version = lambda page: re.search(r'name="fact_version" value="([^"]+)"', page).group(1)  # noqa: E731
    assert browser.post(f"/record/partners/{LEP}/assessment", follow_redirects=False,
                        data={**data, "csrf_token": form_token(first), "fact_version": version(first)}).status_code == 303
    again = browser.post(f"/record/partners/{LEP}/assessment",
                         data={**data, "power": "0.1", "csrf_token": form_token(second), "fact_version": version(second)})
    assert again.status_code == 422 and "Someone changed this" in again.text
    assert server.client(Role.viewer).get(f"/api/v1/stakeholders/{LEP}/assessment").json()["assessment"]["power"] == 0.9


def test_the_grid_places_the_partner_where_the_officer_did_and_shows_both(server):
    editor = server.client(Role.editor)
    url = f"/api/v1/stakeholders/{LEP}/assessment"
    before = editor.get("/maps/grid", params={"format": "json"}).json()
    assert editor.put(url, json=ASSESSMENT, headers={"If-Match": editor.get(url).headers["ETag"]}).status_code == 200
    after = editor.get("/maps/grid", params={"format": "json"}).json()

    def dot(view):
        return next(n for n in view["nodes"] if n["id"] == LEP)

    assert "Officer's placement" not in json.dumps(dot(before))
    shown = json.dumps(dot(after))
    assert "Officer's placement: power 0.90 - interest 0.80: Manage closely" in shown and "test editor" in shown
    assert "Computed power" in shown and ASSESSMENT["reason"] in shown
    assert (dot(after)["x"], dot(after)["y"]) != (dot(before)["x"], dot(before)["y"])  # moved to the officer's place


def test_procurement_decides_a_possible_match_from_the_partner_page(server, any_store):
    match = "m-00000000aa"
    any_store.upsert(Batch(rels=[RelRecord(type="POSSIBLY_SAME_AS", start=CHAMBER, end=LEP, provenance=PROV,
                                           props={"score": 0.7, "reason": "similar names", "status": "pending",
                                                  "match_id": match})]))
    admin = server.browser_client(Role.procurement)  # who sees the restricted match reviews decides them
    page = admin.get(f"/partners/{LEP}").text
    assert f'action="/record/matches/{match}/confirm"' in page and "similar names" in page
    editor = server.browser_client(Role.editor)
    editor_page = editor.get(f"/partners/{LEP}").text
    assert "similar names" not in editor_page  # match reviews are restricted
    own = form_token(editor_page)
    refused = editor.post(f"/record/matches/{match}/confirm", data={"csrf_token": own, "partner": LEP})
    assert refused.status_code == 403 and "needs the procurement role" in refused.text
    done = admin.post(f"/record/matches/{match}/reject", follow_redirects=False,
                      data={"csrf_token": form_token(page), "partner": LEP})
    assert done.status_code == 303 and done.headers["location"] == f"/partners/{LEP}#record"
    [entry] = audit_entries(server)
    assert (entry["action"], entry["via"], entry["match"]["decision"], entry["match"]["was"]) == (
        "match-decision", "page", "rejected", "pending")
    assert f'/record/matches/{match}/' not in admin.get(f"/partners/{LEP}").text


def test_the_policy_form_keeps_a_role_held_by_two_posts(server, any_store):
    editor = server.client(Role.editor)
    url = f"/api/v1/policies/{POLICY}/facts"
    got = editor.get(url)
    both = {"owners": [{"role": "responsible_officer", "post": OFFICER}, {"role": "responsible_officer", "post": MANAGER}],
            "owners_from": "2025-01-01"}
    assert editor.put(url, json=both, headers={"If-Match": got.headers["ETag"]}).status_code == 200
    browser = server.browser_client(Role.editor)
    page = browser.get(f"/record/policies/{POLICY}")
    chosen = re.findall(r'<select[^>]* name="(responsible_officer(?:_\d+)?)">.*?<option value="([^"]*)" selected>',
                        page.text, re.S)
    assert sorted(post for _, post in chosen) == sorted([OFFICER, MANAGER])
    assert 'name="responsible_officer_3"' in page.text  # a blank one to add a third
    form = {"csrf_token": form_token(page.text), "fact_version": re.search(r'name="fact_version" value="([^"]+)"', page.text)[1],
            "version": "3.0", **{name: post for name, post in chosen}, "responsible_officer_3": ""}
    saved = browser.post(f"/record/policies/{POLICY}", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    owners = editor.get(url).json()["owners"]
    assert sorted(o["post"] for o in owners if o["role"] == "responsible_officer") == sorted([OFFICER, MANAGER])
    assert editor.get(url).json()["version"] == "3.0"

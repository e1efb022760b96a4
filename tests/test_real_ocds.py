"""OCDS as published: every real file's releases, ocids, awards, suppliers and award values counted from
the raw JSON by this file's own few lines and found in the store, on both backends; compiled per ocid
whatever the load order; notices stored as Tenders, never as Contracts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_service.ingest import ingest_file
from graph_service.schema import MAX_TEXT
from graph_service.store.embedded import EmbeddedStore
from tests.conftest import SHARED
from graph_service.queries import ask

DATA = SHARED / "data"
REAL = DATA / "real" / "ocds"
FIND_A_TENDER = sorted((REAL / "find-a-tender").glob("*.json"))
OCDSKIT = sorted((REAL / "non-uk-ocdskit-realdata").glob("*.json"))
EXAMPLES = sorted((DATA / "ocds").glob("1.1_*.json"))
CONTRACTS_FINDER = sorted((DATA / "ocds" / "uk-contracts-finder-2017").glob("*/*.json"))
PACKAGE = DATA / "ocds" / "1.1_ocds-213czf-000-00001.json"
FILES = [*FIND_A_TENDER, *OCDSKIT, *EXAMPLES, *CONTRACTS_FINDER]

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data is not beside the clone")


# -- the raw files, read by this test's own lines (not the product's parser) -----------------------
def raw_releases(path: Path) -> list[dict]:
    """Every release a file publishes: a record's embedded releases, else its compiledRelease."""
    data = path.read_bytes()
    try:
        data = json.loads(data)
    except UnicodeDecodeError:
        data = json.loads(data.decode("iso-8859-1"))
    records = data.get("records") or ([data] if "compiledRelease" in data else [])
    if records:
        return [r for rec in records for r in [x for x in rec.get("releases", []) if "url" not in x] or [rec["compiledRelease"]]]
    return data["releases"] if "releases" in data else [data]


def raw_counts(releases: list[dict]) -> dict:
    """Notices, awards with their suppliers and latest values (a contract's value where one is published)."""
    awards, suppliers, notices = {}, set(), set()
    for r in sorted(releases, key=lambda r: r["date"]):
        if r.get("tender") or r.get("planning"):
            notices.add(r["ocid"])
        for a in r.get("awards", []):
            key = (r["ocid"], a["id"])
            if (a.get("value") or {}).get("amount") is not None:
                awards[key] = a["value"]["amount"]
            awards.setdefault(key, None)
            suppliers |= {(key, s.get("id") or s["name"]) for s in a.get("suppliers", [])}
    contract_values = {}
    for r in sorted(releases, key=lambda r: r["date"]):
        for c in r.get("contracts", []):
            if (c.get("value") or {}).get("amount") is not None:
                contract_values[(r["ocid"], c.get("awardID", c["id"]), c["id"])] = c["value"]["amount"]
    for (ocid, award, _), amount in contract_values.items():
        awards[(ocid, award)] = sum(v for (o, a, _), v in contract_values.items() if (o, a) == (ocid, award))
    return {"releases": len({json.dumps(r, sort_keys=True) for r in releases}), "ocids": {r["ocid"] for r in releases},
            "notices": notices, "awards": awards, "suppliers": suppliers}


def stored(store) -> dict:
    nodes, rels = store.export()
    labels = {}
    for n in nodes:
        labels.setdefault(n.label, {})[n.key] = n.props
    return {"labels": labels, "supplies": [r for r in rels if r.type == "SUPPLIES"], "rels": rels}


def facts(store) -> tuple[dict, set]:
    """What the store says about contracting processes, whatever the load order: every node but the
    organisations (labels and props; lists as sets, since a list property is a union kept in arrival
    order), and every relationship but match proposals, an organisation named by what it is (identifiers,
    else name and postcode), not by its key: which of two same-named bodies at different postcodes got
    the plain key is the golden record's first-come choice, not the compile's."""
    nodes, rels = store.export()
    # an identified body is its identifiers: its address is whichever file spoke last (buyers' addresses vary)
    orgs = {n.key: tuple(sorted(n.props["identifiers"])) if n.props.get("identifiers")
            else (n.props["name"].casefold(), n.props.get("postal_code")) for n in nodes if n.label == "Organisation"}
    return ({n.key: (n.label, {k: sorted(v) if isinstance(v, list) else v for k, v in n.props.items()})
             for n in nodes if n.label != "Organisation"},
            {(r.type, orgs.get(r.start, r.start), orgs.get(r.end, r.end), json.dumps(r.props, sort_keys=True))
             for r in rels if r.type != "POSSIBLY_SAME_AS"})


# -- every real file, on both backends ---------------------------------------------------------------
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:50])
def test_the_store_holds_what_the_raw_file_says(any_store, path: Path):
    raw = raw_counts(raw_releases(path))
    report = ingest_file(any_store, path)
    assert report.exit_code == 0 and not report.rejected, report.as_dict()
    found = stored(any_store)
    labels = found["labels"]
    assert {p["ocid"] for p in labels["OcdsRecord"].values()} == raw["ocids"]
    assert len(labels["OcdsRelease"]) == raw["releases"]
    assert {p["ocid"] for p in labels.get("Tender", {}).values()} == raw["notices"]
    contracts = labels.get("Contract", {})
    assert {(c["ocid"], key.rsplit("/", 1)[1]) for key, c in contracts.items()} == set(raw["awards"])
    for (ocid, award), amount in raw["awards"].items():
        assert contracts[f"contract:{ocid}/{award}"].get("value") == (None if amount is None else float(amount))
    assert len(found["supplies"]) == len(raw["suppliers"])
    for key, contract in contracts.items():
        if contract.get("value") is not None and contract.get("supplier_count"):
            assert contract["value_share"] == pytest.approx(contract["value"] / contract["supplier_count"])
    again = ingest_file(any_store, path)
    assert (again.created, again.updated, again.rejected, again.exit_code) == (0, 0, [], 0)


def test_contracts_finder_2017_is_all_notices_none_a_contract(store):
    """32 files (21 bare releases, 11 records) of 11 processes: every one a tender notice, no award."""
    releases = [r for path in CONTRACTS_FINDER for r in raw_releases(path)]
    assert (len(CONTRACTS_FINDER), len({r["ocid"] for r in releases})) == (32, 11)
    assert not any(r.get("awards") or r.get("contracts") for r in releases)
    for path in CONTRACTS_FINDER:
        assert ingest_file(store, path).exit_code == 0
    labels = stored(store)["labels"]
    assert (len(labels["Tender"]), labels.get("Contract", {})) == (11, {})
    assert ask(store, "procurement_expiring_contracts") == []


def test_find_a_tender_notices_are_tenders_bought_by_the_body_they_name(any_store):
    for path in FIND_A_TENDER:
        assert ingest_file(any_store, path).exit_code == 0
    labels = stored(any_store)["labels"]
    assert "Contract" not in labels
    tenders = {t["notice_type"]: t for t in labels["Tender"].values()}
    assert tenders["UK4"] == {
        "title": "HARROGATE TOWN DISTRICT HEATING PROJECT - Feasibility Study", "ocid": "ocds-h6vhtk-067fb8",
        "stage": "tender", "status": "active", "value": 33721.0, "currency": "GBP", "tender_end": "2026-05-08",
        "contract_start": "2026-05-14", "contract_end": "2026-12-31", "procurement_method": "open",
        "procurement_method_details": "Below threshold - open competition", "main_category": "services",
        "notice_type": "UK4"}
    assert (tenders["UK1"]["stage"], tenders["UK1"]["status"], tenders["UK1"]["value"]) == ("planning", "planned", 30000000.0)
    buys = {(r.start, r.end) for r in stored(any_store)["rels"] if r.type == "BUYS"}
    # Northumberland County Council resolves to its register code, keeping the PPON it was published under
    assert buys == {("GB-PPON-PDTL-7248-GWZW", "tender:ocds-h6vhtk-067fb8"), ("GB-LAE-NBL", "tender:ocds-h6vhtk-068ae4")}
    assert "GB-PPON-PJJX-1133-JRGV" in any_store.get("GB-LAE-NBL").props["identifiers"]
    assert ask(any_store, "procurement_expiring_contracts") == []


def test_iso_8859_1_names_arrive_whole(store):
    path = REAL / "non-uk-ocdskit-realdata" / "release-package_encoding-iso-8859-1.json"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert ingest_file(store, path).exit_code == 0
    names = {o["name"] for o in stored(store)["labels"]["Organisation"].values()}
    assert {"SECRETARÍA DE FINANZAS", "COMERCIALIZADORA DE EQUIPOS"} <= names


# -- load order, files and reloads ---------------------------------------------------------------------
def test_contracts_finder_folder_in_either_order_gives_the_same_store(tmp_path):
    forward, backward = EmbeddedStore(tmp_path / "forward"), EmbeddedStore(tmp_path / "backward")
    for path in CONTRACTS_FINDER:
        assert ingest_file(forward, path).exit_code == 0
    for path in reversed(CONTRACTS_FINDER):
        assert ingest_file(backward, path).exit_code == 0
    assert facts(forward) == facts(backward)


def one_file_per_release(tmp_path: Path) -> list[Path]:
    package = json.loads(PACKAGE.read_text())
    paths = []
    for release in package["releases"]:
        path = tmp_path / f"{release['id']}.json"
        path.write_text(json.dumps({**package, "releases": [release]}))
        paths.append(path)
    return paths


def test_releases_of_one_process_in_separate_files_compile_alike_in_any_order(any_store, tmp_path):
    """The 1.1 example's six releases, one file each, loaded newest first, give what the package gives."""
    whole = EmbeddedStore(tmp_path / "whole")
    ingest_file(whole, PACKAGE)
    for path in reversed(one_file_per_release(tmp_path)):
        assert ingest_file(any_store, path).exit_code == 0
    expected, got = facts(whole), facts(any_store)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    contract = any_store.get("contract:ocds-213czf-000-00001/ocds-213czf-000-00001-award-01").props
    assert (contract["value"], contract["status"]) == (11000000.0, "active")


def test_the_value_the_latest_release_states_wins_whatever_the_file_order(tmp_path):
    """Synthetic (labelled): an award re-published with a corrected value, files loaded both ways."""
    def release(date: str, amount: float) -> dict:
        return {"ocid": "ocds-synth-1", "id": f"r-{date}", "date": date, "tag": ["awardUpdate"],
                "awards": [{"id": "a1", "value": {"amount": amount, "currency": "GBP"}, "suppliers": [{"id": "s1"}]}],
                "parties": [{"id": "s1", "name": "Acme Ltd", "roles": ["supplier"]}]}
    early, late = tmp_path / "early.json", tmp_path / "late.json"
    early.write_text(json.dumps({"releases": [release("2024-01-01T00:00:00Z", 10930000.0)]}))
    late.write_text(json.dumps({"releases": [release("2024-06-01T00:00:00Z", 109320.0)]}))
    values = []
    for order in ((early, late), (late, early)):
        store = EmbeddedStore(tmp_path / order[0].stem)
        for path in order:
            assert ingest_file(store, path).exit_code == 0
        values.append(store.get("contract:ocds-synth-1/a1").props["value"])
    assert values == [109320.0, 109320.0]


# -- what a release says, shapes the real files show (synthetic, labelled) ------------------------------
def write(tmp_path: Path, releases: list[dict]) -> Path:
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps({"uri": "synthetic", "releases": releases}))
    return path


def test_a_framework_award_to_eight_suppliers_credits_each_an_eighth(any_store, tmp_path):
    suppliers = [{"id": f"s{i}", "name": f"Supplier {i} Ltd", "roles": ["supplier"],
                  "identifier": {"scheme": "GB-COH", "id": f"0000000{i}"}} for i in range(1, 9)]
    path = write(tmp_path, [{"ocid": "ocds-synth-fw", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["award"],
                             "buyer": {"id": "b", "name": "Crown Commercial Service"},
                             "parties": [*suppliers, {"id": "b", "name": "Crown Commercial Service", "roles": ["buyer"]}],
                             "tender": {"title": "Technology Services Framework", "techniques": {"hasFrameworkAgreement": True}},
                             "awards": [{"id": "a1", "value": {"amount": 1.5e9, "currency": "GBP"},
                                         "suppliers": [{"id": s["id"]} for s in suppliers]}]}])
    assert ingest_file(any_store, path).exit_code == 0
    contract = any_store.get("contract:ocds-synth-fw/a1").props
    assert (contract["value"], contract["framework"], contract["value_is_ceiling"], contract["supplier_count"],
            contract["value_share"]) == (1.5e9, True, True, 8, 1.5e9 / 8)
    links = [r for r in stored(any_store)["supplies"] if r.end == "contract:ocds-synth-fw/a1"]
    assert len(links) == 8
    assert {r.start for r in stored(any_store)["rels"] if r.type == "BUYS"} == {"org:crown-commercial-service"}


def test_a_party_with_an_identifier_and_no_name_is_kept_under_its_identifier(store, tmp_path):
    path = write(tmp_path, [{"ocid": "ocds-synth-2", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["award"],
                             "parties": [{"id": "GB-PPON-ABCD-1234-EFGH", "roles": ["supplier"]},
                                         {"id": "p2", "roles": ["supplier"], "identifier": {"scheme": "GB-COH", "id": "123"}}],
                             "awards": [{"id": "a1", "value": {"amount": 3.6e6, "currency": "GBP"},
                                         "suppliers": [{"id": "GB-PPON-ABCD-1234-EFGH"}, {"id": "p2"}, {"id": "p3"}]}]}])
    report = ingest_file(store, path)
    assert [(r.field, "neither a name nor an identifier" in r.reason) for r in report.rejected] == [("supplier", True)]
    assert store.get("contract:ocds-synth-2/a1").props["value"] == 3.6e6
    assert {r.start for r in stored(store)["supplies"]} == {"GB-PPON-ABCD-1234-EFGH", "GB-COH-00000123"}
    assert store.get("GB-COH-00000123").props["name"] == "GB-COH-00000123"


def test_html_entities_are_unescaped_in_every_text(store, tmp_path):
    path = write(tmp_path, [{"ocid": "ocds-synth-3", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["award"],
                             "buyer": {"id": "b", "name": "Guy&#039;s and St Thomas&#039; NHS Foundation Trust"},
                             "parties": [{"id": "s", "name": "L&amp;Q", "roles": ["supplier"]}],
                             "tender": {"title": "Repairs &amp; maintenance", "procurementMethodDetails": "Open &lt;EU&gt;"},
                             "awards": [{"id": "a1", "title": "Repairs &amp; maintenance", "suppliers": [{"id": "s"}]}]}])
    assert ingest_file(store, path).exit_code == 0
    labels = stored(store)["labels"]
    assert labels["Contract"]["contract:ocds-synth-3/a1"]["title"] == "Repairs & maintenance"
    assert labels["Tender"]["tender:ocds-synth-3"]["procurement_method_details"] == "Open <EU>"
    names = {o["name"] for o in labels["Organisation"].values()}
    assert names == {"Guy's and St Thomas' NHS Foundation Trust", "L&Q"}


def test_json_bounds_hold_past_the_opening_bytes(store, tmp_path):
    release = {"ocid": "ocds-synth-4", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"], "tender": {"title": "T"}}
    long_text = tmp_path / "long.json"
    long_text.write_text(" " * 5000 + json.dumps({"releases": [release, {**release, "id": "2", "x": "A" * (MAX_TEXT + 1)}]}))
    deep = tmp_path / "deep.json"
    deep.write_text(" " * 5000 + json.dumps({"releases": [{**release, "x": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}]})
                    .replace("[[", "[[" * 40).replace("]]", "]]" * 40))
    for path, says in ((long_text, "characters, more than"), (deep, "nested more than")):
        report = ingest_file(store, path, "ocds")
        assert report.exit_code == 2 and says in report.error, report.as_dict()
    assert store.stats()["nodes"] == 0


def test_the_releases_kept_for_one_process_are_bounded(store, tmp_path, monkeypatch):
    """Synthetic: with room for two releases a third is a located rejection; the two compile as ever."""
    import graph_service.ingest.ocds as ocds

    monkeypatch.setattr(ocds, "MAX_RELEASES", 2)
    releases = [{"ocid": "ocds-synth-5", "id": str(i), "date": f"2024-0{i}-01T00:00:00Z", "tag": ["tender"],
                 "tender": {"title": f"Title {i}"}} for i in (1, 2, 3)]
    report = ingest_file(store, write(tmp_path, releases))
    assert [(r.locator, r.field) for r in report.rejected] == [("releases[2]", "ocid")]
    assert store.get("tender:ocds-synth-5").props["title"] == "Title 2"
    assert len(store.get("record:ocds-synth-5").props["releases"]) == 2


def test_releases_are_ordered_by_time_not_by_how_their_dates_are_written(store, tmp_path):
    """Synthetic: 10:30+01:00 is 09:30Z, before 10:00Z, though it sorts after it as text."""
    def release(date: str, title: str) -> dict:
        return {"ocid": "ocds-synth-6", "id": title, "date": date, "tag": ["tender"], "tender": {"title": title}}
    ingest_file(store, write(tmp_path, [release("2024-01-01T10:30:00+01:00", "earlier"),
                                        release("2024-01-01T10:00:00Z", "later")]))
    assert store.get("tender:ocds-synth-6").props["title"] == "later"

"""Stakeholder analysis on a small graph whose answers can be worked out by hand: power and
interest from the facts, quadrants, brokers and communities, holders, filters, ego views,
policy ownership, what a viewer never sees, and the same answers from both backends."""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import networkx as nx
import pytest

from graph_service.access.auth import Role
from graph_service.errors import BadRequest, Forbidden, NotFound
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord
from graph_service.answers.stakeholders import analyse, ego, policy_ownership, settings
from tests.conftest import ROOT

PROV = Provenance(source="test fixture", locator="tests/test_stakeholders.py")
AS_OF = "2026-06-30"
XSS = "<img src=x onerror=alert(1)>"
WASTE_VALUE, REPAIRS_VALUE, OLD_VALUE = 2_500_000.0, 160_000.0, 9_000_000.0


def _n(label: str, key: str, **props) -> NodeRecord:
    return NodeRecord(label=label, key=key, props=props, provenance=PROV)


def _r(kind: str, start: str, end: str, valid_from: str | None = None, valid_to: str | None = None) -> RelRecord:
    return RelRecord(type=kind, start=start, end=end, valid_from=valid_from, valid_to=valid_to, provenance=PROV)


def seed(store) -> None:
    """Two groups of partners joined only through one post (the broker), plus everything the scores read.

    acme supplies two contracts in force (waste: critical service; repairs: supports housing) and one
    that ended in 2020; the XSS-named charity has a grant, three engagements, a charter and a
    work-stream; lonely has nothing at all; the council works with acme but is no partner.
    """
    nodes = [
        _n("Organisation", "GB-LAE-DAC", name="Dacorum Borough Council", is_council=True),
        _n("Persona", "persona:contractors", name="Contractors"),
        _n("Persona", "persona:voluntary-sector", name="Voluntary sector"),
        _n("Priority", "priority:housing", name="Housing led regeneration"),
        _n("Priority", "priority:economy", name="Economic well-being"),
        _n("Service", "service:waste", name="Waste collection", critical=True),
        _n("Service", "service:repairs", name="Housing repairs"),
        _n("Service", "service:advice", name="Advice"),
        _n("Department", "dept:procurement", name="Procurement"),
        _n("Department", "dept:community", name="Community Services"),
        _n("Post", "post:gm-procurement", title="GM Procurement", kind="officer"),
        _n("Post", "post:gm-community", title="GM Community", kind="officer"),
        _n("Post", "post:leader", title="Leader of the Council", kind="member"),
        _n("Person", "person:jane", name="Jane Doe"),
        _n("Person", "person:old", name="Old Holder"),
        _n("Workstream", "workstream:partnerships", name="Partnerships"),
        _n("Charter", "charter:business", name="Business Charter", status="active"),
        _n("Contract", "contract:waste", title="Waste collection", value=WASTE_VALUE),
        _n("Contract", "contract:repairs", title="Repairs", value=REPAIRS_VALUE),
        _n("Contract", "contract:old", title="Old advice contract", value=OLD_VALUE),
        _n("Grant", "grant:advice", title="Advice grant", amount=20_000.0),
        _n("Payment", "payment:1", amount=1234.5),
        _n("Organisation", "GB-COH-00000001", name="Acme Waste Ltd"),
        _n("Organisation", "org:xss", name=XSS),
        _n("Organisation", "org:lonely", name="Lonely Ltd"),
        *[_n("Organisation", f"org:{k}", name=f"{k.title()} Ltd") for k in ("east", "fen", "heath")],
        *[_n("Organisation", f"org:{k}", name=f"{k.title()} Trust") for k in ("carers", "glade", "ivy")],
        _n("Engagement", "engagement:1", kind="meeting", held_on="2026-01-10"),
        _n("Engagement", "engagement:2", kind="workshop", held_on="2026-03-10"),
        _n("Engagement", "engagement:3", kind="meeting", held_on="2025-05-01"),
        _n("Engagement", "engagement:ancient", kind="meeting", held_on="2019-01-01"),
        _n("Policy", "policy:strategy", title="New Normal Strategy"),
        _n("Policy", "policy:orphan", title="Orphan Plan"),
        _n("GovernanceBody", "body:cabinet", name="Cabinet"),
    ]
    acme, xss = "GB-COH-00000001", "org:xss"
    rels = [
        _r("HAS_PERSONA", acme, "persona:contractors"), _r("HAS_PERSONA", xss, "persona:voluntary-sector"),
        _r("HAS_PERSONA", "org:carers", "persona:voluntary-sector"),
        _r("SUPPLIES", acme, "contract:waste", "2024-01-01", "2030-12-31"),
        _r("SUPPLIES", acme, "contract:repairs", "2025-04-01"),
        _r("SUPPLIES", acme, "contract:old", "2016-01-01", "2020-12-31"),
        _r("DELIVERS", "contract:waste", "service:waste"), _r("DELIVERS", "contract:repairs", "service:repairs"),
        _r("DELIVERS", "contract:old", "service:advice"), _r("SUPPORTS", "service:repairs", "priority:housing"),
        _r("RECEIVES", xss, "grant:advice", "2025-01-01", "2027-01-01"), _r("DELIVERS", "grant:advice", "service:advice"),
        _r("WITH_PARTNER", "engagement:1", xss), _r("WITH_PARTNER", "engagement:2", xss),
        _r("WITH_PARTNER", "engagement:3", xss), _r("WITH_PARTNER", "engagement:ancient", xss),
        _r("ATTENDED", "post:gm-community", "engagement:1"), _r("ATTENDED", "post:gm-community", "engagement:2"),
        _r("PARTY_TO", xss, "charter:business", "2021-01-01"), _r("SUPPORTS", "charter:business", "priority:economy"),
        _r("ENGAGED_IN", xss, "workstream:partnerships", "2019-03-01"),
        _r("SUPPORTS", "workstream:partnerships", "priority:economy"),
        _r("IN_DEPARTMENT", "post:gm-procurement", "dept:procurement"),
        _r("IN_DEPARTMENT", "post:gm-community", "dept:community"),
        _r("HOLDS", "person:old", "post:gm-procurement", "2016-01-01", "2019-12-31"),
        _r("HOLDS", "person:jane", "post:gm-procurement", "2020-01-01"),
        _r("MANAGES", "post:gm-procurement", "contract:waste", "2024-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:gm-procurement", acme, "2020-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:gm-procurement", xss, "2020-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:gm-procurement", "org:east", "2020-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:gm-procurement", "org:carers", "2020-01-01"),
        _r("HOLDS_RELATIONSHIP", "post:gm-community", xss, "2020-01-01"),
        _r("WORKS_WITH", "GB-LAE-DAC", acme, "2016-01-01"),
        _r("PAID_TO", "payment:1", acme),
        _r("RESPONSIBLE_FOR", "post:gm-community", "policy:strategy"),
        _r("SPONSORING_MEMBER_FOR", "post:leader", "policy:strategy"),
        _r("APPROVES", "body:cabinet", "policy:strategy"),
    ]
    for group in ((acme, "org:east", "org:fen", "org:heath"), (xss, "org:carers", "org:glade", "org:ivy")):
        rels += [_r("WORKS_WITH", a, b, "2018-01-01") for i, a in enumerate(group) for b in group[i + 1:]]
    store.upsert(Batch(nodes=nodes, rels=rels))


def partner(analysis, key):
    return next(p for p in analysis.partners if p.key == key)


def factors(found, which="power"):
    return {f.name: f for f in getattr(found, f"{which}_factors")}


@pytest.fixture
def seeded(store):
    seed(store)
    return store


# -- power and interest -----------------------------------------------------------------------------
def test_power_comes_from_contract_value_services_priorities_and_centrality(seeded):
    acme = partner(analyse(seeded, Role.procurement, as_of=AS_OF), "GB-COH-00000001")
    cfg = settings()["power"]
    f = factors(acme)
    # the 2016-2020 contract has ended: only waste and repairs count
    assert f["contract_value"].raw == WASTE_VALUE + REPAIRS_VALUE
    span = math.log10(cfg["contract_value"]["cap"] / cfg["contract_value"]["floor"])
    assert f["contract_value"].score == round(math.log10((WASTE_VALUE + REPAIRS_VALUE) / cfg["contract_value"]["floor"]) / span, 3)
    assert f["services"].raw == 2  # waste is critical, so it counts twice towards the cap
    assert f["services"].score == round((2 + cfg["services"]["critical_weight"] - 1) / cfg["services"]["cap"], 3)
    assert f["services"].detail == ["Housing repairs", "Waste collection (critical)"]
    assert (f["priorities"].raw, f["priorities"].detail) == (1, ["Housing led regeneration"])
    assert 0 < f["centrality"].score <= 1
    dependency = [x for x in f.values() if x.group == "dependency"]
    assert acme.dependency == round(sum(x.weight * x.score for x in dependency), 3)
    assert math.isclose(sum(x.weight for x in dependency), 1.0, abs_tol=0.002)
    # a company with no standing, seats or co-funding: its power is what the council depends on it for
    assert (acme.influence, acme.power, acme.power_from) == (0.0, acme.dependency, "dependency")


def test_a_viewer_power_leaves_out_contract_values_and_rescales_the_rest(seeded):
    acme = partner(analyse(seeded, Role.viewer, as_of=AS_OF), "GB-COH-00000001")
    weights = settings()["power"]["weights"]
    f = factors(acme)
    assert {name for name, x in f.items() if x.group == "dependency"} == {"services", "priorities", "centrality"}
    without = sum(w for name, w in weights.items() if name in settings()["power"]["groups"]["dependency"]
                  and name != "contract_value")
    assert f["services"].weight == round(weights["services"] / without, 3)
    text = json.dumps(analyse(seeded, Role.viewer, as_of=AS_OF).to_dict())
    for value in (WASTE_VALUE, REPAIRS_VALUE, WASTE_VALUE + REPAIRS_VALUE):
        assert f"{value:,.0f}" not in text and repr(value) not in text and str(int(value)) not in text


def test_power_from_influence_standing_seats_funding_and_population(store):
    """A county council with no contract, seats at a board, co-funding and the area it serves is high power."""
    seed(store)
    store.upsert(Batch(nodes=[
        _n("Organisation", "org:county", name="Shire County Council", org_type="local authority", area_served="county"),
        _n("Organisation", "org:board", name="Community Safety Partnership", org_type="partnership"),
        _n("Organisation", "org:parish", name="Nether Parish Council", org_type="town or parish council", population=2500),
        _n("GovernanceBody", "body:lsp", name="Local Strategic Board")],
        rels=[_r("WORKS_WITH", "org:county", "org:board", "2020-01-01"), _r("WORKS_WITH", "GB-LAE-DAC", "org:board", "2020-01-01"),
              _r("MEMBER_OF", "org:county", "body:lsp", "2020-01-01"), _r("FUNDS", "org:county", "grant:advice", "2025-01-01"),
              _r("FUNDS", "GB-LAE-DAC", "grant:advice", "2025-01-01")]))
    cfg = settings()["power"]
    analysis = analyse(store, Role.viewer, as_of=AS_OF)
    county, parish = partner(analysis, "org:county"), partner(analysis, "org:parish")
    f = factors(county)
    assert f["standing"].score == 1.0 and f["standing"].detail[0].startswith("county council: ")
    assert f["seats"].detail == ["Community Safety Partnership (partnership board)", "Local Strategic Board (governance body)"]
    assert f["funding"].detail == ["Advice grant (Grant)"]
    assert (f["population"].score, f["population"].detail) == (cfg["population"]["areas"]["county"], ["serves: county"])
    weights = {n: w for n, w in cfg["weights"].items() if n in cfg["groups"]["influence"]}
    assert county.influence == round(sum(weights[n] * f[n].score for n in weights) / sum(weights.values()), 3)
    assert (county.power, county.power_from, county.quadrant) == (county.influence, "influence", "keep_satisfied")
    p = factors(parish)
    assert p["standing"].score == next(k["score"] for k in cfg["standing"]["kinds"] if k["kind"] == "town or parish council")
    assert p["population"].raw == 2500 and 0 < p["population"].score < 1
    assert parish.power < settings()["grid"]["power_threshold"]


@pytest.mark.parametrize("backend", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_on_the_reference_data_the_county_lep_pcc_and_icb_are_high_power(backend, request):
    store = request.getfixturevalue("reference_store" if backend == "embedded" else "neo4j_reference_store")
    wanted = {"Hertfordshire County Council", "Hertfordshire Local Enterprise Partnership", "Police and Crime Commissioner",
              "Hertfordshire and West Essex Integrated Care Board"}
    for role in (Role.viewer, Role.procurement):
        found = {p.name: p for p in analyse(store, role, as_of="2026-09-30").partners if p.name in wanted}
        assert set(found) == wanted
        for p in found.values():
            assert p.power >= settings()["grid"]["power_threshold"] and p.quadrant in ("manage_closely", "keep_satisfied"), (p.name, p.power)
            assert p.power_from == "influence" and factors(p)["standing"].score == 1.0


def test_ended_relationships_count_on_the_dates_they_held(seeded):
    then = partner(analyse(seeded, Role.procurement, as_of="2019-06-01"), "GB-COH-00000001")
    assert factors(then)["contract_value"].raw == OLD_VALUE
    assert factors(then)["services"].detail == ["Advice"]


def test_interest_comes_from_engagement_charters_involvement_and_priorities(seeded):
    charity = partner(analyse(seeded, Role.viewer, as_of=AS_OF), "org:xss")
    cfg = settings()["interest"]
    f = factors(charity, "interest")
    # three engagements fall in the window before AS_OF; the 2019 one does not
    assert f["engagement"].raw == 3
    assert f["engagement"].detail[0] == "workshop on 2026-03-10"
    assert f["charters"].detail == ["Business Charter (active)"]
    assert f["involvement"].detail == ["Partnerships (Workstream)"]
    assert f["priorities"].detail == ["Economic well-being"]  # through the charter and the work-stream alike
    expected = sum(cfg["weights"][name] * min(raw / cfg[name]["cap"], 1) for name, raw in
                   (("engagement", 3), ("charters", 1), ("involvement", 1), ("priorities", 1)))
    assert charity.interest == round(expected / sum(cfg["weights"].values()), 3)


def test_quadrants_follow_the_configured_thresholds(seeded):
    analysis = analyse(seeded, Role.procurement, as_of=AS_OF)
    grid = settings()["grid"]
    for found in analysis.partners:
        high_power, high_interest = found.power >= grid["power_threshold"], found.interest >= grid["interest_threshold"]
        expected = {(True, True): "manage_closely", (True, False): "keep_satisfied",
                    (False, True): "keep_informed", (False, False): "monitor"}[(high_power, high_interest)]
        assert found.quadrant == expected and found.quadrant_name == grid["quadrants"][expected]
    assert partner(analysis, "GB-COH-00000001").quadrant == "keep_satisfied"
    assert partner(analysis, "org:xss").quadrant == "keep_informed"
    assert partner(analysis, "org:lonely").quadrant == "monitor"


def test_the_council_is_neither_a_partner_nor_in_the_network(seeded):
    analysis = analyse(seeded, Role.viewer, as_of=AS_OF)
    assert "GB-LAE-DAC" not in {p.key for p in analysis.partners}
    assert all("GB-LAE-DAC" not in (link.source, link.target) for link in analysis.links)
    assert analysis.total_partners == 9


# -- network: centrality, brokers, communities, holders ------------------------------------------------
def test_the_post_joining_two_groups_is_the_top_broker(seeded):
    analysis = analyse(seeded, Role.viewer, as_of=AS_OF)
    top = analysis.brokers[0]
    assert (top.key, top.label, top.name) == ("post:gm-procurement", "Post", "GM Procurement")
    assert len(top.communities) >= 2
    community = {p.key: p.community for p in analysis.partners}
    assert community["GB-COH-00000001"] == community["org:east"] != community["org:xss"] == community["org:ivy"]
    assert community["org:lonely"] is None
    lonely = partner(analysis, "org:lonely")
    assert factors(lonely)["centrality"].score == 0.0
    assert max(factors(p)["centrality"].score for p in analysis.partners) == 1.0


def test_each_partner_lists_its_relationship_holders_strongest_first(seeded):
    charity = partner(analyse(seeded, Role.viewer, as_of=AS_OF), "org:xss")
    [community, procurement] = charity.holders
    assert (community.post, community.how) == ("post:gm-community", {"HOLDS_RELATIONSHIP": 1, "ATTENDED": 2})
    assert community.departments == [{"key": "dept:community", "name": "Community Services"}]
    assert procurement.held_by == ["Jane Doe"]  # the holder on the date, not the one who left in 2019
    assert charity.departments == ["dept:community", "dept:procurement"]


# -- filters -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,key,expected", [
    ("persona", "persona:voluntary-sector", {"org:xss", "org:carers"}),
    ("workstream", "workstream:partnerships", {"org:xss"}),
    ("priority", "priority:housing", {"GB-COH-00000001"}),
    ("priority", "priority:economy", {"org:xss"}),
    ("department", "dept:procurement", {"GB-COH-00000001", "org:xss", "org:east", "org:carers"}),
])
def test_filters_choose_partners_without_changing_scores(seeded, name, key, expected):
    everyone = {p.key: p.power for p in analyse(seeded, Role.viewer, as_of=AS_OF).partners}
    filtered = analyse(seeded, Role.viewer, as_of=AS_OF, **{name: key})
    assert {p.key for p in filtered.partners} == expected
    assert all(p.power == everyone[p.key] for p in filtered.partners)
    assert filtered.total_partners == len(everyone)


def test_minimum_health_score_is_a_procurement_filter(seeded):
    from graph_service.answers.health.report import assess

    health = {k: r["score"] for k, r in assess(seeded, AS_OF).results.items()}
    floor = sorted(v for v in health.values() if v is not None)[1]
    chosen = analyse(seeded, Role.procurement, as_of=AS_OF, min_health=floor)
    assert {p.key for p in chosen.partners} == {k for k, v in health.items() if v is not None and v >= floor}
    assert all(p.health == health[p.key] for p in chosen.partners)
    assert all(p.health is None for p in analyse(seeded, Role.viewer, as_of=AS_OF).partners)
    with pytest.raises(Forbidden):
        analyse(seeded, Role.viewer, min_health=50)


def test_a_filter_naming_something_else_is_refused(seeded):
    with pytest.raises(BadRequest, match="persona filter: no Persona with key 'priority:housing'"):
        analyse(seeded, Role.viewer, persona="priority:housing")


def test_filter_choices_list_what_exists(seeded):
    choices = analyse(seeded, Role.viewer, as_of=AS_OF).choices
    assert [c["key"] for c in choices["persona"]] == ["persona:contractors", "persona:voluntary-sector"]
    assert {c["key"] for c in choices["department"]} == {"dept:procurement", "dept:community"}


# -- ego and policy ownership ----------------------------------------------------------------------------
def test_ego_reaches_n_hops_and_hides_what_a_viewer_may_not_see(seeded):
    one = ego(seeded, "GB-COH-00000001", Role.viewer, hops=1, as_of=AS_OF)
    assert {k for k, n in one.nodes.items() if n.hop == 1} == {
        "persona:contractors", "contract:waste", "contract:repairs", "post:gm-procurement", "GB-LAE-DAC",
        "org:east", "org:fen", "org:heath"}
    assert ("org:east", "WORKS_WITH", "org:fen") in one.edges  # links among the nodes found are drawn too
    assert "payment:1" in ego(seeded, "GB-COH-00000001", Role.procurement, hops=1, as_of=AS_OF).nodes
    two = ego(seeded, "GB-COH-00000001", Role.viewer, hops=2, as_of=AS_OF)
    assert two.nodes["service:waste"].hop == 2 and two.nodes["org:xss"].hop == 2
    with pytest.raises(NotFound):
        ego(seeded, "payment:1", Role.viewer)
    with pytest.raises(BadRequest):
        ego(seeded, "GB-COH-00000001", Role.viewer, hops=settings()["maps"]["ego_max_hops"] + 1)


def test_ego_caps_what_it_shows_and_counts_the_rest(seeded):
    capped = ego(seeded, "GB-COH-00000001", Role.viewer, hops=2, as_of=AS_OF, max_nodes=5)
    assert len(capped.nodes) == 5 and capped.left_out > 0
    assert all(a in capped.nodes and b in capped.nodes for a, _, b in capped.edges)


def test_policy_ownership_shows_owners_and_unowned_policies(seeded):
    found = policy_ownership(seeded, as_of=AS_OF)
    assert found.policies["policy:strategy"]["roles"] == {
        "APPROVES": ["body:cabinet"], "RESPONSIBLE_FOR": ["post:gm-community"], "SPONSORING_MEMBER_FOR": ["post:leader"]}
    assert found.unowned == ["policy:orphan"]
    assert found.owners["post:gm-community"].departments == [{"key": "dept:community", "name": "Community Services"}]
    assert found.owners["post:leader"].kind == "member"


# -- both backends -------------------------------------------------------------------------------------
@pytest.mark.neo4j
def test_both_backends_give_the_same_analysis(store, neo4j_store):
    for each in (store, neo4j_store):
        seed(each)
    for role in (Role.viewer, Role.procurement):
        assert analyse(store, role, as_of=AS_OF).to_dict() == analyse(neo4j_store, role, as_of=AS_OF).to_dict()
    assert ego(store, "org:xss", Role.viewer, as_of=AS_OF) == ego(neo4j_store, "org:xss", Role.viewer, as_of=AS_OF)
    assert policy_ownership(store) == policy_ownership(neo4j_store)


# -- over HTTP and from the command line -------------------------------------------------------------------
def test_the_api_serves_the_analysis_per_role(seeded, server):
    viewer = server.client(Role.viewer).get("/api/v1/stakeholders", params={"as_of": AS_OF})
    assert viewer.status_code == 200, viewer.text
    assert not viewer.json()["includes_contract_values"]
    assert str(int(WASTE_VALUE)) not in viewer.text and "2,500,000" not in viewer.text
    procurement = server.client(Role.procurement).get("/api/v1/stakeholders", params={"as_of": AS_OF}).json()
    acme = next(p for p in procurement["partners"] if p["key"] == "GB-COH-00000001")
    assert next(f for f in acme["power_factors"] if f["name"] == "contract_value")["raw"] == WASTE_VALUE + REPAIRS_VALUE
    filtered = server.client(Role.viewer).get("/api/v1/stakeholders", params={"persona": "persona:nope"})
    assert filtered.status_code == 400 and filtered.json()["error"]["code"] == "bad_request"
    assert server.client().get("/api/v1/stakeholders").status_code == 401
    refused = server.client(Role.viewer).get("/api/v1/stakeholders", params={"min_health": 50})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    healthy = server.client(Role.procurement).get("/api/v1/stakeholders", params={"min_health": 50, "as_of": AS_OF})
    assert healthy.status_code == 200 and all(p["health"] >= 50 for p in healthy.json()["partners"])


def _cli(data_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph_service.cli", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_cli_prints_the_analysis_and_writes_maps(seeded, tmp_path):
    listed = _cli(seeded.dir, "stakeholders", "--as-of", AS_OF)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"Keep satisfied\s+Acme Waste Ltd", listed.stdout)
    assert re.search(r"GM Procurement\s+Post\s", listed.stdout)  # brokers: name, label, communities
    data = json.loads(_cli(seeded.dir, "stakeholders", "--json", "--role", "procurement", "--as-of", AS_OF).stdout)
    assert data["includes_contract_values"]
    page = tmp_path / "out" / "map.html"
    written = _cli(seeded.dir, "map", "stakeholders", "--as-of", AS_OF, "--out", str(page))
    assert written.returncode == 0, written.stderr
    assert page.read_text().startswith("<!doctype html>") and "Acme Waste Ltd" in page.read_text()
    graphml = tmp_path / "ego.graphml"
    assert _cli(seeded.dir, "map", "ego", "org:xss", "--hops", "1", "--out", str(graphml)).returncode == 0
    assert nx.read_graphml(graphml).nodes["org:xss"]["label"] == XSS
    refused = _cli(seeded.dir, "map", "ego", "--out", str(tmp_path / "x.html"))
    assert refused.returncode == 1 and "needs the key" in refused.stderr


def test_every_weight_and_setting_is_explained_in_the_docs():
    doc = (ROOT / "docs" / "stakeholder-maps.md").read_text()
    cfg = settings()
    names = [*cfg["power"]["weights"], *cfg["interest"]["weights"], *cfg["grid"], *cfg["network"], *cfg["maps"]]
    missing = [name for name in names if f"`{name}`" not in doc]
    assert not missing, f"docs/stakeholder-maps.md does not explain {missing}"

"""Stakeholder analysis: power, interest and grid quadrant per partner, brokers, communities
and relationship holders, computed in Python from the named queries' rows
(graph_service/queries/stakeholders.py), so both backends give the same answer.

The weights and caps live in graph_service/settings/stakeholders.yaml and are explained in
docs/stakeholder-maps.md. Contract values are procurement-only: a viewer's power score is
computed without them (the other factors' weights are rescaled), so nothing derived from a
contract value reaches a viewer.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import igraph
import networkx as nx
import yaml
from pydantic import BaseModel

from graph_service.config import SETTINGS_DIR
from graph_service.access.auth import Role
from graph_service.store.base import GraphStore
from graph_service.store.embedded import collection_paused
from graph_service.errors import BadRequest, Forbidden, NotFound
from graph_service.access.redaction import visible_label, visible_relationship
from graph_service.queries import ask
from graph_service.answers.recorded.assessments import OfficerPlacement, overlay
from graph_service.schema import schema

SETTINGS_FILE = SETTINGS_DIR / "stakeholders.yaml"
HOLDER_KINDS = ("HOLDS_RELATIONSHIP", "MANAGES", "ATTENDED")  # how a post is in touch with a partner, strongest first
FILTER_LABELS = {"persona": "Persona", "workstream": "Workstream", "priority": "Priority", "department": "Department"}


@cache
def settings() -> dict[str, Any]:
    return yaml.safe_load(SETTINGS_FILE.read_text())


def sees_restricted(role: Role) -> bool:
    """Procurement and admin see procurement-only facts: contract values and health scores."""
    return role >= Role.procurement


@dataclass
class Factor:
    """One ingredient of a score: the raw fact, its 0-1 score, and what it adds to the total."""

    name: str
    raw: float
    score: float
    weight: float
    contribution: float
    detail: list[str] = field(default_factory=list)
    group: str | None = None  # power's factors: influence or dependency (the weights are within the group)


@dataclass
class Holder:
    post: str
    title: str
    how: dict[str, int]  # HOLDS_RELATIONSHIP / MANAGES / ATTENDED -> number of links
    departments: list[dict[str, str]]
    held_by: list[str]


@dataclass
class Partner:
    key: str
    name: str
    org_type: str | None
    personas: list[dict[str, str]]
    power: float
    interest: float
    quadrant: str
    quadrant_name: str
    power_factors: list[Factor]
    interest_factors: list[Factor]
    holders: list[Holder]
    community: int | None
    betweenness: float
    workstreams: list[str]
    priorities: list[str]
    departments: list[str]
    health: float | None = None  # procurement only: the partner's health score (graph_service.answers.health), 0-100
    health_rating: str | None = None
    power_from: str = "dependency"  # the group whose score is the power: influence or dependency
    influence: float = 0.0
    dependency: float = 0.0
    computed_quadrant: str | None = None  # the graph's placement; `quadrant` is the officer's where one is recorded
    assessment: OfficerPlacement | None = None  # answers/recorded/assessments.py
    illustrative: bool = False  # the organisation is generated example data


@dataclass
class Post:
    key: str
    title: str
    kind: str | None
    departments: list[dict[str, str]]
    held_by: list[str]
    community: int | None
    betweenness: float


@dataclass
class Broker:
    key: str
    label: str
    name: str
    betweenness: float
    communities: list[int]


@dataclass
class Community:
    id: int
    name: str
    size: int
    partners: int
    posts: int
    personas: dict[str, int]


@dataclass
class Link:
    source: str
    target: str
    kinds: list[str]
    weight: int


@dataclass
class Analysis:
    as_of: str
    includes_contract_values: bool
    filters: dict[str, Any]
    total_partners: int
    partners: list[Partner]  # those the filters let through, highest power first
    posts: dict[str, Post]  # every post linked to a partner
    links: list[Link]  # the whole partner-and-post network
    brokers: list[Broker]
    communities: list[Community]
    choices: dict[str, list[dict[str, str]]]  # what each filter can be set to: key and name

    @property
    def basis(self) -> str:
        if self.includes_contract_values:
            return "Power includes the value of contracts in force."
        return "Power leaves out contract values (procurement only); the other factors' weights are rescaled."

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["basis"] = self.basis
        return data


class AnalysisAnswer(BaseModel):
    """An Analysis as the API and `--json` give it, with the sentence saying what power is based on."""

    as_of: str
    includes_contract_values: bool
    filters: dict[str, Any]
    total_partners: int
    partners: list[Partner]
    posts: dict[str, Post]
    links: list[Link]
    brokers: list[Broker]
    communities: list[Community]
    choices: dict[str, list[dict[str, str]]]
    basis: str


# -- scoring ---------------------------------------------------------------------------------
def _weights(section: str, role: Role) -> dict[str, float]:
    weights = dict(settings()[section]["weights"])
    if section == "power" and not sees_restricted(role):
        weights.pop("contract_value")
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()}


def _power_weights(role: Role) -> dict[str, dict[str, float]]:
    """Each power group's factors with their weights, rescaled to sum to 1 within the group."""
    weights = _weights("power", role)
    out = {}
    for group, names in settings()["power"]["groups"].items():
        total = sum(weights[n] for n in names if n in weights)
        out[group] = {n: weights[n] / total for n in names if n in weights}
    return out


def _power(factors: dict[str, tuple[float, float, list[str]]], weights: dict[str, dict[str, float]]
           ) -> tuple[float, dict[str, float], str, list[Factor]]:
    """Power is the higher of the groups' weighted means (ties: influence, the first group)."""
    scores, out = {}, []
    for group, group_weights in weights.items():
        scores[group], found = _score({n: f for n, f in factors.items() if n in group_weights}, group_weights)
        for factor in found:
            factor.group = group
        out += found
    strongest = max(scores, key=lambda g: scores[g])
    return scores[strongest], scores, strongest, out


def _capped(count: float, cap: float) -> float:
    return min(count / cap, 1.0) if cap > 0 else 0.0


def _log_scaled(value: float, floor: float, cap: float) -> float:
    if value <= floor:
        return 0.0
    return min(math.log10(value / floor) / math.log10(cap / floor), 1.0)


def _score(factors: dict[str, tuple[float, float, list[str]]], weights: dict[str, float]) -> tuple[float, list[Factor]]:
    """Weighted mean of the factors (raw, score, detail) that carry a weight for this role."""
    total, out = 0.0, []
    for name, (raw, score, detail) in factors.items():
        if name in weights:
            total += weights[name] * score
            out.append(Factor(name, round(raw, 6), round(score, 3), round(weights[name], 3),
                              round(weights[name] * score, 3), detail))
    return round(total, 3), out


def _quadrant(power: float, interest: float) -> str:
    grid = settings()["grid"]
    high_power, high_interest = power >= grid["power_threshold"], interest >= grid["interest_threshold"]
    if high_power:
        return "manage_closely" if high_interest else "keep_satisfied"
    return "keep_informed" if high_interest else "monitor"


def quadrant_names() -> dict[str, str]:
    return dict(settings()["grid"]["quadrants"])


def _money(value: float) -> str:
    return f"GBP {value:,.0f}"


# -- the network -----------------------------------------------------------------------------
def _network(partner_keys: list[str], link_rows: list[dict[str, Any]]) -> tuple[nx.Graph, dict[tuple[str, str], set[str]]]:
    """Partners and posts as an undirected graph; an edge's weight is how many links join the pair."""
    graph = nx.Graph()
    graph.add_nodes_from(partner_keys)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in link_rows:
        pair = tuple(sorted((row["source"], row["target"])))
        kinds[pair].add(row["kind"])
        counts[pair] += 1
    for (a, b), count in counts.items():
        graph.add_edge(a, b, weight=count)
    return graph, kinds


def _indexed(graph: nx.Graph) -> tuple[list[str], igraph.Graph]:
    """The network in igraph, node i being order[i], each edge with its weight."""
    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    edges = list(graph.edges(data="weight"))
    network = igraph.Graph(n=len(order), edges=[(index[a], index[b]) for a, b, _ in edges])
    network.es["weight"] = [w for _, _, w in edges]
    return order, network


def _pagerank(order: list[str], network: igraph.Graph, damping: float = 0.85) -> dict[str, float]:
    """Weighted PageRank, solved by igraph (PRPACK); isolated nodes share their rank evenly with all.

    A node is central when well-connected nodes link to it; isolated nodes keep the floor.
    """
    if not order:
        return {}
    return dict(zip(order, network.pagerank(directed=False, damping=damping, weights="weight")))


def _betweenness(order: list[str], network: igraph.Graph) -> dict[str, float]:
    """Brandes' betweenness, normalised over the pairs a node could lie between; above `exact_up_to` nodes
    estimated from `sample` sources. The sources are drawn and the sums scaled as networkx 3.6's
    betweenness_centrality(k=sample, seed=seed) does, so the figures are its figures; the shortest paths
    are counted by igraph's C (networkx's pure Python took most of a county analysis)."""
    spec = settings()["network"]["betweenness"]
    n = len(order)
    if n < 3:
        return dict.fromkeys(order, 0.0)
    if n <= spec["exact_up_to"] or spec["sample"] >= n:
        raw = network.betweenness(directed=False)
        scale = 1 / ((n - 1) * (n - 2))
        return {node: 2 * b * scale for node, b in zip(order, raw)}  # igraph counts each unordered pair once
    sources = random.Random(spec["seed"]).sample(range(n), spec["sample"])
    raw = network.betweenness(directed=False, sources=sources)
    # a source is not between itself and a target, so it is scaled over one source fewer
    k, sampled = len(sources), set(sources)
    as_source, as_other = 1 / ((k - 1) * (n - 2)), 1 / (k * (n - 2))
    return {node: 2 * b * (as_source if i in sampled else as_other) for i, (node, b) in enumerate(zip(order, raw))}


def _communities(graph: nx.Graph) -> tuple[dict[str, int], list[set[str]]]:
    """Louvain communities of the connected nodes, numbered from the largest; isolated nodes have none."""
    spec = settings()["network"]["communities"]
    connected = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    groups = nx.community.louvain_communities(connected, weight="weight", resolution=spec["resolution"], seed=spec["seed"])
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    member_of = {node: index for index, group in enumerate(groups, 1) for node in group}
    return member_of, groups


def _centre(group: set[str], betweenness: dict[str, float], graph: nx.Graph) -> str:
    return min(group, key=lambda n: (-betweenness.get(n, 0.0), -graph.degree(n), n))


# -- the analysis ----------------------------------------------------------------------------
@collection_paused()  # an analysis holds every fact row until it returns
def analyse(store: GraphStore, role: Role, *, as_of: str | None = None, persona: str | None = None,
            workstream: str | None = None, priority: str | None = None, department: str | None = None,
            min_health: float | None = None) -> Analysis:
    """Score every partner as on as_of (default today), then keep those the filters let through.

    Scores, centrality and communities are computed over all partners, so a filter changes
    which partners are listed, never their scores. Health scores are procurement-only, and so
    is the minimum health score filter.
    """
    as_of = as_of or dt.date.today().isoformat()
    if min_health is not None and not sees_restricted(role):
        raise Forbidden("the minimum health score filter needs the procurement role: health scores are "
                        "procurement-only")
    filters = {"persona": persona, "workstream": workstream, "priority": priority, "department": department}
    _check_filters(store, filters)
    cfg = settings()
    fact_rows = ask(store, "stakeholder_facts", as_of=as_of)
    partner_rows = [row for row in fact_rows if row["fact"] == "partner"]
    link_rows = ask(store, "stakeholder_links", as_of=as_of)
    post_rows = ask(store, "stakeholder_posts", as_of=as_of)

    facts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in fact_rows:
        facts[row["partner"]][row["fact"]].append(row)
    posts = _posts(post_rows)
    names = {r["partner"]: r["name"] for r in partner_rows} | {k: p["title"] for k, p in posts.items()}

    graph, link_kinds = _network([r["partner"] for r in partner_rows], link_rows)
    order, network = _indexed(graph)
    pagerank = _pagerank(order, network)
    ranks = [pagerank[r["partner"]] for r in partner_rows]
    low, high = (min(ranks), max(ranks)) if ranks else (0.0, 0.0)
    betweenness = _betweenness(order, network)
    member_of, groups = _communities(graph)

    holders = _holders(link_rows, posts)
    power_weights, interest_weights = _power_weights(role), _weights("interest", role)
    day, window = dt.date.fromisoformat(as_of), dt.timedelta(days=cfg["interest"]["engagement"]["window_days"])
    window_start = (day - window if day - dt.date.min >= window else dt.date.min).isoformat()  # not before year 1
    scored = []
    for row in partner_rows:
        key = row["partner"]
        mine = facts[key]
        centrality = (pagerank[key] - low) / (high - low) if high > low else 0.0
        power, by_group, power_from, power_factors = _power(
            _influence_factors(mine) | _power_factors(mine, centrality, graph.degree(key), pagerank[key]), power_weights)
        interest, interest_factors = _score(_interest_factors(mine, window_start), interest_weights)
        quadrant = _quadrant(power, interest)
        mine_holders = holders.get(key, [])
        scored.append(Partner(
            key=key, name=row["name"], org_type=row["via"], illustrative=bool(row["flag"]),
            personas=[{"key": f["item"], "name": f["name"]} for f in mine["persona"]],
            power=power, interest=interest, quadrant=quadrant, quadrant_name=quadrant_names()[quadrant],
            power_from=power_from, influence=by_group["influence"], dependency=by_group["dependency"],
            power_factors=power_factors, interest_factors=interest_factors, holders=mine_holders,
            community=member_of.get(key), betweenness=round(betweenness.get(key, 0.0), 6),
            workstreams=sorted({f["item"] for f in mine["involvement"] if f["item_label"] == "Workstream"}),
            priorities=sorted({f["item"] for f in mine["depends_priority"] + mine["linked_priority"]}),
            departments=sorted({d["key"] for h in mine_holders for d in h.departments})))

    overlay(store, scored)
    if sees_restricted(role):
        _add_health(store, as_of, scored)
    shown = [p for p in scored if _passes(p, filters)
             and (min_health is None or (p.health is not None and p.health >= min_health))]
    filters["min_health"] = min_health
    shown.sort(key=lambda p: (-p.power, -p.interest, p.key))
    linked_posts = {n for n in graph if n in posts}
    return Analysis(
        as_of=as_of, includes_contract_values=sees_restricted(role), filters=filters,
        total_partners=len(scored), partners=shown,
        posts={k: Post(k, posts[k]["title"], posts[k]["kind"], posts[k]["departments"], posts[k]["held_by"],
                       member_of.get(k), round(betweenness.get(k, 0.0), 6)) for k in sorted(linked_posts)},
        links=[Link(a, b, sorted(link_kinds[(a, b)]), graph[a][b]["weight"]) for a, b in sorted(link_kinds)],
        brokers=_brokers(graph, betweenness, member_of, names, posts),
        communities=_community_summaries(groups, graph, betweenness, names, posts, facts),
        choices=_choices(fact_rows, posts))


def _standing(mine: dict[str, list[dict[str, Any]]]) -> tuple[float, list[str]]:
    """The first configured kind the partner matches: its standing score and why."""
    cfg = settings()["power"]["standing"]
    row = mine["partner"][0]
    name, org_type = row["name"].casefold(), (row["via"] or "").casefold()
    shared = sorted(f["name"] for f in mine["charter"]
                    if any(w in f["name"].casefold() for w in cfg["shared_services_words"]))
    for kind in cfg["kinds"]:
        named = any(w.casefold() in name for w in kind.get("names", []))
        typed = org_type in {t.casefold() for t in kind.get("org_types", [])}
        if (named or typed) and (not kind.get("shared_services") or shared):
            detail = [f"{kind['kind']}: {kind['why']}"] + [f"party to {c}" for c in shared if kind.get("shared_services")]
            return kind["score"], detail
    return 0.0, [f"no standing recorded for its kind ({row['via'] or 'org_type not recorded'})"]


def _influence_factors(mine: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[float, float, list[str]]]:
    cfg = settings()["power"]
    standing, why = _standing(mine)
    seat_cfg = cfg["seats"]
    boards = {f["item"]: f["name"] for f in mine["board"]
              if (f["via"] or "").casefold() in {t.casefold() for t in seat_cfg["board_org_types"]}
              or any(w.casefold() in f["name"].casefold() for w in seat_cfg["board_words"])}
    bodies = {f["item"]: f["name"] for f in mine["involvement"] if f["item_label"] == "GovernanceBody" and f["via"] == "MEMBER_OF"}
    seats = sorted([f"{n} (governance body)" for n in bodies.values()] + [f"{n} (partnership board)" for n in boards.values()])
    funded = sorted({f["item"]: f"{f['name']} ({f['item_label']})" for f in mine["funds"]}.values())
    stated = mine["population"][0] if mine["population"] else None
    population, area = (stated["amount"], stated["name"]) if stated else (None, None)
    reach = _log_scaled(population, cfg["population"]["floor"], cfg["population"]["cap"]) if population else 0.0
    words = set(re.findall(r"[\w-]+", area.casefold())) if area else set()
    reach = max([reach, *(score for word, score in cfg["population"]["areas"].items() if word in words)])
    said = [f"population {population:,}"] if population else []
    said += [f"serves: {area}"] if area else []
    return {
        "standing": (standing, standing, why),
        "seats": (len(seats), _capped(len(seats), seat_cfg["cap"]), seats),
        "funding": (len(funded), _capped(len(funded), cfg["funding"]["cap"]), funded),
        "population": (population or 0, reach, said or ["not stated"]),
    }


def _power_factors(mine: dict[str, list[dict[str, Any]]], centrality: float, degree: int,
                   pagerank: float) -> dict[str, tuple[float, float, list[str]]]:
    cfg = settings()["power"]
    contracts = {f["item"]: f for f in mine["contract"]}
    value = sum(f["amount"] or 0.0 for f in contracts.values())
    critical_names = {f["name"] for f in mine["critical_service"]}
    services = {f["item"]: f for f in mine["service"]}
    critical = {k for k, f in services.items() if f["flag"] or f["name"] in critical_names}
    weighted = len(services) + (cfg["services"]["critical_weight"] - 1) * len(critical)
    priorities = {f["item"]: f["name"] for f in mine["depends_priority"]}
    return {
        "contract_value": (value, _log_scaled(value, cfg["contract_value"]["floor"], cfg["contract_value"]["cap"]),
                           [f"{f['name']} ({_money(f['amount'] or 0.0)})" for _, f in sorted(contracts.items())]),
        "services": (len(services), _capped(weighted, cfg["services"]["cap"]),
                     sorted(f["name"] + (" (critical)" if k in critical else "") for k, f in services.items())),
        "priorities": (len(priorities), _capped(len(priorities), cfg["priorities"]["cap"]), sorted(priorities.values())),
        "centrality": (pagerank, centrality, [f"linked to {degree} partners and posts"]),
    }


def _interest_factors(mine: dict[str, list[dict[str, Any]]], window_start: str) -> dict[str, tuple[float, float, list[str]]]:
    cfg = settings()["interest"]
    recent = sorted((f for f in mine["engagement"] if f["dated"] > window_start), key=lambda f: (f["dated"], f["item"]),
                    reverse=True)
    charters = {f["item"]: f for f in mine["charter"]}
    involvement = {f["item"]: f for f in mine["involvement"]}
    priorities = {f["item"]: f["name"] for f in mine["linked_priority"]}
    return {
        "engagement": (len(recent), _capped(len(recent), cfg["engagement"]["cap"]),
                       [f"{f['name']} on {f['dated']}" for f in recent]),
        "charters": (len(charters), _capped(len(charters), cfg["charters"]["cap"]),
                     sorted(f["name"] + (f" ({f['via']})" if f["via"] else "") for f in charters.values())),
        "involvement": (len(involvement), _capped(len(involvement), cfg["involvement"]["cap"]),
                        sorted(f"{f['name']} ({f['item_label']})" for f in involvement.values())),
        "priorities": (len(priorities), _capped(len(priorities), cfg["priorities"]["cap"]), sorted(priorities.values())),
    }


def _add_health(store: GraphStore, as_of: str, partners: list[Partner]) -> None:
    """Each partner's health score and rating, from the health model (graph_service/health)."""
    from graph_service.answers.health.report import assess

    results = assess(store, as_of).results
    for partner in partners:
        result = results.get(partner.key)
        if result is not None:
            partner.health = result["score"]
            partner.health_rating = result["rating"] + (" (provisional)" if result["provisional"] else "")


def _posts(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    posts: dict[str, dict[str, Any]] = {}
    for row in rows:
        post = posts.setdefault(row["post"], {"title": row["title"], "kind": row["kind"], "departments": [],
                                              "held_by": row["held_by"]})
        if row["department"]:
            post["departments"].append({"key": row["department"], "name": row["department_name"]})
    return posts


def _holders(link_rows: list[dict[str, Any]], posts: dict[str, dict[str, Any]]) -> dict[str, list[Holder]]:
    """Each partner's posts in the council, with how each is in touch: holds it, manages its contracts, attended."""
    how: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in link_rows:
        if row["source_label"] == "Post":
            how[row["target"]][row["source"]][row["kind"]] += 1
    out: dict[str, list[Holder]] = {}
    for partner, by_post in how.items():
        rank = {post: tuple(-kinds.get(k, 0) for k in HOLDER_KINDS) for post, kinds in by_post.items()}
        out[partner] = [Holder(post, posts[post]["title"], {k: kinds[k] for k in HOLDER_KINDS if k in kinds},
                               posts[post]["departments"], posts[post]["held_by"])
                        for post, kinds in sorted(by_post.items(), key=lambda item: (rank[item[0]], item[0]))]
    return out


def _brokers(graph: nx.Graph, betweenness: dict[str, float], member_of: dict[str, int], names: dict[str, str],
             posts: dict[str, Any]) -> list[Broker]:
    """Nodes on many shortest paths whose neighbours sit in different communities."""
    spec = settings()["network"]["brokers"]
    found = []
    for node in sorted(graph, key=lambda n: (-betweenness.get(n, 0.0), n)):
        if betweenness.get(node, 0.0) <= 0 or len(found) >= spec["top"]:
            break
        bridged = sorted({member_of[n] for n in [node, *graph[node]] if n in member_of})
        if len(bridged) >= spec["min_communities"]:
            found.append(Broker(node, "Post" if node in posts else "Organisation", names.get(node, node),
                                round(betweenness[node], 6), bridged))
    return found


def _community_summaries(groups: list[set[str]], graph: nx.Graph, betweenness: dict[str, float], names: dict[str, str],
                         posts: dict[str, Any], facts: dict[str, dict[str, list[dict[str, Any]]]]) -> list[Community]:
    out = []
    for index, group in enumerate(groups, 1):
        personas: dict[str, int] = defaultdict(int)
        for node in group:
            for f in facts[node]["persona"] if node not in posts else []:
                personas[f["name"]] += 1
        centre = _centre(group, betweenness, graph)
        out.append(Community(index, f"Around {names.get(centre, centre)}", len(group),
                             sum(n not in posts for n in group), sum(n in posts for n in group), dict(sorted(personas.items()))))
    return out


def _choices(fact_rows: list[dict[str, Any]], posts: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """The values each filter can take that would show at least one partner."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in fact_rows:
        if row["fact"] == "persona":
            found["persona"][row["item"]] = row["name"]
        elif row["item_label"] == "Workstream":
            found["workstream"][row["item"]] = row["name"]
        elif row["item_label"] == "Priority":
            found["priority"][row["item"]] = row["name"]
    for post in posts.values():
        for d in post["departments"]:
            found["department"][d["key"]] = d["name"]
    return {f: [{"key": k, "name": n} for k, n in sorted(found[f].items(), key=lambda kv: (kv[1], kv[0]))]
            for f in FILTER_LABELS}


def _check_filters(store: GraphStore, filters: dict[str, str | None]) -> None:
    wanted = {k for k in filters.values() if k}
    labels = store.labels(wanted) if wanted else {}
    for name, key in filters.items():
        if key and labels.get(key) != FILTER_LABELS[name]:
            raise BadRequest(f"{name} filter: no {FILTER_LABELS[name]} with key {key!r}", filter=name, key=key)


def _passes(partner: Partner, filters: dict[str, str | None]) -> bool:
    return ((not filters["persona"] or filters["persona"] in {p["key"] for p in partner.personas})
            and (not filters["workstream"] or filters["workstream"] in partner.workstreams)
            and (not filters["priority"] or filters["priority"] in partner.priorities)
            and (not filters["department"] or filters["department"] in partner.departments))


# -- ego and policy ownership ----------------------------------------------------------------
@dataclass
class EgoNode:
    key: str
    label: str
    name: str
    hop: int
    dated: str | None = None
    persona: dict[str, str] | None = None  # an organisation's persona (key, name): its colour on every map


@dataclass
class Ego:
    centre: str
    hops: int
    as_of: str
    nodes: dict[str, EgoNode]
    edges: list[tuple[str, str, str]]  # start, type, end
    left_out: int  # nodes within reach that the cap kept off the map (at least this many)


def ego(store: GraphStore, key: str, role: Role, *, hops: int = 2, as_of: str | None = None,
        max_nodes: int | None = None) -> Ego:
    """A node and everything within `hops` relationships of it, as on as_of (default today).

    Expands breadth-first, one named query per hop; labels the role may not see are
    neither shown nor walked through. Past max_nodes, further nodes are counted, not shown.
    """
    cfg = settings()["maps"]
    if not 1 <= hops <= cfg["ego_max_hops"]:
        raise BadRequest(f"hops must be between 1 and {cfg['ego_max_hops']}", hops=hops)
    centre = store.get(key)
    if centre is None or not visible_label(centre.label, role):
        raise NotFound(f"no node with key {key!r}", key=key)
    as_of = as_of or dt.date.today().isoformat()
    limit = max_nodes or cfg["ego_max_nodes"]
    name = schema().caption(centre.label, centre.props, key)
    found = {key: EgoNode(key, centre.label, name, 0)}
    edges: set[tuple[str, str, str]] = set()
    left_out: set[str] = set()
    personas: dict[str, set[str]] = defaultdict(set)  # every found node's neighbours are asked for once
    frontier = [key]
    for hop in range(1, hops + 2):  # the last round only joins nodes already found
        if not frontier:
            break
        reached = []
        for row in ask(store, "ego_neighbours", keys=frontier, as_of=as_of):
            other = row["other"]
            if row["type"] == "HAS_PERSONA" and row["start"] == row["key"]:
                personas[row["key"]].add(row["end"])
            if not visible_label(row["other_label"], role) or not visible_relationship(row["type"], role):
                continue
            if other not in found:
                if hop > hops:
                    continue
                if len(found) >= limit:
                    left_out.add(other)
                    continue
                found[other] = EgoNode(other, row["other_label"], row["other_name"], hop, row["other_on"])
                reached.append(other)
            edges.add((row["start"], row["type"], row["end"]))
        frontier = reached if hop <= hops else []
    names: dict[str, str] = {}
    for node_key, keys in personas.items():
        if node_key in found and found[node_key].label == "Organisation":
            persona = min(keys)  # as the stakeholder map chooses
            if persona not in names:
                record = store.get(persona)
                names[persona] = record.props.get("name", persona) if record else persona
            found[node_key].persona = {"key": persona, "name": names[persona]}
    return Ego(key, hops, as_of, found, sorted(edges), len(left_out))


@dataclass
class Owner:
    key: str
    label: str
    name: str
    kind: str | None
    departments: list[dict[str, str]]
    held_by: list[str]


@dataclass
class PolicyOwnership:
    as_of: str
    policies: dict[str, dict[str, Any]]  # key -> title, review_date, roles (role -> owner keys)
    owners: dict[str, Owner]

    @property
    def unowned(self) -> list[str]:
        """Policies with no responsible officer: the Policy Framework asks for clear officer-level accountability."""
        return [k for k, p in self.policies.items() if "RESPONSIBLE_FOR" not in p["roles"]]


def policy_ownership(store: GraphStore, *, as_of: str | None = None) -> PolicyOwnership:
    """Each policy with the posts and bodies that own it, their departments and current holders."""
    as_of = as_of or dt.date.today().isoformat()
    policies: dict[str, dict[str, Any]] = {}
    owners: dict[str, Owner] = {}
    for row in ask(store, "policy_ownership", as_of=as_of):
        policy = policies.setdefault(row["policy"], {"title": row["title"], "review_date": row["review_date"],
                                                     "roles": defaultdict(list)})
        if row["owner"] is None:
            continue
        if row["owner"] not in policy["roles"][row["role"]]:
            policy["roles"][row["role"]].append(row["owner"])
        owner = owners.setdefault(row["owner"], Owner(row["owner"], row["owner_label"], row["owner_name"],
                                                      row["owner_kind"], [], row["held_by"]))
        department = {"key": row["department"], "name": row["department_name"]}
        if row["department"] and department not in owner.departments:
            owner.departments.append(department)
    for policy in policies.values():
        policy["roles"] = dict(policy["roles"])
    return PolicyOwnership(as_of, policies, owners)

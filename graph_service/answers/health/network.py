"""Who depends on whom: each service's providers and their shares of its spend, single points of
failure, and partners that are cut vertices between a priority and its providers.

A partner provides a service when it supplies a current contract or receives a current grant that
DELIVERS it, or was paid for it in the spend window. A priority's delivery network is everything
linked to it through services, contracts, grants, key indicators and charters, and the partners
joined to those (as suppliers, recipients, co-funders, charter parties, or working with each
other); a partner is a cut vertex when taking it out leaves some of those partners with no route
to the priority.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph_service.answers.health.facts import Facts, Row

DELIVERY = ("SUPPLIES", "RECEIVES")
NETWORK = ("SUPPLIES", "RECEIVES", "FUNDS", "DELIVERS", "SUPPORTS", "CONTRIBUTES_TO", "MEASURES", "PARTY_TO",
           "WORKS_WITH")


@dataclass
class Provision:
    """One partner's part in a service: the links through which it delivers it, and its spend."""

    partner: str
    via: list[Row] = field(default_factory=list)
    spend: float = 0.0


@dataclass
class ServiceDependency:
    service: str
    name: str
    critical: bool
    providers: dict[str, Provision] = field(default_factory=dict)
    total_spend: float = 0.0  # summed once the providers are in (_services), not per share()

    @property
    def basis(self) -> str:
        return "spend" if self.total_spend > 0 else "equal shares (no spend recorded)"

    def share(self, partner: str) -> float:
        """The partner's share of the service: of its spend, or equal among providers without spend."""
        if self.total_spend > 0:
            return self.providers[partner].spend / self.total_spend
        return 1 / len(self.providers)

    def alternatives(self, partner: str) -> list[str]:
        return sorted(p for p in self.providers if p != partner)

    def other_providers(self, partner: str) -> int:
        """How many alternatives there are: a count, without listing (and sorting) every other provider."""
        return len(self.providers) - (partner in self.providers)


@dataclass
class CutVertex:
    priority: str
    priority_name: str
    cut_off: list[str]     # partners left with no route to the priority
    links: list[Row]       # the partner's own links into the part it cuts off


@dataclass
class Network:
    services: dict[str, ServiceDependency]
    services_of: dict[str, list[str]]          # partner -> services it provides
    priority_names: dict[str, str]
    sole_priorities: dict[str, list[str]]      # partner -> priorities only it delivers
    cut_vertices: dict[str, list[CutVertex]]   # partner -> priorities it is a cut vertex for

    def single_points_of_failure(self, partner: str) -> list[ServiceDependency]:
        """Services this partner alone provides."""
        return [self.services[s] for s in self.services_of.get(partner, []) if len(self.services[s].providers) == 1]


def analyse(facts: Facts) -> Network:
    services = _services(facts)
    services_of: dict[str, list[str]] = defaultdict(list)
    for key, dependency in sorted(services.items()):
        for partner in dependency.providers:
            services_of[partner].append(key)
    priority_names = _priority_names(facts.links)
    return Network(services, dict(services_of), priority_names, _sole_priorities(facts, services),
                   cut_vertices(facts.links))


def _priority_names(links: list[Row]) -> dict[str, str]:
    return {r["end"]: r["end_name"] for r in links if r["end_label"] == "Priority"}


def cut_vertices(links: list[Row]) -> dict[str, list[CutVertex]]:
    """Each partner that is a cut vertex of some priority's delivery network (the delivery links alone:
    no spend), with the priorities it cuts others off from."""
    priority_names = _priority_names(links)
    found: dict[str, list[CutVertex]] = defaultdict(list)
    towards, together = _network_graphs(links)
    for priority in sorted(priority_names):
        for partner, cut in _cut_vertices(towards, together, priority, priority_names[priority]).items():
            found[partner].append(cut)
    return dict(found)


def _services(facts: Facts) -> dict[str, ServiceDependency]:
    by_item: dict[str, list[Row]] = defaultdict(list)  # contract or grant -> partners delivering through it
    for link in facts.links:
        if link["type"] in DELIVERY:
            by_item[link["end"]].append(link)
    services: dict[str, ServiceDependency] = {}
    for link in facts.links:
        if link["type"] == "DELIVERS":
            dependency = services.setdefault(link["end"], ServiceDependency(link["end"], link["end_name"],
                                                                            bool(link["critical"])))
            for supply in by_item.get(link["start"], []):
                dependency.providers.setdefault(supply["start"], Provision(supply["start"])).via += [supply, link]
    for row in facts.service_spend:
        if row["partner"] not in facts.partners:
            continue
        dependency = services.setdefault(row["service"], ServiceDependency(row["service"], row["service_name"],
                                                                           row["critical"]))
        dependency.providers.setdefault(row["partner"], Provision(row["partner"])).spend += row["spend"]
    for dependency in services.values():
        dependency.total_spend = sum(p.spend for p in dependency.providers.values())
    return services


def _sole_priorities(facts: Facts, services: dict[str, ServiceDependency]) -> dict[str, list[str]]:
    """Priorities whose services, contracts and grants are all delivered by one partner."""
    delivering: dict[str, set[str]] = defaultdict(set)  # contract or grant -> partners
    for link in facts.links:
        if link["type"] in DELIVERY:
            delivering[link["end"]].add(link["start"])
    providers: dict[str, set[str]] = defaultdict(set)
    for link in facts.links:
        if link["type"] == "SUPPORTS" and link["start_label"] == "Service" and link["start"] in services:
            providers[link["end"]] |= set(services[link["start"]].providers)
        elif link["type"] == "SUPPORTS" and link["start_label"] in ("Contract", "Grant"):
            providers[link["end"]] |= delivering[link["start"]]
    sole: dict[str, list[str]] = defaultdict(list)
    for priority, partners in sorted(providers.items()):
        if len(partners) == 1:
            sole[next(iter(partners))].append(priority)
    return dict(sole)


def _network_graphs(links: list[Row]) -> tuple[nx.DiGraph, nx.Graph]:
    """The links pointing towards priorities (partner -> contract -> service -> priority, and so on),
    and partners working with each other (subcontracting, consortia, referrals)."""
    towards, together = nx.DiGraph(), nx.Graph()
    for link in links:
        if link["type"] == "WORKS_WITH":
            together.add_edge(link["start"], link["end"], link=link)
        elif link["type"] in NETWORK and not (link["type"] == "CONTRIBUTES_TO" and link["start_label"] == "Workstream"):
            towards.add_node(link["start"], label=link["start_label"])
            towards.add_node(link["end"], label=link["end_label"])
            if not towards.has_edge(link["start"], link["end"]):
                towards.add_edge(link["start"], link["end"], link=link)
    return towards, together


def _cut_vertices(towards: nx.DiGraph, together: nx.Graph, priority: str, name: str) -> dict[str, CutVertex]:
    """Partners whose removal leaves other partners in the priority's delivery network with no route
    to it. The network: everything that leads to the priority, and the partners working with the
    partners in it (one step: subcontractors and consortium members)."""
    if priority not in towards:
        return {}
    network = nx.Graph(towards.subgraph(nx.ancestors(towards, priority) | {priority}).to_undirected())
    direct = {n for n, label in network.nodes(data="label") if label == "Organisation"}
    for partner in direct & set(together):
        for other in together.neighbors(partner):
            network.add_node(other, label="Organisation")
            network.add_edge(partner, other, **together.edges[partner, other])
    partners = {n for n, label in network.nodes(data="label") if label == "Organisation"}
    found = {}
    for candidate in sorted(partners & set(nx.articulation_points(network))):
        reached = nx.node_connected_component(network.subgraph(set(network) - {candidate}), priority)
        cut_off = sorted(partners - reached - {candidate})
        if cut_off:
            links = [network.edges[candidate, n]["link"] for n in sorted(network.neighbors(candidate)) if n in cut_off]
            found[candidate] = CutVertex(priority, name, cut_off, links)
    return found

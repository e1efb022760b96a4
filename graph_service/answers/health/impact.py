"""If this partner fails, what is hit: from the partner through its current contracts and grants to
the services, key indicators, priorities and work-streams that depend on it, each link with its
provenance and each owned thing with the posts that own it and who holds them now."""
from __future__ import annotations

from typing import Any

from graph_service.answers.health.facts import Facts, Row
from graph_service.answers.health.network import Network

LEVELS = {"Contract": "contracts", "Grant": "grants", "Service": "services", "KeyIndicator": "key_indicators",
          "Priority": "priorities", "Workstream": "workstreams"}
ITEM_LINKS = ("SUPPLIES", "RECEIVES", "FUNDS")


def _link(row: Row, reverse: bool = False) -> dict[str, Any]:
    """A link as evidence, from the side nearer the partner."""
    start, end = ("end", "start") if reverse else ("start", "end")
    return {"from": row[start], "type": row["type"], "to": row[end], "rel": row["rel"], "source": row["source"],
            "locator": row["locator"]}


def reached(facts: Facts, partner: str) -> dict[str, list[dict[str, Any]]]:
    """Everything depending on the partner, by label; each entry with the links that reach it (sorted)."""
    hit: dict[str, dict[str, Any]] = {}

    def reach(row: Row, reverse: bool = False) -> None:
        side = "start" if reverse else "end"
        entry = hit.setdefault(row[side], {"key": row[side], "label": row[f"{side}_label"], "name": row[f"{side}_name"],
                                           "via": []})
        entry["via"].append(_link(row, reverse))

    def follow(keys: list[str], *types: str) -> None:
        for key in keys:
            for row in facts.links_from.get(key, []):
                if row["type"] in types:
                    reach(row)

    def keys(*labels: str) -> list[str]:
        return sorted(k for k, entry in hit.items() if entry["label"] in labels)

    follow([partner], *ITEM_LINKS, "CONTRIBUTES_TO", "ENGAGED_IN")
    follow(keys("Contract", "Grant"), "DELIVERS", "SUPPORTS", "CONTRIBUTES_TO")
    follow(keys("Service"), "SUPPORTS", "CONTRIBUTES_TO")
    follow(keys("KeyIndicator"), "MEASURES")
    for indicator in keys("KeyIndicator"):  # work-streams working towards the same indicators
        for row in facts.workstream_links_to.get(indicator, []):
            reach(row, reverse=True)
    levels: dict[str, list[dict[str, Any]]] = {label: [] for label in LEVELS}
    for key in sorted(hit):
        entry = hit[key]
        entry["via"].sort(key=lambda link: (link["from"], link["type"], link["rel"]))
        levels[entry["label"]].append(entry)
    return levels


def chain(facts: Facts, network: Network, partner: str) -> dict[str, list[dict[str, Any]]]:
    """What `reached` finds, each owned thing with its owners and each service with its alternatives
    and the partner's share (listing every other provider: for one partner's impact, not per partner)."""
    levels = reached(facts, partner)
    for entry in (e for entries in levels.values() for e in entries):
        if entry["label"] in ("Contract", "Grant", "Workstream"):
            entry["owners"] = facts.owners_of(entry["key"])
        if entry["label"] == "Service":
            dependency = network.services[entry["key"]]
            entry["critical"] = dependency.critical
            entry["alternatives"] = dependency.alternatives(partner)
            entry["share"] = round(dependency.share(partner), 4) if partner in dependency.providers else None
    return levels


def impact(facts: Facts, network: Network, partner: str) -> dict[str, Any]:
    """The impact chain of one partner, with the officers who own each link."""
    row = facts.partners[partner]
    levels = chain(facts, network, partner)
    exposed = [s["key"] for s in levels["Service"] if not s["alternatives"]]
    return {
        "partner": {"key": partner, "name": row["name"], "illustrative": row["illustrative"], "personas": row["personas"],
                    "owners": facts.owners_of(partner),
                    "source": row["source"], "locator": row["locator"]},
        "as_of": facts.as_of.isoformat(),
        **{LEVELS[label]: entries for label, entries in levels.items()},
        "summary": {**{LEVELS[label]: len(entries) for label, entries in levels.items()},
                    "services_without_alternative": exposed},
    }

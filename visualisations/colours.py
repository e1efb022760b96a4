"""One colour scheme and one node legend for every map kind, so a colour means the same on the stakeholder
map, the grid, an ego view and policy ownership: a partner takes its persona's colour, a council post is
dark grey and square, and every other kind of node has a colour of its own that no persona uses."""
from __future__ import annotations

import re
import zlib

from graph_service.answers.stakeholders import settings
from visualisations.view import LegendEntry, MapNode

LABEL_COLOURS = {  # none of these is a persona's colour (settings/stakeholders.yaml)
    "Person": "#e7969c", "Department": "#5b7a99", "Contract": "#fdae6b", "Grant": "#a1d99b", "Service": "#6baed6",
    "Engagement": "#cedb9c", "Charter": "#bc80bd", "Priority": "#e6550d", "KeyIndicator": "#fb9a99",
    "Policy": "#8c6d31", "Persona": "#c5b0d5", "Workstream": "#74c476", "Programme": "#c49c94", "Theme": "#dbdb8d",
    "Objective": "#9edae5", "GovernanceBody": "#393b79", "Initiative": "#637939", "CommissioningDecision": "#843c39",
    "KpiRating": "#7b4173", "Payment": "#a55194", "Tender": "#fdd0a2"}
OTHER_COLOUR = "#aec7e8"
SHAPES = {"Post": "square", "Policy": "diamond", "GovernanceBody": "triangle", "Department": "hexagon"}
MEMBER_SHAPE = "star"  # an elected member's post, beside an officer's square
LABEL_NAMES = {"Post": "Council post", "Organisation": "Partner"}
NO_PERSONA = "No persona recorded"


def persona_colour(key: str | None) -> str:
    """A persona's configured colour; one not configured takes an extra colour chosen by its key alone, so
    it is the same on every map whichever other personas that map shows."""
    cfg = settings()["maps"]
    if key is None:
        return cfg["no_persona_colour"]
    if key in cfg["persona_colours"]:
        return cfg["persona_colours"][key]
    return cfg["extra_colours"][zlib.crc32(key.encode()) % len(cfg["extra_colours"])]


def label_name(label: str) -> str:
    return LABEL_NAMES.get(label) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label).capitalize()


def node_style(label: str, persona: dict[str, str] | None = None) -> tuple[str, str, str]:
    """(colour, legend category, shape) of a node of this label (a partner's from its persona)."""
    if label == "Organisation":
        return persona_colour(persona["key"] if persona else None), persona["name"] if persona else NO_PERSONA, "dot"
    if label == "Post":
        return settings()["maps"]["post_colour"], label_name(label), SHAPES["Post"]
    return LABEL_COLOURS.get(label, OTHER_COLOUR), label_name(label), SHAPES.get(label, "dot")


def node_legend(nodes: list[MapNode]) -> list[LegendEntry]:
    """An entry for each (category, colour, shape) drawn: partners' personas by name first, then the rest."""
    seen: dict[tuple[str, str, str], None] = {}
    for node in nodes:
        seen.setdefault((node.category, node.colour.lower(), node.shape), None)
    partner_colours = {persona_colour(None)} | set(settings()["maps"]["persona_colours"].values()) \
        | set(settings()["maps"]["extra_colours"])
    ordered = sorted(seen, key=lambda entry: (not (entry[2] == "dot" and entry[1] in partner_colours),
                                              entry[0] == NO_PERSONA, entry[0]))
    return [LegendEntry(shape, colour, category) for category, colour, shape in ordered]

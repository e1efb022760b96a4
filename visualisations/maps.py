"""The four maps as MapViews: the stakeholder network, the power-interest grid, an ego view and
policy ownership. Colours and sizes each get a legend entry; names are plain text throughout
(render.py never lets one become markup)."""
from __future__ import annotations

import math
from collections import defaultdict

from graph_service.dates import shown
from graph_service.answers.stakeholders import (Analysis, Ego, Factor, Holder, Partner, PolicyOwnership, Post, quadrant_names,
                                       settings)
from visualisations.colours import MEMBER_SHAPE, SHAPES, label_name, node_legend, node_style
from visualisations.view import LegendEntry, MapEdge, MapNode, MapView

POST_SHAPE = SHAPES["Post"]
BROKER_BORDER = "#111111"
LINK_COLOURS = {"WORKS_WITH": "#8fa8c8", "council": "#d9b99b"}  # partner-partner; post-partner
OTHER_LINK = "#c8c8c8"
GROUP_LINK = "#b5b5b5"  # a large map's overview: map.js draws these lines
QUADRANT_COLOURS = {"manage_closely": "#fde0dd", "keep_satisfied": "#fff3cd", "keep_informed": "#e0f0e3",
                    "monitor": "#eeeeee"}
HOP_SIZES = {0: 32, 1: 18, 2: 12, 3: 9}
ROLE_COLOURS = {"RESPONSIBLE_FOR": "#1f77b4", "SPONSORING_OFFICER_FOR": "#17becf", "SPONSORING_MEMBER_FOR": "#d62728",
                "PORTFOLIO_HOLDER_FOR": "#ff7f0e", "APPROVES": "#2ca02c", "OVERSEES": "#9467bd"}
ROLE_NAMES = {"RESPONSIBLE_FOR": "responsible officer", "SPONSORING_OFFICER_FOR": "sponsoring officer",
              "SPONSORING_MEMBER_FOR": "sponsoring member", "PORTFOLIO_HOLDER_FOR": "portfolio holder",
              "APPROVES": "approves", "OVERSEES": "oversees"}
UNOWNED_BORDER = "#d62728"
GRID_WIDTH, GRID_HEIGHT, GRID_STEP, GRID_DOT = 1000, 700, 14, 6  # pixels; dots are GRID_DOT in radius
GRID_POINTS = (GRID_WIDTH // GRID_STEP + 1) * (GRID_HEIGHT // GRID_STEP + 1)  # one dot to a lattice point
GOLDEN_ANGLE, SPACING = math.pi * (3 - math.sqrt(5)), 22.0  # large maps' starting layout
FACTOR_NAMES = {"contract_value": "contract value", "services": "services depending on it",
                "priorities": "priorities", "centrality": "network centrality", "engagement": "engagement",
                "charters": "charters", "involvement": "involvement"}


# -- shared pieces -------------------------------------------------------------------------------
def _persona(partner: Partner) -> dict[str, str] | None:
    return min(partner.personas, key=lambda p: p["key"]) if partner.personas else None


def _partner_colour(partner: Partner) -> tuple[str, str]:
    colour, category, _ = node_style("Organisation", _persona(partner))
    return colour, category


def _factor_line(score: str, factor: Factor) -> tuple[str, list[str]]:
    """A factor as a details row: how its score was reached, then the facts behind it."""
    raw = f"{factor.raw:,.0f}" if factor.name == "contract_value" else f"{factor.raw:g}"
    summary = f"{raw} -> {factor.score:.2f} x weight {factor.weight:.2f} = {factor.contribution:.3f}"
    return f"{score} - {FACTOR_NAMES.get(factor.name, factor.name)}", [summary, *factor.detail]


def _holder_line(holder: Holder) -> str:
    how = ", ".join(f"{k.lower().replace('_', ' ')} x{n}" for k, n in holder.how.items())
    where = "; ".join(d["name"] for d in holder.departments)
    held = f"; held by {', '.join(holder.held_by)}" if holder.held_by else "; vacant"
    return f"{holder.title} ({how})" + (f" - {where}" if where else "") + held


def partner_details(partner: Partner, analysis: Analysis) -> list[tuple[str, str | list[str]]]:
    """Everything the details panel shows for a partner: the scores and the facts behind them."""
    communities = {c.id: c.name for c in analysis.communities}
    rows = [("Key", partner.key), ("Personas", ", ".join(p["name"] for p in partner.personas) or "none recorded"),
            ("Quadrant", partner.quadrant_name), ("Power", f"{partner.power:.3f} ({analysis.basis})"),
            ("Interest", f"{partner.interest:.3f}")]
    if partner.assessment is not None:
        officer = partner.assessment
        rows += [("Officer's placement", f"power {officer.power:.2f}, interest {officer.interest:.2f}: "
                                         f"{officer.quadrant_name}, by {officer.assessed_by} on {officer.assessed_at[:10]}"),
                 ("Officer's reason", officer.reason)]
        if partner.computed_quadrant and partner.computed_quadrant != partner.quadrant:
            rows.append(("Computed quadrant", quadrant_names()[partner.computed_quadrant]))
    if partner.health_rating is not None:
        rows.append(("Health (procurement only)", "no data" if partner.health is None
                     else f"{partner.health:.1f} ({partner.health_rating})"))
    rows += [_factor_line("Power", f) for f in partner.power_factors]
    rows += [_factor_line("Interest", f) for f in partner.interest_factors]
    rows += [("Relationship holders", [_holder_line(h) for h in partner.holders] or "none recorded"),
             ("Community", communities.get(partner.community, "not linked to anyone")),
             ("Betweenness", f"{partner.betweenness:.4f}")]
    return rows


def _tooltip(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


# -- the stakeholder network ---------------------------------------------------------------------
def stakeholder_view(analysis: Analysis, *, max_nodes: int | None = None) -> MapView:
    """Partners (colour: persona, size: power) and the council posts linked to them."""
    limit = max_nodes or settings()["maps"]["max_nodes"]
    posts_of: dict[str, set[str]] = defaultdict(set)
    for link in analysis.links:
        for a, b in ((link.source, link.target), (link.target, link.source)):
            if b in analysis.posts:
                posts_of[a].add(b)
    shown: list[Partner] = []
    shown_posts: set[str] = set()
    for partner in analysis.partners:  # highest power first, so a cap keeps the most powerful
        extra = posts_of[partner.key] - shown_posts
        if len(shown) + len(shown_posts) + 1 + len(extra) > limit:
            break
        shown.append(partner)
        shown_posts |= extra
    brokers = {b.key for b in analysis.brokers}
    nodes = []
    for partner in shown:
        colour, category = _partner_colour(partner)
        nodes.append(MapNode(
            partner.key, partner.name, partner.name, category, colour, round(8 + 28 * partner.power, 1),
            tooltip=_tooltip(partner.name, category, f"Power {partner.power:.2f} - interest {partner.interest:.2f}: "
                             f"{partner.quadrant_name}", "Broker between communities" if partner.key in brokers else ""),
            details=partner_details(partner, analysis),
            border=BROKER_BORDER if partner.key in brokers else None, border_width=4 if partner.key in brokers else 1))
    for key in sorted(shown_posts):
        post = analysis.posts[key]
        post_colour, post_category, _ = node_style("Post")
        nodes.append(MapNode(key, post.title, post.title, post_category, post_colour, 10,
                             shape=POST_SHAPE, tooltip=_tooltip(post.title, "Council post",
                                                                "Broker between communities" if key in brokers else ""),
                             details=_post_details(post, analysis, posts_of),
                             border=BROKER_BORDER if key in brokers else None, border_width=4 if key in brokers else 1))
    community = {p.key: p.community for p in shown} | {k: analysis.posts[k].community for k in shown_posts}
    large = len(nodes) > settings()["maps"]["large"]
    if large:
        _seed_positions(nodes, community)
    ids = {n.id for n in nodes}
    edges = [MapEdge(link.source, link.target, "+".join(link.kinds),
                     LINK_COLOURS["WORKS_WITH" if link.kinds == ["WORKS_WITH"] else "council"],
                     round(1 + math.log2(link.weight), 2), tooltip=", ".join(k.lower().replace("_", " ") for k in link.kinds)
                     + f" ({link.weight} link{'s' if link.weight > 1 else ''})")
             for link in analysis.links if link.source in ids and link.target in ids]
    notes = _filter_notes(analysis) + _cap_notes(len(shown), len(analysis.partners), limit)
    legend = node_legend(nodes) + [
        LegendEntry("ring", BROKER_BORDER, "Thick black border: broker (bridges communities)"),
        LegendEntry("dot", "#999999", "Size: power 0", 8), LegendEntry("dot", "#999999", "Size: power 1", 36),
        LegendEntry("line", LINK_COLOURS["WORKS_WITH"], "Partners that work with each other"),
        LegendEntry("line", LINK_COLOURS["council"], "Post holds the relationship, manages a contract or attended"),
        LegendEntry("text", "#333333", "Line width: how many links join the pair")]
    if large:  # map.js opens it on its communities
        legend += [LegendEntry("text", "#333333", "Zoomed out: one dot per community (its size: how many it holds; its "
                                                  "colour: their commonest persona); zoom in or click one to see each node"),
                   LegendEntry("line", GROUP_LINK, "Zoomed out: links between two communities")]
    return MapView("stakeholders", "Stakeholder map", _subtitle(analysis, len(shown)), nodes, edges, legend, notes,
                   as_of=analysis.as_of, groups=_groups(analysis, nodes, community))


def _groups(analysis: Analysis, nodes: list[MapNode], community: dict[str, int | None]) -> list[dict]:
    """The overview of a large map: one cluster per community, and one of the partners linked to no one."""
    names = {c.id: c.name for c in analysis.communities}
    members: dict[int | None, list[str]] = defaultdict(list)
    for node in nodes:
        members[community[node.id]].append(node.id)
    return [{"name": names.get(c, "Not linked to anyone"), "members": keys}
            for c, keys in sorted(members.items(), key=lambda item: (item[0] is None, item[0] or 0))]


def _seed_positions(nodes: list[MapNode], community: dict[str, int | None]) -> None:
    """Lay a large map out with each community on its own disc (its posts in the middle): the layout its
    overview opens onto, with no physics in the browser.

    Discs and the dots in them are laid out as sunflowers (golden-angle spirals): deterministic and
    roughly even, biggest community in the middle. Unconnected nodes share the last disc.
    """
    groups: dict[int, list[MapNode]] = defaultdict(list)
    for node in nodes:
        groups[community[node.id] or 0].append(node)
    order = sorted(groups, key=lambda g: (g == 0, -len(groups[g]), g))
    placed = 0
    for index, group in enumerate(order):
        members = sorted(groups[group], key=lambda n: n.shape != POST_SHAPE)  # its posts in the middle
        distance = SPACING * math.sqrt(placed + len(members) / 2)
        cx, cy = distance * math.cos(index * GOLDEN_ANGLE), distance * math.sin(index * GOLDEN_ANGLE)
        for j, node in enumerate(members):
            node.x = round(cx + SPACING * math.sqrt(j) * math.cos(j * GOLDEN_ANGLE), 1)
            node.y = round(cy + SPACING * math.sqrt(j) * math.sin(j * GOLDEN_ANGLE), 1)
        placed += len(members)


def _post_details(post: Post, analysis: Analysis, posts_of: dict[str, set[str]]) -> list[tuple[str, str]]:
    communities = {c.id: c.name for c in analysis.communities}
    return [("Key", post.key), ("Departments", ", ".join(d["name"] for d in post.departments) or "none recorded"),
            ("Held by", ", ".join(post.held_by) or "vacant"),
            ("Partners linked", str(sum(post.key in posts for posts in posts_of.values()))),
            ("Community", communities.get(post.community, "not linked to anyone")),
            ("Betweenness", f"{post.betweenness:.4f}")]


def _subtitle(analysis: Analysis, shown: int) -> str:
    return (f"{shown} of {analysis.total_partners} partners as on {analysis.as_of}. {analysis.basis} "
            f"Click a node for the facts behind its scores.")


def _cap_notes(shown: int, partners: int, limit: int) -> list[str]:
    if shown == partners:
        return []
    return [f"Showing the {shown} partners with the highest power of {partners}: a map is capped at {limit} nodes so "
            f"it stays usable. Filter by persona, work-stream, priority or department to see the rest."]


def _filter_notes(analysis: Analysis) -> list[str]:
    names = {f: {c["key"]: c["name"] for c in choices} for f, choices in analysis.choices.items()}
    active = [f"{f.replace('_', ' ')} = {names.get(f, {}).get(v, v)}" for f, v in analysis.filters.items()
              if v is not None]
    return [f"Filtered: {', '.join(active)} ({len(analysis.partners)} partners match)."] if active else []


# -- the power-interest grid ---------------------------------------------------------------------
LABEL_CHAR, LABEL_HEIGHT = 7.0, 16.0  # a 12px sans-serif label: width per character and line height, in pixels


def grid_centre() -> tuple[float, float]:
    """Where the thresholds cross, in canvas coordinates (y grows downward)."""
    grid = settings()["grid"]
    return grid["interest_threshold"] * GRID_WIDTH, (1 - grid["power_threshold"]) * GRID_HEIGHT


def _quadrant_box(quadrant: str) -> tuple[float, float, float, float]:
    """The part of the canvas a quadrant's dots may use (x0, y0, x1, y1): its area inset by a dot and a
    gap from the axes' crossing lines and the edges, so no dot touches another quadrant."""
    cx, cy = grid_centre()
    inset = GRID_DOT + 2
    high_power, high_interest = quadrant in ("manage_closely", "keep_satisfied"), quadrant in ("manage_closely", "keep_informed")
    x0, x1 = (cx, GRID_WIDTH) if high_interest else (0.0, cx)
    y0, y1 = (0.0, cy) if high_power else (cy, GRID_HEIGHT)
    return x0 + inset, y0 + inset, x1 - inset, y1 - inset


def placed(partner: Partner) -> tuple[float, float]:
    """Where the grid puts a partner: the officer's power and interest where recorded (they decide the quadrant),
    otherwise the computed ones."""
    officer = partner.assessment
    return (officer.power, officer.interest) if officer else (partner.power, partner.interest)


def _grid_positions(partners: list[Partner]) -> tuple[dict[str, tuple[float, float]], int]:
    """Where each partner sits: interest across, power up, each dot inside its own quadrant.

    A quadrant's dots go on a lattice over its box, GRID_STEP pixels apart (closer when the quadrant
    holds more partners than that lattice has points), one dot to a point so each can be clicked; a
    partner whose nearest point is taken gets the nearest free one, highest power placed first. The
    same scores always give the same places. Returns the positions and the furthest a dot was moved."""
    by_quadrant: dict[str, list[Partner]] = defaultdict(list)
    for p in partners:
        by_quadrant[p.quadrant].append(p)
    positions, moved = {}, 0.0
    for quadrant, members in sorted(by_quadrant.items()):
        x0, y0, x1, y1 = _quadrant_box(quadrant)
        step = float(GRID_STEP)
        while (int((x1 - x0) // step) + 1) * (int((y1 - y0) // step) + 1) < len(members):
            step *= 0.9
        columns, rows = int((x1 - x0) // step), int((y1 - y0) // step)
        taken: set[tuple[int, int]] = set()
        searched_from: dict[tuple[int, int], int] = {}  # rings around a point already known to be full
        for p in sorted(members, key=lambda m: (-placed(m)[0], -placed(m)[1], m.key)):
            power, interest = placed(p)
            tx, ty = interest * GRID_WIDTH, (1 - power) * GRID_HEIGHT
            fx = min(max((tx - x0) / step, 0.0), columns)
            fy = min(max((ty - y0) / step, 0.0), rows)
            home = (round(fx), round(fy))
            radius = searched_from.get(home, 0)
            while True:
                ring = [(i, j) for i, j in _ring(home, radius) if 0 <= i <= columns and 0 <= j <= rows and (i, j) not in taken]
                if ring:
                    break
                radius += 1
            searched_from[home] = radius
            cell = min(ring, key=lambda c: ((c[0] - fx) ** 2 + (c[1] - fy) ** 2, c))
            taken.add(cell)
            x, y = round(x0 + cell[0] * step, 1), round(y0 + cell[1] * step, 1)
            positions[p.key] = (x, y)
            moved = max(moved, math.hypot(x - tx, y - ty))
    return positions, round(moved)


def _ring(centre: tuple[int, int], radius: int) -> list[tuple[int, int]]:
    """The lattice points exactly `radius` steps (Chebyshev) from centre."""
    x, y = centre
    if radius == 0:
        return [centre]
    side = range(-radius, radius + 1)
    return ([(x + d, y - radius) for d in side] + [(x + d, y + radius) for d in side]
            + [(x - radius, y + d) for d in side[1:-1]] + [(x + radius, y + d) for d in side[1:-1]])


def label_box(name: str, x: float, y: float) -> tuple[float, float, float, float]:
    """Where a dot's label is drawn: centred under the dot (x0, y0, x1, y1)."""
    half = len(name) * LABEL_CHAR / 2
    return x - half, y + GRID_DOT, x + half, y + GRID_DOT + LABEL_HEIGHT


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _labelled(ranked: list[Partner], positions: dict[str, tuple[float, float]], limit: int) -> set[str]:
    """Up to `limit` partners, highest power + interest first, whose labels overlap no other label
    nor another dot; a partner whose label would is left for hover and search."""
    dots = [(x - GRID_DOT, y - GRID_DOT, x + GRID_DOT, y + GRID_DOT) for x, y in positions.values()]
    boxes: list[tuple[float, float, float, float]] = []
    chosen = set()
    for p in ranked:
        if len(chosen) >= limit:
            break
        box = label_box(p.name, *positions[p.key])
        if not any(_overlaps(box, other) for other in boxes) and not any(_overlaps(box, dot) for dot in dots):
            boxes.append(box)
            chosen.add(p.key)
    return chosen


def _placement_text(partner: Partner) -> str:
    """The tooltip's placement: the computed one, and the officer's beside it where recorded."""
    computed = f"power {partner.power:.2f} - interest {partner.interest:.2f}"
    officer = partner.assessment
    if officer is None:
        return f"Power {partner.power:.2f} - interest {partner.interest:.2f}: {partner.quadrant_name}"
    return (f"Officer's placement: power {officer.power:.2f} - interest {officer.interest:.2f}: {officer.quadrant_name} "
            f"(by {officer.assessed_by}, {officer.assessed_at[:10]}: {officer.reason}). Computed {computed}")


def _grid_scores(partner: Partner) -> dict:
    """Where the dot is drawn from (the officer's placement wins), and the computed scores beside it when they differ."""
    power, interest = placed(partner)
    scores = {"quadrant": partner.quadrant, "power": power, "interest": interest}
    if partner.assessment:
        scores["computed"] = {"quadrant": partner.computed_quadrant, "power": partner.power, "interest": partner.interest}
    return scores


def grid_view(analysis: Analysis) -> MapView:
    """Each partner placed by interest (across) and power (up), inside its own quadrant."""
    cfg = settings()
    limit = min(cfg["maps"]["max_nodes"], GRID_POINTS)
    shown = analysis.partners[:limit]  # highest power first
    positions, moved = _grid_positions(shown)
    ranked = sorted(shown, key=lambda p: (-(p.power + p.interest), p.key))
    labelled = _labelled(ranked, positions, cfg["maps"]["grid_labels"])
    nodes = []
    for partner in shown:
        colour, category = _partner_colour(partner)
        x, y = positions[partner.key]
        nodes.append(MapNode(
            partner.key, partner.name if partner.key in labelled else "", partner.name, category, colour, GRID_DOT,
            tooltip=_tooltip(partner.name, category, _placement_text(partner)),
            details=partner_details(partner, analysis), x=x, y=y))
    grid = {"width": GRID_WIDTH, "height": GRID_HEIGHT, "power_threshold": cfg["grid"]["power_threshold"],
            "interest_threshold": cfg["grid"]["interest_threshold"], "quadrants": quadrant_names(),
            "colours": QUADRANT_COLOURS, "centre": list(grid_centre()),
            "scores": {p.key: _grid_scores(p) for p in shown}}
    legend = node_legend(nodes) + [
        LegendEntry("area", QUADRANT_COLOURS[q], f"{name} quadrant") for q, name in quadrant_names().items()] + [
        LegendEntry("text", "#333333", "Across: interest 0 to 1. Up: power 0 to 1. All dots are the same size."),
        LegendEntry("text", "#333333", f"Names shown for {len(labelled)} of the partners with the highest power + interest "
                                       "(where a name fits without overlapping); hover, click or search for the others.")
    ]
    notes = _filter_notes(analysis) + _cap_notes(len(shown), len(analysis.partners), limit)
    if moved > GRID_STEP:
        notes.append(f"Partners with (nearly) the same scores are laid out side by side within their own quadrant, up to "
                     f"{moved} pixels ({moved / GRID_WIDTH:.2f} of a score) from their point, so each can be clicked.")
    return MapView("grid", "Power-interest grid", _subtitle(analysis, len(nodes)), nodes, [], legend, notes, grid=grid,
                   as_of=analysis.as_of)


def grid_points(view: MapView) -> dict:
    """The grid as data: each dot's canvas position (y grows downward), quadrant and scores, and where the axes cross."""
    scores = view.grid["scores"]
    return {"title": view.title, "subtitle": view.subtitle, "width": view.grid["width"], "height": view.grid["height"],
            "centre": view.grid["centre"], "power_threshold": view.grid["power_threshold"],
            "interest_threshold": view.grid["interest_threshold"], "notes": view.notes,
            "nodes": [{"key": n.id, "name": n.name, "x": n.x, "y": n.y, **scores[n.id]} for n in view.nodes]}


# -- the ego view --------------------------------------------------------------------------------
def ego_view(found: Ego) -> MapView:
    """A node and everything within N hops: colour by label, size by distance from the centre."""
    nodes = []
    for node in sorted(found.nodes.values(), key=lambda n: (n.hop, n.key)):
        name = f"{node.name} ({node.dated})" if node.dated and node.label == "Engagement" else node.name
        colour, category, shape = node_style(node.label, node.persona)
        details = [("Key", node.key), ("Label", label_name(node.label)), ("Hops from the centre", str(node.hop))]
        if node.label == "Organisation":
            details.insert(2, ("Persona", node.persona["name"] if node.persona else "none recorded"))
        nodes.append(MapNode(node.key, name, name, category, colour, HOP_SIZES.get(node.hop, 8), shape=shape,
                             tooltip=_tooltip(name, category, f"{node.hop} hop(s) away"), details=details,
                             border=BROKER_BORDER if node.hop == 0 else None, border_width=3 if node.hop == 0 else 1))
    edges = [MapEdge(start, end, kind, LINK_COLOURS["WORKS_WITH"] if kind == "WORKS_WITH" else OTHER_LINK,
                     tooltip=kind.lower().replace("_", " ")) for start, kind, end in found.edges]
    centre = found.nodes[found.centre]
    legend = node_legend(nodes) + [
        LegendEntry("dot", "#999999", f"Size: {hop} hop(s) away" if hop else "Size: the centre", size)
        for hop, size in HOP_SIZES.items() if hop <= found.hops] + [
        LegendEntry("ring", BROKER_BORDER, "Black border: the centre"),
        LegendEntry("line", LINK_COLOURS["WORKS_WITH"], "Partners that work with each other"),
        LegendEntry("line", OTHER_LINK, "Another relationship (its type shows when zoomed in, on hover and in the details)")]
    notes = []
    if found.left_out:
        notes.append(f"At least {found.left_out} more nodes lie within {found.hops} hops; the map is capped at "
                     f"{len(found.nodes)} nodes. Choose fewer hops or a less connected centre to see them.")
    subtitle = (f"{centre.name} and everything within {found.hops} hop(s), as on {found.as_of}: "
                f"{len(found.nodes)} nodes, {len(edges)} relationships.")
    return MapView("ego", f"Ego view: {centre.name}", subtitle, nodes, edges, legend, notes, directed=True,
                   as_of=found.as_of)


# -- policy ownership ----------------------------------------------------------------------------
def policy_view(ownership: PolicyOwnership) -> MapView:
    """Policies, the posts and bodies that own them (officers and members apart), and their departments."""
    unowned = set(ownership.unowned)
    nodes, edges = [], []
    departments: dict[str, str] = {}
    for key, policy in sorted(ownership.policies.items()):
        roles = policy["roles"]
        details = [("Key", key), ("Review date", shown(policy["review_date"]) or "not recorded")]
        details += [(ROLE_NAMES[role].capitalize(), ", ".join(ownership.owners[o].name for o in owners))
                    for role, owners in sorted(roles.items())]
        colour, category, shape = node_style("Policy")
        category = "Policy with no responsible officer" if key in unowned else category
        nodes.append(MapNode(key, policy["title"], policy["title"], category, colour, 22, shape=shape,
                             tooltip=_tooltip(policy["title"], category), details=details,
                             border=UNOWNED_BORDER if key in unowned else None,
                             border_width=4 if key in unowned else 1))
        edges += [MapEdge(owner, key, role, ROLE_COLOURS[role], 2, tooltip=ROLE_NAMES[role])
                  for role, owners in sorted(roles.items()) for owner in owners]
    for key, owner in sorted(ownership.owners.items()):
        kind = "body" if owner.label == "GovernanceBody" else ("member" if owner.kind == "member" else "officer")
        colour, category, shape = node_style(owner.label)
        if kind != "body":
            category, shape = ("Member post", MEMBER_SHAPE) if kind == "member" else ("Officer post", shape)
        nodes.append(MapNode(key, owner.name, owner.name, category, colour, 14, shape=shape,
                             tooltip=_tooltip(owner.name, category, "Held by " + ", ".join(owner.held_by) if owner.held_by else ""),
                             details=[("Key", key), ("Kind", owner.kind or category),
                                      ("Held by", ", ".join(owner.held_by) or ("vacant" if owner.label == "Post" else "-")),
                                      ("Departments", ", ".join(d["name"] for d in owner.departments) or "none recorded")]))
        for department in owner.departments:
            departments[department["key"]] = department["name"]
            edges.append(MapEdge(key, department["key"], "IN_DEPARTMENT", "#9e9e9e", 1, dashes=True, tooltip="in department"))
    dept_colour, dept_category, dept_shape = node_style("Department")
    nodes += [MapNode(key, name, name, dept_category, dept_colour, 12, shape=dept_shape,
                      tooltip=_tooltip(name, dept_category), details=[("Key", key)])
              for key, name in sorted(departments.items())]
    legend = node_legend(nodes) + [LegendEntry("ring", UNOWNED_BORDER, "Red border: no responsible officer recorded")]
    legend += [LegendEntry("line", colour, ROLE_NAMES[role].capitalize()) for role, colour in ROLE_COLOURS.items()]
    legend += [LegendEntry("dashed", "#9e9e9e", "Post is in the department"),
               LegendEntry("text", "#333333", "Sizes tell kinds apart: policies largest, then posts and bodies, then departments.")]
    notes = []
    if unowned:
        titles = sorted(ownership.policies[k]["title"] for k in unowned)
        notes.append(f"{len(unowned)} of {len(ownership.policies)} policies have no responsible officer recorded: "
                     + "; ".join(titles) + ".")
    subtitle = (f"{len(ownership.policies)} policies, {len(ownership.owners)} owning posts and bodies, "
                f"{len(departments)} departments, as on {ownership.as_of}.")
    return MapView("policy-ownership", "Policy ownership", subtitle, nodes, edges, legend, notes, directed=True,
                   as_of=ownership.as_of)

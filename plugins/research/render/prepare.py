"""What rendering presents, computed before any page is written (templates only present).

`CHECKS` run before the link stage: the `events:` of every document (drafts too), checked
against the build's one citation index, stop the build first, as the timeline always did.
`STEPS` run after it, once the build is clean: the timeline's events (once, from the
published documents and the registry), the maps and the network graph. Steps and their
machinery: core/steps.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.steps import Result, Run, Step
from ..link.citations import CitationIndex
from .maps import Colouring, Maps, Overlap
from .network import NETWORK_LIMIT, Network
from .timeline import collect_events, note_events
from .views import AsOf


def events_checked(run: Run) -> Result:
    """The citation index of the build (with the content folder's lock), and every
    document's `events:` checked against it."""
    cite = CitationIndex.for_build(run.documents, run.settings)
    problems = []
    for document in run.documents:
        problems += note_events(document, cite)[1]
    return Result({"cite": cite}, problems=problems)


def timeline(run: Run) -> Result:
    """The timeline's events, names found with the linker's automaton."""
    events, _ = collect_events(run.documents, run.state.registry, run.state.cite,
                               run.work["linker"].find, published=run.state.published,
                               pages=run.state.pages)
    return Result({"events": events})


def maps(run: Run) -> Result:
    # pairs of organizations whose overlap gets a map of its own (OVERLAP_MAPS)
    return Result({"maps": Maps(run.state.registry),
                   "overlap_pairs": [tuple(p) for p in run.settings.get("OVERLAP_MAPS", [])]})


def graph(run: Run) -> Result:
    """The network of entities, built now that the mentions exist (no lazy graph)."""
    views = run.state.views
    return Result({"network": Network(
        run.state.registry, run.state.mentions, views.today if views is not None else None,
        run.settings.get("NETWORK_LIMIT", NETWORK_LIMIT),
        show_media=run.settings.get("NETWORK_SHOW_MEDIA", False), pages=run.state.pages)})


CHECKS: list[Step] = [Step("events-checked", events_checked, gate=True)]


# --- what one page presents, computed before it is rendered ----------------------------------
#
# Templates only present: every map, network picture and matrix a page shows is drawn here,
# by the render stage, and handed to the template as the page's `prepared` value (entity
# pages, /memberships/, /network/) or kept in the state (`research.home` for the home page,
# which Pelican's own generator writes). The template chooses where each goes and writes the
# words around it.

def page_siteurl(save_as: str, settings: dict) -> str:
    """The `SITEURL` Pelican's writer gives the page written at `save_as`: with
    RELATIVE_URLS the way up to the site's root ("../.."), else the settings' SITEURL. (The
    pictures' links are written with it, as the template's own links are.)"""
    if not settings.get("RELATIVE_URLS"):
        return settings.get("SITEURL", "")
    depth = len([part for part in save_as.split("/") if part]) - 1
    return "/".join([".."] * depth) if depth > 0 else "."


@dataclass(frozen=True)
class MapFigure:
    """One map as a page shows it: the drawing (and, for a wide map, its enlarged insets,
    each `(region, svg)`), with the colouring its caption lists."""
    ident: str
    view: Colouring
    svg: str
    insets: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OverlapFigure:
    """Two organizations' full members on a date, as a map (maps.Overlap)."""
    ident: str
    item: Overlap
    svg: str


@dataclass(frozen=True)
class Ego:
    """An entity's neighbourhood in the network: the strongest neighbours (at most
    `Network.ego_limit`), how many it has in all, the picture and its text equivalent."""
    neighbours: list[str]
    total: int
    svg: str
    connections: list


@dataclass(frozen=True)
class EntityView:
    """What an entity page shows that is computed: its maps by as-of key (today's with
    insets, the article's), the overlap maps of the OVERLAP_MAPS pairs it is in, the map of
    the states recognising it, its network neighbourhood."""
    maps: dict[str, MapFigure] = field(default_factory=dict)
    overlaps: list[OverlapFigure] = field(default_factory=list)
    recognition: MapFigure | None = None
    ego: Ego | None = None


@dataclass(frozen=True)
class DateView:
    """One date of /memberships/: the states x organizations matrix, the overlap maps and
    one map per organization with members (`(organization, figure)`). `grid`: the matrix's
    rows as the table shows them, `(country, cells)`, each cell a list of `(row, possible)`
    (only some readings of an uncertain or disputed date put the row in force)."""
    point: AsOf
    matrix: dict
    overlaps: list[OverlapFigure]
    maps: list[tuple[Any, MapFigure]]
    grid: list[tuple[Any, list[list[tuple[Any, bool]]]]] = field(default_factory=list)


@dataclass(frozen=True)
class CountryIndex:
    """/countries/ as tables of states (COUNTRY_INDEX): each state's role in
    the listed organizations on the article's date and its recognitions of the listed
    territories; the states the sources name first, most mentioned first."""
    point: AsOf  # the first as-of date that is not today (the article's)
    columns: list  # the organizations, as COUNTRY_INDEX lists them (those that exist)
    territories: list  # the territories whose recognitions are shown
    roles: dict[str, dict[str, str]]  # organization -> {state: role on `point`}
    recognised: dict[str, list[tuple[Any, Any]]]  # state -> [(territory, Recognition)]
    in_article: dict[str, int]  # state -> its mentions in the sources
    discussed: list  # states the sources name: most mentioned first, then by name
    others: list  # the other states, in the index's order


@dataclass(frozen=True)
class NetworkView:
    """/network/: the picture of the most connected entities and its text equivalent."""
    svg: str
    rows: list


@dataclass(frozen=True)
class HomeOverlap:
    """The home page's glance at two organizations (HOME["overlap"]) on the source
    article's date: full members of both, of the first only, of the second only, by name."""
    point: AsOf
    first: Any
    second: Any
    both: list
    only_first: list
    only_second: list


def map_figure(maps: Maps, view: Colouring, ident: str, crop: bool = True,
               with_insets: bool = False) -> MapFigure:
    insets = ()
    if with_insets:
        insets = tuple((region, maps.svg(view, f"{ident}-inset-{number}", True, subset))
                       for number, (region, subset) in enumerate(maps.insets(view), 1))
    return MapFigure(ident, view, maps.svg(view, ident, crop), insets)


def overlap_figure(maps: Maps, pair: tuple, on, ident: str) -> OverlapFigure | None:
    """The overlap map of `pair` on `on`, or None if either is unknown or nobody is in
    either."""
    item = maps.overlap(pair[0], pair[1], on)
    if item is None or not (item.both or item.only_first or item.only_second):
        return None
    return OverlapFigure(ident, item, maps.overlap_svg(item, ident))


def ego(network: Network | None, slug: str, siteurl: str) -> Ego | None:
    if network is None:
        return None
    neighbours = network.neighbours(slug)
    if not neighbours:
        return None
    return Ego(neighbours, network.neighbour_count(slug), network.ego_svg(slug, siteurl),
               network.ego_connections(slug))


def entity_view(state, entity, siteurl: str) -> EntityView:
    """Everything computed that the page of `entity` shows (its pictures' links relative to
    `siteurl`, the page's own SITEURL)."""
    registry, views, maps = state.registry, state.views, state.maps
    figures, overlaps, recognition = {}, [], None
    if maps is not None and registry.memberships_in(entity.slug):
        today, article = views.as_of[-1], views.article_date
        figures[today.key] = map_figure(maps, maps.colouring(entity.slug, today.date),
                                        f"map-{today.key}", with_insets=True)
        if article is not None and article is not today:
            figures[article.key] = map_figure(maps, maps.colouring(entity.slug, article.date),
                                              f"map-{article.key}")
        for pair in state.overlap_pairs:
            if entity.slug in pair:
                found = overlap_figure(maps, pair, today.date, "overlap-map-" + "-".join(pair))
                if found is not None:
                    overlaps.append(found)
    if maps is not None and views.recognitions_of(entity.slug):
        view = maps.recognition(entity.slug, views.as_of[-1].date)
        if view.everyone:
            recognition = MapFigure("recognition-map", view,
                                    maps.recognition_svg(view, "recognition-map"))
    return EntityView(figures, overlaps, recognition, ego(state.network, entity.slug, siteurl))


def date_views(state) -> list[DateView]:
    """/memberships/, one date after the other."""
    registry, maps = state.registry, state.maps
    found = []
    for point in state.views.as_of:
        overlaps, figures = [], []
        if maps is not None:
            for pair in state.overlap_pairs:
                item = overlap_figure(maps, pair, point.date,
                                      f"overlap-map-{'-'.join(pair)}-{point.key}")
                if item is not None:
                    overlaps.append(item)
            for organization in registry.of_type("organization"):
                if maps.has_members(organization.slug):
                    figures.append((organization, map_figure(
                        maps, maps.colouring(organization.slug, point.date),
                        f"map-{organization.slug}-{point.key}")))
        matrix = state.views.overlap(point.date)
        grid = [(country, [[(m, state.views.status(m, point.date) == "possible")
                            for m in cell] for cell in cells])
                for country, cells in matrix["grid"]]
        found.append(DateView(point, matrix, overlaps, figures, grid))
    return found


def country_index(state, entities: list) -> CountryIndex | None:
    """The table of states on /countries/ (COUNTRY_INDEX = {"organizations": [...],
    "territories": [...]}), or None when the site has none (a plain list is shown)."""
    config, views, registry = state.settings.get("COUNTRY_INDEX"), state.views, state.registry
    point = next((a for a in views.as_of if a.key != "today"), None) if views else None
    if not config or point is None:
        return None
    known = registry.entities
    columns = [known[s] for s in config.get("organizations", ()) if s in known]
    territories = [known[s] for s in config.get("territories", ()) if s in known]
    role_class = registry.types.role_class
    roles = {}
    for organization in columns:
        held: dict[str, str] = {}
        for m in views.members_on(organization.slug, point.date):
            if m.member not in held or role_class(m.role) == "member":
                held[m.member] = m.role
        roles[organization.slug] = held
    recognised: dict[str, list] = {}
    for territory in territories:
        for r in views.recognitions_of(territory.slug):
            recognised.setdefault(r.by, []).append((territory, r))
    in_article, discussed, others = {}, [], []
    for e in entities:
        count = sum(len(occurrences) for document, occurrences in (
            state.mentions.by_document(e.slug) if state.mentions else ())
            if document.category.slug == "sources")
        if count:
            in_article[e.slug] = count
            discussed.append((-count, e.name.lower(), e))
        else:
            others.append(e)
    discussed.sort(key=lambda item: item[:2])  # (stable: ties keep the index's order)
    return CountryIndex(point, columns, territories, roles, recognised, in_article,
                        [e for _, _, e in discussed], others)


def network_view(network: Network, siteurl: str) -> NetworkView:
    return NetworkView(network.overview_svg(siteurl), network.overview_rows())


def home_overlap(state) -> HomeOverlap | None:
    """The home page's overlap glance (HOME = {"source": slug, "overlap": [a, b]}): on the
    as-of date that is the source article's date, if there is one."""
    home = state.settings.get("HOME") or {}
    pair, views, registry = home.get("overlap") or (), state.views, state.registry
    source = next((a for a in state.published if a.slug == home.get("source")), None) \
        if home.get("source") else None
    if views is None or source is None or len(pair) != 2:
        return None
    key = source.date.strftime("%Y-%m-%d")
    point = next((a for a in views.as_of if a.key == key), None)
    if point is None:
        return None
    matrix = views.overlap(point.date)
    columns = {o.slug: index for index, o in enumerate(matrix["organizations"])}
    if pair[0] not in columns or pair[1] not in columns:
        return None
    first, second = registry.entities[pair[0]], registry.entities[pair[1]]
    full = registry.types.is_full_member
    both, only_first, only_second = [], [], []
    for country, cells in matrix["grid"]:
        in_first = any(full(m.role) for m in cells[columns[first.slug]])
        in_second = any(full(m.role) for m in cells[columns[second.slug]])
        if in_first and in_second:
            both.append(country)
        elif in_first:
            only_first.append(country)
        elif in_second:
            only_second.append(country)

    def by_name(entities):  # as Jinja's `sort(attribute='name')`: case-insensitive, stable
        return sorted(entities, key=lambda e: e.name.lower())
    return HomeOverlap(point, first, second, by_name(both), by_name(only_first),
                       by_name(only_second))


def home(run: Run) -> Result:
    return Result({"home": home_overlap(run.state)})


STEPS: list[Step] = [Step("timeline", timeline), Step("maps", maps), Step("graph", graph),
                     Step("home", home)]

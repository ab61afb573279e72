"""What the render stage draws for a page before it is rendered (render/prepare.py), without
Pelican: entity records from the test factory, the registry, views, maps and network."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from entity_factory import add_pages, entity, row
from research.core.state import BuildState
from research.core.steps import Run
from research.link.linker import Mention
from research.link.mentions import MentionIndex
from research.model import loader
from research.render import prepare
from research.render.maps import Maps
from research.render.network import Network
from research.render.views import build_views

SETTINGS = {"AS_OF_DATES": [("2008-09-05", "the article's date"), ("today", "today")],
            "SITE_TODAY": "2025-01-01", "OVERLAP_MAPS": [["sco", "csto"]],
            "HOME": {"source": "article", "overlap": ["sco", "csto"]}}


def _entities():
    return [
        entity("csto", "organization", name="Collective Security Treaty Organization",
               aliases=["CSTO"], members=[row("russia", "member", "2002-10-07"),
                                          row("armenia", "member", "2002-10-07"),
                                          row("kazakhstan", "member", "2002-10-07"),
                                          row("belarus", "member", "2002-10-07")]),
        entity("sco", "organization", name="Shanghai Cooperation Organisation",
               aliases=["SCO"], members=[row("russia", "member", "2001-06-15"),
                                         row("kazakhstan", "member", "2001-06-15"),
                                         row("china", "member", "2001-06-15"),
                                         row("armenia", "member", "2001-06-15"),
                                         row("iran", "observer", "2005-07-05")]),
        entity("russia", "country", name="Russia", iso3166="RU"),
        entity("armenia", "country", name="armenia", iso3166="AM"),  # (lower case: sorting)
        entity("kazakhstan", "country", name="Kazakhstan", iso3166="KZ"),
        entity("belarus", "country", name="Belarus", iso3166="BY"),
        entity("china", "country", name="China", iso3166="CN"),
        entity("iran", "country", name="Iran", iso3166="IR"),
        entity("south-ossetia", "territory", name="South Ossetia", recognitions=[
            {"by": "russia", "date": "2008-08-26", "refs": ["s"]}]),
        entity("lonely", "country", name="Lonely"),
    ]


def _mentions():
    index = MentionIndex()
    document = SimpleNamespace(source_path="sources/a.md", slug="a", title="A",
                               category=SimpleNamespace(slug="sources"))
    index.add(document, [Mention(slug, slug, "p-1", "", 0, 0, True) for slug in ("russia", "china", "csto")])
    return index


@pytest.fixture(scope="module")
def state():
    state = BuildState(dict(SETTINGS, RELATIVE_URLS=True))
    state.registry = loader.load_registry(_entities())
    state.views = build_views(state.registry, state.settings)
    state.maps = Maps(state.registry)
    state.overlap_pairs = [tuple(p) for p in SETTINGS["OVERLAP_MAPS"]]
    add_pages(state)
    state.network = Network(state.registry, _mentions(), state.views.today, pages=state.pages)
    state.published = [SimpleNamespace(slug="article", date=dt.datetime(2008, 9, 5))]
    return state


def test_page_siteurl_is_the_writers():
    relative = {"RELATIVE_URLS": True, "SITEURL": "https://example.org"}
    assert prepare.page_siteurl("index.html", relative) == "."
    assert prepare.page_siteurl("network/index.html", relative) == ".."
    assert prepare.page_siteurl("organizations/csto/index.html", relative) == "../.."
    absolute = {"RELATIVE_URLS": False, "SITEURL": "https://example.org/research"}
    assert prepare.page_siteurl("organizations/csto/index.html", absolute) == \
        "https://example.org/research"


def test_an_organization_page_gets_its_maps_for_today_and_the_article(state):
    view = prepare.entity_view(state, state.registry.entities["csto"], "../..")
    assert list(view.maps) == ["today", "2008-09-05"]
    today, article = view.maps["today"], view.maps["2008-09-05"]
    assert (today.ident, article.ident) == ("map-today", "map-2008-09-05")
    maps = state.maps
    assert today.svg == maps.svg(today.view, "map-today", True)
    assert today.view.on == state.views.as_of[-1].date
    assert {p.entity.slug for p in today.view.everyone} == {"russia", "armenia", "kazakhstan",
                                                           "belarus"}
    # insets only for today's map, identified after the map
    assert article.insets == ()
    assert [svg.count('id="map-today-inset-') > 0 for _, svg in today.insets] == \
        [True] * len(today.insets)
    # the overlap map of the pair it is in, on today's date
    (overlap,) = view.overlaps
    assert overlap.ident == "overlap-map-sco-csto"
    assert [e.slug for e in overlap.item.both] == ["armenia", "kazakhstan", "russia"]
    assert overlap.svg == maps.overlap_svg(overlap.item, "overlap-map-sco-csto")
    assert view.recognition is None


def test_a_country_has_no_maps_and_a_territory_its_recognition_map(state):
    country = prepare.entity_view(state, state.registry.entities["kazakhstan"], "../..")
    assert country.maps == {} and country.overlaps == [] and country.recognition is None
    territory = prepare.entity_view(state, state.registry.entities["south-ossetia"], "../..")
    assert territory.maps == {}
    figure = territory.recognition
    assert figure.ident == "recognition-map"
    assert [p.entity.slug for p in figure.view.everyone] == ["russia"]
    assert "States recognising South Ossetia" in figure.svg


def test_the_neighbourhood_is_drawn_with_the_pages_siteurl(state):
    view = prepare.entity_view(state, state.registry.entities["russia"], "../..")
    ego = view.ego
    assert set(ego.neighbours) >= {"china", "csto", "sco"}
    assert ego.total == state.network.neighbour_count("russia")
    assert ego.svg == state.network.ego_svg("russia", "../..")
    assert 'href="../../x/china/"' in ego.svg  # (the factory's page URL: x/<slug>/)
    assert ego.connections == state.network.ego_connections("russia")
    assert prepare.entity_view(state, state.registry.entities["lonely"], "..").ego is None
    assert prepare.ego(None, "russia", "..") is None


def test_memberships_page_has_a_matrix_and_maps_per_date(state):
    found = prepare.date_views(state)
    assert [d.point.key for d in found] == ["2008-09-05", "today"]
    first = found[0]
    assert first.matrix == state.views.overlap(first.point.date)
    assert [(o.slug, f.ident) for o, f in first.maps] == [
        ("csto", "map-csto-2008-09-05"), ("sco", "map-sco-2008-09-05")]
    assert [f.ident for f in first.overlaps] == ["overlap-map-sco-csto-2008-09-05"]


def test_no_maps_without_the_maps_step(state):
    bare = BuildState(state.settings, registry=state.registry, views=state.views)
    view = prepare.entity_view(bare, state.registry.entities["csto"], "..")
    assert view == prepare.EntityView()
    assert all(d.maps == [] and d.overlaps == [] for d in prepare.date_views(bare))


def test_home_glance_sorts_like_the_template_did(state):
    glance = prepare.home_overlap(state)
    assert glance.point.key == "2008-09-05"
    assert (glance.first.slug, glance.second.slug) == ("sco", "csto")
    # Jinja's sort(attribute='name') ignores case: "armenia" sorts before "Kazakhstan"
    assert [e.slug for e in glance.both] == ["armenia", "kazakhstan", "russia"]
    assert [e.slug for e in glance.only_first] == ["china"]  # Iran is an observer
    assert [e.slug for e in glance.only_second] == ["belarus"]
    assert prepare.home(Run(state, [], {})).state == {"home": glance}


@pytest.mark.parametrize("home", [
    {}, {"source": "missing", "overlap": ["sco", "csto"]},
    {"source": "article", "overlap": ["sco"]},
    {"source": "article", "overlap": ["sco", "nowhere"]}])
def test_no_home_glance_without_its_source_date_and_pair(state, home):
    other = BuildState(dict(state.settings, HOME=home), registry=state.registry,
                       views=state.views, published=state.published)
    assert prepare.home_overlap(other) is None


def test_network_view_is_the_overview(state):
    view = prepare.network_view(state.network, "..")
    assert view.svg == state.network.overview_svg("..")
    assert view.rows == state.network.overview_rows()


def test_memberships_cells_say_which_rows_are_only_possibly_in_force():
    records = [entity("pact", "organization", name="Pact", members=[
                   row("ruritania", "member", "2001-06-15"),
                   row("borduria", "member", "2008-09?")]),  # (uncertain: possibly by 09-05)
               entity("ruritania", "country", name="Ruritania"),
               entity("borduria", "country", name="Borduria")]
    state = BuildState(dict(SETTINGS, OVERLAP_MAPS=[]))
    state.registry = loader.load_registry(records)
    state.views = build_views(state.registry, state.settings)
    first = prepare.date_views(state)[0]
    assert [country.slug for country, _ in first.grid] == \
        [country.slug for country, _ in first.matrix["grid"]]
    flags = {country.slug: [[(m.member, possible) for m, possible in cell] for cell in cells]
             for country, cells in first.grid}
    assert flags == {"borduria": [[("borduria", True)]], "ruritania": [[("ruritania", False)]]}
    assert all((state.views.status(m, first.point.date) == "possible") == p
               for _, cells in first.grid for cell in cells for m, p in cell)


def test_the_country_index_counts_source_mentions_and_sorts_by_them(state):
    index = MentionIndex()
    source = SimpleNamespace(source_path="sources/a.md", slug="a", title="A",
                             date=dt.datetime(2008, 9, 5), category=SimpleNamespace(slug="sources"))
    note = SimpleNamespace(source_path="briefings/b.md", slug="b", title="B",
                           date=dt.datetime(2008, 9, 6),
                           category=SimpleNamespace(slug="briefings"))
    index.add(source, [Mention(s, s, p, "", 0, 0, True) for s, p in (
        ("russia", "p-1"), ("china", "p-2"), ("armenia", "p-3"), ("russia", "p-4"))])
    index.add(note, [Mention("kazakhstan", "kazakhstan", "p-1", "", 0, 0, True)])
    config = {"organizations": ["csto", "sco", "nowhere"], "territories": ["south-ossetia"]}
    listed = BuildState(dict(state.settings, COUNTRY_INDEX=config), registry=state.registry,
                        views=state.views, mentions=index)
    countries = state.registry.of_type("country")
    table = prepare.country_index(listed, countries)
    assert table.point.key == "2008-09-05"
    assert [o.slug for o in table.columns] == ["csto", "sco"]  # (an unknown slug is left out)
    assert [t.slug for t in table.territories] == ["south-ossetia"]
    assert table.roles["sco"] == {"russia": "member", "kazakhstan": "member",
                                  "china": "member", "armenia": "member", "iran": "observer"}
    assert [(t.slug, r.by) for t, r in table.recognised["russia"]] == [("south-ossetia", "russia")]
    # Only the sources count (not the briefing note); most mentioned first, ties by name
    # ignoring case, as Jinja's sort did ("armenia" before "China").
    assert table.in_article == {"russia": 2, "china": 1, "armenia": 1}
    assert [e.slug for e in table.discussed] == ["russia", "armenia", "china"]
    assert [e.slug for e in table.others] == [e.slug for e in countries
                                              if e.slug not in table.in_article]
    assert prepare.country_index(BuildState(state.settings, registry=state.registry,
                                            views=state.views), countries) is None

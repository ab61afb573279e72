"""Membership world maps: the packaged geometry, who is coloured on a date, the SVG, the site."""

from __future__ import annotations

import re

import pytest

from research.core import dates

from research.render import maps
from research.render.maps import Maps, colouring, map_svg, parse_world, role_class, sprite_svg
from research.model.registry import Registry
from entity_factory import entity, row

# A tiny map file in the package's format: groups classed "<code> country", paths with
# curves and relative moves, a transform, and a circle that marks a small state.
TINY = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
  <g id="countries">
    <g class="aa country map-element">
      <path d="m 0,0 l 100,0 c 10,10 10,10 0,50 l -100,0 z"/>
    </g>
    <g class="bb country map-element">
      <g transform="translate(150,20)"><path d="M 0,0 h 2 v 2 h -2 z"/></g>
      <circle cx="151" cy="21" r="6"/>
    </g>
    <g class="cc country map-element"><path d="M 120,60 L 200,60 L 200,100 L 120,100 Z"/></g>
    <g class="aq country map-element"><path d="M 0,0 L 200,0 L 200,300 Z"/></g>
  </g>
</svg>"""


def decode(d: str) -> list[list[tuple[float, float]]]:
    """The absolute points of path data made of M, l and z."""
    rings = []
    for part in re.findall(r"M[^M]*", d):
        numbers = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", part)]
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = round(x + dx, 1), round(y + dy, 1)
            ring.append((x, y))
        rings.append(ring)
    return rings


def test_tiny_map_is_projected_simplified_and_rounded():
    world = parse_world(TINY, width=100, tolerance=0.5)
    assert set(world.shapes) == {"aa", "bb", "cc"}  # Antarctica is left out
    assert (world.width, world.height) == (100, 50)  # 200 x 100 scaled by 1/2
    (ring,) = decode(world.shapes["aa"].d)
    # the curve keeps only its end point; coordinates are halved
    assert ring == [(0, 0), (50, 0), (50, 25), (0, 25)]
    assert world.shapes["bb"].small and not world.shapes["aa"].small
    assert world.shapes["bb"].dot == (75.5, 10.5)  # the circle, transformed like the rest
    (square,) = decode(world.shapes["bb"].d)
    assert square == [(75, 10), (76, 10), (76, 11), (75, 11)]


def test_relative_steps_do_not_drift():
    world = maps.world()
    for shape in list(world.shapes.values())[:40]:
        for ring in decode(shape.d):
            for x, y in ring:
                assert -1 <= x <= world.width + 1 and -1 <= y <= world.height + 1
    numbers = re.findall(r"-?(?:\d+\.?\d*|\.\d+)", world.shapes["ru"].d)
    assert all(len(n.partition(".")[2]) <= 1 for n in numbers)


def test_packaged_geometry_is_small_and_has_our_countries():
    world = maps.world()
    for code in ("ru", "cn", "kz", "kg", "tj", "uz", "ge", "us", "in", "ir", "xk", "tw"):
        assert world.shape(code.upper()) is not None, code
    assert world.shape("ru").small is False
    assert world.shape("BH").small and world.shape("LU").small  # Bahrain, Luxembourg
    assert world.shape("XX") is None and world.shape(None) is None
    assert len(sprite_svg(world)) < 80_000


def test_role_classes():
    assert role_class("member") == role_class("Founding member") == "member"
    assert role_class("observer") == "observer"
    assert role_class("dialogue partner") == role_class("partner") == "partner"
    assert role_class("associate") == "partner"  # a tie short of membership
    assert role_class("suspended") == role_class("no such role") == "other"


# -- who is coloured ------------------------------------------------------------------------


@pytest.fixture
def registry():
    org = entity("bloc", "organization", members=[
        row("alpha", "member", "2001"),
        row("gamma", "observer", "2005", "2010-01-01"),
        row("gamma", "member", "2010-01-01"),
        row("beta", "member", "2001", "2009-06"),  # ended
        row("tiny", "dialogue partner", "2007"),
        row("nowhere", "member", "2002"),
    ])
    others = [entity("alpha", "country", iso3166="AA"), entity("beta", "country", iso3166="CC"),
              entity("gamma", "country", iso3166="DD"),
              entity("tiny", "country", iso3166="BB"), entity("nowhere", "territory"),
              entity("outsider", "country", iso3166="EE")]
    return Registry.build([org, *others])


@pytest.fixture
def world():
    extra = TINY.replace('<g class="aq', '<g class="dd country"><path d="M 10,60 L 60,60 L '
                         '60,90 Z"/></g><g class="ee country"><path d="M 60,60 L 110,60 L '
                         '110,90 Z"/></g><g class="aq')
    return parse_world(extra, width=100, tolerance=0.5)


def slugs(placed):
    return [(p.entity.slug, p.css) for p in placed]


def test_members_on_a_date_are_coloured_by_role(registry, world):
    view = colouring(registry, "bloc", dates.parse("2008-09-05"), world)
    assert slugs(view.shaded) == [("alpha", "member"), ("beta", "member"),
                                  ("gamma", "observer")]
    assert slugs(view.small) == [("tiny", "partner")]  # too small: a dot, and listed
    assert slugs(view.missing) == [("nowhere", "member")]  # no shape: listed
    assert view.roles == ["member", "observer", "partner"]
    assert view.legend() == [("member", "member"), ("observer", "observer"),
                             ("partner", "dialogue partner"), ("none", "not a member")]


def test_an_ended_membership_is_not_coloured_later(registry, world):
    view = colouring(registry, "bloc", dates.parse("2012"), world)
    assert ("beta", "member") not in slugs(view.everyone)
    assert ("gamma", "member") in slugs(view.shaded)  # observer before, member now
    svg = map_svg(view, world, "m")
    assert 'href="#geo-cc"' not in svg  # beta's shape: grey, from the base layer only


def test_the_svg_colours_members_only(registry, world):
    svg = map_svg(colouring(registry, "bloc", dates.parse("2008-09-05"), world), world, "m1")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="world-map" '
                          'role="img"')
    assert 'aria-labelledby="m1-title m1-desc"' in svg
    assert '<title id="m1-title">Members of Bloc on 5 September 2008</title>' in svg
    assert '<use href="#geo-world" class="m-none"/>' in svg
    assert '<use href="#geo-aa" class="m-member">' in svg
    assert '<use href="#geo-dd" class="m-observer">' in svg
    assert '<use href="#geo-bb" class="m-partner">' in svg
    assert 'class="m-dot m-partner" cx="75.5" cy="10.5"' in svg
    assert "#geo-ee" not in svg  # the outsider is not a member
    assert "fill=" not in svg and "style=" not in svg  # colours come from site.css
    assert "Nowhere" in svg  # described, though not drawn
    sprite = sprite_svg(world)
    assert '<path id="geo-aa" d="M0 0l50 0 0 25-50 0z"/>' in sprite
    assert 'aria-hidden="true"' in sprite


def test_a_date_with_no_members(registry, world):
    view = colouring(registry, "bloc", dates.parse("1999"), world)
    assert view.everyone == [] and view.legend() == [("none", "not a member")]
    assert "No state is coloured" in map_svg(view, world, "m")


def test_maps_object_loads_geometry_lazily(registry):
    helper = Maps(registry)
    assert "geometry" not in helper.__dict__
    assert helper.has_members("bloc") and not helper.has_members("alpha")


# -- the real site --------------------------------------------------------------------------

SCO_2008 = {"cn", "kz", "kg", "ru", "tj", "uz"}


def _map(text: str, ident: str) -> str:
    start = text.index(f'aria-labelledby="{ident}-title')
    start = text.rindex("<svg", 0, start)
    return text[start:text.index("</svg>", start)]


def test_sco_page_maps_exactly_the_six_members_of_2008(real_site):
    _, output = real_site
    text = (output / "organizations" / "sco" / "index.html").read_text(encoding="utf-8")
    assert text.count('class="map-sprite"') == 1  # the geometry once per page
    svg = _map(text, "map-2008-09-05")
    members = set(re.findall(r'<use href="#geo-([a-z]{2})" class="m-member">', svg))
    assert members == SCO_2008
    observers = set(re.findall(r'<use href="#geo-([a-z]{2})" class="m-observer">', svg))
    assert observers == {"in", "ir", "mn", "pk"}
    today = _map(text, "map-today")
    assert {"in", "pk", "ir", "by"} <= set(
        re.findall(r'<use href="#geo-([a-z]{2})" class="m-member">', today))


def test_overlap_page_has_a_map_per_organization_and_date(real_site):
    _, output = real_site
    text = (output / "memberships" / "index.html").read_text(encoding="utf-8")
    assert text.count('class="map-sprite"') == 1
    for slug in ("csto", "nato", "sco"):
        for key in ("2008-09-05", "today"):
            assert f'aria-labelledby="map-{slug}-{key}-title' in text
    csto = _map(text, "map-csto-2008-09-05")
    assert "geo-ge" not in csto  # Georgia left the CSTO in 1999
    assert 'class="m-member"' in csto


def test_small_members_are_listed_beside_the_map(real_site):
    _, output = real_site
    text = (output / "organizations" / "nato" / "index.html").read_text(encoding="utf-8")
    figure = text[text.index('<figure class="member-map"'):]
    figure = figure[:figure.index("</figure>")]
    assert "Too small to see on the map" in figure and "Luxembourg" in figure


# -- crops, insets, overlap and recognition maps ---------------------------------------------

def test_a_cropped_map_frames_its_members_and_stays_in_the_world(registry, world):
    from research.render.maps import crop_box
    view = colouring(registry, "bloc", dates.parse("2011-01-01"), world)
    x, y, width, height = crop_box(view, world)
    boxes = [world.shapes[p.code].box for p in view.shaded + view.small]
    assert x <= min(b[0] for b in boxes) and x + width >= max(b[2] for b in boxes)
    assert y <= min(b[1] for b in boxes) and y + height >= max(b[3] for b in boxes)
    assert 0 <= x and 0 <= y and x + width <= world.width and y + height <= world.height
    svg = map_svg(view, world, "c", crop=True)
    assert f'viewBox="{x:g} {y:g} {width:g} {height:g}"' in svg
    nobody = colouring(registry, "bloc", dates.parse("1990-01-01"), world)
    assert crop_box(nobody, world) == (0, 0, world.width, world.height)


def test_overlap_sorts_full_members_by_combination(world):
    from research.render.maps import overlap
    a = entity("aa-org", "organization", aliases=["AO"], members=[
        row("alpha", "member", "2001"), row("gamma", "member", "2001"),
        row("tiny", "observer", "2001")])
    b = entity("bb-org", "organization", aliases=["BO"], members=[
        row("gamma", "member", "2001"), row("beta", "member", "2001"),
        row("tiny", "member", "2001")])
    countries = [entity("alpha", "country", iso3166="AA"), entity("beta", "country", iso3166="CC"),
                 entity("gamma", "country", iso3166="DD"), entity("tiny", "country", iso3166="BB")]
    registry = Registry.build([a, b, *countries])
    item = overlap(registry, "aa-org", "bb-org", dates.parse("2008-01-01"), world)
    assert [e.slug for e in item.both] == ["gamma"]
    assert [e.slug for e in item.only_first] == ["alpha"]  # an observer is not a member
    assert [e.slug for e in item.only_second] == ["beta", "tiny"]
    assert [label for _, label, _ in item.legend()] == [
        "Member of the AO and the BO", "Member of the AO only", "Member of the BO only"]


def test_recognition_map_colours_recognisers_and_withdrawals(world):
    from research.render.maps import recognition
    land = entity("land", "territory", recognitions=[
        {"by": "alpha", "date": "2008-08-26", "source": "s"},
        {"by": "gamma", "date": "2009", "withdrawn": "2014-03-31", "source": "s"},
        {"by": "beta", "date": "2020", "source": "s"}])
    countries = [entity("alpha", "country", iso3166="AA"), entity("beta", "country", iso3166="CC"),
                 entity("gamma", "country", iso3166="DD")]
    registry = Registry.build([land, *countries])
    view = recognition(registry, "land", dates.parse("2015-01-01"), world)
    assert {(p.entity.slug, p.css) for p in view.everyone} == {("alpha", "first"),
                                                                ("gamma", "other")}


def test_real_overlap_map_is_the_articles_point(real_site):
    """The SCO and the CSTO shared five full members in 2008; China was in the SCO only,
    Armenia and Belarus in the CSTO only (the article's paragraph 7)."""
    _, output = real_site
    text = (output / "memberships" / "index.html").read_text(encoding="utf-8")
    svg = _map(text, "overlap-map-sco-csto-2008-09-05")
    both = set(re.findall(r'<use href="#geo-([a-z]{2})" class="m-both">', svg))
    assert both == {"kz", "kg", "ru", "tj", "uz"}
    assert set(re.findall(r'<use href="#geo-([a-z]{2})" class="m-first">', svg)) == {"cn"}
    assert set(re.findall(r'<use href="#geo-([a-z]{2})" class="m-second">', svg)) == {"am", "by"}


def test_nato_map_has_an_enlarged_europe(real_site):
    _, output = real_site
    text = (output / "organizations" / "nato" / "index.html").read_text(encoding="utf-8")
    inset = _map(text, "map-today-inset-1")
    assert "Europe, enlarged" in text
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', inset).group(1))
    main = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', _map(text, "map-today")).group(1))
    assert width < main / 1.5
    assert 'class="m-member"' in inset


def test_territory_pages_have_a_recognition_map(real_site):
    _, output = real_site
    for slug in ("south-ossetia", "abkhazia"):
        text = (output / "territories" / slug / "index.html").read_text(encoding="utf-8")
        svg = _map(text, "recognition-map")
        assert '<use href="#geo-ru" class="m-first">' in svg
        assert text.count('class="map-sprite"') == 1

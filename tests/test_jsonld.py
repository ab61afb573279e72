"""JSON-LD (schema.org) in every page: the builders (plugins/research/jsonld.py) on small
records, then the shape of what the real site carries, locally and as published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from research.core import dates
from research.read import frontmatter
from research.render import jsonld
from research.model.registry import Registry
from research.model.schema import Entity, Membership, Position
from sitepages import TYPE_INDEX, entity_files, resolve

ENTITY_FOLDERS = {"organizations": "Organization", "people": "Person", "countries": "Country",
                  "territories": "Place", "treaties": "Legislation"}
SOURCE = "sources/moscows-search-for-intl-backing-continues/"


# --- serialization ------------------------------------------------------------------------

def test_script_cannot_be_closed_by_any_text():
    data = {"name": "</script><script>alert(1)</script> & <!-- \u2028"}
    markup = jsonld.script(data)
    body = markup[len('<script type="application/ld+json">'):-len("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == data
    assert str(markup).count("</script>") == 1


def test_serialization_is_sorted_and_stable():
    assert jsonld.dumps({"b": 1, "a": [2, 1]}) == '{"a": [2, 1], "b": 1}'
    assert jsonld.script({}) == ""


# --- builders on records ------------------------------------------------------------------

class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


def _entity(slug, name, kind, **fields) -> Entity:
    entity = Entity(slug=slug, name=name, type=kind, summary=f"About {name}.",
                    path=f"{slug}.md", **fields)
    return entity


def _pages(registry) -> dict:
    """Each entity's page by slug, as the build state keeps them."""
    folder = {"organization": "organizations", "country": "countries", "person": "people"}
    return {slug: _Page(f"{folder[e.type]}/{slug}/") for slug, e in registry.entities.items()}


def _registry() -> Registry:
    org = _entity("bloc", "The Bloc", "organization", aliases=("TB",), wikidata="Q42",
                  founded=dates.parse("2001-06-15"))
    land = _entity("land", "Land", "country", aliases=("Landia",))
    person = _entity("ann", "Ann Smith", "person", facts={"nationality": "land"})
    org.memberships = [
        Membership("bloc", "land", "member", dates.parse("2001-06-15"), dates.parse("2012"),
                   "", "x", "bloc.md", "members[0]"),
        Membership("bloc", "land", "observer", dates.parse("2012"), None, "", "x", "bloc.md",
                   "members[1]")]
    person.positions = [
        Position("ann", "Secretary-General", "bloc", None, dates.parse("2010-05"), None, "",
                 "x", "ann.md", "positions[0]"),
        Position("ann", "Foreign Minister", None, "land", dates.parse("2001"),
                 dates.parse("2009"), "", "x", "ann.md", "positions[1]")]
    return Registry.build([org, land, person])


def test_organization_members_are_roles_with_dates():
    registry = _registry()
    data = jsonld.entity(registry.entities["bloc"], registry, "https://example.org",
                         _pages(registry))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["alternateName"] == ["TB"]
    assert data["sameAs"] == "https://www.wikidata.org/wiki/Q42"
    assert data["url"] == "https://example.org/organizations/bloc/"
    assert data["foundingDate"] == "2001-06-15"
    assert data["member"] == [
        {"@type": "Role", "roleName": "member", "startDate": "2001-06-15", "endDate": "2012",
         "member": {"@type": "Country", "name": "Land",
                    "url": "https://example.org/countries/land/"}},
        {"@type": "Role", "roleName": "observer", "startDate": "2012",
         "member": {"@type": "Country", "name": "Land",
                    "url": "https://example.org/countries/land/"}}]


def test_country_membership_and_no_invented_same_as():
    registry = _registry()
    data = jsonld.entity(registry.entities["land"], registry, "..", _pages(registry))
    assert data["@type"] == "Country" and "sameAs" not in data
    assert [(r["memberOf"]["name"], r["roleName"]) for r in data["memberOf"]] == [
        ("The Bloc", "member"), ("The Bloc", "observer")]
    assert data["memberOf"][0]["memberOf"]["sameAs"] == "https://www.wikidata.org/wiki/Q42"
    assert data["url"] == "../countries/land/"  # relative, like the page's own links


def test_person_offices():
    registry = _registry()
    data = jsonld.entity(registry.entities["ann"], registry, "", _pages(registry))
    assert data["@type"] == "Person"
    assert data["jobTitle"] == "Secretary-General"  # the office without an end
    assert data["memberOf"] == [{"@type": "Role", "roleName": "Secretary-General",
                                 "startDate": "2010-05", "memberOf": {
                                     "@type": "Organization", "name": "The Bloc",
                                     "url": "/organizations/bloc/",
                                     "sameAs": "https://www.wikidata.org/wiki/Q42"}}]
    [office] = data["hasOccupation"]
    assert office["startDate"] == "2001" and office["endDate"] == "2009"
    assert office["hasOccupation"]["name"] == "Foreign Minister"
    assert office["hasOccupation"]["occupationLocation"]["name"] == "Land"
    assert data["nationality"]["name"] == "Land"


# --- the real site ------------------------------------------------------------------------

def _blocks(output: Path) -> dict[str, list]:
    return {page.relative_to(output).as_posix(): jsonld.from_html(page.read_text("utf-8"))
            for page in sorted(output.rglob("*.html")) if "pagefind" not in page.parts}


@pytest.fixture(scope="module")
def local(real_site):
    return real_site[1], _blocks(real_site[1])


def _one(blocks: dict, path: str) -> dict:
    [data] = blocks[path]
    return data


def test_every_page_has_one_json_ld_block_of_a_known_type(local):
    output, blocks = local
    assert len(blocks) > 100
    for path, found in blocks.items():
        assert len(found) == 1, path
        data = found[0]
        assert data["@context"] == "https://schema.org", path
        folder = path.split("/")[0]
        if folder in ENTITY_FOLDERS and path.count("/") == 2:
            assert data["@type"] == ENTITY_FOLDERS[folder], path
            assert data["name"] and data["description"] and data["url"], path
        elif folder == "sources" and path.count("/") == 2:
            assert data["@type"] == "NewsArticle", path
        elif folder == "briefings" and path.count("/") == 2:
            assert data["@type"] == "Article", path
        elif path == "index.html":
            assert data["@type"] == "WebSite"
        elif path == "data/index.html":
            assert data["@type"] == "Dataset"
        else:
            assert data["@type"] == "WebPage", path


def test_every_url_in_json_ld_leads_to_a_page(local):
    output, blocks = local
    for path, found in blocks.items():
        for url in _urls(found):
            target = resolve(output, output / path, url, "")
            assert target and target[0].is_file(), f"{path}: {url}"


def _urls(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url":
                yield item
            elif key != "sameAs":
                yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)


def test_source_is_a_news_article(local):
    data = _one(local[1], SOURCE + "index.html")
    assert data["headline"] == "Moscow’s Search for Int’l Backing Continues"
    assert data["author"]["@type"] == "Person"
    assert data["author"]["name"] == "Patrick Goodenough"
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "CNSNews.com"
    assert data["datePublished"] == "2008-09-05T05:18:00-04:00"
    assert data["url"] == "../../" + SOURCE
    names = {m["name"] for m in data["mentions"]}
    assert {"Collective Security Treaty Organization", "Sergei Lavrov", "Kyrgyzstan"} <= names


def test_briefings_cite_their_sources(local):
    briefings = [p for p in local[1] if p.startswith("briefings/") and p.count("/") == 2]
    assert len(briefings) >= 6
    for path in briefings:
        data = _one(local[1], path)
        assert data["headline"] and data["datePublished"]
        based = [ref["url"] for ref in data["isBasedOn"]]
        assert "../../" + SOURCE in based, path
        assert all(ref["@type"] in ("NewsArticle", "Article") for ref in data.get("citation", []))
    cited = _one(local[1], "briefings/csto-moscow-meeting-september-2008/index.html")["citation"]
    assert "../../" + SOURCE in [ref["url"] for ref in cited]


def test_sco_lists_its_members_with_start_dates(local):
    data = _one(local[1], "organizations/sco/index.html")
    assert data["@type"] == "Organization" and "SCO" in data["alternateName"]
    assert all(role["@type"] == "Role" and role["startDate"] for role in data["member"])
    founders = {role["member"]["name"] for role in data["member"]
                if role["roleName"] == "member" and role["startDate"] == "2001-06-15"}
    assert founders == {"China", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan",
                        "Uzbekistan"}
    assert any(role["member"]["name"] == "India" and role["startDate"].startswith("2017")
               for role in data["member"])


def test_lavrov_and_a_country(local):
    lavrov = _one(local[1], "people/sergei-lavrov/index.html")
    assert "Sergey Lavrov" in lavrov["alternateName"]
    minister = [r for r in lavrov["hasOccupation"]
                if r["roleName"] == "Minister of Foreign Affairs"]
    assert minister and minister[0]["startDate"] == "2004-03-09" and "endDate" not in minister[0]
    armenia = _one(local[1], "countries/armenia/index.html")
    assert any(r["memberOf"]["name"] == "Collective Security Treaty Organization"
               for r in armenia["memberOf"])
    assert _one(local[1], "territories/abkhazia/index.html")["@type"] == "Place"


def test_same_as_only_from_wikidata_in_front_matter(local):
    with_qid = set()
    for path in (ROOT / "content" / "entities").rglob("*.md"):
        meta = frontmatter.split(path.read_text("utf-8"), str(path)).metadata
        if meta.get("wikidata"):
            with_qid.add(meta["slug"])
    for entity in entity_files(ROOT):
        data = _one(local[1], f"{TYPE_INDEX[entity['type']]}/{entity['slug']}/index.html")
        assert ("sameAs" in data) == (entity["slug"] in with_qid), entity["slug"]


def test_published_urls_are_absolute(published_site):
    output, siteurl = published_site
    blocks = _blocks(output)
    assert _one(blocks, "index.html")["url"] == siteurl + "/"
    for path, found in blocks.items():
        for url in _urls(found):
            assert url.startswith(siteurl + "/"), f"{path}: {url}"

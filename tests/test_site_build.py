"""End-to-end builds of the fixture site in fixtures/site/ (relative and absolute URLs)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site
from sitepages import (TYPE_INDEX, entity_files, entity_page, paragraphs, parse,
                       reset_pelican_log_dedup, resolve)
from research.index.linkcheck import check_links

SITE = FIXTURES / "site"
SITEURL = "http://example.test"
@pytest.fixture(scope="module", params=["relative", "absolute"])
def built(request, tmp_path_factory):
    """The fixture site built once per URL mode: (result, output folder, siteurl)."""
    output = tmp_path_factory.mktemp(request.param) / "output"
    if request.param == "relative":
        overrides, siteurl = {"RELATIVE_URLS": True, "SITEURL": ""}, ""
    else:
        overrides, siteurl = {"RELATIVE_URLS": False, "SITEURL": SITEURL}, SITEURL
    reset_pelican_log_dedup()
    result = build_site(SITE, output, **overrides)
    return result, output, siteurl


def test_the_build_succeeds(built):
    result, output, _ = built
    assert result.ok, result.problems
    assert result.problems == []
    assert result.output == output.resolve()
    assert result.lint == []  # every capitalised name of the fixture is an entity or ignored
    assert result.notes == []  # nothing left behind that could not be removed
    # the marker that lets the next build replace this folder (outputs.py), and nothing else
    assert (output / ".research-build").is_file()
    assert sorted(path.name for path in output.parent.iterdir()) == ["output"]


def test_no_broken_internal_links(built):
    _, output, siteurl = built
    assert check_links(output, siteurl) == []


def test_links_use_the_url_mode(built):
    _, output, siteurl = built
    text = (output / "sources" / "ministers-meet" / "index.html").read_text(encoding="utf-8")
    if siteurl:
        assert f'href="{SITEURL}/countries/russia/"' in text
        assert 'href="../../' not in text
    else:
        assert 'href="../../countries/russia/"' in text
        assert SITEURL not in text


def test_source_paragraphs_have_ids_in_order(built):
    _, output, _ = built
    page = output / "sources" / "ministers-meet" / "index.html"
    text = page.read_text(encoding="utf-8")
    ids = re.findall(r'<p id="(p-\d+)">', text)
    assert ids == ["p-1", "p-2", "p-3", "p-4"]  # the source has four paragraphs
    for number in range(1, 5):
        assert f'href="#p-{number}" aria-label="Link to paragraph {number}"' in text
    assert paragraphs(page)["p-3"].startswith("Foreign Minister Sergei Lavrov said")


def test_briefing_paragraphs_are_numbered_and_headings_are_not(built):
    _, output, _ = built
    page = output / "briefings" / "csto-and-georgia" / "index.html"
    assert list(paragraphs(page)) == ["p-1", "p-2", "p-3", "p-4"]
    assert re.search(r'<h2 id="background">Background</h2>', page.read_text(encoding="utf-8"))


def test_the_briefing_deep_links_to_a_source_paragraph(built):
    _, output, siteurl = built
    page = output / "briefings" / "csto-and-georgia" / "index.html"
    targets = [resolve(output, page, href, siteurl) for href, _ in parse(page).links]
    source = output / "sources" / "ministers-meet" / "index.html"
    assert (source, "p-2") in targets
    assert "p-2" in parse(source).ids


def test_the_source_links_to_every_entity_it_names(built):
    _, output, siteurl = built
    page = output / "sources" / "ministers-meet" / "index.html"
    linked = {}
    for href, css in parse(page).links:
        if "entity-link" in css.split():
            target, _fragment = resolve(output, page, href, siteurl)
            assert target.is_file(), href
            linked[target] = parse(target).h1
    expected = {entity_page(output, e): e["name"] for e in entity_files(SITE)
                if e["type"] != "treaty"}
    assert linked == expected  # the source names the five entities other than the treaty


def test_entity_links_carry_the_entity_type(built):
    _, output, _ = built
    text = (output / "sources" / "ministers-meet" / "index.html").read_text(encoding="utf-8")
    for entity in (e for e in entity_files(SITE) if e["type"] != "treaty"):
        assert re.search(rf'class="entity-link entity-{entity["type"]}" href="[^"]*'
                         rf'{TYPE_INDEX[entity["type"]]}/{entity["slug"]}/"', text), entity


@pytest.mark.parametrize("entity", entity_files(SITE), ids=lambda e: e["slug"])
def test_every_entity_page_is_listed_in_its_type_index(built, entity):
    _, output, siteurl = built
    index = output / TYPE_INDEX[entity["type"]] / "index.html"
    targets = {resolve(output, index, href, siteurl) for href, _ in parse(index).links}
    page = entity_page(output, entity)
    assert (page, "") in targets
    assert parse(page).h1 == entity["name"]


def test_every_entity_page_is_reachable_from_the_home_page(built):
    _, output, siteurl = built
    seen, queue = set(), [output / "index.html"]
    while queue:
        page = queue.pop()
        if page in seen or not page.is_file() or page.suffix != ".html":
            continue
        seen.add(page)
        for href, _ in parse(page).links:
            found = resolve(output, page, href, siteurl)
            if found:
                queue.append(found[0])
    for entity in entity_files(SITE):
        assert entity_page(output, entity) in seen, entity["slug"]


def _mentions_section(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<section[^>]*class="mentions">(.*?)</section>', text, re.S)
    assert match, "no 'Mentioned in' section"
    assert "<h2" in match.group(1) and "Mentioned in" in match.group(1)
    return match.group(1)


@pytest.mark.parametrize("slug, folder, names", [
    ("georgia", "countries", ["Georgia"]),
    ("csto", "organizations", ["Collective Security Treaty Organization", "CSTO"]),
    ("sergei-lavrov", "people", ["Sergei Lavrov", "Lavrov"]),
])
def test_entity_page_lists_where_it_is_mentioned(built, slug, folder, names):
    _, output, siteurl = built
    page = output / folder / slug / "index.html"
    section = _mentions_section(page)
    source = output / "sources" / "ministers-meet" / "index.html"
    source_paragraphs = paragraphs(source)
    # the paragraphs of the source that name the entity, found independently of the plugin
    pattern = "|".join(re.escape(n) for n in names)
    naming = {pid for pid, text in source_paragraphs.items()
              if re.search(rf"\b(?:{pattern})\b", text)}
    assert naming
    items = re.findall(r'<a class="para-ref" href="([^"]+)">¶ (\d+)</a>\s*'
                       r'<span class="snippet">(.*?)</span>', section, re.S)
    deep = {}
    for href, number, snippet in items:
        target, fragment = resolve(output, page, href, siteurl)
        assert fragment == f"p-{number}"
        assert fragment in parse(target).ids
        if target == source:
            deep[fragment] = snippet
    assert set(deep) == naming
    for pid, snippet in deep.items():
        # one entry per paragraph: the first mention, highlighted in its sentence
        marked = re.findall(r"<mark>(.*?)</mark>", snippet)
        first = min((m.start(), m.group(0)) for m in re.finditer(pattern, source_paragraphs[pid]))
        assert marked == [first[1]]
        sentence = html.unescape(re.sub(r"</?mark>", "", snippet))
        assert sentence in source_paragraphs[pid]  # a sentence of that paragraph


def test_an_entity_mentioned_nowhere_says_so(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    (site / "content" / "entities" / "countries" / "armenia.md").write_text(
        "---\nname: Armenia\ntype: country\nslug: armenia\nsummary: A state.\n---\nA state.\n",
        encoding="utf-8")
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    section = _mentions_section(tmp_path / "output" / "countries" / "armenia" / "index.html")
    assert "No source or briefing note mentions Armenia by name yet." in section
    assert "<mark>" not in section


# -- failed builds leave the last good site untouched -----------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


BREAKAGES = {
    "impossible-date": ("content/entities/organizations/csto.md", "end: '1999-04'",
                        "end: '2008-02-30'", "'2008-02-30' does not exist"),
    "unknown-member": ("content/entities/organizations/csto.md", "member: georgia",
                       "member: gorgia", "unknown member 'gorgia'"),
    "malformed-yaml": ("content/briefings/csto-and-georgia.md", "author: Research team",
                       "author: [Research team", "malformed YAML front-matter"),
    "bad-entity-yaml": ("content/entities/people/sergei-lavrov.md", "born: '1950-03-21'",
                        "born: '1950-03-21", "malformed YAML front-matter"),
    "unknown-forced-entity": ("content/briefings/csto-and-georgia.md",
                              "Sergei Lavrov called", "[He]{entity=atlantis} called",
                              "{entity=atlantis} links to an unknown entity"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_failed_build_names_the_file_and_keeps_the_previous_output(tmp_path, monkeypatch,
                                                                     breakage):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    output = tmp_path / "output"
    reset_pelican_log_dedup()
    first = build_site(site, output)
    assert first.ok, first.problems
    before = snapshot(output)
    assert "sources/ministers-meet/index.html" in before

    relative, old, new, message = BREAKAGES[breakage]
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    reset_pelican_log_dedup()
    second = build_site(site, output)

    assert not second.ok
    assert second.output is None
    problems = [p for p in second.problems if message in p]
    assert problems, second.problems
    assert all(relative in p for p in problems)  # the message names the broken file
    assert snapshot(output) == before  # byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "site"]  # no staging left


def test_a_repeated_warning_fails_every_build(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    briefing = site / "content" / "briefings" / "csto-and-georgia.md"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace(
        "ministers-meet.md#p-2", "no-such-source.md#p-2"), encoding="utf-8")
    reset_pelican_log_dedup()
    results = [build_site(site, tmp_path / f"output-{n}") for n in range(2)]
    assert not results[0].ok
    assert any("no-such-source.md" in p for p in results[0].problems)
    assert not results[1].ok


def test_a_broken_cited_source_is_named(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    source = site / "content" / "sources" / "ministers-meet.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "tags: [Russia, CSTO]", "tags: [Russia, CSTO"), encoding="utf-8")
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output")
    assert not result.ok
    assert any("content/sources/ministers-meet.md" in p and "malformed YAML" in p
               for p in result.problems), result.problems


def test_settings_are_read_once_and_fresh_in_a_long_lived_process(tmp_path, monkeypatch):
    """publishconf.py's `from pelicanconf import *` runs the pelicanconf.py beside it as it
    is now, not a module an earlier read (or another site) left in sys.modules."""
    import sys
    import types as pytypes
    from research.cli.build import read_settings
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "publishconf.py").write_text(
        (root / "publishconf.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "content").mkdir()
    runs = tmp_path / "runs.txt"
    conf = ("import os\nSITENAME = {name!r}\nPATH = 'content'\n"
            f"open({str(runs)!r}, 'a').write('x')\n")
    (tmp_path / "pelicanconf.py").write_text(conf.format(name="First"), encoding="utf-8")
    monkeypatch.setenv("SITEURL", "https://example.org")
    stale = pytypes.ModuleType("pelicanconf")
    stale.SITENAME = "Another site"
    monkeypatch.setitem(sys.modules, "pelicanconf", stale)
    first = read_settings(str(tmp_path / "publishconf.py"), tmp_path / "out")
    assert (first["SITENAME"], first["SITEURL"]) == ("First", "https://example.org")
    (tmp_path / "pelicanconf.py").write_text(conf.format(name="Second"), encoding="utf-8")
    second = read_settings(str(tmp_path / "publishconf.py"), tmp_path / "out")
    assert second["SITENAME"] == "Second"
    assert runs.read_text() == "xx"  # once per read
    assert sys.modules["pelicanconf"] is stale  # as it was
    assert str(tmp_path) not in sys.path

"""The search index (Pagefind, run by the build) and the markup it relies on; no browser.
The search box itself is exercised in Chromium by test_browser.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site
from research.index import search_index
from sitepages import entity_files, entity_page, reset_pelican_log_dedup

TYPES = {"source", "briefing", "organization", "person", "country", "territory", "treaty"}


def _pages(output: Path):
    for page in sorted(output.rglob("*.html")):
        if "pagefind" not in page.relative_to(output).parts:
            yield page, page.read_text("utf-8")


def test_the_build_writes_a_pagefind_bundle(real_site):
    bundle = real_site[1] / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").iterdir()) and list((bundle / "fragment").iterdir())


def test_every_page_has_the_search_box_and_its_scripts(real_site):
    for page, text in _pages(real_site[1]):
        name = page.relative_to(real_site[1]).as_posix()
        depth = name.count("/")
        prefix = "." if depth == 0 else "/".join([".."] * depth)
        assert f'<script src="{prefix}/pagefind/pagefind-ui.js" defer></script>' in text, name
        assert f'<link rel="stylesheet" href="{prefix}/pagefind/pagefind-ui.css">' in text, name
        # Hidden until search.js runs: without JavaScript there is no dead box.
        assert re.search(r'<div class="site-search" id="site-search"[^>]* hidden>', text), name


def test_indexed_pages_carry_a_type_filter_and_a_title(real_site):
    bodies = 0
    for page, text in _pages(real_site[1]):
        if "data-pagefind-body" not in text:
            continue
        bodies += 1
        name = page.relative_to(real_site[1]).as_posix()
        assert text.count("data-pagefind-body") == 1, name
        [kind] = re.findall(r'data-pagefind-filter="type:([a-z]+)"', text)
        assert kind in TYPES, name
        assert kind == {"sources": "source", "briefings": "briefing", "organizations":
                        "organization", "people": "person", "countries": "country",
                        "territories": "territory", "treaties": "treaty"}[name.split("/")[0]], name
        assert re.search(r'<h1 data-pagefind-meta="title">', text), name
    documents = [p for folder in ("sources", "briefings")
                 for p in (ROOT / "content" / folder).glob("*.md")]
    assert bodies == len(entity_files(ROOT)) + len(documents)


def test_aliases_are_visible_indexed_text(real_site):
    for entity in entity_files(ROOT):
        if entity["slug"] != "csto":
            continue
        text = entity_page(real_site[1], entity).read_text("utf-8")
        line = re.search(r'<p class="aliases"[^>]*>(.*?)</p>', text, re.S)
        assert line and "Also known as:" in line[1] and "CSTO" in line[1]
        assert "data-pagefind-ignore" not in line[0]
        return
    pytest.fail("no csto entity")


def test_mentions_and_related_lists_are_not_indexed(real_site):
    text = (real_site[1] / "organizations" / "csto" / "index.html").read_text("utf-8")
    assert re.search(r'<section data-pagefind-ignore[^>]*class="mentions"', text)
    assert re.search(r'<section[^>]*class="connections"[^>]*data-pagefind-ignore', text)  # (was "Related")


# --- the setting and failures ---------------------------------------------------------------

@pytest.fixture
def fixture_site(tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns("__pycache__"))
    return site


def _build(site: Path, output: Path, monkeypatch, **overrides):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    reset_pelican_log_dedup()
    return build_site(site, output, **overrides)


def test_search_is_off_unless_the_settings_ask(fixture_site, tmp_path, monkeypatch):
    result = _build(fixture_site, tmp_path / "out", monkeypatch)
    assert result.ok, result.problems
    assert not (tmp_path / "out" / "pagefind").exists()
    text = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "pagefind" not in text and "site-search" not in text
    assert (tmp_path / "out" / "sitemap.xml").is_file()  # written whatever the setting


def test_a_pagefind_failure_fails_the_build_and_keeps_the_old_site(fixture_site, tmp_path,
                                                                    monkeypatch):
    output = tmp_path / "out"
    assert _build(fixture_site, output, monkeypatch).ok
    before = (output / "index.html").read_text("utf-8")
    failing = [sys.executable, "-c", "import sys; print('Error: cannot read the site', "
               "file=sys.stderr); sys.exit(3)"]
    monkeypatch.setattr(search_index, "command", lambda site: failing)
    result = _build(fixture_site, output, monkeypatch, SEARCH_INDEX=True)
    assert not result.ok
    assert result.problems == ["search index: Pagefind failed with exit status 3: "
                               "Error: cannot read the site"]
    assert (output / "index.html").read_text("utf-8") == before
    assert not (output / "pagefind").exists()


def test_a_missing_pagefind_is_a_clear_problem(tmp_path, monkeypatch):
    def missing():
        raise FileNotFoundError("Could not find any of [pagefind]")

    monkeypatch.setattr(search_index, "executable", missing)
    [problem] = search_index.index_site(tmp_path)
    assert problem.startswith("search index: Pagefind is not available")
    assert "SEARCH_INDEX = False" in problem


def test_search_index_on_a_fixture_site(fixture_site, tmp_path, monkeypatch):
    result = _build(fixture_site, tmp_path / "out", monkeypatch, SEARCH_INDEX=True)
    assert result.ok, result.problems
    assert (tmp_path / "out" / "pagefind" / "pagefind-ui.js").is_file()
    assert "pagefind/pagefind-ui.js" in (tmp_path / "out" / "index.html").read_text("utf-8")


# --- spelling variants ------------------------------------------------------------------------

def test_a_page_gets_the_other_spellings_of_its_words_at_the_end_of_its_indexed_part():
    page = ('<body><nav>defence</nav><article data-pagefind-body><h1>Missile Defense</h1>'
            '<p>The Shanghai Cooperation Organisation &amp; its co-operation; Sergei.</p>'
            '</article><footer>programme</footer></body>')
    marked = search_index.add_spellings(page)
    assert marked == page.replace("</p></article>", (
        '</p><span data-pagefind-index-attrs="data-spellings" '
        'data-spellings="also spelled: defence, organization, Sergey"></span></article>'))
    # text outside the indexed part counts for nothing; a page without variants is unchanged
    assert search_index.add_spellings(page.replace("Defense", "Shield").replace(
        "Organisation", "Group").replace("Sergei", "Ivan")) == page.replace("Defense", "Shield") \
        .replace("Organisation", "Group").replace("Sergei", "Ivan")
    assert search_index.add_spellings("<p>defence</p>") == "<p>defence</p>"


def test_the_other_spelling_is_given_as_often_as_the_page_uses_the_word_up_to_a_cap():
    """So that term-frequency ranking treats both spellings alike, without letting a page
    flood its own ranking."""
    def given(body):
        marked = search_index.add_spellings(f"<article data-pagefind-body>{body}</article>")
        return re.search(r'data-spellings="also spelled: ([^"]*)"', marked)[1].split(", ")

    assert given("<p>defense, defense and Defense; organisation</p>") == \
        ["defence"] * 3 + ["organization"]
    assert given("<p>" + "defense " * 50 + "</p>") == \
        ["defence"] * search_index.MAX_REPEATS


def test_every_spelling_group_is_symmetric_and_unique():
    words = [w.casefold() for group in search_index.SPELLINGS for w in group]
    assert len(words) == len(set(words))
    assert all(len(group) >= 2 for group in search_index.SPELLINGS)


def test_the_real_site_marks_the_article_with_the_other_spelling(real_site):
    """The article writes "missile defense" only; its page carries "defence" for the index."""
    text = (real_site[1] / "sources" / "moscows-search-for-intl-backing-continues" /
            "index.html").read_text("utf-8")
    marker = re.search(r'<span data-pagefind-index-attrs="data-spellings" '
                       r'data-spellings="also spelled: ([^"]*)"></span></article>', text)
    assert marker and "defence" in marker[1].split(", ")

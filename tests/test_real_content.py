"""The real content of the project: it builds cleanly, keeps the seed text whole, links it."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from research.read import frontmatter
from research.index.linkcheck import check_links
from sitepages import (TYPE_INDEX, entity_files, entity_page, paragraphs, parse,
                       reset_pelican_log_dedup, resolve)

SEED = Path("/work/shared/seeds/000_9a57544f5eb55a84.txt")
SOURCE = ROOT / "content" / "sources" / "moscows-search-for-intl-backing-continues.md"
PELICAN = Path(sys.executable).parent / "pelican"


ENTITIES_AT_IMPORT = entity_files(ROOT)


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", html.unescape(text))).strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real site built once with research.cli.build.build(): (result, output folder)."""
    output = tmp_path_factory.mktemp("real") / "output"
    reset_pelican_log_dedup()
    return build_site(ROOT, output), output


@pytest.fixture(scope="module")
def entities(site):
    """The entity files as they were when the site was built (read just before it, so that
    files added while the tests run do not count)."""
    return ENTITIES_AT_IMPORT


@pytest.fixture(scope="module")
def article(site):
    _, output = site
    slug = frontmatter.split(SOURCE.read_text(encoding="utf-8"), str(SOURCE)).metadata["slug"]
    return output / "sources" / slug / "index.html"


def _pelican(tmp_path, *extra):
    return subprocess.run(
        [str(PELICAN), "content", "-s", "pelicanconf.py", "-o", str(tmp_path / "out"), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": str(PELICAN.parent), "COLUMNS": "1000", "HOME": str(tmp_path)})


def test_pelican_with_fatal_warnings_exits_0(tmp_path):
    run = _pelican(tmp_path, "--fatal", "warnings")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_pelican_with_fatal_errors_exits_0(tmp_path):
    run = _pelican(tmp_path, "--fatal", "errors")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (tmp_path / "out" / "index.html").is_file()
    # the only warnings are the lint's (names that match no entity), which are not fatal
    warnings = [line for line in (run.stdout + run.stderr).splitlines()
                if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]
    assert all("matches no entity" in line for line in warnings), warnings


def test_build_succeeds(site):
    result, output = site
    assert result.ok, result.problems
    assert result.output == output.resolve()
    assert (output / "index.html").is_file()


def test_no_broken_links(site):
    _, output = site
    assert check_links(output) == []


def test_no_broken_links_with_absolute_urls(tmp_path):
    """The publish settings (RELATIVE_URLS = False, a SITEURL, the Atom feed): every href and
    src on every page, and every #fragment, still resolves inside the built folder."""
    siteurl = "http://example.test"
    reset_pelican_log_dedup()
    result = build_site(ROOT, tmp_path / "output", RELATIVE_URLS=False, SITEURL=siteurl,
                        FEED_DOMAIN=siteurl, FEED_ALL_ATOM="feeds/all.atom.xml")
    assert result.ok, result.problems
    assert check_links(tmp_path / "output", siteurl) == []


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """The body paragraphs of the seed and the lines that are headings.

    The seed is: title, byline, teaser (a reworded copy of paragraph 1, kept as the summary),
    paragraph 1 with a broken "( – " dateline, the body, then the author's name twice and
    "Spencer Journalism Fellow".
    """
    lines = [normal(line) for line in SEED.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert lines[1].startswith("By Patrick Goodenough")
    assert lines[3].startswith("( – ") and lines[3][4:] == lines[2].replace(
        "Russia is still", "Russia on Friday was still")
    assert lines[-3:] == ["Patrick Goodenough", "Patrick Goodenough",
                          "Spencer Journalism Fellow"]
    body = [lines[3][4:], *lines[4:-3]]
    headings = [line for line in body if not re.search(r"[.!?”\"]$", line)]
    return [line for line in body if line not in headings], headings


def test_the_article_contains_every_paragraph_of_the_seed(article):
    expected, headings = seed_paragraphs()
    assert len(expected) == 27 and headings == ["Countering NATO, US missile defense"]
    found = {pid: normal(text) for pid, text in paragraphs(article).items()}
    assert list(found) == [f"p-{n}" for n in range(1, len(expected) + 1)]
    for number, text in enumerate(expected, 1):
        assert found[f"p-{number}"] == text, f"p-{number}"


def test_the_seed_heading_is_a_heading_without_a_number(article):
    _, headings = seed_paragraphs()
    text = article.read_text(encoding="utf-8")
    for heading in headings:
        match = re.search(r"<h2[^>]*>(.*?)</h2>", text, re.S)
        assert match and normal(re.sub(r"<[^>]+>", "", match.group(1))) == heading


@pytest.mark.parametrize("slug", [
    "russia", "georgia", "sco", "csto", "nato", "abkhazia", "south-ossetia", "sergei-lavrov",
    "nikolay-bordyuzha",
])
def test_the_article_links_to_the_entity(site, article, entities, slug):
    _, output = site
    [entity] = [e for e in entities if e["slug"] == slug]
    page = entity_page(output, entity)
    assert page.is_file()
    targets = {resolve(output, article, href, "")[0]
               for href, css in parse(article).links if "entity-link" in css.split()}
    assert page in targets
    assert parse(page).h1 == entity["name"]


def test_every_entity_page_is_listed_in_its_type_index(site, entities):
    _, output = site
    assert {e["type"] for e in entities} >= {"organization", "person", "country", "territory"}
    missing = []
    for kind, folder in TYPE_INDEX.items():
        index = output / folder / "index.html"
        listed = {resolve(output, index, href, "")[0] for href, _ in parse(index).links}
        missing += [e["slug"] for e in entities
                    if e["type"] == kind and entity_page(output, e) not in listed]
    assert missing == []

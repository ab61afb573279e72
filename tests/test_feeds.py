"""The Atom feed (publish builds only), sitemap.xml and robots.txt, without a browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import ROOT
from research.read import frontmatter
from research.index import sitemap

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _documents() -> dict[str, dict]:
    """'<category>/<slug>/' -> front-matter of every source and briefing note."""
    found = {}
    for folder in ("sources", "briefings"):
        for path in sorted((ROOT / "content" / folder).glob("*.md")):
            meta = frontmatter.split(path.read_text("utf-8"), str(path)).metadata
            found[f"{folder}/{meta['slug']}/"] = meta
    return found


def _html_pages(output: Path) -> list[str]:
    pages = []
    for page in output.rglob("*.html"):
        relative = page.relative_to(output).as_posix()
        if not relative.startswith("pagefind/"):
            pages.append(re.sub(r"(^|/)index\.html$", r"\1", relative))
    return sorted(pages)


# --- the feed -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def feed(published_site):
    output, siteurl = published_site
    return ElementTree.parse(output / "feeds" / "all.atom.xml").getroot(), siteurl


def test_feed_has_every_source_and_briefing(feed):
    root, siteurl = feed
    assert root.tag == f"{ATOM}feed"
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
    assert sorted(links) == sorted(f"{siteurl}/{path}" for path in _documents())
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}id").text


def test_feed_links_are_absolute(feed):
    root, siteurl = feed
    self_link = [link.get("href") for link in root.findall(f"{ATOM}link")
                 if link.get("rel") == "self"]
    assert self_link == [f"{siteurl}/feeds/all.atom.xml"]
    for entry in root.findall(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content").text or ""
        hrefs = re.findall(r'href="([^"]+)"', content)
        assert hrefs, entry.find(f"{ATOM}title").text
        for href in hrefs:
            assert href.startswith(("http://", "https://", "#")), href
        assert "{filename}" not in content


def test_pages_name_the_feed_only_when_there_is_one(published_site, real_site):
    output, siteurl = published_site
    link = (f'<link rel="alternate" type="application/atom+xml" '
            f'title="Russia, the SCO and the CSTO after the Georgia war" '
            f'href="{siteurl}/feeds/all.atom.xml">')
    assert link in (output / "index.html").read_text("utf-8")
    local = real_site[1]
    assert not (local / "feeds").exists()  # local builds have relative URLs: no feed
    assert "application/atom+xml" not in (local / "index.html").read_text("utf-8")


# --- sitemap.xml and robots.txt -------------------------------------------------------------

def _locs(output: Path) -> list[tuple[str, str | None]]:
    root = ElementTree.parse(output / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return [(url.find(f"{SITEMAP}loc").text,
             url.find(f"{SITEMAP}lastmod").text if url.find(f"{SITEMAP}lastmod") is not None
             else None) for url in root.findall(f"{SITEMAP}url")]


@pytest.mark.parametrize("build", ["local", "published"])
def test_sitemap_lists_every_page_once(build, real_site, published_site):
    output, siteurl = (real_site[1], "") if build == "local" else published_site
    locs = [loc for loc, _ in _locs(output)]
    assert len(locs) == len(set(locs))
    assert locs == sorted(locs)
    assert locs == [f"{siteurl}/{page}" for page in _html_pages(output)]


def test_lastmod_comes_from_document_dates_only(published_site):
    output, siteurl = published_site
    documents = _documents()
    dated = {loc[len(siteurl) + 1:]: lastmod for loc, lastmod in _locs(output) if lastmod}
    assert set(dated) == set(documents)
    for path, lastmod in dated.items():
        meta = documents[path]
        written = str(meta.get("modified") or meta["date"])
        assert lastmod.startswith(written[:10]), path


def test_robots_txt(real_site, published_site):
    output, siteurl = published_site
    robots = (output / "robots.txt").read_text("utf-8")
    assert "User-agent: *" in robots
    assert f"Sitemap: {siteurl}/sitemap.xml" in robots.splitlines()
    local = (real_site[1] / "robots.txt").read_text("utf-8")
    assert "User-agent: *" in local and "Sitemap:" not in local


def test_sitemap_is_deterministic(tmp_path):
    for name, date in (("b/index.html", "2008-09-05"), ("a.html", None), ("index.html", None)):
        page = tmp_path / name
        page.parent.mkdir(parents=True, exist_ok=True)
        ld = (f'<script type="application/ld+json">{{"datePublished": "{date}"}}</script>'
              if date else "")
        page.write_text(f"<html><head>{ld}</head></html>", encoding="utf-8")
    dates = {"b/": "2008-09-05"}  # (as the render stage records them: BuildState.page_dates)
    first = sitemap.sitemap_xml(tmp_path, "https://example.org/", dates)
    assert first == sitemap.sitemap_xml(tmp_path, "https://example.org/", dates)
    assert [loc for loc, _ in re.findall(r"<loc>(.*?)</loc>()", first)] == [
        "https://example.org/", "https://example.org/a.html", "https://example.org/b/"]
    assert "<lastmod>2008-09-05</lastmod>" in first


def test_sitemap_leaves_out_the_pages_the_render_stage_marked_unlisted(tmp_path):
    from research.core.state import UNLISTED
    for name in ("new/index.html", "old/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>", encoding="utf-8")
    # (what the page says is not read: the render stage's record decides)
    dates = sitemap.dates_by_path({"old/index.html": UNLISTED, "new/index.html": "2008-09-05"})
    text = sitemap.sitemap_xml(tmp_path, "https://example.org", dates)
    assert re.findall(r"<loc>(.*?)</loc>", text) == ["https://example.org/new/"]

"""Helpers for tests of built sites: parse pages, resolve links, list entities."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from research.core import types
from research.read import frontmatter

TYPE_INDEX = {t.name: t.folder for t in types.DEFAULT.entities.values()}
BASE = "http://base.invalid/"  # a stand-in origin for resolving relative links


def reset_pelican_log_dedup() -> None:
    """Pelican drops a warning it has logged before in this process (LimitFilter); forget them
    so that each test's build reports its own warnings."""
    from pelican.log import LimitFilter
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


class Page(HTMLParser):
    """Links (with the text and class of each) and ids of one HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, class)
        self.ids: set[str] = set()
        self.h1 = ""
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], attributes.get("class") or ""))
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def resolve(output: Path, page: Path, href: str, siteurl: str) -> tuple[Path, str] | None:
    """The file (and fragment) in `output` that `href` on `page` leads to; None if external."""
    here = BASE + page.relative_to(output).as_posix()
    if siteurl and href.startswith(siteurl):
        href = BASE + href[len(siteurl):].lstrip("/")
    url, fragment = urldefrag(urljoin(here, href))
    if not url.startswith(BASE):
        return None
    relative = unquote(urlsplit(url).path).lstrip("/")
    target = output / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target, fragment


def entity_files(site: Path) -> list[dict]:
    """Type, slug and name of every entity file of a site, read from its front-matter."""
    found = []
    for path in sorted((site / "content" / "entities").rglob("*.md")):
        meta = frontmatter.split(path.read_text(encoding="utf-8"), str(path)).metadata
        found.append({"type": meta["type"], "slug": meta["slug"], "name": meta["name"]})
    return found


def entity_page(output: Path, entity: dict) -> Path:
    return output / TYPE_INDEX[entity["type"]] / entity["slug"] / "index.html"


def paragraphs(page: Path) -> dict[str, str]:
    """Plain text of each numbered paragraph (pilcrow removed), by id."""
    text = page.read_text(encoding="utf-8")
    found = {}
    for pid, inner in re.findall(r'<p id="(p-\d+)">(.*?)</p>', text, re.S):
        inner = re.sub(r'<a class="pilcrow".*?</a>', "", inner, flags=re.S)
        found[pid] = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
    return found

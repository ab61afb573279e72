"""Crawl a built site's files and report internal links (and #fragments) that lead nowhere.

Works on the output folder directly, so it checks relative-URL and absolute-URL builds alike:
links under `siteurl` (or starting with `/`) are mapped back onto the folder.
"""

from __future__ import annotations

import functools
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

_LINK_ATTRIBUTES = {"href", "src"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in _LINK_ATTRIBUTES and not (tag == "link" and _is_alternate(attrs)):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def _is_alternate(attrs) -> bool:
    return dict(attrs).get("rel") == "alternate"


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(output: Path, page: Path, link: str, siteurl: str) -> tuple[Path, str] | None:
    """The file and fragment a link points at, or None for an external link."""
    url, fragment = urldefrag(link)
    if siteurl and url.startswith(siteurl):
        url = "/" + url[len(siteurl):].lstrip("/")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, fragment
    if parts.path.startswith("/"):
        relative = parts.path.lstrip("/")
    else:
        base = page.parent.relative_to(output).as_posix()
        relative = posixpath.normpath(posixpath.join(base, parts.path))
    target = output / unquote(relative)
    if url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(fragment)


def check_links(output: str | Path, siteurl: str = "") -> list[str]:
    """Every broken internal link, as 'page: link (why)'. An empty list means all resolve."""
    output = Path(output).resolve()
    _parse.cache_clear()
    broken = []
    for page in sorted(output.rglob("*.html")):
        for link in _parse(page).links:
            if link.startswith(("mailto:", "data:", "javascript:")):
                continue
            found = _target(output, page, link, siteurl.rstrip("/"))
            if found is None:
                continue
            target, fragment = found
            name = page.relative_to(output)
            try:
                inside = target.resolve().is_relative_to(output)
            except OSError:
                inside = False
            if not inside or not target.is_file():
                broken.append(f"{name}: {link} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{name}: {link} (no element with id '{fragment}')")
    return broken

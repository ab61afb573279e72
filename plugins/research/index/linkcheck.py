"""Crawl a built site's files and report internal links (and #fragments) that lead nowhere,
or that lead out of the site.

Works on the output folder directly, so it checks relative-URL and absolute-URL builds alike.
Every link is resolved the way a browser resolves it, against the address its page will have:

- a local build (`siteurl` empty) is opened from any folder or from disk (`file://`), so every
  internal link must be relative: a root-absolute `/sources/...` is reported, because it
  leaves the folder the site was copied to;
- a publish build lives at `siteurl` (possibly under a path, `https://example.org/research`):
  a link that resolves on the same host but outside that path (a root-absolute `/sources/...`,
  or `https://example.org/other/`) is reported, because it leaves the site.

Links on other hosts are external and not checked.
"""

from __future__ import annotations

import functools
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

_LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data"}
# A local build is checked as if it were copied to this folder on some host: anything that
# resolves outside it would break when the site is opened from disk or served under a path.
_LOCAL_BASE = "http://local.invalid/any/folder/"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "xlink:href":
                name = "href"
            if name in _LINK_ATTRIBUTES and not (tag == "link" and _is_alternate(attrs)):
                if name == "data" and tag != "object":
                    continue
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


def _site_base(siteurl: str) -> str:
    return siteurl.rstrip("/") + "/" if siteurl else _LOCAL_BASE


def _target(output: Path, page: Path, link: str, base: str
            ) -> tuple[Path, str] | str | None:
    """The file and fragment a link points at; None for an external link; a message for a
    link that leaves the site."""
    page_url = urljoin(base, page.relative_to(output).as_posix())
    url, fragment = urldefrag(link.strip())
    if not url:
        return page, unquote(fragment)
    absolute = urljoin(page_url, url)
    parts, site = urlsplit(absolute), urlsplit(base)
    if parts.scheme not in ("http", "https", "file") or parts.netloc != site.netloc:
        return None  # another host (or mailto:, data:, ...): not ours to check
    if parts.scheme != site.scheme:
        return f"{parts.scheme}: link to the site's own host"
    if not (parts.path + "/").startswith(site.path):
        if base != _LOCAL_BASE:
            return f"outside the site's address {base}"
        if url.startswith("/"):
            return "root-absolute link in a local build: breaks from file:// and under a path"
        return "leads above the site's folder"
    relative = posixpath.normpath(unquote(parts.path[len(site.path):]) or ".")
    target = output / relative
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(fragment)


def check_links(output: str | Path, siteurl: str = "") -> list[str]:
    """Every broken internal link, as 'page: link (why)'. An empty list means all resolve.

    `siteurl` is the address the site was built for (`SITEURL` of a publish build), or empty
    for a local build with relative URLs."""
    output = Path(output).resolve()
    base = _site_base(siteurl)
    _parse.cache_clear()
    broken = []
    for page in sorted(output.rglob("*.html")):
        for link in _parse(page).links:
            found = _target(output, page, link, base)
            if found is None:
                continue
            name = page.relative_to(output)
            if isinstance(found, str):
                broken.append(f"{name}: {link} ({found})")
                continue
            target, fragment = found
            try:
                inside = target.resolve().is_relative_to(output)
            except OSError:
                inside = False
            if not inside or not target.is_file():
                broken.append(f"{name}: {link} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{name}: {link} (no element with id '{fragment}')")
    return broken

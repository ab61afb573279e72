"""`sitemap.xml` and `robots.txt`, written from the built site after Pelican ran.

The sitemap lists every HTML page of the output folder once, sorted by URL, so it also covers
pages that other generators or plugins write. `<lastmod>` comes only from a document's own
dates (the `dateModified` or `datePublished` of the page's JSON-LD, which come from its
front-matter), never from the build time: two builds of the same content give the same file.
The render stage records each page's date as it writes the JSON-LD (`BuildState.page_dates`,
render/jsonld.py), and marks the redirect pages it writes (`noindex`) as `UNLISTED` there
(render/redirects.py); nothing is parsed back out of the written pages.

Sitemaps need absolute URLs: with SITEURL set (publishconf.py) they are `SITEURL/path/`; a
local build has no SITEURL and gets root-relative paths (`/path/`), enough for tests and for a
look, and robots.txt then names no sitemap.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ..core.state import UNLISTED

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SKIP = ("pagefind/",)  # Pagefind's bundle: not pages of the site


def page_paths(output: Path) -> list[str]:
    """Site paths of every HTML page: `countries/russia/` for countries/russia/index.html."""
    paths = []
    for page in output.rglob("*.html"):
        relative = page.relative_to(output).as_posix()
        if relative.startswith(SKIP):
            continue
        paths.append(site_path(relative))
    return sorted(set(paths))


def sitemap_xml(output: Path, siteurl: str, dates: dict[str, str | None] | None = None) -> str:
    """The sitemap of the pages under `output`; `dates`: site path -> lastmod (or `UNLISTED`:
    left out), as the render stage recorded them (`page_dates` of the build state, by
    `dates_by_path`)."""
    dates = dates or {}
    base = siteurl.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for path in page_paths(output):
        date = dates.get(path)
        if date == UNLISTED:
            continue  # a redirect page (redirects.py): not a page of its own
        entry = f"<url><loc>{escape(base + path)}</loc>"
        if date:
            entry += f"<lastmod>{escape(date)}</lastmod>"
        lines.append(entry + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    text = "User-agent: *\nDisallow:\n"
    if siteurl:
        text += f"\nSitemap: {siteurl.rstrip('/')}/sitemap.xml\n"
    return text


def site_path(relative: str) -> str:
    """The site path of a written HTML file: `countries/russia/` for .../index.html."""
    if relative == "index.html" or relative.endswith("/index.html"):
        return relative[: -len("index.html")]
    return relative


def dates_by_path(page_dates: dict[str, str | None]) -> dict[str, str | None]:
    """The render stage's dates (by output file) by site path."""
    return {site_path(output_file): date for output_file, date in page_dates.items()}


def write(output: Path, siteurl: str, dates: dict[str, str | None] | None = None) -> None:
    (output / "sitemap.xml").write_text(sitemap_xml(output, siteurl, dates), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(siteurl), encoding="utf-8")

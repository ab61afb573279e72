"""`sitemap.xml` and `robots.txt`, written from the built site after Pelican ran.

The sitemap lists every HTML page of the output folder once, sorted by URL, so it also covers
pages that other generators or plugins write. `<lastmod>` comes only from a document's own
dates (the `dateModified` or `datePublished` of the page's JSON-LD, which come from its
front-matter), never from the build time: two builds of the same content give the same file.

Sitemaps need absolute URLs: with SITEURL set (publishconf.py) they are `SITEURL/path/`; a
local build has no SITEURL and gets root-relative paths (`/path/`), enough for tests and for a
look, and robots.txt then names no sitemap.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ..render.jsonld import from_html

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SKIP = ("pagefind/",)  # Pagefind's bundle: not pages of the site
_NOINDEX = '<meta name="robots" content="noindex">'


def page_paths(output: Path) -> list[str]:
    """Site paths of every HTML page: `countries/russia/` for countries/russia/index.html."""
    paths = []
    for page in output.rglob("*.html"):
        relative = page.relative_to(output).as_posix()
        if relative.startswith(SKIP):
            continue
        paths.append(site_path(relative))
    return sorted(set(paths))


def last_modified(page: Path) -> str | None:
    """The document date a page declares in its JSON-LD, if it is a dated document."""
    try:
        return date_of(page.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _file(output: Path, path: str) -> Path:
    return output / (path + "index.html" if path == "" or path.endswith("/") else path)


def date_of(text: str) -> str | None:
    """The document date a page's HTML declares in its JSON-LD, if it is a dated document."""
    try:
        blocks = from_html(text)
    except ValueError:
        return None
    for block in blocks:
        if isinstance(block, dict):
            date = block.get("dateModified") or block.get("datePublished")
            if date:
                return str(date)
    return None


def sitemap_xml(output: Path, siteurl: str, dates: dict[str, str | None] | None = None) -> str:
    """The sitemap of the pages under `output`; `dates` (site path -> lastmod) saves reading
    each page again when the caller has read them already (postbuild.py)."""
    base = siteurl.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for path in page_paths(output):
        if _NOINDEX in _file(output, path).read_text(encoding="utf-8"):
            continue  # a redirect page (redirects.py): not a page of its own
        entry = f"<url><loc>{escape(base + path)}</loc>"
        date = (dates.get(path) if dates is not None
                else last_modified(_file(output, path)))
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


def write(output: Path, siteurl: str, dates: dict[str, str | None] | None = None) -> None:
    (output / "sitemap.xml").write_text(sitemap_xml(output, siteurl, dates), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(siteurl), encoding="utf-8")

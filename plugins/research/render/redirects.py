"""Redirect pages at the addresses of former slugs, and `/data/redirects.json` (CSV twin).

An entity, source or briefing note whose front-matter has `former_slugs: [old, ...]` (kept by
`python -m research rename-entity`) gets, at each old address, a small page that sends the
reader on: a meta refresh (works without JavaScript, but drops a `#p-7` fragment), a script
that carries `location.hash` over (so a paragraph link to a renamed source still lands on its
paragraph), a canonical link and a visible link. The exports say where each slug went, so a
tool holding an old slug can follow it.

`RedirectGenerator` runs after the entity generator (it needs the registry) and writes its
files straight into the output folder, as the exports do, returning the paths it wrote.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path


from ..core import state as build_state
from ..core import types
from ..read import frontmatter

from ..model import schema
from ..core.errors import ContentError, Problem
from ..read.reader import display_path

FIELD = "former_slugs"
COLUMNS = ["from", "to", "type", "from_url", "to_url"]
EXPORT_PATHS = ("data/redirects.json", "data/redirects.csv")


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str
    kind: str  # an entity type, or the document's category (sources, briefings)
    save_as: str  # where the redirect page is written
    old_url: str
    new_url: str
    file: str = ""  # the content file whose former_slugs asks for it


def former_slugs(page, text: str, path: str) -> tuple[list[str], list[Problem]]:
    """The page's former slugs, checked: a list of valid slugs, none its current slug."""
    value = page.metadata.get(FIELD)
    if value is None:
        return [], []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return [], [Problem(path, "must be a list of slugs, e.g. [old-name]",
                            frontmatter.locate(text, FIELD), FIELD, "type.list")]
    slugs, problems = [], []
    for index, slug in enumerate(values):
        where = f"{FIELD}[{index}]" if not isinstance(value, str) else FIELD
        line = frontmatter.locate(text, where)
        if not schema.SLUG.match(slug):
            problems.append(Problem(path, f"'{slug}' is not a valid slug: use lowercase "
                                    "letters, digits and single hyphens, e.g. 'south-ossetia'",
                                    line, where, "slug.format"))
        elif slug == page.slug:
            problems.append(Problem(path, f"'{slug}' is the current slug; remove it from "
                                    f"{FIELD}", line, where, "redirect.current-slug"))
        else:
            slugs.append(slug)
    return slugs, problems


def collect(pages: list, settings: dict, state) -> list[Redirect]:
    """Every redirect of these pages (entity pages and articles; `state` says which are
    entity pages); ContentError if a former slug is taken by another page, twice claimed, or
    would overwrite a page."""
    redirects, problems = [], []

    def _namespace(page) -> str:
        return "entity" if state.entity_of(page) is not None else "document"

    # Slugs are unique among entities and among documents (citations name documents by
    # slug): a former slug must not be another page's slug in its namespace, nor its URL.
    current = {page.save_as: page for page in pages}
    slugs_now = {(_namespace(page), page.slug): page for page in pages}
    claimed: dict[tuple[str, str], str] = {}  # (namespace, old slug) -> file claiming it
    for page in sorted(pages, key=lambda p: p.source_path):
        path = display_path(page.source_path)
        kept = frontmatter.source_map(page)  # the reader's: the file is not read again
        text = kept.text if kept is not None else ""
        slugs, found = former_slugs(page, text, path)
        problems += found
        space = _namespace(page)
        kind = getattr(state.entity_of(page), "type", None) or \
            types.of(page.settings).categories.get(page.category.slug, page.category.slug)
        for index, old in enumerate(slugs):
            where = f"{FIELD}[{index}]"
            line = frontmatter.locate(text, where)
            if (space, old) in claimed:
                problems.append(Problem(path, f"'{old}' is also a former slug in "
                                        f"{claimed[space, old]}; keep it in one file", line,
                                        where, "redirect.duplicate"))
                continue
            claimed[space, old] = path
            former = copy.copy(page)
            former.slug = old
            other = slugs_now.get((space, old)) or current.get(former.save_as)
            if other is not None:
                problems.append(Problem(path, f"'{old}' is the slug of "
                                        f"{display_path(other.source_path)} now, so it cannot "
                                        f"redirect here; remove it from {FIELD}", line, where,
                                        "redirect.slug-in-use"))
                continue
            redirects.append(Redirect(old, page.slug, kind, former.save_as, former.url, page.url,
                                      path))
    if problems:
        raise ContentError(problems)
    return sorted(redirects, key=lambda r: r.save_as)



def page_html(redirect: Redirect, name: str, siteurl: str, relative: bool, lang: str) -> str:
    """The redirect page: meta refresh, a script keeping the fragment, canonical, a link."""
    if relative:
        here = posixpath.dirname(redirect.save_as) or "."
        target = posixpath.relpath(redirect.new_url.rstrip("/") or ".", here)
        target += "/" if redirect.new_url.endswith("/") else ""
    else:
        target = siteurl.rstrip("/") + "/" + redirect.new_url
    attr = html.escape(target, quote=True)
    script_url = json.dumps(target).replace("<", "\\u003c").replace(">", "\\u003e")
    title = html.escape(name)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {title}</title>\n"
        f'<link rel="canonical" href="{attr}">\n'
        '<meta name="robots" content="noindex">\n'
        # The script runs first and keeps "#p-7"; the refresh is for readers without it.
        f"<script>location.replace({script_url} + location.hash);</script>\n"
        f'<meta http-equiv="refresh" content="0; url={attr}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved: <a href="{attr}">{title}</a>.</p>\n'
        "</body>\n</html>\n")


def rows(redirects: list[Redirect], siteurl: str) -> list[dict]:
    prefix = siteurl.rstrip("/") + "/" if siteurl else ""
    return [{"from": r.old, "to": r.new, "type": r.kind, "from_url": prefix + r.old_url,
             "to_url": prefix + r.new_url}
            for r in sorted(redirects, key=lambda r: (r.kind, r.old))]


def write_redirects(redirects: list[Redirect], names: dict[str, str], output: str | Path,
                    settings: dict) -> list[str]:
    """Write the redirect pages and /data/redirects.{json,csv}; returns the paths written
    (relative), like exports.write_exports."""
    relative = settings.get("RELATIVE_URLS", False)
    siteurl = settings.get("SITEURL", "") or ""
    written = []
    pages = build_state.of(settings).page_dates
    for redirect in redirects:
        target = Path(output) / redirect.save_as
        if target.exists():  # another writer's page: never replace it silently
            raise ContentError(Problem(redirect.save_as, f"the redirect for the former slug "
                                       f"'{redirect.old}' would replace a page written there",
                                       code="path.written-twice"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(redirect, names[redirect.save_as], siteurl, relative,
                                    settings.get("DEFAULT_LANG", "en")), encoding="utf-8")
        written.append(redirect.save_as)
        # not a page of its own (it says noindex): out of the sitemap (index/sitemap.py)
        pages[redirect.save_as] = build_state.UNLISTED
    table = rows(redirects, "" if relative else siteurl)
    folder = Path(output) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "redirects.json").write_text(
        json.dumps({"redirects": table}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    (folder / "redirects.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return written + list(EXPORT_PATHS)


def claims(redirects: list[Redirect]) -> list[tuple[str, str, str, str]]:
    """Every path written here, claimed in the build's path registry (guard/written.py, by the
    adapter) before any output is written: another writer of one of them is then a build
    error naming both. Each (path, source, file, field)."""
    return ([(r.save_as, r.file, r.file, FIELD) for r in redirects]
            + [(output, f"the data export {output} (redirects.py)", None, None)
               for output in EXPORT_PATHS])


def titles(redirects: list[Redirect], contents: list) -> dict[str, str]:
    """The title of each redirect's new page (what the redirect page names), by save_as."""
    by_url = {page.url: page for page in contents}
    return {r.save_as: getattr(by_url[r.new_url], "title", r.new) for r in redirects}

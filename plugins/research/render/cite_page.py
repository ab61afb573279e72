"""Cite this page: each entity page, document and /references/ as CSL-JSON, BibTeX and RIS,
and as Highwire `citation_*` meta tags.

The three files are real files beside the page (`cite.json`, `cite.bib`, `cite.ris` in the
page's folder): the URL policy refuses `data:` downloads. Each is claimed (guard/written.py's
PathRegistry) as it is written, after every page has been written and claimed: a page whose
own path is wrong (two pages with one save_as, a file name too long) is then reported for
itself, not through the files beside it. Nothing
here reads the clock: a page without a date of its own has no `issued` (Chicago prints
"n.d."), so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import Any

FILES = (("cite.json", "CSL-JSON"), ("cite.bib", "BibTeX"), ("cite.ris", "RIS"))
_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")


def folder_of(save_as: str) -> str:
    """The folder the page's files go in: 'organizations/csto/index.html' -> its folder;
    'x.html' -> 'x' (a page not written as an index gets a folder of its name)."""
    if save_as.endswith("/index.html") or save_as == "index.html":
        return posixpath.dirname(save_as)
    return save_as[: -len(".html")] if save_as.endswith(".html") else save_as


def paths(save_as: str) -> list[str]:
    where = folder_of(save_as)
    return [posixpath.join(where, name) if where else name for name, _ in FILES]


def _absolute(settings: dict, url: str) -> str | None:
    siteurl = str(settings.get("SITEURL", "") or "")
    if settings.get("RELATIVE_URLS") or not siteurl.startswith(("http://", "https://")):
        return None
    return f"{siteurl.rstrip('/')}/{url}"


def _date(value) -> dict | None:
    if value is None:
        return None
    parts = [value.year, value.month, value.day]
    return {"date-parts": [parts]}


def _site_author(settings: dict) -> list[dict]:
    return [{"literal": str(settings.get("SITE_AUTHOR") or settings.get("SITENAME", ""))}]


def item_for(page: Any, kind: str, settings: dict, entity: Any = None) -> dict:
    """The page as one CSL-JSON item. `kind`: 'entity' (then `entity` is the page's record),
    'source', 'briefing', 'references'."""
    sitename = str(settings.get("SITENAME", ""))
    url = getattr(page, "url", "") if page is not None else settings.get(
        "REFERENCES_URL", "references/")
    item: dict[str, Any] = {"id": "", "type": "webpage", "title": "",
                            "container-title": sitename}
    if kind == "entity":
        item.update(id=f"page-{entity.type}-{entity.slug}", title=entity.name,
                    author=_site_author(settings))
    elif kind == "references":
        item.update(id="page-references", title="References", author=_site_author(settings))
    else:
        author = getattr(page, "author", None)
        name = str(getattr(author, "name", author) or "").strip()
        if kind == "source":
            item["type"] = "article-newspaper"
            item["container-title"] = str(getattr(page, "outlet", "") or sitename)
            # As written: splitting a name into family and given names would guess.
            names = [{"literal": name}] if name else []
        else:
            item["type"] = "report"
            item["publisher"] = sitename
            del item["container-title"]
            names = [{"literal": name}] if name else _site_author(settings)
        item.update(id=f"page-{kind}-{page.slug}", title=str(page.title),
                    author=names)
        date = _date(getattr(page, "date", None))
        if date:
            item["issued"] = date
    absolute = _absolute(settings, url)
    if absolute:
        item["URL"] = absolute
    return {key: value for key, value in item.items() if value not in ("", [], None)}


def _names_text(item: dict, separator: str) -> list[str]:
    out = []
    for name in item.get("author", []):
        if "literal" in name:
            out.append(name["literal"])
        else:
            out.append(f"{name['family']}{separator}{name.get('given', '')}".strip(", "))
    return out


def _parts(item: dict) -> list[int]:
    return (item.get("issued") or {}).get("date-parts", [[]])[0]


def csl_json(item: dict) -> str:
    return json.dumps([item], ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _bib(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def bibtex(item: dict) -> str:
    entry = "article" if item["type"] == "article-newspaper" else \
        "techreport" if item["type"] == "report" else "misc"
    fields = [("title", "{" + _bib(item["title"]) + "}")]
    authors = _names_text(item, ", ")
    if authors:
        # An institution's name in braces, so BibTeX does not split it into first and last.
        fields.append(("author", " and ".join(
            "{" + _bib(a) + "}" if "literal" in n else _bib(a)
            for a, n in zip(authors, item.get("author", [])))))
    container = item.get("container-title")
    if container:
        fields.append(("journal" if entry == "article" else
                       "institution" if entry == "techreport" else "howpublished",
                       _bib(container)))
    parts = _parts(item)
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
    if item.get("URL"):
        fields.append(("url", item["URL"]))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry}{{{item['id']},\n{body}\n}}\n"


def ris(item: dict) -> str:
    kind = {"article-newspaper": "NEWS", "report": "RPRT"}.get(item["type"], "ELEC")
    lines = [("TY", kind), ("TI", item["title"])]
    lines += [("AU", name) for name in _names_text(item, ", ")]
    if item.get("container-title"):
        lines.append(("T2", item["container-title"]))
    parts = _parts(item)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    if item.get("URL"):
        lines.append(("UR", item["URL"]))
    lines.append(("ID", item["id"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(str(value).split())}\n" for tag, value in lines)


def highwire(item: dict) -> str:
    """Highwire Press `citation_*` meta tags (what Google Scholar and Zotero read)."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", name) for name in _names_text(item, ", ")]
    parts = _parts(item)
    if parts:
        day = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        tags += [("citation_publication_date", day), ("citation_date", day)]
    if item.get("container-title"):
        name = "citation_journal_title" if item["type"] == "article-newspaper" else \
            "citation_publisher"
        tags.append((name, item["container-title"]))
    if item.get("publisher"):
        tags.append(("citation_publisher", item["publisher"]))
    if item.get("URL"):
        tags.append(("citation_public_url", item["URL"]))
    return "\n".join(f'<meta name="{name}" content="{html.escape(str(value))}">'
                     for name, value in tags)


def write(output: str | Path, save_as: str, item: dict, claim=None) -> list[str]:
    """Write the page's three files, each claimed first with `claim(path, what)` (the adapter
    passes the build's one-writer-per-path registry); returns their paths (relative to the
    output folder)."""
    written = []
    for path, text in zip(paths(save_as), (csl_json(item), bibtex(item), ris(item))):
        if claim is not None:
            claim(path, f"the citation files of {save_as} (cite_page.py)")
        target = Path(output) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def pages(state) -> list[tuple[Any, str]]:
    """(content object, kind) of every page that offers its citation: the published
    documents and every entity page. /references/ is added by its generator."""
    out: list[tuple[Any, str]] = []
    for article in state.published:
        kind = "source" if getattr(getattr(article, "category", None), "slug", "") == \
            "sources" else "briefing"
        out.append((article, kind))
    if state.registry is not None:
        out += [(state.pages[slug], "entity") for slug in state.registry.entities]
    return out

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
import os
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


def save_as_of(content) -> str:
    """The content object's `save_as`, computed once: Pelican formats it from the settings on
    every access, and nothing it depends on changes once pages are rendered."""
    known = content.__dict__.get("_cite_save_as")
    if known is None:
        known = content.__dict__["_cite_save_as"] = content.save_as
    return known


def write(output: str | Path, save_as: str, item: dict, claim=None) -> list[str]:
    """Write the page's three files, each claimed first with `claim(path, what)` (the adapter
    passes the build's one-writer-per-path registry); returns their paths (relative to the
    output folder)."""
    written = []
    for number, (path, text) in enumerate(zip(paths(save_as),
                                              (csl_json(item), bibtex(item), ris(item)))):
        if claim is not None:
            claim(path, f"the citation files of {save_as} (cite_page.py)")
        if number == 0:  # the three are in one folder
            os.makedirs(os.path.join(output, posixpath.dirname(path)), exist_ok=True)
        with open(os.path.join(output, path), "w", encoding="utf-8") as out:
            out.write(text)
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


# -- formatting a page's own entry ------------------------------------------------------
#
# citeproc-py takes about 6 ms to format one item (most of it walking the style), and every
# document and entity page formats its own: 25 s of a 4,000-page build. A page's item has one
# of a few shapes (its type, which of its fields are present, its month), and citeproc's output
# for a shape is the same text around the values. So each shape is formatted once by
# citeproc-py with a placeholder character for each value (and a placeholder year and day);
# each page's entry is that text with its own values put in, transformed as citeproc-py
# transforms them: title case for titles, and, after a value, the seam rule of
# citeproc.string.normalize_seam (a punctuation mark or space that would double the value's
# last character is dropped). An item outside the shapes and values this is proved for
# (tests/test_cite_page.py compares it with citeproc-py over the real site's pages, the
# fixture's and generated values) is formatted by citeproc-py itself.

_FIELDS = {"title": "\ue001", "container-title": "\ue002", "publisher": "\ue003",
           "URL": "\ue004", "author": "\ue005"}
_CASED = ("title", "container-title")  # the style's text-case="title" variables
_YEAR, _DAY = 1111, 28  # placeholder date: no other digit is in a shape's text
_PIECE = re.compile("([\ue001-\ue005]|1111|28)")
_BY_MARK = {mark: name for name, mark in _FIELDS.items()} | {"1111": "year", "28": "day"}
_SEAM = frozenset(".,;:!? ")
_NOCASE = '<span class="nocase">'
_shapes: dict[tuple, tuple | None] = {}


def own_entry(item: dict) -> tuple[str, str]:
    """A page's own item (`item_for`) formatted as model.references.format_csl formats it
    alone: (short citation as text, bibliography entry as HTML)."""
    from ..model import references

    given = references.prepared(item)
    values = _values(given)
    shape = _shape(given, values) if values is not None else None
    if shape is None:
        return references.format_csl([item])[item["id"]]
    short, entry = (_fill(pieces, values) for pieces in shape)
    return references.finished(given, short, {given["id"].lower(): entry})


def _values(item: dict) -> dict[str, str] | None:
    """The item's values as they are put in a shape, or None if it is not one this
    formatter is proved for."""
    values: dict[str, str] = {}
    for key, value in item.items():
        if key in ("id", "type"):
            continue
        if key == "issued":
            parts = value.get("date-parts") if isinstance(value, dict) else None
            if set(value) != {"date-parts"} or not isinstance(parts, list) or len(parts) != 1 \
                    or len(parts[0]) != 3 or not all(type(p) is int for p in parts[0]):
                return None
            year, month, day = parts[0]
            if not (1000 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
                return None
            values.update(year=str(year), day=str(day), month=str(month))
            continue
        if key == "author":
            if not isinstance(value, list) or len(value) != 1 or \
                    not isinstance(value[0], dict) or set(value[0]) != {"literal"}:
                return None
            value = value[0]["literal"]
        if key not in _FIELDS or not _plain(value):
            return None
        values[key] = _title_case(value) if key in _CASED else value
    return values


def _plain(value) -> bool:
    """A value citeproc-py prints as given (apart from its case): text with single spaces
    between words and none around them, no placeholder character, no nocase span."""
    return (isinstance(value, str) and value != "" and value == " ".join(value.split(" "))
            and value == " ".join(value.split()) and not any(
                "\ue000" <= c <= "\ue0ff" for c in value)
            and _NOCASE not in value.lower())


def _title_case(value: str) -> str:
    """citeproc-py's own text-case="title" (TextCased.case) applied to the value."""
    from citeproc.model import TextCased
    from citeproc.string import String

    class _Title:
        _stop_words = TextCased._stop_words

        @staticmethod
        def get(name, default=None):
            return "title" if name == "text-case" else default

    return str(TextCased.case(_Title(), String(value), "en"))


def _shape(item: dict, values: dict) -> tuple | None:
    """The shape's (short, entry) as lists of text and value names, from citeproc-py's
    output for the same item with placeholders; None if it is not one this formatter can
    fill."""
    key = (item["type"], tuple(sorted(name for name in values if name != "day")),
           values.get("month"))
    if key not in _shapes:
        _shapes[key] = _made(item, values)
    return _shapes[key]


def _made(item: dict, values: dict) -> tuple | None:
    from ..model import references

    probe: dict[str, Any] = {"id": "shape", "type": item["type"]}
    for name in values:
        if name == "author":
            probe[name] = [{"literal": _FIELDS[name]}]
        elif name in _FIELDS:
            probe[name] = _FIELDS[name]
    if "year" in values:
        probe["issued"] = {"date-parts": [[_YEAR, int(values["month"]), _DAY]]}
    shorts, entries = references.marked([probe])
    if "shape" not in entries:
        return None
    shape = []
    for text in (shorts["shape"], entries["shape"]):
        pieces = [piece for piece in _PIECE.split(text) if piece]
        pieces = [_BY_MARK.get(piece, ("", piece)) for piece in pieces]
        if any(isinstance(piece, tuple) and any(c.isdigit() for c in piece[1])
               for piece in pieces):
            return None
        if any(not isinstance(a, tuple) and not isinstance(b, tuple)
               for a, b in zip(pieces, pieces[1:])):
            return None  # two values side by side: their seam is not modelled
        shape.append(pieces)
    return tuple(shape)


def _fill(pieces: list, values: dict) -> str:
    out: list[str] = []
    last = ""
    for piece in pieces:
        if isinstance(piece, tuple):
            text = piece[1]
            if last and text[0] == last and last in _SEAM:
                text = text[1:]
        else:
            text = values[piece]
        if text:
            out.append(text)
            last = text[-1]
    return "".join(out)

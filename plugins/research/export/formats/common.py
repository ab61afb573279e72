"""What every export shares: the build's inputs gathered once, dates as day bounds, roles.

Every export is made from the one registry (and, for mentions and paragraph texts, the
linker's mention records), never from another export, so that they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

import hashlib
import html
from dataclasses import dataclass, field
from typing import Any

from ...core.dates import PartialDate
from ...link.quotes import paragraph_texts
from ...core import types

# The panel's statuses, strongest first: a state holding two roles in one year gets the first.
STATUSES = (*types.ROLE_CLASSES, "none")


def status_of(role: str, table: types.TypeTable = types.DEFAULT) -> str:
    """The panel status of a membership role: its class in the role vocabulary (member,
    observer, partner, other), as on the site's tables, maps and timeline bars."""
    return table.role_class(role)


def iso(date: PartialDate | None) -> str | None:
    return date.iso() if date else None


def in_force_from(start: PartialDate | None) -> str | None:
    """The first day a row is certainly in force: the last day its start can mean, at the
    widest reading of an uncertain one (a row that started in `2006` is certainly in force
    from 31 December 2006). The site's as-of rule (model/asof.py). A start with no latest
    day (`2012/..`) is never certain: 9999-12-31, so SQL's `<=` never holds."""
    if start is None:
        return None
    return (start.fuzzy_latest or dt.date.max).isoformat()


def in_force_until(end: PartialDate | None) -> str | None:
    """The first day a row is certainly no longer in force: the first day of its end, at the
    widest reading (an end with no earliest day, `../2012`, may be any day: 0001-01-01)."""
    if end is None:
        return None
    return (end.fuzzy_earliest or dt.date.min).isoformat()


def bounds(prefix: str, date: PartialDate | None) -> dict[str, str | None]:
    """`<prefix>_earliest` and `<prefix>_latest`: the strict day bounds of a date as
    written (None for an open side or no date), beside the EDTF text itself."""
    earliest = date.earliest if date else None
    latest = date.latest if date else None
    return {f"{prefix}_earliest": earliest.isoformat() if earliest else None,
            f"{prefix}_latest": latest.isoformat() if latest else None}


def plain_prefix(date: PartialDate | None) -> str | None:
    """For formats that take only ISO prefixes (FtM): PartialDate.plain_iso."""
    return date.plain_iso() if date is not None else None


BOUND_COLUMNS = ("start_earliest", "start_latest", "end_earliest", "end_latest")


def row_bounds(row) -> dict[str, str | None]:
    """The four bounds of a row's two dates, named start_/end_ for every kind of row (a
    recognition's `date` and `withdrawn` too), so one query reads them all alike."""
    first, last = ("date", "withdrawn") if hasattr(row, "withdrawn") else ("start", "end")
    return {**bounds("start", getattr(row, first)), **bounds("end", getattr(row, last))}


def relation_id(kind: str, *parts: str | None) -> str:
    """A stable id for a row that has none of its own: the kind and a digest of its fields.
    A dot never occurs in a slug, so these ids cannot collide with entity slugs."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return f"{kind}.{digest[:20]}"


def unescaped(text: str | None) -> str:
    """A summary as text: the reader HTML-escapes `summary` once for Pelican (which treats
    it as HTML; docs/architecture.md, "Escaping"), and nothing else is markup in it."""
    return html.unescape(text or "").strip()


@dataclass
class Document:
    """A published source or briefing note, with what the exports need of it."""

    slug: str
    kind: str  # "sources" or "briefings" (the folder, Pelican's category)
    title: str
    path: str  # the Markdown file, relative to the content folder
    url: str
    date: Any  # Pelican's (timezone-aware) datetime
    author: str
    outlet: str
    summary: str
    paragraphs: dict[int, str] = field(default_factory=dict)  # number -> plain text

    @property
    def key(self) -> str:
        return f"{self.kind}.{self.slug}"


@dataclass
class MentionRow:
    document: str  # Document.key
    paragraph: str | None  # "p-7", or None outside numbered paragraphs
    entity: str
    text: str


@dataclass
class BuildData:
    """One build's registry, documents, mentions and dates, gathered once for every export."""

    registry: Any
    views: Any
    documents: list[Document]
    mentions: list[MentionRow]
    siteurl: str  # "" for local builds (relative URLs), else the absolute SITEURL
    pages: dict  # each entity's page by slug (the build state's)
    network: Any = None

    @property
    def today(self) -> PartialDate:
        return self.views.today

    def url(self, path: str) -> str:
        """A page's URL as the exports give it: absolute when the build has a SITEURL, else
        relative to the site's root."""
        return f"{self.siteurl}/{path}" if self.siteurl else path


def gather(state, settings: dict) -> BuildData:
    """What the exports need, once, from the build state (core/state.py)."""
    registry = state.registry
    siteurl = "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL", "").rstrip("/")
    articles = sorted(state.published, key=lambda a: a.source_path)
    published = {id(a) for a in articles}
    content_root = settings.get("PATH", "")
    documents, keys = [], {}
    for article in articles:
        kind = getattr(article, "category", None)
        kind = getattr(kind, "slug", None) or str(kind or "")
        relative = article.get_relative_source_path() if content_root else article.source_path
        document = Document(
            slug=article.slug, kind=kind, title=str(article.title), path=relative,
            url=article.url, date=getattr(article, "date", None),
            author=str(getattr(article, "author", "") or ""),
            outlet=str(article.metadata.get("outlet", "") or ""),
            summary=unescaped(article.metadata.get("summary", "")),
            paragraphs=paragraph_texts(article))  # as the reader kept them
        documents.append(document)
        keys[id(article)] = document.key
    mentions = []
    index = state.mentions
    if index is not None:
        for slug in sorted(registry.entities):
            for occurrence in index.occurrences(slug):
                if id(occurrence.document) not in published:  # drafts have no public page
                    continue
                mentions.append(MentionRow(keys[id(occurrence.document)],
                                           occurrence.mention.paragraph, slug,
                                           occurrence.mention.text))
    mentions.sort(key=lambda m: (m.document, _paragraph_number(m.paragraph), m.entity))
    return BuildData(registry, state.views, documents, mentions, siteurl, state.pages,
                     state.network)


def membership_id(m) -> str:
    # The row's place in its file (`members[3]`) keeps two otherwise identical rows apart.
    return relation_id("membership", m.organization, m.where, m.member, m.role, iso(m.start))


def position_id(p) -> str:
    return relation_id("position", p.person, p.where, p.office, p.body, iso(p.start))


def recognition_id(r) -> str:
    return relation_id("recognition", r.territory, r.where, r.by, iso(r.date))


def _paragraph_number(paragraph: str | None) -> int:
    return int(paragraph[2:]) if paragraph else 0

"""Backlinks derived from mention records: where each entity is mentioned, and with whom.

Nothing here is stored in content files: every build recomputes it from the linker's records.

A mention row is a place in a document's body: a numbered paragraph, or a list item or table
cell, placed by the heading of its section. However many names or aliases of an entity a
place holds, it is one row, and one place for counting co-mentions: the "Mentioned in" list,
the counts on the indexes and the network's "mentioned together" ties are all made from the
same places, so they agree. Names in the footnotes (bibliography, cited titles) are kept apart
as note mentions: a count per document, never a row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from .linker import Mention


@dataclass(frozen=True, slots=True)  # one per mention row: keep it small
class Occurrence:
    """A mention placed in its document."""

    document: Any  # the Pelican content object (a source or briefing note)
    mention: Mention

    @property
    def anchor(self) -> str:
        anchor = self.mention.anchor or self.mention.paragraph
        return f"#{anchor}" if anchor else ""

    @property
    def paragraph_number(self) -> int | None:
        paragraph = self.mention.paragraph
        return int(paragraph[2:]) if paragraph else None

    @property
    def section(self) -> str | None:
        """The heading of the section, for a row that is not a numbered paragraph."""
        return None if self.mention.paragraph else self.mention.section


def place_of(mention: Mention) -> str | None:
    """The anchor that names a mention's place in its document (None: a note, or body text
    before any heading and outside numbered paragraphs)."""
    return None if mention.in_note else (mention.anchor or mention.paragraph)


class MentionIndex:
    """All mentions of a build, queryable by entity.

    Per entity: its body rows in document order (the first mention of each place) and its
    note mentions counted per document. Per place: the entities it mentions. Co-mention
    counts are computed once, on first use, from the places."""

    def __init__(self) -> None:
        self._rows: dict[str, list[Occurrence]] = defaultdict(list)
        self._notes: dict[str, Counter] = defaultdict(Counter)
        self._note_documents: dict[str, Any] = {}
        # The entities of each place, in the order first mentioned: a list, not a set (a few
        # slugs each; it is also what says a row was seen, so no set of (slug, path, place)
        # keys is kept beside it: 40 % of the index's memory). Rows with no place (body text
        # before any heading, outside numbered paragraphs) are remembered per document.
        self._by_place: dict[tuple[str, str], list[str]] = {}
        self._unplaced: set[tuple[str, str, str | None]] = set()
        self._pairs_cache: dict[str, Counter] | None = None

    def add(self, document, mentions: list[Mention]) -> None:
        path = document.source_path
        for mention in mentions:
            slug = mention.slug
            if mention.in_note:
                self._notes[slug][path] += 1
                self._note_documents[path] = document
                continue
            place = place_of(mention)
            if place:
                slugs = self._by_place.setdefault((path, place), [])
                if slug in slugs:
                    continue
                slugs.append(slug)
            else:
                if (slug, path, place) in self._unplaced:
                    continue
                self._unplaced.add((slug, path, place))
            self._rows[slug].append(Occurrence(document, mention))
        self._pairs_cache = None

    def count(self, slug: str) -> int:
        """Places in the documents' bodies that mention `slug` (rows of "Mentioned in")."""
        return len(self._rows.get(slug, ()))

    def note_count(self, slug: str) -> int:
        return sum(self._notes.get(slug, Counter()).values())

    def occurrences(self, slug: str) -> list[Occurrence]:
        return list(self._rows.get(slug, ()))

    def by_document(self, slug: str) -> list[tuple[Any, list[Occurrence]]]:
        """Rows of `slug` grouped by document, documents by date then title; one row per
        place, the first mention there."""
        groups: dict[str, list[Occurrence]] = {}
        for occurrence in self._rows.get(slug, ()):
            groups.setdefault(occurrence.document.source_path, []).append(occurrence)
        documents = [rows[0].document for rows in groups.values()]
        ordered = sorted(documents, key=lambda d: (d.date, d.title, d.source_path))
        return [(d, groups[d.source_path]) for d in ordered]

    def in_notes(self, slug: str) -> list[tuple[Any, int]]:
        """(document, how many names in its notes) for each document whose footnotes name
        `slug`, in the order of `by_document`."""
        counts = self._notes.get(slug)
        if not counts:
            return []
        documents = [self._note_documents[path] for path in counts]
        ordered = sorted(documents, key=lambda d: (d.date, d.title, d.source_path))
        return [(d, counts[d.source_path]) for d in ordered]

    def _pairs(self) -> dict[str, Counter]:
        """For each entity, how many places it shares with each other entity. A place costs
        the pairs of entities it names; nothing loops over pairs of entities."""
        if self._pairs_cache is None:
            pairs: dict[str, Counter] = defaultdict(Counter)
            for slugs in self._by_place.values():
                ordered = sorted(slugs)
                for i, a in enumerate(ordered):
                    for b in ordered[i + 1:]:
                        pairs[a][b] += 1
                        pairs[b][a] += 1
            self._pairs_cache = pairs
        return self._pairs_cache

    def co_mentions(self) -> list[tuple[str, str, int]]:
        """Every pair (a < b) with the number of places that mention both, sorted."""
        return sorted((a, b, n) for a, others in self._pairs().items()
                      for b, n in others.items() if a < b)

    def shared(self, a: str, b: str) -> int:
        return self._pairs().get(a, Counter()).get(b, 0)

    def related(self, slug: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Entities mentioned in the same places as `slug`, most frequent first."""
        counts = self._pairs().get(slug, Counter())
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit] if limit else ranked


@dataclass(frozen=True)
class Work:
    """A document an entity wrote or published, with how often the notes cite it."""

    document: Any
    citations: int  # citations of its paragraphs in other documents
    citing: int  # documents that cite it


class Works:
    """Authors and outlets of the documents (their `author` and `outlet` front-matter),
    matched to entities by name or alias, with citation counts from the build's citations."""

    def __init__(self, documents: list, surface_forms: dict[str, str], citations=()) -> None:
        counts: Counter = Counter()
        citing: dict[str, set[str]] = defaultdict(set)
        for citation in citations:
            cited, by = citation.reference.document, citation.document
            if getattr(by, "source_path", None) == cited.source_path:
                continue
            counts[cited.source_path] += 1
            citing[cited.source_path].add(by.source_path)
        self._by_role: dict[str, dict[str, list[Work]]] = {"author": defaultdict(list),
                                                           "outlet": defaultdict(list)}
        for document in documents:
            work = Work(document, counts[document.source_path],
                        len(citing[document.source_path]))
            author = getattr(getattr(document, "author", None), "name", None)
            outlet = getattr(document, "metadata", {}).get("outlet")
            for role, name in (("author", author), ("outlet", outlet)):
                slug = surface_forms.get(str(name)) if name else None
                if slug:
                    self._by_role[role][slug].append(work)

    def authored(self, slug: str) -> list[Work]:
        return self._by_role["author"].get(slug, [])

    def published(self, slug: str) -> list[Work]:
        return self._by_role["outlet"].get(slug, [])

    def citations(self, slug: str) -> int:
        """Citations of what `slug` wrote or published (each counted once)."""
        works = {w.document.source_path: w for w in [*self.authored(slug),
                                                     *self.published(slug)]}
        return sum(w.citations for w in works.values())

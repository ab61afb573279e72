"""Backlinks derived from mention records: where each entity is mentioned, and with whom.

Nothing here is stored in content files: every build recomputes it from the linker's records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from .linker import Mention


@dataclass(frozen=True, slots=True)  # one per mention: keep it small
class Occurrence:
    """A mention placed in its document."""

    document: Any  # the Pelican content object (a source or briefing note)
    mention: Mention

    @property
    def anchor(self) -> str:
        return f"#{self.mention.paragraph}" if self.mention.paragraph else ""

    @property
    def paragraph_number(self) -> int | None:
        paragraph = self.mention.paragraph
        return int(paragraph[2:]) if paragraph else None


class MentionIndex:
    """All mentions of a build, queryable by entity.

    Kept compactly (a build has ~40 mentions per document): per entity, two parallel lists
    of documents and mentions, turned into `Occurrence`s only when a page asks; per numbered
    paragraph, the tuple of entities it mentions."""

    def __init__(self) -> None:
        self._documents: dict[str, list] = defaultdict(list)
        self._mentions: dict[str, list[Mention]] = defaultdict(list)
        self._by_place: dict[tuple, tuple[str, ...]] = {}

    def add(self, document, mentions: list[Mention]) -> None:
        places: dict[str, set[str]] = {}
        for mention in mentions:
            self._documents[mention.slug].append(document)
            self._mentions[mention.slug].append(mention)
            if mention.paragraph:
                places.setdefault(mention.paragraph, set()).add(mention.slug)
        for paragraph, slugs in places.items():
            key = (document.source_path, paragraph)
            self._by_place[key] = tuple(sorted(slugs.union(self._by_place.get(key, ()))))

    def _pairs(self, slug: str):
        return zip(self._documents.get(slug, ()), self._mentions.get(slug, ()))

    def count(self, slug: str) -> int:
        return len(self._mentions.get(slug, ()))

    def occurrences(self, slug: str) -> list[Occurrence]:
        return [Occurrence(document, mention) for document, mention in self._pairs(slug)]

    def by_document(self, slug: str) -> list[tuple[Any, list[Occurrence]]]:
        """Mentions of `slug` grouped by document, documents by date then title, each group
        with one entry per paragraph (the first mention in that paragraph)."""
        groups: dict[str, list[Occurrence]] = {}
        documents = {}
        seen: set[tuple[str, str]] = set()
        for document, mention in self._pairs(slug):
            key = document.source_path
            documents[key] = document
            group = groups.setdefault(key, [])
            if mention.paragraph is None:
                group.append(Occurrence(document, mention))
            elif (key, mention.paragraph) not in seen:
                seen.add((key, mention.paragraph))
                group.append(Occurrence(document, mention))
        ordered = sorted(documents.values(), key=lambda d: (d.date, d.title, d.source_path))
        return [(d, groups[d.source_path]) for d in ordered]

    def related(self, slug: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Entities mentioned in the same paragraphs as `slug`, most frequent first."""
        counts: Counter[str] = Counter()
        places = {(document.source_path, mention.paragraph)
                  for document, mention in self._pairs(slug) if mention.paragraph}
        for place in places:
            for other in self._by_place.get(place, ()):
                if other != slug:
                    counts[other] += 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit] if limit else ranked

"""Backlinks derived from mention records: where each entity is mentioned, and with whom.

Nothing here is stored in content files: every build recomputes it from the linker's records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from .linker import Mention


@dataclass(frozen=True)
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
    """All mentions of a build, queryable by entity."""

    def __init__(self) -> None:
        self._by_entity: dict[str, list[Occurrence]] = defaultdict(list)
        self._by_place: dict[tuple, set[str]] = defaultdict(set)

    def add(self, document, mentions: list[Mention]) -> None:
        for mention in mentions:
            self._by_entity[mention.slug].append(Occurrence(document, mention))
            if mention.paragraph:
                self._by_place[(document.source_path, mention.paragraph)].add(mention.slug)

    def count(self, slug: str) -> int:
        return len(self._by_entity.get(slug, ()))

    def occurrences(self, slug: str) -> list[Occurrence]:
        return list(self._by_entity.get(slug, ()))

    def by_document(self, slug: str) -> list[tuple[Any, list[Occurrence]]]:
        """Mentions of `slug` grouped by document, documents by date then title, each group
        with one entry per paragraph (the first mention in that paragraph)."""
        groups: dict[str, list[Occurrence]] = defaultdict(list)
        documents = {}
        for occurrence in self._by_entity.get(slug, ()):
            key = occurrence.document.source_path
            documents[key] = occurrence.document
            group = groups[key]
            if occurrence.mention.paragraph is None or all(
                    o.mention.paragraph != occurrence.mention.paragraph for o in group):
                group.append(occurrence)
        ordered = sorted(documents.values(), key=lambda d: (d.date, d.title, d.source_path))
        return [(d, groups[d.source_path]) for d in ordered]

    def related(self, slug: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Entities mentioned in the same paragraphs as `slug`, most frequent first."""
        counts: Counter[str] = Counter()
        places = {(o.document.source_path, o.mention.paragraph)
                  for o in self._by_entity.get(slug, ()) if o.mention.paragraph}
        for place in places:
            for other in self._by_place[place]:
                if other != slug:
                    counts[other] += 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit] if limit else ranked

"""Citations of paragraphs of sources and briefing notes: `<slug>#p-<n>`, optionally with the
words relied on: `<slug>#p-19 "the seven-country CSTO"`.

The same form is used in `source:` fields of relations and events and (as `[@slug#p-n]` or
`[@slug#p-n "words"]`) in prose. A citation that looks like a paragraph reference must
resolve to a document on this site and to a paragraph it has now; its words, if given, must
be in that paragraph; and the paragraph must still say what it said when the citation was
recorded in the lock file (citation_lock.py). Ids are names written in the files
(paragraph_ids.py), so `p-19` is whatever paragraph carries `{#p-19}`, wherever it now is.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ..read.citation_lock import Lock, normalise
from ..core.errors import Coded, Problem, code_of

PARAGRAPH_REF = re.compile(r'^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#p-(?P<number>\d+)'
                           r'(?:\s+["“](?P<words>.*)["”])?$', re.S)
_LOOKS_CITED = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#p-\d+\b")
_SHORT = 90


def quoted(text: str) -> str:
    """A paragraph's text for a message: in quotation marks, long ones shortened."""
    text = " ".join(text.split())
    return f'"{text if len(text) <= 2 * _SHORT else text[:_SHORT] + " … " + text[-_SHORT:]}"'


@dataclass(frozen=True)
class Reference:
    text: str
    document: Any = None  # the cited Pelican article, if the text cites one
    paragraph: int | None = None
    words: str | None = None  # the words the citation relies on, if it gives them

    @property
    def anchor(self) -> str:
        return f"#p-{self.paragraph}" if self.paragraph else ""

    @property
    def label(self) -> str:
        if self.document is None:
            return self.text
        return f"{self.document.title}, ¶ {self.paragraph}"


def paragraphs(document: Any) -> dict[str, str]:
    """A document's paragraph texts by id, as the reader kept them from the parse."""
    return getattr(document, "paragraphs", None) or {}


class CitationIndex:
    """Resolves and checks citations against the documents (sources and briefing notes) of a
    build and, when given, the lock of cited texts."""

    def __init__(self, documents: list, lock: Lock | None = None,
                 content_path: str | None = None) -> None:
        self.documents = {doc.slug: doc for doc in documents}
        self.lock = lock
        self.content_path = content_path

    @classmethod
    def for_build(cls, documents: list, settings: dict) -> "CitationIndex":
        """The index a build checks against: with the lock of its content folder."""
        from ..read.citation_lock import load, lock_path
        return cls(documents, load(lock_path(settings)), settings["PATH"])

    def relative(self, document: Any) -> str:
        return os.path.relpath(document.source_path, self.content_path).replace(os.sep, "/")

    def resolve(self, text: str) -> Reference:
        match = PARAGRAPH_REF.match(text.strip()) if isinstance(text, str) else None
        if not match:
            return Reference(text)
        document = self.documents.get(match["slug"])
        return Reference(text, document, int(match["number"]), match["words"])

    def problem(self, text: str) -> str | None:
        """Why a paragraph citation does not hold, or None if it is fine or free text."""
        match = PARAGRAPH_REF.match(text.strip()) if isinstance(text, str) else None
        if not match:
            if isinstance(text, str) and _LOOKS_CITED.match(text.strip()):
                # "slug#p-19 (the CSTO's members)" would otherwise pass, unchecked, as free text
                return Coded(f"'{text.strip()}' starts like a paragraph citation but is not "
                             "one: write <slug>#p-<n>, optionally followed by the words relied "
                             'on in double quotes, e.g. slug#p-19 "the seven-country CSTO"',
                             "citation.malformed")
            return None
        shown = f"{match['slug']}#p-{match['number']}"
        document = self.documents.get(match["slug"])
        if document is None:
            return Coded(f"cites '{shown}', but no source or briefing note has the slug "
                         f"'{match['slug']}'", "citation.unknown-source")
        anchor = f"p-{int(match['number'])}"
        texts = paragraphs(document)
        entry = self.lock.documents.get(self.relative(document)) if self.lock else None
        if anchor not in texts:
            return self._missing(shown, anchor, document, texts, entry, match["words"])
        now = texts[anchor]
        words = match["words"]
        if words is not None:
            if not words.strip():
                return Coded(f"cites '{shown}' with empty quoted words; quote the words "
                             "relied on", "citation.empty-words")
            if normalise(words) not in normalise(now):
                return Coded(f"cites '{shown}' for the words {quoted(words)}, but {anchor} "
                             f"now reads {quoted(now)}; " + self._where(words, texts, anchor),
                             "citation.words-moved")
        if self.lock is None:
            return None
        recorded = entry.cited.get(anchor) if entry else None
        if recorded is None:
            return Coded(f"cites '{shown}', but the text of {anchor} is not yet recorded in "
                         f"{self.lock.path}; run `python -m research ids` (or `make ids`) and "
                         "commit the lock", "citation.unrecorded")
        if normalise(recorded) != normalise(now):
            moved = self._holder(recorded, texts)
            where = f"; the old text is now {moved}" if moved else ""
            return Coded(f"cites '{shown}', but {anchor} has changed since the citation was "
                         f"recorded: it was {quoted(recorded)} and is now {quoted(now)}{where}. "
                         "If the citation still holds, run `python -m research ids --confirm "
                         f"{self._path(document)}`; if not, correct the citation",
                         "citation.paragraph-changed")
        return None

    def _missing(self, shown, anchor, document, texts, entry, words) -> str:
        if entry is not None and (anchor in entry.removed or anchor in entry.order):
            removed = (f"cites '{shown}', but that paragraph was removed from "
                       f"{self._path(document)}")
            if words:
                return Coded(f"{removed}; {self._where(words, texts, anchor)}",
                             "citation.paragraph-removed")
            holder = self._holder(entry.cited.get(anchor), texts)
            moved = f"its old text is now {holder}; " if holder else ""
            return Coded(f"{removed}; {moved}cite the paragraph that holds the words relied "
                         "on, or remove the citation", "citation.paragraph-removed")
        ids = sorted(int(a[2:]) for a in texts)
        if ids and ids == list(range(1, len(ids) + 1)):
            return Coded(f"cites '{shown}', but '{document.slug}' has paragraphs p-1 to "
                         f"p-{len(ids)}", "citation.unknown-paragraph")
        return Coded(f"cites '{shown}', but '{document.slug}' has no paragraph {anchor}",
                     "citation.unknown-paragraph")

    @staticmethod
    def _holder(text: str | None, texts: dict[str, str]) -> str | None:
        if not text:
            return None
        wanted = normalise(text)
        found = [a for a, t in texts.items() if wanted in normalise(t)]
        return f"in {', '.join(found)}" if found else None

    def _where(self, words: str, texts: dict[str, str], anchor: str) -> str:
        wanted = normalise(words)
        found = [a for a, t in texts.items() if a != anchor and wanted in normalise(t)]
        if found:
            return f"the words are now in {' and '.join(found)}: cite that paragraph"
        return "the words occur in no paragraph of it: copy them from the text as it is now"

    def _path(self, document: Any) -> str:
        from ..read.reader import display_path
        return display_path(document.source_path)

    def __call__(self, text: str) -> Reference:
        return self.resolve(text)


# --- citations in editorial notes (`note:` of an entity or a row) -----------------------------

_BRACKET = re.compile(r"\[@((?:[^\]\"“”]|[\"“][^\"”]*[\"”])*)\]")


def note_citations(note: Any) -> list[tuple[str, list[str], str | None]]:
    """The `[@slug#p-n]` brackets of a note: (as written, items, what is wrong)."""
    from ..read.cite_syntax import parse_items

    if not isinstance(note, str) or "[@" not in note:
        return []
    return [(match[0], *parse_items("@" + match[1])) for match in _BRACKET.finditer(note)]


def check_notes(registry, index: CitationIndex) -> list[Problem]:
    """Citations in editorial notes are checked like any other (they render as links on
    the page, see markdown.render_inline)."""
    problems = []
    places = [(entity.path, "note", entity.note) for entity in registry.entities.values()]
    places += [(row.path, f"{row.where}.note", row.note)
               for row in [*registry.memberships, *registry.positions, *registry.recognitions]]
    for path, where, note in places:
        for written, items, error in note_citations(note):
            if error:
                problems.append(Problem(path, f"malformed citation '{written}': {error}",
                                        field=where, code="citation.malformed"))
            problems += [Problem(path, why, field=where, code=code_of(why, "citation.invalid"))
                         for item in items
                         if (why := index.problem(item))]
    return problems

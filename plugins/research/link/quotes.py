"""Quotations as data: the `quotes:` front-matter of a source, checked against its text.

```yaml
quotes:
  - speaker: sergei-lavrov      # slug of a person entity
    words: "gives clear answers to all questions."
    paragraph: 11               # the paragraph (p-11) the words occur in, verbatim
    note: on the CSTO foreign ministers' statement    # optional
```

Part of the cross-document step: the speaker must be a person entity, the paragraph must
exist, and the words must occur in that paragraph's text (whitespace and the kinds of
quotes, apostrophes and dashes aside); if they are now in another paragraph, the message
says which. Paragraph texts come from the reader (the `paragraphs` metadata), not the HTML. Person pages list what each person is quoted as saying.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..read.citation_lock import normalise
from .citations import paragraphs, quoted
from ..core.errors import Problem
from ..read.reader import field_problems

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Quote:
    speaker: str  # person slug
    words: str
    paragraph: int
    note: str
    document: Any  # the quoting document (a source)
    where: str  # field path, e.g. quotes[2]

    @property
    def anchor(self) -> str:
        return f"#p-{self.paragraph}"


class QuoteIndex:
    """The quotations of a build, by speaker."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = list(quotes)
        self._by_speaker: dict[str, list[Quote]] = defaultdict(list)
        for quote in self.quotes:
            self._by_speaker[quote.speaker].append(quote)

    def by_speaker(self, slug: str) -> list[Quote]:
        """What `slug` is quoted as saying, in document order (date, title) then paragraph."""
        return sorted(self._by_speaker.get(slug, ()), key=lambda q: (
            str(getattr(q.document, "date", "")), q.document.title, q.paragraph))


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def paragraph_texts(document: Any) -> dict[int, str]:
    """The plain text of each numbered paragraph, by number, as the reader kept it."""
    return {int(anchor[2:]): text for anchor, text in paragraphs(document).items()}


def read_quotes(document: Any, registry) -> tuple[list[Quote], list[Problem]]:
    """Validate one document's `quotes:` against the registry and its own text."""
    raw = getattr(document, "quotes", None)
    if raw is None:
        return [], []
    problem = field_problems(document, "quotes")

    if not isinstance(raw, list):
        return [], [problem("quotes", "must be a list of quotations, each with speaker, "
                                      "words and paragraph", "type.list")]
    texts = paragraph_texts(document)
    quotes, problems = [], []
    for index, item in enumerate(raw):
        where = f"quotes[{index}]"
        if not isinstance(item, dict):
            problems.append(problem(where, "must be a mapping with speaker, words, paragraph",
                                    "type.row"))
            continue
        errors_before = len(problems)
        unknown = sorted(set(item) - {"speaker", "words", "paragraph", "note"})
        if unknown:
            problems.append(problem(where, f"unknown field(s) {', '.join(unknown)}; use "
                                           "speaker, words, paragraph and note",
                                    "field.unknown"))
        speaker, words, number = item.get("speaker"), item.get("words"), item.get("paragraph")
        note = item.get("note") or ""
        entity = registry.entities.get(speaker) if isinstance(speaker, str) else None
        if not isinstance(speaker, str) or not speaker.strip():
            problems.append(problem(f"{where}.speaker", "is required: the slug of a person",
                                    "field.required"))
        elif entity is None:
            problems.append(problem(f"{where}.speaker", f"unknown person '{speaker}': no entity "
                                    "file has this slug", "reference.unknown"))
        elif entity.type != "person":
            problems.append(problem(f"{where}.speaker", f"'{speaker}' is {_a(entity.type)}; "
                                    "a speaker must be a person", "reference.type"))
        if isinstance(number, str) and re.fullmatch(r"(?:p-)?\d+", number.strip()):
            number = int(number.strip().removeprefix("p-"))
        if isinstance(number, bool) or not isinstance(number, int):
            problems.append(problem(f"{where}.paragraph", "must be a paragraph number, e.g. 11",
                                    "type.paragraph"))
            number = None
        elif number not in texts:
            ids = sorted(texts)
            has = (f"this document has p-1 to p-{len(ids)}" if ids == list(
                range(1, len(ids) + 1)) else "this document has no such paragraph id")
            problems.append(problem(f"{where}.paragraph", f"there is no paragraph p-{number}; "
                                    + has + _elsewhere(words, texts, number),
                                    "quote.unknown-paragraph"))
            number = None
        if not isinstance(words, str) or not words.strip():
            problems.append(problem(f"{where}.words", "is required: the quoted words, verbatim",
                                    "field.required"))
        elif number is not None and normalise(words) not in normalise(texts[number]):
            moved = _elsewhere(words, texts, number)
            problems.append(problem(f"{where}.words", f"'{words.strip()}' does not occur "
                                    f"verbatim in paragraph p-{number}, which now reads "
                                    f"{quoted(texts[number])}" + (moved or "; copy the words "
                                    "from the text (without the quotation marks)"),
                                    "quote.words-missing"))
        if not isinstance(note, str):
            problems.append(problem(f"{where}.note", "must be text", "type.text"))
        if len(problems) == errors_before:
            quotes.append(Quote(speaker, _SPACE.sub(" ", words.strip()), number, note.strip(),
                                document, where))
    return quotes, problems


def _elsewhere(words: Any, texts: dict[int, str], number: int | None) -> str:
    """"; the words are now in p-20: set paragraph: 20", if they moved."""
    if not isinstance(words, str) or not words.strip():
        return ""
    found = [n for n, text in sorted(texts.items())
             if n != number and normalise(words) in normalise(text)]
    if not found:
        return ""
    return (f"; the words are now in p-{found[0]}: set paragraph: {found[0]}" if len(found) == 1
            else f"; the words are now in {', '.join(f'p-{n}' for n in found)}")


def collect_quotes(documents: list, registry) -> tuple[QuoteIndex, list[Problem]]:
    """Every quotation of the build, and every problem with them."""
    quotes, problems = [], []
    for document in documents:
        found, wrong = read_quotes(document, registry)
        quotes += found
        problems += wrong
    return QuoteIndex(quotes), problems

"""Citations of paragraphs of sources: `<source-slug>#p-<n>`.

The same form is used in `source:` fields of relations and (as `[@slug#p-n]`) in the prose of
briefing notes. A citation that looks like a paragraph reference must resolve to a document on
this site and to a paragraph that exists, or the build fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PARAGRAPH_REF = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#p-(?P<number>\d+)$")


@dataclass(frozen=True)
class Reference:
    text: str
    document: Any = None  # the cited Pelican article, if the text cites one
    paragraph: int | None = None

    @property
    def anchor(self) -> str:
        return f"#p-{self.paragraph}" if self.paragraph else ""

    @property
    def label(self) -> str:
        if self.document is None:
            return self.text
        return f"{self.document.title}, ¶ {self.paragraph}"


class CitationIndex:
    """Resolves citations against the documents (sources and briefing notes) of a build."""

    def __init__(self, documents: list) -> None:
        self.documents = {doc.slug: doc for doc in documents}

    def resolve(self, text: str) -> Reference:
        match = PARAGRAPH_REF.match(text.strip()) if isinstance(text, str) else None
        if not match:
            return Reference(text)
        document = self.documents.get(match["slug"])
        return Reference(text, document, int(match["number"]))

    def problem(self, text: str) -> str | None:
        """Why a paragraph citation does not resolve, or None if it is fine or free text."""
        match = PARAGRAPH_REF.match(text.strip()) if isinstance(text, str) else None
        if not match:
            return None
        document = self.documents.get(match["slug"])
        if document is None:
            return (f"cites '{text}', but no source or briefing note has the slug "
                    f"'{match['slug']}'")
        count = getattr(document, "paragraph_count", 0)
        if not 1 <= int(match["number"]) <= count:
            return (f"cites '{text}', but '{match['slug']}' has paragraphs p-1 to p-{count}")
        return None

    def __call__(self, text: str) -> Reference:
        return self.resolve(text)

"""Resolve `[@slug#p-n]` placeholders into links, and derive "Cited by" lines from them.

Part of the cross-document step (called once from crosslink.link_site). The reader left a
placeholder for each bracket (see cite_syntax.py); here, with every document of the build in
hand, each one becomes a link to the cited paragraph with a readable label ("Goodenough 2008,
¶ 7" for a source, the title for a briefing note), or a Problem naming the file and line.

The citations found are kept as records (`Citation`); `CitedBy` derives, for each paragraph
of each document, the documents (and their paragraphs) that cite it. Nothing is stored in
content files: every build recomputes it.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from ..core import types
from ..read import citation_lock, frontmatter
from ..core.cites import Cite, parse_text
from ..core.contract import author_label
from .citations import CitationIndex, Reference
from ..read.cite_syntax import FIND, HOW
from ..core.errors import ContentError, Problem, code_of
from ..read.reader import display_path
from . import notes, refs_check

_PARAGRAPH = r'<p id="{anchor}">.*?</p>'


@dataclass(frozen=True)
class Citation:
    """One `slug#p-n` written in one document."""

    document: Any  # the citing content object (a source, briefing note or entity page)
    paragraph: str | None  # id of the citing paragraph ("p-3"), if it is a numbered one
    reference: Reference  # the cited document and paragraph

    @property
    def paragraph_number(self) -> int | None:
        return int(self.paragraph[2:]) if self.paragraph else None


@dataclass(frozen=True)
class KeyCitation:
    """One `[@key, locator]` of the bibliography written in one document."""

    document: Any
    paragraph: str | None
    cite: Cite


def _key_link(cite: Cite, bibliography, separator: str) -> str:
    """"CSTO 2002, art. 16", linking to the entry in the page's own list of references."""
    shown = bibliography.citation_text(cite)
    title = (f' title="{html.escape("“" + " ".join(cite.quote.split()) + "”")}"'
             if cite.quote else "")
    return (f'{separator}<a class="ref-cite" href="#ref-{html.escape(cite.key)}"{title}>'
            f'{html.escape(shown, quote=False)}</a>')


def label(document: Any, number: int) -> str:
    """"Goodenough 2008, ¶ 7" for a source with an author, else "<title>, ¶ 7"."""
    return f"{short_name(document)}, ¶ {number}"


def short_name(document: Any) -> str:
    category = getattr(getattr(document, "category", None), "slug", "")
    author = getattr(document, "author", None)
    author_name = getattr(author, "name", author)
    date = getattr(document, "date", None)
    kind = types.of(getattr(document, "settings", None)).document_by_category(category)
    if kind is not None and kind.citation_label == "author-year" and author_name \
            and date is not None:
        return f"{author_label(document)} {date.year}"  # "Goodenough 2008", "SCO 2008"
    return document.title


def href(document: Any, anchor: str = "") -> str:
    # `relative_source_path` is what get_relative_source_path() returns, computed once by
    # Pelican when the content object is made (a relpath per citation was a hot spot).
    path = getattr(document, "relative_source_path", None) or \
        document.get_relative_source_path()
    return "{filename}/" + path + anchor


def _line(document: Any, body_line: int | None) -> int | None:
    """The line in the file: the body's first line (the reader's source map) plus the
    placeholder's line in the body."""
    where = frontmatter.source_map(document)
    return where.body(body_line) if where is not None else None


def resolve(document: Any, rendered: str, index: CitationIndex, bibliography=None,
            keyed: list | None = None) -> tuple[str, list[Citation], list[Problem]]:
    """Replace the placeholders in one document's HTML; return the HTML, citations, problems.
    What each bracket says is the reader's record of it (`cite_placeholders`,
    read/cite_syntax.Placeholder); the HTML is only searched for where each one goes.
    Citations of the bibliography (`[@key]`) are appended to `keyed`."""
    keyed = [] if keyed is None else keyed
    citations: list[Citation] = []
    problems: list[Problem] = []
    placeholders = getattr(document, "cite_placeholders", None) or ()
    if not placeholders:
        return rendered, citations, problems
    path = display_path(document.source_path)

    def replace(match: re.Match) -> str:
        placeholder = placeholders[int(match[1])]
        if placeholder.error:
            problems.append(Problem(path, f"malformed citation '{placeholder.written}': "
                                    f"{placeholder.error}; {HOW}",
                                    line=_line(document, placeholder.line),
                                    code="citation.malformed"))
            return match[0]
        paragraph = placeholder.paragraph
        links, previous = [], None
        for text in placeholder.items:
            if "#p-" not in text.split('"', 1)[0]:  # a reference of the bibliography
                cite, _ = parse_text(text)
                why = refs_check.key_problem(cite.key, bibliography, index.documents)
                if why:
                    problems.append(Problem(path, why, line=_line(document, placeholder.line),
                                            code=why.code))
                    continue
                keyed.append(KeyCitation(document, paragraph, cite))
                links.append(_key_link(cite, bibliography, "; " if links else ""))
                previous = cite.key
                continue
            why = index.problem(text)
            if why:
                problems.append(Problem(path, why, line=_line(document, placeholder.line),
                                        code=code_of(why, "citation.invalid")))
                continue
            reference = index.resolve(text)
            citations.append(Citation(document, paragraph, reference))
            links.append(_link(reference, previous if not isinstance(previous, str) else None,
                               bool(links)))
            previous = reference.document
        return f'<span class="para-cites">[{"".join(links)}]</span>'

    return FIND.sub(replace, rendered), citations, problems


def _link(reference: Reference, previous: Any, after: bool = False) -> str:
    """One citation of a bracket: "Goodenough 2008, ¶ 7", or after a citation of the same
    document just ", 19" ("[Goodenough 2008, ¶ 7, 19]"); the words relied on, if given, as
    the link's title."""
    target = html.escape(href(reference.document, reference.anchor))
    same = previous is reference.document
    shown = str(reference.paragraph) if same else label(reference.document, reference.paragraph)
    title = (f' title="{html.escape("“" + " ".join(reference.words.split()) + "”")}"'
             if reference.words else "")
    aria = (f' aria-label="{html.escape(label(reference.document, reference.paragraph))}"'
            if same else "")
    separator = ", " if same else ("; " if previous is not None or after else "")
    return (f'{separator}<a class="para-cite" href="{target}"{title}{aria}>'
            f'{html.escape(shown, quote=False)}</a>')


class CitedBy:
    """Which documents cite which paragraph, derived from the citations of a build."""

    def __init__(self, citations: Iterable[Citation]) -> None:
        self.citations = list(citations)
        self._by_place: dict[tuple[str, int], list[Citation]] = defaultdict(list)
        # The cited paragraphs of each document, so that asking costs that document's
        # citations, not every citation of the site (asked once per document).
        self._cited: dict[str, set[int]] = defaultdict(set)
        for citation in self.citations:
            ref = citation.reference
            self._by_place[(ref.document.source_path, ref.paragraph)].append(citation)
            self._cited[ref.document.source_path].add(ref.paragraph)

    def cited_paragraphs(self, document: Any) -> list[int]:
        return sorted(self._cited.get(document.source_path, ()))

    def of(self, document: Any, number: int) -> list[tuple[Any, list[int]]]:
        """The documents citing paragraph `number` of `document`, each with the numbers of its
        citing paragraphs (empty if it cites from outside a numbered paragraph); ordered by
        date, then title."""
        groups: dict[str, tuple[Any, set[int]]] = {}
        for citation in self._by_place.get((document.source_path, number), ()):
            citing = citation.document
            _, numbers = groups.setdefault(citing.source_path, (citing, set()))
            if citation.paragraph_number:
                numbers.add(citation.paragraph_number)
        ordered = sorted(groups.values(), key=lambda group: (  # documents, then entity pages
            getattr(group[0], "date", None) is None, str(getattr(group[0], "date", "")),
            group[0].title, group[0].source_path))
        return [(citing, sorted(numbers)) for citing, numbers in ordered]


def cited_by_markup(entries: list[tuple[Any, list[int]]]) -> str:
    """A compact marker after a cited paragraph: "Cited by 3", which opens (click, tap or
    keyboard; no script) on the list `<a>Note</a> (¶ <a>2</a>, <a>5</a>); ...`. A line of
    titles after nearly every paragraph of the article drowned its text."""
    parts = []
    for citing, numbers in entries:
        title = html.escape(citing.title, quote=False)
        part = f'<a href="{html.escape(href(citing))}">{title}</a>'
        if numbers:
            anchors = ", ".join(f'<a href="{html.escape(href(citing, f"#p-{n}"))}" '
                                f'aria-label="{html.escape(citing.title)}, paragraph {n}">{n}</a>'
                                for n in numbers)
            part += f" (¶ {anchors})"
        parts.append(part)
    return ('<details class="cited-by" data-pagefind-ignore><summary><span '
            f'class="cited-by-label">Cited by</span> {len(entries)}</summary><p>'
            f'{"; ".join(parts)}</p></details>')


def add_cited_by(document: Any, rendered: str, cited_by: CitedBy) -> str:
    """Insert a "Cited by" marker after each cited paragraph of one document's HTML."""
    for number in cited_by.cited_paragraphs(document):
        pattern = re.compile(_PARAGRAPH.format(anchor=f"p-{number}"), re.S)
        match = pattern.search(rendered)
        if match is None:
            continue
        markup = cited_by_markup(cited_by.of(document, number))
        rendered = rendered[: match.end()] + "\n" + markup + rendered[match.end():]
    return rendered


_NUMBERED = re.compile(r'<p id="(p-\d+)">')


def check_ids(documents: list, index: CitationIndex) -> list[Problem]:
    """Every document's paragraph ids against the lock: recorded, and none reused."""
    if index.lock is None:
        return []
    problems = []
    for document in documents:
        order = list(getattr(document, "paragraphs", None) or ())
        problems += citation_lock.check_document(
            index.lock, index.relative(document), display_path(document.source_path), order,
            getattr(document, "paragraph_lines", None) or {})
    return problems


def add_tombstones(document: Any, rendered: str, index: CitationIndex) -> str:
    """Keep the old URL of each removed paragraph working: an empty anchor with its id just
    before the paragraph it lands on (the next one left, as recorded in the lock)."""
    entry = index.lock.documents.get(index.relative(document)) if index.lock else None
    if entry is None:
        return rendered
    present = set(getattr(document, "paragraphs", None) or ())
    gone = sorted({*entry.removed, *(a for a in entry.order if a not in present)},
                  key=lambda a: int(a[2:]))
    landing: dict[str, list[str]] = defaultdict(list)
    for anchor in gone:
        to = entry.landing(anchor, present)
        if to is not None:
            landing[to].append(anchor)
    if not landing:
        return rendered

    def mark(match: re.Match) -> str:
        anchors = landing.get(match[1], ())
        spans = "".join(f'<span class="tombstone" id="{a}"></span>' for a in anchors)
        return spans + match[0]

    return _NUMBERED.sub(mark, rendered)


def resolve_site(documents: list, pages: list, index: CitationIndex, html: dict[int, str],
                 bibliography=None, keyed: list | None = None
                 ) -> tuple[CitedBy, dict[int, list[Citation]], list[Problem]]:
    """Resolve citations in the HTML of every document and entity page (`html`, by the
    content's id: updated in place), then add "Cited by" lines to the cited documents, and
    turn a briefing note's citations and footnotes into one series of numbered notes
    (notes.py). Returns the index, each content's own citations (by id) and the problems
    found; citations of the bibliography are appended to `keyed`."""
    keyed = [] if keyed is None else keyed
    citations: list[Citation] = []
    own: dict[int, list[Citation]] = {}
    problems: list[Problem] = check_ids(documents, index)
    for content in [*documents, *pages]:
        rendered, found, wrong = resolve(content, html[id(content)], index, bibliography, keyed)
        html[id(content)] = rendered
        own[id(content)] = found
        citations += found
        problems += wrong
    cited_by = CitedBy(citations)
    if not problems:
        for document in documents:
            html[id(document)] = add_tombstones(
                document, add_cited_by(document, html[id(document)], cited_by), index)
            if getattr(getattr(document, "category", None), "slug", "") == "briefings":
                html[id(document)] = notes.numbered(html[id(document)])
    return cited_by, own, problems

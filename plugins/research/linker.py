"""Find and link mentions of known entities in rendered HTML, recording each one.

One pass per document over every name at once (an Aho-Corasick automaton of all names and
aliases), so linking N documents against M entities costs the size of the documents, not N x M
regex scans. Rules:

- Names and aliases match case-sensitively, as whole words: the characters either side must
  not be letters, digits or `_`. So "Russia’s" and "Russian-backed" match, "Georgian" does not
  match "Georgia". Straight and curly apostrophes are treated alike.
- The longest match wins, leftmost first: "South Ossetia" is never read as "Ossetia".
- Nothing is linked inside links, code, headings, or `[text]{.nolink}` spans.
- `[text]{entity=slug}` forces a link from `text` to the entity `slug`.
- Which mentions become links is a policy (setting ENTITY_LINK_POLICY): `first-in-paragraph`
  (default), `first-in-document` or `all`. Every mention is recorded whatever the policy.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

import ahocorasick

from .normalise import APOSTROPHES as _APOSTROPHES, fold_apostrophes

POLICIES = ("first-in-paragraph", "first-in-document", "all")
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
                  re.S)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_NO_LINKS = {"a", "code", "pre", "script", "style", "kbd", "samp", "h1", "h2", "h3", "h4",
             "h5", "h6", "svg", "math"}
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption", "caption"}
_NOT_PROSE = {"pilcrow", "footnote-ref", "footnote-backref", "para-cite"}
_SENTENCE_END = re.compile(r"(?<=[.!?])([”\"’)\]]*)\s+(?=[^a-z])")


@dataclass(frozen=True, slots=True)  # slots: a site has ~40 mentions per document
class Mention:
    """One occurrence of an entity's name in a document."""

    slug: str
    text: str
    paragraph: str | None  # the id of the numbered paragraph, e.g. "p-7"
    sentence: str
    start: int  # the mention's offsets inside `sentence`
    end: int
    linked: bool

    @property
    def before(self) -> str:
        return self.sentence[: self.start]

    @property
    def after(self) -> str:
        return self.sentence[self.end:]


@dataclass(frozen=True, slots=True)
class UnknownEntity:
    slug: str
    text: str


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _attributes(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(raw)}


class Linker:
    """Holds the automaton of every name; `link()` processes one document."""

    def __init__(self, surface_forms: dict[str, str], policy: str = "first-in-paragraph"):
        if policy not in POLICIES:
            raise ValueError(f"ENTITY_LINK_POLICY must be one of {', '.join(POLICIES)}")
        self.policy = policy
        self.known = set(surface_forms.values())
        self._automaton = ahocorasick.Automaton()
        # One string object per surface form and per slug for all mentions of a build.
        self.strings: dict[str, str] = {}
        for form, slug in surface_forms.items():
            key = form.translate(_APOSTROPHES)
            self._automaton.add_word(key, (self.strings.setdefault(slug, slug), len(key)))
        self._empty = not surface_forms
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Whole-word, leftmost-longest, non-overlapping matches in plain text."""
        if self._empty or not text:
            return []
        normal = fold_apostrophes(text)  # as the registry compares aliases (normalise.py)
        candidates = []
        size = len(normal)
        for end_index, (slug, length) in self._automaton.iter(normal):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and ((char := normal[start - 1]).isalnum() or char == "_"):
                continue
            if end < size and ((char := normal[end]).isalnum() or char == "_"):
                continue
            candidates.append((start, -end, slug))
        candidates.sort()
        matches, reached = [], 0
        for start, negative_end, slug in candidates:
            if start >= reached:
                matches.append((start, -negative_end, slug))
                reached = -negative_end
        return matches

    def link(self, document: str, href: Callable[[str], str], entity_class: Callable[[str], str],
             self_slug: str | None = None) -> tuple[str, list[Mention], list[UnknownEntity]]:
        """Link mentions in one HTML document; returns new HTML, mentions, unknown forced slugs."""
        return _DocumentPass(self, href, entity_class, self_slug).run(document)


class _DocumentPass:
    """The state of linking one document: open elements, current block, what was linked."""

    def __init__(self, linker: Linker, href, entity_class, self_slug) -> None:
        self.linker, self.href, self.entity_class, self.self_slug = (
            linker, href, entity_class, self_slug)
        self.out: list[str] = []
        # tag, no-links, not-prose, forced; the flags hold for the element or any ancestor
        self.stack: list[tuple[str, bool, bool, bool]] = []
        self.mentions: list[Mention] = []
        self.unknown: list[UnknownEntity] = []
        self.linked_in_document: set[str] = set()
        self.linked_in_block: set[str] = set()
        self.block_depth = 0
        self.block_id: str | None = None
        self.block_text: list[str] = []
        self.block_length = 0
        self.pending: list[tuple[str, str, int, int, bool]] = []  # slug, text, start, end, linked
        self.forced: list[str] | None = None  # text of a forced link being read

    # -- state ----------------------------------------------------------------------------

    def no_links(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def not_prose(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def push(self, name: str, no_links: bool, not_prose: bool, forced) -> None:
        if self.stack:  # inherit the enclosing element's flags
            _, outer_no_links, outer_not_prose, _ = self.stack[-1]
            no_links, not_prose = no_links or outer_no_links, not_prose or outer_not_prose
        self.stack.append((name, no_links, not_prose, forced))

    def run(self, document: str):
        position = 0
        for match in _TAG.finditer(document):
            self.text(document[position: match.start()])
            self.tag(match)
            position = match.end()
        self.text(document[position:])
        self.close_block()
        return "".join(self.out), self.mentions, self.unknown

    def tag(self, match: re.Match) -> None:
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name:  # a comment
            self.out.append(match.group(0))
            return
        if closing:
            self.close(name, match.group(0))
        else:
            self.open(name, match.group(3) or "", match.group(0))

    def open(self, name: str, raw_attributes: str, raw: str) -> None:
        attributes = _attributes(raw_attributes) if "=" in raw_attributes else {}
        classes = set(attributes.get("class", "").split())
        if name in _BLOCKS and self.block_depth == 0:
            self.start_block(attributes.get("id"))
        if name in _BLOCKS:
            self.block_depth += 1
        forced = name == "span" and "entity" in attributes
        if forced:
            slug = attributes["entity"]
            if slug not in self.linker.known:
                self.unknown.append(UnknownEntity(slug, ""))
                self.push(name, True, False, False)
                self.out.append("<span>")
                return
            self.forced = []
            self.should_link(slug)  # a forced link counts as the first link for the policy
            self.out.append(f'<a class="{self.entity_class(slug)}" href="{self.href(slug)}"'
                            f' data-entity="{slug}">')
            self.push(name, True, False, slug)
            return
        if name in _VOID or raw.endswith("/>"):
            self.out.append(raw)
            return
        no_links = name in _NO_LINKS or "nolink" in classes
        self.push(name, no_links, bool(classes & _NOT_PROSE), False)
        self.out.append(raw)

    def close(self, name: str, raw: str) -> None:
        # Pop to the matching element; markdown-it's output is well formed.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == name:
                entry = self.stack.pop(index)
                del self.stack[index:]
                break
        else:
            entry = None
        if entry is not None and entry[3]:
            text = "".join(self.forced or [])
            self.record(entry[3], text, self.block_length - len(text), self.block_length,
                        linked=True)
            self.forced = None
            self.out.append("</a>")
        else:
            self.out.append(raw)
        if name in _BLOCKS:
            self.block_depth = max(0, self.block_depth - 1)
            if self.block_depth == 0:
                self.close_block()

    # -- text -----------------------------------------------------------------------------

    def text(self, raw: str) -> None:
        if not raw:
            return
        plain = html.unescape(raw) if "&" in raw else raw
        prose = not self.not_prose()
        if self.forced is not None:
            self.forced.append(plain)
        if self.no_links() or raw.isspace():  # (no name is only white space)
            self.out.append(raw)
            if prose:
                self.add_text(plain)
            return
        position = 0
        pieces = []
        for start, end, slug in self.linker.find(plain):
            if slug == self.self_slug:
                continue
            pieces.append(html.escape(plain[position:start], quote=False))
            surface = plain[start:end]
            surface = self.linker.strings.setdefault(surface, surface)
            linked = self.should_link(slug)
            offset = self.block_length + start
            self.record(slug, surface, offset, offset + len(surface), linked)
            escaped = html.escape(surface, quote=False)
            if linked:
                pieces.append(f'<a class="{self.entity_class(slug)}" href="{self.href(slug)}">'
                              f"{escaped}</a>")
            else:
                pieces.append(escaped)
            position = end
        if pieces:
            pieces.append(html.escape(plain[position:], quote=False))
            self.out.append("".join(pieces))
        else:
            self.out.append(raw)
        if prose:
            self.add_text(plain)

    def add_text(self, plain: str) -> None:
        self.block_text.append(plain)
        self.block_length += len(plain)

    def should_link(self, slug: str) -> bool:
        policy = self.linker.policy
        if policy == "all":
            return True
        seen = self.linked_in_block if policy == "first-in-paragraph" else self.linked_in_document
        if slug in seen:
            return False
        seen.add(slug)
        self.linked_in_document.add(slug)
        return True

    # -- blocks and sentences -------------------------------------------------------------

    def start_block(self, block_id: str | None) -> None:
        self.close_block()
        self.block_id = block_id if block_id and block_id.startswith("p-") else None

    def record(self, slug, text, start, end, linked) -> None:
        self.pending.append((slug, text, start, end, linked))

    def close_block(self) -> None:
        if self.pending:
            text = "".join(self.block_text)
            spans = _sentence_spans(text)
            starts = [a for a, _ in spans]
            stripped: dict[int, tuple[str, int, bool]] = {}  # per sentence, made once
            for slug, surface, start, end, linked in self.pending:
                index = bisect_right(starts, start) - 1  # the sentence holding the mention
                first, last = spans[index] if index >= 0 and start < spans[index][1] else (
                    0, len(text))
                if first not in stripped:
                    raw = text[first:last]
                    clean = raw.strip()
                    stripped[first] = (clean, len(raw) - len(raw.lstrip()),
                                       _NEEDS_TIDY.search(clean) is not None)
                sentence, leading, untidy = stripped[first]
                begin = max(0, start - first - leading)
                finish = min(len(sentence), begin + len(surface))
                if untidy:
                    # Text left out of prose (citations, footnote marks) leaves gaps: close
                    # them. (A tidy sentence has tidy parts: its string is shared instead.)
                    before, after = _tidy(sentence[:begin]), _tidy(sentence[finish:])
                    sentence = before + sentence[begin:finish] + after
                    begin, finish = len(before), len(before) + finish - begin
                self.mentions.append(Mention(slug, surface, self.block_id, sentence,
                                             begin, finish, linked))
        self.pending = []
        self.block_text = []
        self.block_length = 0
        self.linked_in_block = set()
        self.block_id = None


def _tidy(text: str) -> str:
    return _GAP_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", text))


_SPACES = re.compile(r"[ \t\n]{2,}")
_GAP_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_NEEDS_TIDY = re.compile(r"[ \t\n]{2}|\s[.,;:!?]")  # what _tidy would change


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        # the closing quote or bracket after the full stop belongs to the sentence
        spans.append((start, match.start() + len(match.group(1))))
        start = match.end()
    spans.append((start, len(text)))
    return spans

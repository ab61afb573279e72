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
- Which mentions become links is a policy (setting ENTITY_LINK_POLICY): `first-in-section`
  (the site's default: the first mention after each heading), `first-in-paragraph`,
  `first-in-document` or `all`. Every mention is recorded whatever the policy.
- Adjectives, demonyms and metonyms ("Russian", "Chinese", "Kremlin": `adjectives`) are
  recorded as mentions but linked only if `link_adjectives` is set.
- Footnotes are not the body of a document: a name there is recorded as a note mention
  (`in_note`), never linked, and never counted as a paragraph mention. Nothing inside `<cite>`
  (a cited title) is read at all.
- `phrases` are names of other things that contain an entity's name ("Civil Georgia", "Voice
  of Russia"): they take part in the leftmost-longest match, so they claim their words, and
  are then dropped: they are neither mentions nor links.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

import ahocorasick

from ..core.normalise import fold_apostrophes

POLICIES = ("first-in-section", "first-in-paragraph", "first-in-document", "all")
PHRASE = ""  # the "slug" of a recorded phrase: it claims its words and is then dropped
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
                  re.S)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_NO_LINKS = {"a", "code", "pre", "script", "style", "kbd", "samp", "svg", "math", "cite",
             *_HEADINGS}
_NOTES = {"footnotes", "footnotes-list", "footnote-item"}  # markdown-it's footnote classes
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption", "caption"}
_NOT_PROSE = {"pilcrow", "footnote-ref", "footnote-backref", "para-cite"}
_SENTENCE_END = re.compile(r"(?<=[.!?])([”\"’)\]]*)\s+(?=[^a-z])")
# A full stop after these does not end a sentence: titles, and initials or initialisms
# ("U.S.", "S. Ossetia", "S.Ossetia"), checked on the word before the full stop.
ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Adm", "Sgt", "Gov", "Sen",
    "Rep", "Pres", "Prof", "Rev", "St", "Jr", "Sr", "No", "Nos", "Vol", "vs", "cf", "e.g",
    "i.e", "etc", "approx", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov",
    "Dec", "Corp", "Inc", "Ltd", "Co", "Mt", "Ft"})
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]$")


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
    in_note: bool = False  # in the footnotes, not the body
    # Where a reader is sent: the paragraph's id, else (a list item or a table cell of the
    # body) the id of the heading of its section; None before any heading or in a note.
    anchor: str | None = None
    section: str | None = None  # that heading's text, when `anchor` is a heading's

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


def normalise_text(text: str) -> str:
    """The one normalisation names and text share before matching: apostrophes made
    straight, as the registry compares aliases (normalise.py). Offsets are kept: every
    replacement is one character for one."""
    return fold_apostrophes(text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _attributes(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(raw)}


class Linker:
    """Holds the automaton of every name; `link()` processes one document."""

    def __init__(self, surface_forms: dict[str, str], policy: str = "first-in-paragraph",
                 *, phrases=(), adjectives=(), link_adjectives: bool = False):
        if policy not in POLICIES:
            raise ValueError(f"ENTITY_LINK_POLICY must be one of {', '.join(POLICIES)}")
        self.policy = policy
        self.link_adjectives = link_adjectives
        self.known = set(surface_forms.values())
        self._automaton = ahocorasick.Automaton()
        # One string object per surface form and per slug for all mentions of a build.
        self.strings: dict[str, str] = {}
        self.adjectives = {normalise_text(form) for form in adjectives}
        for phrase in phrases:  # a name of the same spelling as an entity's stays the entity's
            if phrase not in surface_forms:
                key = normalise_text(phrase)
                self._automaton.add_word(key, (PHRASE, len(key)))
        for form, slug in surface_forms.items():
            key = normalise_text(form)
            self._automaton.add_word(key, (self.strings.setdefault(slug, slug), len(key)))
        self._empty = not surface_forms and not phrases
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Whole-word, leftmost-longest, non-overlapping matches in plain text. A recorded
        phrase's match has the slug PHRASE (""): it covers its words but names no entity."""
        if self._empty or not text:
            return []
        normal = normalise_text(text)
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

    def is_adjective(self, surface: str) -> bool:
        return bool(self.adjectives) and normalise_text(surface) in self.adjectives

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
        # tag, no-links, not-prose, forced, in-note; flags hold for the element or an ancestor
        self.stack: list[tuple[str, bool, bool, bool, bool]] = []
        self.mentions: list[Mention] = []
        self.unknown: list[UnknownEntity] = []
        self.linked_in_document: set[str] = set()
        self.linked_in_block: set[str] = set()
        self.linked_in_section: set[str] = set()
        self.section_id: str | None = None  # the id and text of the last heading
        self.section_text: str | None = None
        self.heading: list[str] | None = None  # text of the heading being read
        self.block_depth = 0
        self.block_id: str | None = None
        self.block_note = False
        self.block_text: list[str] = []
        self.block_length = 0
        self.pending: list[tuple[str, str, int, int, bool]] = []  # slug, text, start, end, linked
        self.forced: list[str] | None = None  # text of a forced link being read

    # -- state ----------------------------------------------------------------------------

    def no_links(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def not_prose(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def in_note(self) -> bool:
        return bool(self.stack) and self.stack[-1][4]

    def push(self, name: str, no_links: bool, not_prose: bool, forced, note: bool = False
             ) -> None:
        if self.stack:  # inherit the enclosing element's flags
            _, outer_no_links, outer_not_prose, _, outer_note = self.stack[-1]
            no_links, not_prose = no_links or outer_no_links, not_prose or outer_not_prose
            note = note or outer_note
        self.stack.append((name, no_links, not_prose, forced, note))

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
        note = bool(classes & _NOTES)
        if name in _HEADINGS and not self.in_note():
            self.close_block()
            self.linked_in_section = set()
            self.section_id, self.section_text = attributes.get("id"), None
            self.heading = []
        if name in _BLOCKS and self.block_depth == 0:
            self.start_block(attributes.get("id"), note or self.in_note())
        if name in _BLOCKS:
            self.block_depth += 1
        forced = name == "span" and "entity" in attributes
        if forced:
            slug = attributes["entity"]
            if slug not in self.linker.known:
                self.unknown.append(UnknownEntity(slug, ""))
                self.push(name, True, False, False, note)
                self.out.append("<span>")
                return
            self.forced = []
            self.should_link(slug)  # a forced link counts as the first link for the policy
            self.out.append(f'<a class="{self.entity_class(slug)}" href="{self.href(slug)}"'
                            f' data-entity="{slug}">')
            self.push(name, True, False, slug, note)
            return
        if name in _VOID or raw.endswith("/>"):
            self.out.append(raw)
            return
        no_links = name in _NO_LINKS or "nolink" in classes
        self.push(name, no_links, bool(classes & _NOT_PROSE), False, note)
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
        if name in _HEADINGS and self.heading is not None:
            self.section_text = " ".join("".join(self.heading).split()) or None
            self.heading = None
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
        if self.heading is not None and prose:
            self.heading.append(plain)
        if self.no_links() or raw.isspace():  # (no name is only white space)
            self.out.append(raw)
            if prose:
                self.add_text(plain)
            return
        position = 0
        pieces = []
        note = self.in_note()
        for start, end, slug in self.linker.find(plain):
            if slug == self.self_slug or slug == PHRASE:
                continue
            pieces.append(html.escape(plain[position:start], quote=False))
            surface = plain[start:end]
            surface = self.linker.strings.setdefault(surface, surface)
            # Never linked in a note; an adjective only if asked; else as the policy says.
            linked = (not note and (self.linker.link_adjectives
                                    or not self.linker.is_adjective(surface))
                      and self.should_link(slug))
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
        seen = {"first-in-paragraph": self.linked_in_block,
                "first-in-section": self.linked_in_section}.get(policy, self.linked_in_document)
        if slug in seen:
            return False
        seen.add(slug)
        self.linked_in_document.add(slug)
        self.linked_in_section.add(slug)
        return True

    # -- blocks and sentences -------------------------------------------------------------

    def start_block(self, block_id: str | None, note: bool = False) -> None:
        self.close_block()
        self.block_id = block_id if block_id and block_id.startswith("p-") else None
        self.block_note = note

    def record(self, slug, text, start, end, linked) -> None:
        self.pending.append((slug, text, start, end, linked))

    def close_block(self) -> None:
        if self.pending:
            text = "".join(self.block_text)
            spans = _sentence_spans(text)
            starts = [a for a, _ in spans]
            note = self.block_note
            if note:
                anchor = section = None
            elif self.block_id:
                anchor, section = self.block_id, None
            else:
                anchor, section = self.section_id, self.section_text
            stripped: dict[int, tuple[str, int, bool]] = {}  # per sentence, made once
            for slug, surface, start, end, linked in self.pending:
                index = bisect_right(starts, start) - 1  # the sentence holding the mention
                first, last = spans[index] if index >= 0 and start < spans[index][1] else (
                    0, len(text))
                if index + 1 < len(spans) and " " not in text[first:last].strip():
                    # a one-word lead-in ("Pakistan." as a list item's bold label) is no
                    # snippet on its own: the sentence after it goes with it
                    last = spans[index + 1][1]
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
                self.mentions.append(Mention(slug, surface, None if note else self.block_id,
                                             sentence, begin, finish, linked, note, anchor,
                                             section))
        self.pending = []
        self.block_text = []
        self.block_length = 0
        self.linked_in_block = set()
        self.block_id = None
        self.block_note = False


def _tidy(text: str) -> str:
    return _GAP_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", text))


_SPACES = re.compile(r"[ \t\n]{2,}")
_GAP_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_NEEDS_TIDY = re.compile(r"[ \t\n]{2}|\s[.,;:!?]")  # what _tidy would change


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start() - 1] == "." and not match.group(1) and _abbreviation(
                text, match.start()):
            continue
        # the closing quote or bracket after the full stop belongs to the sentence
        spans.append((start, match.start() + len(match.group(1))))
        start = match.end()
    spans.append((start, len(text)))
    return spans



def _abbreviation(text: str, end: int) -> bool:
    """Does the full stop just before `end` close an abbreviation rather than a sentence?"""
    found = _WORD_BEFORE.search(text, max(0, end - 24), end)
    if not found:
        return False
    word = found.group(1)
    return word in ABBREVIATIONS or _INITIALS.fullmatch(word) is not None

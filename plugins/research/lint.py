"""Find capitalised names in a document that match no entity, so editors see what is missing.

A name is a run of capitalised words (joined by spaces, hyphens or small words such as "of").
A run is reported unless it is (part of) a known entity's name, listed in LINT_IGNORE, or a
single ordinary word that is only capitalised because it starts a sentence.
"""

from __future__ import annotations

import html
import re

from .linker import Linker

_TEXT_OF_PARAGRAPH = re.compile(r'<p id="(p-\d+)">(.*?)</p>', re.S)
_TAGS = re.compile(r"<[^>]+>")
# Not checked: pilcrows, footnote markers, and text already linked to an entity (forced links).
_PILCROW = re.compile(r'<a class="pilcrow"[^>]*>.*?</a>|<sup class="footnote-ref">.*?</sup>'
                      r'|<a class="entity-link[^"]*"[^>]*>.*?</a>', re.S)
_WORD = r"[A-Z][\w’'.-]*[\w]"
_NAME = re.compile(rf"{_WORD}(?:(?:\s+|\s+(?:of|the|for|de|al)\s+){_WORD})*")
_LOWER_WORD = re.compile(r"\b[a-z][\w-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\])”\"’]*\s+|[“\"(–—-]\s*)$")
# Capitalised words that are never names of entities: calendar words, and function words that
# are capitalised only because they start a sentence or a run ("The Bush-era").
_NEVER_NAMES = set("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December
The A An In On At By For From With Without Under Over But And Or Nor If When While After
Before Despite Even This That These Those Its His Her Their It He She They We I As Since
Although Though Apart Amid Having Both Neither Either Each Every Some Many Most Such Not No
Yet So Then There Here What Which Who Whom Whose Where Why How Only Also Still Instead Until
Within Between Among Against Through During Following Unlike Like
""".split())


def unmatched_names(rendered: str, linker: Linker, ignore=()) -> list[tuple[str, str]]:
    """(name, paragraph id) for every capitalised name in numbered paragraphs with no entity."""
    ignored = set(ignore)
    found: list[tuple[str, str]] = []
    seen = set()
    paragraphs = [(paragraph, html.unescape(_TAGS.sub("", _PILCROW.sub(" ", inner))))
                  for paragraph, inner in _TEXT_OF_PARAGRAPH.findall(rendered)]
    lower_words: set[str] | None = None  # made when first needed: most documents never do
    for paragraph, text in paragraphs:
        covered = [(start, end) for start, end, _slug in linker.find(text)]
        for match in _NAME.finditer(text):
            # Most runs are one entity's name, or one word such as "The": nothing to report.
            if match.group(0) in _NEVER_NAMES or any(
                    a <= match.start() and match.end() <= b for a, b in covered):
                continue
            for name in _uncovered_parts(text, match, covered):
                if name in ignored or name in seen or name in _NEVER_NAMES:
                    continue
                if " " not in name:
                    if lower_words is None:
                        # Words the document also writes in lower case are ordinary words
                        # ("Second, ...").
                        lower_words = {w for _, t in paragraphs for w in _LOWER_WORD.findall(t)}
                    if name.lower() in lower_words or _starts_sentence(
                            text, text.find(name, match.start())):
                        continue
                seen.add(name)
                found.append((name, paragraph))
    return found


def _uncovered_parts(text: str, match: re.Match, covered) -> list[str]:
    """The words of a capitalised run that no entity match covers, as contiguous names."""
    parts, current = [], []
    for word in re.finditer(r"\S+", match.group(0)):
        start = match.start() + word.start()
        end = match.start() + word.end()
        if any(a < end and start < b for a, b in covered):
            if current:
                parts.append(current)
            current = []
        else:
            current.append(word.group(0))
    if current:
        parts.append(current)
    names = []
    for words in parts:
        while words and words[-1] in ("of", "the", "for", "and", "de", "al"):
            words = words[:-1]
        while words and (not words[0][:1].isupper() or words[0] in _NEVER_NAMES):
            words = words[1:]
        if words:
            name = re.sub(r"[’']s$", "", " ".join(words).rstrip(".,;:’'"))
            names.append(name)
    return [n for n in names if n and re.search(r"[A-Z]", n)]


def _starts_sentence(text: str, position: int) -> bool:
    return bool(_SENTENCE_START.search(text[:max(position, 0)]))

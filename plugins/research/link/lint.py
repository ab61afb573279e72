"""Find capitalised names in a document that match no entity, so editors see what is missing.

A name is a run of capitalised words (joined by spaces, hyphens or small words such as "of").
A run is reported unless it is (part of) a known entity's name, ignored, or only ordinary or
generic words: a word capitalised because it starts a sentence, a title or an institution
word ("Chairman", "Republic", "Organisation") that names nothing by itself.

Ignoring, from the widest to the narrowest: `LINT_IGNORE` in pelicanconf.py (the whole site),
`lint_ignore:` in a document's front-matter (that file), `[Name]{.nolint}` (one occurrence).

Each finding is a `Finding`: a report line `file:line:col: 'Name' matches no entity; did you
mean 'Known Name'?` that is also data (path, line, column, name, suggestion), so that the
build can print a summary once and `make serve` only when the findings changed. A near miss
of a known name or alias is found with rapidfuzz, one `extractOne` per unmatched name.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils

from ..core.errors import printable
from .linker import Linker

# The text of each numbered paragraph is the reader's (read/markdown.lint_text): footnote
# marks, forced links (`[text]{entity=slug}`) and `{.nolint}` spans are already replaced there
# by a separator that no name can run across, so the words either side are never glued into
# one name ("Republic of | Nursultan Nazarbayev"). Names the linker found are covered by
# `linker.find` below, whether or not the link policy made them links.
_WORD = r"[A-Z][\w’'.-]*[\w]"
_NAME = re.compile(rf"{_WORD}(?:(?:[ \t\n]+|[ \t\n]+(?:of|the|for|de|al)[ \t\n]+){_WORD})*")
_LOWER_WORD = re.compile(r"\b[a-z][\w-]*")
# (A footnote marker after the full stop is a separator: "premise.[^4] Endorsing ...")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\])”\"’]*(?:\s*\u2016)?\s+|[“\"(–—-]\s*)$")
_SMALL = ("of", "the", "for", "and", "de", "al")
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
# Titles and institution words: capitalised in "Chairman of the Council", but no name alone.
# A run made only of these (and small words) is not reported, and they are trimmed from the
# ends of a run ("President Ortega" is reported as "Ortega").
GENERIC = set("""
Chairman Chairwoman Chair President Vice Prime Minister Ministers Ministry Secretary General
Deputy Director Head Chief Spokesman Spokeswoman Spokesperson Ambassador Envoy Commander
Republic Kingdom Federation Union State States Government Parliament Council Committee
Commission Assembly Organisation Organization Organisations Organizations Agency Office
Department Party Army Forces Navy Treaty Charter Declaration Summit Conference Session
Foreign Defence Defense Security National International Federal Supreme Central Joint
Secretariat Cabinet Senate Congress Court Bureau Institute University Mr Mrs Ms Dr
""".split())


class Finding(str):
    """One name that matches no entity. It is its report line (a `str`, printed as is) and
    carries its parts as attributes for callers that compare or format findings."""

    path: str
    line: int | None
    column: int | None
    name: str
    paragraph: str | None
    suggestion: str | None

    def __new__(cls, path: str, name: str, *, line: int | None = None,
                column: int | None = None, paragraph: str | None = None,
                suggestion: str | None = None) -> "Finding":
        if line is not None:
            where = f"{path}:{line}:{column}" if column else f"{path}:{line}"
        else:
            where = f"{path}#{paragraph}" if paragraph else path
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        self = super().__new__(cls, printable(f"{where}: '{name}' matches no entity{hint}"))
        self.path, self.line, self.column, self.name = path, line, column, name
        self.paragraph, self.suggestion = paragraph, suggestion
        return self

    def __reduce__(self):  # (a str subclass with its own __new__: pickle its parts)
        return _finding, (self.path, self.name, self.line, self.column, self.paragraph,
                          self.suggestion)

    def key(self) -> tuple:
        return (self.path, self.line or 0, self.column or 0, self.name)


def _finding(path, name, line, column, paragraph, suggestion) -> Finding:
    return Finding(path, name, line=line, column=column, paragraph=paragraph,
                   suggestion=suggestion)


def unmatched_names(texts: dict[str, str], linker: Linker, ignore=()) -> list[tuple[str, str]]:
    """(name, paragraph id) for every capitalised name in numbered paragraphs with no entity,
    once per document, in order of first occurrence. `texts`: each numbered paragraph's lint
    text, by id in document order, as the reader kept it (the document's `lint_texts`)."""
    ignored = set(ignore)
    found: list[tuple[str, str]] = []
    seen = set()
    paragraphs = list(texts.items())
    lower_words: set[str] | None = None  # made when first needed: most documents never do
    for paragraph, text in paragraphs:
        covered = [(start, end) for start, end, _slug in linker.find(text)]
        for match in _NAME.finditer(text):
            # Most runs are one entity's name, or one word such as "The": nothing to report.
            if match.group(0) in _NEVER_NAMES or any(
                    a <= match.start() and match.end() <= b for a, b in covered):
                continue
            for name, start, written in _uncovered_parts(text, match, covered):
                if name in ignored or written in ignored or name in seen or \
                        name in _NEVER_NAMES:
                    continue
                if " " not in name:
                    if lower_words is None:
                        # Words the document also writes in lower case are ordinary words
                        # ("Second, ...").
                        lower_words = {w for _, t in paragraphs for w in _LOWER_WORD.findall(t)}
                    if name.lower() in lower_words or _starts_sentence(text, start):
                        continue
                seen.add(name)
                found.append((name, paragraph))
    return found


def _uncovered_parts(text: str, match: re.Match, covered) -> list[tuple[str, int, str]]:
    """(name, offset) for each run of words of a capitalised run that no entity match
    covers, with small words and generic words trimmed from its ends."""
    parts, current = [], []
    for word in re.finditer(r"\S+", match.group(0)):
        start = match.start() + word.start()
        end = match.start() + word.end()
        if any(a < end and start < b for a, b in covered):
            if current:
                parts.append(current)
            current = []
        else:
            current.append((word.group(0), start))
    if current:
        parts.append(current)
    names = []
    for words in parts:
        # First the small words and sentence words at the ends, giving the name as written
        # ("World Policy Conference"), then the generic words ("World Policy"): both are
        # checked against the ignore list.
        while words and words[-1][0] in _SMALL:
            words = words[:-1]
        while words and (not words[0][0][:1].isupper() or words[0][0] in _NEVER_NAMES
                         or words[0][0] in _SMALL):
            words = words[1:]
        written = _joined(words)
        while words and (words[-1][0] in _SMALL or _bare(words[-1][0]) in GENERIC):
            words = words[:-1]
        while words and (not words[0][0][:1].isupper() or words[0][0] in _NEVER_NAMES
                         or _bare(words[0][0]) in GENERIC or words[0][0] in _SMALL):
            words = words[1:]
        if words:
            name = _joined(words)
            if name and re.search(r"[A-Z]", name):
                names.append((name, words[0][1], written))
    return names


def _joined(words) -> str:
    return re.sub(r"[’']s$", "", " ".join(w for w, _ in words).rstrip(".,;:’'"))


def _bare(word: str) -> str:
    return re.sub(r"[’']s$", "", word.rstrip(".,;:’'"))


def _starts_sentence(text: str, position: int) -> bool:
    return bool(_SENTENCE_START.search(text[:max(position, 0)]))


class Lint:
    """The lint of one build: known forms for "did you mean", and the findings."""

    def __init__(self, linker: Linker, forms, settings: dict) -> None:
        self.linker = linker
        self.forms = sorted(forms)
        self.ignore = tuple(settings.get("LINT_IGNORE", ()))
        self.findings: list[Finding] = []

    def suggest(self, name: str) -> str | None:
        best = process.extractOne(name, self.forms, scorer=fuzz.ratio,
                                  processor=utils.default_process, score_cutoff=85)
        return best[0] if best else None

    def document(self, document, path: str, text: str = "") -> list[Finding]:
        """Lint one source or briefing note (its paragraphs' lint texts, kept by the reader;
        `text`: the file as the reader kept it, for lines and columns); keep and return its
        findings."""
        own = getattr(document, "lint_ignore", None) or ()
        own = (own,) if isinstance(own, str) else tuple(own)
        names = unmatched_names(getattr(document, "lint_texts", None) or {}, self.linker,
                                self.ignore + own)
        if not names:
            return []
        places = _Places(text)
        found = []
        for name, paragraph in names:
            line, column = places.find(name)
            finding = Finding(path, name, line=line, column=column, paragraph=paragraph,
                              suggestion=self.suggest(name))
            # Data, not a log record: a missing entity is a to-do, not a broken build; the
            # build driver takes the findings from the build state (state.lint).
            found.append(finding)
        self.findings += found
        return found


class _Places:
    """Where a name is written in a document's body (the file's text as the reader kept it;
    the rendered HTML has no source positions)."""

    def __init__(self, text: str) -> None:
        lines = text.splitlines(keepends=True)
        start = 0
        if lines and lines[0].strip() == "---":  # skip the front-matter
            close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
            start = close + 1 if close is not None else 0
        self.lines = lines
        self.start = start
        self.body = "".join(lines[start:])

    def find(self, name: str) -> tuple[int | None, int | None]:
        """(line, column), 1-based, of the first whole-word occurrence outside a `.nolint`
        span, or (None, None)."""
        words = [re.escape(w) for w in name.split()]
        pattern = re.compile(r"(?<![\w\[])" + r"\s+".join(words) + r"(?!\w)(?!\]\{\.nolint\})")
        match = pattern.search(self.body)
        if match is None:
            return None, None
        before = self.body[: match.start()]
        line = self.start + before.count("\n") + 1
        column = match.start() - (before.rfind("\n") + 1) + 1
        return line, column

"""User-facing content errors.

A ContentError is a mistake in the site's content or settings, not a bug: the build prints its
message (file, line or field, what is wrong, how to fix it) and exits non-zero, with no traceback.

Every Problem carries a stable `code` (`date.format`, `alias.duplicate`, ...): tests assert the
code and the location, and the wording lives in one golden file (tests/golden/), so a message
can be improved without hunting for every test that quotes it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

# Characters that would let a file name or a value forge or reorder lines of the report:
# control characters (a newline starts a fake "file:line: ..." line), bidi overrides and
# isolates (right-to-left text reorders what the terminal shows) and zero-width characters.
_BIDI_AND_INVISIBLE = set("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
                          "\u202e\u2060\u2066\u2067\u2068\u2069\ufeff")


def printable(text: str) -> str:
    """`text` with every control, bidi and zero-width character written as an escape."""
    if text.isprintable() and not _BIDI_AND_INVISIBLE.intersection(text):
        return text
    out = []
    for char in text:
        if char in _BIDI_AND_INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Zl",
                                                                         "Zp"):
            out.append(char.encode("unicode_escape").decode("ascii") if ord(char) < 0x10000
                       and char not in "\n\t\r" else repr(char)[1:-1])
        else:
            out.append(char)
    return "".join(out)


def shown(value: Any, limit: int = 60) -> str:
    """A value as an error message may show it: text quoted and capped at `limit` characters,
    anything else named by its type (a message never repeats a whole list, mapping or an
    expanded YAML alias)."""
    if isinstance(value, str):
        text = printable(value)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = str(value)
        return text if len(text) <= limit else "a very long number"
    return kind(value)


def kind(value: Any) -> str:
    """What a YAML value is, in an editor's words."""
    import datetime as dt

    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return {list: "a list", dict: "a mapping", str: "text"}.get(
        type(value), f"a {type(value).__name__}")


class Coded(str):
    """Text that carries the code of its kind of mistake: a helper that returns only a message
    (a Markdown check, a citation check) says its kind this way, and a report line of the build
    (`BuildResult.problems`) is one, printed as is."""

    code: str

    def __new__(cls, text: str, code: str) -> "Coded":
        self = super().__new__(cls, text)
        self.code = code
        return self

    def __reduce__(self):  # (a str subclass with its own __new__: pickle its parts)
        return Coded, (str(self), self.code)


def code_of(text: str, default: str) -> str:
    """The code `text` carries (a Coded), else `default`."""
    return getattr(text, "code", "") or default


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    code: str = ""  # stable id of the kind of mistake, e.g. "date.format"

    def __str__(self) -> str:
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        what = f"{printable(self.field)}: {self.message}" if self.field else self.message
        return f"{where}: {printable(what)}"

    def report(self) -> Coded:
        """The report line, carrying the code."""
        return Coded(str(self), self.code)


class ContentError(Exception):
    """One or more problems that stop the build."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, message: str, *, line: int | None = None,
           field: str | None = None, code: str = "") -> "ContentError":
        return cls(Problem(path, message, line, field, code))

"""User-facing content errors.

A ContentError is a mistake in the site's content or settings, not a bug: the build prints its
message (file, line or field, what is wrong, how to fix it) and exits non-zero, with no traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


class ContentError(Exception):
    """One or more problems that stop the build."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, message: str, *, line: int | None = None,
           field: str | None = None) -> "ContentError":
        return cls(Problem(path, message, line, field))

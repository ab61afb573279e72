"""Build the site atomically, and serve it with rebuilds while editing.

`build()` runs Pelican into a fresh folder beside the output folder and swaps it in only when
the build succeeded with no error and no warning, so a failed build leaves the last good site
untouched. Errors are content mistakes, reported as `file:line: field: what is wrong`.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import frontmatter
from .errors import ContentError, Problem

log = logging.getLogger("research.build")

# Pelican repeats a reader's failure as "Could not process <file>"; our own message says more.
_ECHOES = ("Could not process",)
LINT_LOGGER = "research.lint"


class _Collector(logging.Handler):
    """Keeps every warning and error that the build logs, and the lint's findings."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.name == LINT_LOGGER:
            self.records.append(record)


def _forget_logged_messages() -> None:
    """Pelican's log filter drops a message it has seen before in this process; a rebuild in
    the same process (`serve`, tests) must see its warnings again, or a broken site would pass."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@dataclass
class BuildResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    output: Path | None = None
    lint: list[str] = field(default_factory=list)  # names that match no entity (not fatal)


def run_pelican(settings_file: str, output: Path,
                overrides: dict | None = None) -> tuple[list[str], list[str]]:
    """Run Pelican into `output`; return the problems (errors and warnings) it reported and
    the lint findings."""
    from pelican import Pelican
    from pelican.settings import read_settings

    _forget_logged_messages()
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    # A warning must reach the collector even if the caller silenced logging.
    root_level = root.level
    if root_level > logging.WARNING:
        root.setLevel(logging.WARNING)
    lint_logger = logging.getLogger(LINT_LOGGER)
    lint_logger.setLevel(logging.INFO)
    try:
        try:
            settings = read_settings(settings_file, override={
                "OUTPUT_PATH": str(output), **(overrides or {})})
        except ContentError:
            raise  # the settings file's own check of a value (publishconf.py: SITEURL)
        except Exception as err:  # noqa: BLE001 (any mistake in the settings file)
            raise ContentError(_settings_problem(settings_file, err)) from None
        Pelican(settings).run()
    except ContentError as err:
        # Problems logged before the failure (a reader error) are often its cause: keep them.
        earlier = _problems([r for r in collector.records if r.name != LINT_LOGGER])
        located = frontmatter.with_lines(err.problems)  # cross-file problems name a field
        # A reader error is both logged and raised again by the entity generator: once is enough.
        return list(dict.fromkeys(earlier + [str(problem) for problem in located])), []
    except _theme_errors() as err:
        return [_theme_problem(err)], []
    except _overwrite_errors() as err:
        # Two pages with one URL (e.g. a page whose slug is a section's name): Pelican stops.
        earlier = _problems([r for r in collector.records if r.name != LINT_LOGGER])
        return earlier + [_overwrite_problem(err, output)], []
    finally:
        root.removeHandler(collector)
        root.setLevel(root_level)
    # lint.Finding: a report line that also carries path, line, column, name, suggestion
    lint = [getattr(r, "finding", None) or r.getMessage() for r in collector.records
            if r.name == LINT_LOGGER]
    return _problems([r for r in collector.records if r.name != LINT_LOGGER]), lint


def _settings_problem(settings_file: str, err: Exception) -> Problem:
    """A settings file that cannot be run, located at the failing line where Python says."""
    line = getattr(err, "lineno", None)
    if not isinstance(err, SyntaxError):
        frames = [f for f in traceback.extract_tb(err.__traceback__)
                  if os.path.abspath(f.filename) == os.path.abspath(settings_file)]
        line = frames[-1].lineno if frames else None
    if isinstance(err, FileNotFoundError) and not os.path.exists(settings_file):
        return Problem(settings_file, "no such settings file; pass --settings with the path "
                       "of pelicanconf.py")
    what = err.msg if isinstance(err, SyntaxError) else f"{type(err).__name__}: {err}"
    return Problem(settings_file, f"the settings file cannot be run: {what}; fix this line",
                   line=line)


def _overwrite_errors() -> tuple[type[BaseException], ...]:
    from pelican.writers import FileOverwriteFailedError

    return (FileOverwriteFailedError,)


def _overwrite_problem(err: BaseException, output: Path) -> str:
    match = re.search(r'"([^"]+)"', str(err))
    written = os.path.relpath(match[1], output) if match else "a page"
    return (f"{written}: two pages would be written to this file; give one of them another "
            "slug (or save_as)")


def _theme_errors() -> tuple[type[BaseException], ...]:
    from jinja2 import TemplateError
    from pelican.generators import PelicanTemplateNotFound

    return (TemplateError, PelicanTemplateNotFound)


def _theme_problem(err: BaseException) -> str:
    """A template mistake, located in the theme where Jinja tells us where."""
    where = getattr(err, "filename", None) or "theme"
    line = getattr(err, "lineno", None)
    location = f"{where}:{line}" if line else where
    return f"{location}: template error: {err}"


def _problems(records: list[logging.LogRecord]) -> list[str]:
    ours = [r for r in records if r.name.startswith("research")]
    problems = []
    for record in records:
        message = record.getMessage()
        if ours and message.startswith(_ECHOES):
            continue
        problems.append(message if record.name.startswith("research")
                        else f"{record.levelname.lower()} (from {record.name}): {message}")
    return problems


def build(settings_file: str = "pelicanconf.py", output: str = "output",
          overrides: dict | None = None, post_build=None) -> BuildResult:
    """Build into a temporary folder, then replace `output` with it if nothing went wrong."""
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        problems, lint = run_pelican(settings_file, staging, overrides)
        if not problems:  # sitemap.xml, robots.txt, the search index (postbuild.py)
            from .postbuild import finish

            problems = finish(settings_file, staging, overrides)
        if not problems and post_build is not None:
            problems = post_build(staging)
        if problems:
            return BuildResult(False, problems, lint=lint)
        _swap_in(staging, target)
        return BuildResult(True, [], target, lint)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` with `staging` by two renames on one filesystem."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def report(result: BuildResult, stream=sys.stderr) -> int:
    if result.lint:  # one line per build; `make lint` lists them
        print(f"Lint: {len(result.lint)} capitalised name(s) match no entity; `make lint` "
              "lists them (add an entity or alias, or ignore: LINT_IGNORE, lint_ignore:, "
              "[Name]{.nolint})", file=stream)
    if result.ok:
        print(f"Built the site into {os.path.relpath(result.output)}/", file=stream)
        return 0
    print(f"Build failed with {len(result.problems)} problem(s); the previous site, if any, "
          "is unchanged:", file=stream)
    for problem in result.problems:
        print(f"  {problem}", file=stream)
    return 1

"""Build the site atomically.

`build()` runs Pelican into a fresh folder beside the output folder and swaps it in only when
the build succeeded with no error and no warning, so a failed build leaves the last good site
untouched (outputs.py says which folders may be replaced and how). Errors are content
mistakes, reported as `file:line: field: what is wrong`; so are the operating system's
refusals (a full disk, a name too long), without a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import errno
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..read import frontmatter
from ..core.errors import Coded, ContentError, Problem
from ..read.reader import display_path

from ..core.state import KEY, BuildState

log = logging.getLogger("research.cli.build")

# Pelican repeats a reader's failure as "Could not process <file>"; our own message says more.
_ECHOES = ("Could not process",)


class _Collector(logging.Handler):
    """Keeps every warning and error that the build logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
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
    # Each a report line (errors.Coded: a str that carries the code of its kind of mistake)
    problems: list[str] = field(default_factory=list)
    output: Path | None = None
    lint: list[str] = field(default_factory=list)  # names that match no entity (not fatal)
    notes: list[str] = field(default_factory=list)  # leftovers that could not be removed
    # an incremental build: pages rendered and reused, documents read and linked again
    incremental: dict | None = None

    @property
    def codes(self) -> list[str]:
        """The code of each problem line, in order ("" for a line that carries none)."""
        return [getattr(problem, "code", "") for problem in self.problems]


def read_settings(settings_file: str, output: Path, overrides: dict | None = None) -> dict:
    """Pelican's settings for a build into `output`, read once; a settings file that cannot be
    run is a ContentError located at its failing line."""
    from pelican.settings import read_settings as pelican_settings

    try:
        with _fresh_settings_modules(settings_file):
            return pelican_settings(settings_file, override={"OUTPUT_PATH": str(output),
                                                             **(overrides or {})})
    except ContentError:
        raise  # the settings file's own check of a value (publishconf.py: SITEURL)
    except Exception as err:  # noqa: BLE001 (any mistake in the settings file)
        raise ContentError(_settings_problem(settings_file, err)) from None


@contextlib.contextmanager
def _fresh_settings_modules(settings_file: str):
    """While the settings are read, no module named like a Python file beside the settings
    file is taken from `sys.modules`: `from pelicanconf import *` in publishconf.py runs the
    pelicanconf.py beside it, as it is now. Pelican keeps each settings module it reads as
    `sys.modules[name]`, so in a long-lived process (tests, `serve`) that name may be an
    earlier build's module, or another site's (and the folder is first on the path, so no
    other site's file of that name is found). Afterwards both are as they were."""
    folder = os.path.dirname(os.path.abspath(settings_file))
    try:
        names = {entry.name[:-3] for entry in os.scandir(folder)
                 if entry.name.endswith(".py") and entry.is_file()}
    except OSError:
        names = set()
    kept = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    sys.path.insert(0, folder)  # (first: another site's folder may be on the path too)
    try:
        yield
    finally:
        sys.path.remove(folder)
        for name in names:
            sys.modules.pop(name, None)
        sys.modules.update(kept)


def run_pelican(settings: dict) -> tuple[list[str], list[str]]:
    """Run Pelican with `settings` (into their OUTPUT_PATH); return the problems (errors and
    warnings) it reported and the lint findings."""
    from pelican import Pelican

    _forget_logged_messages()
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    # A warning must reach the collector even if the caller silenced logging.
    root_level = root.level
    if root_level > logging.WARNING:
        root.setLevel(logging.WARNING)
    output = Path(settings["OUTPUT_PATH"])

    def earlier() -> list[str]:
        return _problems(collector.records)

    try:
        Pelican(settings).run()
    except ContentError as err:
        # Problems logged before the failure (a reader error) are often its cause: keep them.
        # Cross-file problems name a field: its line from the source maps the reader kept.
        found = settings.get(KEY)
        located = frontmatter.with_lines(
            err.problems, found.source_maps if isinstance(found, BuildState) else {})
        # A reader error is both logged and raised again by the entity generator: once is enough.
        return list(dict.fromkeys(earlier() + [problem.report() for problem in located])), []
    except _theme_errors() as err:
        return [_theme_problem(err)], []
    except _overwrite_errors() as err:
        # Two pages with one URL (e.g. a page whose slug is a section's name): Pelican stops.
        return earlier() + [_overwrite_problem(err, output)], []
    except OSError as err:  # a full disk, a name the file system refuses, ...
        return earlier() + [write_problem(err, output, settings)], []
    finally:
        root.removeHandler(collector)
        root.setLevel(root_level)
    # lint.Finding: a report line that also carries path, line, column, name, suggestion; the
    # link stage leaves them in the build state (data, not log records)
    found = settings.get(KEY)
    return earlier(), ([*found.lint, *found.reference_lint] if isinstance(found, BuildState)
                       else [])


def write_problem(err: OSError, output: Path, settings: dict | None = None) -> str:
    """An operating-system error while building, as one line naming what was written."""
    from ..guard.written import KEY

    name = err.filename
    if name and Path(os.path.abspath(name)).is_relative_to(output):
        where = os.path.relpath(name, output)
    elif name:
        where = display_path(name)
    else:  # a failed write() names no file: the one being written is the registry's last
        paths = (settings or {}).get(KEY)
        where = getattr(paths, "last", None) or "the site"
    code = errno.errorcode.get(err.errno or 0, "")
    hint = {errno.ENOSPC: "; the disk is full: free some space and build again",
            errno.EDQUOT: "; the disk quota is used up: free some space and build again",
            errno.ENAMETOOLONG: "; use a shorter slug or save_as",
            errno.EACCES: "; check the permissions of the output folder's parent",
            errno.EROFS: "; the output folder is on a read-only file system"}.get(err.errno, "")
    return Coded(f"{where}: cannot write: {err.strerror or err}{f' ({code})' if code else ''}"
                 f"{hint}", "os.write")


def _settings_problem(settings_file: str, err: Exception) -> Problem:
    """A settings file that cannot be run, located at the failing line where Python says."""
    line = getattr(err, "lineno", None)
    if not isinstance(err, SyntaxError):
        frames = [f for f in traceback.extract_tb(err.__traceback__)
                  if os.path.abspath(f.filename) == os.path.abspath(settings_file)]
        line = frames[-1].lineno if frames else None
    if isinstance(err, FileNotFoundError) and not os.path.exists(settings_file):
        return Problem(settings_file, "no such settings file; pass --settings with the path "
                       "of pelicanconf.py", code="settings.missing")
    what = err.msg if isinstance(err, SyntaxError) else f"{type(err).__name__}: {err}"
    return Problem(settings_file, f"the settings file cannot be run: {what}; fix this line",
                   line=line, code="settings.error")


def _overwrite_errors() -> tuple[type[BaseException], ...]:
    from pelican.writers import FileOverwriteFailedError

    return (FileOverwriteFailedError,)


def _overwrite_problem(err: BaseException, output: Path) -> str:
    match = re.search(r'"([^"]+)"', str(err))
    written = os.path.relpath(match[1], output) if match else "a page"
    return Coded(f"{written}: two pages would be written to this file; give one of them "
                 "another slug (or save_as)", "path.written-twice")


def _theme_errors() -> tuple[type[BaseException], ...]:
    from jinja2 import TemplateError
    from ..adapter.pelican import TemplateNotFound

    return (TemplateError, TemplateNotFound)


def _theme_problem(err: BaseException) -> str:
    """A template mistake, located in the theme: a syntax error carries its template and
    line; an error while rendering (an undefined name, a missing template) is found in the
    traceback, where Jinja puts a frame for each template line it ran."""
    where = getattr(err, "filename", None)
    line = getattr(err, "lineno", None)
    if not where:
        frames = [frame for frame in traceback.extract_tb(err.__traceback__)
                  if frame.filename.endswith((".html", ".xml", ".j2", ".jinja"))
                  and os.path.isfile(frame.filename)]
        if frames:
            where, line = frames[-1].filename, frames[-1].lineno
        else:  # a page rendered with a template the theme lacks (themeloader.py)
            where = getattr(err, "expected", None)
    location = display_path(where) if where else "theme"
    if line:
        location += f":{line}"
    return Coded(f"{location}: template error: {err}", "template.error")


def _problems(records: list[logging.LogRecord]) -> list[str]:
    ours = [r for r in records if r.name.startswith("research")]
    problems = []
    for record in records:
        message = record.getMessage()
        if ours and message.startswith(_ECHOES):
            continue
        if record.name.startswith("research"):
            problems.append(Coded(message, getattr(record, "code", "") or "log.error"))
        else:
            problems.append(Coded(f"{record.levelname.lower()} (from {record.name}): {message}",
                                  "log.warning" if record.levelno == logging.WARNING
                                  else "log.error"))
    return problems


def protected_folders(settings_file: str, settings: dict) -> dict[str, Path]:
    """Folders the output must not be, contain, or (content, theme) be inside."""
    folders = {"site's own folder (with the settings file)":
               Path(os.path.abspath(settings_file)).parent,
               "current folder": Path.cwd(),
               "content folder (PATH)": Path(settings["PATH"]),
               "theme folder (THEME)": Path(settings["THEME"])}
    for path in settings.get("PLUGIN_PATHS") or []:
        folders.setdefault("plugins folder (PLUGIN_PATHS)", Path(path))
    return folders


def build(settings_file: str = "pelicanconf.py", output: str = "output",
          overrides: dict | None = None, post_build=None,
          incremental: bool = False) -> BuildResult:
    """Build into a staging folder beside `output`, then swap it in if nothing went wrong
    (outputs.py: which folders may be replaced, the lock, the atomic swap). `incremental`:
    keep a build state beside the output (cache/), re-read and re-link only changed files and
    copy unchanged pages from the previous output; the bytes written are the same."""
    from . import outputs
    from ..cache import fingerprint, store as cache_store
    from ..read import symlinks
    from .postbuild import finish
    from ..guard.written import KEY

    target = Path(output).resolve()
    try:
        settings = read_settings(settings_file, target, overrides)
    except ContentError as err:
        return BuildResult(False, [problem.report() for problem in err.problems])
    staging = None
    store = None
    try:
        outputs.check_target(target, output, protected_folders(settings_file, settings))
        linked = symlinks.check(settings["PATH"], Path(os.path.abspath(settings_file)).parent)
        if linked:
            return BuildResult(False, [problem.report() for problem in linked])
        with outputs.locked(target, output):
            notes = outputs.clean_leftovers(target)
            if incremental:  # (the version is taken before the settings gain build objects)
                store = cache_store.load(target, fingerprint.version(settings, settings_file))
                store.content_path = settings["PATH"]
                store.settings = settings
                settings[cache_store.KEY] = store
                notes += [store.note] if store.note else []
            staging = outputs.make_staging(target, output)
            settings["OUTPUT_PATH"] = str(staging)
            problems, lint = run_pelican(settings)
            if not problems:  # URL scan, sitemap.xml, robots.txt, search index (postbuild.py)
                problems = finish(settings, staging, settings.get(KEY))
            if not problems and post_build is not None:
                problems = post_build(staging)
            if problems:
                return BuildResult(False, problems, lint=lint, notes=notes)
            outputs.mark(staging)
            outputs.keep_unchanged_times(staging, target)
            notes += outputs.swap_in(staging, target, output)
            if store is not None:  # only now: the state describes what the output holds
                saved = cache_store.save(store)
                notes += [saved] if saved else []
            return BuildResult(True, [], target, lint, notes,
                               dict(store.stats) if store is not None else None)
    except outputs.OutputRefused as err:
        return BuildResult(False, [Coded(str(err), "output.refused")])
    except OSError as err:  # creating the staging folder, the marker, ...
        return BuildResult(False, [write_problem(err, staging or target)])
    finally:
        if staging is not None and os.path.lexists(staging):
            outputs.remove_tree(staging)


def report(result: BuildResult, stream=sys.stderr) -> int:
    # One line per kind of finding per build; `make lint` lists them.
    about_references = [f for f in result.lint if hasattr(f, "key")]  # refs_check.RefFinding
    names = len(result.lint) - len(about_references)
    if names:
        print(f"Lint: {names} capitalised name(s) match no entity; `make lint` "
              "lists them (add an entity or alias, or ignore: LINT_IGNORE, lint_ignore:, "
              "[Name]{.nolint})", file=stream)
    if about_references:
        print(f"Lint: {len(about_references)} finding(s) about references (unused, no "
              "address, rows citing nothing); `make lint` lists them", file=stream)
    for note in result.notes:
        print(note, file=stream)
    if result.ok:
        done = result.incremental
        if done is not None:
            print(f"Incremental: {done['rendered']} page(s) rendered, {done['reused']} "
                  f"unchanged; {done['reread']} file(s) read and {done['relinked']} linked "
                  "again", file=stream)
        print(f"Built the site into {os.path.relpath(result.output)}/", file=stream)
        return 0
    print(f"Build failed with {len(result.problems)} problem(s); the previous site, if any, "
          "is unchanged:", file=stream)
    for problem in result.problems:
        print(f"  {problem}", file=stream)
    return 1

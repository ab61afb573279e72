"""Persistent paragraph ids: stamping them into files, and `python -m research ids`.

Every top-level paragraph of a source or briefing note ends with its id, `... words. {#p-19}`
(markdown.py reads it). An id is a name, not a position: it stays with its paragraph when
paragraphs are inserted, deleted, moved or split, so a citation `slug#p-19` keeps meaning
the words it was written against. A new paragraph gets the next id never issued in its file;
the highest id issued, the order of the ids and the removed ones are recorded in the lock
file (citation_lock.py), so an id is never given twice.

`python -m research ids [FILE...]` (and `make ids`):

1. stamps every paragraph without an id (the files named, or every source and briefing);
2. records in the lock each document's ids, and the text of every cited paragraph that is not
   recorded yet (a new citation is written against the text it sees);
3. keeps the recorded text of a cited paragraph that changed (the build then fails, showing
   old and new) unless `--confirm` is given for that file: then the new text is recorded.

It is idempotent: a second run changes nothing. It writes a file only when its text changes.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core import types
from . import citation_lock, frontmatter
from ..core.errors import ContentError, Problem, code_of
from .markdown import MARKER, NO_ID, parse

# `slug#p-19` anywhere in a file: prose citations, `source:` fields, notes. Over-reading (a
# slug that is not a document) costs nothing: only documents' paragraphs are recorded.
_CITED = re.compile(r"(?<![a-z0-9-])([a-z0-9]+(?:-[a-z0-9]+)*)#(p-[1-9][0-9]*)\b")


@dataclass
class Stamped:
    text: str  # the body with every top-level paragraph ending with its id
    added: list[str] = field(default_factory=list)  # ids given by this stamping
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def _number(anchor: str) -> int:
    return int(anchor[2:])


def stamp(body: str, last_id: int = 0, *, strict_blocks: bool = False) -> Stamped:
    """Give every top-level paragraph of `body` that has no id the next unused one, after
    `last_id` and after every id already in the body, in document order."""
    parsed = parse(body, paragraph_ids=True, strict_blocks=strict_blocks)
    missing = parsed.unstamped
    problems = [(line, message) for line, message in parsed.problems if message != NO_ID]
    if not missing:
        return Stamped(body, [], problems)
    present = [_number(anchor) for anchor in _all_markers(body)]
    next_id = max([last_id, *present]) + 1
    ends = _paragraph_ends(body)
    lines = body.splitlines(keepends=True)
    added = []
    for start in missing:
        end = ends[start]
        line = lines[end]
        content = line.rstrip("\r\n")
        anchor = f"p-{next_id}"
        lines[end] = f"{content.rstrip()} {{#{anchor}}}" + line[len(content):]
        added.append(anchor)
        next_id += 1
    return Stamped("".join(lines), added, problems)


def _all_markers(body: str) -> list[str]:
    return [match[1] for line in body.splitlines() if (match := MARKER.search(line))]


def _paragraph_ends(body: str) -> dict[int, int]:
    """First line -> last line (0-based) of each top-level paragraph."""
    from .markdown import _parser

    ends = {}
    depth = 0
    for token in _parser().parse(body, {}):
        if token.type == "footnote_block_open":
            depth += 1
        elif token.type == "footnote_block_close":
            depth -= 1
        elif token.type == "paragraph_open" and token.level == 0 and not depth and token.map:
            ends[token.map[0]] = token.map[1] - 1
    return ends


# --- the command ------------------------------------------------------------------------------

@dataclass
class _File:
    path: Path  # as found under the content folder
    relative: str  # relative to the content folder, with '/'
    head: str  # the front-matter, byte for byte
    body: str
    body_line: int
    slug: str
    strict: bool


def _documents(content: Path, settings: dict) -> list[_File]:
    folders = settings.get("PARAGRAPH_ID_PATHS", types.of(settings).numbered_folders())
    strict_folders = settings.get("STRICT_PARAGRAPH_PATHS", types.of(settings).numbered_folders(strict=True))
    found = []
    for folder in folders:
        for path in sorted((content / folder).rglob("*.md")):
            relative = path.relative_to(content).as_posix()
            text = path.read_text(encoding="utf-8")
            document = frontmatter.split(text, _shown(path))
            head = text[: len(text) - len(document.body)]
            meta = document.metadata
            slug = meta.get("slug") if isinstance(meta.get("slug"), str) else path.stem
            found.append(_File(path, relative, head, document.body, document.body_line, slug,
                               any(relative.startswith(f.strip("/") + "/")
                                   for f in strict_folders)))
    return found


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def cited_paragraphs(content: Path, documents: list[_File]) -> dict[str, set[str]]:
    """slug -> ids cited anywhere under the content folder (prose, `source:`, notes). Quotations
    are not recorded: each carries its words, which the build checks."""
    slugs = {document.slug for document in documents}
    cited: dict[str, set[str]] = {slug: set() for slug in slugs}
    for path in sorted(content.rglob("*.md")):
        for slug, anchor in _CITED.findall(path.read_text(encoding="utf-8")):
            if slug in cited:
                cited[slug].add(anchor)
    return cited


def run(settings_file: str = "pelicanconf.py", files: list[str] | None = None,
        confirm: bool = False, out=sys.stdout) -> int:
    from pelican.settings import read_settings

    settings = read_settings(settings_file)
    content = Path(settings["PATH"])
    lock_path = citation_lock.lock_path(settings)
    problems: list[Problem] = []
    try:
        lock = citation_lock.load(lock_path)
        documents = _documents(content, settings)
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    wanted = None
    if files:
        wanted = {Path(f).resolve() for f in files}
        known = {d.path.resolve() for d in documents}
        for name in files:
            if Path(name).resolve() not in known:
                folders = ", ".join(settings.get("PARAGRAPH_ID_PATHS", []))
                problems.append(Problem(name, "is not a source or briefing note under "
                                        f"{_shown(content)}/ ({folders})",
                                        code="ids.not-a-document"))
    cited = cited_paragraphs(content, documents)
    entries = {}
    for document in documents:
        chosen = wanted is None or document.path.resolve() in wanted
        entry = lock.documents.get(document.relative) or citation_lock.Entry()
        body = document.body
        if chosen:
            result = stamp(body, entry.last_id, strict_blocks=document.strict)
            shown = _shown(document.path)
            for line, message in result.problems:
                problems.append(Problem(shown, _lines(message, document.body_line),
                                        line=None if line is None else document.body_line + line,
                                        code=code_of(message, "markdown.block")))
            if result.added:
                document.path.write_text(document.head + result.text, encoding="utf-8")
                body = result.text
                print(f"{shown}: gave {len(result.added)} paragraph(s) an id: "
                      f"{', '.join(result.added)}", file=out)
        parsed = parse(body, paragraph_ids=True)
        entries[document.relative] = citation_lock.updated(
            entry, document.slug, list(parsed.paragraphs), parsed.paragraphs,
            cited.get(document.slug, set()), confirm and chosen,
            report=lambda line, d=document: print(f"{_shown(d.path)}: {line}", file=out))
    lock.documents = entries
    citation_lock.save(lock_path, lock)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _lines(message: str, body_line: int) -> str:
    return re.sub(r"\{line:(\d+)\}", lambda m: str(body_line + int(m[1])), message)

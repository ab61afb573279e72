"""Pelican reader for `.md` files: YAML front-matter + markdown-it-py body.

The reader is pure: what it returns depends only on the file (Pelican caches it by mtime), so
nothing that depends on other files (entity links, backlinks, citations) is done here.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from typing import Any

from pelican.readers import BaseReader

from ..cache import hooks as cache_hooks
from ..core import contract, types

from . import frontmatter
from ..core.errors import ContentError, Problem, code_of, shown
from .markdown import parse

# Front-matter keys Pelican itself understands, and the types we accept for them.
_TEXT_FIELDS = ("title", "slug", "author", "category", "status", "template", "lang",
                "save_as", "url", "summary")
DEFAULT_MAX_FILE_BYTES = 2_000_000
# Fields that become file names or URLs: a value must not climb out of the site or carry markup.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_TEMPLATE = re.compile(r"^[A-Za-z0-9_-]+$")
# (an empty save_as is Pelican's way of saying "do not write this page")
_PATH = re.compile(r"^(?:(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[A-Za-z0-9._~/-]+)?$")
_SHAPES = {
    "slug": (_SLUG, "is not a valid slug: use lowercase letters, digits and single hyphens, "
                    "e.g. 'south-ossetia'"),
    "lang": (_LANG, "is not a language code like 'en' or 'ru'"),
    "template": (_TEMPLATE, "is not a template name like 'article' (letters, digits, '-', '_')"),
    "save_as": (_PATH, "is not a path inside the site: use letters, digits, '-', '_', '.' and "
                       "'/', no leading '/' and no '.' or '..' parts, e.g. 'notes/x/index.html'"),
    "url": (_PATH, "is not a path inside the site: use letters, digits, '-', '_', '.' and "
                   "'/', no leading '/' and no '.' or '..' parts, e.g. 'notes/x/'"),
}
log = logging.getLogger("research.read.reader")


def display_path(path: str) -> str:
    """The path as an editor would type it: relative to the working directory if inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def field_problems(document: Any, name: str):
    """A maker of Problems for the list field `name` of a read document (`quotes:`,
    `events:`): each at the line of the entry's own field, else of `name:`, found in the
    source map the reader kept (the file is not read again)."""
    path = display_path(document.source_path)
    lines = frontmatter.source_map(document) or frontmatter.Locator("")
    line = frontmatter.field_line(lines.text, name)

    def problem(where: str, message: str, code: str) -> Problem:
        return Problem(path, message, line=lines.line(where) or line, field=where, code=code)

    return problem


def wants_paragraph_ids(source_path: str, settings: dict) -> bool:
    """Sources and briefing notes number their paragraphs; entity descriptions do not."""
    relative = os.path.relpath(source_path, settings["PATH"]).replace(os.sep, "/")
    return any(relative.startswith(prefix.rstrip("/") + "/")
               for prefix in settings.get("PARAGRAPH_ID_PATHS", types.of(settings).numbered_folders()))


def _file_lines(message: str, body_line: int, path: str) -> str:
    """Turn the parser's "{line:N}" (body line N) into the line of the file, and name the
    file in the command it suggests."""
    message = message.replace("`python -m research ids`", f"`python -m research ids {path}`")
    return re.sub(r"\{line:(\d+)\}", lambda m: str(body_line + int(m[1])), message)


def _under(source_path: str, settings: dict, names: tuple[str, ...]) -> bool:
    """Whether the file is in one of the folders that the settings `names` list."""
    relative = os.path.relpath(source_path, settings["PATH"]).replace(os.sep, "/")
    folders = [folder for name in names for folder in (
        settings.get(name, types.of(settings).numbered_folders(strict=True))
        if name == "STRICT_PARAGRAPH_PATHS"
        else settings.get(name)) or ()]
    return any(folder in ("", ".") or relative.startswith(folder.strip("/") + "/")
               for folder in folders)


class ResearchMarkdownReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        # An incremental build keeps the result under the file's bytes (cache/hooks.py).
        return cache_hooks.read(self, source_path, self._read_logged)

    def _read_logged(self, source_path: str) -> tuple[str, dict[str, Any]]:
        try:
            return self._read(source_path)
        except ContentError as err:
            # Pelican catches reader exceptions and logs only "Could not process <file>":
            # log our message first so the editor learns what is wrong and where.
            for problem in err.problems:
                log.error("%s", problem, extra={"code": problem.code})
            raise

    def _read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = display_path(source_path)
        document = self.parse_file(source_path)
        kind = contract.kind_of_document(source_path, self.settings)
        where = frontmatter.SourceMap(document.text, document.body_line)
        if kind:  # a source or briefing note: its whole contract, every problem at once
            problems = contract.check_document(kind, document.metadata, path, where,
                                               getattr(types.of(self.settings).documents.get(kind),
                                                       "schema", None))
            if problems:
                raise ContentError(problems)
        try:
            metadata = self.convert_metadata(document.metadata, path)
            if "title" not in metadata and _under(source_path, self.settings, (
                    "ARTICLE_PATHS", "PAGE_PATHS")) and not _under(
                    source_path, self.settings, ("ENTITY_PATHS",)):
                # Pelican would skip the file, naming it by its absolute path only.
                raise ContentError.at(path, "is required: add a line 'title: ...' to the "
                                      "front-matter", field="title", code="field.required")
        except ContentError as err:
            raise ContentError(frontmatter.with_lines(err.problems, {path: where})) from None
        parsed = parse(document.body,
                       paragraph_ids=wants_paragraph_ids(source_path, self.settings),
                       strict_blocks=_under(source_path, self.settings,
                                            ("STRICT_PARAGRAPH_PATHS",)))
        if parsed.problems:
            raise ContentError([Problem(path, _file_lines(message, document.body_line, path),
                                        line=None if line is None else document.body_line + line,
                                        code=code_of(message, "markdown.block"))
                                for line, message in parsed.problems])
        # Kept from the parse for the cross-document checks (citations, quotations, the lock),
        # so that nothing reads the file or the HTML again.
        metadata["paragraph_count"] = parsed.count
        metadata["source_map"] = where  # field and body lines, for messages after the reader
        if parsed.citations:  # the `[@...]` brackets (cite_syntax.Placeholder), by index
            metadata["cite_placeholders"] = parsed.citations
        if parsed.paragraphs:  # (sources and briefing notes only; entities have none)
            metadata["paragraphs"] = parsed.paragraphs
            metadata["lint_texts"] = parsed.lint_texts  # (what the lint reads: link/lint.py)
            metadata["paragraph_lines"] = {anchor: document.body_line + line
                                           for anchor, line in parsed.lines.items()}
        return parsed.html, metadata

    def parse_file(self, source_path: str) -> frontmatter.Document:
        path = display_path(source_path)
        limit = self.settings.get("MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)
        size = os.path.getsize(source_path)
        if size > limit:
            raise ContentError.at(path, f"the file is {size:,} bytes, over the limit of "
                                  f"{limit:,} (MAX_FILE_BYTES); split it into smaller documents",
                                  code="file.too-large")
        with open(source_path, "rb") as handle:
            text = frontmatter.decode(handle.read(), path)
        return frontmatter.split(text, path)

    def convert_metadata(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        """Turn YAML values into the types Pelican expects; leave our own fields as loaded."""
        metadata: dict[str, Any] = {}
        for key, value in raw.items():
            name = key.lower()
            if value is None:
                continue
            if name in ("date", "modified"):
                metadata[name] = self._date(value, path, name)
            elif name == "tags":
                metadata[name] = self._tags(value, path)
            elif name in _TEXT_FIELDS:
                if not isinstance(value, str):
                    raise ContentError.at(path, f"must be text, not {_type_name(value)}; "
                                          "put the value in quotes", field=name,
                                          code="type.text")
                if name == "summary":  # Pelican treats a summary as HTML: ours is plain text
                    value = html.escape(value.strip(), quote=False)
                if name in _SHAPES and not _SHAPES[name][0].fullmatch(value):
                    raise ContentError.at(path, f"'{value}' {_SHAPES[name][1]}", field=name,
                                          code="slug.format" if name == "slug" else "field.format")
                metadata[name] = self.process_metadata(name, value)
            else:
                metadata[name] = value
        return metadata

    def _date(self, value: Any, path: str, name: str) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return self.process_metadata(name, value)
            except (ValueError, OverflowError):
                pass
        raise ContentError.at(path, f"cannot read {shown(value)} as a date; write it as "
                              "'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS+HH:MM'", field=name,
                              code="date.format")

    def _tags(self, value: Any, path: str) -> list:
        if isinstance(value, str):
            return self.process_metadata("tags", value)
        if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
            return self.process_metadata("tags", [tag for tag in value if tag.strip()])
        raise ContentError.at(path, "must be a list of words, e.g. [Russia, CSTO]", field="tags",
                              code="type.list")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a number", list: "a list", dict: "a mapping",
            dt.date: "a date", dt.datetime: "a date and time"}.get(type(value), type(value).__name__)

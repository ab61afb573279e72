"""Every path the build writes has one writer.

Pelican, our generators, the exports, the theme's static files, `sitemap.xml`, `robots.txt`
and Pagefind all write into one folder. Pelican notices only some of its own collisions, and
lets a page with `save_as` replace another page silently; nothing notices a page written over
an export, a theme file or `robots.txt`. So every writer claims its paths in one
`PathRegistry` per build, and a second claim of a path is a build error naming both writers.

- Pelican's writer is replaced (`get_writer`) by `ClaimingWriter`, which claims each page and
  feed before opening it, naming the document (and its `save_as` or `slug`) or the template.
- Before any output is written (`static_generator_finalized`, after every document was read),
  the paths that are not written through Pelican's writer are claimed: the theme's static
  files, static files, the data exports, `sitemap.xml`, `robots.txt`, and Pagefind's folder.
  The same hook applies the URL policy to every document's link placeholders
  (urlpolicy.py), so a `{static}` link out of the content folder is refused before Pelican
  would copy the file.

A claim also refuses what the file system would refuse later with a traceback: a path that
names a folder (`save_as: briefings/`), a file where another writer needs a folder (or the
reverse), a path outside the site, and a file name longer than 255 bytes.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from pelican.writers import Writer

from ..core.errors import ContentError, Problem
from ..read.reader import display_path

KEY = "RESEARCH_WRITTEN_PATHS"  # the build's PathRegistry, in Pelican's settings
NAME_MAX = 255  # bytes in one file name (ext4, xfs, btrfs, tmpfs, APFS, NTFS)


@dataclass(frozen=True)
class Source:
    """Who writes a path: a document (`path`, and the `field` that decides where its page
    goes) or a part of the build (`label` only)."""

    label: str
    path: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.label


def document_source(content) -> Source:
    """The source of a content object's page."""
    path = display_path(content.source_path)
    field = "save_as" if hasattr(content, "override_save_as") else "slug"
    return Source(path, path, field)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PathRegistry:
    """The paths (relative to the output folder, `/`-separated) claimed in one build."""

    def __init__(self) -> None:
        self.files: dict[str, Source] = {}
        self.folders: dict[str, str] = {}  # folder -> the first file claimed inside it
        self.trees: dict[str, Source] = {}  # folders written as a whole (Pagefind)
        self.last: str | None = None  # the path being written (named when a write fails)

    def source_of(self, path: str) -> Source | None:
        return self.files.get(path)

    def claim(self, path: str, source: Source) -> None:
        problem = self._check(path, source)
        if problem:
            raise ContentError(problem)
        self.files[path] = source
        for folder in _parents(path):
            self.folders.setdefault(folder, path)
        self.last = path

    def claim_tree(self, folder: str, source: Source) -> None:
        folder = folder.strip("/")
        inside = next((path for path in self.files if path.startswith(folder + "/")), None)
        if inside is not None:
            raise ContentError(_collision(inside, self.files[inside], source))
        self.trees[folder] = source

    def _check(self, path: str, source: Source) -> Problem | None:
        if not path or path.endswith("/"):
            return _problem(source, path, f"'{_short(path)}' names a folder, not a file; "
                            "write a file name, e.g. 'notes/x/index.html'", "path.folder")
        normal = posixpath.normpath(path)
        if normal != path or normal.startswith("../") or normal == ".." or path.startswith("/"):
            return _problem(source, path, f"'{_short(path)}' is not a plain path inside the "
                            "site; write it without '.', '..' or a leading '/'",
                            "path.outside")
        for part in path.split("/"):
            size = len(part.encode("utf-8"))
            if size > NAME_MAX:
                return _problem(source, path, f"the file name '{_short(part, 40)}' is {size} "
                                f"bytes long, over the limit of {NAME_MAX} of file systems; "
                                "make it shorter", "path.name-too-long")
        if path in self.files:
            return _collision(path, self.files[path], source)
        if path in self.folders:
            inside = self.folders[path]
            return _collision(path, source, self.files[inside],
                              f"'{path}' is both a file and the folder of '{_short(inside)}'")
        for folder in _parents(path):
            if folder in self.files:
                return _collision(folder, self.files[folder], source,
                                  f"'{folder}' is both a file and the folder of "
                                  f"'{_short(path)}'")
            if folder in self.trees:
                return _collision(folder, self.trees[folder], source,
                                  f"'{_short(path)}' is inside '{folder}/', a folder written "
                                  "as a whole")
        if path in self.trees:
            return _collision(path, self.trees[path], source)
        return None


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _problem(source: Source, path: str, message: str, code: str) -> Problem:
    if source.path:
        return Problem(source.path, message, field=source.field, code=code)
    return Problem(path or ".", f"{source.label}: {message}", code=code)


def _collision(path: str, first: Source, second: Source, what: str | None = None) -> Problem:
    """Two writers of one path: reported on the document among them (with the field that
    places its page), naming the other writer."""
    # The document whose save_as placed it there is the one to change; else the later one.
    if first.field == "save_as" and second.field != "save_as":
        document, other = first, second
    elif second.path or not first.path:
        document, other = second, first
    else:
        document, other = first, second
    what = what or f"'{_short(path)}' is written twice"
    if document.path:
        how = (f"give it another {document.field}" if document.field
               else "give one of them another place")
        return Problem(document.path, f"{what}, by this file and by {other}; every file of "
                       f"the site has one writer: {how}", field=document.field,
                       code="path.written-twice")
    return Problem(path, f"{what}, by {first} and by {second}; every file of the site has "
                   "one writer", code="path.written-twice")


def registry(settings: dict) -> PathRegistry:
    """The build's registry (made on first use: a plain `pelican` run has no build driver)."""
    found = settings.get(KEY)
    if not isinstance(found, PathRegistry):
        found = settings[KEY] = PathRegistry()
    return found


def new_build(pelican) -> None:
    """`initialized` handler: a fresh registry for every Pelican run (`serve` rebuilds in one
    process)."""
    pelican.settings[KEY] = PathRegistry()


class ClaimingWriter(Writer):
    """Pelican's writer, claiming each page and feed before it is opened."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.paths = registry(self.settings)
        self._source: Source | None = None

    def write_file(self, name, template, context, *args, **kwargs):
        if isinstance(name, str) and name:
            self._source = _page_source(name, template, kwargs)
            if name.endswith("/"):
                raise ContentError(_problem(self._source, name, f"'{_short(name)}' names a "
                                            "folder, not a file; write a file name, e.g. "
                                            "'notes/x/index.html'", "path.folder"))
            # Claimed before Pelican makes the page's folders: a file where a folder must be
            # would fail there with a traceback (EEXIST, NotADirectoryError).
            self._claim(os.path.join(self.output_path, name))
        try:
            return super().write_file(name, template, context, *args, **kwargs)
        finally:
            self._source = None

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        self._source = Source(f"the feed {path}")
        try:
            return super().write_feed(elements, context, path, *args, **kwargs)
        finally:
            self._source = None

    def _claim(self, filename: str) -> None:
        relative = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
        if filename.endswith(("/", os.sep)):
            relative += "/"
        source = self._source or Source(f"Pelican ({relative})")
        if self.paths.source_of(relative) is not source:  # not claimed by write_file above
            self.paths.claim(relative, source)

    def _open_w(self, filename, encoding, override=False):
        self._claim(filename)
        return super()._open_w(filename, encoding, override)


def _page_source(name: str, template, kwargs: dict) -> Source:
    for key in ("article", "page"):
        content = kwargs.get(key)
        if getattr(content, "source_path", None):
            return document_source(content)
    for key in ("tag", "category", "author"):
        if kwargs.get(key) is not None and getattr(kwargs[key], "save_as", None) == name:
            return Source(f"the {key} page of '{_short(str(kwargs[key]), 40)}'")
    template_name = getattr(template, "name", None) or "a template"
    return Source(f"the page written with the theme's {template_name}")


def writer_class(pelican):
    """`get_writer` handler. An incremental build's writer also copies unchanged pages from
    the previous output (reuse.py)."""
    from ..cache import store
    from .reuse import ReusingWriter

    return ReusingWriter if store.of(pelican.settings) else ClaimingWriter


def theme_static_files(settings: dict) -> list[tuple[str, str]]:
    """(output path, file in the theme) of each theme file Pelican copies (THEME_STATIC_PATHS into
    THEME_STATIC_DIR), in the layout of StaticGenerator._copy_paths."""
    theme = Path(settings["THEME"])
    folder = settings.get("THEME_STATIC_DIR", "theme").strip("/")
    found = []
    for entry in settings.get("THEME_STATIC_PATHS", ["static"]):
        source = theme / entry
        if source.is_file():
            found.append((posixpath.join(folder, source.name), entry))
            continue
        for root, _dirs, files in os.walk(source):
            for name in files:
                relative = (Path(root) / name).relative_to(source).as_posix()
                found.append((posixpath.normpath(posixpath.join(folder, relative)),
                              posixpath.join(entry, relative)))
    return sorted(found)


def url_overrides(context: dict) -> list[Problem]:
    """A `url:` in front-matter must be where the page is written: else every link to the
    page (and its entry in the feed, the sitemap, search) leads to another page."""
    problems = []
    seen = set()
    for content in context.get("generated_content", {}).values():
        if content is None or id(content) in seen or not hasattr(content, "override_url"):
            continue
        seen.add(id(content))
        url, save_as = content.url, content.save_as
        expected = url + "index.html" if url.endswith("/") or not url else url
        if save_as != expected:
            problems.append(Problem(display_path(content.source_path),
                                    f"'{_short(url)}' is not where this page is written "
                                    f"('{_short(save_as)}'); remove url, or give save_as "
                                    f"'{_short(expected)}' too", field="url",
                                    code="url.save-as"))
    return problems


def claim_before_output(generator) -> None:
    """`static_generator_finalized` handler: check every document's link placeholders and
    the static files, then claim what is not written through Pelican's writer."""
    from ..export import formats as data_exports, tables as exports
    from ..cli import outputs
    from ..index import search_index
    from . import urlpolicy

    settings = generator.settings
    paths = registry(settings)
    # The documents first: a static file out of bounds is then named with the link to it.
    problems = urlpolicy.check_placeholders(generator.context, settings) or \
        urlpolicy.check_static_files(generator.staticfiles, settings, generator.output_path)
    problems += url_overrides(generator.context)
    if problems:
        raise ContentError(problems)
    for output, source in theme_static_files(settings):
        paths.claim(output, Source(f"the theme's {source}"))
    for static in generator.staticfiles:
        source = display_path(os.path.join(generator.path, static.source_path))
        paths.claim(static.save_as, Source(f"the static file {source}"))
    for output in exports.PATHS:
        paths.claim(output, Source(f"the data export {output} (exports.py)"))
    for output in data_exports.PATHS:
        paths.claim(output, Source(f"the data export {output} (data_exports/)"))
    paths.claim(outputs.MARKER, Source(f"the build's marker file {outputs.MARKER} (outputs.py)"))
    for output in ("sitemap.xml", "robots.txt"):
        paths.claim(output, Source(f"the build's {output} (sitemap.py)"))
    if search_index.enabled(settings):
        paths.claim_tree(search_index.BUNDLE, Source("the search index (Pagefind)"))

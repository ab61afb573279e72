"""Deterministic digests of build inputs.

`canon()` turns a value into nested tuples of plain values whose `repr` is stable from one
process to the next (no object addresses, no set order), so that two builds of the same inputs
get the same digest. Content objects and entities nested inside other values become references
(their source path, their slug): their own data is hashed once, where the page that shows them
is fingerprinted, not again inside every list that names them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import platform
from pathlib import Path
from typing import Any

FORMAT = 2  # bump when what is cached, or how it is keyed, changes shape

# Settings that differ between two builds of the same site without changing any page: the
# staging folder, and the per-build objects our hooks keep in the settings.
VOLATILE_SETTINGS = ("OUTPUT_PATH", "CACHE_PATH", "RESEARCH_WRITTEN_PATHS",
                     "RESEARCH_INCREMENTAL", "RESEARCH_BUILD_STATE")


class Unstable(Exception):
    """A value has no stable canonical form (its repr names a memory address)."""


def digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def file_digest(path: str | os.PathLike) -> str:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def folder_digest(folder: str | os.PathLike, suffixes: tuple[str, ...] | None = None,
                  skip: set[str] | None = None, skip_folders: tuple[str, ...] = ()) -> str:
    """The digest of every file under `folder` (names and bytes), in a fixed order;
    `skip` holds absolute paths left out (the documents, hashed on their own),
    `skip_folders` names of folders directly under `folder` left out."""
    folder = os.path.abspath(folder)
    parts = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__"
                         and not (root == folder and d in skip_folders))
        for name in sorted(files):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)
            if skip and path in skip:
                continue
            try:
                parts.append((os.path.relpath(path, folder), file_digest(path)))
            except OSError:
                parts.append((os.path.relpath(path, folder), None))
    return digest(parts)


def _is_content(value: Any) -> bool:
    # (by shape, not class: only the adapter imports Pelican's content classes)
    return hasattr(value, "_content") and hasattr(value, "metadata") and \
        hasattr(value, "source_path")


def _is_url_wrapper(value: Any) -> bool:
    return any(cls.__name__ == "URLWrapper" for cls in type(value).__mro__)


_PLAIN = (str, int, float, bool, bytes, type(None))


def canon(value: Any, *, deep: bool = False, _seen: set | None = None) -> Any:
    """A stable, hashable picture of `value`. With `deep`, a content object at the top is
    pictured whole (every attribute but Pelican's settings and context); nested ones are
    always references."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        # (a datetime subclass may memoise formats in its __dict__: not part of its value)
        return (type(value).__name__, value.isoformat(), str(getattr(value, "tzinfo", "")))
    if isinstance(value, (list, tuple)):
        return tuple(canon(v, _seen=_seen) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((canon(v, _seen=_seen) for v in value), key=repr)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((canon(k, _seen=_seen), canon(v, _seen=_seen))
                                      for k, v in value.items()), key=repr)))
    if _is_content(value):
        if not deep:
            return ("content", getattr(value, "source_path", None), type(value).__name__)
        return content_picture(value)
    if _is_url_wrapper(value):
        return (type(value).__name__, value.name, value.slug, value.url, value.save_as)
    if callable(value) and hasattr(value, "__qualname__"):
        return ("callable", getattr(value, "__module__", ""), value.__qualname__)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        slug = getattr(value, "slug", None)
        _seen = set() if _seen is None else _seen
        if id(value) in _seen:
            return ("cycle", type(value).__name__, slug)
        _seen.add(id(value))
        try:
            return (type(value).__name__, tuple(
                (f.name, canon(getattr(value, f.name, None), _seen=_seen))
                for f in dataclasses.fields(value)))
        finally:
            _seen.discard(id(value))
    text = repr(value)
    if " at 0x" in text:
        raise Unstable(type(value).__name__)
    return (type(value).__name__, text)


# Attributes of a content object that are Pelican's plumbing, not the page's data.
_PLUMBING = {"settings", "_context", "_summary_cache"}


def content_picture(content: Any, leave_out: frozenset[str] = frozenset()) -> tuple:
    """Every attribute of a content object (metadata, HTML, mentions, citations, URLs), less
    Pelican's settings and context and the names in `leave_out`."""
    items = []
    for name, value in sorted(vars(content).items()):
        if name in _PLUMBING or name in leave_out:
            continue
        if name == "metadata" and leave_out:
            value = {k: v for k, v in value.items() if k not in leave_out}
        items.append((name, canon(value)))
    return (type(content).__name__, tuple(items))


def code_digest() -> str:
    """The plugin's own code: any change to it may change any page."""
    import markdown_it
    import pelican

    package = Path(__file__).resolve().parent.parent
    return digest(FORMAT, folder_digest(package, (".py",)), platform.python_version(),
                  getattr(pelican, "__version__", "?"), getattr(markdown_it, "__version__", "?"))


def settings_digest(settings: dict, settings_file: str | None) -> str:
    """The settings' values, and the Python files beside the settings file (publishconf.py
    imports pelicanconf.py; a filter defined there can change without a value changing)."""
    values = []
    for key in sorted(settings):
        if key in VOLATILE_SETTINGS:
            continue
        try:
            values.append((key, canon(settings[key])))
        except Unstable as err:
            values.append((key, ("unstable", str(err))))
    beside = None
    if settings_file:
        beside = folder_digest_flat(Path(os.path.abspath(settings_file)).parent, ".py")
    return digest(values, beside)


def folder_digest_flat(folder: Path, suffix: str) -> str:
    parts = []
    try:
        names = sorted(entry.name for entry in os.scandir(folder)
                       if entry.is_file() and entry.name.endswith(suffix))
    except OSError:
        names = []
    for name in names:
        try:
            parts.append((name, file_digest(folder / name)))
        except OSError:
            parts.append((name, None))
    return digest(parts)


TEMPLATES = "templates"  # the theme's folder of templates: tracked page by page (reuse.py)


def version(settings: dict, settings_file: str | None) -> str:
    """What every cached result depends on: code, theme, settings, and today's date (pages
    say what is in force "today", and the exports are dated by the build's day). The
    theme's templates are not part of it: each page's fingerprint holds the templates its
    rendering loaded (guard/reuse.py); the theme's other files (static files) are."""
    theme = (folder_digest(settings["THEME"], skip_folders=(TEMPLATES,))
             if settings.get("THEME") else None)
    return digest(FORMAT, code_digest(), theme, settings_digest(settings, settings_file),
                  dt.date.today().isoformat())

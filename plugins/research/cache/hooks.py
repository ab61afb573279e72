"""The small hooks the pipeline calls; each does nothing without a store in the settings.

Cached values are kept pickled from the moment they are computed, and unpickled afresh for
each use: later stages may change what the reader or the linker returned (metadata dicts,
lists), and the next build must get what was computed, not what was made of it. Pelican's
settings inside a value (Tags and Authors carry them) are pickled as a reference to the
current build's settings.
"""

from __future__ import annotations

import io
import os
import pickle

from . import fingerprint
from .store import of

_SETTINGS = "settings"


class _Pickler(pickle.Pickler):
    def __init__(self, handle, settings):
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        return _SETTINGS if obj is self._settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, settings):
        super().__init__(handle)
        self._settings = settings

    def persistent_load(self, pid):
        if pid == _SETTINGS:
            return self._settings
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def _dumps(value, settings) -> bytes | None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, settings).dump(value)
    except Exception:  # noqa: BLE001 (a value that does not pickle is simply not cached)
        return None
    return buffer.getvalue()


def _loads(data: bytes, settings):
    return _Unpickler(io.BytesIO(data), settings).load()


def _cached(store, table: dict, old: dict, key: str, compute, settings, counter: str):
    data = old.get(key)
    if data is not None:
        try:
            value = _loads(data, settings)
        except Exception:  # noqa: BLE001 (a damaged entry: compute it again)
            data = None
    if data is None:
        value = compute()
        store.stats[counter] = store.stats.get(counter, 0) + 1
        data = _dumps(value, settings)
    if data is not None:
        table[key] = data
    return value


def read(reader, source_path: str, compute):
    """The reader's result for a file, keyed by its bytes and path (the folder decides how a
    file is read: paragraph ids, strict blocks) within the build's version (code, settings)."""
    settings = reader.settings
    store = of(settings)
    if store is None:
        return compute(source_path)
    try:
        with open(source_path, "rb") as handle:
            key = fingerprint.digest(os.path.abspath(source_path), type(reader).__name__,
                                     fingerprint.bytes_digest(handle.read()))
    except OSError:
        return compute(source_path)
    return _cached(store, store.reader, store.old_reader, key, lambda: compute(source_path),
                   settings, "reread")


def entity(settings: dict, source_path: str, shown: str, compute):
    """The model stage's reading of one entity file (its `Entity` record and the problems,
    each located at its field's line: composing the front-matter's line map is most of the
    cost), keyed like the reader's result by the file's bytes and path and the path shown in
    messages, within the build's version (the type table is a setting)."""
    store = of(settings)
    if store is None:
        return compute()
    try:
        with open(source_path, "rb") as handle:
            key = fingerprint.digest("entity", os.path.abspath(source_path), shown,
                                     fingerprint.bytes_digest(handle.read()))
    except OSError:
        return compute()
    return _cached(store, store.entities, store.old_entities, key, compute, settings,
                   "reentity")


class CachingLinker:
    """The linker, with each result kept under the HTML it linked and the name table."""

    def __init__(self, linker, store, settings, table: str):
        self._linker, self._store, self._settings, self._table = linker, store, settings, table

    def __getattr__(self, name):  # the lint and others use the linker's automaton
        return getattr(self._linker, name)

    def link(self, document: str, href, entity_class, self_slug: str | None = None):
        key = fingerprint.digest(self._table, self_slug, fingerprint.bytes_digest(
            document.encode("utf-8", "surrogatepass")))
        return _cached(self._store, self._store.link, self._store.old_link, key,
                       lambda: self._linker.link(document, href, entity_class, self_slug),
                       self._settings, "relinked")


def linker(settings: dict, linker, forms: dict, hrefs: dict, classes: dict, extra=()):
    """`linker` wrapped in a cache when the build is incremental. The key of a document's
    result is its HTML and the name table: every surface form and the slug it names, each
    entity's link target and class, the adjectives and phrases (`extra`)."""
    store = of(settings)
    if store is None:
        return linker
    store.link_table = fingerprint.digest(sorted(forms.items()), sorted(hrefs.items()),
                                          sorted(classes.items()),
                                          fingerprint.canon(extra))
    return CachingLinker(linker, store, settings, store.link_table)


def contents(settings: dict, items: list) -> None:
    """The content objects whose pages and listings the page fingerprints picture (the
    documents and the entity pages), once they are linked."""
    store = of(settings)
    if store is not None:
        store.contents = list(items)
        store.site = None

"""The build state kept between builds (`.research-cache/<output name>/state.pickle`).

What is kept, and keyed by what (docs/performance.md, "Incremental builds"):

| entry | key | value |
|---|---|---|
| reader | the file's bytes (BLAKE2b), its path and how it is parsed | front-matter and parsed body |
| link | the HTML as read, the entity whose page it is, the name table (`link_table`) | linked HTML, mention records, unknown slugs |
| page | the output path it was written to | the page's fingerprint and the files written (size, mtime) |
| memo | a part of a file written outside the writer, and what it is made from | that part (FtM's lines of one document) |

The whole store belongs to one `version` (fingerprint.version: plugin code, theme, settings,
Pelican, today's date): a store of another version is ignored, so a change to any of them
rebuilds everything. It is written only after a successful swap, to a temporary file renamed
over the old one, so a killed build leaves the previous store, which describes the previous
output: never a store that claims pages that were not written. A store that cannot be read
(corrupt, truncated, from another version of this code) is ignored with a one-line note and
the build is a full one.
"""

from __future__ import annotations

import os
import pickle
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from . import fingerprint

KEY = "RESEARCH_INCREMENTAL"  # the build's Store, in Pelican's settings
FOLDER = ".research-cache"
FILE = "state.pickle"


@dataclass
class Store:
    folder: Path  # .research-cache/<output name>
    target: Path  # the output folder the previous build was swapped into
    version: str
    content_path: str = ""  # the content folder (PATH)
    # previous build (read only during this one) and this build (saved after the swap)
    old_reader: dict = field(default_factory=dict)
    old_link: dict = field(default_factory=dict)
    old_pages: dict = field(default_factory=dict)
    old_entities: dict = field(default_factory=dict)
    old_memo: dict = field(default_factory=dict)
    reader: dict = field(default_factory=dict)
    entities: dict = field(default_factory=dict)  # model stage: entity file -> Entity
    link: dict = field(default_factory=dict)
    # parts of files written outside the writer, by group (guard/reuse.memo: FtM's lines
    # per document)
    memo: dict = field(default_factory=dict)
    # output path -> (fingerprint, [files], what rendering it recorded in the build state)
    pages: dict = field(default_factory=dict)
    settings: dict | None = field(default=None, repr=False)
    note: str | None = None  # why the previous state was not used, for the build report
    # filled by the link hook; read by the page fingerprints
    contents: list = field(default_factory=list)
    link_table: str | None = None
    site: dict | None = None  # digests of the whole site, computed once per build
    template_digests: dict = field(default_factory=dict)  # template name -> its source now
    # files this build copied from the previous output: relative path -> (size, mtime_ns)
    # as copied (the URL scan skips a file still so: its bytes passed the last build's scan)
    copied: dict = field(default_factory=dict)
    shared_names: tuple | None = None  # guard/reuse._shared_name: the context's values
    stats: dict = field(default_factory=lambda: {"reused": 0, "rendered": 0, "relinked": 0,
                                                 "reread": 0, "reentity": 0})

    def unchanged(self, files) -> bool:
        """The previous build's files `(relative, size, mtime)` are still in the output as
        it left them (an output changed by hand, or by a full build, is not trusted)."""
        for relative, size, mtime in files:
            try:
                info = os.stat(self.target / relative)
            except OSError:
                return False
            if info.st_size != size or info.st_mtime_ns != mtime:
                return False
        return True

    def __reduce__(self):  # never pickled with the settings (Pelican's own cache, copies)
        raise TypeError("the incremental store is not picklable")


def location(target: Path) -> Path:
    """Beside the output folder, outside it (the output is replaced as a whole), one folder
    per output folder (a local and a publish build of one site keep separate states)."""
    return target.parent / FOLDER / target.name


def load(target: Path, version: str) -> Store:
    folder = location(target)
    store = Store(folder, target, version)
    path = folder / FILE
    if not path.exists():
        return store
    try:
        with open(path, "rb") as handle:
            saved = pickle.load(handle)
        if not isinstance(saved, dict) or saved.get("format") != fingerprint.FORMAT:
            raise ValueError("another format")
    except Exception as err:  # noqa: BLE001 (any unreadable state means: build everything)
        store.note = (f"note: the incremental build state {path} cannot be read "
                      f"({type(err).__name__}); building everything")
        return store
    if saved.get("version") != version or saved.get("target") != str(target):
        return store  # code, theme, settings or the day changed: everything is rebuilt
    store.old_reader = saved.get("reader") or {}
    store.old_link = saved.get("link") or {}
    store.old_pages = saved.get("pages") or {}
    store.old_entities = saved.get("entities") or {}
    store.old_memo = saved.get("memo") or {}
    return store


def save(store: Store) -> str | None:
    """After the swap: record what the output now holds, atomically; a note on failure."""
    pages = {}
    for name, (print_, files, *recorded) in store.pages.items():
        stamped = []
        for relative in files:
            try:
                info = os.stat(store.target / relative)
            except OSError:
                stamped = None
                break
            stamped.append((relative, info.st_size, info.st_mtime_ns))
        if stamped is not None:
            pages[name] = (print_, stamped, *recorded)
    data = {"format": fingerprint.FORMAT, "version": store.version,
            "target": str(store.target), "reader": store.reader, "link": store.link,
            "entities": store.entities, "memo": store.memo,
            "pages": pages}
    temporary = store.folder / f".{FILE}.{secrets.token_hex(4)}"
    try:
        store.folder.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, store.folder / FILE)
    except Exception as err:  # noqa: BLE001 (the site is built; only the next build is slower)
        try:
            temporary.unlink()
        except OSError:
            pass
        return (f"note: could not save the incremental build state in {store.folder} "
                f"({err}); the next build is a full one")
    return None


def discard(target: Path) -> None:
    """Remove a saved state (a full build that could not record what it wrote)."""
    try:
        (location(target) / FILE).unlink()
    except OSError:
        pass


def of(settings: dict) -> Store | None:
    found = settings.get(KEY)
    return found if isinstance(found, Store) else None

"""The steps the build driver runs after Pelican, on the staging folder, before the swap:
one pass over the written files (the URL policy's scan, urlpolicy.py), `sitemap.xml` and
`robots.txt` (sitemap.py, with each page's date as the render stage recorded it), then the search index
(search_index.py).

They work on the finished files rather than inside Pelican, so they see every page whoever
wrote it. A failure is returned as problems, like a content error: the build fails and the
previous site stays in place.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..cache import store as cache_store
from ..index import search_index, sitemap

from ..guard import urlpolicy
from ..core.errors import Coded
from ..core.state import KEY, BuildState
from ..guard.written import PathRegistry


def scan(staging: Path, paths: PathRegistry | None, copied: dict | None = None) -> list[str]:
    """Read every written markup file once: URL problems. Pagefind's bundle is not ours and
    is written after this. `copied` (an incremental build): files copied from the previous
    output, each with its size and modification time as copied; a file still so has the
    bytes the previous build's scan passed (the same code: the state's version), and is not
    read again. A file rewritten in place since (LINK_INDEX_FILES) has another time."""
    problems: list[str] = []
    copied = copied or {}
    for root, folders, files in os.walk(staging):
        folders.sort()
        if root == str(staging):
            folders[:] = [f for f in folders if f != search_index.BUNDLE]
        for name in sorted(files):
            if not name.endswith(urlpolicy.SCANNED):
                continue
            full = os.path.join(root, name)
            relative = os.path.relpath(full, staging).replace(os.sep, "/")
            kept = copied.get(relative)
            if kept is not None:
                info = os.stat(full)
                if (info.st_size, info.st_mtime_ns) == kept:
                    continue
            with open(full, "rb") as handle:
                data = handle.read()
            source = paths.source_of(relative) if paths else None
            problems += urlpolicy.scan_problems(relative, data, source.path if source else None)
    return problems


def finish(settings: dict, staging: Path, paths: PathRegistry | None = None) -> list[str]:
    siteurl = settings.get("SITEURL") or ""
    state = settings.get(KEY)
    dates = sitemap.dates_by_path(state.page_dates if isinstance(state, BuildState) else {})
    try:
        store = cache_store.of(settings)
        problems = scan(staging, paths, store.copied if store is not None else None)
    except OSError as err:
        return [Coded(f"cannot read the written site back: {err.strerror} ({err.filename})",
                      "os.read")]
    if problems:
        return problems
    try:
        sitemap.write(staging, siteurl, dates)
    except OSError as err:
        return [Coded(f"sitemap: cannot write sitemap.xml or robots.txt: {err.strerror}",
                      "os.write")]
    if search_index.enabled(settings):
        return search_index.index_site(staging, cache_store.of(settings))
    return []

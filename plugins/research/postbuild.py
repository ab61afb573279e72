"""The steps the build driver runs after Pelican, on the staging folder, before the swap:
`sitemap.xml` and `robots.txt` (sitemap.py), then the search index (search_index.py).

They work on the finished HTML rather than inside Pelican, so they see every page whoever
wrote it. A failure is returned as problems, like a content error: the build fails and the
previous site stays in place.
"""

from __future__ import annotations

from pathlib import Path

from . import search_index, sitemap


def read_settings(settings_file: str, output: Path, overrides: dict | None) -> dict:
    """The settings Pelican built with (the same file and overrides)."""
    from pelican.settings import read_settings as pelican_settings

    return pelican_settings(settings_file, override={"OUTPUT_PATH": str(output),
                                                     **(overrides or {})})


def finish(settings_file: str, staging: Path, overrides: dict | None = None) -> list[str]:
    settings = read_settings(settings_file, staging, overrides)
    siteurl = settings.get("SITEURL") or ""
    try:
        sitemap.write(staging, siteurl)
    except OSError as err:
        return [f"sitemap: cannot write sitemap.xml or robots.txt: {err}"]
    if search_index.enabled(settings):
        return search_index.index_site(staging)
    return []

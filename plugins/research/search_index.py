"""Full-text search: Pagefind indexes the built site into `<output>/pagefind/`.

Run by the build driver on the staging folder after Pelican succeeded and before the folder is
swapped in (postbuild.py), so `make html`, `make serve` and `make publish` all get an index, and
a failed index fails the build like any other problem. Pagefind comes as a binary inside the
`pagefind-bin` wheel and works offline.

What is indexed is decided in the theme: only elements marked `data-pagefind-body` (the article
of a source, briefing note or entity page), minus `data-pagefind-ignore` parts ("Mentioned in",
"Related", "Cited by"); `data-pagefind-filter="type:..."` gives the filter by type and
`data-pagefind-meta="title"` the result titles. Set `SEARCH_INDEX = False` to skip it (the
search box is then left out of the pages too).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SETTING = "SEARCH_INDEX"
BUNDLE = "pagefind"  # the folder Pagefind writes, relative to the site
TIMEOUT = 600  # seconds


def enabled(settings: dict) -> bool:
    return bool(settings.get(SETTING, False))


def executable() -> Path:
    """The Pagefind binary shipped in the pagefind-bin wheel."""
    from pagefind_bin import get_executable

    return get_executable()


def command(site: Path) -> list[str]:
    return [str(executable()), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"]


def index_site(site: Path) -> list[str]:
    """Index the HTML under `site`; return problems (empty when the index was written)."""
    hint = f"install it (pip install pagefind-bin) or set {SETTING} = False in the settings"
    try:
        argv = command(site)
    except (ImportError, FileNotFoundError) as err:
        return [f"search index: Pagefind is not available ({err}); {hint}"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except OSError as err:
        return [f"search index: cannot run Pagefind ({err}); {hint}"]
    except subprocess.TimeoutExpired:
        return [f"search index: Pagefind did not finish within {TIMEOUT} seconds"]
    if done.returncode != 0:
        return [f"search index: Pagefind failed with exit status {done.returncode}: "
                f"{_tail(done.stderr or done.stdout)}"]
    if not (site / BUNDLE / "pagefind-ui.js").is_file():
        return [f"search index: Pagefind reported success but wrote no {BUNDLE}/pagefind-ui.js: "
                f"{_tail(done.stderr or done.stdout)}"]
    return []


def _tail(text: str, lines: int = 8) -> str:
    kept = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "no output"

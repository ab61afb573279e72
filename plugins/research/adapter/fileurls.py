"""Links that work from disk: `LINK_INDEX_FILES = True` rewrites every relative link to a
folder (`../countries/russia/`, `./`) as a link to its `index.html`.

A browser opening a page as `file://` shows a folder's listing, not its `index.html`, so a site
with pretty folder URLs cannot be read from disk by following links. With this setting (on in
local builds when the environment has `LINK_INDEX_FILES=1`, see pelicanconf.py) the written
pages link to the files themselves; served over http they work the same. Absolute links (a
publish build) are never touched.

Runs on Pelican's `finalized` signal over the written HTML, one pass per file, so every link
(templates, content, SVG) is covered whoever wrote it. Deterministic: a pure text rewrite.
"""

from __future__ import annotations

import re
from pathlib import Path

SETTING = "LINK_INDEX_FILES"

# href="..." / src="..." values: relative (no scheme, not "/", "#", "?" or "//" first).
_ATTRIBUTE = re.compile(r'(\s(?:href|xlink:href)=")([^"#?:]*)([?#][^"]*)?(")')


def _to_file(match: re.Match) -> str:
    prefix, path, rest, quote = match.group(1), match.group(2), match.group(3) or "", match.group(4)
    if not path or path.startswith("/"):  # "#fragment" on the same page, or root-absolute
        return match.group(0)
    if path.endswith("/"):
        path += "index.html"
    elif path in (".", ".."):
        path += "/index.html"
    else:
        return match.group(0)
    return f"{prefix}{path}{rest}{quote}"


def rewrite(text: str) -> str:
    """The page with every relative folder link pointing at the folder's index.html."""
    return _ATTRIBUTE.sub(_to_file, text)


def link_index_files(pelican) -> None:
    settings = pelican.settings
    if not settings.get(SETTING) or not settings.get("RELATIVE_URLS"):
        return
    for page in sorted(Path(pelican.output_path).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        changed = rewrite(text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")

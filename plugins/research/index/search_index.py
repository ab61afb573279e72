"""Full-text search: Pagefind indexes the built site into `<output>/pagefind/`.

Run by the build driver on the staging folder after Pelican succeeded and before the folder is
swapped in (cli/postbuild.py), so `make html`, `make serve` and `make publish` all get an index, and
a failed index fails the build like any other problem. Pagefind comes as a binary inside the
`pagefind-bin` wheel and works offline.

What is indexed is decided in the theme: only elements marked `data-pagefind-body` (the article
of a source, briefing note or entity page), minus `data-pagefind-ignore` parts ("Mentioned in",
"Related", "Cited by"); `data-pagefind-filter="type:..."` gives the filter by type and
`data-pagefind-meta="title"` the result titles. Before indexing, each indexed page gets the
other spellings of the words it uses (SPELLINGS: defence/defense, ...), so either finds it. Set `SEARCH_INDEX = False` to skip it (the
search box is then left out of the pages too).
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from ..core.errors import Coded

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


# Spellings that name the same thing: a page using one is also found by the others. British
# and American spelling (the article writes "missile defense", the notes "missile defence")
# and transliterations of Russian names. Diacritics need no entry: Pagefind folds them
# ("Swanstrom" finds "Swanström").
SPELLINGS = [
    ("defence", "defense"), ("defences", "defenses"),
    ("organisation", "organization"), ("organisations", "organizations"),
    ("organised", "organized"), ("recognise", "recognize"), ("recognised", "recognized"),
    ("recognises", "recognizes"), ("recognising", "recognizing"),
    ("centre", "center"), ("programme", "program"), ("co-operation", "cooperation"),
    ("Sergei", "Sergey"), ("Dmitry", "Dmitri"), ("Nikolai", "Nikolay"), ("Mikheil", "Mikhail"),
]
SPELLINGS_ATTRIBUTE = "data-spellings"
MAX_REPEATS = 20  # times one other spelling is given on one page
_BODY = re.compile(r"<([a-z]+)\b[^>]*\sdata-pagefind-body\b[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _IndexedText(HTMLParser):
    """The text Pagefind indexes: inside the body element, outside data-pagefind-ignore."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.ignored = 0  # depth inside an ignored element (0: not ignored)

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.ignored:
            self.ignored += 1
        elif any(name == "data-pagefind-ignore" for name, _ in attrs):
            self.ignored = 1

    def handle_endtag(self, tag):
        if self.ignored and tag not in _VOID:
            self.ignored -= 1

    def handle_data(self, data):
        if not self.ignored:
            self.parts.append(data)


def _spelling_index(groups) -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    other: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for word in group:
            other[word.casefold()] = tuple(w for w in group if w != word)
    words = sorted(other, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])",
                      re.IGNORECASE), other


def add_spellings(page: str, groups=SPELLINGS) -> str:
    """The page with the other spellings of the words it uses, as text Pagefind indexes
    (an empty element at the end of the indexed part, `data-pagefind-index-attrs`). Pages
    outside the index, or using no such word, are returned unchanged; so is a page that
    has its spellings already (an incremental build's copy of an unchanged page)."""
    if f'data-pagefind-index-attrs="{SPELLINGS_ATTRIBUTE}"' in page:
        return page
    body = _BODY.search(page)
    if body is None:
        return page
    close = page.rfind(f"</{body.group(1)}>")
    if close < body.end():
        return page
    pattern, other = _spelling_index(groups)
    reader = _IndexedText()
    reader.feed(page[body.end():close])
    text = " ".join(reader.parts)
    counts = Counter(match.casefold() for match in pattern.findall(text))
    # Each other spelling is given as often as the page uses the word, so that Pagefind's
    # term-frequency ranking treats "defence" on a page that writes "defense" five times
    # as it treats "defense" (said once, the article ranked below pages that merely mention
    # missile defence). Capped, so that a long page cannot flood its own ranking.
    extra: Counter[str] = Counter()
    for word, count in counts.items():
        for variant in other[word]:
            if variant.casefold() not in counts:
                extra[variant] = min(extra[variant] + count, MAX_REPEATS)
    if not extra:
        return page
    listed = [w for w in sorted(extra, key=str.casefold) for _ in range(extra[w])]
    words = html.escape("also spelled: " + ", ".join(listed))
    marker = (f'<span data-pagefind-index-attrs="{SPELLINGS_ATTRIBUTE}" '
              f'{SPELLINGS_ATTRIBUTE}="{words}"></span>')
    return page[:close] + marker + page[close:]


def mark_spellings(site: Path) -> None:
    """add_spellings() on every page of the site, before Pagefind reads it."""
    for path in sorted(site.rglob("*.html")):
        if BUNDLE in path.relative_to(site).parts:
            continue
        text = path.read_text(encoding="utf-8")
        changed = add_spellings(text)
        if changed != text:
            path.write_text(changed, encoding="utf-8")


_IGNORED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")


def indexed_view(page: str) -> str:
    """The page less what Pagefind leaves out of the index: each `data-pagefind-ignore`
    element ("Mentioned in", "Related", "Cited by") is cut, unless it holds other Pagefind
    attributes (filters and meta inside it still count). Conservative: anything else of the
    page stays, so a change Pagefind might index always changes the view."""
    parts, position = [], 0
    while True:
        found = _IGNORED.search(page, position)
        if found is None:
            break
        tags = re.compile(r"<(/?)" + re.escape(found.group(1)) + r"\b[^>]*>", re.IGNORECASE)
        depth, end = 1, None
        for tag in tags.finditer(page, found.end()):
            depth += -1 if tag.group(1) else (0 if tag.group(0).endswith("/>") else 1)
            if depth == 0:
                end = tag.end()
                break
        if end is None:  # not closed: keep the rest as it is
            break
        if "data-pagefind-" in page[found.end():end]:
            parts.append(page[position:end])
        else:
            parts.append(page[position:found.start()] + "<ignored/>")
        position = end
    parts.append(page[position:])
    return "".join(parts)


def index_input(site: Path) -> str:
    """A digest of what Pagefind reads: every HTML page's path and indexed view (only the
    pages with a `data-pagefind-body`, when any has one: Pagefind leaves the others out),
    Pagefind's version and command line."""
    from importlib.metadata import PackageNotFoundError, version

    from ..cache.fingerprint import digest

    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if BUNDLE in relative.parts:
            continue
        pages.append((relative.as_posix(), path.read_text(encoding="utf-8")))
    bodies = any("data-pagefind-body" in text for _, text in pages)
    try:
        pagefind = version("pagefind_bin")
    except PackageNotFoundError:
        pagefind = None
    return digest(pagefind, command(Path("SITE"))[1:], bodies,
                  [(name, indexed_view(text)) for name, text in pages
                   if not bodies or "data-pagefind-body" in text])


def index_site(site: Path, store=None) -> list[str]:
    """Index the HTML under `site`; return problems (empty when the index was written).
    With an incremental build's `store` (cache/), the previous output's index is copied
    byte for byte instead when nothing Pagefind reads has changed (`index_input`):
    Pagefind has no incremental mode (Pagefind/pagefind#71)."""
    return [Coded(problem, "search.pagefind") for problem in _index_site(site, store)]


KEY = ("search index",)  # its entry in the incremental store's pages


def _reuse(site: Path, store, print_: str) -> bool:
    import shutil

    old = store.old_pages.get(KEY)
    if old is None or old[0] != print_ or not old[1] or not store.unchanged(old[1]):
        return False
    for relative, _size, _mtime in old[1]:
        destination = site / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(store.target / relative, destination)
    store.pages[KEY] = (print_, [relative for relative, _s, _m in old[1]])
    store.stats["search index"] = "reused"
    return True


def _index_site(site: Path, store=None) -> list[str]:
    mark_spellings(site)
    print_ = index_input(site) if store is not None else None
    if print_ is not None and _reuse(site, store, print_):
        return []
    problems = _run_pagefind(site)
    if print_ is not None and not problems:
        store.pages[KEY] = (print_, sorted(p.relative_to(site).as_posix()
                                           for p in (site / BUNDLE).rglob("*") if p.is_file()))
        store.stats["search index"] = "written"
    return problems


def _run_pagefind(site: Path) -> list[str]:
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

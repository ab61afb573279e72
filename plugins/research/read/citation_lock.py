"""The citation lock, `content/citations.lock`: what each cited paragraph said when cited.

A citation names a paragraph by id, and ids persist (paragraph_ids.py); but the paragraph's
words can still be edited. The lock, committed with the content, records for every document
(sources and briefing notes, by path under the content folder):

- `last_id`: the highest id ever issued in it, so that an id is never given twice;
- `order`: its ids in document order when last stamped (one string), so that a removed paragraph's old
  URL can land where it stood (a tombstone anchor before the next paragraph that is left);
- `removed`: ids of paragraphs taken out, each with the paragraph its anchor now lands on;
- `cited`: the text of every cited paragraph, as it was when the citation was recorded.

The build compares `cited` with the text now (after normalising whitespace, quotes and
dashes) and fails, showing old and new, when they differ; `python -m research ids --confirm
FILE` records the new text once the editor has checked the citations. The file is JSON,
sorted and indented, so that a change to it reads well in a diff and builds stay
byte-deterministic.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import ContentError, Problem

DEFAULT_NAME = "citations.lock"
ABOUT = ("Written by `python -m research ids` (make ids); do not edit by hand. For each source "
         "and briefing note: the highest paragraph id issued, its ids in order, the removed "
         "ones and the text of every cited paragraph as it was when cited. See "
         "docs/content-guide.md, 'Paragraph ids and checked citations'.")

_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^p-[1-9][0-9]*$")
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'", "`": "'", "´": "'",
                       "“": '"', "”": '"', "„": '"', "″": '"', "«": '"', "»": '"',
                       "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
                       "…": "..."})


def normalise(text: str) -> str:
    """For comparing words: one space for any whitespace, one kind of quote, apostrophe and
    dash, Unicode composed (NFC). Nothing else is ignored."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD)).strip()


@dataclass
class Entry:
    slug: str = ""
    last_id: int = 0
    order: list[str] = field(default_factory=list)
    removed: dict[str, str | None] = field(default_factory=dict)
    cited: dict[str, str] = field(default_factory=dict)

    def landing(self, anchor: str, present: set[str]) -> str | None:
        """Where a removed paragraph's old URL lands: the next paragraph after it (in the
        recorded order) that is still there, else the nearest one before it."""
        if anchor in self.removed and self.removed[anchor] in present:
            return self.removed[anchor]
        if anchor in self.order:
            at = self.order.index(anchor)
            after = [a for a in self.order[at + 1:] if a in present]
            before = [a for a in self.order[:at] if a in present]
            return (after or before[-1:] or [None])[0]
        return None


@dataclass
class Lock:
    documents: dict[str, Entry] = field(default_factory=dict)
    path: str = ""
    exists: bool = True


def lock_path(settings: dict) -> Path:
    return Path(settings["PATH"]) / settings.get("CITATION_LOCK", DEFAULT_NAME)


def load(path: Path) -> Lock:
    shown = _shown(path)
    if not path.exists():
        return Lock({}, shown, exists=False)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        documents = {}
        for relative, raw in data["documents"].items():
            entry = Entry(str(raw["slug"]), raw["last_id"], raw["order"].split(),
                          dict(raw["removed"]), dict(raw["cited"]))
            ids = [*entry.order, *entry.removed, *entry.cited,
                   *(v for v in entry.removed.values() if v is not None)]
            if type(entry.last_id) is not int or not all(
                    isinstance(a, str) and _ID.match(a) for a in ids) or not all(
                    isinstance(t, str) for t in entry.cited.values()):
                raise ValueError(relative)
            documents[relative] = entry
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ContentError.at(shown, f"cannot be read ({type(err).__name__}); restore it from "
                              "git, or delete it and run `python -m research ids` to write "
                              "it again (the recorded texts of changed paragraphs are then "
                              "lost)", code="lock.unreadable") from None
    return Lock(documents, shown)


def save(path: Path, lock: Lock) -> None:
    data = {"about": ABOUT, "documents": {
        relative: {"slug": e.slug, "last_id": e.last_id, "order": " ".join(e.order),
                   "removed": dict(sorted(e.removed.items(), key=lambda kv: _key(kv[0]))),
                   "cited": dict(sorted(e.cited.items(), key=lambda kv: _key(kv[0])))}
        for relative, e in sorted(lock.documents.items())}}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _key(anchor: str) -> int:
    return int(anchor[2:]) if anchor[2:].isdigit() else 0


def updated(entry: Entry, slug: str, order: list[str], texts: dict[str, str],
            cited: set[str], confirm: bool, report: Callable[[str], None]) -> Entry:
    """The entry after stamping: ids recorded, removals noted, new citations recorded; a
    changed cited text is kept as recorded (the build will show it) unless confirmed."""
    present = set(order)
    removed = {anchor: to for anchor, to in entry.removed.items()}
    for anchor in entry.order:
        if anchor not in present and anchor not in removed:
            removed[anchor] = entry.landing(anchor, present)
    for anchor, to in list(removed.items()):  # where old anchors land, after this edit
        if to not in present:
            removed[anchor] = _nearest(anchor, order)
    numbers = [_key(a) for a in [*order, *removed]]
    recorded = {}
    for anchor in sorted(cited & present, key=_key):
        old, new = entry.cited.get(anchor), texts[anchor]
        if old is None or normalise(old) == normalise(new):
            recorded[anchor] = new if old is None else old
        elif confirm:
            recorded[anchor] = new
            report(f"{anchor} is cited and changed; recorded its new text (confirmed)")
        else:
            recorded[anchor] = old
            report(f"{anchor} is cited and its text changed; check what cites it, then run "
                   "`python -m research ids --confirm` on this file")
    return Entry(slug, max([entry.last_id, *numbers]), list(order), removed, recorded)


def _nearest(anchor: str, order: list[str]) -> str | None:
    """For an old removal whose landing paragraph went too: the first paragraph with a
    higher number, else the last one."""
    later = [a for a in order if _key(a) > _key(anchor)]
    return (later or order[-1:] or [None])[0]


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


# --- checks made by the build ---------------------------------------------------------------

def check_document(lock: Lock, relative: str, shown: str, order: list[str],
                   lines: dict[str, int]) -> list[Problem]:
    """A document's ids against the lock: every id recorded, none reused."""
    entry = lock.documents.get(relative)
    how = f"run `python -m research ids {shown}` (or `make ids`) and commit {lock.path}"
    if entry is None:
        if not order:
            return []
        return [Problem(shown, f"its paragraph ids are not recorded in {lock.path}; {how}",
                        line=lines.get(order[0]), code="lock.unrecorded")]
    problems = []
    for anchor in order:
        if anchor in entry.removed:
            problems.append(Problem(shown, f"{anchor} is the id of a paragraph that was "
                                    "removed, and ids are never reused (links to it mean the "
                                    f"removed words): delete ' {{#{anchor}}}' from this "
                                    f"paragraph, then {how}", line=lines.get(anchor),
                                    code="paragraph.removed-id"))
        elif _key(anchor) > entry.last_id:
            problems.append(Problem(shown, f"{anchor} is not recorded in {lock.path}; {how}",
                                    line=lines.get(anchor), code="lock.unrecorded"))
    return problems

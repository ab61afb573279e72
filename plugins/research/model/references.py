"""The bibliography: references as data, loaded once per build and formatted with CSL.

Files: `content/references/<group>.yaml` (REFERENCES_PATH), each a YAML list of entries with
CSL-JSON variable names plus our `kind`, `archive_url` and `archive_date` (the schema is
`contract.REFERENCE`; docs/content-guide.md, "References"). Every entry is checked against
the schema, located at its field's own line; a key written in two files, or in two entries,
is an error naming both places. Whether a key equals a document's slug, and whether every
key cited exists, is checked by the cross-document step (link/refs_check.py), which has the
documents.

Formatting is citeproc-py with the Chicago author-date style shipped beside this package
(render/csl/): one `CitationStylesBibliography` for every entry of the build, formatted once
(`Bibliography.formatted`), so a page asks a dictionary, never the processor.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..core import contract, dates
from ..core.errors import ContentError, Problem
from ..read import frontmatter
from ..read.reader import display_path

STYLE = Path(__file__).resolve().parent.parent / "render" / "csl" / "chicago-author-date.csl"
KIND_LABELS = {"official": "Official documents", "press": "Press and news agencies",
               "scholarship": "Scholarship", "reference": "Reference works"}
# CSL 1.0.2 types that citeproc-py (CSL 1.0.1) does not know, and what it formats them as.
CITEPROC_TYPES = {"document": "article", "dataset": "webpage", "standard": "report",
                  "classic": "book", "collection": "book", "event": "speech",
                  "hearing": "report", "performance": "speech", "periodical": "book",
                  "regulation": "legislation", "software": "webpage"}
DATE_FIELDS = ("issued", "accessed", "archive_date")
NAME_FIELDS = ("author", "editor", "translator", "interviewer")
# Ours, not CSL variables: kept in /data/references.json, never given to citeproc.
OWN_FIELDS = ("kind", "archive_url", "archive_date")
WEB_TYPES = ("webpage", "post", "post-weblog", "dataset")
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Reference:
    key: str
    kind: str
    type: str
    fields: dict[str, Any]  # the entry as written (valid values only)
    path: str  # display path of its file
    line: int | None
    where: str  # "[3]": its place in the file

    @property
    def title(self) -> str:
        return str(self.fields.get("title", ""))

    @property
    def url(self) -> str | None:
        return self.fields.get("URL")

    @property
    def archive_url(self) -> str | None:
        return self.fields.get("archive_url")

    @property
    def is_web(self) -> bool:
        """A reference read on the web: a URL or an archived copy is expected."""
        return self.type in WEB_TYPES or self.kind == "press"

    def csl(self) -> dict[str, Any]:
        """The entry as CSL-JSON (dates as date-parts), with our own fields after CSL's."""
        item: dict[str, Any] = {"id": self.key, "type": self.type}
        for name, value in self.fields.items():
            if name in ("id", "type"):
                continue
            if name in DATE_FIELDS:
                value = csl_date(value)
            elif isinstance(value, int):
                value = str(value)
            item[name] = value
        return item


def csl_date(value) -> dict:
    """'2008-09-05' -> {"date-parts": [[2008, 9, 5]], "raw": "2008-09-05"}."""
    date = dates.parse(value)
    parts = [date.year] + ([date.month] if date.month else []) + ([date.day] if date.day else [])
    return {"date-parts": [parts], "raw": date.iso()}


@dataclass
class Formatted:
    """One reference as the pages show it: "Goodenough 2008", the bibliography entry (HTML,
    with its URL a link and the archived copy after it) and the same entry as plain text."""

    short: str
    entry_html: str
    entry_text: str


@dataclass
class Bibliography:
    references: dict[str, Reference] = field(default_factory=dict)  # by key, sorted
    _formatted: dict[str, Formatted] | None = None

    def get(self, key: str) -> Reference | None:
        return self.references.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.references

    def __bool__(self) -> bool:
        return bool(self.references)

    def closest(self, key: str) -> str | None:
        if not self.references or not isinstance(key, str):
            return None
        best = process.extractOne(key, list(self.references), scorer=fuzz.ratio,
                                  score_cutoff=70)
        return best[0] if best else None

    def by_kind(self) -> list[tuple[str, str, list[Reference]]]:
        """(kind, heading, references sorted as the bibliography sorts them), kinds in order."""
        order = self.order()
        groups = []
        for kind, label in KIND_LABELS.items():
            refs = sorted((r for r in self.references.values() if r.kind == kind),
                          key=lambda r: order[r.key])
            if refs:
                groups.append((kind, label, refs))
        return groups

    # -- formatting (citeproc-py, once per build) ----------------------------------------

    def formatted(self, key: str) -> Formatted:
        if self._formatted is None:
            self._formatted = format_all(list(self.references.values()))
        return self._formatted[key]

    def short(self, key: str) -> str:
        return self.formatted(key).short

    def entry_html(self, key: str) -> str:
        return self.formatted(key).entry_html

    def entry_text(self, key: str) -> str:
        return self.formatted(key).entry_text

    def order(self) -> dict[str, int]:
        """Each key's place in the bibliography's order (author, then date, then title)."""
        def sort_key(ref: Reference):
            return (_TAGS.sub("", self.entry_text(ref.key)).casefold(), ref.key)
        return {ref.key: index for index, ref in
                enumerate(sorted(self.references.values(), key=sort_key))}

    def citation_text(self, cite) -> str:
        """A cite of a reference in plain text: "CSTO 2002, art. 16"."""
        text = self.short(cite.key) if cite.key in self.references else cite.key
        return text + (f", {cite.locator}" if cite.locator else "")


class _Marked:
    """A citeproc-py output format that escapes nothing itself: its markup is written as
    control-character marks, and `_html` escapes the whole text once before turning the marks
    into tags. (citeproc-py's own html formatter does not escape the values it prints: a
    title with `<script>` came out as a script element.)"""

    @staticmethod
    def preformat(text):
        return str(text)

    class _Tag(str):
        tag = "span"

        def __new__(cls, text):
            return str.__new__(cls, f"\x01{cls.tag}\x02{text}\x01/{cls.tag}\x02")

    class Italic(_Tag):
        tag = "i"

    class Oblique(Italic):
        pass

    class Bold(_Tag):
        tag = "b"

    class Light(_Tag):
        tag = "span"

    class Underline(_Tag):
        tag = "u"

    class Superscript(_Tag):
        tag = "sup"

    class Subscript(_Tag):
        tag = "sub"

    class SmallCaps(_Tag):
        tag = "sc"


_MARK = re.compile("\x01(/?)(i|b|u|sup|sub|span|sc)\x02")


def _html(marked: str) -> str:
    def tag(match):
        name = match[2]
        if name == "sc":
            return "</span>" if match[1] else '<span class="small-caps">'
        return f"<{match[1]}{name}>"
    return _MARK.sub(tag, html.escape(marked, quote=False))


def _text(marked: str) -> str:
    return _MARK.sub("", marked)


def _clean(value):
    """Values without the two control characters the marks use."""
    if isinstance(value, str):
        return value.replace("\x01", "").replace("\x02", "")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=1)
def _style():
    """The shipped CSL style, parsed once per process: parsing it took 7 s of a build of
    4,000 pages, each formatting its own "cite this page" entry. citeproc-py keeps a
    formatting's state in the CitationStylesBibliography, not in the style."""
    import warnings

    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(STYLE), validate=False)


def format_csl(items: list[dict]) -> dict[str, tuple[str, str]]:
    """Format CSL-JSON items with citeproc-py and the shipped style, in one bibliography:
    {id: (short citation as text, bibliography entry as HTML)}. citeproc's warnings about
    the style's features are not the content's business, and are silenced."""
    if not items:
        return {}
    given = [prepared(item) for item in items]
    shorts, entries = marked(given)
    return {item["id"]: finished(item, shorts[item["id"]], entries) for item in given}


def prepared(item: dict) -> dict:
    """The item as citeproc is given it: our own fields and notes left out, the marks'
    control characters removed, CSL 1.0.2 types mapped to what citeproc-py knows."""
    item = {key: _clean(value) for key, value in item.items() if key not in OWN_FIELDS
            and key != "note"}
    item["type"] = CITEPROC_TYPES.get(item["type"], item["type"])
    return item


def marked(given: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """citeproc-py's output for `prepared` items in one bibliography, still in marks:
    ({id: short citation}, {lower-case id: bibliography entry})."""
    import warnings

    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = _style()
        bibliography = CitationStylesBibliography(style, CiteProcJSON(given), _Marked)
        citations = {}
        for item in given:
            citation = Citation([CitationItem(item["id"])])
            bibliography.register(citation)
            citations[item["id"]] = citation
        shorts = {key: str(bibliography.cite(citation, lambda item: None))
                  for key, citation in citations.items()}
        entries = dict(zip(bibliography.keys, (str(e) for e in bibliography.bibliography())))
    return shorts, entries


def finished(item: dict, short: str, entries: dict[str, str]) -> tuple[str, str]:
    """One `prepared` item's (short citation as text, entry as HTML) from citeproc's marked
    output (`entries` by lower-case id, as `marked` returns them)."""
    key = item["id"]
    if key.lower() in entries and not any(item.get(n) for n in NAME_FIELDS):
        entries[key.lower()] = _once(entries[key.lower()])
    short = _text(short).strip()
    if short.startswith("(") and short.endswith(")"):
        short = short[1:-1]
    entry = entries.get(key.lower())
    return (short, _html(entry) if entry is not None else
            html.escape(str(item.get("title", "")), quote=False))


_QUOTED_TITLE = re.compile(r"“[^”]+”\.? ?")


def _once(entry: str) -> str:
    """Without an author, the style puts the title first (CSL's substitution) and citeproc-py
    prints it again where the title goes: keep the first."""
    titles = _QUOTED_TITLE.findall(entry)
    if len(titles) >= 2 and titles[0].rstrip(". ") == titles[1].rstrip(". "):
        first = entry.index(titles[0]) + len(titles[0])
        second = entry.index(titles[1], first)
        return entry[:second] + entry[second + len(titles[1]):]
    return entry


def format_all(references: list[Reference]) -> dict[str, Formatted]:
    """Every reference's short citation ("Goodenough 2008") and bibliography entry; two
    references that would cite alike get the year letters of Chicago's author-date style
    ("Xinhua 2008a", "Xinhua 2008b", in the order of their entries), which citeproc-py does
    not add."""
    done = format_csl([ref.csl() for ref in references])
    alike: dict[str, list[str]] = {}
    for ref in references:
        alike.setdefault(done[ref.key][0], []).append(ref.key)
    for short, keys in alike.items():
        year = re.search(r"(\d{4}|n\.d\.)$", short)
        if len(keys) < 2 or year is None:
            continue
        keys.sort(key=lambda k: (_text(done[k][1]).casefold(), k))
        for index, key in enumerate(keys):
            letter = chr(ord("a") + index) if index < 26 else str(index + 1)
            marked = f"{year[1]}{letter}" if year[1][0].isdigit() else f"{year[1]}-{letter}"
            entry = done[key][1]
            at = entry.find(f" {year[1]}.")
            if at >= 0:
                entry = entry[:at + 1] + marked + entry[at + 1 + len(year[1]):]
            done[key] = (short[: year.start()] + marked, entry)
    return {ref.key: Formatted(done[ref.key][0], _with_links(ref, done[ref.key][1]),
                               _plain(ref, done[ref.key][1])) for ref in references}


def _with_links(ref: Reference, entry: str) -> str:
    """The entry's URL as a link (citeproc writes it as text), and the archived copy after."""
    out = entry
    if ref.url:
        shown = html.escape(ref.url, quote=False)
        link = f'<a class="ref-url" href="{html.escape(ref.url)}">{shown}</a>'
        out = out.replace(shown, link, 1) if shown in out else f"{out} {link}."
    if ref.archive_url:
        when = ref.fields.get("archive_date")
        date = f" ({dates.parse(when).human()})" if when else ""
        out += (f' <span class="ref-archive">Archived copy{date}: <a class="ref-url" '
                f'href="{html.escape(ref.archive_url)}">'
                f'{html.escape(ref.archive_url, quote=False)}</a>.</span>')
    return out


def _plain(ref: Reference, entry: str) -> str:
    text = " ".join(html.unescape(_TAGS.sub("", entry)).split())
    if ref.url and ref.url not in text:
        text += f" {ref.url}."
    if ref.archive_url:
        text += f" Archived copy: {ref.archive_url}."
    return text


# -- loading ------------------------------------------------------------------------------

def folder(settings: dict) -> Path:
    return Path(settings["PATH"]) / settings.get("REFERENCES_PATH", "references")


def load(settings: dict) -> Bibliography:
    """Every `*.yaml` file of the references folder, checked; raises ContentError listing
    every problem of every file."""
    where = folder(settings)
    paths = sorted(where.glob("*.yaml")) if where.is_dir() else []
    problems: list[Problem] = []
    references: dict[str, Reference] = {}
    for path in paths:
        found, wrong = read_file(path)
        problems += wrong
        for ref in found:
            other = references.get(ref.key)
            if other is not None:
                problems.append(Problem(ref.path, f"the key '{ref.key}' is already used by the "
                                        f"entry on line {other.line} of {other.path}; every "
                                        "reference needs its own key", ref.line,
                                        f"{ref.where}.id", "bibliography.duplicate"))
                continue
            references[ref.key] = ref
    if problems:
        raise ContentError(problems)
    return Bibliography(dict(sorted(references.items())))


def read_file(path: Path) -> tuple[list[Reference], list[Problem]]:
    shown_path = display_path(str(path))
    try:
        text = frontmatter.decode(path.read_bytes(), shown_path)
        data = frontmatter.load_yaml(text, shown_path)
    except ContentError as err:
        return [], err.problems
    except OSError as err:
        return [], [Problem(shown_path, f"cannot be read ({err.strerror})", code="os.read")]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(shown_path, "must be a YAML list of references, each starting "
                            "with '- id: ...'", 1, code="bibliography.not-list")]
    locator = frontmatter.Locator(text, whole=True)
    references, problems = [], []
    for index, entry in enumerate(data):
        where = f"[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(shown_path, "must be a mapping of 'field: value' lines "
                                    "starting with 'id:'", locator.line(where), where,
                                    "type.row"))
            continue
        key = entry.get("id")
        label = key if isinstance(key, str) and contract.SLUG.match(key) else where
        wrong = contract.validate(contract.REFERENCE, entry, shown_path, locator, f"{where}.")
        # Name the entry by its key in messages ("csto-charter-2002.issued"), not "[3]".
        problems += [replace(p, field=p.field.replace(where, label, 1)) if p.field else p
                     for p in wrong]
        if wrong or label == where:
            continue
        references.append(Reference(key, entry["kind"], entry["type"],
                                    {name: value for name, value in entry.items()
                                     if value is not None and value != ""},
                                    shown_path, locator.line(where), label))
    return references, problems


def problems_against_documents(bibliography: Bibliography, slugs) -> list[Problem]:
    """A key may not be a document's slug: `[@slug]` would then mean two things."""
    return [Problem(ref.path, f"the key '{ref.key}' is the slug of a source or briefing note; "
                    "choose another key (e.g. add the year)", ref.line, f"{ref.key}.id",
                    "bibliography.slug-clash")
            for ref in bibliography.references.values() if ref.key in slugs]

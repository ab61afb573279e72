"""Front-matter strings are text, never markup: a site whose every string field carries
`<script>`, quotes, `&` and `<b>` builds into pages that show them as text.

Policy (docs/architecture.md, "Escaping"): templates autoescape every front-matter string;
Markdown bodies are rendered with markdown-it's `html` option off, so raw HTML in a body shows
as text; data files are JSON- or CSV-encoded; JSON-LD inside <script> never contains `</`.
"""

from __future__ import annotations

import io

import csv
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest
import yaml

from conftest import FIXTURES, ROOT, build_site
from sitepages import reset_pelican_log_dedup

SITEURL = "http://example.test"
# Every string field below carries this. "Zq" marks it; nothing else on the site contains it.
EVIL = "Zq <script>alert(1)</script> \"dq\" 'sq' & <b>bold</b>"
MARK = "Zq"


def _front(metadata: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True) + \
        "---\n\n" + body + "\n"


def _evil_files() -> dict[str, str]:
    """Content files (path under content/ -> text) with EVIL in every free-text field."""
    files = {}
    files["sources/evil-source.md"] = _front({
        "title": f"Source {EVIL}", "slug": "evil-source", "author": f"Author {EVIL}",
        "outlet": f"Outlet {EVIL}", "date": "2008-09-06T10:00:00+00:00",
        "summary": f"Summary {EVIL}", "provenance": f"Provenance {EVIL}",
        "cleaning": [f"Cleaning {EVIL}"], "author_note": f"Note {EVIL}",
        "tags": ["CSTO", f"Tag {EVIL}"],
        "quotes": [{"speaker": "evil-person", "words": "we <b>agree</b> & \"so\" it's done",
                    "paragraph": 2, "note": f"Quote note {EVIL}"}],
    }, "\n\n".join([
        # raw HTML in a body is text (markdown-it html=False), even next to a linked name
        f"Body {EVIL} in Russia, with <img src=x onerror=alert(1)> and <div>block</div>.",
        "Evil Person said: we <b>agree</b> & \"so\" it's done.",
        "<script>alert(1)</script>",
        "Mentions of the R&D Bureau and Evil Person in one paragraph.",
    ]))
    files["briefings/evil-note.md"] = _front({
        "title": f"Briefing {EVIL}", "slug": "evil-note", "author": f"Team {EVIL}",
        "date": "2008-09-07T10:00:00+00:00", "summary": f"Briefing summary {EVIL}",
        "tags": [f"Tag {EVIL}"],
        "events": [{"date": "2008-09-07", "text": f"Event {EVIL}",
                    "source": f"Event source {EVIL}"},
                   {"date": "2008-09", "text": f"Cited event {EVIL}",
                    "source": "evil-source#p-1"}],
    }, f"A note on the Evil Person [@evil-source#p-2], citing {EVIL}.\n\n"
       "```\n<b>code</b> & <script>alert(1)</script>\n```\n")
    files["entities/people/evil-person.md"] = _front({
        "name": "Evil Person", "type": "person", "slug": "evil-person",
        "aliases": [f"Alias {EVIL}"], "summary": f"Person summary {EVIL}",
        "note": f"Person note {EVIL}", "references": [f"Reference {EVIL}"],
        "nationality": "russia",
        "positions": [{"office": f"Office {EVIL}", "organization": "rnd-bureau",
                       "start": "2001", "end": None, "note": f"Position note {EVIL}",
                       "source": f"Position source {EVIL}"}],
    }, f"Description {EVIL} of the Evil Person.")
    files["entities/organizations/rnd-bureau.md"] = _front({
        "name": "R&D Bureau", "type": "organization", "slug": "rnd-bureau",
        "aliases": ["Bureau \"R&D\""], "kind": f"Kind {EVIL}",
        "headquarters": f"HQ {EVIL}", "summary": f"Bureau summary {EVIL}",
        "founded": "1999",
        "members": [{"member": "russia", "role": f"member {EVIL}", "start": "1999",
                     "end": None, "note": f"Membership note {EVIL}",
                     "source": f"Membership source {EVIL}"},
                    {"member": "georgia", "role": "observer", "start": "2000",
                     "end": "2004", "source": "evil-source#p-4"},
                    {"member": "evil-country", "role": "member", "start": "2001",
                     "end": None, "source": "evil-source#p-1"}],
    }, f"Bureau description {EVIL}.")
    # A name is never matched in these texts; it is shown in tables, SVG, JSON-LD, exports.
    files["entities/countries/evil-country.md"] = _front({
        "name": f"Name {EVIL}", "type": "country", "slug": "evil-country",
        "summary": f"Country summary {EVIL}", "capital": f"Capital {EVIL}",
    }, "A country.")
    files["entities/territories/evil-land.md"] = _front({
        "name": "Evil Land", "type": "territory", "slug": "evil-land",
        "status": f"Status {EVIL}", "claimed_by": ["georgia"], "capital": f"Capital {EVIL}",
        "summary": f"Territory summary {EVIL}",
        "recognitions": [{"by": "russia", "date": "2008-08-26", "withdrawn": None,
                          "note": f"Recognition note {EVIL}",
                          "source": f"Recognition source {EVIL}"}],
    }, "A territory.")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture site plus the files above, built with absolute URLs and an Atom feed."""
    root = tmp_path_factory.mktemp("escaping")
    site = root / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, text in _evil_files().items():
        path = site / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    output = root / "output"
    reset_pelican_log_dedup()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
        from research.read.paragraph_ids import run  # what an editor runs: paragraph ids, lock
        assert run(str(site / "pelicanconf.py"), out=io.StringIO()) == 0
        result = build_site(site, output, RELATIVE_URLS=False, SITEURL=SITEURL,
                            FEED_DOMAIN=SITEURL, FEED_ALL_ATOM="feeds/all.atom.xml")
    assert result.ok, "\n".join(result.problems)
    return output


class _Page(HTMLParser):
    """Start tags, attribute values and text of one page, with character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._script: str | None = None
        self.json_ld: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if (self.tags and self.tags[-1][0] == "script"
                    and self.tags[-1][1].get("type") == "application/ld+json"):
                self.json_ld.append(self._script)
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script += data
        else:
            self.text.append(data)


def _strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _intact(shown: str) -> bool:
    """Whether decoded text that carries MARK shows EVIL as written: whole, or cut short
    with an ellipsis (labels in SVG pictures are), but never escaped twice."""
    if EVIL in shown:
        return True
    rest = shown[shown.index(MARK):]
    return rest.endswith("…") and EVIL.startswith(rest[:-1].rstrip())


def _pages(output):
    return sorted(output.rglob("*.html"))


def test_the_evil_strings_reach_the_pages(built):
    """The test means something only if the strings are on the pages, as text."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _pages(built))
    assert text.count(MARK) > 40
    source = _Page()
    source.feed((built / "sources" / "evil-source" / "index.html").read_text(encoding="utf-8"))
    shown = "".join(source.text)
    for field in ("Source", "Author", "Outlet", "Summary", "Provenance", "Cleaning", "Note",
                  "Body"):
        assert f"{field} {EVIL}" in shown, field


def test_no_markup_from_front_matter_in_any_page(built):
    problems = []
    for path in _pages(built):
        raw = path.read_text(encoding="utf-8")
        name = path.relative_to(built)
        page = _Page()
        page.feed(raw)
        for body in page.json_ld:  # checked in its own test; may legitimately hold "<script"
            raw = raw.replace(body, "")
        for needle in ("<script>alert", "<b>", "<img src=x", "<div>block"):
            if needle in raw:
                problems.append(f"{name}: unescaped {needle!r}")
        for tag, attrs in page.tags:
            if tag in ("b", "img") or (tag == "script" and not (
                    attrs.get("src") or attrs.get("type") == "application/ld+json")):
                problems.append(f"{name}: a <{tag}> element came from content: {attrs}")
            for attribute, value in attrs.items():
                # decoded, the value must be the string as written: not cut short by an
                # unescaped quote, not escaped twice ("&amp;lt;" decodes to "&lt;")
                if value and MARK in value and not _intact(value):
                    problems.append(f"{name}: attribute {attribute}={value!r} is cut short "
                                    "or escaped twice")
                if attribute.startswith("on"):
                    problems.append(f"{name}: event handler attribute {attribute}={value!r}")
        for text in page.text:
            if MARK in text and not _intact(text):
                problems.append(f"{name}: text {text.strip()[:120]!r} is cut short or "
                                "escaped twice")
    assert not problems, "\n".join(problems)


def test_raw_html_in_markdown_bodies_is_shown_as_text(built):
    page = _Page()
    page.feed((built / "sources" / "evil-source" / "index.html").read_text(encoding="utf-8"))
    shown = "".join(page.text)
    assert "with <img src=x onerror=alert(1)> and <div>block</div>." in shown
    assert "we <b>agree</b> & \"so\" it's done." in shown
    note = _Page()
    note.feed((built / "briefings" / "evil-note" / "index.html").read_text(encoding="utf-8"))
    assert "<b>code</b> & <script>alert(1)</script>" in "".join(note.text)


def test_json_ld_cannot_close_its_script_element(built):
    found = 0
    for path in _pages(built):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        for body in page.json_ld:
            found += 1
            name = path.relative_to(built)
            assert "</" not in body and "<!--" not in body, f"{name}: {body[:300]}"
            data = json.loads(body)
            assert all(EVIL in s for s in _strings(data) if MARK in s), name
    assert found, "the theme writes no JSON-LD (every page must have it)"


def test_json_exports_are_json_encoded(built):
    files = sorted(built.rglob("*.json"))
    assert files
    carried = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        # FollowTheMoney's `.ftm.json` is JSON Lines: one entity a line.
        data = ([json.loads(line) for line in text.splitlines()]
                if path.name.endswith(".ftm.json") else json.loads(text))
        for string in _strings(data):
            if MARK in string:
                carried += 1
                assert EVIL in string, f"{path.relative_to(built)}: {string!r}"
    assert carried  # entities.json has the alias, memberships.json the role, ...


def test_csv_exports_round_trip(built):
    carried = 0
    for path in sorted(built.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for value in row:
                    if MARK in value:
                        carried += 1
                        assert EVIL in value, f"{path.relative_to(built)}: {value!r}"
    assert carried


def test_feeds_and_svg_are_well_formed_and_escaped(built):
    files = sorted([*built.rglob("*.xml"), *built.rglob("*.svg")])
    assert files, "no feed or SVG file in this build (sitemap.xml at least must exist)"
    for path in files:
        tree = ElementTree.parse(path)  # raises on anything not well-formed
        for element in tree.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "b"), f"{path.relative_to(built)}: <{tag}>"
            text = element.text or ""
            # An Atom element of type="html" holds escaped HTML: it must not hold live tags.
            if element.get("type") == "html" and MARK in text:
                assert "<script>alert" not in text and "<b>" not in text, \
                    f"{path.relative_to(built)}: {tag}: {text[:200]!r}"


def test_inline_svg_titles_are_text(built):
    """The membership timeline SVG puts entity names and roles in <title> and <text>."""
    raw = (built / "organizations" / "rnd-bureau" / "index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg.*?</svg>", raw, re.S)
    assert svg is not None, "no inline SVG (the membership timeline) on the organization page"
    assert "<script" not in svg.group(0) and "<b>" not in svg.group(0)


@pytest.mark.xfail(reason="Pelican's feed writer treats a title as HTML (Markup(title)"
                          ".striptags()): '<b>' and '<script>' in a title are dropped from the "
                          "feed, not escaped. Safe, but the title loses text.")
def test_feed_titles_keep_the_text_as_written(built):
    feed = ElementTree.parse(built / "feeds" / "all.atom.xml")
    titles = [element.text or "" for element in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert f"Source {EVIL}" in titles

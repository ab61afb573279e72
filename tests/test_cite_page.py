"""Cite this page (render/cite_page.py): a page's own entry is formatted from its shape, and
must be exactly what citeproc-py (model.references.format_csl, the reference) prints for it:
over generated titles, authors, outlets and dates with odd characters, over every page of the
fixture site in both URL modes, and (slow) over every page of the real site."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, build_site
from research.model import references
from research.render import cite_page
from sitepages import reset_pelican_log_dedup


def reference(item: dict) -> tuple[str, str]:
    return references.format_csl([item])[item["id"]]


# -- generated pages -----------------------------------------------------------------------------

# Words as content has them, and the characters that touch citeproc's rules: its seam rule
# (.,;:!? and spaces), its title case (stop words, colons, capitals, ß), quotes and HTML.
WORDS = st.sampled_from(["the", "of", "a", "and", "to", "on", "via", "NATO", "CSTO", "iPhone",
                         "e.g.", "Moscow's", "search", "for", "backing", "continues", "über",
                         "straße", "ǆungla", "İstanbul", "σίγμα", "x", "Q.", "(2008)",
                         "“quoted”", '"plain"', "<b>bold</b>", "Tom&Jerry", "&amp;", "50%",
                         "1111", "28", "2008", "n.d.", "—", "...", "?", "!", ":", ";", ",",
                         ".", "'", "Jr.", "&", "<", "A:", "end.", "why?", "so,"])
ODD = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@st.composite
def phrases(draw):
    """A title, a name or an outlet: mostly words joined by single spaces, sometimes with
    odd spacing or arbitrary characters (which the shape formatter leaves to citeproc)."""
    text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=8)))
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from([" ", "  ", "\t", "\n", ""])).join(
            [draw(ODD), text, draw(ODD)])
    if draw(st.integers(0, 19)) == 0:
        text = f'<span class="nocase">{text}</span> ' + draw(WORDS)
    return text


DATES = st.datetimes(min_value=datetime.datetime(1, 1, 1),
                     max_value=datetime.datetime(9999, 12, 31))
SETTINGS = st.fixed_dictionaries({
    "SITENAME": st.one_of(phrases(), st.just("")),
    "SITE_AUTHOR": st.one_of(st.none(), phrases()),
    "SITEURL": st.sampled_from(["", "https://example.org", "https://example.org/research",
                                "http://x.test/a.b."]),
    "RELATIVE_URLS": st.booleans(),
})


@st.composite
def page_items(draw):
    """An item as item_for makes it for an entity page, a source, a briefing or /references/."""
    kind = draw(st.sampled_from(["entity", "source", "briefing", "references"]))
    site = draw(SETTINGS)
    url = draw(st.sampled_from(["organizations/nato/", "sources/x.html", "a/b.c./"]))
    entity = None
    if kind == "entity":
        page = SimpleNamespace(url=url)
        entity = SimpleNamespace(type=draw(st.sampled_from(["organization", "person"])),
                                 slug="nato", name=draw(phrases()))
    elif kind == "references":
        page = None
    else:
        page = SimpleNamespace(url=url, slug="doc", title=draw(phrases()),
                               author=draw(st.one_of(st.none(), phrases())),
                               outlet=draw(st.one_of(st.none(), phrases())),
                               date=draw(st.one_of(st.none(), DATES)))
    return cite_page.item_for(page, kind, site, entity)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_items())
def test_a_generated_page_entry_is_what_citeproc_prints(item):
    assert cite_page.own_entry(item) == reference(item)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["webpage", "article-newspaper", "report"]),
       st.dictionaries(st.sampled_from(["title", "container-title", "publisher", "URL"]),
                       phrases()),
       st.one_of(st.none(), phrases()),
       st.one_of(st.none(), st.lists(st.integers(-5, 12000), min_size=1, max_size=4)))
def test_any_item_of_the_page_types_is_what_citeproc_prints(kind, fields, author, parts):
    """Items item_for does not make (no title, a publisher on a webpage, odd dates) too."""
    item = {"id": "page-x", "type": kind, **fields}
    if author is not None:
        item["author"] = [{"literal": author}]
    if parts is not None:
        item["issued"] = {"date-parts": [parts]}
    assert cite_page.own_entry(item) == reference(item)


def test_values_are_put_into_a_shape_formatted_once(monkeypatch):
    """Pages of one shape ask citeproc once, for the shape; their entries still differ."""
    calls = []
    marked = references.marked
    monkeypatch.setattr(references, "marked", lambda given: calls.append(given) or marked(given))
    monkeypatch.setattr(cite_page, "_shapes", {})
    entries = set()
    for n in range(20):
        item = {"id": f"page-source-{n}", "type": "article-newspaper",
                "title": f"report number {n} on the war.", "container-title": "the times",
                "author": [{"literal": f"Reporter {n}."}],
                "issued": {"date-parts": [[2000 + n, 3, n + 1]]}}
        entries.add(cite_page.own_entry(item))
        assert cite_page.own_entry(item) == reference(item)
    assert len(entries) == 20
    assert len(calls) == 20 + 1  # the reference's twenty, and one for the shape


def test_an_item_outside_the_shapes_is_formatted_by_citeproc(monkeypatch):
    monkeypatch.setattr(cite_page, "_shapes", {})
    item = {"id": "page-x", "type": "report", "title": "two  spaces",
            "author": [{"family": "Doe", "given": "Jane"}]}
    assert cite_page.own_entry(item) == reference(item)
    assert cite_page._shapes == {}  # no shape was made for it


# -- the fixture site and the real site ----------------------------------------------------------


def _items(output: Path) -> list[dict]:
    items = [json.loads(path.read_text(encoding="utf-8"))[0]
             for path in sorted(output.rglob("cite.json"))]
    assert items
    return items


@pytest.mark.parametrize("overrides", [{"RELATIVE_URLS": True, "SITEURL": ""},
                                       {"RELATIVE_URLS": False,
                                        "SITEURL": "https://example.test/sub"}])
def test_every_fixture_page_entry_is_what_citeproc_prints(tmp_path, overrides):
    reset_pelican_log_dedup()
    result = build_site(FIXTURES / "site", tmp_path / "output", **overrides)
    assert result.ok, result.problems
    items = _items(tmp_path / "output")
    assert {item["type"] for item in items} == {"webpage", "article-newspaper", "report"}
    for item in items:
        assert cite_page.own_entry(item) == reference(item), item["id"]


def test_every_real_page_entry_is_what_citeproc_prints(real_site):
    for item in _items(real_site[1]):
        assert cite_page.own_entry(item) == reference(item), item["id"]

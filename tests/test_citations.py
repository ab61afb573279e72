"""Paragraph citations `[@slug#p-n]`: parsing (cite_syntax), resolution and "Cited by"
(cite_resolve), and both on the fixture site in fixtures/citations/."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from citesite import FakeDocument, build, build_changed, line_of
from research.citations import CitationIndex
from research.cite_resolve import CitedBy, add_cited_by, label, resolve
from research.linkcheck import check_links
from research.markdown import render
from sitepages import parse

SOURCE = "content/sources/ministers-meet.md"
NOTE = "content/briefings/alliance-note.md"


def placeholders(html: str) -> list[dict]:
    found = []
    for attrs, text in re.findall(r'<cite class="para-cite nolink"([^>]*)>(.*?)</cite>', html):
        found.append({**dict(re.findall(r'([a-z-]+)="([^"]*)"', attrs)), "text": text})
    return found


# -- parsing (pure: the reader never looks at other files) --------------------------------


def test_one_citation_becomes_a_placeholder_with_its_paragraph_and_line():
    html, _ = render("Intro.\n\nThe ministers met [@ministers-meet#p-7].", paragraph_ids=True)
    [cite] = placeholders(html)
    assert cite == {"data-cite": "ministers-meet#p-7", "data-line": "2",
                    "data-paragraph": "p-2", "text": "[@ministers-meet#p-7]"}


@pytest.mark.parametrize("written", ["[@a#p-7; @b-c#p-19]", "[@a#p-7;@b-c#p-19]",
                                     "[@a#p-7 ;  @b-c#p-19]"])
def test_several_citations_in_one_bracket(written):
    html, _ = render(f"Text {written}.")
    [cite] = placeholders(html)
    assert cite["data-cite"] == "a#p-7; b-c#p-19"


def test_line_counts_soft_breaks_inside_a_paragraph():
    html, _ = render("First line\nsecond line [@a#p-1]\nthird [@b#p-2]", paragraph_ids=True)
    assert [c["data-line"] for c in placeholders(html)] == ["1", "2"]


def test_a_citation_outside_a_numbered_paragraph_has_no_paragraph():
    html, _ = render("- item [@a#p-2]\n\n> quoted [@a#p-3]", paragraph_ids=True)
    assert [c.get("data-paragraph") for c in placeholders(html)] == [None, None]


@pytest.mark.parametrize("markdown", ["`[@a#p-1]`", "\\[@a#p-1]", "[text](http://x.test) @a",
                                      "[^1]\n\n[^1]: note", "mail me [at] @home"])
def test_things_that_are_not_citations_are_left_alone(markdown):
    html, _ = render(markdown)
    assert "para-cite" not in html


@pytest.mark.parametrize("written, why", [
    ("[@]", "'@' is not followed by a source slug"),
    ("[@slug#p-]", "'#p-' is not a paragraph"),
    ("[@slug#x]", "'#x' is not a paragraph"),
    ("[@slug#p-0]", "'#p-0' is not a paragraph"),
    ("[@slug]", "names no paragraph"),
    ("[@Slug#p-1]", "'Slug' is not a slug"),
    ("[@a#p-1;]", "an empty citation"),
    ("[@a#p-1; b#p-2]", "'b#p-2' is not a citation"),
    ("[@a#p-1 and more", "never closed"),
])
def test_a_malformed_citation_is_marked_as_an_error_not_shown_as_text(written, why):
    html, _ = render(f"See {written}.")
    [cite] = placeholders(html)
    assert "data-cite" not in cite
    assert why in cite["data-cite-error"].replace("&#x27;", "'")


# -- resolution (pure functions over stand-in documents) -----------------------------------


@pytest.fixture
def docs():
    source = FakeDocument("ministers-meet", "Ministers Meet", author="Patrick Goodenough",
                          paragraph_count=27)
    note = FakeDocument("a-note", "A note", category="briefings", author="Research team",
                        paragraph_count=3)
    return source, note


def test_a_source_is_labelled_by_author_surname_and_year_a_note_by_its_title(docs):
    source, note = docs
    assert label(source, 7) == "Goodenough 2008, ¶ 7"
    assert label(note, 2) == "A note, ¶ 2"


def test_placeholders_become_links_grouped_in_brackets(docs):
    source, note = docs
    html, _ = render("X [@ministers-meet#p-7; @ministers-meet#p-19]. Y [@a-note#p-2].",
                     paragraph_ids=True)
    citing = FakeDocument("citing", "Citing", category="briefings")
    out, citations, problems = resolve(citing, html, CitationIndex([source, note]))
    assert problems == []
    assert ('<span class="para-cites">[<a class="para-cite" '
            'href="{filename}/sources/ministers-meet.md#p-7">Goodenough 2008, ¶ 7</a>; '
            '<a class="para-cite" href="{filename}/sources/ministers-meet.md#p-19">'
            'Goodenough 2008, ¶ 19</a>]</span>') in out
    assert ('[<a class="para-cite" href="{filename}/briefings/a-note.md#p-2">A note, ¶ 2</a>]'
            in out)
    assert "<cite" not in out
    assert [(c.reference.document.slug, c.reference.paragraph, c.paragraph)
            for c in citations] == [("ministers-meet", 7, "p-1"), ("ministers-meet", 19, "p-1"),
                                    ("a-note", 2, "p-1")]


@pytest.mark.parametrize("written, message", [
    ("[@nosuch#p-3]", "cites 'nosuch#p-3', but no source or briefing note has the slug 'nosuch'"),
    ("[@ministers-meet#p-28]", "cites 'ministers-meet#p-28', but 'ministers-meet' has "
                               "paragraphs p-1 to p-27"),
    ("[@slug#x]", "malformed citation '[@slug#x]': '#x' is not a paragraph"),
])
def test_each_failure_is_a_problem_naming_the_file(docs, written, message):
    html, _ = render(f"Text {written}.", paragraph_ids=True)
    citing = FakeDocument("citing", "Citing", category="briefings")
    _, citations, problems = resolve(citing, html, CitationIndex(list(docs)))
    assert citations == []
    [problem] = problems
    assert message in problem.message
    assert problem.path.endswith("briefings/citing.md")


def test_cited_by_lists_citing_documents_and_their_paragraphs(docs):
    source, note = docs
    index = CitationIndex([source, note])
    one = FakeDocument("one", "One", category="briefings", date=dt.datetime(2008, 9, 10))
    two = FakeDocument("two", "Two", category="briefings", date=dt.datetime(2008, 9, 12))
    found = []
    for document, markdown in [(two, "[@ministers-meet#p-2]"),
                               (one, "A [@ministers-meet#p-2].\n\nB [@ministers-meet#p-2; "
                                     "@ministers-meet#p-3].\n\n- C [@ministers-meet#p-3]")]:
        html, _ = render(markdown, paragraph_ids=True)
        found += resolve(document, html, index)[1]
    cited_by = CitedBy(found)
    assert cited_by.cited_paragraphs(source) == [2, 3]
    assert cited_by.of(source, 2) == [(one, [1, 2]), (two, [1])]  # by date, then title
    assert cited_by.of(source, 3) == [(one, [2])]  # the list item adds no paragraph
    assert cited_by.of(source, 4) == []


class _NoBlockInParagraph(HTMLParser):
    """Fails on a block element opened inside a <p> (HTML would close the <p> there)."""

    BLOCKS = {"div", "p", "ul", "ol", "blockquote", "section", "table", "figure"}

    def __init__(self):
        super().__init__()
        self.open_p = 0
        self.errors = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS and self.open_p:
            self.errors.append(tag)
        if tag == "p":
            self.open_p += 1

    def handle_endtag(self, tag):
        if tag == "p":
            self.open_p -= 1


def test_cited_by_line_follows_the_cited_paragraph_and_is_valid_html(docs):
    source, _ = docs
    source._content, _ = render("One.\n\nTwo.\n\nThree.", paragraph_ids=True)
    note = FakeDocument("note", "A <b> note", category="briefings")
    html, _ = render("X [@ministers-meet#p-2].", paragraph_ids=True)
    cited_by = CitedBy(resolve(note, html, CitationIndex([source, note]))[1])
    out = add_cited_by(source, source._content, cited_by)
    paragraphs = re.findall(r"<p[ >].*?</p>", out, re.S)
    assert paragraphs[1].startswith('<p id="p-2">')
    assert paragraphs[2] == (
        '<p class="cited-by" data-pagefind-ignore><span class="cited-by-label">Cited by:</span> '
        '<a href="{filename}/briefings/note.md">A &lt;b&gt; note</a> (¶ <a href="{filename}/'
        'briefings/note.md#p-1" aria-label="A &lt;b&gt; note, paragraph 1">1</a>)</p>')
    assert paragraphs[3].startswith('<p id="p-3">')
    checker = _NoBlockInParagraph()
    checker.feed(out)
    assert checker.errors == [] and checker.open_p == 0


# -- the fixture site ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["relative", "absolute"])
def built(request, tmp_path_factory):
    output = tmp_path_factory.mktemp(request.param) / "output"
    result = build(output, relative=request.param == "relative")
    return result, output, "" if request.param == "relative" else "http://example.test"


def test_site_builds_with_citations_and_no_broken_links(built):
    result, output, siteurl = built
    assert result.ok, result.problems
    assert check_links(output, siteurl) == []


def test_briefing_links_each_citation_to_the_source_paragraph(built):
    _, output, siteurl = built
    page = parse(output / "briefings" / "alliance-note" / "index.html")
    cites = [href for href, css in page.links if css == "para-cite"]
    base = f"{siteurl}/" if siteurl else "../../"
    assert cites == [f"{base}sources/ministers-meet/#p-2", f"{base}sources/ministers-meet/#p-3",
                     f"{base}sources/ministers-meet/#p-2", f"{base}sources/ministers-meet/#p-5"]
    text = (output / "briefings" / "alliance-note" / "index.html").read_text("utf-8")
    assert ">Reporter 2008, ¶ 3</a>; <a" in text
    assert "[@" not in text and "data-cite" not in text


def test_a_note_citing_a_note_is_labelled_by_title(built):
    _, output, _ = built
    text = (output / "briefings" / "second-note" / "index.html").read_text("utf-8")
    assert ">The alliance and Georgia, ¶ 1</a>]" in text


def _cited_by(text: str) -> dict[str, str]:
    """{cited paragraph id: the Cited-by line after it}."""
    return {pid: line for pid, line in re.findall(
        r'<p id="(p-\d+)">(?:(?!</p>).)*</p>\s*(<p class="cited-by".*?</p>)', text, re.S)}


def test_source_paragraphs_show_who_cites_them(built):
    _, output, siteurl = built
    text = (output / "sources" / "ministers-meet" / "index.html").read_text("utf-8")
    lines = _cited_by(text)
    assert sorted(lines) == ["p-2", "p-3", "p-5"]
    base = f"{siteurl}/" if siteurl else "../../"
    assert (f'<a href="{base}briefings/alliance-note/">The alliance and Georgia</a> '
            f'(¶ <a href="{base}briefings/alliance-note/#p-1"') in lines["p-2"]
    assert f'href="{base}briefings/alliance-note/#p-2"' in lines["p-2"]
    assert f'<a href="{base}briefings/second-note/">A second note</a>' in lines["p-2"]
    assert "second-note" not in lines["p-3"]
    assert lines["p-5"].endswith(">The alliance and Georgia</a></p>")  # cited from a list item
    note = (output / "briefings" / "alliance-note" / "index.html").read_text("utf-8")
    assert "A second note" in _cited_by(note)["p-1"]


@pytest.mark.parametrize("old, new, message", [
    ("[@ministers-meet#p-2].\n\nLavrov", "[@nosuch#p-3].\n\nLavrov",
     "cites 'nosuch#p-3', but no source or briefing note has the slug 'nosuch'"),
    ("[@ministers-meet#p-3; @ministers-meet#p-2]", "[@ministers-meet#p-3; @ministers-meet#p-9]",
     "cites 'ministers-meet#p-9', but 'ministers-meet' has paragraphs p-1 to p-5"),
    ("[@ministers-meet#p-3; @ministers-meet#p-2]", "[@ministers-meet#x]",
     "malformed citation '[@ministers-meet#x]': '#x' is not a paragraph"),
    ("[@ministers-meet#p-3; @ministers-meet#p-2]", "[@]",
     "malformed citation '[@]': '@' is not followed by a source slug"),
])
def test_a_bad_citation_fails_the_build_naming_file_and_line(tmp_path, monkeypatch, old, new,
                                                             message):
    line = line_of(NOTE, old.split("\n")[0])
    result = build_changed(tmp_path, monkeypatch, NOTE, old, new)
    assert not result.ok
    assert any(p.startswith(f"{NOTE}:{line}: {message}") for p in result.problems), \
        result.problems

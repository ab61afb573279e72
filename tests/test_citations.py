"""Paragraph citations `[@slug#p-n]`: parsing (cite_syntax), resolution and "Cited by"
(cite_resolve), and both on the fixture site in fixtures/citations/."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from html.parser import HTMLParser

import pytest

from citesite import FakeDocument, build, build_changed, line_of
from research.link.citations import CitationIndex
from research.link.cite_resolve import CitedBy, add_cited_by, label, resolve
from research.read.cite_syntax import Placeholder
from research.index.linkcheck import check_links
from research.read.markdown import parse as parse_body, render
from research.read.paragraph_ids import stamp
from sitepages import parse

SOURCE = "content/sources/ministers-meet.md"
NOTE = "content/briefings/alliance-note.md"


def _parsed(markdown: str, paragraph_ids: bool = False):
    """The reader's parse of a body (stamped first, as `render` does)."""
    if paragraph_ids:
        markdown = stamp(markdown).text
    return parse_body(markdown, paragraph_ids=paragraph_ids)


def placeholders(markdown: str, paragraph_ids: bool = False) -> list:
    """The brackets the parser recorded (cite_syntax.Placeholder); the HTML holds only each
    one's index and the text as written."""
    parsed = _parsed(markdown, paragraph_ids)
    assert re.findall(r'<cite class="para-cite nolink" data-n="(\d+)">([^<]*)</cite>',
                      parsed.html) == [(str(n), htmllib.escape(p.written, quote=False))
                                       for n, p in enumerate(parsed.citations)]
    return parsed.citations


def citing(markdown: str, slug: str = "citing", **fields):
    """A citing document as the reader makes it: its HTML and its placeholders."""
    parsed = _parsed(markdown, paragraph_ids=True)
    document = FakeDocument(slug, slug.title(), **{"category": "briefings", **fields})
    document.cite_placeholders = parsed.citations
    return document, parsed.html


# -- parsing (pure: the reader never looks at other files) --------------------------------


def test_one_citation_becomes_a_placeholder_with_its_paragraph_and_line():
    [cite] = placeholders("Intro.\n\nThe ministers met [@ministers-meet#p-7].",
                          paragraph_ids=True)
    assert cite == Placeholder("[@ministers-meet#p-7]", ("ministers-meet#p-7",), None, 2,
                               "p-2")


@pytest.mark.parametrize("written", ["[@a#p-7; @b-c#p-19]", "[@a#p-7;@b-c#p-19]",
                                     "[@a#p-7 ;  @b-c#p-19]"])
def test_several_citations_in_one_bracket(written):
    [cite] = placeholders(f"Text {written}.")
    assert cite.items == ("a#p-7", "b-c#p-19")


@pytest.mark.parametrize("written, items", [
    ('[@a#p-19 "the seven-country CSTO"]', ['a#p-19 "the seven-country CSTO"']),
    ('[@a#p-4 “China’s [territorial] integrity”; @b#p-2]',
     ['a#p-4 “China’s [territorial] integrity”', "b#p-2"]),
    ('[@a#p-1 "x; y"]', ['a#p-1 "x; y"']),
])
def test_a_citation_can_carry_the_words_it_relies_on(written, items):
    [cite] = placeholders(f"Text {written}.")
    assert list(cite.items) == items


def test_words_must_be_quoted():
    [cite] = placeholders("Text [@a#p-19 the seven-country CSTO].")
    assert cite.error == ("'the seven-country CSTO' after '#p-19' is not quoted "
                                       "words: write them in double quotes, e.g. "
                                       '[@slug#p-19 "the seven-country CSTO"]')


def test_line_counts_soft_breaks_inside_a_paragraph():
    assert [c.line for c in placeholders("First line\nsecond line [@a#p-1]\nthird [@b#p-2]",
                                         paragraph_ids=True)] == [1, 2]


def test_a_citation_outside_a_numbered_paragraph_has_no_paragraph():
    assert [c.paragraph for c in placeholders("- item [@a#p-2]\n\n> quoted [@a#p-3]",
                                              paragraph_ids=True)] == [None, None]


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
    ("[@Slug]", "'Slug' is not a key"),
    ("[@Slug#p-1]", "'Slug' is not a slug"),
    ("[@a#p-1;]", "an empty citation"),
    ("[@a#p-1; b#p-2]", "'b#p-2' is not a citation"),
    ("[@a#p-1 and more", "never closed"),
])
def test_a_malformed_citation_is_marked_as_an_error_not_shown_as_text(written, why):
    [cite] = placeholders(f"See {written}.")
    assert cite.items == ()
    assert why in cite.error


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


def test_a_document_without_brackets_is_left_as_it_is(docs):
    document = FakeDocument("plain", "Plain", category="briefings")
    html = '<p id="p-1">No citation, even if it looks like <cite>one</cite>.</p>'
    assert resolve(document, html, CitationIndex(list(docs))) == (html, [], [])


def test_placeholders_become_links_grouped_in_brackets(docs):
    source, note = docs
    document, html = citing("X [@ministers-meet#p-7; @ministers-meet#p-19]. Y [@a-note#p-2].")
    out, citations, problems = resolve(document, html, CitationIndex([source, note]))
    assert problems == []
    # a second paragraph of the same document is just its number: [Goodenough 2008, ¶ 7, 19]
    assert ('<span class="para-cites">[<a class="para-cite" '
            'href="{filename}/sources/ministers-meet.md#p-7">Goodenough 2008, ¶ 7</a>, '
            '<a class="para-cite" href="{filename}/sources/ministers-meet.md#p-19" '
            'aria-label="Goodenough 2008, ¶ 19">19</a>]</span>') in out
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
    document, html = citing(f"Text {written}.")
    _, citations, problems = resolve(document, html, CitationIndex(list(docs)))
    assert citations == []
    [problem] = problems
    assert message in problem.message
    assert problem.path.endswith("briefings/citing.md")


def test_cited_by_lists_citing_documents_and_their_paragraphs(docs):
    source, note = docs
    index = CitationIndex([source, note])
    two, two_html = citing("[@ministers-meet#p-2]", "two", date=dt.datetime(2008, 9, 12))
    one, one_html = citing("A [@ministers-meet#p-2].\n\nB [@ministers-meet#p-2; "
                           "@ministers-meet#p-3].\n\n- C [@ministers-meet#p-3]", "one",
                           date=dt.datetime(2008, 9, 10))
    found = []
    for document, html in [(two, two_html), (one, one_html)]:
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
    note, html = citing("X [@ministers-meet#p-2].", "note")
    note.title = "A <b> note"
    cited_by = CitedBy(resolve(note, html, CitationIndex([source, note]))[1])
    out = add_cited_by(source, source._content, cited_by)
    paragraphs = re.findall(r"<p[ >].*?</p>", out, re.S)
    assert paragraphs[1].startswith('<p id="p-2">')
    # a compact marker that opens on the list, without script
    assert out.split(paragraphs[1], 1)[1].startswith(
        '\n<details class="cited-by" data-pagefind-ignore><summary><span class="cited-by-label">'
        'Cited by</span> 1</summary><p><a href="{filename}/briefings/note.md">A &lt;b&gt; note</a>'
        ' (¶ <a href="{filename}/briefings/note.md#p-1" aria-label="A &lt;b&gt; note, paragraph '
        '1">1</a>)</p></details>')
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
    # A briefing's citations are numbered notes (link/notes.py): the bracket is the note.
    assert ">Reporter 2008, ¶ 3</a>, <a" in text and 'aria-label="Reporter 2008, ¶ 2">2</a>.' in text
    assert '<sup class="note-ref"><a href="#note-1"' in text
    assert "[@" not in text and "data-cite" not in text


def test_a_note_citing_a_note_is_labelled_by_title(built):
    _, output, _ = built
    text = (output / "briefings" / "second-note" / "index.html").read_text("utf-8")
    assert ">The alliance and Georgia, ¶ 1</a>." in text  # in its numbered note


def _cited_by(text: str) -> dict[str, str]:
    """{cited paragraph id: the Cited-by line after it}."""
    return {pid: line for pid, line in re.findall(
        r'<p id="(p-\d+)">(?:(?!</p>).)*</p>\s*(<details class="cited-by".*?</details>)', text,
        re.S)}


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
    assert lines["p-5"].endswith(">The alliance and Georgia</a></p></details>")  # a list item
    note = (output / "briefings" / "alliance-note" / "index.html").read_text("utf-8")
    assert "A second note" in _cited_by(note)["p-1"]


@pytest.mark.parametrize("old, new, message", [
    ("[@ministers-meet#p-2]. {#p-1}", "[@nosuch#p-3]. {#p-1}",
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
    line = line_of(NOTE, old)
    result = build_changed(tmp_path, monkeypatch, NOTE, old, new)
    assert not result.ok
    assert any(p.startswith(f"{NOTE}:{line}: {message}") for p in result.problems), \
        result.problems


# -- persistent ids: edits to cited paragraphs (fixture site, built) --------------------------

CSTO = "content/entities/organizations/csto.md"
P5 = "\n\nGeorgia was a member of the CSTO but withdrew in 1999. {#p-5}"


def edited(tmp_path, monkeypatch, edits, *, ids=False, confirm=None):
    """Copy the fixture site, apply (file, old, new) edits, optionally run `research ids` (and
    `--confirm` on one file) as an editor would, then build. Returns (result, site, said)."""
    import io
    import shutil

    from citesite import SITE
    from conftest import ROOT, build_site
    from research.read.paragraph_ids import run
    from sitepages import reset_pelican_log_dedup

    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    for relative, old, new in edits:
        path = site / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    said = io.StringIO()
    if ids:
        assert run(str(site / "pelicanconf.py"), out=said) == 0
    if confirm:
        assert run(str(site / "pelicanconf.py"), [str(site / confirm)], True, out=said) == 0
    reset_pelican_log_dedup()
    return build_site(site, tmp_path / "output"), site, said.getvalue()


def _paragraph_texts(page: str) -> dict[str, str]:
    return {anchor: " ".join(re.sub(r"<[^>]+>", "", inner).replace("¶", "").split())
            for anchor, inner in re.findall(r'<p id="(p-\d+)">(.*?)</p>', page, re.S)}


def test_inserting_a_paragraph_keeps_every_citation_on_its_words(tmp_path, monkeypatch):
    assert edited(tmp_path / "before", monkeypatch, [])[0].ok
    before = _paragraph_texts((tmp_path / "before" / "output" / "sources" / "ministers-meet"
                               / "index.html").read_text("utf-8"))
    new = "A correction was added at the top.\n\n"
    result, site, said = edited(tmp_path, monkeypatch, [
        (SOURCE, "Russia on Friday", new + "Russia on Friday"),
        (SOURCE, "“We’re satisfied,”", "Another new paragraph.\n\n“We’re satisfied,”")],
        ids=True)
    assert result.ok, result.problems
    assert "gave 2 paragraph(s) an id: p-6, p-7" in said  # never-used ids, in order
    after = _paragraph_texts((tmp_path / "output" / "sources" / "ministers-meet" / "index.html")
                             .read_text("utf-8"))
    assert {a: after[a] for a in before} == before  # every old URL shows the same words
    assert after["p-6"] == "A correction was added at the top."
    text = (site / SOURCE).read_text("utf-8")
    assert "A correction was added at the top. {#p-6}\n" in text


def test_an_unstamped_paragraph_fails_the_build_with_the_command(tmp_path, monkeypatch):
    line = line_of(SOURCE, "Russia on Friday")
    result, _, _ = edited(tmp_path, monkeypatch, [(SOURCE, "Russia on Friday",
                                                    "A correction.\n\nRussia on Friday")])
    assert result.problems[0] == (f"{SOURCE}:{line}: this paragraph has no id; run `python -m "
                                  f"research ids {SOURCE}` (or `make ids`) to give every "
                                  "paragraph one")


def test_moving_paragraphs_changes_nothing(tmp_path, monkeypatch):
    result, _, said = edited(tmp_path, monkeypatch, [
        (SOURCE, P5, ""),
        (SOURCE, "Russia on Friday", P5.strip() + "\n\nRussia on Friday")], ids=True)
    assert result.ok, result.problems
    assert said == ""
    page = (tmp_path / "output" / "sources" / "ministers-meet" / "index.html").read_text("utf-8")
    assert list(_paragraph_texts(page)) == ["p-5", "p-1", "p-2", "p-3", "p-4"]


def test_deleting_a_cited_paragraph_fails_naming_each_citation(tmp_path, monkeypatch):
    result, _, _ = edited(tmp_path, monkeypatch, [
        (SOURCE, P5, ""), (NOTE, '    refs: [ministers-meet#p-5]\n', "")], ids=True)
    line = line_of(NOTE, "[@ministers-meet#p-5]") - 1  # (one line of the note was removed)
    why = (f"cites 'ministers-meet#p-5', but that paragraph was removed from {SOURCE}; cite the "
           "paragraph that holds the words relied on, or remove the citation")
    assert sorted(result.problems) == [
        f"{NOTE}:{line}: {why}",
        f"content/entities/organizations/csto.md:{line_of(CSTO, 'ministers-meet#p-5')}: "
        f"members[1].refs[0]: {why}"]


def test_a_removed_paragraph_keeps_a_tombstone_anchor_and_its_id_is_never_reused(
        tmp_path, monkeypatch):
    third = "\n\nForeign Minister Sergei Lavrov said"
    result, site, _ = edited(tmp_path, monkeypatch, [
        (SOURCE, third, third.replace("\n\nForeign", "\n\nA new paragraph. {#p-9}\n\nForeign")),
        (NOTE, "[@ministers-meet#p-3; @ministers-meet#p-2]", "[@ministers-meet#p-2]")])
    assert not result.ok  # p-9 was typed by hand, so the lock must record it first
    assert any("p-9 is not recorded in content/citations.lock" in p for p in result.problems)
    path = site / SOURCE
    text = path.read_text("utf-8")
    path.write_text(text.replace("A new paragraph. {#p-9}\n\n", ""), encoding="utf-8")
    # remove p-3 (no longer cited, except by a quotation, which goes too) and run ids
    text = path.read_text("utf-8")
    start = text.index("Foreign Minister")
    path.write_text(text[:start] + text[text.index("“We’re"):], encoding="utf-8")
    path.write_text(path.read_text("utf-8").replace(
        "  - speaker: sergei-lavrov\n    words: \"gives clear answers to all questions.\"\n"
        "    paragraph: 3\n    note: On the ministers' statement.\n", ""), encoding="utf-8")
    from research.read.paragraph_ids import run
    from conftest import build_site
    from sitepages import reset_pelican_log_dedup
    import io
    assert run(str(site / "pelicanconf.py"), out=io.StringIO()) == 0
    lock = (site / "content" / "citations.lock").read_text("utf-8")
    assert '"removed": {\n        "p-3": "p-4"\n      }' in lock
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output2")
    assert result.ok, result.problems
    page = (tmp_path / "output2" / "sources" / "ministers-meet" / "index.html").read_text("utf-8")
    assert '<span class="tombstone" id="p-3"></span><p id="p-4">' in page  # old URL lands
    # a paragraph typed with the removed id is refused: ids are never reused
    path.write_text(path.read_text("utf-8").replace("withdrew in 1999. {#p-5}",
                                                    "withdrew in 1999. {#p-5}\n\nNew. {#p-3}"))
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output3")
    assert any("p-3 is the id of a paragraph that was removed, and ids are never reused" in p
               for p in result.problems), result.problems


def test_splitting_a_cited_paragraph_shows_old_and_new_text(tmp_path, monkeypatch):
    result, _, said = edited(tmp_path, monkeypatch, [
        (SOURCE, "backed Russia and blamed", "backed Russia.\n\nThey blamed")], ids=True)
    assert "gave 1 paragraph(s) an id: p-6" in said  # the first half; p-2 stays on the second
    assert "p-2 is cited and its text changed" in said
    line = line_of(NOTE, 'refs: [ministers-meet#p-2]')
    # (every citation of p-2 is reported at once: the event's, and the prose's)
    assert all("cites 'ministers-meet#p-2', but p-2 has changed" in p for p in result.problems)
    assert result.problems[:1] == [
        f"{NOTE}:{line}: events[0].refs[0]: cites 'ministers-meet#p-2', but p-2 has changed "
        "since the citation was recorded: it was \"The ministers backed Russia and blamed "
        "Georgia for its offensive in South Ossetia.\" and is now \"They blamed Georgia for its "
        "offensive in South Ossetia.\". If the citation still holds, run `python -m "
        f"research ids --confirm {SOURCE}`; if not, correct the citation"]


def test_rewording_fails_until_confirmed_and_confirming_is_idempotent(tmp_path, monkeypatch):
    edit = [(SOURCE, "Lavrov said that", "Lavrov said after the talks that")]
    result, _, _ = edited(tmp_path / "a", monkeypatch, edit)
    assert len(result.problems) == 1 and "but p-3 has changed since" in result.problems[0]
    assert "is now \"Foreign Minister Sergei Lavrov said after the talks that" in \
        result.problems[0]
    result, site, said = edited(tmp_path / "b", monkeypatch, edit, confirm=SOURCE)
    assert result.ok, result.problems
    assert "p-3 is cited and changed; recorded its new text (confirmed)" in said
    files = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    from research.read.paragraph_ids import run
    import io
    again = io.StringIO()
    assert run(str(site / "pelicanconf.py"), out=again) == 0
    assert again.getvalue() == ""
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == files


def test_words_that_moved_are_found(tmp_path, monkeypatch):
    result, _, _ = edited(tmp_path, monkeypatch, [
        (NOTE, "[@ministers-meet#p-2]. {#p-1}", '[@ministers-meet#p-2 "withdrew in 1999"]. {#p-1}')],
        ids=True)
    line = line_of(NOTE, "The ministers blamed Georgia")
    assert result.problems == [
        f"{NOTE}:{line}: cites 'ministers-meet#p-2' for the words \"withdrew in 1999\", but p-2 "
        "now reads \"The ministers backed Russia and blamed Georgia for its offensive in South "
        "Ossetia.\"; the words are now in p-5: cite that paragraph"]


def test_quoted_words_hold_through_a_rewording_elsewhere_in_the_paragraph(tmp_path, monkeypatch):
    # Words are checked after normalising quotes, dashes and whitespace.
    result, _, _ = edited(tmp_path, monkeypatch, [
        (NOTE, "[@ministers-meet#p-5]", '[@ministers-meet#p-5 "member of the\n  CSTO"]'),
        (SOURCE, "withdrew in 1999", "withdrew – in 1999")], ids=True, confirm=SOURCE)
    assert result.ok, result.problems


def test_a_row_source_can_carry_words_and_is_checked(tmp_path, monkeypatch):
    csto = "content/entities/organizations/csto.md"
    text = (SITE_ROOT / csto).read_text("utf-8")
    old = re.search(r'refs: \[ministers-meet#p-\d\]', text)[0]
    result, _, _ = edited(tmp_path, monkeypatch, [
        (csto, old, "refs: ['" + old[7:-1] + ' "left in 2001"\']')])
    assert len(result.problems) == 1
    assert "members[" in result.problems[0] and "for the words \"left in 2001\"" in \
        result.problems[0]


def test_a_citation_of_a_briefing_paragraph_follows_its_id(tmp_path, monkeypatch):
    result, _, _ = edited(tmp_path, monkeypatch, [
        (NOTE, "The ministers blamed Georgia", "A new first paragraph.\n\nThe ministers blamed "
         "Georgia")], ids=True)
    assert result.ok, result.problems
    page = (tmp_path / "output" / "briefings" / "second-note" / "index.html").read_text("utf-8")
    assert 'href="../../briefings/alliance-note/#p-1"' in page
    result, _, _ = edited(tmp_path / "x", monkeypatch, [
        (NOTE, "The ministers blamed Georgia", "The ministers blamed Tbilisi")])
    assert [p.split(": ", 1)[0] for p in result.problems] == ["content/briefings/second-note.md:9"]
    assert "cites 'alliance-note#p-1', but p-1 has changed" in result.problems[0]


# -- persistent ids: a property test on the pure pipeline the build runs -----------------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from research.read import citation_lock# noqa: E402
from research.read.markdown import parse as parse_markdown  # noqa: E402
from research.read.paragraph_ids import stamp  # noqa: E402

SITE_ROOT = __import__("citesite").SITE
_PARAGRAPHS = [f"Paragraph {word} says {word} things about the {word} alliance."
               for word in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")]
_CITATIONS = ["s#p-2", "s#p-3", 's#p-4 "delta things"', "s#p-6"]
_OPS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "move", "split", "reword"]),
                          st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=6)


def _blocks(body: str) -> list[str]:
    return [b for b in body.split("\n\n") if b.strip()]


def _edit(blocks: list[str], op: str, a: int, b: int, serial: int) -> list[str]:
    blocks = list(blocks)
    if op == "insert" or not blocks:
        blocks.insert(a % (len(blocks) + 1), f"Inserted paragraph {serial} says new things.")
    elif op == "delete":
        del blocks[a % len(blocks)]
    elif op == "move":
        blocks.insert(b % len(blocks), blocks.pop(a % len(blocks)))
    elif op == "split":
        block = blocks[a % len(blocks)]
        words = block.split(" ")
        cut = 1 + b % max(1, len(words) - 2)
        blocks[a % len(blocks)] = " ".join(words[:cut]) + "\n\n" + " ".join(words[cut:])
    else:  # reword: one word changed
        block = blocks[a % len(blocks)]
        words = block.split(" ")
        words[b % max(1, len(words) - 1)] = f"changed{serial}"
        blocks[a % len(blocks)] = " ".join(words)
    return blocks


@hsettings(max_examples=60, deadline=None)
@given(_OPS)
def test_after_any_edits_every_citation_cites_the_same_words_or_fails_naming_it(ops):
    body = stamp("\n\n".join(_PARAGRAPHS)).text
    original = parse_markdown(body, paragraph_ids=True).paragraphs
    cited = {"p-2", "p-3", "p-4", "p-6"}
    entry = citation_lock.Entry("s", 6, list(original), {}, {a: original[a] for a in cited})
    for serial, (op, a, b) in enumerate(ops):
        body = "\n\n".join(_edit(_blocks(body), op, a, b, serial))
        body = stamp(body, entry.last_id).text  # `research ids`, without --confirm
        parsed = parse_markdown(body, paragraph_ids=True)
        if parsed.problems:  # e.g. a split left an id on a line of its own: the build fails
            assert all(line is not None for line, _ in parsed.problems)
            return
        entry = citation_lock.updated(entry, "s", list(parsed.paragraphs), parsed.paragraphs,
                                      cited, False, lambda line: None)
        document = FakeDocument("s", "S", source_path="/site/content/sources/s.md",
                                extra={"paragraphs": parsed.paragraphs})
        lock = citation_lock.Lock({"sources/s.md": entry}, "content/citations.lock")
        index = CitationIndex([document], lock, "/site/content")
        for citation in _CITATIONS:
            anchor = citation.split("#")[1].split()[0]
            why = index.problem(citation)
            if why is None:  # it holds: the paragraph says what it said when cited
                assert citation_lock.normalise(parsed.paragraphs[anchor]) == \
                    citation_lock.normalise(original[anchor])
            else:  # or the build fails, naming the citation
                assert why.startswith(f"cites '{citation.split()[0]}'")


def test_citations_in_editorial_notes_are_checked_and_linked(tmp_path, monkeypatch):
    row = "    end: '1999-04'\n"
    result, _, _ = edited(tmp_path / "a", monkeypatch, [
        (CSTO, row, row + "    note: Withdrawal reported in the article [@ministers-meet#p-5].\n"),
        (CSTO, "A military alliance.", "A military alliance [@ministers-meet#p-1].")])
    assert result.ok, result.problems
    page = (tmp_path / "a" / "output" / "organizations" / "csto" / "index.html").read_text("utf-8")
    assert ('reported in the article <span class="para-cites">[<a class="para-cite" '
            'href="../../sources/ministers-meet/#p-5">Reporter 2008, ¶ 5</a>]</span>') in page
    assert 'href="../../sources/ministers-meet/#p-1">Reporter 2008, ¶ 1</a>' in page  # body
    result, _, _ = edited(tmp_path / "b", monkeypatch, [
        (CSTO, row, row + "    note: In the article [@ministers-meet#p-9].\n")])
    assert result.problems == [f"{CSTO}:20: members[1].note: cites 'ministers-meet#p-9', but "
                               "'ministers-meet' has paragraphs p-1 to p-5"]


def test_the_ids_command_stamps_named_files_and_is_idempotent(tmp_path, monkeypatch):
    import shutil
    import subprocess
    import sys

    from citesite import SITE
    from conftest import ROOT

    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    path = site / SOURCE
    path.write_text(path.read_text("utf-8").replace("Georgia was a member", "New one.\n\n"
                                                    "Georgia was a member"), encoding="utf-8")
    env = {**__import__("os").environ, "RESEARCH_PROJECT_ROOT": str(ROOT),
           "PYTHONPATH": str(ROOT / "plugins")}

    def ids(*args):
        return subprocess.run([sys.executable, "-m", "research", "ids", "-s", "pelicanconf.py",
                               *args], cwd=site, env=env, capture_output=True, text=True,
                              timeout=120)

    done = ids(NOTE)  # only the note: the source keeps its unstamped paragraph
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert "New one.\n" in path.read_text("utf-8")
    done = ids(SOURCE)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{SOURCE}: gave 1 paragraph(s) an id: p-6\n"
    assert "New one. {#p-6}\n" in path.read_text("utf-8")
    assert ids().stdout == ""  # idempotent
    done = ids("content/nowhere.md")
    assert done.returncode == 1
    assert "content/nowhere.md: is not a source or briefing note" in done.stderr


def test_a_citation_with_words_of_a_removed_paragraph_says_where_the_words_are():
    entry = citation_lock.Entry("s", 3, ["p-1", "p-3"], {"p-2": "p-3"}, {"p-2": "Old words."})
    lock = citation_lock.Lock({"sources/s.md": entry}, "content/citations.lock")
    document = FakeDocument("s", "S", source_path="/site/content/sources/s.md",
                            extra={"paragraphs": {"p-1": "One.", "p-3": "Old words, moved."}})
    index = CitationIndex([document], lock, "/site/content")
    assert index.problem('s#p-2 "Old words"') == (
        "cites 's#p-2', but that paragraph was removed from /site/content/sources/s.md; the "
        "words are now in p-3: cite that paragraph")
    assert index.problem("s#p-2") == (
        "cites 's#p-2', but that paragraph was removed from /site/content/sources/s.md; cite "
        "the paragraph that holds the words relied on, or remove the citation")

"""Quotations as data (`quotes:` front-matter): validation, and the "Quoted" section of person
pages. Also checks the real article's quotations against its text."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from citesite import SITE, FakeDocument, build, build_changed, line_of
from conftest import ROOT
from research.read.citation_lock import normalise
from research.read.markdown import parse as parse_markdown
from research.link.quotes import collect_quotes, read_quotes
from sitepages import parse

SOURCE = "content/sources/ministers-meet.md"
TEXT = ("One.\n\nLavrov said it “gives clear answers to all questions.”\n\n"
        "“We’re satisfied,” he added.")


@pytest.fixture
def registry():
    def entity(slug, kind):
        return SimpleNamespace(slug=slug, type=kind, name=slug)
    return SimpleNamespace(entities={"sergei-lavrov": entity("sergei-lavrov", "person"),
                                     "csto": entity("csto", "organization")})


def document(quotes, text=TEXT):
    parsed = parse_markdown(_stamped(text), paragraph_ids=True)
    return FakeDocument("talks", "Talks", _content=parsed.html,
                        extra={"quotes": quotes, "paragraphs": parsed.paragraphs})


def _stamped(text):
    from research.read.paragraph_ids import stamp
    return stamp(text).text


def quote(**fields):
    return {"speaker": "sergei-lavrov", "words": "gives clear answers to all questions.",
            "paragraph": 2, **fields}


def test_a_valid_quotation_becomes_a_record(registry):
    doc = document([quote(note="on the statement")])
    [q], problems = read_quotes(doc, registry)
    assert problems == []
    assert (q.speaker, q.words, q.paragraph, q.note, q.anchor) == (
        "sergei-lavrov", "gives clear answers to all questions.", 2, "on the statement", "#p-2")


def test_apostrophes_and_spaces_may_differ_but_words_may_not(registry):
    doc = document([quote(words="We're  satisfied", paragraph=3)])
    assert read_quotes(doc, registry)[1] == []
    assert normalise("We’re\n satisfied ") == "We're satisfied"


@pytest.mark.parametrize("fields, where, message", [
    ({"words": "gives clear answers to every question."}, "quotes[0].words",
     "does not occur verbatim in paragraph p-2"),
    ({"paragraph": 3}, "quotes[0].words", "does not occur verbatim in paragraph p-3"),
    ({"paragraph": 9}, "quotes[0].paragraph", "there is no paragraph p-9; this document has "
                                              "p-1 to p-3"),
    ({"paragraph": "two"}, "quotes[0].paragraph", "must be a paragraph number"),
    ({"speaker": "nobody"}, "quotes[0].speaker", "unknown person 'nobody'"),
    ({"speaker": "csto"}, "quotes[0].speaker", "'csto' is an organization; a speaker must "
                                               "be a person"),
    ({"words": ""}, "quotes[0].words", "is required"),
    ({"said": "x"}, "quotes[0]", "unknown field(s) said"),
])
def test_each_mistake_is_named_with_its_field(registry, fields, where, message):
    quotes, problems = read_quotes(document([quote(**fields)]), registry)
    assert quotes == []
    assert [p.field for p in problems] == [where]
    assert message in problems[0].message
    assert problems[0].path.endswith("sources/talks.md")


def test_index_lists_a_speakers_quotes_by_document_then_paragraph(registry):
    later = document([quote(paragraph=3, words="We’re satisfied"), quote()])
    later.date = later.date.replace(year=2009)
    earlier = document([quote()])
    index, problems = collect_quotes([later, earlier], registry)
    assert problems == []
    assert [(q.document.date.year, q.paragraph) for q in index.by_speaker("sergei-lavrov")] == [
        (2008, 2), (2009, 2), (2009, 3)]
    assert index.by_speaker("csto") == []


def test_paragraph_texts_drop_markup_and_pilcrows():
    parsed = parse_markdown("A *b* [c](http://x.test) &amp; d. {#p-1}", paragraph_ids=True)
    assert parsed.paragraphs == {"p-1": "A b c & d."}


def test_quotes_follow_their_paragraph_id_and_say_where_moved_words_are(registry):
    # A paragraph inserted before the quoted one: ids persist, the quotation still holds.
    moved = "New first paragraph. {#p-4}\n\n" + _stamped(TEXT)
    doc = document([quote()], moved)
    assert read_quotes(doc, registry)[1] == []
    # The words were moved into another paragraph: the message says where they are now.
    split = _stamped(TEXT).replace(" “gives clear", " {#p-2}\n\nIt “gives clear")
    doc = document([quote()], split.replace("questions.” {#p-2}", "questions.” {#p-5}", 1))
    (problem,) = read_quotes(doc, registry)[1]
    assert problem.field == "quotes[0].words"
    assert problem.message.endswith("the words are now in p-5: set paragraph: 5")


# -- the fixture site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("quotes") / "output"
    return build(output), output


def test_person_page_has_a_quoted_section_linking_to_the_paragraphs(built):
    result, output = built
    assert result.ok, result.problems
    path = output / "people" / "sergei-lavrov" / "index.html"
    text = path.read_text("utf-8")
    section = re.search(r'<section aria-labelledby="quotes-heading".*?</section>', text, re.S)[0]
    assert '<h2 id="quotes-heading">Quoted</h2>' in section
    assert "“gives clear answers to all questions.”" in section
    assert "“We’re satisfied”" in section
    assert "On the ministers' statement." in html.unescape(section)
    links = [href for href, css in parse(path).links if css == "para-ref"]
    assert "../../sources/ministers-meet/#p-3" in links
    assert "../../sources/ministers-meet/#p-4" in links
    assert section.index("#p-3") < section.index("#p-4")


def test_a_person_with_no_quotations_has_no_quoted_section(tmp_path, monkeypatch):
    text = (SITE / SOURCE).read_text("utf-8")  # drop the whole `quotes:` block (an unknown
    start = text.index("\nquotes:\n")         # field name would now fail the build)
    result = build_changed(tmp_path, monkeypatch, SOURCE, text[start:text.index("\n---", start)],
                           "")
    assert result.ok, result.problems
    text = (tmp_path / "output" / "people" / "sergei-lavrov" / "index.html").read_text("utf-8")
    assert "quotes-heading" not in text and "Mentioned in" in text


def test_words_not_in_the_paragraph_fail_the_build(tmp_path, monkeypatch):
    line = line_of(SOURCE, 'words: "We’re satisfied"')  # the line of the field itself
    result = build_changed(tmp_path, monkeypatch, SOURCE, 'words: "We’re satisfied"',
                           'words: "We are satisfied"')
    assert not result.ok
    assert result.problems == [f"{SOURCE}:{line}: quotes[1].words: 'We are satisfied' does not "
                               "occur verbatim in paragraph p-4, which now reads \"“We’re "
                               "satisfied,” Lavrov added.\"; copy the words from the text (without the "
                               "quotation marks)"]


def test_a_speaker_who_is_not_a_person_fails_the_build(tmp_path, monkeypatch):
    result = build_changed(tmp_path, monkeypatch, SOURCE,
                           "  - speaker: sergei-lavrov\n    words: \"We",
                           "  - speaker: russia\n    words: \"We")
    assert not result.ok
    assert any("quotes[1].speaker: 'russia' is a country; a speaker must be a person" in p
               for p in result.problems), result.problems


# -- the real article ------------------------------------------------------------------------


def test_the_articles_quotations_match_its_text(settings):
    from research.read.reader import ResearchMarkdownReader

    path = ROOT / "content" / "sources" / "moscows-search-for-intl-backing-continues.md"
    settings["PATH"] = str(ROOT / "content")
    content, metadata = ResearchMarkdownReader(settings).read(str(path))
    people = {p.stem for p in (ROOT / "content" / "entities" / "people").glob("*.md")}
    registry = SimpleNamespace(entities={slug: SimpleNamespace(type="person") for slug in people})
    doc = FakeDocument("moscows-search-for-intl-backing-continues", metadata["title"],
                       _content=content, extra={"quotes": metadata["quotes"],
                                                "paragraphs": metadata["paragraphs"]})
    quotes, problems = read_quotes(doc, registry)
    assert problems == []
    assert [(q.speaker, q.paragraph) for q in quotes] == [
        ("niklas-swanstrom", 4), ("niklas-swanstrom", 5), ("sergei-lavrov", 11),
        ("sergei-lavrov", 22), ("dmitry-rogozin", 17), ("nikolay-bordyuzha", 24)]
    assert quotes[2].words == "gives clear answers to all questions."
    assert quotes[5].words == "and revive certain elements of the time of the Soviet Union."

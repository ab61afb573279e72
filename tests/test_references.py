"""The bibliography (issue 19): loading and checking content/references/*.yaml, reading
citations (`refs:` items and `[@key, locator]`), formatting with CSL, numbered notes in
briefings, the exports and "cite this page"; then the fixture site built in both URL modes.

Bad inputs with their exact messages and codes are in tests/bad_inputs/cases-references.yaml.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import FIXTURES, build_site
from sitepages import reset_pelican_log_dedup
from research.core.cites import Cite, parse_item, parse_refs, parse_text
from research.render import cite_page
from research.link import notes, refs_check
from research.model import references
from research.read.cite_syntax import parse_items

# -- citations as written ----------------------------------------------------------------------


@pytest.mark.parametrize("written, cite", [
    ("csto-charter-2002", Cite("csto-charter-2002")),
    ("csto-charter-2002, art. 16", Cite("csto-charter-2002", None, "art. 16")),
    ('key, p. 12 "the words"', Cite("key", None, "p. 12", "the words")),
    ('key "the words"', Cite("key", None, "", "the words")),
    ("slug#p-7", Cite("slug", 7)),
    ('slug#p-7 "the seven-country CSTO"', Cite("slug", 7, "", "the seven-country CSTO")),
])
def test_a_citation_is_read_from_text(written, cite):
    assert parse_text(written) == (cite, None)
    assert parse_text(cite.written()) == (cite, None)  # the written form reads back


@pytest.mark.parametrize("written, why", [
    ("", "is empty"),
    ("Charter of the CSTO", "is not a citation"),
    ("key, ", "has a ',' with no locator"),
    ("slug#p-7, p. 3", "gives a locator to a paragraph citation"),
    ("slug#x", "'#x' is not a paragraph"),
    ('key ""', "quotes empty words"),
])
def test_a_malformed_citation_says_what_is_wrong(written, why):
    cite, error = parse_text(written)
    assert cite is None and why in error


def test_a_mapping_item_has_key_locator_and_quote():
    assert parse_item({"key": "csto-charter-2002", "locator": "art. 16", "quote": "words"}) == \
        (Cite("csto-charter-2002", None, "art. 16", "words"), None)
    assert parse_item({"key": "slug#p-3", "quote": "words"}) == (Cite("slug", 3, "", "words"), None)
    assert "not a field" in parse_item({"key": "k", "page": 3})[1]
    assert "needs 'key:'" in parse_item({"locator": "p. 3"})[1]


def test_refs_collect_the_index_of_each_bad_item():
    cites, errors = parse_refs(["a-key", "Free text", {"key": "b"}])
    assert [c.key for c in cites] == ["a-key", "b"]
    assert [index for index, _ in errors] == [1]


def test_prose_brackets_mix_paragraphs_and_keys():
    items, error = parse_items('@slug#p-7; @csto-charter-2002, art. 16; @key, p. 3 "x; y"')
    assert error is None
    assert items == ["slug#p-7", "csto-charter-2002, art. 16", 'key, p. 3 "x; y"']
    assert "is not a citation" in parse_items("@Bad Key")[1]


# -- loading -----------------------------------------------------------------------------------

ENTRY = """- id: goodenough-2008
  kind: press
  type: article-newspaper
  title: Moscow's search for international backing continues
  author: [{family: Goodenough, given: Patrick}]
  container-title: CNSNews.com
  issued: '2008-09-05'
  URL: https://example.org/a?x=1&y=2
"""


def _load(tmp_path, **files):
    folder = tmp_path / "content" / "references"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return references.load({"PATH": str(tmp_path / "content")})


def test_references_are_loaded_from_every_file_sorted_by_key(tmp_path):
    bibliography = _load(tmp_path, **{"b.yaml": ENTRY, "a.yaml": ENTRY.replace(
        "goodenough-2008", "another-2008")})
    assert list(bibliography.references) == ["another-2008", "goodenough-2008"]
    ref = bibliography.get("goodenough-2008")
    assert ref.kind == "press" and ref.line == 1 and ref.is_web
    assert ref.csl()["issued"] == {"date-parts": [[2008, 9, 5]], "raw": "2008-09-05"}


def test_a_missing_folder_is_an_empty_bibliography(tmp_path):
    assert not references.load({"PATH": str(tmp_path)})


def test_every_problem_of_every_file_is_reported_at_its_line(tmp_path):
    from research.core.errors import ContentError

    bad = ENTRY.replace("  kind: press", "  kind: newspaper").replace(
        "issued: '2008-09-05'", "issued: '2008-13'")
    with pytest.raises(ContentError) as err:
        _load(tmp_path, **{"a.yaml": bad, "b.yaml": "- id: x\n  titel: y\n"})
    lines = [(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in err.value.problems]
    assert ("a.yaml", 2, "goodenough-2008.kind", "field.choice") in lines
    assert ("a.yaml", 7, "goodenough-2008.issued", "date.nonexistent") in lines
    assert ("b.yaml", 2, "x.titel", "field.unknown") in lines
    assert ("b.yaml", 1, "x.kind", "field.required") in lines


# -- formatting (citeproc-py, Chicago author-date) ------------------------------------------


def test_entries_are_formatted_by_csl_with_links_and_short_citations(tmp_path):
    bibliography = _load(tmp_path, **{"a.yaml": ENTRY})
    assert bibliography.short("goodenough-2008") == "Goodenough 2008"
    entry = bibliography.entry_html("goodenough-2008")
    assert entry.startswith("Goodenough, Patrick. 2008. “Moscow")
    assert "<i>CNSNews.com</i>" in entry
    assert '<a class="ref-url" href="https://example.org/a?x=1&amp;y=2">' in entry
    assert bibliography.citation_text(Cite("goodenough-2008", None, "p. 3")) == \
        "Goodenough 2008, p. 3"


def test_what_citeproc_prints_is_escaped(tmp_path):
    bibliography = _load(tmp_path, **{"a.yaml": ENTRY.replace(
        "title: Moscow's search for international backing continues",
        "title: '<script>alert(1)</script> & more'")})
    entry = bibliography.entry_html("goodenough-2008")
    assert "<script>" not in entry and "&lt;script&gt;" in entry


def test_an_entry_without_author_prints_its_title_once(tmp_path):
    bibliography = _load(tmp_path, **{"a.yaml": "- id: protocol-1999\n  kind: official\n"
                                      "  type: treaty\n  title: The Protocol\n"
                                      "  issued: '1999-04-02'\n"})
    assert bibliography.entry_text("protocol-1999").count("The Protocol") == 1


# -- numbered notes in briefings -------------------------------------------------------------


def test_brackets_and_footnotes_become_one_series_of_notes():
    body = ('<p>A <span class="para-cites">[<a class="ref-cite" href="#ref-k" title="“w”">K 2002'
            '</a>]</span>.<sup class="footnote-ref"><a href="#fn1" id="fnref1" aria-label="Note 1">1'
            '</a></sup> B<sup class="footnote-ref"><a href="#fn2" id="fnref2" aria-label="Note 2">2'
            '</a></sup> <span class="para-cites">[<a class="ref-cite" href="#ref-k" title="“w”">'
            'K 2002</a>]</span></p>\n<section class="footnotes" aria-labelledby="notes-heading">\n'
            '<h2 id="notes-heading">Notes</h2>\n<ol class="footnotes-list">\n'
            '<li id="fn1" class="footnote-item"><p>One, see <sup class="footnote-ref"><a href="#fn2"'
            ' id="fnref2:1" aria-label="Note 2">2</a></sup>. ↩︎ <a href="#fnref1" '
            'class="footnote-backref" aria-label="Back">↩︎</a></p>\n</li>\n'
            '<li id="fn2" class="footnote-item"><p>Two. ↩︎ <a href="#fnref2" '
            'class="footnote-backref" aria-label="Back">↩︎</a></p>\n</li>\n</ol>\n</section>\n')
    out = notes.numbered(body)
    assert out.count('<sup class="note-ref">') == 4
    assert "A<sup" in out  # no space before the number
    assert '<li id="note-1" class="footnote-item"><p><a class="ref-cite" href="#ref-k">K 2002</a>:' \
        ' <q class="note-quote">w</q>.' in out
    assert 'see <a class="note-xref" href="#note-3">note 3</a>' in out  # fn2 is note 3
    assert '(as <a class="note-xref" href="#note-1">note 1</a>)' in out  # note 4 repeats note 1
    assert out.count('<h2 id="notes-heading">Notes</h2>') == 1
    assert "fnref" not in out


# -- checks and the index of uses -----------------------------------------------------------


def test_an_unknown_key_names_the_closest_and_a_document_slug_asks_for_a_paragraph(tmp_path):
    bibliography = _load(tmp_path, **{"a.yaml": ENTRY})
    why = refs_check.key_problem("goodenough-2009", bibliography, {})
    assert why.code == "refs.unknown" and "did you mean 'goodenough-2008'?" in why
    assert refs_check.key_problem("goodenough-2008", bibliography, {}) is None
    assert refs_check.key_problem("article", bibliography, {"article": object()}).code == \
        "citation.malformed"


def test_lint_reports_unused_and_addressless_references_and_uncited_rows(tmp_path):
    bibliography = _load(tmp_path, **{"a.yaml": ENTRY.replace("  URL: https://example.org/a?x=1&y=2\n",
                                                               "")})
    row = SimpleNamespace(refs=(), path="content/entities/x.md", where="members[0]")
    registry = SimpleNamespace(memberships=[row], positions=[], recognitions=[])
    findings = refs_check.lint(bibliography, refs_check.Uses(), registry)
    assert sorted(f.code for f in findings) == ["bibliography.no-url", "bibliography.unused",
                                                "refs.missing"]


# -- cite this page ----------------------------------------------------------------------------


def test_a_page_citation_as_bibtex_ris_and_highwire():
    item = {"id": "page-briefing-x", "type": "report", "title": "The CSTO & Georgia",
            "author": [{"literal": "Research team"}], "publisher": "Site",
            "issued": {"date-parts": [[2008, 9, 10]]}, "URL": "https://example.test/b/x/"}
    assert cite_page.bibtex(item).startswith("@techreport{page-briefing-x,\n  title = {{The CSTO \\& Georgia}}")
    assert "author = {{Research team}}" in cite_page.bibtex(item)
    ris = cite_page.ris(item)
    assert ris.startswith("TY  - RPRT\nTI  - The CSTO & Georgia\nAU  - Research team\n")
    assert "DA  - 2008/09/10\n" in ris and ris.endswith("ER  - \n")
    meta = cite_page.highwire(item)
    assert '<meta name="citation_title" content="The CSTO &amp; Georgia">' in meta
    assert '<meta name="citation_publication_date" content="2008/09/10">' in meta
    assert '<meta name="citation_public_url" content="https://example.test/b/x/">' in meta
    assert cite_page.paths("briefings/x/index.html") == [
        "briefings/x/cite.json", "briefings/x/cite.bib", "briefings/x/cite.ris"]


# -- the fixture site, both URL modes ------------------------------------------------------------

SITEURL = "http://example.test"


@pytest.fixture(scope="module", params=["relative", "absolute"])
def built(request, tmp_path_factory):
    output = tmp_path_factory.mktemp(request.param) / "output"
    overrides = {"RELATIVE_URLS": True, "SITEURL": ""} if request.param == "relative" else \
        {"RELATIVE_URLS": False, "SITEURL": SITEURL}
    reset_pelican_log_dedup()
    result = build_site(FIXTURES / "site", output, **overrides)
    assert result.ok, result.problems
    return output, overrides["SITEURL"]


def _read(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def test_the_references_page_lists_each_entry_with_what_cites_it(built):
    output, siteurl = built
    page = _read(output, "references/index.html")
    for key in ("csto-charter-2002", "cst-protocol-1999", "un-press-2008-08-28"):
        assert f'<li id="{key}">' in page
    assert '<h2 id="kind-official">Official documents</h2>' in page
    prefix = f"{siteurl}/" if siteurl else "../"
    assert f'href="{prefix}organizations/csto/#row-members-1">Collective Security Treaty ' \
           "Organization: Georgia, member</a>" in page
    assert f'href="{prefix}briefings/csto-and-georgia/#p-4">The CSTO and Georgia, ¶ 4</a>, art. 4' \
        in page


def test_a_briefing_has_numbered_notes_and_its_references(built):
    output, _ = built
    page = _read(output, "briefings/csto-and-georgia/index.html")
    assert 'each other<sup class="note-ref"><a href="#note-1"' in page
    assert '<li id="note-1" class="footnote-item"><p><a class="ref-cite" ' \
           'href="#ref-csto-charter-2002">Collective Security Treaty Organization 2002, art. 4</a>' \
        in page
    assert "The CSTO and Georgia, ¶ 1</a>" in page  # a paragraph in the same note
    assert '<li id="note-2" class="footnote-item"><p>Georgia did not sign' in page
    assert '<li id="ref-cst-protocol-1999">' in page and '<li id="ref-csto-charter-2002">' in page
    assert '<meta name="citation_title" content="The CSTO and Georgia">' in page


def test_an_entity_page_shows_row_citations_and_its_sources(built):
    output, siteurl = built
    page = _read(output, "organizations/csto/index.html")
    assert '<tr id="row-members-1">' in page
    refs = f"{siteurl}/" if siteurl else "../../"
    assert f'<a class="ref-cite" href="{refs}references/#cst-protocol-1999">' in page
    assert '<a class="ref-copy" href="https://example.org/archive/cst-protocol">archived</a>' in page
    assert '<h2 id="sources-heading">Sources</h2>' in page
    assert '<a class="ref-cite" href="#ref-csto-charter-2002">Collective Security Treaty ' \
           "Organization 2002, art. 1</a>" in page  # the description's [@key, art. 1]


def test_cite_this_page_files_exist_and_say_the_same(built):
    output, siteurl = built
    item = json.loads(_read(output, "organizations/csto/cite.json"))[0]
    assert item["title"] == "Collective Security Treaty Organization"
    assert ("URL" in item) == bool(siteurl)
    assert _read(output, "organizations/csto/cite.bib").startswith("@misc{page-organization-csto,")
    assert _read(output, "references/cite.ris").startswith("TY  - ELEC\nTI  - References\n")
    assert (output / "sources" / "ministers-meet" / "cite.bib").is_file()


def test_exports_carry_keys_and_formatted_citations(built):
    output, _ = built
    rows = json.loads(_read(output, "data/memberships.json"))["memberships"]
    georgia = next(r for r in rows if r["member"] == "georgia")
    assert georgia["refs"] == ["ministers-meet#p-4", "cst-protocol-1999"]
    assert georgia["citation"] == ("Reporter 2008, ¶ 4; “Protocol on the Extension of the "
                                   "Collective Security Treaty” 1999")
    with open(output / "data" / "memberships.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["member"] == "georgia")
    assert row["refs"] == "ministers-meet#p-4|cst-protocol-1999"
    bibliography = json.loads(_read(output, "data/references.json"))["references"]
    assert [r["id"] for r in bibliography] == ["collective-security-treaty-1992",
                                               "cst-protocol-1999", "csto-charter-2002",
                                               "un-press-2008-08-28"]
    protocol = bibliography[1]
    assert protocol["kind"] == "official" and protocol["archive_url"].startswith("https://")
    assert protocol["issued"]["date-parts"] == [[1999, 4, 2]]
    assert protocol["formatted"].startswith("“Protocol on the Extension")

"""The Markdown reader, driven by the fixture files in fixtures/reader/ and expected.yaml."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import FIXTURES
from research.core.errors import ContentError
from research.read.reader import ResearchMarkdownReader, display_path

CASES = yaml.safe_load((FIXTURES / "reader" / "expected.yaml").read_text(encoding="utf-8"))


def _plain(value):
    """Metadata values as comparable plain data."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "name") and type(value).__name__ in ("Tag", "Author", "Category"):
        return value.name
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_fixture(name, settings, tmp_path, monkeypatch):
    expected = CASES[name]
    shutil.copy(FIXTURES / "reader" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    reader = ResearchMarkdownReader(settings)
    if "error" in expected:
        with pytest.raises(ContentError) as caught:
            reader.read(str(tmp_path / name))
        assert expected["error"] in str(caught.value)
        return
    html, metadata = reader.read(str(tmp_path / name))
    for key, value in expected.get("metadata", {}).items():
        assert _plain(metadata[key]) == value, key
    wanted = expected.get("html_contains", [])
    for fragment in [wanted] if isinstance(wanted, str) else wanted:
        assert fragment in html


def test_every_fixture_file_has_an_expectation():
    files = {path.name for path in (FIXTURES / "reader").glob("*.md")}
    assert files == set(CASES)


def test_too_large_file_is_refused(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: Big\n---\n" + "word " * 50_000, encoding="utf-8")
    settings["MAX_FILE_BYTES"] = 100_000
    with pytest.raises(ContentError, match=r"big.md: the file is 250,\d+ bytes, over the limit"):
        ResearchMarkdownReader(settings).read(str(big))


# A front-matter that meets a source's (and a briefing note's) contract, and its length: the
# expected lines below count from the first line of the body.
VALID_HEAD = ("---\ntitle: X\nauthor: A. Reporter\ndate: '2008-09-05T05:18:00-04:00'\n"
              "summary: S.\n---\n")
HEAD_LINES = VALID_HEAD.count("\n") - 3  # beyond the three lines of '---\ntitle: X\n---'


def test_sources_number_paragraphs_and_entities_do_not(settings, tmp_path):
    for folder in ("sources", "entities"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text(
            "---\ntitle: X\nauthor: A. Reporter\ndate: '2008-09-05T05:18:00-04:00'\n"
            "summary: S.\n---\nOne. {#p-1}\n\nTwo\nlines. {#p-7}\n",
            encoding="utf-8")  # a valid source
    reader = ResearchMarkdownReader(settings)
    source_html, source_meta = reader.read(str(tmp_path / "sources" / "x.md"))
    entity_html, entity_meta = reader.read(str(tmp_path / "entities" / "x.md"))
    assert '<p id="p-7">Two\nlines. <a class="pilcrow"' in source_html
    assert source_meta["paragraph_count"] == 2
    assert source_meta["paragraphs"] == {"p-1": "One.", "p-7": "Two lines."}
    assert source_meta["paragraph_lines"] == {"p-1": 7, "p-7": 9}
    assert 'id="p-' not in entity_html and entity_meta["paragraph_count"] == 0
    assert "paragraphs" not in entity_meta  # entities have no numbered paragraphs


@pytest.mark.parametrize("body, line, expected", [
    ("One. {#p-1}\n\nTwo.\n", 6, "this paragraph has no id; run `python -m research ids "
     "{path}` (or `make ids`) to give every paragraph one"),
    ("One. {#p-1}\n\nTwo. {#p-1}\n", 6, "the id p-1 is also on the paragraph on line {l4}; ids "
     "are never shared: remove this ' {#p-1}' and run `python -m research ids {path}`"),
    ("One. {#p-1}\n\n1. In the 21st century. {#p-2}\n", 6,
     "sources are written as plain paragraphs: this line starts with '1.', so Markdown reads "
     "it as a numbered list item, which cannot be a cited paragraph; write '1\\.' to keep it "
     "a paragraph"),
    ("One. {#p-1}\n\n    Indented text. {#p-2}\n", 6, "this text is indented by four spaces "
     "or a tab, so Markdown reads it as code, which cannot be a cited paragraph; remove the "
     "indentation"),
    ("One. {#p-1}\n\n# A heading {#p-2}\n", 6, "this line starts with '#', so Markdown reads "
     "it as a heading, which cannot be a cited paragraph; write '\\#' to keep it a paragraph, "
     "or remove ' {#p-2}' to keep the heading"),
    ("One. {#p-1}\n\nTwo. {#p-2}\n---\n", 6, "the line after this paragraph is all '-', so "
     "Markdown reads the paragraph as a heading; put a blank line before that line"),
    ("One. {#p-1}\n\n## p 3\n", 6, "the heading 'p 3' would get the id 'p-3', which the site "
     "keeps for its own anchors; reword the heading"),
    ("One [x]{#p-9}. {#p-1}\n", 4, "the id 'p-9' is kept for the site's own anchors (paragraph "
     "ids are written at the end of a paragraph, ' {#p-3}'); choose another id"),
    ("{id=main}\nOne. {#p-1}\n", 5, "this paragraph has its id p-1 at its end; remove the "
     "'{#main}' attribute line above it"),
    ("{.x}\n## Main\n", 5, "the heading 'Main' would get the id 'main', which the site keeps "
     "for its own anchors; reword the heading"),
])
def test_paragraph_id_mistakes_and_markdown_traps_fail_with_file_and_line(
        settings, tmp_path, body, line, expected):
    (tmp_path / "sources").mkdir()
    path = tmp_path / "sources" / "x.md"
    path.write_text(VALID_HEAD + body, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        ResearchMarkdownReader(settings).read(str(path))
    shown = display_path(str(path))
    wanted = f"{shown}:{line + HEAD_LINES}: " + expected.replace("{path}", shown).replace(
        "{l4}", str(4 + HEAD_LINES))
    assert wanted in [str(p) for p in caught.value.problems]


def test_a_numbered_line_in_a_briefing_is_a_list_but_its_id_is_refused(settings, tmp_path):
    (tmp_path / "briefings").mkdir()
    path = tmp_path / "briefings" / "x.md"
    head = "---\ntitle: X\ndate: '2008-09-06'\nauthor: Research team\nsummary: S.\n---\n"
    path.write_text(head + "One. {#p-1}\n\n1. A list item.\n", encoding="utf-8")
    html, _ = ResearchMarkdownReader(settings).read(str(path))  # lists are fine in notes
    assert "<ol>" in html
    path.write_text(head + "One. {#p-1}\n\n1. An item. {#p-2}\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"x.md:9: this line starts with '1\.'"):
        ResearchMarkdownReader(settings).read(str(path))


def test_cross_file_problems_get_their_lines_from_the_kept_source_maps_not_the_file():
    from research.core.errors import Problem
    from research.read.frontmatter import SourceMap, with_lines
    text = "---\nname: X\nmembers:\n  - member: y\n    role: member\n---\nBody.\n"
    kept = {"content/entities/x.md": SourceMap(text, 7)}
    problems = [Problem("content/entities/x.md", "no such entity", field="members[0].member"),
                Problem("content/entities/x.md", "already placed", field="name", line=9),
                Problem("content/entities/gone.md", "never read", field="name")]
    located = with_lines(problems, kept)
    assert [p.line for p in located] == [4, 9, None]  # (gone.md does not exist: not opened)

"""The Markdown reader, driven by the fixture files in fixtures/reader/ and expected.yaml."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import FIXTURES
from research.errors import ContentError
from research.reader import ResearchMarkdownReader

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


def test_sources_number_paragraphs_and_entities_do_not(settings, tmp_path):
    for folder in ("sources", "entities"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text(
            "---\ntitle: X\nauthor: A. Reporter\ndate: '2008-09-05T05:18:00-04:00'\n"
            "summary: S.\n---\nOne.\n\nTwo.\n", encoding="utf-8")  # a valid source
    reader = ResearchMarkdownReader(settings)
    source_html, source_meta = reader.read(str(tmp_path / "sources" / "x.md"))
    entity_html, entity_meta = reader.read(str(tmp_path / "entities" / "x.md"))
    assert '<p id="p-2">' in source_html and source_meta["paragraph_count"] == 2
    assert 'id="p-' not in entity_html and entity_meta["paragraph_count"] == 0

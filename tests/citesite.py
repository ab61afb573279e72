"""Helpers for the citations / quotations / timeline tests: build the fixture site in
fixtures/citations/, as is or with one file changed, and stand-in content objects."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from conftest import FIXTURES, ROOT, build_site
from sitepages import reset_pelican_log_dedup

SITE = FIXTURES / "citations"
SITEURL = "http://example.test"


def build(output: Path, *, relative: bool = True):
    reset_pelican_log_dedup()
    overrides = ({"RELATIVE_URLS": True, "SITEURL": ""} if relative
                 else {"RELATIVE_URLS": False, "SITEURL": SITEURL})
    return build_site(SITE, output, **overrides)


def build_changed(tmp_path: Path, monkeypatch, relative_file: str, old: str, new: str):
    """Copy the fixture site, replace `old` by `new` in one file, build it."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    path = site / relative_file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative_file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    reset_pelican_log_dedup()
    return build_site(site, tmp_path / "output")


def line_of(relative_file: str, needle: str) -> int:
    """The 1-based line of the fixture file on which `needle` first occurs."""
    for number, text in enumerate((SITE / relative_file).read_text("utf-8").splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {relative_file}")


@dataclass
class FakeDocument:
    """Enough of a Pelican article for the pure functions."""

    slug: str
    title: str
    category: str = "sources"
    author: str | None = None
    date: dt.datetime = dt.datetime(2008, 9, 5)
    paragraph_count: int = 0
    _content: str = ""
    source_path: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.category = SimpleNamespace(slug=self.category, name=self.category)
        # The paragraph texts the reader keeps (by id); stand-ins unless `extra` gives them.
        self.paragraphs = {f"p-{n}": f"Paragraph {n}." for n in range(1, self.paragraph_count + 1)}
        self.source_path = (self.source_path
                            or f"/nowhere/content/{self.category.slug}/{self.slug}.md")
        for key, value in self.extra.items():
            setattr(self, key, value)

    def get_relative_source_path(self):
        return f"{self.category.slug}/{self.slug}.md"

    @property
    def url(self):
        return f"{self.category.slug}/{self.slug}/"

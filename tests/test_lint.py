"""The lint: capitalised names that match no entity, located at file:line:col, with a "did
you mean" for near misses, and ignored globally, per file or per occurrence.

The build tests add one source to a copy of the fixture site (whose own text lints clean,
see test_site_build.py) and compare the findings exactly, so a lint that finds nothing, or
glues names together, fails here."""

from __future__ import annotations

import pytest

from conftest import ROOT, build_site, stamp_ids
from research.link.linker import Linker
from research.link.lint import Finding, unmatched_names
from research.read.markdown import parse
from research.read.paragraph_ids import stamp
from sitepages import reset_pelican_log_dedup


FORMS = {"Kazakhstan": "kazakhstan", "Niklas Swanström": "niklas-swanstrom",
         "Russia": "russia", "Collective Security Treaty Organization": "csto"}


def lint_text(markdown: str, ignore=(), policy="first-in-paragraph") -> list[tuple[str, str]]:
    """The lint of one body: the paragraphs' lint texts as the reader keeps them (no HTML)."""
    linker = Linker(FORMS, policy)
    parsed = parse(stamp(markdown).text, paragraph_ids=True)
    return unmatched_names(parsed.lint_texts, linker, ignore)


def test_a_linked_name_in_the_middle_does_not_glue_its_neighbours():
    found = lint_text("He met the President of the Republic of Kazakhstan Nursultan Nazarbayev "
                      "in Astana.")
    assert found == [("Nursultan Nazarbayev", "p-1"), ("Astana", "p-1")]


@pytest.mark.parametrize("text", [
    "Talks with the Chairman went on.", "Officials of the Republic agreed.",
    "The Organisation said so.", "The Prime Minister and the Foreign Ministry agreed."])
def test_generic_title_and_institution_words_alone_are_not_names(text):
    assert lint_text(text) == []


def test_a_title_is_trimmed_from_the_name_it_precedes():
    assert lint_text("They met Chairman Hu in Beijing.") == [("Hu", "p-1"), ("Beijing", "p-1")]


def test_global_ignores_apply_and_sentence_starts_are_not_names():
    assert lint_text("Caucasus states met. Officials from Bishkek came.",
                     ignore=["Caucasus"]) == [("Bishkek", "p-1")]


def test_an_ignored_name_stays_ignored_when_it_ends_or_starts_with_a_generic_word():
    assert lint_text("At the World Policy Conference, Central Asian partners met Oskar.",
                     ignore=["World Policy Conference", "Central Asian"]) == [("Oskar", "p-1")]


def test_a_word_after_a_footnote_marker_starts_a_sentence():
    text = "The law rests on it.[^1] Endorsing a secession was out.\n\n[^1]: A note."
    assert lint_text(text) == []


def test_a_forced_link_is_a_separator_and_its_words_are_not_linted():
    found = lint_text("Envoys of [Vostok Group]{entity=russia} Oskar Brenn met.")
    assert found == [("Oskar Brenn", "p-1")]


def test_the_findings_do_not_depend_on_the_link_policy():
    # A name after a known name after a colon is no sentence start, whether or not the
    # policy made the known name a link (the lint once read the linked HTML, where a link
    # was a separator and the next word counted as starting a sentence).
    text = "Talks began: Russia Mirek agreed.\n\nThey said: Russia Mirek agreed again."
    for policy in ("first-in-document", "all"):
        assert lint_text(text, policy=policy) == [("Mirek", "p-1")]


def test_a_nolint_span_is_skipped_whole_with_its_inner_spans():
    assert lint_text("Envoys met [Oskar [Brenn]{lang=de} Alder]{.nolint} there.") == []
    assert lint_text("Envoys met [Oskar Brenn]{.nolint lang=de} there.") == []


def test_nolint_ignores_one_occurrence_only():
    found = lint_text("[Bishkek]{.nolint} is far.\n\nIt is in Bishkek.")
    assert found == [("Bishkek", "p-2")]


def test_a_finding_is_a_report_line_and_data():
    finding = Finding("content/sources/x.md", "Swanstrom", line=12, column=5,
                      suggestion="Niklas Swanström")
    assert finding == ("content/sources/x.md:12:5: 'Swanstrom' matches no entity; did you "
                       "mean 'Niklas Swanström'?")
    assert (finding.path, finding.line, finding.column, finding.name) == (
        "content/sources/x.md", 12, 5, "Swanstrom")
    forged = Finding("content/x\n.md", "A")
    assert "\n" not in forged
    import copy
    import pickle

    for again in (pickle.loads(pickle.dumps(finding)), copy.deepcopy(finding)):
        assert again == finding and again.suggestion == "Niklas Swanström"


SOURCE = """---
title: "Lint test"
slug: lint-test
author: A. Reporter
date: "2008-09-06T10:00:00+00:00"
summary: Names for the lint.
lint_ignore: [Dushanbe]
---

Ministers of the CSTO met Nursultan Nazarbayev in Astana and Dushanbe. {#p-1}

Sergei Lavrow spoke, and [Tskhinvali]{.nolint} was named, then Tskhinvali again. {#p-2}
"""


@pytest.fixture
def linted(tmp_path, monkeypatch):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", site)
    (site / "content" / "sources" / "lint-test.md").write_text(SOURCE, encoding="utf-8")
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    stamp_ids(site)  # a new source gets its ids recorded in the lock, as an editor would
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    return result


def test_the_build_finds_locates_and_suggests(linted):
    path = "content/sources/lint-test.md"
    assert [str(f) for f in linted.lint] == [
        f"{path}:10:27: 'Nursultan Nazarbayev' matches no entity",
        f"{path}:10:51: 'Astana' matches no entity",
        f"{path}:12:1: 'Sergei Lavrow' matches no entity; did you mean 'Sergei Lavrov'?",
        f"{path}:12:64: 'Tskhinvali' matches no entity",
    ]
    first = linted.lint[0]
    assert isinstance(first, Finding) and (first.line, first.column) == (10, 27)

"""Entity page anatomy over the real content: what it is first, then where the documents
discuss it, then its relations, summary before tables; compact tables with numbered notes;
authors and outlets credited with what they wrote and published."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT
from research.core import dates
from research.model.registry import Registry
from research.model.schema import read_entity
from research.render.views import AsOf, Views
from sitepages import parse


@pytest.fixture(scope="module")
def output(real_site):
    return real_site[1]


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _h2_ids(text: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', text)


@pytest.mark.parametrize("path, relations", [
    ("organizations/sco", "membership-heading"), ("organizations/nato", "membership-heading"),
    ("countries/russia", "memberships-heading"), ("people/sergei-lavrov", "positions-heading"),
    ("territories/south-ossetia", "recognition-heading"),
])
def test_sections_come_in_the_readers_order(output, path, relations):
    text = _text(output / path / "index.html")
    ids = _h2_ids(text)
    order = ["facts-heading", "toc-heading", "mentions-heading", "about-heading", relations,
             "connections-heading"]
    assert [i for i in ids if i in order] == order
    # the contents list points at sections of the page, in the page's order
    toc = re.search(r'<nav class="on-this-page".*?</nav>', text, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert set(targets) <= set(parse(output / path / "index.html").ids)
    assert targets == [i for i in ids if i in targets]


def test_key_facts_of_an_organization(output):
    facts = _plain(re.search(r'<section[^>]*class="facts".*?</section>',
                             _text(output / "organizations" / "csto" / "index.html"),
                             re.S).group(0))
    assert "Members on 5 September 2008 7 members" in facts  # "the seven-country CSTO"
    assert "Nikolay Bordyuzha" in facts and "Headquarters Moscow" in facts


def test_key_facts_of_a_person_and_a_country(output):
    lavrov = _plain(_text(output / "people" / "sergei-lavrov" / "index.html"))
    assert "Office Minister of Foreign Affairs, Russia (since 9 March 2004)" in lavrov
    georgia = _plain(re.search(r'<section[^>]*class="facts".*?</section>',
                               _text(output / "countries" / "georgia" / "index.html"),
                               re.S).group(0))
    assert "formerly Collective Security Treaty Organization (member, 1993–1999)" in georgia


def test_what_changed_since_the_article(output):
    text = _text(output / "organizations" / "nato" / "index.html")
    summary = _plain(re.search(r'<div class="membership-summary">.*?</div>', text, re.S)
                     .group(0))
    joined = summary.split("Joined:")[1].split(".")[0]
    for state in ("Albania", "Croatia", "Montenegro", "North Macedonia", "Finland", "Sweden"):
        assert state in joined
    assert "Left:" not in summary
    # the summary comes before the tables, which no longer list "Source and notes"
    assert text.index("membership-summary") < text.index('class="relations compact stack"')
    assert "Source and notes" not in text


def test_compact_tables_number_each_source_once(output):
    checked = 0
    for page in sorted(output.glob("*/*/index.html")):
        text = _text(page)
        for table, notes in re.findall(r'(<table class="relations compact stack">.*?</table>)'
                                       r'\s*</div>\s*(<ol class="table-notes".*?</ol>)?',
                                       text, re.S):
            for cell in re.findall(r"<t[dh] [^>]*>", table.split("</thead>")[1]):
                assert "data-label=" in cell, (page, cell)
            texts = [_plain(n) for n in re.findall(r"<li[^>]*>(.*?)</li>", notes, re.S)]
            assert len(texts) == len(set(texts)), page
            marks = {int(n) for n in re.findall(r'class="note-mark"[^>]*>(\d+)<', table)}
            assert marks == set(range(1, len(texts) + 1)), page
            checked += 1
    assert checked > 50


def test_authors_and_outlets_are_credited(output):
    # "Cited N times" counts citations in prose (the bodies of documents and entity
    # descriptions); those in the notes and sources of table rows are the rows' own sources.
    citations = sum(len(re.findall(r"@moscows-search-for-intl-backing-continues#p-\d+",
                                   p.read_text(encoding="utf-8").split("---\n", 2)[2]))
                    for p in (ROOT / "content").rglob("*.md"))
    assert citations > 0
    for path, heading in (("people/patrick-goodenough", "Author of"),
                          ("organizations/cnsnews", "Published")):
        text = _text(output / path / "index.html")
        section = re.search(r'<section[^>]*class="works".*?</section>', text, re.S).group(0)
        assert heading in section
        assert "Moscow’s Search for Int’l Backing Continues" in _plain(section)
        assert f"cited {citations} times" in _plain(section)


def test_no_old_related_block_and_no_database_wording(output):
    for page in sorted(output.glob("*/*/index.html")):
        text = _text(page)
        assert 'class="related"' not in text
        assert not re.search(r"\b\d+ rows\b", _plain(text)), page
        assert "Office holders on this site" not in text


# -- views on their own ---------------------------------------------------------------------

class _Page:
    url = "x/"


def _entity(slug, kind, **fields):
    record, problems = read_entity({"name": slug.title(), "type": kind, "slug": slug,
                                    "summary": "s", **fields}, f"{slug}.md", "", slug)
    assert not problems, problems
    record.page = _Page()
    return record


@pytest.fixture
def views():
    bloc = _entity("bloc", "organization", members=[
        {"member": "aa", "role": "member", "start": "2001", "refs": ["treaty"]},
        {"member": "bb", "role": "member", "start": "2001", "end": "2010", "refs": ["treaty"],
         "note": "left"},
        {"member": "cc", "role": "observer", "start": "2005", "end": "2012", "refs": ["decision"]},
        {"member": "cc", "role": "member", "start": "2012", "refs": ["treaty"]},
        {"member": "dd", "role": "member", "start": "2015", "refs": ["accession"]}])
    registry = Registry.build([bloc, *(_entity(s, "country") for s in ("aa", "bb", "cc", "dd"))])
    today = dates.parse("2020-01-01")
    return Views(registry, [AsOf(dates.parse("2008-09-05"), "article", "2008-09-05"),
                            AsOf(today, "today", "today")], today)


def test_changes_between_two_dates(views):
    change = views.changes("bloc", dates.parse("2008-09-05"), dates.parse("2020-01-01"))
    assert [m.member for m in change["joined"]] == ["dd"]
    assert [m.member for m in change["left"]] == ["bb"]
    assert [(a.role, b.role) for a, b in change["changed"]] == [("observer", "member")]
    assert change["unchanged"] == 1
    assert [(role, date.iso(), [m.member for m in rows])
            for role, date, rows in change["joined_groups"]] == [("member", "2015", ["dd"])]
    assert [(role, date.iso()) for role, date, _ in change["left_groups"]] == [("member", "2010")]


def test_numbered_notes_share_a_source(views):
    rows = views.registry.memberships_in("bloc")
    numbered, notes = views.numbered_notes(rows)
    assert [n for n, _, _ in notes] == list(range(1, len(notes) + 1))
    assert sum(1 for _, text, is_source in notes if is_source and text.key == "treaty") == 1
    by_member = {row.member + row.role: numbers for row, numbers, _ in numbered}
    assert by_member["aamember"][0] == by_member["ccmember"][0]  # the shared "Treaty"
    assert len(by_member["bbmember"]) == 2  # its source and its note


def test_member_counts_and_article_date(views):
    assert views.article_date.key == "2008-09-05"
    assert views.member_counts("bloc", dates.parse("2008-09-05")) == (2, 1)
    assert views.member_counts("bloc", dates.parse("2020-01-01")) == (3, 0)


def test_mention_groups_lay_out_rows_once():
    """render/entity_pages.mention_groups: per document (by date), its rows as the template
    writes them; more than four rows show three and fold the rest."""
    from research.link.linker import Mention
    from research.link.mentions import MentionIndex
    from research.render.entity_pages import mention_groups

    index = MentionIndex()
    early = SimpleNamespace(source_path="early.md", date=1, title="Early")
    late = SimpleNamespace(source_path="late.md", date=2, title="Late")
    sentence = "Then Russia objected."

    def m(paragraph, anchor=None, section=None):
        return Mention("russia", "Russia", paragraph, sentence, 5, 11, True, False,
                       anchor or paragraph, section)

    index.add(late, [m(f"p-{n}") for n in range(1, 6)])
    index.add(early, [m(None, "h-talks", "Talks"), m("p-3")])
    groups = mention_groups(index, "russia")
    assert [g.document for g in groups] == [early, late]
    assert groups[0].shown == [(None, "#h-talks", "Talks", "Then ", "Russia", " objected."),
                               (3, "#p-3", None, "Then ", "Russia", " objected.")]
    assert groups[0].more == []
    assert [row[0] for row in groups[1].shown] == [1, 2, 3]
    assert [row[1] for row in groups[1].more] == ["#p-4", "#p-5"]
    assert mention_groups(index, "georgia") == [] and mention_groups(None, "russia") == []

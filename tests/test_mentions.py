"""Mentions are body text: hygiene of "Mentioned in" and of the connections over the real
content, and the mention index on its own.

A row of "Mentioned in" is a place in a document's body (a numbered paragraph, or a list item
placed by its section's heading), never a footnote; one row per (document, place); every row
links to an anchor that exists. Co-mention counts shown in "Connections" are the number of
places two entities share, which the two pages' own rows must confirm.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest

from research.core import types
from research.link.linker import Linker, Mention
from research.read.markdown import render
from research.link.mentions import MentionIndex
from sitepages import paragraphs, parse, resolve

ENTITY_FOLDERS = tuple(t.folder for t in types.DEFAULT.entities.values())


def _section(text: str, css: str) -> str:
    match = re.search(rf'<section[^>]*class="{css}"[^>]*>(.*?)</section>', text, re.S)
    return match.group(1) if match else ""


def _entity_pages(output: Path) -> list[Path]:
    return sorted(p for folder in ENTITY_FOLDERS for p in (output / folder).glob("*/index.html"))


def _rows(output: Path, page: Path) -> list[tuple[Path, str, str]]:
    """(document, fragment, snippet text) of each row of the page's "Mentioned in"."""
    section = _section(page.read_text(encoding="utf-8"), "mentions")
    rows = []
    for item in re.findall(r"<li>(.*?)</li>", section, re.S):
        link = re.search(r'<a class="para-ref[^"]*" href="([^"]+)"', item)
        snippet = re.search(r'<span class="snippet">(.*?)</span>', item, re.S)
        assert snippet, item
        if link is None:
            rows.append((None, "", snippet.group(1)))
            continue
        target, fragment = resolve(output, page, link.group(1), "")
        rows.append((target, fragment, snippet.group(1)))
    return rows


@pytest.fixture(scope="module")
def output(real_site):
    return real_site[1]


@pytest.fixture(scope="module")
def all_rows(output):
    return {page: _rows(output, page) for page in _entity_pages(output)}


def test_every_row_links_to_an_anchor_that_exists(output, all_rows):
    assert sum(len(rows) for rows in all_rows.values()) > 100
    for page, rows in all_rows.items():
        for document, fragment, snippet in rows:
            assert document is not None and fragment, (page, snippet)
            assert fragment in parse(document).ids, (page, fragment)
            assert not fragment.startswith("fn"), (page, fragment)  # never a footnote


def test_one_row_per_document_and_place(all_rows):
    for page, rows in all_rows.items():
        places = [(document, fragment) for document, fragment, _ in rows]
        assert len(places) == len(set(places)), page


def test_no_row_is_a_footnote_or_a_bibliography_line(all_rows, output):
    notes = set()
    for document in (output / "briefings").glob("*/index.html"):
        footnotes = _section(document.read_text(encoding="utf-8"), "footnotes")
        for item in re.findall(r"<li[^>]*>(.*?)</li>", footnotes, re.S):
            notes.add(" ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())[:60])
    assert notes
    for page, rows in all_rows.items():
        for _document, _fragment, snippet in rows:
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", snippet)).split())
            assert text[:60] not in notes, (page, text)


@pytest.mark.parametrize("slug, folder, phrase", [
    ("georgia", "countries", "Civil Georgia"),
    ("russia", "countries", "Voice of Russia"),
    ("russia", "countries", "Kremlin website"),
    ("russia", "countries", "Russia Today"),
])
def test_names_of_other_things_are_no_mentions(output, slug, folder, phrase):
    page = output / folder / slug / "index.html"
    section = _section(page.read_text(encoding="utf-8"), "mentions")
    plain = html.unescape(section)
    first, _, rest = phrase.partition(" ")
    name = slug.title()
    marked = phrase.replace(name, f"<mark>{name}</mark>")
    assert marked not in plain


def test_snippets_are_not_cut_at_abbreviations(all_rows):
    texts = {}
    cut = 0
    for page, rows in all_rows.items():
        for document, fragment, snippet in rows:
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", snippet)).split())
            if not re.search(r"\b(?:U\.S|S|Gen|Mr|Dr)\.$", text):
                continue
            if document not in texts:
                texts[document] = {k: " ".join(v.split()) for k, v in paragraphs(document).items()}
            # ending so is right only where the paragraph itself ends
            assert texts[document][fragment].rstrip(" ¶").endswith(text), (page, text)
            cut += 1
    assert cut < 5


def test_nothing_is_linked_in_footnotes(output):
    for document in [*(output / "briefings").glob("*/index.html"),
                     *(output / "sources").glob("*/index.html")]:
        footnotes = _section(document.read_text(encoding="utf-8"), "footnotes")
        assert "entity-link" not in footnotes, document


def test_adjectives_and_metonyms_are_not_linked(output):
    article = next((output / "sources").glob("*/index.html")).read_text(encoding="utf-8")
    texts = re.findall(r'<a class="entity-link[^"]*" href="[^"]*">(.*?)</a>', article)
    assert texts
    for word in ("Russian", "Chinese", "Kremlin", "Polish", "Georgian"):
        assert word not in texts


def _connections(page: Path) -> dict[str, dict[str, str]]:
    """kind label -> {linked page's URL: the details in brackets} from "Connections"."""
    section = _section(page.read_text(encoding="utf-8"), "connections")
    groups = {}
    for item in re.findall(r"<li><span class=\"connection-kind\">(.*?)</li>", section, re.S):
        label, _, rest = item.partition("</span>")
        groups[label] = {href: details for href, details in re.findall(
            r'<a href="([^"]+)">[^<]*</a> <span class="meta-inline">\((.*?)\)</span>', rest)}
    return groups


def test_a_pairs_count_is_the_same_wherever_it_is_shown(output, all_rows):
    places = {page: {(d, f) for d, f, _ in rows} for page, rows in all_rows.items()}
    shown: dict[frozenset, set[int]] = defaultdict(set)
    checked = 0
    for page in places:
        for label, entries in _connections(page).items():
            if not label.startswith("Mentioned in the same"):
                continue
            for href, count in entries.items():
                other, _ = resolve(output, page, href, "")
                # the count agrees with the two pages' own rows ...
                assert int(count) == len(places[page] & places[other]), (page, other)
                shown[frozenset((page, other))].add(int(count))
                checked += 1
    assert checked > 100
    # ... and with itself wherever the pair is shown, /network/'s list included
    network_page = output / "network" / "index.html"
    network = network_page.read_text(encoding="utf-8")
    on_network = 0
    for term, groups in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", network, re.S):
        page, _ = resolve(output, network_page, re.search(r'href="([^"]+)"', term).group(1), "")
        for item in re.findall(r'<li><span class="connection-kind">(.*?)</li>', groups, re.S):
            label, _, rest = item.partition("</span>")
            if not label.startswith("Mentioned in the same"):
                continue
            for href, count in re.findall(r'<a href="([^"]+)">[^<]*</a> '
                                          r'<span class="meta-inline">\((\d+)\)</span>', rest):
                other, _ = resolve(output, network_page, href, "")
                assert int(count) == len(places[page] & places[other]), (page, other)
                shown[frozenset((page, other))].add(int(count))
                on_network += 1
    assert on_network > 20
    assert all(len(counts) == 1 for counts in shown.values())
    assert 'class="related"' not in network


def test_no_ended_relation_is_shown_as_current(output):
    csto = _connections(output / "organizations" / "csto" / "index.html")["Memberships:"]
    georgia = next(d for h, d in csto.items() if h.endswith("countries/georgia/"))
    assert georgia == "former member, 1993–1999"
    for page in _entity_pages(output):
        for label, entries in _connections(page).items():
            if label in ("Memberships:", "Offices:"):
                for href, details in entries.items():
                    for part in details.split("; "):
                        # every ended tie says "former" and its period
                        if re.search(r"\d{4}–\d{4}|until \d{4}", part):
                            assert part.startswith("former "), (page, part)
    georgia_page = _connections(output / "countries" / "georgia" / "index.html")
    csto_tie = next(d for h, d in georgia_page["Memberships:"].items() if "csto" in h)
    assert csto_tie.startswith("former member")


# -- the index and the linker on small inputs ---------------------------------------------------

FORMS = {"Russia": "russia", "Georgia": "georgia", "Russian": "russia", "Kremlin": "russia",
         "United States": "united-states", "U.S.": "united-states", "South Ossetia": "so"}


def _link(markdown: str, **options):
    rendered, _ = render(markdown, paragraph_ids=True)
    linker = Linker(FORMS, options.pop("policy", "first-in-section"), **options)
    return linker.link(rendered, lambda s: f"/{s}/", lambda s: "entity-link")


def test_footnote_names_are_note_mentions_never_links():
    out, mentions, _ = _link("Russia acted.[^1]\n\n[^1]: Civil Georgia, a report on Russia.")
    body = [m for m in mentions if not m.in_note]
    notes = [m for m in mentions if m.in_note]
    assert [(m.slug, m.paragraph) for m in body] == [("russia", "p-1")]
    assert [(m.slug, m.paragraph, m.anchor) for m in notes] == [
        ("georgia", None, None), ("russia", None, None)]
    assert out.count("entity-link") == 1


def test_phrases_claim_their_words():
    _, mentions, _ = _link("Civil Georgia reported that Georgia protested.",
                           phrases=["Civil Georgia"])
    assert [(m.text, m.sentence[:m.start]) for m in mentions] == [
        ("Georgia", "Civil Georgia reported that ")]


def test_adjectives_are_mentions_linked_only_if_asked():
    text = "Russian troops and the Kremlin; Russia."
    out, mentions, _ = _link(text, adjectives=["Russian", "Kremlin"])
    assert [m.text for m in mentions] == ["Russian", "Kremlin", "Russia"]
    assert re.findall(r'<a class="entity-link"[^>]*>(.*?)</a>', out) == ["Russia"]
    out, _, _ = _link(text, adjectives=["Russian", "Kremlin"], link_adjectives=True)
    assert re.findall(r'<a class="entity-link"[^>]*>(.*?)</a>', out) == ["Russian"]


def test_first_in_section_links_once_per_heading():
    out, _, _ = _link("## One\n\nRussia.\n\nRussia again.\n\n## Two\n\nRussia once more.")
    assert len(re.findall(r"<a class=\"entity-link\"", out)) == 2


def test_list_items_are_placed_by_their_section_heading():
    _, mentions, _ = _link("## Later events\n\n- Georgia protested.\n- Georgia again.")
    assert {(m.anchor, m.section) for m in mentions} == {("later-events", "Later events")}
    index = MentionIndex()
    document = SimpleNamespace(source_path="b.md", date=1, title="B")
    index.add(document, mentions)
    assert index.count("georgia") == 1  # one place, however many items name it


@pytest.mark.parametrize("text, sentence", [
    ("He met U.S. officials. Then Georgia.", "Then Georgia."),
    ("The U.S. Navy met Georgia here. Next.", "The U.S. Navy met Georgia here."),
    ("Troops left S. Ossetia and Georgia. Next.", "Troops left S. Ossetia and Georgia."),
    ("Gen. Nogovitsyn blamed Georgia. Next.", "Gen. Nogovitsyn blamed Georgia."),
    ("Mr. Lavrov blamed Georgia. Next.", "Mr. Lavrov blamed Georgia."),
])
def test_sentences_do_not_end_at_abbreviations(text, sentence):
    _, mentions, _ = _link(text)
    georgia = [m for m in mentions if m.slug == "georgia"]
    assert georgia[0].sentence == sentence


def test_index_counts_one_row_per_place_and_notes_apart():
    index = MentionIndex()
    document = SimpleNamespace(source_path="a.md", date=1, title="A")

    def m(slug, paragraph, note=False):
        return Mention(slug, slug, paragraph, slug, 0, len(slug), True, note, paragraph)

    index.add(document, [m("russia", "p-1"), m("russia", "p-1"), m("georgia", "p-1"),
                         m("russia", "p-2"), m("georgia", None, note=True)])
    assert index.count("russia") == 2 and index.count("georgia") == 1
    assert index.note_count("georgia") == 1
    assert index.shared("russia", "georgia") == index.shared("georgia", "russia") == 1
    assert index.co_mentions() == [("georgia", "russia", 1)]
    assert [len(rows) for _, rows in index.by_document("russia")] == [2]
    assert index.in_notes("georgia") == [(document, 1)]

"""The entity linker: matching rules, forced and suppressed links, policies, mention records."""

from __future__ import annotations

import html
import re

import pytest

from research.link.linker import POLICIES, Linker, Mention
from research.read.markdown import render

FORMS = {
    "Russia": "russia", "Russian": "russia", "Moscow": "russia",
    "Georgia": "georgia",
    "South Ossetia": "south-ossetia", "Ossetia": "ossetia",
    "Russia Profile": "russia-profile",
    "Niklas Swanström": "niklas-swanstrom", "Swanström": "niklas-swanstrom",
    "Collective Security Treaty Organization": "csto", "CSTO": "csto",
}


@pytest.fixture
def linker():
    return Linker(FORMS)


def href(slug: str) -> str:
    return f"/entities/{slug}/"


def css(slug: str) -> str:
    return f"entity-link entity-{slug}"


def link_markdown(markdown: str, policy: str = "first-in-paragraph", **kwargs):
    """Render Markdown as a source would be rendered, then link it."""
    rendered, _count = render(markdown, paragraph_ids=True)
    return Linker(FORMS, policy).link(rendered, href, css, **kwargs)


def linked(html_text: str) -> list[tuple[str, str]]:
    """(href, text) of every entity link in the HTML."""
    return [(m.group(1), re.sub(r"<[^>]+>", "", m.group(2)))
            for m in re.finditer(r'<a class="entity-link[^"]*" href="([^"]*)"[^>]*>(.*?)</a>',
                                 html_text, re.S)]


def surfaces(linker: Linker, text: str) -> list[tuple[str, str]]:
    return [(text[start:end], slug) for start, end, slug in linker.find(text)]


# -- matching rules (find) --------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("South Ossetia and Abkhazia", [("South Ossetia", "south-ossetia")]),
    ("North Ossetia", [("Ossetia", "ossetia")]),
    ("South Ossetia, not Ossetia", [("South Ossetia", "south-ossetia"), ("Ossetia", "ossetia")]),
    ("Dmitry Babich of the Russia Profile service",
     [("Russia Profile", "russia-profile")]),
    ("Russia Profiles", [("Russia", "russia")]),  # the long name is not a whole word here
    ("the Collective Security Treaty Organization (CSTO)",
     [("Collective Security Treaty Organization", "csto"), ("CSTO", "csto")]),
])
def test_longest_match_wins(linker, text, expected):
    assert surfaces(linker, text) == expected


@pytest.mark.parametrize("text", [
    "Russia’s lead", "Russia's lead", "Russia‘s lead", "Russiaʼs lead",
])
def test_possessives_with_any_apostrophe(linker, text):
    assert linker.find(text) == [(0, 6, "russia")]


def test_curly_apostrophe_in_a_name_matches_a_straight_one_in_text():
    forms = {"Moscow’s Search": "article"}
    assert Linker(forms).find("In Moscow's Search for backing") == [(3, 18, "article")]


@pytest.mark.parametrize("text, expected", [
    ("Russian-backed separatists", [("Russian", "russia")]),
    ("pro-Russia rebels", [("Russia", "russia")]),
    ("Russia-Georgia war", [("Russia", "russia"), ("Georgia", "georgia")]),
    ("(Russia)", [("Russia", "russia")]),
    ("“Georgia”", [("Georgia", "georgia")]),
    ("Russia.", [("Russia", "russia")]),
])
def test_punctuation_and_hyphens_are_word_boundaries(linker, text, expected):
    assert surfaces(linker, text) == expected


@pytest.mark.parametrize("text", [
    "Georgian troops", "Prussia", "Russians", "RussiaX", "Russia2", "_Russia", "Russia_",
    "Swanströms", "CSTOs", "Moscowite",
])
def test_no_match_inside_words(linker, text):
    assert linker.find(text) == []


def test_unicode_names_match_whole(linker):
    text = "Niklas Swanström wrote; Swanström added"
    assert surfaces(linker, text) == [("Niklas Swanström", "niklas-swanstrom"),
                                      ("Swanström", "niklas-swanstrom")]


def test_letters_with_diacritics_are_word_characters():
    # "Russiaé" is one word, so "Russia" is not found in it
    assert Linker({"Russia": "russia"}).find("Russiaé Russia") == [(8, 14, "russia")]


@pytest.mark.parametrize("text", ["russia", "RUSSIA", "south ossetia", "csto"])
def test_matching_is_case_sensitive(linker, text):
    # Documented behaviour: names match exactly as written; "russia" is not linked.
    assert linker.find(text) == []


def test_an_empty_linker_finds_nothing():
    assert Linker({}).find("Russia") == []
    out, mentions, unknown = Linker({}).link("<p>Russia</p>", href, css)
    assert (out, mentions, unknown) == ("<p>Russia</p>", [], [])


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="ENTITY_LINK_POLICY must be one of"):
        Linker(FORMS, "sometimes")


# -- linking rendered Markdown ----------------------------------------------------------------

def test_links_point_to_the_entity_with_its_class():
    out, mentions, unknown = link_markdown("Russia and Georgia.")
    assert linked(out) == [("/entities/russia/", "Russia"), ("/entities/georgia/", "Georgia")]
    assert 'class="entity-link entity-russia"' in out
    assert unknown == []


def test_possessive_link_covers_only_the_name():
    out, mentions, _ = link_markdown("Russia’s lead and Georgia's borders.")
    assert linked(out) == [("/entities/russia/", "Russia"), ("/entities/georgia/", "Georgia")]
    assert "</a>’s lead" in out and "</a>'s borders" in out


def test_forced_link(linker):
    out, mentions, unknown = link_markdown("The [breakaway region]{entity=south-ossetia} voted.")
    assert linked(out) == [("/entities/south-ossetia/", "breakaway region")]
    assert 'data-entity="south-ossetia"' in out
    assert "<span" not in out
    assert unknown == []
    [mention] = mentions
    assert (mention.slug, mention.text, mention.linked) == ("south-ossetia", "breakaway region",
                                                            True)
    assert mention.sentence[mention.start:mention.end] == "breakaway region"


def test_forced_link_overrides_the_name_inside_it():
    out, mentions, _ = link_markdown("[Georgia’s Ossetia]{entity=south-ossetia} today.")
    assert linked(out) == [("/entities/south-ossetia/", "Georgia’s Ossetia")]
    assert [m.slug for m in mentions] == ["south-ossetia"]


def test_unknown_forced_slug_is_reported_and_not_linked():
    out, mentions, unknown = link_markdown("See [that place]{entity=atlantis} now.")
    assert [u.slug for u in unknown] == ["atlantis"]
    assert linked(out) == []
    assert "atlantis" not in out  # the attribute is dropped, the text kept
    assert "that place" in out
    assert mentions == []


def test_suppressed_link():
    out, mentions, _ = link_markdown("[Russia]{.nolink} is here; Georgia too.")
    assert linked(out) == [("/entities/georgia/", "Georgia")]
    assert '<span class="nolink">Russia</span>' in out
    assert [m.slug for m in mentions] == ["georgia"]


@pytest.mark.parametrize("markdown", [
    "See [the Russia page](https://example.org/russia).",
    "Type `Russia` in the box.",
    "```\nRussia\n```",
    "## Russia",
    "# Russia and Georgia",
])
def test_nothing_is_linked_in_links_code_or_headings(markdown):
    out, mentions, unknown = link_markdown(markdown)
    assert linked(out) == []
    assert mentions == []
    rendered, _ = render(markdown, paragraph_ids=True)
    assert out == rendered


def test_a_name_after_a_link_or_code_is_still_linked():
    out, _, _ = link_markdown("[Moscow](https://example.org) and `x` then Georgia.")
    assert linked(out) == [("/entities/georgia/", "Georgia")]
    assert '<a href="https://example.org">Moscow</a>' in out


def test_self_links_are_skipped_on_an_entity_page():
    out, mentions, _ = link_markdown("Russia borders Georgia.", self_slug="russia")
    assert linked(out) == [("/entities/georgia/", "Georgia")]
    assert [m.slug for m in mentions] == ["georgia"]


def test_pilcrow_is_not_part_of_the_text():
    out, mentions, _ = link_markdown("Russia.")
    assert "¶" not in mentions[0].sentence
    assert 'class="pilcrow" href="#p-1"' in out


# -- policies ----------------------------------------------------------------------------------

DOCUMENT = "Russia and Russia; Georgia.\n\nRussia again, Georgia again.\n\n- Russia in a list\n"


@pytest.mark.parametrize("policy, expected_links", [
    ("first-in-paragraph", ["russia", "georgia", "russia", "georgia", "russia"]),
    ("first-in-document", ["russia", "georgia"]),
    ("all", ["russia", "russia", "georgia", "russia", "georgia", "russia"]),
])
def test_policies(policy, expected_links):
    out, mentions, _ = link_markdown(DOCUMENT, policy)
    assert [h.split("/")[2] for h, _text in linked(out)] == expected_links


@pytest.mark.parametrize("policy", POLICIES)
def test_every_mention_is_recorded_whatever_the_policy(policy):
    out, mentions, _ = link_markdown(DOCUMENT, policy)
    assert [(m.slug, m.paragraph) for m in mentions] == [
        ("russia", "p-1"), ("russia", "p-1"), ("georgia", "p-1"),
        ("russia", "p-2"), ("georgia", "p-2"), ("russia", None)]
    # `linked` on the records agrees with the links in the HTML
    assert sum(m.linked for m in mentions) == len(linked(out))


def test_first_in_paragraph_links_the_first_mention_of_each_paragraph():
    _, mentions, _ = link_markdown(DOCUMENT, "first-in-paragraph")
    assert [m.linked for m in mentions] == [True, False, True, True, True, True]


def test_first_in_document_links_only_the_first_mention():
    _, mentions, _ = link_markdown(DOCUMENT, "first-in-document")
    assert [m.linked for m in mentions] == [True, False, True, False, False, False]


@pytest.mark.parametrize("policy", ["first-in-paragraph", "first-in-document"])
def test_a_forced_link_counts_as_the_first_link(policy):
    out, _, _ = link_markdown("[Georgia]{entity=georgia} and Georgia again.", policy)
    assert len(linked(out)) == 1


# -- mention records ---------------------------------------------------------------------------

def test_mention_sentence_and_offsets_highlight_the_name():
    text = ("Preliminary talks were held. The ministers blamed Georgia for the crisis in "
            "South Ossetia. Moscow was satisfied!")
    _, mentions, _ = link_markdown(text)
    assert [(m.text, m.sentence) for m in mentions] == [
        ("Georgia", "The ministers blamed Georgia for the crisis in South Ossetia."),
        ("South Ossetia", "The ministers blamed Georgia for the crisis in South Ossetia."),
        ("Moscow", "Moscow was satisfied!")]
    for mention in mentions:
        assert mention.sentence[mention.start:mention.end] == mention.text
        assert mention.before + mention.text + mention.after == mention.sentence


def test_mention_offsets_survive_markup_and_entities():
    _, mentions, _ = link_markdown("A *bold* claim & a <tag> by **Georgia** about Russia’s role.")
    for mention in mentions:
        assert mention.sentence[mention.start:mention.end] == mention.text
    assert mentions[0].sentence == "A bold claim & a <tag> by Georgia about Russia’s role."


def test_mention_in_a_later_sentence_of_a_long_paragraph():
    _, mentions, _ = link_markdown("One. Two U.S. officials met. Three with Georgia. Four.")
    [mention] = mentions
    assert mention.sentence == "Three with Georgia."
    assert (mention.start, mention.end) == (11, 18)


def test_forced_mention_offsets():
    _, mentions, _ = link_markdown("Before. Then [the region]{entity=south-ossetia} was *hit*.")
    [mention] = mentions
    assert mention.sentence == "Then the region was hit."
    assert mention.sentence[mention.start:mention.end] == "the region"


def test_sentence_keeps_its_closing_quote():
    _, mentions, _ = link_markdown("He said: “Russia is big.” Then it rained.")
    assert mentions[0].sentence == "He said: “Russia is big.”"


def test_mention_is_a_value():
    mention = Mention("russia", "Russia", "p-1", "Russia is big.", 0, 6, True)
    assert (mention.before, mention.after) == ("", " is big.")


# -- the text outside links is unchanged -------------------------------------------------------

def _text(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@pytest.mark.parametrize("markdown", [
    "Russia’s lead and Georgia's borders; South Ossetia & Abkhazia.",
    "Niklas Swanström of the Russia Profile, the CSTO and Collective Security Treaty "
    "Organization.",
    "Russian-backed separatists in South Ossetia – but not Georgian ones or Prussia.",
    "A [link to Russia](https://example.org) and `Georgia` and [Moscow]{.nolink}.",
    "Forced: [the region]{entity=south-ossetia}, unknown: [x]{entity=nowhere}.",
    "## Heading with Russia\n\nParagraph with Russia.\n\n- Georgia\n- Moscow\n\n> Quote: Russia",
    "| Country | Capital |\n|---|---|\n| Georgia | Tbilisi |\n| Russia | Moscow |",
    "Text with a footnote about Russia.[^1]\n\n[^1]: Georgia said so.",
    "Less < more & \"quotes\" 'single' around Georgia > here.",
    "",
])
@pytest.mark.parametrize("policy", POLICIES)
def test_text_outside_links_is_unchanged(markdown, policy):
    rendered, _ = render(markdown, paragraph_ids=True)
    out, _mentions, _unknown = Linker(FORMS, policy).link(rendered, href, css)
    assert _text(out) == _text(rendered)


def test_linking_twice_adds_no_links():
    rendered, _ = render("Russia and Georgia. Russia again.", paragraph_ids=True)
    once, _, _ = Linker(FORMS, "all").link(rendered, href, css)
    twice, mentions, _ = Linker(FORMS, "all").link(once, href, css)
    assert twice == once
    assert mentions == []


def test_snippet_closes_the_gap_left_by_a_citation():
    linker = Linker({"Russia": "russia"})
    html = '<p id="p-1">Moscow blamed Russia <span class="para-cite">[x]</span>. Next.</p>'
    _out, mentions, _unknown = linker.link(html, lambda s: "#", lambda s: "entity")
    (mention,) = mentions
    assert mention.sentence == "Moscow blamed Russia."
    assert mention.sentence[mention.start:mention.end] == "Russia"

"""The timeline: events from briefing notes, sources and the registry, sorted by partial date."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from research.core.cites import Cite

from citesite import FakeDocument, build, build_changed, line_of
from research.link.citations import CitationIndex
from research.core.dates import parse as date
from research.link.linker import Linker
from research.render.timeline import (Event, by_year, collect_events, note_events,
                               publication_events, registry_events, sort_events)

NOTE = "content/briefings/alliance-note.md"


def event(when: str, text: str) -> Event:
    return Event(date(when), text, "note", None, "")


def test_partial_dates_sort_less_precise_first_then_by_text():
    events = [event("2008-09-05", "e"), event("2008-09", "d"), event("2008", "c"),
              event("2008-01-01", "b"), event("2008-01", "a"), event("2007-12-31", "z"),
              event("2008-09", "b"), event("2009", "a")]
    assert [(e.date.iso(), e.text) for e in sort_events(events)] == [
        ("2007-12-31", "z"), ("2008", "c"), ("2008-01", "a"), ("2008-01-01", "b"),
        ("2008-09", "b"), ("2008-09", "d"), ("2008-09-05", "e"), ("2009", "a")]


def test_events_with_the_same_date_and_text_keep_their_order():
    first, second = event("2008", "same"), event("2008", "same")
    second = Event(second.date, second.text, "note", None, "second")
    assert [e.origin_label for e in sort_events([first, second])] == ["", "second"]
    assert [e.origin_label for e in sort_events([second, first])] == ["second", ""]


def test_events_are_grouped_by_year_in_order():
    events = sort_events([event("2009-02", "b"), event("1999", "a"), event("2009", "c")])
    assert [(year, [e.text for e in items]) for year, items in by_year(events)] == [
        (1999, ["a"]), (2009, ["c", "b"])]


@pytest.fixture
def source():
    return FakeDocument("talks", "Talks", author="A. Reporter", paragraph_count=5,
                        extra={"outlet": "Wire"})


def note(events, **extra):
    return FakeDocument("note", "A note", category="briefings", extra={"events": events, **extra})


def test_note_events_are_read_and_their_sources_resolved(source):
    found, problems = note_events(note([
        {"date": "2008-09-04", "text": "Ministers meet.", "refs": ["talks#p-2"]},
        {"date": 1999, "text": "Georgia leaves.", "refs": ["a-depositary-notice"]},
    ]), CitationIndex([source]))
    assert problems == []
    assert [(e.date.iso(), e.text, e.kind, e.origin_label) for e in found] == [
        ("2008-09-04", "Ministers meet.", "note", "A note"), ("1999", "Georgia leaves.", "note",
                                                              "A note")]
    # The refs as written; what they name is checked by link/refs_check.py with the bibliography.
    assert [c.target for c in found[0].refs] == ["talks#p-2"]
    assert [c.target for c in found[1].refs] == ["a-depositary-notice"]


@pytest.mark.parametrize("item, field, message", [
    ({"date": "2008-13", "text": "x"}, "events[0].date", "has no month 13"),
    ({"date": "5 September 2008", "text": "x"}, "events[0].date", "is not a date"),
    ({"date": "2008-02-30", "text": "x"}, "events[0].date", "does not exist"),
    ({"text": "x"}, "events[0].date", "is required"),
    ({"date": "2008"}, "events[0].text", "is required"),
    ({"date": "2008", "text": "x", "when": "now"}, "events[0]", "unknown field(s) when"),
])
def test_bad_events_are_named_by_field(source, item, field, message):
    found, problems = note_events(note([item]), CitationIndex([source]))
    assert found == []
    assert [p.field for p in problems] == [field]
    assert message in problems[0].message
    assert problems[0].path.endswith("briefings/note.md")


def test_events_of_the_wrong_shape_name_the_fields_an_event_has(source):
    # The reader refuses these shapes first for content files; this is the check behind it.
    # Events cite with refs: (the retired source: field must not be suggested).
    for events, field, message in [
            ("the ministers met", "events",
             "must be a list of events, each with date, text and refs"),
            (["the ministers met"], "events[0]", "must be a mapping with date, text and refs")]:
        found, problems = note_events(note(events), CitationIndex([source]))
        assert found == []
        assert [(p.field, p.message) for p in problems] == [(field, message)]


def test_only_sources_have_publication_events(source):
    found = publication_events([source, note([])])
    assert [(e.date.iso(), e.text, e.kind) for e in found] == [
        ("2008-09-05", "“Talks” by A. Reporter is published by Wire.", "publication")]


def test_registry_gives_joining_leaving_recognising_and_withdrawing(source):
    def entity(slug, name, kind):
        return SimpleNamespace(slug=slug, name=name, type=kind)
    entities = {e.slug: e for e in [entity("pact", "Pact Organization", "organization"),
                                    entity("ruritania", "Ruritania", "country"),
                                    entity("east", "East March", "territory")]}
    registry = SimpleNamespace(
        entities=entities,
        memberships=[SimpleNamespace(organization="pact", member="ruritania", role="member",
                                     start=date("2001"), end=date("2005-03"),
                                     refs=(Cite("talks", 1),)),
                     SimpleNamespace(organization="pact", member="ruritania", role="observer",
                                     start=None, end=None, refs=())],
        recognitions=[SimpleNamespace(territory="east", by="ruritania", date=date("2008-09"),
                                      withdrawn=date("2010"), refs=())])
    pages = {slug: SimpleNamespace(url=f"{e.type}/{slug}/") for slug, e in entities.items()}
    found = sort_events(registry_events(registry, CitationIndex([source]), pages=pages))
    assert [(e.date.iso(), e.text, e.kind, e.origin.url) for e in found] == [
        ("2001", "Ruritania joins the Pact Organization.", "joined", "organization/pact/"),
        ("2005-03", "Ruritania leaves the Pact Organization.", "left", "organization/pact/"),
        ("2008-09", "Ruritania recognises East March.", "recognised", "territory/east/"),
        ("2010", "Ruritania withdraws its recognition of East March.", "withdrawn",
         "territory/east/")]
    assert found[0].refs == (Cite("talks", 1),) and found[2].refs == ()


def test_collect_events_merges_and_sorts(source):
    events, problems = collect_events(
        [source, note([{"date": "2008", "text": "Year only."}])], None, CitationIndex([source]))
    assert problems == []
    assert [e.text for e in events] == ["Year only.",
                                        "“Talks” by A. Reporter is published by Wire."]


# -- the fixture site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    output = tmp_path_factory.mktemp("timeline") / "output"
    result = build(output)
    assert result.ok, result.problems
    return output / "timeline" / "index.html"


def _events(text: str) -> list[tuple[str, str, str]]:
    return [(when, human, re.sub(r"<[^>]+>", "", body)) for when, human, body in re.findall(
        r'<time datetime="([^"]+)">([^<]+)</time>\s*<span class="event-text">(.*?)</span>',
        text, re.S)]


def test_timeline_page_lists_key_events_then_records_in_order_grouped_by_year(page):
    text = page.read_text("utf-8")
    assert _events(text) == [
        ("1999", "1999", "Georgia leaves the treaty."),
        ("1999-04", "April 1999", "A withdrawal takes effect."),
        ("2008-09-04", "4 September 2008", "The ministers meet in Moscow."),
        ("2008-09-05", "5 September 2008",
         "“Ministers Meet in Moscow” by A. Reporter is published."),
        ("1992-05-15", "15 May 1992", "Russia joins the Collective Security Treaty Organization."),
        ("1993-12-09", "9 December 1993",
         "Georgia joins the Collective Security Treaty Organization."),
        ("1999-04", "April 1999", "Georgia leaves the Collective Security Treaty Organization."),
        ("2008-08-26", "26 August 2008", "Russia recognises South Ossetia."),
        ("2008-09", "September 2008", "Nicaragua recognises South Ossetia."),
        ("2010", "2010", "Nicaragua withdraws its recognition of South Ossetia."),
    ]
    assert re.findall(r'<h3 id="key-(\d+)">', text) == ["1999", "2008"]
    assert re.findall(r'<h3 id="year-(\d+)">', text) == ["1992", "1993", "1999", "2008", "2010"]


def test_names_in_event_text_link_to_their_pages(page):
    text = page.read_text("utf-8")
    georgia = re.search(r'<span class="event-text">(<a [^>]*>Georgia</a>) leaves the treaty',
                        text)
    assert georgia and 'href="../countries/georgia/"' in georgia[1]
    assert re.search(r'<a href="../countries/nicaragua/">Nicaragua</a> withdraws its recognition'
                     r' of <a href="../territories/south-ossetia/">South Ossetia</a>\.', text)


def test_each_event_links_to_where_it_comes_from(page):
    text = page.read_text("utf-8")
    items = re.findall(r'<li class="event event-(\w+)[^"]*">(.*?)</li>', text, re.S)
    by_text = {re.sub(r"<[^>]+>", "", re.search(r'event-text">(.*?)</span>', body, re.S)[1]):
               (kind, body) for kind, body in items}
    kind, body = by_text["Georgia leaves the treaty."]
    assert kind == "note"
    assert 'href="../briefings/alliance-note/">The alliance and Georgia</a>' in body
    assert 'href="../sources/ministers-meet/#p-5">Reporter 2008, ¶ 5</a>' in body
    assert "“Treaty Depositary Notice” 1999" in by_text["A withdrawal takes effect."][1]
    kind, body = by_text["Georgia leaves the Collective Security Treaty Organization."]
    assert kind == "left" and 'href="../organizations/csto/"' in body
    assert 'href="../sources/ministers-meet/#p-5"' in body  # the membership's own source
    kind, body = by_text["Nicaragua withdraws its recognition of South Ossetia."]
    assert kind == "withdrawn" and 'href="../territories/south-ossetia/"' in body
    kind, body = by_text["“Ministers Meet in Moscow” by A. Reporter is published."]
    assert kind == "publication" and 'href="../sources/ministers-meet/"' in body


def test_timeline_is_in_the_menu(page):
    assert 'aria-current="page">Timeline</a>' in page.read_text("utf-8")


def test_a_bad_event_date_fails_the_build_naming_file_and_field(tmp_path, monkeypatch):
    line = line_of(NOTE, "date: '1999-04'")  # the line of the field itself
    result = build_changed(tmp_path, monkeypatch, NOTE, "date: '1999-04'", "date: '1999-13'")
    assert not result.ok
    assert result.problems == [f"{NOTE}:{line}: events[2].date: '1999-13' has no month 13; "
                               "months run from 01 to 12"]


# -- folding, role changes, curated events that tell a record -------------------------------

def _registry(memberships=(), recognitions=()):
    def entity(slug, name, kind, **extra):
        return SimpleNamespace(slug=slug, name=name, type=kind, aliases=(), **extra)
    entities = [entity("pact", "Pact Organization", "organization", founded=date("1949-04-04")),
                entity("east", "East March", "territory"), entity("west", "West March",
                                                                  "territory")]
    entities += [entity(s, s.capitalize(), "country") for s in ("ruritania", "elbonia", "freedonia")]
    row = lambda member, role, start, end=None: SimpleNamespace(  # noqa: E731
        organization="pact", member=member, role=role, start=date(start) if start else None,
        end=date(end) if end else None, refs=())
    rec = lambda by, territory, when: SimpleNamespace(  # noqa: E731
        territory=territory, by=by, date=date(when), withdrawn=None, refs=())
    return SimpleNamespace(entities={e.slug: e for e in entities},
                           memberships=[row(*m) for m in memberships],
                           recognitions=[rec(*r) for r in recognitions],
                           surface_forms={e.name: e.slug for e in entities})


def _texts(events):
    return [(e.date.iso(), e.kind, e.text) for e in sort_events(events)]


def test_records_of_one_date_fold_into_one_event_with_every_name_linked(source):
    registry = _registry(memberships=[("ruritania", "member", "1949-04-04"),
                                      ("elbonia", "member", "1949-04-04"),
                                      ("freedonia", "member", "1999-03")])
    events = registry_events(registry, CitationIndex([source]))
    assert _texts(events) == [
        ("1949-04-04", "joined",
         "2 founding states join the Pact Organization: Elbonia and Ruritania."),
        ("1999-03", "joined", "Freedonia joins the Pact Organization.")]
    assert events[0].entities == ("pact", "elbonia", "ruritania")
    assert [slug for _, slug in events[0].pieces] == [None, "pact", None, "elbonia", None,
                                                      "ruritania", None]


def test_leaving_one_role_for_another_on_the_same_day_is_a_change(source):
    registry = _registry(memberships=[("ruritania", "observer", "2005", "2017-06-09"),
                                      ("ruritania", "member", "2017-06-09"),
                                      ("elbonia", "observer", "2005", "2017-06-09"),
                                      ("elbonia", "member", "2017-06-09")])
    assert _texts(registry_events(registry, CitationIndex([source]))) == [
        ("2005", "joined", "2 states join the Pact Organization as observer: Elbonia and "
                           "Ruritania."),
        ("2017-06-09", "changed", "2 states change from observer to member of the Pact "
                                  "Organization: Elbonia and Ruritania.")]


def test_a_state_recognising_two_territories_on_one_day_is_one_event(source):
    registry = _registry(recognitions=[("ruritania", "east", "2008-08-26"),
                                       ("ruritania", "west", "2008-08-26"),
                                       ("elbonia", "east", "2009-12-15")])
    assert _texts(registry_events(registry, CitationIndex([source]))) == [
        ("2008-08-26", "recognised", "Ruritania recognises East March and West March."),
        ("2009-12-15", "recognised", "Elbonia recognises East March.")]


def test_a_curated_event_naming_the_same_entities_on_an_overlapping_date_replaces_records(
        source):
    registry = _registry(recognitions=[("ruritania", "east", "2008-08-26"),
                                       ("ruritania", "west", "2008-08-26"),
                                       ("elbonia", "east", "2009-12-15"),
                                       ("elbonia", "west", "2010-01-02")])
    events, problems = collect_events([note([
        {"date": "2008-08-26", "text": "Ruritania recognises East March and West March."},
        {"date": "2009-12", "text": "Elbonia recognises East March."},
    ])], registry, CitationIndex([source]), Linker(registry.surface_forms).find)
    assert problems == []
    assert _texts(events) == [
        ("2008-08-26", "note", "Ruritania recognises East March and West March."),
        ("2009-12", "note", "Elbonia recognises East March."),
        ("2010-01-02", "recognised", "Elbonia recognises West March.")]
    assert events[0].entities == ("ruritania", "east", "west")


# -- the real site ---------------------------------------------------------------------------

def _real_events(real_site, path="timeline/index.html"):
    text = (real_site[1] / path).read_text("utf-8")
    return text, _events(text)


def test_the_real_timeline_has_no_duplicate_event(real_site):
    _, events = _real_events(real_site)
    seen = [(when, body) for when, _, body in events]
    assert len(seen) == len(set(seen)), [e for e in seen if seen.count(e) > 1]
    # Russia's recognition of 26 August 2008 is told once, by the briefing note
    on_the_day = [body for when, _, body in events if when == "2008-08-26"]
    assert len([b for b in on_the_day if b.startswith("Russia recognises")]) == 1


def test_the_real_timeline_starts_with_the_war_and_its_ceasefire_among_key_events(real_site):
    text, events = _real_events(real_site)
    key = text.split('aria-labelledby="key-heading"')[1].split('aria-labelledby="records-heading"')[0]
    key_events = _events(key)
    war = [e for e in key_events if e[0] == "2008-08-07"]
    assert war and "South Ossetia" in war[0][2] and "five days" in war[0][2]
    assert any(when == "2008-08-12" and "six-point plan" in body for when, _, body in key_events)
    assert any(when == "2008-08-26" for when, _, body in key_events)  # the decree
    assert any(when == "2008-08-28" and "Dushanbe" in body for when, _, body in key_events)
    # the records are folded: NATO's founders are one line, not twelve
    founders = [body for when, _, body in events if when == "1949-04-04"]
    assert len(founders) == 1 and founders[0].startswith("12 founding states join")


def test_the_kind_and_entity_views_are_pages_of_their_own(real_site):
    output = real_site[1]
    _, recognitions = _real_events(real_site, "timeline/recognitions/index.html")
    assert recognitions and all("recognis" in body or "recognition" in body
                                for _, _, body in recognitions)
    _, key = _real_events(real_site, "timeline/events/index.html")
    assert all("joins" not in body for _, _, body in key)
    text, nato = _real_events(real_site, "timeline/organizations/nato/index.html")
    assert nato and all("North Atlantic" in body or "NATO" in body for _, _, body in nato)
    assert re.search(r'title="North Atlantic Treaty Organization" aria-current="page">NATO</a>',
                     text)
    assert (output / "timeline" / "countries" / "russia" / "index.html").is_file()

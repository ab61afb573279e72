"""The timeline pages `/timeline/`: every dated event the site knows, curated events first.

Events come from three places, each linked back to where it comes from:

- the `events:` front-matter of briefing notes (date, text, source), linked to the note, and
  the publication of each source: the *curated* events, written by people;
- the registry: memberships starting, ending and changing role (linked to the organization's
  page), recognitions given and withdrawn (linked to the territory's page): *records*.

Records are folded per date: the 12 states that joined NATO on 4 April 1949 are one event, a
state's recognition of Abkhazia and South Ossetia on one day is one event, and a state that
leaves one role and takes another on the same day "changes" role. A record is left out when a
curated event of an overlapping date names all its entities (the briefing's "Russia recognises
Abkhazia and South Ossetia" makes the registry's two rows of 26 August 2008 redundant).

Names in event text are found with the linker's automaton (one pass per event) and linked.
Besides the page of everything, the build writes one page per kind (key events, memberships,
recognitions) and one per entity named in an event, so the filters work without JavaScript.

Events are sorted by `PartialDate.sort_key()` (a year before a month of the same year, a month
before a day of it), curated before records, then by text, and shown at the precision they
were written. Collecting, folding and sorting are pure functions; the link pipeline collects
the events once (`state.events`) and `outputs` says which pages to write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from ..core import dates
from ..core.cites import Cite, parse_refs
from ..link.citations import CitationIndex
from ..core.dates import PartialDate
from ..core.errors import ContentError, Problem, code_of
from ..core import types
from .entity_pages import Output
from ..read.reader import field_problems

SAVE_AS = "timeline/index.html"
URL = "timeline/"


CURATED = ("note", "publication")
# The pre-rendered views by kind: (slug, label, kinds); the page of everything is URL itself.
KIND_VIEWS = [
    ("events", "Key events", CURATED),
    ("memberships", "Membership changes", ("joined", "left", "changed")),
    ("recognitions", "Recognitions", ("recognised", "withdrawn")),
]


@dataclass(frozen=True)
class Event:
    date: PartialDate
    text: str
    kind: str  # note, publication, joined, left, changed, recognised, withdrawn
    origin: Any  # the content object it comes from: a briefing note, source or entity page
    origin_label: str
    refs: tuple[Cite, ...] = ()  # the event's own citations (core/cites.py)
    entities: tuple[str, ...] = ()  # slugs of the entities it names, in order of mention
    # The text in pieces, each (text, slug of the entity it names, or None), for links.
    segments: tuple[tuple[str, str | None], ...] = ()

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def curated(self) -> bool:
        return self.kind in CURATED

    @property
    def pieces(self) -> tuple[tuple[str, str | None], ...]:
        return self.segments or ((self.text, None),)


def sort_events(events: list[Event]) -> list[Event]:
    """By date (partial dates: less precise first), curated before records, then by text;
    stable otherwise."""
    return sorted(events, key=lambda e: (e.date.sort_key(), not e.curated, e.text))


def by_year(events: list[Event]) -> list[tuple[int, list[Event]]]:
    """Sorted events grouped by year, for headings."""
    return [(year, list(group)) for year, group in groupby(events, key=lambda e: e.year)]


def year_band(events: list[Event], key_years: set[int] = frozenset()
              ) -> list[tuple[int, int, str]]:
    """(year, number of events, anchor) for every year with events, in order: the year band.
    The anchor is the year's heading among the key events if it has any, else among the
    records."""
    return [(year, len(items), f"{'key' if year in key_years else 'year'}-{year}")
            for year, items in by_year(events)]


def link_names(event: Event, find) -> Event:
    """The event with the names in its text found (`find`: the linker's `find`, returning
    (start, end, slug) matches) and its first mention of each entity made a link."""
    if event.segments or find is None:
        return event
    segments, seen, position = [], [], 0
    for start, end, slug in find(event.text):
        if slug in seen:
            continue
        seen.append(slug)
        if start > position:
            segments.append((event.text[position:start], None))
        segments.append((event.text[start:end], slug))
        position = end
    if not seen:
        return event
    if position < len(event.text):
        segments.append((event.text[position:], None))
    return Event(event.date, event.text, event.kind, event.origin, event.origin_label,
                 event.refs, tuple(seen), tuple(segments))


def _publication_date(value: Any) -> PartialDate | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return dates.parse(value)
    return None


def note_events(document: Any, citations: CitationIndex) -> tuple[list[Event], list[Problem]]:
    """The `events:` of one document (a briefing note), validated."""
    raw = getattr(document, "events", None)
    if raw is None:
        return [], []
    problem = field_problems(document, "events")

    if not isinstance(raw, list):
        return [], [problem("events", "must be a list of events, each with date, text and "
                                      "refs", "type.list")]
    events, problems = [], []
    for index, item in enumerate(raw):
        where = f"events[{index}]"
        if not isinstance(item, dict):
            problems.append(problem(where, "must be a mapping with date, text and refs",
                                    "type.row"))
            continue
        before = len(problems)
        unknown = sorted(set(item) - {"date", "text", "refs"})
        if unknown:
            problems.append(problem(where, f"unknown field(s) {', '.join(unknown)}; use date, "
                                           "text and refs", "field.unknown"))
        date = None
        if item.get("date") in (None, ""):
            problems.append(problem(f"{where}.date", "is required, e.g. '2008-09-05'",
                                    "field.required"))
        else:
            try:
                date = dates.parse(item["date"])
            except dates.DateError as err:
                problems.append(problem(f"{where}.date", str(err), err.code))
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(problem(f"{where}.text", "is required: one sentence saying what "
                                    "happened", "field.required"))
        # refs: the reader checked their form, link/refs_check.py what they name.
        refs, _ = parse_refs(item.get("refs"))
        if len(problems) == before:
            events.append(Event(date, text.strip(), "note", document, document.title, refs))
    return events, problems


def publication_events(documents: list) -> list[Event]:
    """Each source's publication (only sources: briefing notes are our own writing)."""
    events = []
    for document in documents:
        kind = types.of(getattr(document, "settings", None)).document_by_category(
            getattr(getattr(document, "category", None), "slug", ""))
        if kind is None or not kind.publication_event:
            continue
        date = _publication_date(getattr(document, "date", None))
        if date is None:
            continue
        outlet = getattr(document, "outlet", None)
        author = getattr(document, "author", None)
        author_name = getattr(author, "name", author)
        text = f"“{document.title}”"
        if author_name:
            text += f" by {author_name}"
        text += f" is published{f' by {outlet}' if outlet else ''}."
        events.append(Event(date, text, "publication", document, document.title))
    return events


@dataclass(frozen=True)
class _Record:
    """One registry row as a dated fact, before folding."""
    date: PartialDate
    kind: str  # joined, left, recognised, withdrawn
    subject: str  # the member, or the recognising state
    target: str  # the organization, or the territory
    role: str  # "member", "observer", ... ("" for recognitions)
    refs: tuple[Cite, ...]


def _names(slugs: list[str], name) -> list[tuple[str, str | None]]:
    """Segments for "A, B and C", each name linked."""
    segments: list[tuple[str, str | None]] = []
    for index, slug in enumerate(slugs):
        if index:
            segments.append((" and " if index == len(slugs) - 1 else ", ", None))
        segments.append((name(slug), slug))
    return segments


def _records(registry, citations: CitationIndex) -> list[_Record]:
    records = []
    # Deprecated rows stay on their entity's table, marked; the timeline shows facts.
    for m in (row for row in registry.memberships if getattr(row, "rank", "") != "deprecated"):
        ref = m.refs
        if m.start:
            records.append(_Record(m.start, "joined", m.member, m.organization, m.role, ref))
        if m.end:
            records.append(_Record(m.end, "left", m.member, m.organization, m.role, ref))
    for r in (row for row in registry.recognitions if getattr(row, "rank", "") != "deprecated"):
        ref = r.refs
        if r.date:
            records.append(_Record(r.date, "recognised", r.by, r.territory, "", ref))
        if r.withdrawn:
            records.append(_Record(r.withdrawn, "withdrawn", r.by, r.territory, "", ref))
    return records


def _covered(records: list[_Record], curated: list[Event]) -> set[int]:
    """Indexes of the records that a curated event already tells: its dates overlap the
    record's and its text names both the record's entities."""
    by_entity: dict[str, list[Event]] = {}
    for event in curated:
        for slug in event.entities:
            by_entity.setdefault(slug, []).append(event)
    covered = set()
    for index, record in enumerate(records):
        for event in by_entity.get(record.subject, ()):
            if record.target in event.entities and \
                    event.date.first_day <= record.date.last_day and \
                    record.date.first_day <= event.date.last_day:
                covered.add(index)
                break
    return covered


def registry_events(registry, citations: CitationIndex, curated: list[Event] = (),
                    pages: dict | None = None) -> list[Event]:
    """Memberships starting, ending and changing role, recognitions given and withdrawn,
    folded per date; records a curated event already tells are left out. An event's origin
    is the page of its organization or territory (`pages`: the build state's, by slug)."""
    entities = registry.entities
    pages = pages or {}

    def name(slug: str) -> str:
        entity = entities.get(slug)
        return entity.name if entity else slug

    def the(slug: str) -> str:  # bodies with members: "the Collective Security ..."
        full = name(slug)
        return full if full.startswith("The ") else f"the {full}"

    records = _records(registry, citations)
    covered = _covered(records, list(curated))
    records = [r for i, r in enumerate(records) if i not in covered]

    # A member that leaves one role and takes another on the same day changes role.
    joined = {(r.date.iso(), r.target, r.subject): r for r in records if r.kind == "joined"}
    changes, paired = [], set()
    for r in records:
        if r.kind != "left":
            continue
        new = joined.get((r.date.iso(), r.target, r.subject))
        if new is not None and new.role != r.role:
            changes.append((r, new))
            paired.update((id(r), id(new)))

    groups: dict[tuple, list] = {}
    for r in records:
        if id(r) in paired:
            continue
        key = (r.date.iso(), r.kind, r.target if r.kind in ("joined", "left") else r.subject,
               r.role)
        groups.setdefault(key, []).append(r)
    for old, new in changes:
        groups.setdefault((old.date.iso(), "changed", old.target, f"{old.role}>{new.role}"),
                          []).append(new)

    events = []
    for (_, kind, holder, role), rows in sorted(groups.items()):
        first = rows[0]
        if kind in ("joined", "left", "changed"):
            organization = entities[holder]
            members = sorted({r.subject for r in rows}, key=lambda s: name(s).casefold())
            org = [("the ", None), (the(holder)[4:], holder)] if the(holder).startswith(
                "the ") else [(the(holder), holder)]
            if kind == "changed":
                before, after = role.split(">")
                verb = (f" change{'s' if len(members) == 1 else ''} from {before} to "
                        f"{after} of ")
                tail = [(verb, None), *org, (".", None)]
            else:
                verb = {"joined": " join", "left": " leave"}[kind]
                verb += "s " if len(members) == 1 else " "
                as_role = "" if role.lower() == "member" else f" as {role}"
                tail = [(verb, None), *org, (f"{as_role}.", None)]
            if len(members) == 1:
                segments = [*_names(members, name), *tail]
            else:
                founding = kind == "joined" and getattr(organization, "founded", None) is not \
                    None and organization.founded.iso() == first.date.iso()
                count = f"{len(members)} {'founding ' if founding else ''}states"
                segments = [(count, None), *tail[:-1], (tail[-1][0][:-1] + ": ", None),
                            *_names(members, name), (".", None)]
            origin, label = pages.get(organization.slug), organization.name
        else:
            territories = sorted({r.target for r in rows}, key=lambda s: name(s).casefold())
            verb = " recognises " if kind == "recognised" else " withdraws its recognition of "
            segments = [(name(holder), holder), (verb, None), *_names(territories, name),
                        (".", None)]
            target = entities[territories[0]]
            origin, label = pages.get(target.slug), (target.name if len(territories) == 1 else
                                          " and ".join(name(t) for t in territories))
        text = "".join(piece for piece, _ in segments)
        named = tuple(dict.fromkeys(slug for _, slug in segments if slug))
        refs = first.refs if all(r.refs == first.refs for r in rows) else ()
        events.append(Event(first.date, text, kind, origin, label, refs, named,
                            _merge(segments)))
    return events


def _merge(segments) -> tuple[tuple[str, str | None], ...]:
    """Adjacent unlinked pieces joined, so the template writes fewer nodes."""
    merged: list[tuple[str, str | None]] = []
    for piece, slug in segments:
        if merged and slug is None and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + piece, None)
        elif piece:
            merged.append((piece, slug))
    return tuple(merged)


def collect_events(documents: list, registry, citations: CitationIndex, find=None,
                   published: list | None = None, pages: dict | None = None
                   ) -> tuple[list[Event], list[Problem]]:
    """All events of a build, names linked (with `find`), folded and sorted, and the problems
    found in `events:` fields. Every document's `events:` is checked (drafts too); only the
    `published` ones (default: all) give events."""
    listed = {id(d) for d in (documents if published is None else published)}
    curated, problems = [], []
    for document in documents:
        found, wrong = note_events(document, citations)
        if id(document) in listed:
            curated += found
        problems += wrong
    curated += publication_events([d for d in documents if id(d) in listed])
    curated = [link_names(e, find) for e in curated]
    events = list(curated)
    if registry is not None:
        events += registry_events(registry, citations, curated, pages)
    return sort_events(events), problems


def entity_views(events: list[Event]) -> dict[str, list[Event]]:
    """The events that name each entity, in order: one pre-rendered page per entity."""
    views: dict[str, list[Event]] = {}
    for event in events:
        for slug in event.entities:
            views.setdefault(slug, []).append(event)
    return views


def outputs(state) -> list[Output]:
    """/timeline/, one page per kind of event and one per entity named in events."""
    registry, events = state.registry, state.events
    per_entity = entity_views(events)
    entities = registry.entities if registry is not None else {}
    named = sorted((slug for slug in per_entity if slug in entities),
                   key=lambda slug: (-len(per_entity[slug]), entities[slug].name.casefold()))
    filters = {"kinds": [(f"{URL}{slug}/", label) for slug, label, _ in KIND_VIEWS],
               "entities": [(entity_url(entities[slug], registry.types), entities[slug],
                             len(per_entity[slug])) for slug in named]}
    pages = []

    def write(save_as, url, events, label, *, split):
        curated = [e for e in events if e.curated] if split else []
        records = [e for e in events if not e.curated] if split else events
        pages.append(Output(save_as, "timeline", dict(
            events=events, years=by_year(records), key_years=by_year(curated),
            band=year_band(events, {e.year for e in curated}), view_url=url,
            view_label=label, filters=filters, section=URL)))

    write(SAVE_AS, URL, events, None, split=True)
    for slug, label, kinds in KIND_VIEWS:
        url = f"{URL}{slug}/"
        write(url + "index.html", url, [e for e in events if e.kind in kinds], label,
              split=False)
    for slug in named:
        url = entity_url(entities[slug], registry.types)
        write(url + "index.html", url, per_entity[slug], entities[slug].name, split=True)
    return pages


def entity_url(entity, table) -> str:
    """The address of the timeline of one entity: /timeline/<type folder>/<slug>/ (`table`:
    the site's type table)."""
    kind = table.entities[entity.type]
    return f"{URL}{kind.folder}/{entity.slug}/"

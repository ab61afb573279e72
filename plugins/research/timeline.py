"""The timeline page `/timeline/`: every dated event the site knows, in order.

Events come from three places, each linked back to where it comes from:

- the `events:` front-matter of briefing notes (date, text, source), linked to the note;
- the sources themselves: their publication, linked to the source;
- the registry: memberships starting and ending (linked to the organization's page) and
  recognitions given and withdrawn (linked to the territory's page).

An event whose `source` is a paragraph citation (`slug#p-n`) also links to that paragraph.
Events are sorted by `PartialDate.sort_key()` (a year before a month of the same year, a month
before a day of it), then by text, and shown at the precision they were written.

Collecting and sorting are pure functions; `TimelineGenerator` keeps the events of one build
on itself and writes the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import dates
from .citations import CitationIndex, Reference
from .dates import PartialDate
from .errors import ContentError, Problem
from .frontmatter import field_line, locate
from .reader import display_path

SAVE_AS = "timeline/index.html"
URL = "timeline/"


@dataclass(frozen=True)
class Event:
    date: PartialDate
    text: str
    kind: str  # note, publication, joined, left, recognised, withdrawn
    origin: Any  # the content object it comes from: a briefing note, source or entity page
    origin_label: str
    source: Reference | None = None  # the event's own citation, resolved

    @property
    def year(self) -> int:
        return self.date.year


def sort_events(events: list[Event]) -> list[Event]:
    """By date (partial dates: less precise first), then by text; stable otherwise."""
    return sorted(events, key=lambda e: (e.date.sort_key(), e.text))


def by_year(events: list[Event]) -> list[tuple[int, list[Event]]]:
    """Sorted events grouped by year, for headings."""
    return [(year, list(group)) for year, group in groupby(events, key=lambda e: e.year)]


def _publication_date(value: Any) -> PartialDate | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return dates.parse(value)
    return None


def _text(document: Any) -> str:
    try:
        return Path(document.source_path).read_text(encoding="utf-8")
    except OSError:
        return ""


def note_events(document: Any, citations: CitationIndex) -> tuple[list[Event], list[Problem]]:
    """The `events:` of one document (a briefing note), validated."""
    raw = getattr(document, "events", None)
    if raw is None:
        return [], []
    path = display_path(document.source_path)
    file_text = _text(document)
    line = field_line(file_text, "events")

    def problem(where: str, message: str) -> Problem:
        # the line of the event's own field, else of `events:`
        return Problem(path, message, line=locate(file_text, where) or line, field=where)

    if not isinstance(raw, list):
        return [], [problem("events", "must be a list of events, each with date, text and "
                                      "source")]
    events, problems = [], []
    for index, item in enumerate(raw):
        where = f"events[{index}]"
        if not isinstance(item, dict):
            problems.append(problem(where, "must be a mapping with date, text and source"))
            continue
        before = len(problems)
        unknown = sorted(set(item) - {"date", "text", "source"})
        if unknown:
            problems.append(problem(where, f"unknown field(s) {', '.join(unknown)}; use date, "
                                           "text and source"))
        date = None
        if item.get("date") in (None, ""):
            problems.append(problem(f"{where}.date", "is required, e.g. '2008-09-05'"))
        else:
            try:
                date = dates.parse(item["date"])
            except dates.DateError as err:
                problems.append(problem(f"{where}.date", str(err)))
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(problem(f"{where}.text", "is required: one sentence saying what "
                                    "happened"))
        source = item.get("source")
        reference = None
        if source is not None:
            if not isinstance(source, str) or not source.strip():
                problems.append(problem(f"{where}.source", "must be text: a paragraph "
                                        "citation (slug#p-n) or a free-text citation"))
            elif citations.problem(source):
                problems.append(problem(f"{where}.source", citations.problem(source)))
            else:
                reference = citations.resolve(source.strip())
        if len(problems) == before:
            events.append(Event(date, text.strip(), "note", document, document.title,
                                reference))
    return events, problems


def publication_events(documents: list) -> list[Event]:
    """Each source's publication (only sources: briefing notes are our own writing)."""
    events = []
    for document in documents:
        if getattr(getattr(document, "category", None), "slug", "") != "sources":
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


def registry_events(registry, citations: CitationIndex) -> list[Event]:
    """Memberships starting and ending; recognitions given and withdrawn."""
    def name(slug: str) -> str:
        entity = registry.entities.get(slug)
        return entity.name if entity else slug

    def reference(text: str) -> Reference | None:
        ref = citations.resolve(text) if text else None
        return ref if ref is not None and ref.document is not None else None

    def the(organization) -> str:  # bodies with members: "the Collective Security ..."
        return organization.name if organization.name.startswith("The ") else \
            f"the {organization.name}"

    events = []
    for m in registry.memberships:
        organization = registry.entities[m.organization]
        role = "" if m.role.lower() == "member" else f" as {m.role}"
        ref = reference(m.source)
        if m.start:
            events.append(Event(m.start, f"{name(m.member)} joins {the(organization)}{role}.",
                                "joined", organization.page, organization.name, ref))
        if m.end:
            text = f"{name(m.member)} leaves {the(organization)}{role}."
            events.append(Event(m.end, text, "left", organization.page, organization.name, ref))
    for r in registry.recognitions:
        territory = registry.entities[r.territory]
        ref = reference(r.source)
        if r.date:
            events.append(Event(r.date, f"{name(r.by)} recognises {territory.name}.",
                                "recognised", territory.page, territory.name, ref))
        if r.withdrawn:
            events.append(Event(r.withdrawn, f"{name(r.by)} withdraws its recognition of "
                                f"{territory.name}.", "withdrawn", territory.page,
                                territory.name, ref))
    return events


def collect_events(documents: list, registry, citations: CitationIndex
                   ) -> tuple[list[Event], list[Problem]]:
    """All events of a build, sorted, and the problems found in `events:` fields."""
    events, problems = [], []
    for document in documents:
        found, wrong = note_events(document, citations)
        events += found
        problems += wrong
    events += publication_events(documents)
    if registry is not None:
        events += registry_events(registry, citations)
    return sort_events(events), problems


class TimelineGenerator(Generator):
    """Collects the events after the articles and entities are read; writes /timeline/."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events: list[Event] = []

    def _documents(self) -> list:
        everything = (self.context.get("articles", []) + self.context.get("drafts", [])
                      + self.context.get("hidden_articles", []))
        return sorted({id(a): a for a in everything}.values(), key=lambda a: a.source_path)

    def generate_context(self) -> None:
        documents = self._documents()
        listed = {id(a) for a in self.context.get("articles", [])}
        published = [d for d in documents if id(d) in listed]
        citations = CitationIndex.for_build(documents, self.settings)  # (checked with the lock)
        _, problems = collect_events(documents, None, citations)  # validate drafts too
        if problems:
            raise ContentError(problems)
        self.events, _ = collect_events(published, self.context.get("registry"), citations)

    def generate_output(self, writer) -> None:
        writer.write_file(SAVE_AS, self.get_template("timeline"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], events=self.events,
                          years=by_year(self.events), section=URL)

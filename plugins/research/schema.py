"""Validate entity front-matter and turn it into typed records.

Each problem names the file, the line of the top-level field where we can find it, and the
field path (`members[3].end`), says what is wrong and how to fix it. All problems in a file are
collected, so an editor sees them at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from unidecode import unidecode  # a Pelican dependency

from . import dates, frontmatter
from .dates import PartialDate
from .errors import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
ISO3166 = re.compile(r"^[A-Z]{2}$")
TYPES = ("organization", "person", "country", "territory")


@dataclass(frozen=True)
class Membership:
    organization: str
    member: str
    role: str
    start: PartialDate | None
    end: PartialDate | None
    note: str
    source: str
    path: str
    where: str  # field path, e.g. members[3]

    @property
    def is_current(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class Position:
    person: str
    office: str
    organization: str | None
    country: str | None
    start: PartialDate | None
    end: PartialDate | None
    note: str
    source: str
    path: str
    where: str

    @property
    def body(self) -> str | None:
        return self.organization or self.country


@dataclass(frozen=True)
class Recognition:
    territory: str
    by: str
    date: PartialDate | None
    withdrawn: PartialDate | None
    note: str
    source: str
    path: str
    where: str


@dataclass
class Entity:
    slug: str
    name: str
    type: str
    summary: str
    path: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    note: str = ""
    references: tuple[str, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    founded: PartialDate | None = None
    dissolved: PartialDate | None = None
    memberships: list[Membership] = field(default_factory=list)  # as organization
    positions: list[Position] = field(default_factory=list)  # as person
    recognitions: list[Recognition] = field(default_factory=list)  # as territory
    page: Any = None  # the Pelican content object

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def index_letter(self) -> str:
        """The A-Z heading the entity is listed under ("Swanström" under S, "Åland" under A)."""
        letter = unidecode(self.name[:1]).upper()[:1]
        return letter if letter.isalpha() else "#"


class _Checker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []

    def line(self, where: str) -> int | None:
        exact = frontmatter.locate(self.text, where)  # the row's own line, not its list's
        if exact is not None:
            return exact
        top = re.split(r"[\[.]", where, maxsplit=1)[0]
        match = re.search(rf"^{re.escape(top)}\s*:", self.text, re.M)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, message, self.line(where), where))

    def text_value(self, data: dict, key: str, where: str, *, required=False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                place = "to this row" if "." in where else "to the front-matter"
                self.fail(where, f"is required: add a line '{key}: ...' {place}")
            return ""
        if not isinstance(value, str):
            self.fail(where, f"must be text, not {_kind(value)}; put it in quotes")
            return ""
        return value.strip()

    def slug_value(self, data: dict, key: str, where: str, *, required=False) -> str | None:
        value = self.text_value(data, key, where, required=required)
        if value and not SLUG.match(value):
            self.fail(where, f"'{value}' is not a valid slug: use lowercase letters, digits "
                             "and single hyphens, e.g. 'south-ossetia'")
            return None
        return value or None

    def text_list(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.fail(where, "must be a list of text values, e.g. [CSTO, ODKB]")
            return ()
        return tuple(v.strip() for v in value)

    def date_value(self, data: dict, key: str, where: str) -> PartialDate | None:
        try:
            return dates.parse_optional(data.get(key))
        except dates.DateError as err:
            self.fail(where, str(err))
            return None

    def rows(self, data: dict, key: str) -> list[tuple[str, dict]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, "must be a list of rows, each starting with '- '")
            return []
        rows = []
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                self.fail(f"{key}[{index}]", "must be a mapping of 'field: value' lines")
                continue
            rows.append((f"{key}[{index}]", row))
        return rows

    def unknown_keys(self, data: dict, allowed: set[str], where: str = "") -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else \
                    f"; allowed: {', '.join(sorted(allowed))}"
                self.fail(f"{where}{key}", f"is not a known field{suggestion}")


def _kind(value: Any) -> str:
    """What a YAML value is, in an editor's words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "a list", dict: "a mapping"}.get(type(value), f"a {type(value).__name__}")


COMMON = {"name", "type", "slug", "aliases", "wikidata", "summary", "references", "note",
          "title", "paragraph_count", "tags", "date", "modified", "status", "lang",
          "former_slugs"}  # checked by redirects.py
BY_TYPE = {
    "organization": {"kind", "founded", "dissolved", "headquarters", "members"},
    "person": {"born", "died", "nationality", "positions"},
    "country": {"capital", "iso3166", "founded", "dissolved"},
    "territory": {"status", "claimed_by", "part_of", "recognitions", "iso3166", "capital"},
}
MEMBERSHIP_FIELDS = {"member", "role", "start", "end", "note", "source"}
POSITION_FIELDS = {"office", "organization", "country", "start", "end", "note", "source"}
RECOGNITION_FIELDS = {"by", "date", "withdrawn", "note", "source"}


def read_entity(metadata: dict, path: str, text: str, stem: str) -> tuple[Entity | None,
                                                                           list[Problem]]:
    """Validate one entity file's metadata; returns the entity (if usable) and problems."""
    check = _Checker(path, text)
    kind = check.text_value(metadata, "type", "type", required=True)
    if kind and kind not in TYPES:
        check.fail("type", f"'{kind}' is not a type; use one of {', '.join(TYPES)}")
        kind = ""
    slug = check.slug_value(metadata, "slug", "slug", required=True)
    if slug and slug != stem:
        check.fail("slug", f"'{slug}' differs from the file name '{stem}.md'; "
                           "rename the file or change the slug so they match")
    name = check.text_value(metadata, "name", "name", required=True)
    summary = check.text_value(metadata, "summary", "summary", required=True)
    if kind:
        check.unknown_keys(metadata, COMMON | BY_TYPE[kind])
    wikidata = check.text_value(metadata, "wikidata", "wikidata") or None
    if wikidata and not QID.match(wikidata):
        check.fail("wikidata", f"'{wikidata}' is not a Wikidata id like 'Q7184'")
    entity = Entity(
        slug=slug or stem, name=name, type=kind or "organization", summary=summary, path=path,
        aliases=check.text_list(metadata, "aliases", "aliases"), wikidata=wikidata,
        note=check.text_value(metadata, "note", "note"),
        references=check.text_list(metadata, "references", "references"),
        founded=check.date_value(metadata, "founded", "founded"),
        dissolved=check.date_value(metadata, "dissolved", "dissolved"),
    )
    if entity.founded and entity.dissolved and entity.dissolved < entity.founded:
        check.fail("dissolved", f"{entity.dissolved} is before founded {entity.founded}")
    if kind:
        _TYPE_READERS[kind](check, metadata, entity)
    if check.problems:
        return (entity if name and slug and kind else None), check.problems
    return entity, []


def _organization(check: _Checker, data: dict, entity: Entity) -> None:
    for key in ("kind", "headquarters"):
        entity.facts[key] = check.text_value(data, key, key)
    for where, row in check.rows(data, "members"):
        check.unknown_keys(row, MEMBERSHIP_FIELDS, f"{where}.")
        member = check.slug_value(row, "member", f"{where}.member", required=True)
        role = check.text_value(row, "role", f"{where}.role", required=True)
        if role.lower().startswith(("former", "ex-")):
            check.fail(f"{where}.role", f"'{role}' is not a role: 'former' follows from the "
                                        "end date; write the role held and set 'end'")
        start, end = _span(check, row, where, "start", "end")
        source = check.text_value(row, "source", f"{where}.source", required=True)
        if member:
            entity.memberships.append(Membership(
                entity.slug, member, role, start, end, check.text_value(row, "note", f"{where}.note"),
                source, check.path, where))


def _person(check: _Checker, data: dict, entity: Entity) -> None:
    entity.facts["born"] = check.date_value(data, "born", "born")
    entity.facts["died"] = check.date_value(data, "died", "died")
    entity.facts["nationality"] = check.slug_value(data, "nationality", "nationality")
    for where, row in check.rows(data, "positions"):
        check.unknown_keys(row, POSITION_FIELDS, f"{where}.")
        office = check.text_value(row, "office", f"{where}.office", required=True)
        organization = check.slug_value(row, "organization", f"{where}.organization")
        country = check.slug_value(row, "country", f"{where}.country")
        start, end = _span(check, row, where, "start", "end")
        source = check.text_value(row, "source", f"{where}.source", required=True)
        entity.positions.append(Position(
            entity.slug, office, organization, country, start, end,
            check.text_value(row, "note", f"{where}.note"), source, check.path, where))


def _country(check: _Checker, data: dict, entity: Entity) -> None:
    entity.facts["capital"] = check.text_value(data, "capital", "capital")
    iso = data.get("iso3166")
    if iso is not None:
        if not isinstance(iso, str) or not ISO3166.match(iso):
            check.fail("iso3166", f"{iso!r} is not an ISO 3166-1 alpha-2 code like 'GE' "
                                  "(quote it: NO would otherwise be read as false)")
        else:
            entity.facts["iso3166"] = iso


def _territory(check: _Checker, data: dict, entity: Entity) -> None:
    _country(check, data, entity)
    entity.facts["status"] = check.text_value(data, "status", "status")
    claimed = []
    for index, slug in enumerate(check.text_list(data, "claimed_by", "claimed_by")):
        if SLUG.match(slug):
            claimed.append(slug)
        else:
            check.fail(f"claimed_by[{index}]", f"'{slug}' is not a slug")
    entity.facts["claimed_by"] = tuple(claimed)
    entity.facts["part_of"] = check.slug_value(data, "part_of", "part_of")
    for where, row in check.rows(data, "recognitions"):
        check.unknown_keys(row, RECOGNITION_FIELDS, f"{where}.")
        by = check.slug_value(row, "by", f"{where}.by", required=True)
        date, withdrawn = _span(check, row, where, "date", "withdrawn")
        source = check.text_value(row, "source", f"{where}.source", required=True)
        if by:
            entity.recognitions.append(Recognition(
                entity.slug, by, date, withdrawn, check.text_value(row, "note", f"{where}.note"),
                source, check.path, where))


def _span(check: _Checker, row: dict, where: str, first: str, last: str):
    start = check.date_value(row, first, f"{where}.{first}")
    end = check.date_value(row, last, f"{where}.{last}")
    if start and end and end.last_day < start.first_day:
        check.fail(f"{where}.{last}", f"{last} {end} is before {first} {start}")
    return start, end


_TYPE_READERS: dict[str, Callable] = {
    "organization": _organization, "person": _person, "country": _country,
    "territory": _territory,
}

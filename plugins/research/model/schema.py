"""Validate entity front-matter and turn it into typed records.

Each problem names the file, the line of the top-level field where we can find it, and the
field path (`members[3].end`), says what is wrong and how to fix it. All problems in a file are
collected, so an editor sees them at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from unidecode import unidecode  # a Pelican dependency

from ..core import contract, dates, types

from ..read import frontmatter
from ..core.cites import Cite, parse_refs
from ..core.contract import SLUG
from ..core.dates import PartialDate
from ..core.errors import Problem
from ..core.normalise import name_key, problems_of_alias
from . import disputed
from .disputed import Alternative, Stage


class _Cited:
    """Rows cite with `refs:` (core/cites.py). `source` is the citations as written, one
    line, for the exports that keep a text column (FtM, SQLite)."""

    refs: tuple[Cite, ...]

    @property
    def source(self) -> str:
        return "; ".join(cite.written() for cite in self.refs)


@dataclass(frozen=True)
class Membership(_Cited):
    organization: str
    member: str
    role: str
    start: PartialDate | None
    end: PartialDate | None
    note: str
    refs: tuple[Cite, ...]
    path: str
    where: str  # field path, e.g. members[3]
    basis: str | None = None  # slug of the treaty it rests on
    rank: str = "normal"  # preferred | normal | deprecated
    alternatives: tuple[Alternative, ...] = ()
    stages: tuple[Stage, ...] = ()
    start_stage: str = ""  # the stage `start` is the date of ("" if not from a stage)
    end_stage: str = ""

    @property
    def is_current(self) -> bool:
        return self.end is None

    @property
    def is_deprecated(self) -> bool:
        return self.rank == "deprecated"


@dataclass(frozen=True)
class Position(_Cited):
    person: str
    office: str
    organization: str | None
    country: str | None
    start: PartialDate | None
    end: PartialDate | None
    note: str
    refs: tuple[Cite, ...]
    path: str
    where: str
    rank: str = "normal"
    alternatives: tuple[Alternative, ...] = ()
    stages: tuple[Stage, ...] = ()
    start_stage: str = ""
    end_stage: str = ""

    @property
    def body(self) -> str | None:
        return self.organization or self.country

    @property
    def is_deprecated(self) -> bool:
        return self.rank == "deprecated"


@dataclass(frozen=True)
class Recognition(_Cited):
    territory: str
    by: str
    date: PartialDate | None
    withdrawn: PartialDate | None
    note: str
    refs: tuple[Cite, ...]
    path: str
    where: str
    rank: str = "normal"
    alternatives: tuple[Alternative, ...] = ()
    stages: tuple[Stage, ...] = ()
    start_stage: str = ""
    end_stage: str = ""

    @property
    def is_deprecated(self) -> bool:
        return self.rank == "deprecated"


@dataclass(frozen=True)
class Party:
    """A party to a treaty (the relation kind `party`), written in the treaty's file."""

    treaty: str
    party: str
    path: str
    where: str  # parties[2]


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
    references: tuple[str, ...] = ()  # reference keys (content/references/)
    facts: dict[str, Any] = field(default_factory=dict)
    founded: PartialDate | None = None
    dissolved: PartialDate | None = None
    memberships: list[Membership] = field(default_factory=list)  # as organization
    positions: list[Position] = field(default_factory=list)  # as person
    recognitions: list[Recognition] = field(default_factory=list)  # as territory
    parties: list[Party] = field(default_factory=list)  # as treaty
    # Where each name and alias is written: form -> (field path, line), for messages.
    written_at: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def index_letter(self) -> str:
        """The A-Z heading the entity is listed under ("Swanström" under S, "Åland" under A)."""
        letter = unidecode(self.name[:1]).upper()[:1]
        return letter if letter.isalpha() else "#"


class _Checker:
    """Reads the fields of one file into typed values once the contract (contract.py) has
    checked them: each reader below is silent about a bad value, which the contract has
    already reported, and only the checks that involve more than one field fail here."""

    def __init__(self, path: str, text: str) -> None:
        self.table = types.DEFAULT  # the site's types and roles
        self.path = path
        self.text = text
        self.locator = frontmatter.Locator(text)
        self.problems: list[Problem] = []

    def line(self, where: str) -> int | None:
        exact = self.locator.line(where)  # the row's own line, not its list's
        if exact is not None:
            return exact
        top = re.split(r"[\[.]", where, maxsplit=1)[0]
        match = re.search(rf"^{re.escape(top)}\s*:", self.text, re.M)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def fail(self, where: str, message: str, code: str) -> None:
        self.problems.append(Problem(self.path, message, self.line(where), where, code))

    @staticmethod
    def text_value(data: dict, key: str) -> str:
        value = data.get(key)
        return value.strip() if isinstance(value, str) else ""

    @staticmethod
    def slug_value(data: dict, key: str) -> str | None:
        value = data.get(key)
        return value.strip() if isinstance(value, str) and SLUG.match(value.strip()) else None

    @staticmethod
    def text_list(data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            return ()
        return tuple(v.strip() for v in value)

    @staticmethod
    def date_value(data: dict, key: str) -> PartialDate | None:
        try:
            return dates.parse_optional(data.get(key))
        except dates.DateError:
            return None

    @staticmethod
    def refs(data: dict) -> tuple[Cite, ...]:
        return parse_refs(data.get("refs"))[0]

    @staticmethod
    def rows(data: dict, key: str) -> list[tuple[str, dict]]:
        value = data.get(key)
        if not isinstance(value, list):
            return []
        return [(f"{key}[{index}]", row) for index, row in enumerate(value)
                if isinstance(row, dict)]


def read_entity(metadata: dict, path: str, text: str, stem: str,
                table: types.TypeTable = types.DEFAULT) -> tuple[Entity | None, list[Problem]]:
    """Validate one entity file's metadata; returns the entity (if usable) and problems.
    `table` says which types there are (an unknown `type:` is a problem naming them)."""
    check = _Checker(path, text)
    check.table = table
    kind = metadata.get("type")
    schema = table.schema(kind) if isinstance(kind, str) else None
    if schema is None:  # the type is wrong or missing: check what every entity has
        base = table.base_schema
        check.problems += contract.validate(base, {
            key: value for key, value in metadata.items()
            if key in base.by_name}, path, check.locator, from_reader=True)
        kind = ""
    else:
        check.problems += contract.validate(schema, metadata, path, check.locator,
                                            from_reader=True)
    slug = check.slug_value(metadata, "slug")
    if slug and slug != stem:
        check.fail("slug", f"'{slug}' differs from the file name '{stem}.md'; "
                           "rename the file or change the slug so they match", "slug.file-name")
    name = check.text_value(metadata, "name")
    wikidata = check.text_value(metadata, "wikidata")
    entity = Entity(
        slug=slug or stem, name=name, type=kind or "organization",
        summary=check.text_value(metadata, "summary"), path=path,
        aliases=_aliases(check, metadata, name), wikidata=wikidata
        if contract.QID.match(wikidata) else None,
        note=check.text_value(metadata, "note"),
        references=check.text_list(metadata, "references"),
        founded=check.date_value(metadata, "founded"),
        dissolved=check.date_value(metadata, "dissolved"),
    )
    entity.written_at = {form: (where, check.line(where)) for form, where in
                         [(name, "name"), *_alias_fields(metadata, entity.aliases)]}
    if entity.founded and entity.dissolved and entity.dissolved < entity.founded:
        check.fail("dissolved", f"{entity.dissolved} is before founded {entity.founded}",
                   "date.order")
    if kind:
        _TYPE_READERS.get(kind, _other)(check, metadata, entity, schema)
    if check.problems:
        return (entity if name and slug and kind else None), check.problems
    return entity, []


def _aliases(check: _Checker, data: dict, name: str) -> tuple[str, ...]:
    """`aliases` and `force_aliases`, each once: an alias written twice in the file, or equal
    to the entity's own name (compared as the linker compares text), is reported at its own
    line, as is one too short, too common, or with invisible or look-alike letters."""
    kept: list[str] = []
    seen = {name_key(name): "name"} if name else {}
    for key, forced in (("aliases", False), ("force_aliases", True)):
        for index, alias in enumerate(check.text_list(data, key)):
            where = f"{key}[{index}]"
            for code, message in problems_of_alias(alias, forced=forced):
                check.fail(where, f"{contract.shown(alias)} {message}", code)
            normal = name_key(alias)
            earlier = seen.get(normal)
            if earlier == "name":
                check.fail(where, f"{contract.shown(alias)} is the entity's own name; remove "
                           "the alias", "alias.is-name")
            elif earlier is not None:
                check.fail(where, f"{contract.shown(alias)} is written twice (also {earlier}, "
                           f"line {check.line(earlier)}); keep one", "alias.duplicate")
            else:
                seen[normal] = where
                # NFC, as text usually is: a decomposed "é" would never match the text
                kept.append(unicodedata.normalize("NFC", alias))
    return tuple(kept)


def _alias_fields(data: dict, kept: tuple[str, ...]) -> list[tuple[str, str]]:
    """(alias, field path) of each kept alias, at its first place in the file."""
    found: dict[str, str] = {}
    for key in ("aliases", "force_aliases"):
        values = data.get(key)
        for index, alias in enumerate([values] if isinstance(values, str) else values or ()):
            form = unicodedata.normalize("NFC", alias.strip()) if isinstance(alias, str) else ""
            if form in kept:
                found.setdefault(form, f"{key}[{index}]" if not isinstance(values, str) else key)
    return list(found.items())


def _other(check: _Checker, data: dict, entity: Entity, schema: contract.Schema) -> None:
    """A type added in the settings: its own fields as facts, as written."""
    common = {f.name for f in contract.ENTITY_COMMON}
    for f in schema.fields:
        if f.name not in common and f.kind != "rows":
            entity.facts[f.name] = data.get(f.name)


def _organization(check: _Checker, data: dict, entity: Entity, _schema=None) -> None:
    for key in ("kind", "headquarters"):
        entity.facts[key] = check.text_value(data, key)
    for where, row in check.rows(data, "members"):
        member = check.slug_value(row, "member")
        role = check.text_value(row, "role")
        if role.lower().startswith(("former", "ex-")):
            check.fail(f"{where}.role", f"{contract.shown(role)} is not a role: 'former' "
                       "follows from the end date; write the role held and set 'end'",
                       "role.former")
        elif role and role.lower() not in check.table.roles:
            known = check.table.role_names
            hint = contract._did_you_mean(role.lower(), known)
            check.fail(f"{where}.role", f"{contract.shown(role)} is not a role this site "
                       f"knows; use one of {', '.join(known)}"
                       + (f"; did you mean '{hint}'?" if hint else
                          " (or add it to ROLES in pelicanconf.py)"), "role.unknown")
        if member and member == entity.slug:
            check.fail(f"{where}.member", f"'{member}' is this organization itself; an "
                       "organization cannot be its own member", "member.self")
            member = None
        start, end, extra = _dated(check, row, where, "start", "end", ("role",))
        if member:
            entity.memberships.append(Membership(
                entity.slug, member, role, start, end, check.text_value(row, "note"),
                check.refs(row), check.path, where, basis=check.slug_value(row, "basis"),
                **extra))


def _person(check: _Checker, data: dict, entity: Entity, _schema=None) -> None:
    entity.facts["born"] = check.date_value(data, "born")
    entity.facts["died"] = check.date_value(data, "died")
    entity.facts["nationality"] = check.slug_value(data, "nationality")
    for where, row in check.rows(data, "positions"):
        start, end, extra = _dated(check, row, where, "start", "end", ("office",))
        entity.positions.append(Position(
            entity.slug, check.text_value(row, "office"), check.slug_value(row, "organization"),
            check.slug_value(row, "country"), start, end, check.text_value(row, "note"),
            check.refs(row), check.path, where, **extra))


def _country(check: _Checker, data: dict, entity: Entity, _schema=None) -> None:
    entity.facts["capital"] = check.text_value(data, "capital")
    iso = data.get("iso3166")
    if isinstance(iso, str) and contract.ISO3166.match(iso):
        entity.facts["iso3166"] = iso


def _territory(check: _Checker, data: dict, entity: Entity, _schema=None) -> None:
    _country(check, data, entity)
    entity.facts["status"] = check.text_value(data, "status")
    claimed = []
    for index, slug in enumerate(check.text_list(data, "claimed_by")):
        if slug == entity.slug:
            check.fail(f"claimed_by[{index}]", f"'{slug}' is this territory itself; list the "
                       "states that claim it", "claim.self")
        elif SLUG.match(slug):
            claimed.append(slug)
    entity.facts["claimed_by"] = tuple(claimed)
    entity.facts["part_of"] = check.slug_value(data, "part_of")
    if entity.facts["part_of"] == entity.slug:
        check.fail("part_of", f"'{entity.slug}' is this territory itself; name the state it "
                   "is part of", "claim.self")
        entity.facts["part_of"] = None
    for where, row in check.rows(data, "recognitions"):
        by = check.slug_value(row, "by")
        date, withdrawn, extra = _dated(check, row, where, "date", "withdrawn", ())
        if by:
            entity.recognitions.append(Recognition(
                entity.slug, by, date, withdrawn, check.text_value(row, "note"),
                check.refs(row), check.path, where, **extra))


def _treaty(check: _Checker, data: dict, entity: Entity, _schema=None) -> None:
    for key in ("kind", "signed_at", "parties_note"):
        entity.facts[key] = check.text_value(data, key)
    entity.facts["signed"] = check.date_value(data, "signed")
    entity.facts["in_force"] = check.date_value(data, "in_force")
    signed, in_force = entity.facts["signed"], entity.facts["in_force"]
    if signed and in_force and in_force.last_day < signed.first_day:
        check.fail("in_force", f"in_force {in_force} is before signed {signed}", "date.order")
    entity.facts["establishes"] = check.slug_value(data, "establishes")
    for index, slug in enumerate(check.text_list(data, "parties")):
        if slug == entity.slug:
            check.fail(f"parties[{index}]", f"'{slug}' is this treaty itself; list the states "
                       "and organizations that are party to it", "party.self")
        elif SLUG.match(slug):
            entity.parties.append(Party(entity.slug, slug, check.path, f"parties[{index}]"))


def _order(check, where, first, start, last, end) -> None:
    # Only a certain reversal is an error: an end whose latest day is before the start's
    # earliest. Overlapping uncertain dates ('1999?' after '1999-04') may both hold.
    if start and end and end.last_day < start.first_day:
        check.fail(f"{where}.{last}", f"{last} {end} is before {first} {start}", "date.order")


def _dated(check: _Checker, row: dict, where: str, first: str, last: str,
           text_fields: tuple[str, ...]):
    """The row's two dates (taken from its `stages` where it leaves them out, and checked
    against them where it gives them) and its rank, alternatives and stages."""
    start = check.date_value(row, first)
    end = check.date_value(row, last)
    stages = disputed.read_stages(check, row, where)
    start, end, start_stage, end_stage = disputed.span_from_stages(
        check, where, start, end, stages, first, last)
    _order(check, where, first, start, last, end)
    alternatives = disputed.read_alternatives(check, row, where, (first, last), text_fields)
    for alternative in alternatives:
        _order(check, alternative.where, first, alternative.get(first, start), last,
               alternative.get(last, end))
    return start, end, {"rank": disputed.rank_of(row), "alternatives": alternatives,
                        "stages": stages, "start_stage": start_stage, "end_stage": end_stage}


_TYPE_READERS: dict[str, Callable] = {
    "organization": _organization, "person": _person, "country": _country,
    "territory": _territory, "treaty": _treaty,
}

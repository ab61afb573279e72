"""The registry: every entity and dated relation of the site, validated across files.

One fact is written once (a membership in its organization's file, a position in its person's
file, a recognition in its territory's file) and the registry answers the questions every page
asks: who belonged to X on date D, what does country Y belong to, who held which office.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from ..core import types as _types
from ..core.dates import PartialDate
from ..core.errors import ContentError, Problem
from ..core.normalise import name_key
from .schema import Entity, Membership, Position, Recognition


def _active(start: PartialDate | None, end: PartialDate | None, on: PartialDate) -> bool:
    """True if the span certainly covers the whole of `on` (partial dates are intervals)."""
    started = start is None or start.last_day <= on.first_day
    ended = end is not None and end.first_day <= on.last_day
    return started and not ended


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    def lo(date):
        return date.first_day if date else None

    def hi(date):
        return date.last_day if date else None
    a_lo, a_hi, b_lo, b_hi = lo(a_start), hi(a_end), lo(b_start), hi(b_end)
    # An end date is the day a row stopped, so a row may start on the day another ended.
    if a_hi is not None and b_lo is not None and a_hi <= b_lo:
        return False
    if b_hi is not None and a_lo is not None and b_hi <= a_lo:
        return False
    return True


@dataclass
class Registry:
    entities: dict[str, Entity] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)
    surface_forms: dict[str, str] = field(default_factory=dict)  # name or alias -> slug
    types: _types.TypeTable = _types.DEFAULT  # the site's entity types, relation kinds, roles
    # Indexes, so that each page's query costs its own rows, not the whole registry.
    _by_organization: dict = field(default_factory=lambda: defaultdict(list))
    _by_member: dict = field(default_factory=lambda: defaultdict(list))
    _by_body: dict = field(default_factory=lambda: defaultdict(list))
    _by_recogniser: dict = field(default_factory=lambda: defaultdict(list))

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, entities: list[Entity],
              types: _types.TypeTable = _types.DEFAULT) -> "Registry":
        """Index and cross-check the entities; raises ContentError listing every problem."""
        registry = cls(types=types)
        problems: list[Problem] = []
        for entity in sorted(entities, key=lambda e: (e.slug, e.path)):
            other = registry.entities.get(entity.slug)
            if other is not None:
                problems.append(Problem(entity.path, f"slug '{entity.slug}' is already used by "
                                        f"{other.path}; every entity needs its own slug",
                                        field="slug", code="slug.duplicate"))
                continue
            registry.entities[entity.slug] = entity
        problems += registry._claim_names()
        for entity in registry.entities.values():
            registry.memberships += entity.memberships
            registry.positions += entity.positions
            registry.recognitions += entity.recognitions
        registry._index()
        problems += registry._check_references()
        problems += registry._check_overlaps()
        problems += registry._check_lifetimes()
        if problems:
            raise ContentError(problems)
        return registry

    def _index(self) -> None:
        for m in self.memberships:
            self._by_organization[m.organization].append(m)
            self._by_member[m.member].append(m)
        for p in self.positions:
            if p.body:
                self._by_body[p.body].append(p)
        for r in self.recognitions:
            self._by_recogniser[r.by].append(r)

    def _claim_names(self) -> list[Problem]:
        """Each name and alias (compared as the linker compares text: normalise.name_key)
        must belong to one entity. A clash is reported once, at the name or alias's own line
        in the file that should change, naming the other file: an alias that is another
        entity's name, else the file edited last (the other one was not touched)."""
        claims: dict[str, list[tuple[Entity, str]]] = defaultdict(list)
        for entity in self.entities.values():  # sorted by slug: deterministic
            for form in dict.fromkeys(entity.names):
                claims[name_key(form)].append((entity, form))
        problems = []
        for key, owners in claims.items():
            entity, form = owners[0]
            self.surface_forms.setdefault(form, entity.slug)
            if len({e.slug for e, _ in owners}) == 1:
                for other_entity, other_form in owners[1:]:
                    self.surface_forms.setdefault(other_form, other_entity.slug)
                continue
            problems.append(self._clash(owners))
        return problems

    @staticmethod
    def _clash(owners: list[tuple[Entity, str]]) -> Problem:
        def is_name(claim):
            return claim[0].written_at.get(claim[1], ("name",))[0] == "name"

        def edited(claim):
            try:
                return os.stat(claim[0].path).st_mtime_ns
            except OSError:
                return 0
        names = [claim for claim in owners if is_name(claim)]
        aliases = [claim for claim in owners if not is_name(claim)]
        if names and aliases:  # the alias is what is wrong: a name is the entity itself
            blamed, kept = max(aliases, key=edited), names[0]
        else:
            blamed = max(owners, key=edited)
            kept = next(claim for claim in owners if claim[0].slug != blamed[0].slug)
        entity, form = blamed
        where, line = entity.written_at.get(form, ("aliases", None))
        other, other_form = kept
        other_where, other_line = other.written_at.get(other_form, ("aliases", None))
        at = f", line {other_line}" if other_line else ""
        what = "its name" if other_where == "name" else f"its {other_where}"
        return Problem(entity.path, f"'{form}' is already a name or alias of '{other.slug}' "
                       f"({what} in {other.path}{at}); an alias must point to one entity. "
                       "Remove it from one file and use [text]{entity=slug} in prose where "
                       "needed", line, where, "alias.clash" if aliases else "name.clash")

    def _check_references(self) -> list[Problem]:
        problems = []

        def need(slug, path, where, types, what):
            if slug is None:
                return
            entity = self.entities.get(slug)
            if entity is None:
                problems.append(Problem(path, f"unknown {what} '{slug}': no entity file has "
                                        "this slug; create it or fix the spelling", field=where,
                                        code="reference.unknown"))
            elif entity.type not in types:
                problems.append(Problem(path, f"'{slug}' is a {entity.type}, but a {what} "
                                        f"must be a {' or '.join(types)}", field=where,
                                        code="reference.type"))

        kinds = self.types.relations
        for m in self.memberships:
            need(m.member, m.path, f"{m.where}.member", kinds["membership"].other_types,
                 "member")
        for p in self.positions:
            need(p.organization, p.path, f"{p.where}.organization", ("organization",),
                 "organization")
            need(p.country, p.path, f"{p.where}.country", ("country", "territory"), "country")
            if p.organization is None and p.country is None:
                problems.append(Problem(p.path, "give the 'organization' or 'country' in "
                                        "which the office is held", field=p.where,
                                        code="position.where"))
        for r in self.recognitions:
            need(r.by, r.path, f"{r.where}.by", kinds["recognition"].other_types,
                 "recognising country")
        for entity in self.entities.values():
            need(entity.facts.get("nationality"), entity.path, "nationality",
                 ("country",), "nationality")
            need(entity.facts.get("part_of"), entity.path, "part_of", ("country",), "country")
            for index, slug in enumerate(entity.facts.get("claimed_by", ())):
                need(slug, entity.path, f"claimed_by[{index}]", ("country", "territory"),
                     "claimant")
        return problems

    def _check_overlaps(self) -> list[Problem]:
        problems = []
        groups = defaultdict(list)
        for m in self.memberships:
            groups[(m.organization, m.member, m.role.lower())].append(m)
        for rows in groups.values():
            for i, a in enumerate(rows):
                for b in rows[i + 1:]:
                    if _overlap(a.start, a.end, b.start, b.end):
                        problems.append(Problem(b.path, f"duplicates {a.where}: '{b.member}' "
                                                f"is {b.role} over overlapping dates; merge the "
                                                "rows or correct the dates", field=b.where,
                                                code="membership.overlap"))
        return problems

    def _check_lifetimes(self) -> list[Problem]:
        problems = []
        for m in self.memberships:
            for slug, what in ((m.organization, "organization"), (m.member, "member")):
                entity = self.entities.get(slug)
                if entity is None:
                    continue
                if entity.founded and m.start and m.start.last_day < entity.founded.first_day:
                    problems.append(Problem(m.path, f"starts {m.start}, before the {what} "
                                            f"'{slug}' existed (founded {entity.founded})",
                                            field=f"{m.where}.start",
                                            code="membership.lifetime"))
                if entity.dissolved and (m.end is None or
                                         m.end.first_day > entity.dissolved.last_day):
                    problems.append(Problem(m.path, f"runs past the end of the {what} '{slug}' "
                                            f"(dissolved {entity.dissolved}); set 'end'",
                                            field=f"{m.where}.end",
                                            code="membership.lifetime"))
        return problems

    # -- queries --------------------------------------------------------------------------

    def of_type(self, kind: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.type == kind),
                      key=lambda e: e.name.casefold())

    def memberships_in(self, organization: str) -> list[Membership]:
        return list(self._by_organization.get(organization, ()))

    def memberships_of(self, member: str) -> list[Membership]:
        return list(self._by_member.get(member, ()))

    def members_on(self, organization: str, on: PartialDate) -> list[Membership]:
        """The rows of `organization` in force on `on`, any role."""
        return [m for m in self.memberships_in(organization) if _active(m.start, m.end, on)]

    def positions_in(self, body: str) -> list[Position]:
        return list(self._by_body.get(body, ()))

    def recognitions_by(self, country: str) -> list[Recognition]:
        return list(self._by_recogniser.get(country, ()))

    @staticmethod
    def is_active(row, on: PartialDate) -> bool:
        start = getattr(row, "start", None) or getattr(row, "date", None)
        end = getattr(row, "end", None) if hasattr(row, "end") else row.withdrawn
        return _active(start, end, on)

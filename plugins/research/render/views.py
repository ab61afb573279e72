"""Tables derived from the registry, in the shape templates need.

Nothing here is stored: "former" is a row whose end date is past, "members on D" is a query.
Templates call these through the `views` object in their context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core import dates
from ..core.dates import PartialDate
from ..model.registry import Registry

# Offices that lead what they are held in ("Secretary General of the CSTO", "President").
_HEAD = re.compile(r"\b(Secretary[- ]General|General Secretary|President|Prime Minister|"
                   r"Chair(?:man|woman|person)?|Director(?:[- ]General)?|Editor[- ]in[- ]Chief|"
                   r"Head|Commander|Chancellor|King|Queen|Emir)\b", re.I)


@dataclass(frozen=True)
class AsOf:
    """A date for which tables are pre-rendered, with what it stands for."""

    date: PartialDate
    label: str  # e.g. "the date of the source article"
    key: str  # a stable id for anchors, e.g. "2008-09-05" or "today"


def as_of_dates(settings: dict) -> list[AsOf]:
    """The dates to pre-render (setting AS_OF_DATES: list of (date or 'today', label))."""
    result = []
    for value, label in settings.get("AS_OF_DATES", [("today", "today")]):
        if value == "today":
            result.append(AsOf(dates.parse(settings.get("SITE_TODAY") or dates.today()),
                               label, "today"))
        else:
            date = dates.parse(value)
            result.append(AsOf(date, label, date.iso()))
    return result


def _grouped(rows, field: str) -> list[tuple[str, object, list]]:
    """Rows with the same role and the same date together ("partner, 1 September 2025:
    Armenia, Azerbaijan, ..."), earliest first; a group keeps the rows' order."""
    groups: dict[tuple, list] = {}
    for row in rows:
        date = getattr(row, field)
        groups.setdefault((row.role, date.iso() if date else ""), []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (
        getattr(item[1][0], field).sort_key() if getattr(item[1][0], field) else (),
        item[0][0]))
    return [(role, getattr(members[0], field), members) for (role, _), members in ordered]


def _by_name(registry: Registry):
    def key(row):
        other = registry.entities.get(row)
        return other.name.casefold() if other else row
    return key


class Views:
    """Queries for templates, bound to one build's registry and dates."""

    def __init__(self, registry: Registry, as_of: list[AsOf], today: PartialDate):
        self.registry = registry
        self.as_of = as_of
        self.today = today

    def is_full_member(self, row) -> bool:
        """A full member (member, founding member, ...): the role vocabulary of core/types.py."""
        return self.registry.types.is_full_member(row.role)

    def is_past(self, row) -> bool:
        end = getattr(row, "end", None) if hasattr(row, "end") else row.withdrawn
        return end is not None and end.first_day <= self.today.last_day

    def organization_tables(self, slug: str) -> dict:
        """Current members, current observers/partners, and former rows of an organization."""
        name = _by_name(self.registry)
        rows = sorted(self.registry.memberships_in(slug),
                      key=lambda m: (name(m.member), m.start.sort_key() if m.start else ()))
        current = [m for m in rows if not self.is_past(m)]
        return {
            "members": [m for m in current if self.is_full_member(m)],
            "others": [m for m in current if not self.is_full_member(m)],
            "former": [m for m in rows if self.is_past(m)],
        }

    def members_on(self, slug: str, on: PartialDate) -> list:
        name = _by_name(self.registry)
        rows = self.registry.members_on(slug, on)
        return sorted(rows, key=lambda m: (not self.is_full_member(m), name(m.member)))

    def memberships_of(self, slug: str) -> list:
        name = _by_name(self.registry)
        return sorted(self.registry.memberships_of(slug),
                      key=lambda m: (name(m.organization),
                                     m.start.sort_key() if m.start else ()))

    def positions_of(self, slug: str) -> list:
        person = self.registry.entities[slug]
        return sorted(person.positions, key=lambda p: p.start.sort_key() if p.start else (),
                      reverse=True)

    def positions_in(self, slug: str) -> list:
        return sorted(self.registry.positions_in(slug),
                      key=lambda p: p.start.sort_key() if p.start else (), reverse=True)

    def recognitions_of(self, slug: str) -> list:
        territory = self.registry.entities[slug]
        return sorted(territory.recognitions,
                      key=lambda r: (r.date.sort_key() if r.date else (), r.by))

    def recognitions_by(self, slug: str) -> list:
        return sorted(self.registry.recognitions_by(slug),
                      key=lambda r: (r.date.sort_key() if r.date else (), r.territory))

    def recognised_on(self, slug: str, on: PartialDate) -> list:
        return [r for r in self.recognitions_of(slug) if self.registry.is_active(r, on)]

    def overlap(self, on: PartialDate) -> dict:
        """Countries x organizations on a date: each cell the rows in force (role, since)."""
        organizations = [e for e in self.registry.of_type("organization")
                         if self.registry.memberships_in(e.slug)]
        cells: dict[tuple[str, str], list] = {}
        for organization in organizations:
            for row in self.registry.members_on(organization.slug, on):
                cells.setdefault((row.member, organization.slug), []).append(row)
        # States that belong to several organizations first, grouped by the combination, so
        # overlaps (the SCO and the CSTO in Central Asia) show at a glance.
        combination = {}
        for member, organization in cells:
            combination.setdefault(member, set()).add(organization)
        position = {o.slug: index for index, o in enumerate(organizations)}
        members = sorted(combination, key=lambda s: (
            -len(combination[s]), sorted(position[o] for o in combination[s]),
            self.registry.entities[s].name.casefold()))
        rows = [self.registry.entities[s] for s in members]
        # The table as rows of cells in column order, so the template does not look up
        # rows x columns pairs (at 3,000 entities the table has ~100,000 cells).
        grid = [(row, [cells.get((row.slug, o.slug), ()) for o in organizations])
                for row in rows]
        return {"organizations": organizations, "rows": rows, "cells": cells, "grid": grid}

    # -- entity page anatomy: key facts, what changed, compact tables ----------------------

    @property
    def article_date(self) -> AsOf | None:
        """The first pre-rendered date that is not "today" (the source article's)."""
        return next((a for a in self.as_of if a.key != "today"), None)

    def member_counts(self, slug: str, on: PartialDate) -> tuple[int, int]:
        """(full members, rows with other roles) in force on `on`."""
        rows = self.registry.members_on(slug, on)
        full = sum(1 for r in rows if self.is_full_member(r))
        return full, len(rows) - full

    def heads(self, slug: str) -> list:
        """The head of `slug` (an office whose title says it leads): the holders now, else
        the most recent one; none if no such office is recorded."""
        rows = [p for p in self.positions_in(slug) if _HEAD.search(p.office)]
        current = [p for p in rows if not self.is_past(p)]
        return current or rows[:1]

    def current_office(self, slug: str):
        """(position, is current) for a person: a current office first, else the latest."""
        rows = self.positions_of(slug)
        current = [p for p in rows if not self.is_past(p)]
        if current:
            return current[0], True
        return (rows[0], False) if rows else (None, False)

    def membership_summary(self, slug: str) -> dict:
        """A member's organizations in one line: now (with role) and formerly."""
        rows = self.memberships_of(slug)
        now = [m for m in rows if not self.is_past(m)]
        held_now = {m.organization for m in now}
        former = [m for m in rows if self.is_past(m) and m.organization not in held_now]
        return {"now": now, "former": former}

    def changes(self, slug: str, since: PartialDate, until: PartialDate) -> dict:
        """What changed in an organization's membership between two dates: who joined, who
        left, whose role changed (rows sorted by name)."""
        name = _by_name(self.registry)
        before = {m.member: m for m in self.registry.members_on(slug, since)}
        after = {m.member: m for m in self.registry.members_on(slug, until)}
        joined = sorted((after[s] for s in after.keys() - before.keys()),
                        key=lambda m: name(m.member))
        left = sorted((before[s] for s in before.keys() - after.keys()),
                      key=lambda m: name(m.member))
        changed = sorted(((before[s], after[s]) for s in before.keys() & after.keys()
                          if before[s].role != after[s].role), key=lambda p: name(p[0].member))
        return {"joined": joined, "left": left, "changed": changed,
                "joined_groups": _grouped(joined, "start"), "left_groups": _grouped(left, "end"),
                "unchanged": len(before.keys() & after.keys()) - len(changed)}

    def numbered_notes(self, rows) -> tuple[list, list]:
        """Sources and row notes as numbered notes: ([(row, [numbers])], [(number, text,
        is_source)]). A text shared by many rows is one note."""
        numbers: dict[tuple[bool, str], int] = {}
        notes, numbered = [], []
        for row in rows:
            mine = []
            for is_source, text in ((True, row.source), (False, getattr(row, "note", ""))):
                if not text:
                    continue
                key = (is_source, str(text))
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    notes.append((numbers[key], text, is_source))
                mine.append(numbers[key])
            numbered.append((row, mine))
        return numbered, notes


def build_views(registry: Registry, settings: dict) -> "Views":
    """The build's views of the registry: the as-of dates of the settings, and today."""
    from ..core.errors import ContentError, Problem

    try:
        as_of = as_of_dates(settings)
    except (dates.DateError, TypeError, ValueError) as err:
        raise ContentError(Problem("pelicanconf.py", f"{err}; write AS_OF_DATES as a list "
                                   "of ('YYYY-MM-DD' or 'today', label) pairs",
                                   field="AS_OF_DATES", code="settings.value")) from None
    today = next((a.date for a in as_of if a.key == "today"), None) or dates.today()
    return Views(registry, as_of, today)

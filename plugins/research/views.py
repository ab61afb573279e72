"""Tables derived from the registry, in the shape templates need.

Nothing here is stored: "former" is a row whose end date is past, "members on D" is a query.
Templates call these through the `views` object in their context.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import dates
from .dates import PartialDate
from .registry import Registry

FULL_MEMBER_ROLES = {"member", "full member", "founding member"}


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
        return row.role.lower() in FULL_MEMBER_ROLES

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

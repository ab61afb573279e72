"""/data/membership-panel.csv: state × organization × year status, in the shape of the
Correlates of War (COW) IGO data's dyadic form (which ends in 2014; ours runs to the build
year). README "Data exports" says how our statuses map to COW's categories.

A year's status is the strongest status (member > observer > partner) of the rows that were
certainly in force on at least one day of that year, by the site's as-of rule (a row is in
force on day d when its start's last day ≤ d < its end's first day); `none` otherwise.

Built from the rows, not from the cells: each row marks the years it covers, so the cost is
the rows' length in years plus one line per written cell. Only pairs that have at least one
row are written (every other pair would be `none` throughout), from 1949 or the later of the
organization's and the state's founding years, to the build year or the earlier of their
dissolution years.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

from .common import STATUSES, BuildData, status_of

FIRST_YEAR = 1949  # the brief's start (NATO's founding year); COW's data start in 1816
COLUMNS = ["state", "organization", "year", "status", "roles"]


def _years_in_force(row, last_year: int, today: dt.date) -> range:
    """The years in which `row` was certainly in force on some day (up to `today`)."""
    first = row.start.last_day if row.start else dt.date(FIRST_YEAR, 1, 1)
    # The last day in force: the day before the end's first day, and never after today.
    last = today if row.end is None else min(today, row.end.first_day - dt.timedelta(days=1))
    if last < first:
        return range(0)
    return range(max(first.year, FIRST_YEAR), min(last.year, last_year) + 1)


def panel_rows(data: BuildData):
    """(state, organization, year, status, roles) for every cell written, sorted."""
    registry = data.registry
    today = data.today.last_day
    last_year = today.year
    rank = {status: index for index, status in enumerate(STATUSES)}
    cells: dict[tuple[str, str], dict[int, tuple[str, set]]] = {}
    states = registry.types.of_type("state")
    for row in registry.memberships:
        member = registry.entities.get(row.member)
        if member is None or member.type not in states:
            continue  # organizations that are members of organizations are not states
        years = cells.setdefault((row.member, row.organization), {})
        status = status_of(row.role, registry.types)
        for year in _years_in_force(row, last_year, today):
            held, roles = years.get(year, ("none", set()))
            roles = roles | {row.role}
            years[year] = (status if rank[status] < rank[held] else held, roles)
    for (state, organization), years in sorted(cells.items()):
        first, last = FIRST_YEAR, last_year
        for slug in (state, organization):
            entity = registry.entities[slug]
            if entity.founded:
                first = max(first, entity.founded.year)
            if entity.dissolved:
                last = min(last, entity.dissolved.year)
        for year in range(first, last + 1):
            status, roles = years.get(year, ("none", ()))
            yield state, organization, year, status, "|".join(sorted(roles))


def panel_lines(rows):
    """The header and the rows (tuples in COLUMNS order, as panel_rows yields them) as CSV
    lines, one at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in itertools.chain([COLUMNS], rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def panel_csv(rows) -> str:
    return "".join(panel_lines(rows))

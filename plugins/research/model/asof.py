"""Three-valued as-of: is a row in force on a date? member / possibly member / not member.

A date is an interval of days, twice over (core/dates.py): strict bounds (what the value as
written can mean) and fuzzy bounds (wider where it is uncertain or approximate). On a day
range `on`:

- **member**: the row certainly started, even at its latest possible start (fuzzy latest
  day ≤ `on`'s first day), and certainly had not ended, even at its earliest possible end
  (fuzzy earliest day > `on`'s last day). For plain dates this is the site's old rule.
- **possibly member**: not certainly, but it may have started (fuzzy earliest ≤ `on`'s last
  day) and may not yet have ended (fuzzy latest > `on`'s first day).
- **not member**: otherwise, and always for a deprecated row.

A row with alternatives (other sources' dates) is a member only if every reading that is not
deprecated says so, and possibly one if any does: a disputed start makes the weeks between
the two dates "possibly".
"""

from __future__ import annotations

from ..core.dates import PartialDate

MEMBER, POSSIBLE, NOT = "member", "possible", "not"
LABELS = {MEMBER: "member", POSSIBLE: "possibly member", NOT: "not member"}


def _fields(row) -> tuple[str, str]:
    return ("date", "withdrawn") if hasattr(row, "withdrawn") else ("start", "end")


def readings(row) -> list[tuple[PartialDate | None, PartialDate | None]]:
    """(start, end) of the row as written and of each alternative not deprecated."""
    first, last = _fields(row)
    start, end = getattr(row, first), getattr(row, last)
    result = [(start, end)]
    for alternative in getattr(row, "alternatives", ()):
        if alternative.rank != "deprecated" and (first in alternative.fields
                                                 or last in alternative.fields):
            result.append((alternative.get(first, start), alternative.get(last, end)))
    return result


def _certain(start, end, on: PartialDate) -> bool:
    started = start is None or (start.fuzzy_latest is not None
                                and start.fuzzy_latest <= on.first_day)
    ended = end is not None and (end.fuzzy_earliest is None
                                 or end.fuzzy_earliest <= on.last_day)
    return started and not ended


def _possible(start, end, on: PartialDate) -> bool:
    started = start is None or start.fuzzy_earliest is None \
        or start.fuzzy_earliest <= on.last_day
    ended = end is not None and end.fuzzy_latest is not None \
        and end.fuzzy_latest <= on.first_day
    return started and not ended


def status(row, on: PartialDate) -> str:
    if getattr(row, "rank", "normal") == "deprecated":
        return NOT
    spans = readings(row)
    if all(_certain(start, end, on) for start, end in spans):
        return MEMBER
    if any(_possible(start, end, on) for start, end in spans):
        return POSSIBLE
    return NOT


def is_uncertain_end(date: PartialDate | None) -> bool:
    """A date whose bounds are not one known day-range: qualified, a set, an interval, an
    open side. Charts draw such an end faded."""
    return date is not None and not date.is_exact

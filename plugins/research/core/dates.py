"""Partial dates: `2006`, `2006-06`, `2006-06-23`, kept at the precision they were written.

A partial date covers an interval of days: `2006-06` is 1 to 30 June 2006. Comparisons that
matter for memberships are made on those bounds (`first_day`, `last_day`), so that nothing is
invented: "member as of 2006-06-15" is true for a start of `2006-06` only if the whole month
is before the query, and the query is never silently rounded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

from .errors import shown

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


class DateError(ValueError):
    """A value that is not a valid partial date; the message says how to write one."""

    @property
    def code(self) -> str:
        """`date.nonexistent` for a day, month or year that does not exist, else `date.format`."""
        text = str(self)
        return "date.nonexistent" if "does not exist" in text or "no month" in text \
            or "no year" in text else "date.format"


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """As written: `2006`, `2006-06` or `2006-06-23`."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """For readers: `2006`, `June 2006`, `23 June 2006`."""
        if self.day:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def sort_key(self) -> tuple:
        """Orders by first day, then a less precise date before a more precise one."""
        return (self.first_day, {"year": 0, "month": 1, "day": 2}[self.precision])

    def __lt__(self, other: "PartialDate") -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        return self.iso()


def parse(value) -> PartialDate:
    """Read a partial date from YAML: a quoted string, a bare year, or a YAML date."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateError(f"{shown(value)} is not a date; write 'YYYY', 'YYYY-MM' or "
                        "'YYYY-MM-DD'")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):  # (named by its type: a list may be huge)
        raise DateError(f"{shown(value)} is not a date; write 'YYYY', 'YYYY-MM' or "
                        "'YYYY-MM-DD'")
    match = _PATTERN.match(value.strip())
    if not match:
        raise DateError(f"{shown(value)} is not a date; write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' "
                        "(keep the precision you know)")
    year, month, day = (int(part) if part else None for part in match.groups())
    if year == 0:  # Python's dates (and ours) start in year 1
        raise DateError(f"'{value}' has no year 0; years run from 0001 to 9999")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{value}' has no month {month}; months run from 01 to 12")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"'{value}' does not exist: {_MONTHS[month - 1]} {year} has "
                            f"{last} days")
    return PartialDate(year, month, day)


def parse_optional(value) -> PartialDate | None:
    if value is None or value == "":
        return None
    return parse(value)


def today() -> PartialDate:
    now = dt.date.today()
    return PartialDate(now.year, now.month, now.day)

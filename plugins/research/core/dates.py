"""Dates as written: `2006`, `2006-06`, `2006-06-23`, and every other EDTF form.

A date covers an interval of days: `2006-06` is 1 to 30 June 2006. Comparisons that
matter for memberships are made on those bounds (`first_day`, `last_day`), so that nothing is
invented: "member as of 2006-06-15" is true for a start of `2006-06` only if the whole month
is before the query, and the query is never silently rounded.

The plain forms are read here (fast, and with the messages editors know); anything else is
EDTF (`1993-12-09?`, `1999-04~`, `199X`, `[1993-09-09,1993-12-09]`, `2012-06-20/2012-06-28`,
`../1994`), read by `edtf_dates`. Both are the one type `PartialDate`: a plain date has
`edtf == ""` and compares equal to `PartialDate(2006, 6)`, so nothing that used plain dates
changes; an EDTF date also carries its strict and fuzzy bounds (`earliest`, `latest`,
`fuzzy_earliest`, `fuzzy_latest`; None for an open end).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

from . import edtf_dates
from .errors import shown

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


class DateError(ValueError):
    """A value that is not a valid partial date; the message says how to write one."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self._code = code

    @property
    def code(self) -> str:
        """`date.nonexistent` for a day, month or year that does not exist, `date.order` for
        an interval written backwards, `date.edtf-unsupported` for EDTF this site does not
        read as one date, else `date.format`."""
        if self._code:
            return self._code
        text = str(self)
        return "date.nonexistent" if "does not exist" in text or "no month" in text \
            or "no year" in text else "date.format"


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    # The EDTF text, for a date that is more than a plain ISO one; "" for a plain date.
    edtf: str = ""

    @property
    def reading(self) -> "edtf_dates.Reading | None":
        return edtf_dates.read(self.edtf) if self.edtf else None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    # -- bounds: strict (what the value as written can mean) and fuzzy (widened where it is
    # uncertain or approximate). None is an open end; first_day/last_day stay dates, with
    # the calendar's ends for an open side, for the arithmetic of charts and sorting.

    @property
    def earliest(self) -> dt.date | None:
        reading = self.reading
        return reading.earliest if reading else self._plain_first()

    @property
    def latest(self) -> dt.date | None:
        reading = self.reading
        return reading.latest if reading else self._plain_last()

    @property
    def fuzzy_earliest(self) -> dt.date | None:
        reading = self.reading
        return reading.fuzzy_earliest if reading else self._plain_first()

    @property
    def fuzzy_latest(self) -> dt.date | None:
        reading = self.reading
        return reading.fuzzy_latest if reading else self._plain_last()

    @property
    def first_day(self) -> dt.date:
        return self.earliest or dt.date.min

    @property
    def last_day(self) -> dt.date:
        return self.latest or dt.date.max

    @property
    def is_exact(self) -> bool:
        """A plain date: its bounds are what it says, with no doubt about them."""
        return not self.edtf

    @property
    def is_fuzzy(self) -> bool:
        """Qualified uncertain or approximate: the fuzzy bounds are wider than the strict."""
        return (self.fuzzy_earliest, self.fuzzy_latest) != (self.earliest, self.latest)

    @property
    def qualifier(self) -> str:
        reading = self.reading
        return reading.qualifier if reading else ""

    @property
    def shape(self) -> str:
        reading = self.reading
        return reading.shape if reading else "date"

    def _plain_first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def _plain_last(self) -> dt.date:
        if self.day:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """As written: `2006`, `2006-06`, `2006-06-23`, or the EDTF text (`1999-04~`)."""
        if self.edtf:
            return self.edtf
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def plain_iso(self) -> str | None:
        """The most precise plain ISO date holding every day this date can mean, for formats
        that take only ISO 8601 (schema.org, FtM): `[1993-09-09,1993-12-09]` is `1993`,
        `1999-04~` is `1999-04` (its strict bounds); an open side or a span of years gives
        None. A plain date is itself."""
        if not self.edtf:
            return self.iso()
        earliest, latest = self.earliest, self.latest
        if earliest is None or latest is None:
            return None
        if earliest == latest:
            return earliest.isoformat()
        if (earliest.year, earliest.month) == (latest.year, latest.month) and earliest.day == 1 \
                and (latest + dt.timedelta(days=1)).day == 1:
            return earliest.isoformat()[:7]
        if earliest.year == latest.year:
            return f"{earliest.year:04d}"  # ISO's year holds both days
        return None

    def human(self) -> str:
        """For readers: `2006`, `June 2006`, `23 June 2006`; `April 1999 (approximate)`,
        `9 September or 9 December 1993`, `between 20 and 28 June 2012`."""
        if self.edtf:
            return self.reading.human
        if self.day:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def sort_key(self) -> tuple:
        """Orders by first day, then a less precise date before a more precise one, then a
        plain date before a qualified one of the same day (then by the text: a total order)."""
        return (self.first_day, {"year": 0, "month": 1, "day": 2}[self.precision],
                self.edtf)

    def __lt__(self, other: "PartialDate") -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        return self.iso()


def parse(value) -> PartialDate:
    """Read a date from YAML: a quoted string (plain or EDTF), a bare year, or a YAML date."""
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
        return _parse_edtf(value)
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


def _parse_edtf(value: str) -> PartialDate:
    text = value.strip()
    plain = _PATTERN.match(text.rstrip("?~%"))
    if plain and text != plain.group(0):  # '2008-02-30?': say the day does not exist
        try:
            parse(plain.group(0))
        except DateError as err:
            raise DateError(str(err).replace(f"'{plain.group(0)}'", shown(value), 1),
                            err.code) from None
    # Only characters EDTF uses reach the parser: anything else ('5/9/2008' aside, which
    # is the EDTF for nothing) is refused with the list of forms, in the words editors know.
    if not text or len(text) > 80 or not _EDTF_CHARS.match(text):
        raise DateError(f"{shown(value)} is not a date; write {edtf_dates.FORMS}")
    try:
        reading = edtf_dates.read(text)
    except edtf_dates.EdtfError as err:
        message = str(err).replace(f"'{text}'", shown(value), 1)
        raise DateError(message, err.code) from None
    return PartialDate(reading.year, reading.month, reading.day, text)


_EDTF_CHARS = re.compile(r"^[0-9X?~%\[\]{},./\- ]+$", re.ASCII)


def parse_optional(value) -> PartialDate | None:
    """None for an empty value, and for `..` alone: an open end is an end not yet known or
    not yet come (a row still in force, an office still held)."""
    if value is None or value == "" or (isinstance(value, str) and value.strip() in ("", "..")):
        return None
    return parse(value)


def one_of(values: list[PartialDate]) -> PartialDate:
    """One date standing for several candidates (two sources' dates for one stage): the set
    `[a,b]` when they are plain, else the first (a set of qualified dates reads poorly)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1 or not all(v.is_exact for v in distinct):
        return distinct[0]
    return parse("[" + ",".join(v.iso() for v in sorted(distinct)) + "]")


def today() -> PartialDate:
    now = dt.date.today()
    return PartialDate(now.year, now.month, now.day)

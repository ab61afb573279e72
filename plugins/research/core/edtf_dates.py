"""EDTF dates beyond plain ISO ones: parsed by the `edtf` package, bounded and worded here.

`dates.parse` reads the plain forms (`2006`, `2006-06`, `2006-06-23`) itself and hands
anything else to `read()` below. The package is only the parser: its own "fuzzy" bounds pad a
day-precise date by a year, a month and a day at once, and it cannot bound an open end
(`..`), so the bounds and the reader's wording are computed here from the parse tree.

Every date is an interval of days in two ways:
- strict bounds: the days the value as written can mean (`1999-04~` is April 1999;
  `[1993-09-09,1993-12-09]` runs from 9 September to 9 December; `199X` is the 1990s);
- fuzzy bounds: the strict ones widened where the value is qualified uncertain (`?`) or
  approximate (`~`): by `PADDING[precision]`, twice that for both (`%`). The as-of views use
  the two to answer member / possibly member / not member.
An open end (`../2012`, `2012-06-20/..`) has no bound on that side (None).
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from edtf import parse_edtf
from edtf.parser import parser_classes as pc
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
# How far an uncertain or approximate value may stray, by the precision it is written at:
# "about 17 June" is the same week, "about April" the month either side, "about 1999" the
# year either side. A value both uncertain and approximate (%) gets twice as much.
PADDING = {"day": relativedelta(days=7), "month": relativedelta(months=1),
           "year": relativedelta(years=1)}
FORMS = ("'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (keep the precision you know), or EDTF: "
         "'1993-12-09?' (uncertain), '1999-04~' (approximate), '1999%' (both), '199X' "
         "(unknown digits), '[1993-09-09,1993-12-09]' (one of), '2012-06-20/2012-06-28' "
         "(between), '../1994' or '2012/..' (open end)")


class EdtfError(ValueError):
    """Valid EDTF or not, a value this site does not read as one date; `code` says why."""

    def __init__(self, message: str, code: str = "date.format") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Reading:
    """What an EDTF value means: the y/m/d it names (for sorting and precision), its strict
    and fuzzy bounds (None: open), how it is qualified, and the reader's wording."""

    year: int
    month: int | None
    day: int | None
    earliest: dt.date | None
    latest: dt.date | None
    fuzzy_earliest: dt.date | None
    fuzzy_latest: dt.date | None
    qualifier: str  # "", "uncertain", "approximate", "uncertain and approximate"
    shape: str  # "date", "set", "interval", "unspecified", "season"
    human: str


@lru_cache(maxsize=4096)  # the same few strings are read on every page of a build
def read(text: str) -> Reading:
    try:
        tree = parse_edtf(text)
    except EDTFParseException:
        raise EdtfError(f"'{text}' is not a date; write {FORMS}") from None
    except Exception:  # noqa: BLE001 — the parser can fail inside (e.g. on '..'); still a bad date
        raise EdtfError(f"'{text}' is not a date; write {FORMS}") from None
    return _Walker(text).reading(tree)


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text

    def refuse(self, what: str) -> EdtfError:
        return EdtfError(f"'{self.text}' is {what}, which is not one date this site reads; "
                         f"write {FORMS}", "date.edtf-unsupported")

    # -- bounds: (earliest, latest, fuzzy earliest, fuzzy latest) --------------------------

    def bounds(self, node) -> tuple:
        if isinstance(node, pc.UnspecifiedIntervalSection):
            return None, None, None, None
        if isinstance(node, (pc.MultipleDates,)):
            raise self.refuse("a list of dates that all hold ({...})")
        if isinstance(node, (pc.LongYear, pc.DateAndTime)):
            raise self.refuse("a long year or a time of day")
        if isinstance(node, pc.OneOfASet):
            parts = [self.bounds(child) for child in node.objects]
            return (_low(p[0] for p in parts), _high(p[1] for p in parts),
                    _low(p[2] for p in parts), _high(p[3] for p in parts))
        if isinstance(node, pc.Interval):  # also Consecutives (a..b) inside a set
            low = self.bounds(node.lower) if node.lower is not None else (None,) * 4
            high = self.bounds(node.upper) if node.upper is not None else (None,) * 4
            if low[0] and high[1] and high[1] < low[0]:
                raise EdtfError(f"'{self.text}' ends before it starts; write the earlier "
                                "date first", "date.order")
            return low[0], high[1], low[2], high[3]
        if isinstance(node, pc.UncertainOrApproximate):
            earliest, latest, _, _ = self.bounds(node.date)
            pad = _padding(_precision(node.date), node.ua)
            return earliest, latest, _minus(earliest, pad), _plus(latest, pad)
        # a Date of some kind: plain, unspecified digits, season, partly qualified
        self.check_year(node)
        earliest = _day(node.lower_strict())
        latest = _day(node.upper_strict())
        pad = relativedelta()
        if isinstance(node, pc.PartialUncertainOrApproximate):
            pad = _partial_padding(node)
        return earliest, latest, _minus(earliest, pad), _plus(latest, pad)

    def check_year(self, node) -> None:
        year = str(getattr(node, "year", "") or "")
        if year.startswith("-"):
            raise self.refuse("a year before the common era")
        if year == "0000":
            raise EdtfError(f"'{self.text}' has no year 0; years run from 0001 to 9999",
                            "date.nonexistent")

    # -- the reading -----------------------------------------------------------------------

    def reading(self, tree) -> Reading:
        earliest, latest, fuzzy_earliest, fuzzy_latest = self.bounds(tree)
        if earliest is None and latest is None:
            raise EdtfError(f"'{self.text}' gives no date at all; leave the field empty if "
                            "nothing is known", "date.format")
        anchor = earliest or latest
        year, month, day = _named(tree) or (anchor.year, None, None)
        shape = ("set" if isinstance(tree, pc.OneOfASet) else
                 "interval" if isinstance(tree, pc.Interval) else
                 "season" if isinstance(tree, pc.Season) else
                 "unspecified" if isinstance(tree, pc.Unspecified) else "date")
        return Reading(year, month, day, earliest, latest, fuzzy_earliest, fuzzy_latest,
                       _qualifier(tree), shape, _words(tree))


# -- helpers ------------------------------------------------------------------------------

def _day(value) -> dt.date | None:
    if isinstance(value, float):  # the package's ±inf for an open end
        return None
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _low(values):
    values = list(values)
    return None if any(v is None for v in values) else min(values)


def _high(values):
    values = list(values)
    return None if any(v is None for v in values) else max(values)


def _minus(day, pad):
    if day is None:
        return None
    try:
        return day - pad
    except OverflowError:
        return dt.date.min


def _plus(day, pad):
    if day is None:
        return None
    try:
        return day + pad
    except OverflowError:
        return dt.date.max


def _precision(node) -> str:
    if getattr(node, "day", None):
        return "day"
    if getattr(node, "month", None):
        return "month"
    return "year"


def _padding(precision: str, ua) -> relativedelta:
    if ua is None:
        return relativedelta()
    pad = PADDING[precision]
    return pad * 2 if ua.is_uncertain_and_approximate else pad


def _partial_padding(node) -> relativedelta:
    """Level 2 qualifies parts (`1993?-12-09`, `2004-06-~17`): pad by the coarsest part
    qualified, since that is how far the value may stray."""
    for precision, names in (("year", ("year_ua", "year_ua_b", "year_month_ua", "all_ua")),
                             ("month", ("month_ua", "month_day_ua", "season_ua")),
                             ("day", ("day_ua",))):
        marks = [getattr(node, name, None) for name in names]
        marks = [m for m in marks if m is not None]
        if marks:
            both = any(m.is_uncertain_and_approximate for m in marks)
            return PADDING[precision] * 2 if both else PADDING[precision]
    return relativedelta()


def _qualifier(node) -> str:
    uncertain = bool(getattr(node, "is_uncertain", False))
    approximate = bool(getattr(node, "is_approximate", False))
    if getattr(node, "is_uncertain_and_approximate", False):
        uncertain = approximate = True
    if isinstance(node, pc.OneOfASet):
        kinds = {_qualifier(child) for child in node.objects} - {""}
        return " and ".join(sorted(kinds)) if len(kinds) == 1 else ""
    return ("uncertain and approximate" if uncertain and approximate else
            "uncertain" if uncertain else "approximate" if approximate else "")


def _ymd(node) -> tuple[int, int | None, int | None] | None:
    """The year, month and day a plain (possibly qualified) date names, else None."""
    if isinstance(node, pc.UncertainOrApproximate):
        return _ymd(node.date)
    if isinstance(node, (pc.Unspecified, pc.Season)) or not isinstance(node, pc.Date):
        return None
    try:
        year = int(node.year)
        month = int(node.month) if node.month else None
        day = int(node.day) if node.day else None
    except (TypeError, ValueError):
        return None
    return year, month, day


def _named(tree):
    """The y/m/d to sort and group by: the date itself, or what a set's or interval's
    earliest and latest days have in common (a set within 1993 is "1993")."""
    plain = _ymd(tree)
    if plain:
        return plain
    return None


def _plain_words(year, month, day, *, with_year=True) -> str:
    if day:
        text = f"{day} {MONTHS[month - 1]}"
    elif month:
        text = MONTHS[month - 1]
    else:
        return str(year)
    return f"{text} {year}" if with_year else text


def _words(node) -> str:
    """The reader's wording: "20 June 1999 (uncertain)", "9 September or 9 December 1993",
    "between 20 and 28 June 2012", "2012 or earlier", "the 1990s"."""
    if isinstance(node, pc.OneOfASet):
        return _joined([_item(child) for child in node.objects], "or")
    if isinstance(node, pc.Interval):
        return _between(node.lower, node.upper)
    return _single(node)


def _single(node) -> str:
    qualifier = _qualifier(node)
    suffix = f" ({qualifier})" if qualifier else ""
    if isinstance(node, pc.UncertainOrApproximate):
        return _single(node.date) + suffix
    if isinstance(node, pc.PartialUncertainOrApproximate):
        plain = _ymd(node)
        base = _plain_words(*plain) if plain else str(node)
        return f"{base} (partly {qualifier})" if qualifier else base
    if isinstance(node, pc.Season):
        season = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}.get(
            int(node.season), "part of")
        return f"{season} {node.year}"
    if isinstance(node, pc.Unspecified):
        return _unspecified(node)
    plain = _ymd(node)
    return _plain_words(*plain) if plain else str(node)


def _unspecified(node) -> str:
    year = str(node.year)
    month = str(node.month or "")
    day = str(node.day or "")
    if "X" in year:
        digits = year.rstrip("X")
        if "X" not in digits and not month and not day:
            width = 4 - len(digits)
            if width == 1:
                return f"the {digits}0s"
            if width == 2:
                return f"the {digits}00s"
        earliest, latest = _day(node.lower_strict()), _day(node.upper_strict())
        return f"a date between {earliest.year} and {latest.year}"
    if "X" in month:
        return f"{int(year)}" + (" (month and day unknown)" if day else "")
    if "X" in day:
        return _plain_words(int(year), int(month), None)
    return str(node)


def _item(node) -> tuple[str, tuple | None]:
    """One member of a set: its words, and (year, month, day) when it is a plain date, so
    that "9 September 1993 or 9 December 1993" can share its year."""
    if isinstance(node, pc.Consecutives):
        return _between(node.lower, node.upper), None
    if isinstance(node, (pc.EarlierConsecutives, pc.LaterConsecutives)):
        return _between(node.lower, node.upper), None
    plain = _ymd(node) if not _qualifier(node) else None
    return _single(node), plain


def _joined(items: list[tuple[str, tuple | None]], word: str) -> str:
    years = {plain[0] for _, plain in items if plain}
    if len(years) == 1 and all(plain and (plain[1] or plain[2]) for _, plain in items):
        year = years.pop()
        texts = [_plain_words(*plain, with_year=False) for _, plain in items]
        return _list(texts, word) + f" {year}"
    return _list([text for text, _ in items], word)


def _list(texts: list[str], word: str) -> str:
    if len(texts) <= 2:
        return f" {word} ".join(texts)
    return ", ".join(texts[:-1]) + f" {word} " + texts[-1]


def _open(node) -> bool:
    return node is None or isinstance(node, pc.UnspecifiedIntervalSection) or \
        (isinstance(node, pc.UncertainOrApproximate) and node.date is None)


def _between(lower, upper) -> str:
    if _open(lower) and _open(upper):
        return "an unknown date"
    if _open(lower):
        return f"{_single(upper)} or earlier"
    if _open(upper):
        return f"{_single(lower)} or later"
    a, b = _ymd(lower), _ymd(upper)
    if a and b and not _qualifier(lower) and not _qualifier(upper) and a[0] == b[0] \
            and (a[1] or a[2]) and (b[1] or b[2]):
        if a[1] == b[1] and a[2] and b[2]:
            return f"between {a[2]} and {b[2]} {MONTHS[b[1] - 1]} {b[0]}"
        return (f"between {_plain_words(*a, with_year=False)} and "
                f"{_plain_words(*b)}")
    return f"between {_single(lower)} and {_single(upper)}"


def month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]

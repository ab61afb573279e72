"""Partial dates: parsing from YAML values, precision, display, bounds and ordering."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from research.core.dates import DateError, PartialDate, parse, parse_optional
from research.read.frontmatter import load_mapping


@pytest.mark.parametrize("value, expected", [
    ("2006", PartialDate(2006)),
    ("2006-06", PartialDate(2006, 6)),
    ("2006-06-23", PartialDate(2006, 6, 23)),
    (" 2006-06-23 ", PartialDate(2006, 6, 23)),
    (2006, PartialDate(2006)),
    (dt.date(2006, 6, 23), PartialDate(2006, 6, 23)),
    (dt.datetime(2006, 6, 23, 12, 30), PartialDate(2006, 6, 23)),
    (PartialDate(1999, 4), PartialDate(1999, 4)),
])
def test_parse_accepts_strings_years_and_dates(value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize("line, expected", [
    ("d: '2006-06-23'", PartialDate(2006, 6, 23)),
    ("d: 2006-06-23", PartialDate(2006, 6, 23)),  # an unquoted YAML date
    ("d: 2006", PartialDate(2006)),  # a bare year is an int
    ("d: '1999-04'", PartialDate(1999, 4)),
    ("d: 1999-04", PartialDate(1999, 4)),  # not a YAML date: stays a string
])
def test_parse_values_as_the_site_yaml_loader_reads_them(line, expected):
    assert parse(load_mapping(line, "x.md")["d"]) == expected


def test_parse_values_from_plain_safe_yaml_too():
    assert parse(yaml.safe_load("d: 2008-09-05")["d"]) == PartialDate(2008, 9, 5)


@pytest.mark.parametrize("text, precision, human, iso", [
    ("2006", "year", "2006", "2006"),
    ("2006-06", "month", "June 2006", "2006-06"),
    ("2006-06-23", "day", "23 June 2006", "2006-06-23"),
    ("1992-05-01", "day", "1 May 1992", "1992-05-01"),
    ("2012-12", "month", "December 2012", "2012-12"),
])
def test_precision_is_kept_as_written(text, precision, human, iso):
    date = parse(text)
    assert date.precision == precision
    assert date.human() == human
    assert date.iso() == iso == str(date)


@pytest.mark.parametrize("text, first, last", [
    ("2006", dt.date(2006, 1, 1), dt.date(2006, 12, 31)),
    ("2006-06", dt.date(2006, 6, 1), dt.date(2006, 6, 30)),
    ("2008-02", dt.date(2008, 2, 1), dt.date(2008, 2, 29)),  # leap year
    ("2009-02", dt.date(2009, 2, 1), dt.date(2009, 2, 28)),
    ("2006-06-23", dt.date(2006, 6, 23), dt.date(2006, 6, 23)),
])
def test_a_partial_date_covers_an_interval_of_days(text, first, last):
    date = parse(text)
    assert (date.first_day, date.last_day) == (first, last)
    assert date.first_day <= date.last_day


def test_ordering_with_mixed_precision():
    written = ["2006-06-23", "2006", "2001-06-15", "2006-06", "2006-01-01", "2006-01", "1999-04"]
    ordered = [d.iso() for d in sorted(parse(t) for t in written)]
    # by first day; on the same first day, the less precise date first
    assert ordered == ["1999-04", "2001-06-15", "2006", "2006-01", "2006-01-01", "2006-06",
                       "2006-06-23"]


def test_comparisons_are_consistent():
    year, month, day = parse("2006"), parse("2006-01"), parse("2006-01-01")
    assert year < month < day
    assert not month < year and year <= month and day > year and day >= day
    assert year != month and month != day
    assert parse("2006-06") == PartialDate(2006, 6)
    assert parse("2005-12-31") < year


@pytest.mark.parametrize("value, fragment", [
    ("2008-02-30", "'2008-02-30' does not exist: February 2008 has 29 days"),
    ("2009-02-29", "'2009-02-29' does not exist: February 2009 has 28 days"),
    ("2006-04-31", "April 2006 has 30 days"),
    ("2008-13", "'2008-13' has no month 13; months run from 01 to 12"),
    ("2008-00", "has no month 0"),
    ("2008-01-00", "January 2008 has 31 days"),
    ("Smarch", "'Smarch' is not a date; write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'"),
    ("06/23/2006", "is not a date"),
    ("2006-6-23", "is not a date"),
    ("", "is not a date"),
    (True, "true is not a date"),  # as YAML writes it
    (3.5, "3.5 is not a date"),
    (["2006"], "is not a date"),
])
def test_invalid_dates_say_what_is_wrong(value, fragment):
    with pytest.raises(DateError) as caught:
        parse(value)
    assert fragment in str(caught.value)


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize("value", [None, ""])
def test_parse_optional_treats_empty_as_absent(value):
    assert parse_optional(value) is None


def test_parse_optional_still_rejects_bad_dates():
    with pytest.raises(DateError):
        parse_optional("2008-02-30")

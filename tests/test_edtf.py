"""EDTF dates (core/dates.py, core/edtf_dates.py), the three-valued as-of (model/asof.py),
ranks, alternatives and legal stages (model/disputed.py), as the build reads them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from research.core import dates
from research.core.dates import DateError, PartialDate, parse
from research.model import asof
from research.model.registry import Registry
from research.model.schema import read_entity

from entity_factory import entity

D = dt.date


@pytest.mark.parametrize("text, earliest, latest, fuzzy_earliest, fuzzy_latest", [
    ("1993-12-09?", D(1993, 12, 9), D(1993, 12, 9), D(1993, 12, 2), D(1993, 12, 16)),
    ("1999-04~", D(1999, 4, 1), D(1999, 4, 30), D(1999, 3, 1), D(1999, 5, 30)),
    ("1999%", D(1999, 1, 1), D(1999, 12, 31), D(1997, 1, 1), D(2001, 12, 31)),
    ("199X", D(1990, 1, 1), D(1999, 12, 31), D(1990, 1, 1), D(1999, 12, 31)),
    ("1993-12-XX", D(1993, 12, 1), D(1993, 12, 31), D(1993, 12, 1), D(1993, 12, 31)),
    ("[1993-09-09,1993-12-09]", D(1993, 9, 9), D(1993, 12, 9), D(1993, 9, 9), D(1993, 12, 9)),
    ("2012-06-20/2012-06-28", D(2012, 6, 20), D(2012, 6, 28), D(2012, 6, 20), D(2012, 6, 28)),
    ("2012-06-20/..", D(2012, 6, 20), None, D(2012, 6, 20), None),
    ("../1994", None, D(1994, 12, 31), None, D(1994, 12, 31)),
    ("1993?-12-09", D(1993, 12, 9), D(1993, 12, 9), D(1992, 12, 9), D(1994, 12, 9)),
])
def test_edtf_bounds(text, earliest, latest, fuzzy_earliest, fuzzy_latest):
    date = parse(text)
    assert (date.earliest, date.latest) == (earliest, latest)
    assert (date.fuzzy_earliest, date.fuzzy_latest) == (fuzzy_earliest, fuzzy_latest)
    assert date.iso() == text == str(date)
    assert not date.is_exact


@pytest.mark.parametrize("text, human", [
    ("[1993-09-09,1993-12-09]", "9 September or 9 December 1993"),
    ("1999-04~", "April 1999 (approximate)"),
    ("1999-06-20?", "20 June 1999 (uncertain)"),
    ("1999%", "1999 (uncertain and approximate)"),
    ("199X", "the 1990s"),
    ("2012-06-20/2012-06-28", "between 20 and 28 June 2012"),
    ("2012-06-20/2012-08-01", "between 20 June and 1 August 2012"),
    ("2012-06-20/..", "20 June 2012 or later"),
    ("../1994", "1994 or earlier"),
    ("[2012-06-20,2012-06-28,2012-07]", "20 June, 28 June or July 2012"),
    ("[1992,1993-12-09]", "1992 or 9 December 1993"),
])
def test_edtf_is_worded_for_readers(text, human):
    assert parse(text).human() == human


@pytest.mark.parametrize("text, code, words", [
    ("5/9/2008", "date.format", "'5/9/2008' is not a date; write 'YYYY', 'YYYY-MM' or "
                                "'YYYY-MM-DD' (keep the precision you know), or EDTF:"),
    ("2008-02-30?", "date.nonexistent", "does not exist: February 2008 has 29 days"),
    ("{1993,1994}", "date.edtf-unsupported", "a list of dates that all hold"),
    ("-0100", "date.edtf-unsupported", "a year before the common era"),
    ("2012-06-28/2012-06-20", "date.order", "ends before it starts"),
    ("0000?", "date.nonexistent", "has no year 0"),
    ("Sept 2008~", "date.format", "is not a date"),
])
def test_bad_edtf_is_refused_with_a_code(text, code, words):
    with pytest.raises(DateError) as caught:
        parse(text)
    assert caught.value.code == code
    assert words in str(caught.value)


def test_an_open_end_alone_is_no_end():
    assert dates.parse_optional("..") is None
    assert dates.parse_optional(" ") is None


def test_plain_iso_prefix_for_iso_only_formats():
    assert parse("[1993-09-09,1993-12-09]").plain_iso() == "1993"
    assert parse("1999-04~").plain_iso() == "1999-04"
    assert parse("1993-12-09?").plain_iso() == "1993-12-09"
    assert parse("2012-06-20/..").plain_iso() is None
    assert parse("1993-12-09").plain_iso() == "1993-12-09"


def test_one_of_makes_a_set_of_plain_dates():
    assert dates.one_of([parse("2012-06-28"), parse("2012-06-20")]).iso() == \
        "[2012-06-20,2012-06-28]"
    assert dates.one_of([parse("2012-06-20"), parse("2012-06-20")]).iso() == "2012-06-20"


# -- properties: bounds are ordered, plain dates keep their meaning -----------------------

_days = st.dates(min_value=D(1000, 1, 1), max_value=D(9998, 12, 31))


@given(_days, st.sampled_from(["day", "month", "year"]), st.sampled_from(["", "?", "~", "%"]))
def test_bounds_are_ordered(day, precision, qualifier):
    text = {"day": day.isoformat(), "month": day.isoformat()[:7],
            "year": day.isoformat()[:4]}[precision] + qualifier
    date = parse(text)
    assert date.fuzzy_earliest <= date.earliest <= day <= date.latest <= date.fuzzy_latest


@given(_days, _days)
def test_sets_and_intervals_span_their_members(a, b):
    low, high = sorted((a, b))
    for text in (f"[{low},{high}]", f"{low}/{high}"):
        date = parse(text)
        assert (date.earliest, date.latest) == (low, high)


@given(_days, st.sampled_from(["day", "month", "year"]))
def test_plain_dates_are_unchanged(day, precision):
    text = {"day": day.isoformat(), "month": day.isoformat()[:7],
            "year": day.isoformat()[:4]}[precision]
    date = parse(text)
    assert date.is_exact and date.edtf == ""
    assert date == PartialDate(*(int(part) for part in text.split("-")))
    assert (date.earliest, date.latest) == (date.fuzzy_earliest, date.fuzzy_latest) == \
        (date.first_day, date.last_day)


# -- three-valued as-of --------------------------------------------------------------------

def _bloc(*rows):
    return Registry.build([entity("bloc", "organization", members=list(rows)),
                           entity("aa", "country"), entity("bb", "country")])


def _row(**fields):
    return {"member": "aa", "role": "member", "refs": ["test-key"], **fields}


@pytest.mark.parametrize("start, end, on, expected", [
    ("2000-01-01", None, "2001", asof.MEMBER),
    ("2000-01-01", "2005-01-01", "2005-01-01", asof.NOT),  # the end day is out
    ("2000-06", None, "2000-06-15", asof.POSSIBLE),  # a month-precise start mid-month
    ("2000-06-10~", None, "2000-06-12", asof.POSSIBLE),
    ("2000-06-10~", None, "2000-06-18", asof.MEMBER),  # past the week of doubt
    ("2000-06-10~", None, "2000-06-02", asof.NOT),
    ("[1993-09-09,1993-12-09]", None, "1993-10-01", asof.POSSIBLE),
    ("[1993-09-09,1993-12-09]", None, "1993-12-10", asof.MEMBER),
    ("2000", "2012-06-20/2012-06-28", "2012-06-24", asof.POSSIBLE),
    ("2000", "2012-06-20/2012-06-28", "2012-06-29", asof.NOT),
    ("2012-06-20/..", None, "2020", asof.POSSIBLE),  # never certainly started
    ("2000", "../2012", "2011", asof.POSSIBLE),  # may have ended any day before 2013
])
def test_three_valued_as_of(start, end, on, expected):
    registry = _bloc(_row(start=start, end=end))
    assert asof.status(registry.memberships[0], parse(on)) == expected


def test_a_normal_alternative_makes_the_gap_possible_and_a_deprecated_one_does_not():
    registry = _bloc(_row(start="1993-12-09", alternatives=[{"start": "1993-09-09",
                                                              "note": "other source"}]),
                     {**_row(start="1993-12-09", alternatives=[
                         {"start": "1993-09-09", "rank": "deprecated"}]), "member": "bb"})
    normal, deprecated = sorted(registry.memberships, key=lambda m: m.member)
    on = parse("1993-10-01")
    assert asof.status(normal, on) == asof.POSSIBLE
    assert asof.status(deprecated, on) == asof.NOT
    assert asof.status(normal, parse("1994")) == asof.MEMBER


def test_a_deprecated_row_is_shown_but_never_in_force_or_counted():
    registry = _bloc(_row(start="2000"), {**_row(start="2001", rank="deprecated"),
                                          "member": "bb"})
    assert [m.member for m in registry.memberships_in("bloc")] == ["aa", "bb"]
    assert [m.member for m in registry.members_on("bloc", parse("2005"))] == ["aa"]
    assert registry.possible_members_on("bloc", parse("2005")) == []


def test_a_deprecated_row_does_not_overlap_the_row_it_contradicts():
    _bloc(_row(start="2000"), _row(start="1999", rank="deprecated"))  # no ContentError


# -- stages ----------------------------------------------------------------------------

def _read(**row):
    metadata = {"name": "Bloc", "type": "organization", "slug": "bloc", "summary": "s",
                "members": [_row(**row)]}
    return read_entity(metadata, "content/entities/organizations/bloc.md", "", "bloc")


def test_start_and_end_come_from_the_stages_by_the_rule():
    record, problems = _read(stages=[
        {"stage": "decision", "date": "2006-06-23"},
        {"stage": "signature", "date": "2006-08-16"},
        {"stage": "ratification", "date": "2006-12-13"},
        {"stage": "withdrawal-notified", "date": "2012-06-20"},
        {"stage": "suspension", "date": "2012-12-19"}])
    assert problems == []
    row = record.memberships[0]
    assert (row.start.iso(), row.start_stage) == ("2006-08-16", "signature")
    assert (row.end.iso(), row.end_stage) == ("2012-12-19", "suspension")


def test_entry_into_force_wins_and_two_unranked_dates_make_a_set():
    record, _ = _read(stages=[
        {"stage": "signature", "date": "2005-03-01"},
        {"stage": "entry-into-force", "date": "2005-06-01"},
        {"stage": "withdrawal-effective", "date": "2012-06-20"},
        {"stage": "withdrawal-effective", "date": "2012-06-28"}])
    row = record.memberships[0]
    assert row.start.iso() == "2005-06-01"
    assert row.end.iso() == "[2012-06-20,2012-06-28]"


def test_a_preferred_stage_wins_and_a_deprecated_one_is_never_used():
    record, _ = _read(stages=[
        {"stage": "ratification", "date": "2008-03-28", "rank": "deprecated"},
        {"stage": "signature", "date": "2006-08-16", "rank": "preferred"},
        {"stage": "signature", "date": "2006-08-17"}])
    assert record.memberships[0].start.iso() == "2006-08-16"


def test_a_given_start_names_its_stage_or_is_a_mismatch():
    record, problems = _read(start="2006-06-23", stages=[
        {"stage": "decision", "date": "2006-06-23"}, {"stage": "signature", "date": "2006-08-16"}])
    assert problems == [] and record.memberships[0].start_stage == "decision"
    _, problems = _read(start="2007-01-01", stages=[{"stage": "signature", "date": "2006-08-16"}])
    assert [p.code for p in problems] == ["stage.mismatch"]
    assert "start 2007-01-01 is the date of none of the row's stages (signature 2006-08-16)" \
        in problems[0].message


def test_an_alternative_that_overrides_nothing_is_reported():
    _, problems = _read(start="2000", alternatives=[{"note": "no value"}])
    assert [p.code for p in problems] == ["alternative.empty"]


def test_rank_and_stage_names_are_choices():
    _, problems = _read(start="2000", rank="best",
                        stages=[{"stage": "signing", "date": "2000"}])
    assert sorted(p.code for p in problems) == ["field.choice", "field.choice"]

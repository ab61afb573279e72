"""/data/membership-panel.csv: statuses by year from the membership rows."""

from __future__ import annotations

import csv
import io

from research.core import dates
from research.export.formats import panel
from research.export.formats.common import BuildData, status_of
from research.model.registry import Registry
from research.render.views import AsOf, Views
from entity_factory import entity, pages, row


def small_data(today="2026-06-30") -> BuildData:
    sco = entity("sco", "organization", founded="2001-06-15", members=[
        row("russia", "member", "2001-06-15"),
        row("india", "observer", "2005-07", "2017-06-09"),
        row("india", "member", "2017-06-09"),
        row("nepal", "dialogue partner", "2015", "2025-09-01"),
        row("nepal", "partner", "2025-09-01"),
    ])
    csto = entity("csto", "organization", founded="1992-05-15", members=[
        row("russia", "member", "1992-05-15"),
        row("uzbekistan", "member", "1992-05-15", "1999-04"),
        row("uzbekistan", "member", "2006-06-23", "2012-12-19"),
        row("armenia", "member", "1992", "1992-05"),  # never certainly in force
        row("sco", "partner", "2007-10-05"),  # an organization: not a state
    ])
    nato = entity("nato", "organization", founded="1949-04-04", members=[
        row("united-kingdom", "member", "1949-04-04")])
    countries = [entity(s, "country") for s in ("russia", "india", "nepal", "uzbekistan",
                                                "united-kingdom", "armenia")]
    registry = Registry.build([sco, csto, nato, *countries])
    today = dates.parse(today)
    views = Views(registry, [AsOf(dates.parse("2008-09-05"), "the article", "2008-09-05"),
                             AsOf(today, "today", "today")], today)
    return BuildData(registry, views, [], [], "", pages([sco, csto, nato, *countries]))


def cells(rows):
    return {(state, organization, year): (status, roles)
            for state, organization, year, status, roles in rows}


def test_statuses_by_year():
    got = cells(panel.panel_rows(small_data()))
    assert got[("india", "sco", 2004)] == ("none", "")
    # Observer from July 2005: certainly in force on some day of 2005 (the month's end).
    assert got[("india", "sco", 2005)] == ("observer", "observer")
    # 2017: observer, then member on 9 June; the stronger status wins, both roles are named.
    assert got[("india", "sco", 2017)] == ("member", "member|observer")
    assert got[("india", "sco", 2018)] == ("member", "member")
    assert got[("nepal", "sco", 2015)] == ("partner", "dialogue partner")
    assert got[("nepal", "sco", 2025)] == ("partner", "dialogue partner|partner")
    # Uzbekistan and the CSTO: out from April 1999 until June 2006.
    assert got[("uzbekistan", "csto", 1999)] == ("member", "member")
    assert got[("uzbekistan", "csto", 2000)] == ("none", "")
    assert got[("uzbekistan", "csto", 2006)] == ("member", "member")
    assert got[("uzbekistan", "csto", 2013)] == ("none", "")
    # A row that started some time in 1992 and ended in May 1992 is never certainly in force.
    assert {status for (state, _, _), (status, _) in got.items() if state == "armenia"} == {
        "none"}


def test_years_run_within_both_lifetimes_and_up_to_the_build_year():
    years = {}
    for state, organization, year, _, _ in panel.panel_rows(small_data()):
        years.setdefault((state, organization), []).append(year)
    assert years[("united-kingdom", "nato")][0] == 1949
    assert years[("india", "sco")][0] == 2001  # the SCO was founded in 2001
    assert years[("russia", "csto")][0] == 1992
    assert all(ys[-1] == 2026 for ys in years.values())
    # Only pairs with a row; organizations as members are not states.
    assert set(years) == {("india", "sco"), ("nepal", "sco"), ("russia", "sco"),
                          ("russia", "csto"), ("uzbekistan", "csto"), ("armenia", "csto"),
                          ("united-kingdom", "nato")}


def test_the_build_year_counts_only_up_to_today():
    data = small_data(today="2025-08-31")  # before Nepal's partner row began
    got = cells(panel.panel_rows(data))
    assert got[("nepal", "sco", 2025)] == ("partner", "dialogue partner")


def test_roles_map_to_statuses():
    assert status_of("member") == status_of("founding member") == "member"
    assert status_of("observer") == "observer"
    assert status_of("dialogue partner") == status_of("partner") == "partner"


def test_csv_has_the_documented_columns():
    text = panel.panel_csv(panel.panel_rows(small_data()))
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == panel.COLUMNS
    assert len(list(reader)) == len(list(panel.panel_rows(small_data())))


def test_the_real_panel_agrees_with_the_article(real_site):
    rows = list(csv.DictReader((real_site[1] / "data" / "membership-panel.csv").open()))
    got = {(r["state"], r["organization"], r["year"]): r["status"] for r in rows}
    # p-18: Kyrgyzstan belonged to both the CSTO and the SCO in 2008.
    assert got[("kyrgyzstan", "csto", "2008")] == "member"
    assert got[("kyrgyzstan", "sco", "2008")] == "member"
    assert got[("georgia", "csto", "2008")] == "none"
    assert len(rows) == len(set((r["state"], r["organization"], r["year"]) for r in rows))

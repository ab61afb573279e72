"""Membership views (as-of, current/former, overlap), SVG timelines and the data exports."""

from __future__ import annotations

import csv
import json

import pytest

from research.core import dates
from research.export.tables import MEMBERSHIP_COLUMNS, write_exports
from research.model.registry import Registry
from research.render.svg_timeline import membership_svg
from research.render.views import Views, as_of_dates
from entity_factory import entity, pages, row


@pytest.fixture
def registry():
    csto = entity("csto", "organization", founded="1992-05-15", members=[
        row("russia", "member", "1992-05-15"),
        row("uzbekistan", "member", "1992-05-15", "1999-04"),
        row("uzbekistan", "member", "2006-06-23", "2012-12-19"),
        row("armenia", "member", "1992-05-15"),
    ])
    sco = entity("sco", "organization", founded="2001-06-15", members=[
        row("russia", "member", "2001-06-15"),
        row("uzbekistan", "member", "2001-06-15"),
        row("india", "observer", "2005-07", "2017-06-09"),
        row("india", "member", "2017-06-09"),
    ])
    countries = [entity(s, "country") for s in ("russia", "uzbekistan", "armenia", "india")]
    abkhazia = entity("abkhazia", "territory", recognitions=[
        {"by": "russia", "date": "2008-08-26", "refs": ["decree"]},
        {"by": "india", "date": "2011", "withdrawn": "2014-03-31", "refs": ["made-up-for-test"]},
    ])
    return Registry.build([csto, sco, abkhazia, *countries])


def views(registry, today="2026-11-27"):
    return Views(registry, [], dates.parse(today))


@pytest.mark.parametrize("on, expected", [
    ("1995-01-01", ["armenia", "russia", "uzbekistan"]),
    ("1999-04-15", ["armenia", "russia"]),     # ended some time in April 1999: not certain
    ("1999", ["armenia", "russia"]),            # the year as a whole is not covered
    ("2003-01-01", ["armenia", "russia"]),
    ("2008-09-05", ["armenia", "russia", "uzbekistan"]),  # returned in 2006
    ("2012-12-19", ["armenia", "russia"]),     # suspended that day
    ("2020", ["armenia", "russia"]),
])
def test_members_on_a_date_with_a_membership_that_ended_and_restarted(registry, on, expected):
    rows = views(registry).members_on("csto", dates.parse(on))
    assert sorted(m.member for m in rows) == expected


def test_organization_tables_split_current_others_and_former(registry):
    tables = views(registry).organization_tables("sco")
    assert [m.member for m in tables["members"]] == ["india", "russia", "uzbekistan"]
    assert tables["others"] == []
    assert [(m.member, m.role) for m in tables["former"]] == [("india", "observer")]
    # seen from 2010, the observer row is current and the membership is in the future
    early = views(registry, "2010-01-01").organization_tables("sco")
    assert [(m.member, m.role) for m in early["others"]] == [("india", "observer")]


def test_former_is_derived_from_end_dates_not_roles(registry):
    tables = views(registry).organization_tables("csto")
    assert {m.member for m in tables["former"]} == {"uzbekistan"}
    assert all(m.role == "member" for m in tables["former"])


def test_overlap_matrix_lists_states_in_several_organizations_first(registry):
    matrix = views(registry).overlap(dates.parse("2008-09-05"))
    assert [o.slug for o in matrix["organizations"]] == ["csto", "sco"]
    assert [e.slug for e in matrix["rows"]][:2] == ["russia", "uzbekistan"]
    assert [m.role for m in matrix["cells"][("india", "sco")]] == ["observer"]
    assert ("armenia", "sco") not in matrix["cells"]


def test_recognitions_on_a_date_include_withdrawn_ones_only_while_in_force(registry):
    v = views(registry)
    assert [r.by for r in v.recognised_on("abkhazia", dates.parse("2012-01-01"))] == [
        "russia", "india"]
    assert [r.by for r in v.recognised_on("abkhazia", dates.parse("2015"))] == ["russia"]
    assert [r.by for r in v.recognitions_of("abkhazia")] == ["russia", "india"]


def test_as_of_dates_setting_parses_dates_and_today():
    points = as_of_dates({"AS_OF_DATES": [("2008-09-05", "article"), ("today", "today")],
                          "SITE_TODAY": "2026-01-02"})
    assert [(p.key, p.date.iso(), p.label) for p in points] == [
        ("2008-09-05", "2008-09-05", "article"), ("today", "2026-01-02", "today")]
    with pytest.raises(dates.DateError):
        as_of_dates({"AS_OF_DATES": [("2008-02-30", "impossible")]})


def test_timeline_svg_has_a_bar_per_row_and_an_accessible_title(registry):
    names = {slug: e.name for slug, e in registry.entities.items()}
    svg = membership_svg("CSTO timeline", registry.memberships_in("csto"), names,
                         dates.parse("2026-11-27"), [(dates.parse("2008-09-05"), "article")])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    wide, narrow = svg.split("</svg>")[:2]  # names beside the bars; above them, for phones
    for drawing in (wide, narrow):
        assert drawing.count('<rect class="bar member"') == 4
        assert drawing.count('class="label"') == 3  # one row per member, not per membership
    assert '<title id="tl-title">CSTO timeline</title>' in wide
    assert '<title id="tl-n-title">CSTO timeline</title>' in narrow


def test_exports_follow_the_documented_contract(registry, tmp_path):
    written = write_exports(registry, tmp_path, pages(registry.entities.values()),
                            "https://example.test")
    assert "data/memberships.csv" in written
    memberships = json.loads((tmp_path / "data" / "memberships.json").read_text())
    assert list(memberships) == ["memberships"]
    for item in memberships["memberships"]:
        assert list(item) == MEMBERSHIP_COLUMNS
        assert item["role"] and "former" not in item["role"]
        for key in ("start", "end"):
            assert item[key] is None or dates.parse(item[key]).iso() == item[key]
    uzbek = [m for m in memberships["memberships"]
             if m["organization"] == "csto" and m["member"] == "uzbekistan"]
    assert [(m["start"], m["end"]) for m in uzbek] == [("1992-05-15", "1999-04"),
                                                      ("2006-06-23", "2012-12-19")]
    entities = json.loads((tmp_path / "data" / "entities.json").read_text())["entities"]
    assert {e["type"] for e in entities} <= {"organization", "person", "country", "territory"}
    assert entities[0].keys() == {"slug", "name", "type", "url", "aliases"}
    assert all(e["url"].startswith("https://example.test/") for e in entities)
    with open(tmp_path / "data" / "memberships.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(memberships["memberships"])
    assert rows[0].keys() == set(MEMBERSHIP_COLUMNS)


def test_exports_are_byte_identical_across_runs(registry, tmp_path):
    write_exports(registry, tmp_path / "a", pages(registry.entities.values()))
    write_exports(registry, tmp_path / "b", pages(registry.entities.values()))
    for name in ("entities", "memberships", "positions", "recognitions"):
        for suffix in ("json", "csv"):
            first = (tmp_path / "a" / "data" / f"{name}.{suffix}").read_bytes()
            assert first == (tmp_path / "b" / "data" / f"{name}.{suffix}").read_bytes()

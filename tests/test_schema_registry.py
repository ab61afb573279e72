"""Entity front-matter validation (schema.py) and cross-file checks and queries (registry.py).

Each entity is written as a real file in tmp_path, split by the front-matter loader and
validated by `read_entity`, as the entity generator does; problems must name that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from research.read import frontmatter
from research.core.dates import PartialDate, parse
from research.core.errors import ContentError
from research.model.registry import Registry
from research.model.schema import read_entity

SOURCE = 'refs: [collective-security-treaty-1992]'

RUSSIA = """\
name: Russia
type: country
slug: russia
aliases: [Russian, Moscow]
iso3166: RU
summary: A country.
"""
GEORGIA = """\
name: Georgia
type: country
slug: georgia
iso3166: GE
summary: A country.
"""
UZBEKISTAN = """\
name: Uzbekistan
type: country
slug: uzbekistan
summary: A country.
"""
CSTO = f"""\
name: Collective Security Treaty Organization
type: organization
slug: csto
aliases: [CSTO]
founded: '1992-05-15'
summary: A military alliance.
members:
  - member: russia
    role: member
    start: '1992-05-15'
    end:
    {SOURCE}
  - member: uzbekistan
    role: member
    start: '1992-05-15'
    end: '1999-04'
    {SOURCE}
  - member: uzbekistan
    role: member
    start: '2006-06-23'
    end: '2012-12-19'
    {SOURCE}
  - member: georgia
    role: member
    start: '1993-12-09'
    end: '1999'
    {SOURCE}
"""


def write(root: Path, folder: str, stem: str, front: str, body: str = "About it.\n") -> Path:
    """Write an entity file; line N of `front` is line N + 1 of the file (after '---')."""
    path = root / "entities" / folder / f"{stem}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def load(path: Path):
    text = path.read_text(encoding="utf-8")
    document = frontmatter.split(text, str(path))
    return read_entity(document.metadata, str(path), text, path.stem)


def problems_of(path: Path) -> list[str]:
    _entity, problems = load(path)
    return [str(p) for p in problems]


def entity(path: Path):
    found, problems = load(path)
    assert problems == [], problems
    return found


def registry_of(*paths: Path) -> Registry:
    return Registry.build([entity(p) for p in paths])


def registry_problems(*paths: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        registry_of(*paths)
    return [str(p) for p in caught.value.problems]


def only(problems: list[str], fragment: str) -> str:
    found = [p for p in problems if fragment in p]
    assert len(found) == 1, problems
    return found[0]


# -- schema: one file ----------------------------------------------------------------------

def test_a_valid_organization_becomes_records(tmp_path):
    csto = entity(write(tmp_path, "organizations", "csto", CSTO))
    assert (csto.slug, csto.type, csto.name, csto.aliases) == (
        "csto", "organization", "Collective Security Treaty Organization", ("CSTO",))
    assert csto.founded == PartialDate(1992, 5, 15)
    assert [(m.member, m.start, m.end) for m in csto.memberships] == [
        ("russia", parse("1992-05-15"), None),
        ("uzbekistan", parse("1992-05-15"), parse("1999-04")),
        ("uzbekistan", parse("2006-06-23"), parse("2012-12-19")),
        ("georgia", parse("1993-12-09"), parse("1999"))]
    assert [m.where for m in csto.memberships] == [f"members[{i}]" for i in range(4)]
    assert all(m.organization == "csto" and m.path.endswith("csto.md")
               for m in csto.memberships)
    assert csto.memberships[0].is_current and not csto.memberships[1].is_current


@pytest.mark.parametrize("front, fragment, line", [
    (RUSSIA + "capitol: Moscow\n", "capitol: is not a known field; did you mean 'capital'?", 8),
    (RUSSIA + "sumary: x\n", "sumary: is not a known field; did you mean 'summary'?", 8),
    (RUSSIA + "aliasses: [x]\n", "did you mean 'aliases'?", 8),
    (RUSSIA + "members: []\n", "members: is not a known field", 8),  # not for a country
])
def test_unknown_field_suggests_a_known_one(tmp_path, front, fragment, line):
    path = write(tmp_path, "countries", "russia", front)
    problem = only(problems_of(path), fragment)
    assert problem.startswith(f"{path}:{line}: ")


def test_unknown_field_in_a_membership_row(tmp_path):
    front = CSTO.replace("    role: member\n    start: '1992-05-15'\n    end:\n",
                         "    role: member\n    started: '1992-05-15'\n    end:\n", 1)
    problem = only(problems_of(write(tmp_path, "organizations", "csto", front)),
                   "members[0].started: is not a known field; did you mean 'start'?")
    assert "csto.md" in problem


@pytest.mark.parametrize("field", ["name", "type", "slug", "summary"])
def test_missing_required_field(tmp_path, field):
    front = "".join(line + "\n" for line in RUSSIA.splitlines()
                    if not line.startswith(f"{field}:"))
    path = write(tmp_path, "countries", "russia", front)
    problem = only(problems_of(path), f"{field}: is required")
    assert problem.startswith(str(path))


def test_missing_required_field_in_a_row(tmp_path):
    front = CSTO.replace("  - member: russia\n    role: member\n", "  - member: russia\n", 1)
    only(problems_of(write(tmp_path, "organizations", "csto", front)),
         "members[0].role: is required")


def test_bad_slug(tmp_path):
    path = write(tmp_path, "countries", "russia", RUSSIA.replace("slug: russia", "slug: ../etc"))
    problem = only(problems_of(path), "'../etc' is not a valid slug")
    assert problem.startswith(f"{path}:4: slug: ")
    assert "lowercase letters, digits and single hyphens" in problem
    entity_, _ = load(path)
    assert entity_ is None  # nothing unusable reaches the registry


@pytest.mark.parametrize("slug", ["Russia", "south_ossetia", "-russia", "russia-", "a--b", "é"])
def test_other_bad_slugs(tmp_path, slug):
    path = write(tmp_path, "countries", "russia", RUSSIA.replace("slug: russia", f"slug: '{slug}'"))
    only(problems_of(path), "is not a valid slug")


def test_slug_must_match_file_name(tmp_path):
    path = write(tmp_path, "countries", "russian-federation", RUSSIA)
    problem = only(problems_of(path), "'russia' differs from the file name "
                                      "'russian-federation.md'")
    assert problem.startswith(f"{path}:4: slug: ")


@pytest.mark.parametrize("value", ["Georgia", "ge", "GEO", "'G1'", "1"])
def test_bad_iso_code(tmp_path, value):
    path = write(tmp_path, "countries", "georgia",
                 GEORGIA.replace("iso3166: GE", f"iso3166: {value}"))
    problem = only(problems_of(path), "is not an ISO 3166-1 alpha-2 code like 'GE'")
    assert problem.startswith(f"{path}:5: iso3166: ")


def test_iso_code_no_is_not_read_as_false(tmp_path):
    norway = GEORGIA.replace("Georgia", "Norway").replace("georgia", "norway") \
        .replace("iso3166: GE", "iso3166: NO")
    assert entity(write(tmp_path, "countries", "norway", norway)).facts["iso3166"] == "NO"


@pytest.mark.parametrize("value", ["7184", "Q0123", "q7184", "Q", "Q7184x"])
def test_bad_wikidata_id(tmp_path, value):
    path = write(tmp_path, "countries", "russia", RUSSIA + f"wikidata: '{value}'\n")
    problem = only(problems_of(path), f"'{value}' is not a Wikidata id like 'Q7184'")
    assert problem.startswith(f"{path}:8: wikidata: ")


def test_good_wikidata_id(tmp_path):
    assert entity(write(tmp_path, "countries", "russia",
                        RUSSIA + "wikidata: Q159\n")).wikidata == "Q159"


def test_impossible_date(tmp_path):
    front = CSTO.replace("end: '1999-04'", "end: '2008-02-30'")
    path = write(tmp_path, "organizations", "csto", front)
    problem = only(problems_of(path), "members[1].end: '2008-02-30' does not exist: "
                                      "February 2008 has 29 days")
    assert problem.startswith(f"{path}:")


def test_impossible_top_level_date_has_its_line(tmp_path):
    path = write(tmp_path, "organizations", "csto", CSTO.replace("'1992-05-15'\nsummary",
                                                                 "'1992-13'\nsummary"))
    problem = only(problems_of(path), "founded: '1992-13' has no month 13")
    assert problem.startswith(f"{path}:6: ")


def test_end_before_start(tmp_path):
    front = CSTO.replace("start: '2006-06-23'", "start: '2013-01-01'")
    path = write(tmp_path, "organizations", "csto", front)
    problem = only(problems_of(path), "members[2].end: end 2012-12-19 is before start 2013-01-01")
    assert str(path) in problem


def test_end_in_the_same_month_as_a_partial_start_is_allowed(tmp_path):
    # '2006-06' may be 1 June; an end on 10 June is not certainly before it
    front = CSTO.replace("start: '2006-06-23'\n    end: '2012-12-19'",
                         "start: '2006-06'\n    end: '2006-06-10'")
    assert problems_of(write(tmp_path, "organizations", "csto", front)) == []


def test_dissolved_before_founded(tmp_path):
    path = write(tmp_path, "organizations", "csto",
                 CSTO.replace("founded: '1992-05-15'\n",
                              "founded: '1992-05-15'\ndissolved: '1991'\n"))
    only(problems_of(path), "dissolved: 1991 is before founded 1992-05-15")


@pytest.mark.parametrize("role", ["former member", "Former member", "ex-member"])
def test_former_is_not_a_role(tmp_path, role):
    front = CSTO.replace("    role: member\n    start: '1992-05-15'\n    end: '1999-04'",
                         f"    role: {role}\n    start: '1992-05-15'\n    end: '1999-04'")
    path = write(tmp_path, "organizations", "csto", front)
    problem = only(problems_of(path), f"members[1].role: '{role}' is not a role: 'former' "
                                      "follows from the end date")
    assert problem.startswith(str(path))


def test_unknown_type(tmp_path):
    path = write(tmp_path, "countries", "russia", RUSSIA.replace("type: country", "type: nation"))
    only(problems_of(path), "type: 'nation' is not a type; use one of organization, person, "
                            "country, territory")


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    front = RUSSIA.replace("slug: russia", "slug: ../etc").replace("iso3166: RU", "iso3166: ru")
    problems = problems_of(write(tmp_path, "countries", "russia",
                                 front + "wikidata: x\ncapitol: y\n"))
    assert len(problems) == 4
    for fragment in ("not a valid slug", "ISO 3166-1", "Wikidata", "did you mean 'capital'"):
        only(problems, fragment)


# -- registry: across files ----------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    """The valid files of a small site, by slug."""
    return {
        "russia": write(tmp_path, "countries", "russia", RUSSIA),
        "georgia": write(tmp_path, "countries", "georgia", GEORGIA),
        "uzbekistan": write(tmp_path, "countries", "uzbekistan", UZBEKISTAN),
        "csto": write(tmp_path, "organizations", "csto", CSTO),
    }


def test_a_valid_site_builds_a_registry(site):
    registry = registry_of(*site.values())
    assert set(registry.entities) == {"russia", "georgia", "uzbekistan", "csto"}
    assert registry.surface_forms["Moscow"] == "russia"
    assert registry.surface_forms["CSTO"] == "csto"
    assert [e.slug for e in registry.of_type("country")] == ["georgia", "russia", "uzbekistan"]
    assert len(registry.memberships_in("csto")) == 4
    assert [m.start for m in registry.memberships_of("uzbekistan")] == [
        parse("1992-05-15"), parse("2006-06-23")]


def test_duplicate_slug_in_two_files(site, tmp_path):
    other = write(tmp_path, "territories", "georgia",
                  GEORGIA.replace("type: country", "type: territory"))
    problem = only(registry_problems(*site.values(), other), "slug 'georgia' is already used by")
    # the problem is located in one of the two files and names the other
    paths = {str(site["georgia"]), str(other)}
    [located] = [p for p in paths if problem.startswith(p + ":")]
    assert (paths - {located}).pop() in problem
    assert "every entity needs its own slug" in problem


def test_alias_claimed_by_two_entities(site, tmp_path):
    soviet = write(tmp_path, "countries", "soviet-union",
                   "name: Soviet Union\ntype: country\nslug: soviet-union\n"
                   "aliases: [Moscow, USSR]\nsummary: A former state.\n")
    problem = only(registry_problems(*site.values(), soviet),
                   "'Moscow' is already a name or alias of")
    assert str(site["russia"]) in problem and str(soviet) in problem
    assert "an alias must point to one entity" in problem


def test_an_alias_equal_to_another_entitys_name(site, tmp_path):
    other = write(tmp_path, "countries", "georgia-us",
                  "name: Georgia (U.S. state)\ntype: country\nslug: georgia-us\n"
                  "aliases: [Georgia]\nsummary: A state.\n")
    problem = only(registry_problems(*site.values(), other), "'Georgia' is already a name")
    assert str(site["georgia"]) in problem and str(other) in problem


def test_an_alias_equal_to_the_entitys_own_name_is_reported(tmp_path):
    # (it was once tolerated, and then shown and exported twice)
    path = write(tmp_path, "countries", "georgia", GEORGIA + "aliases: [Sakartvelo, Georgia]\n")
    _entity, problems = load(path)
    assert [(p.code, p.line, p.field) for p in problems] == [("alias.is-name", 7, "aliases[1]")]


def test_unknown_member_slug(site):
    del site["uzbekistan"]
    problems = registry_problems(*site.values())
    assert len([p for p in problems if "unknown member 'uzbekistan'" in p]) == 2
    problem = only(problems, "members[1].member: unknown member 'uzbekistan'")
    assert problem.startswith(str(site["csto"]))
    assert "no entity file has this slug" in problem


def test_member_of_the_wrong_type(site, tmp_path):
    lavrov = write(tmp_path, "people", "sergei-lavrov",
                   "name: Sergei Lavrov\ntype: person\nslug: sergei-lavrov\nsummary: A man.\n")
    front = CSTO.replace("member: georgia", "member: sergei-lavrov")
    csto = write(tmp_path, "organizations", "csto", front)
    problem = only(registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto,
                                     lavrov), "'sergei-lavrov' is a person, but a member")
    assert problem.startswith(str(csto))


def test_unknown_references_in_person_and_territory(site, tmp_path):
    person = write(tmp_path, "people", "sergei-lavrov",
                   "name: Sergei Lavrov\ntype: person\nslug: sergei-lavrov\nsummary: A man.\n"
                   "nationality: rusia\npositions:\n  - office: Foreign Minister\n"
                   "    country: rusia\n    start: '2004-03-09'\n    refs: [x]\n")
    territory = write(tmp_path, "territories", "abkhazia",
                      "name: Abkhazia\ntype: territory\nslug: abkhazia\nsummary: A region.\n"
                      "claimed_by: [georgia, atlantis]\nrecognitions:\n  - by: nicaragua\n"
                      "    date: '2008-09-05'\n    refs: [x]\n")
    problems = registry_problems(*site.values(), person, territory)
    only(problems, "nationality: unknown nationality 'rusia'")
    only(problems, "positions[0].country: unknown country 'rusia'")
    only(problems, "claimed_by[1]: unknown claimant 'atlantis'")
    assert only(problems, "recognitions[0].by: unknown recognising country 'nicaragua'") \
        .startswith(str(territory))


def test_overlapping_duplicate_rows(site, tmp_path):
    front = CSTO.replace("start: '2006-06-23'", "start: '1999-03'")
    csto = write(tmp_path, "organizations", "csto", front)
    problem = only(registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto),
                   "duplicates members[1]")
    assert problem.startswith(f"{csto}: members[2]: ")
    assert "'uzbekistan' is member over overlapping dates" in problem


def test_open_ended_rows_overlap(site, tmp_path):
    front = CSTO.replace("  - member: georgia", f"  - member: russia\n    role: Member\n"
                         f"    start: '2002'\n    {SOURCE}\n  - member: georgia")
    csto = write(tmp_path, "organizations", "csto", front)
    only(registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto),
         "duplicates members[0]: 'russia'")


def test_rows_with_different_roles_do_not_overlap(site, tmp_path):
    front = CSTO.replace("  - member: georgia", f"  - member: uzbekistan\n    role: observer\n"
                         f"    start: '2000'\n    {SOURCE}\n  - member: georgia")
    csto = write(tmp_path, "organizations", "csto", front)
    registry_of(site["russia"], site["georgia"], site["uzbekistan"], csto)


def test_membership_before_the_organization_was_founded(site, tmp_path):
    front = CSTO.replace("start: '1993-12-09'", "start: '1991-12-26'")
    csto = write(tmp_path, "organizations", "csto", front)
    problem = only(registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto),
                   "starts 1991-12-26, before the organization 'csto' existed "
                   "(founded 1992-05-15)")
    assert problem.startswith(f"{csto}: members[3].start: ")


def test_a_partial_start_that_may_be_after_founding_is_allowed(site, tmp_path):
    csto = write(tmp_path, "organizations", "csto",
                 CSTO.replace("start: '1993-12-09'", "start: '1992'"))
    registry_of(site["russia"], site["georgia"], site["uzbekistan"], csto)


def test_membership_of_a_dissolved_member_needs_an_end(site, tmp_path):
    soviet = write(tmp_path, "countries", "soviet-union",
                   "name: Soviet Union\ntype: country\nslug: soviet-union\nsummary: A state.\n"
                   "founded: '1922-12-30'\ndissolved: '1991-12-26'\n")
    front = CSTO.replace("founded: '1992-05-15'", "founded: '1950'") \
        .replace("member: georgia", "member: soviet-union") \
        .replace("start: '1993-12-09'\n    end: '1999'", "start: '1960'\n    end:")
    csto = write(tmp_path, "organizations", "csto", front)
    problem = only(registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto,
                                     soviet), "runs past the end of the member 'soviet-union'")
    assert problem.startswith(f"{csto}: members[3].end: ")


def test_registry_reports_every_problem_at_once(site, tmp_path):
    front = CSTO.replace("start: '1993-12-09'", "start: '1991'") \
        .replace("member: russia", "member: rusia")
    csto = write(tmp_path, "organizations", "csto", front)
    problems = registry_problems(site["russia"], site["georgia"], site["uzbekistan"], csto)
    only(problems, "unknown member 'rusia'")
    only(problems, "before the organization 'csto' existed")


# -- registry queries ------------------------------------------------------------------------

@pytest.mark.parametrize("on, member", [
    ("1992-05-14", False),  # the day before the treaty
    ("1992-05-15", True),   # the day it was signed
    ("1995", True),
    ("1999-03-31", True),   # the last day certainly before an end of April 1999
    ("1999-04-15", False),  # April 1999: the membership may already have lapsed
    ("1999-04", False),
    ("1999-05", False),
    ("2003", False),
    ("2006-06-22", False),
    ("2006-06-23", True),   # the day it rejoined
    ("2006-06", False),     # only part of June 2006
    ("2006", False),        # only part of 2006
    ("2008-09-05", True),
    ("2012-12-18", True),
    ("2012-12-20", False),
    ("2013", False),
])
def test_members_on_for_a_membership_that_ended_and_restarted(site, on, member):
    registry = registry_of(*site.values())
    members = {m.member for m in registry.members_on("csto", parse(on))}
    assert ("uzbekistan" in members) is member
    assert "russia" in members or parse(on) < parse("1992-05-15")


def test_members_on_returns_the_row_in_force(site):
    registry = registry_of(*site.values())
    [row] = [m for m in registry.members_on("csto", parse("2008-09-05"))
             if m.member == "uzbekistan"]
    assert row.where == "members[2]" and row.start == parse("2006-06-23")


def test_members_on_with_a_year_end(site):
    # Georgia's row ends in '1999': only dates certainly before 1999 count
    registry = registry_of(*site.values())

    def georgia_on(day):
        return "georgia" in {m.member for m in registry.members_on("csto", parse(day))}
    assert georgia_on("1998-12-31")
    assert not georgia_on("1999-01-01")
    assert not georgia_on("1993-12")  # only part of December 1993
    assert georgia_on("1994")


def test_members_on_an_unknown_organization_is_empty(site):
    assert registry_of(*site.values()).members_on("sco", parse("2008")) == []


def test_is_active_agrees_with_members_on(site):
    registry = registry_of(*site.values())
    for day in ("1992-05-15", "1999-04", "2008-09-05", "2013"):
        on = parse(day)
        assert [m for m in registry.memberships_in("csto") if Registry.is_active(m, on)] == \
            registry.members_on("csto", on)

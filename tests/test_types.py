"""The type tables (core/types.py): loaded without Pelican, extended from settings, and the
one role classifier that tables, maps, the timeline bars and the exports share."""

from __future__ import annotations

import pytest

from entity_factory import entity, row
from research.core import types
from research.core.errors import ContentError
from research.export.formats.common import status_of
from research.model import schema
from research.model.registry import Registry
from research.render import maps
from research.render.svg_timeline import membership_svg
from research.render.views import Views
from research.core.dates import parse


def test_defaults_without_pelican():
    table = types.build({})
    assert table.entity_names[:4] == ("organization", "person", "country", "territory")
    assert table.entities["country"].folder == "countries"
    assert table.entities["person"].plural == "People"
    assert table.entities["territory"].jsonld == "Place"
    assert table.categories == {"sources": "source", "briefings": "briefing"}
    assert table.numbered_folders() == ["sources", "briefings"]
    assert table.numbered_folders(strict=True) == ["sources"]
    assert types.of({}) is types.DEFAULT


def test_settings_merge_over_the_defaults():
    table = types.build({"ENTITY_TYPES": {"country": {"folder": "states"}},
                         "DOCUMENT_KINDS": {"briefing": {"category": "notes"}},
                         "ROLES": {"candidate": "other"}})
    assert table.entities["country"].folder == "states"
    assert table.entities["country"].page_url == "states/{slug}/"
    assert table.categories["notes"] == "briefing"
    assert table.role_class("Candidate") == "other"
    assert types.DEFAULT.entities["country"].folder == "countries"  # defaults untouched


def test_a_new_type_from_settings():
    table = types.build({"ENTITY_TYPES": {"company": {
        "folder": "companies", "label": "company", "plural": "Companies",
        "class_name": "Company", "template": "entity", "jsonld": "Corporation",
        "shape": "square", "schema": [("registered", "partial-date", "when registered")]}}})
    assert "company" in table.entity_names
    assert "registered" in table.schema("company").by_name
    assert "company" in table.schema("company").by_name["type"].choices


@pytest.mark.parametrize("entry, words", [
    ({"country": {"colour": "red"}}, "unknown field(s) colour"),
    ({"company": {"folder": "companies"}}, "a new type needs label"),
    ({"company": "companies"}, "must be a mapping of fields"),
])
def test_bad_settings_are_problems_not_tracebacks(entry, words):
    with pytest.raises(ContentError) as err:
        types.build({"ENTITY_TYPES": entry})
    assert words in str(err.value.problems[0])
    assert err.value.problems[0].code == "settings.value"


def test_unknown_type_names_the_known_ones():
    text = "---\nname: Georgia\ntype: nation\nslug: georgia\nsummary: A state.\n---\n"
    metadata = {"name": "Georgia", "type": "nation", "slug": "georgia", "summary": "A state."}
    _, problems = schema.read_entity(metadata, "georgia.md", text, "georgia")
    assert [str(p) for p in problems] == [
        "georgia.md:3: type: 'nation' is not a type; use one of "
        + ", ".join(types.DEFAULT.entity_names)]


def test_unknown_role_is_a_problem():
    text = "---\nname: X\ntype: organization\nslug: x\nsummary: An alliance.\nmembers:\n" \
           "  - member: russia\n    role: obsever\n    source: s\n---\n"
    metadata = {"name": "X", "type": "organization", "slug": "x", "summary": "An alliance.",
                "members": [{"member": "russia", "role": "obsever", "source": "s"}]}
    _, problems = schema.read_entity(metadata, "x.md", text, "x")
    assert problems[0].code == "role.unknown"
    assert "did you mean 'observer'?" in problems[0].message


ROLES = ["member", "founding member", "full member", "observer", "dialogue partner",
         "partner", "associate", "suspended"]


@pytest.mark.parametrize("role", ROLES)
def test_one_classifier_for_tables_maps_bars_and_exports(role):
    """Each user of roles classifies a role as the vocabulary does: the table's split into
    members and others, the map's colour, the timeline bar's class, the panel's status."""
    expected = types.DEFAULT.role_class(role)
    org = entity("org", "organization", name="Org", members=[row("state", role, "2001")])
    state = entity("state", "country", name="State")
    registry = Registry.build([org, state])
    m = org.memberships[0]
    views = Views(registry, [], parse("2020"))
    tables = views.organization_tables("org")
    assert (m in tables["members"]) == (expected == "member")
    assert maps.role_class(role, registry.types) == expected
    assert f'class="bar {expected}"' in membership_svg("t", [m], {"state": "State"},
                                                       parse("2020"))
    assert status_of(role) == expected


def test_founding_member_is_a_member_everywhere():
    assert {types.DEFAULT.role_class("Founding member"), maps.role_class("founding member"),
            status_of("founding member")} == {"member"}

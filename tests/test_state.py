"""The build state (core/state.py): entity pages are kept in it, not on Pelican's objects."""

from __future__ import annotations

import copy
import dataclasses

from entity_factory import Page, entity
from research.core.state import BuildState
from research.model.schema import Entity


def test_each_entity_page_is_found_from_its_slug_and_back():
    state = BuildState({})
    csto, russia = entity("csto", "organization"), entity("russia", "country")
    pages = {"csto": Page("organizations/csto/"), "russia": Page("countries/russia/")}
    for record in (csto, russia):
        state.add_page(record, pages[record.slug])
    assert state.pages == pages and state.page_of("russia") is pages["russia"]
    assert state.entity_of(pages["csto"]) is csto and state.entity_of(pages["russia"]) is russia
    # A document, a copy of an entity page (a redirect's former page) or an unknown slug is
    # no entity page.
    assert state.entity_of(Page("sources/x/")) is None
    assert state.entity_of(copy.copy(pages["csto"])) is None
    assert state.page_of("nato") is None


def test_a_replaced_page_is_no_longer_its_entitys():
    state = BuildState({})
    csto = entity("csto", "organization")
    old, new = Page("a/"), Page("b/")
    state.add_page(csto, old)
    state.add_page(csto, new)
    assert state.entity_of(new) is csto and state.entity_of(old) is None


def test_entity_records_carry_no_page():
    assert "page" not in {f.name for f in dataclasses.fields(Entity)}

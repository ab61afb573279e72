"""/data/entities.ftm.json, validated more strictly than FtM's own `validate` (which accepts a
Membership without an organization and ignores unknown properties, and whose proxy silently
drops or rewrites values): every property is known to the schema, every value is unchanged by
FtM's cleaning, every required property of the schema and its parents is present, and every
entity reference points at an id in the file whose schema is in the property's range."""

from __future__ import annotations

import json

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData

from research.core import dates
from research.export.formats import ftm
from research.export.formats.common import BuildData
from research.core.errors import ContentError
from research.render.views import Views


def read_ftm(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def ftm_problems(entities: list[dict]) -> list[str]:
    """Everything wrong with a list of FtM entity dicts (empty if they pass)."""
    problems = []
    by_id = {}
    for data in entities:
        if data["id"] in by_id:
            problems.append(f"{data['id']}: id used twice")
        by_id[data["id"]] = data
    for data in entities:
        where = data["id"]
        if set(data) - {"id", "schema", "properties"}:
            problems.append(f"{where}: unknown keys {sorted(set(data))}")
        schema = model.get(data["schema"])
        if schema is None or schema.abstract:
            problems.append(f"{where}: {data['schema']} is not a concrete schema")
            continue
        properties = data["properties"]
        for name, values in properties.items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"{where}: {schema.name} has no property {name}")
                continue
            if not values or not all(isinstance(v, str) for v in values):
                problems.append(f"{where}.{name}: values must be a non-empty list of strings")
                continue
            for value in values:
                cleaned = prop.type.clean(value, proxy=None)
                if cleaned != value:
                    problems.append(f"{where}.{name}: {value!r} is cleaned to {cleaned!r}")
                if prop.type.name == "entity":
                    target = by_id.get(value)
                    if target is None:
                        problems.append(f"{where}.{name}: no entity {value!r} in the file")
                    elif not model.get(target["schema"]).is_a(prop.range):
                        problems.append(f"{where}.{name}: {value} is a {target['schema']}, "
                                        f"not a {prop.range.name}")
        # The proxy keeps every value (nothing dropped or truncated on the way in).
        proxy = model.get_proxy(data, cleaned=False)
        if proxy.to_dict()["properties"] != properties:
            problems.append(f"{where}: the proxy does not keep the properties unchanged")
        required = {r for s in schema.schemata for r in s.required}
        for name in sorted(required - set(properties)):
            problems.append(f"{where}: required property {schema.name}.{name} is missing")
        try:
            schema.validate(data)
        except InvalidData as err:
            problems.append(f"{where}: {err}")
    return problems


@pytest.fixture(scope="module")
def local_ftm(real_site):
    return read_ftm(real_site[1] / "data" / "entities.ftm.json")


def test_the_real_sites_entities_pass_the_strict_check(local_ftm, real_site):
    assert ftm_problems(local_ftm) == []
    registry_size = json.loads((real_site[1] / "data" / "entities.json").read_text())
    # every entity: each type has an FtM schema (core/types.py; treaties are Contracts)
    from research.core import types
    assert all(kind.ftm for kind in types.DEFAULT.entities.values())
    slugs = {e["slug"] for e in registry_size["entities"]}
    assert slugs and slugs <= {e["id"] for e in local_ftm}
    assert any(e["type"] == "treaty" for e in registry_size["entities"])


def test_the_published_build_has_absolute_source_urls(published_site):
    output, siteurl = published_site
    entities = read_ftm(output / "data" / "entities.ftm.json")
    assert ftm_problems(entities) == []
    [sco] = [e for e in entities if e["id"] == "sco"]
    assert sco["properties"]["sourceUrl"] == [f"{siteurl}/organizations/sco/"]


def test_the_strict_check_catches_what_ftm_lets_through():
    membership = {"id": "m.1", "schema": "Membership", "properties": {
        "member": ["russia"], "role": ["member"], "colour": ["red"],
        "startDate": ["1992?"]}}
    russia = {"id": "russia", "schema": "Territory", "properties": {"name": ["Russia"]}}
    problems = ftm_problems([membership, russia])
    assert any("required property Membership.organization" in p for p in problems)
    assert any("has no property colour" in p for p in problems)
    assert any("'1992?' is cleaned to" in p for p in problems)
    assert any("russia is a Territory, not a LegalEntity" in p for p in problems)


def test_schemata_follow_the_model(local_ftm):
    by_id = {e["id"]: e for e in local_ftm}
    assert by_id["sco"]["schema"] == "Organization"
    assert by_id["russia"]["schema"] == "PublicBody"  # a member must be a LegalEntity
    assert by_id["russia"]["properties"]["country"] == ["ru"]
    assert by_id["abkhazia"]["schema"] == "Territory"
    assert by_id["sergei-lavrov"]["schema"] == "Person"
    assert by_id["sergei-lavrov"]["properties"]["nationality"] == ["ru"]
    memberships = [e for e in local_ftm if e["schema"] == "Membership"]
    kyrgyz = [m["properties"] for m in memberships
              if m["properties"]["member"] == ["kyrgyzstan"]
              and m["properties"]["organization"] == ["sco"]]
    assert kyrgyz == [{**kyrgyz[0], "role": ["member"], "startDate": ["2001-06-15"]}]
    recognitions = [e["properties"] for e in local_ftm if e["schema"] == "UnknownLink"]
    assert any(r["subject"] == ["russia"] and r["object"] == ["abkhazia"]
               and r["role"] == ["recognition"] and r["startDate"] == ["2008-08-26"]
               for r in recognitions)
    lavrov = [e for e in local_ftm if e["schema"] == "Occupancy"
              and e["properties"]["holder"] == ["sergei-lavrov"]]
    posts = {by_id[o["properties"]["post"][0]]["properties"]["name"][0]: o["properties"]
             for o in lavrov}
    assert posts["Minister of Foreign Affairs"]["startDate"] == ["2004-03-09"]
    assert "endDate" not in posts["Minister of Foreign Affairs"]


def test_documents_and_what_they_mention(local_ftm, real_site):
    by_id = {e["id"]: e for e in local_ftm}
    source = by_id["sources.moscows-search-for-intl-backing-continues"]
    assert source["schema"] == "Article"
    assert source["properties"]["publishedAt"] == ["2008-09-05T09:18:00"]  # 05:18 EDT
    assert source["properties"]["author"] == ["Patrick Goodenough"]
    mentioned = {e["properties"]["entity"][0] for e in local_ftm
                 if e["schema"] == "Documentation"
                 and e["properties"]["document"] == [source["id"]]}
    assert {"csto", "sco", "russia", "georgia", "abkhazia"} <= mentioned
    page = (real_site[1] / "organizations" / "csto" / "index.html").read_text()
    assert "moscows-search-for-intl-backing-continues" in page  # the page lists it too


class _Page:
    url = "x/"


def test_a_value_ftm_would_change_fails_the_build():
    from research.model.registry import Registry
    from research.model.schema import read_entity

    record, problems = read_entity({"name": "Bloc  of   spaces", "type": "organization",
                                    "slug": "bloc", "summary": "s"}, "bloc.md", "", "bloc")
    assert not problems
    registry = Registry.build([record])
    data = BuildData(registry, Views(registry, [], dates.parse("2026-01-01")), [], [], "",
                     {"bloc": _Page()})
    with pytest.raises(ContentError) as err:
        ftm.entity_lines(data)
    assert "FollowTheMoney changes the value 'Bloc  of   spaces'" in str(err.value.problems[0])


def test_country_codes_come_from_iso_codes_or_the_wikidata_crosswalk():
    class Entity:
        def __init__(self, facts, wikidata=None):
            self.facts, self.wikidata = facts, wikidata

    assert ftm.country_code(Entity({"iso3166": "GE"})) == "ge"
    assert ftm.country_code(Entity({}, wikidata="Q15180")) == "suhh"  # the Soviet Union
    assert ftm.country_code(Entity({})) is None  # nothing is guessed from names


def test_treaties_are_contracts_with_their_parties_and_mentions(local_ftm):
    import yaml

    from conftest import ROOT

    by_id = {e["id"]: e for e in local_ftm}
    cst = by_id["collective-security-treaty"]
    assert cst["schema"] == "Contract"
    assert {k: cst["properties"][k] for k in ("title", "type", "contractDate", "status")} == {
        "title": ["Collective Security Treaty"], "type": ["treaty"],
        "contractDate": ["1992-05-15"], "status": ["in force"]}
    assert {"signed at Tashkent", "in force: 1994-04-20"} <= set(cst["properties"]["description"])
    # One "party" link per party in the treaty's file, from the party to the treaty.
    text = (ROOT / "content/entities/treaties/collective-security-treaty.md").read_text()
    written = yaml.safe_load(text.split("---")[1])["parties"]
    links = [e["properties"] for e in local_ftm if e["schema"] == "UnknownLink"
             and e["properties"]["role"] == ["party"]
             and e["properties"]["object"] == ["collective-security-treaty"]]
    assert sorted(p["subject"][0] for p in links) == sorted(written)
    assert any(e["schema"] == "UnknownLink" and e["properties"] == {
        "subject": ["collective-security-treaty"], "object": ["csto"],
        "role": ["establishes"]} for e in local_ftm)
    # A proposal never in force has no status; mentions of treaties are exported like others.
    assert "status" not in by_id["european-security-treaty"]["properties"]
    mentioned = {e["properties"]["entity"][0] for e in local_ftm if e["schema"] == "Documentation"}
    assert {"csto-charter", "european-security-treaty"} <= mentioned  # (the article: p-21, p-15)
    # basis: cannot be a link in FtM; it is kept in the membership's description.
    rows = []
    for path in sorted((ROOT / "content/entities/organizations").glob("*.md")):
        front = yaml.safe_load(path.read_text().split("---")[1])
        rows += [(front["slug"], m["member"], m["basis"]) for m in front.get("members") or ()
                 if m.get("basis")]
    noted = [(m["organization"][0], m["member"][0], d.removeprefix("basis: "))
             for m in (e["properties"] for e in local_ftm if e["schema"] == "Membership")
             for d in m.get("description", ()) if d.startswith("basis: ")]
    assert rows and sorted(noted) == sorted(rows)


def test_a_treatys_uncertain_date_is_a_prefix_and_the_edtf_is_noted():
    from entity_factory import entity, pages
    from research.model.registry import Registry
    from research.model.schema import read_entity

    treaty, problems = read_entity({
        "name": "Pact", "type": "treaty", "slug": "pact", "summary": "s", "kind": "agreement",
        "signed": "1992-05?", "in_force": "[1993-01,1993-02]", "parties": ["ruritania"]},
        "pact.md", "", "pact")
    assert not problems, problems
    records = [treaty, entity("ruritania", "country")]
    registry = Registry.build(records)
    data = BuildData(registry, Views(registry, [], dates.parse("2026-01-01")), [], [], "",
                     pages(records))
    entities = [json.loads(line) for line in ftm.entity_lines(data)]
    assert ftm_problems(entities) == []
    [pact] = [e for e in entities if e["id"] == "pact"]
    assert pact["properties"]["contractDate"] == ["1992-05"]
    assert pact["properties"]["description"] == ["signed (EDTF): 1992-05?",
                                                 "in force: [1993-01,1993-02]"]
    assert [e["properties"] for e in entities if e["schema"] == "UnknownLink"] == [
        {"subject": ["ruritania"], "object": ["pact"], "role": ["party"]}]

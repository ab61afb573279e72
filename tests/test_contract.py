"""The content contract (plugins/research/contract.py) without building a site.

Each case below asserts the problem's stable code, line and field; the exact wording of every
case lives in one golden file, tests/golden/contract-problems.txt, so a message can be
reworded in one place (regenerate it with `UPDATE_GOLDEN=1 pytest tests/test_contract.py`
and review the diff). The JSON Schemas in docs/schemas/ are checked against the same
contract: up to date, accepting every real content file, rejecting what they can express.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from research.core import contract
from research.read import frontmatter
from research.model import jsonschema_export, schema
from research.core.errors import ContentError, Problem, printable, shown
from research.core.normalise import name_key, problems_of_alias
from research.core.siteurl import site_url

GOLDEN = ROOT / "tests" / "golden" / "contract-problems.txt"
SOURCE = """---
title: "Ministers Meet in Moscow"
slug: ministers-meet
author: A. Reporter
outlet: Wire
date: "2008-09-05T05:18:00-04:00"
summary: Foreign ministers met.
provenance: Written for the tests.
tags: [Russia, CSTO]
---
Text.
"""
BRIEFING = """---
title: "The CSTO and Georgia"
slug: csto-and-georgia
author: Research team
date: '2008-09-10'
summary: Why the alliance did not follow Russia.
tags: [CSTO]
events:
  - date: '2008-09-04'
    text: The ministers meet.
    source: "ministers-meet#p-2"
---
Text.
"""
ORGANIZATION = """---
name: Collective Security Treaty Organization
type: organization
slug: csto
aliases:
  - CSTO
summary: An alliance.
members:
  - member: russia
    role: member
    start: '1992-05-15'
    end:
    source: "ministers-meet#p-1"
---
Text.
"""
TERRITORY = """---
name: South Ossetia
type: territory
slug: south-ossetia
status: Breakaway region of Georgia.
claimed_by: [georgia]
summary: A region.
---
Text.
"""
FILES = {"source": ("content/sources/ministers-meet.md", SOURCE),
         "briefing": ("content/briefings/csto-and-georgia.md", BRIEFING),
         "organization": ("content/entities/organizations/csto.md", ORGANIZATION),
         "territory": ("content/entities/countries/south-ossetia.md", TERRITORY)}

# (id, kind, old, new, code, line, field): one change to a valid file, the problem it gives.
CASES = [
    ("date-day-first", "briefing", "date: '2008-09-10'", "date: 5/9/2008",
     "date.format", 5, "date"),
    ("date-in-words", "briefing", "date: '2008-09-10'", "date: Sept 5 2008",
     "date.format", 5, "date"),
    ("date-no-zone", "source", '"2008-09-05T05:18:00-04:00"', '"2008-09-05T05:18:00"',
     "date.timezone", 6, "date"),
    ("date-day-only-source", "source", '"2008-09-05T05:18:00-04:00"', "'2008-09-05'",
     "date.timezone", 6, "date"),
    ("date-offset-24", "source", "-04:00", "+24:00", "date.offset", 6, "date"),
    ("date-not-existing", "briefing", "'2008-09-10'", "'2008-02-30'",
     "date.nonexistent", 5, "date"),
    ("event-date", "briefing", "  - date: '2008-09-04'", "  - date: '04/09/2008'",
     "date.format", 9, "events[0].date"),
    ("unknown-autor", "source", "author: A. Reporter", "autor: A. Reporter",
     "field.unknown", 4, "autor"),
    ("missing-author", "source", "author: A. Reporter\n", "", "field.required", None, "author"),
    ("unknown-tag", "briefing", "tags: [CSTO]", "tag: [CSTO]", "field.unknown", 7, "tag"),
    ("empty-title", "briefing", 'title: "The CSTO and Georgia"', 'title: ""',
     "field.empty", 2, "title"),
    ("status-typo", "source", "tags: [Russia, CSTO]", "status: published2", "field.choice",
     9, "status"),
    ("author-no-letters", "source", "author: A. Reporter", 'author: "<>"',
     "text.no-letters", 4, "author"),
    ("author-institution-kind", "source", "author: A. Reporter",
     "author: Shanghai Cooperation Organisation", "author.kind", 4, "author"),
    ("title-a-number", "source", 'title: "Ministers Meet in Moscow"', "title: 2008",
     "type.text", 2, "title"),
    ("sources-not-slugs", "briefing", "tags: [CSTO]", "sources: [Not A Slug]",
     "slug.format", 7, "sources"),
    ("event-missing-text", "briefing", "    text: The ministers meet.\n", "",
     "field.required", 9, "events[0].text"),
    ("event-unknown-field", "briefing", "    text: The ministers meet.", "    txt: x",
     "field.unknown", 10, "events[0].txt"),
    ("quote-bad-paragraph", "source", "tags: [Russia, CSTO]",
     "quotes:\n  - speaker: sergei-lavrov\n    words: x\n    paragraph: third",
     "type.paragraph", 12, "quotes[0].paragraph"),
    ("row-not-a-mapping", "organization", "  - member: russia\n    role: member\n"
     "    start: '1992-05-15'\n    end:\n    source: \"ministers-meet#p-1\"\n",
     "  - russia\n", "type.row", 9, "members[0]"),
    ("member-unknown-field", "organization", "    role: member", "    rol: member",
     "field.unknown", 10, "members[0].rol"),
    ("own-member", "organization", "member: russia", "member: csto", "member.self", 9,
     "members[0].member"),
    ("former-role", "organization", "role: member", "role: former member", "role.former", 10,
     "members[0].role"),
    ("end-before-start", "organization", "    end:\n", "    end: '1990'\n", "date.order", 12,
     "members[0].end"),
    ("claimed-by-self", "territory", "claimed_by: [georgia]", "claimed_by: [south-ossetia]",
     "claim.self", 6, "claimed_by[0]"),
    ("type-typo", "territory", "type: territory", "type: teritory", "field.choice", 3,
     "type"),
    ("name-blank", "territory", "name: South Ossetia", 'name: "  "', "field.empty", 2, "name"),
    ("alias-twice", "organization", "  - CSTO\n", "  - CSTO\n  - CSTO\n", "alias.duplicate", 7,
     "aliases[1]"),
    ("alias-twice-apostrophes", "organization", "  - CSTO\n",
     "  - CSTO's bloc\n  - CSTO’s bloc\n", "alias.duplicate", 7, "aliases[1]"),
    ("alias-own-name-nfd", "territory", "claimed_by: [georgia]",
     "claimed_by: [georgia]\naliases: [\"South Osse\u0301tia\", \"South Ossétia\"]",
     "alias.duplicate", 7, "aliases[1]"),
    ("alias-common-word", "organization", "  - CSTO\n", "  - The\n", "alias.common-word", 6,
     "aliases[0]"),
    ("alias-too-short", "organization", "  - CSTO\n", "  - a\n", "alias.short", 6,
     "aliases[0]"),
    ("alias-look-alike", "organization", "  - CSTO\n", "  - СSTO Russia\n",
     "alias.confusable", 6, "aliases[0]"),
    ("alias-invisible", "organization", "  - CSTO\n", "  - \"CS\\u200dTO\"\n",
     "alias.invisible", 6, "aliases[0]"),
    ("yaml-colon", "source", 'title: "Ministers Meet in Moscow"', "title: Ministers: Moscow",
     "yaml.colon-in-value", 2, None),
    ("yaml-indent", "organization", "    role: member", "     role: member",
     "yaml.indentation", 10, None),
    ("yaml-indent-less", "organization", "    role: member", "   role: member",
     "yaml.indentation", 10, None),
    ("yaml-at-sign", "source", "outlet: Wire", "outlet: @Wire", "yaml.reserved-character", 5,
     None),
    ("yaml-block-dedent", "source", "provenance: Written for the tests.",
     "provenance: >\n  Written for\n the tests.", "yaml.indentation", 10, None),
    ("yaml-tab", "organization", "  - CSTO", "\t- CSTO", "yaml.tab", 6, None),
    ("yaml-no-colon", "source", "outlet: Wire", "outlet Wire", "yaml.no-colon", 5, None),
    ("yaml-open-quote", "source", 'summary: Foreign ministers met.', 'summary: "Foreign',
     "yaml.quote", 7, None),
    ("yaml-duplicate-key", "source", "outlet: Wire", "outlet: Wire\noutlet: AP",
     "field.duplicate", 6, "outlet"),
    ("yaml-alias", "source", "outlet: Wire", "outlet: &o Wire\nprovenance: *o",
     "yaml.alias", 6, None),
]


def _change(kind: str, old: str, new: str) -> tuple[str, str]:
    path, text = FILES[kind]
    assert old in text, (kind, old)
    return path, text.replace(old, new, 1)


def problems_of(path: str, text: str) -> list[Problem]:
    """What the build's per-file checks say about one file (reader contract or entity)."""
    try:
        document = frontmatter.split(text, path)
    except ContentError as err:
        return err.problems
    kind = contract.kind_of_document(path, {"PATH": "content"})
    if kind:
        return contract.check_document(kind, document.metadata, path, frontmatter.Locator(text))
    _entity, problems = schema.read_entity(document.metadata, path, text, Path(path).stem)
    return problems


def test_the_valid_files_have_no_problems():
    for path, text in FILES.values():
        assert problems_of(path, text) == [], path


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_a_mistake_gives_its_code_at_its_line(case):
    _id, kind, old, new, code, line, field = case
    path, text = _change(kind, old, new)
    found = [(p.code, p.line, p.field) for p in problems_of(path, text)]
    assert (code, line, field) in found, found


def _rendered_cases() -> list[str]:
    lines = []
    for case_id, kind, old, new, code, _line, _field in CASES:
        path, text = _change(kind, old, new)
        problem = next(p for p in problems_of(path, text) if p.code == code)
        lines.append(f"{case_id} | {code} | {problem}")
    return lines


def test_the_wording_is_the_golden_files():
    lines = _rendered_cases()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8").splitlines() == lines


def test_every_problem_of_the_corpus_has_a_code():
    for case_id, kind, old, new, *_ in CASES:
        path, text = _change(kind, old, new)
        assert all(p.code for p in problems_of(path, text)), case_id


# -- hardening: bounded values, escaped names ---------------------------------------------

def test_an_alias_bomb_is_refused_quickly():
    levels = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for index in range(1, 9):
        name, previous = "abcdefghi"[index], "abcdefghi"[index - 1]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "---\ntitle: x\n" + "\n".join(levels) + "\ndate: *i\n---\nText.\n"
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        frontmatter.split(text, "content/sources/bomb.md")
    assert time.perf_counter() - started < 1.0
    assert caught.value.problems[0].code == "yaml.alias"
    assert len(str(caught.value)) < 300


def test_messages_name_the_type_of_a_big_value_and_cap_text():
    assert shown(list(range(10**5))) == "a list"
    assert shown({"a": 1}) == "a mapping"
    assert len(shown("x" * 10**6)) <= 62
    problems = contract.validate(contract.SOURCE, {"title": ["x"] * 10**5}, "s.md",
                                 frontmatter.Locator(""))
    assert max(len(str(p)) for p in problems) < 400


def test_file_names_cannot_forge_report_lines():
    problem = Problem("content/x\ncontent/y.md:1: forged\u202e.md", "bad\nline", 3, "f")
    assert "\n" not in str(problem) and "\u202e" not in str(problem)
    assert printable("a\u200bb") == "a\\u200bb"


def test_alias_keys_fold_what_the_linker_folds():
    assert name_key("Russia’s") == name_key("Russia's")
    assert name_key("Osse\u0301tia") == name_key("Ossétia")
    assert name_key("CS\u200bTO") == "CSTO"
    assert problems_of_alias("May") and problems_of_alias("May", forced=True) == []
    assert problems_of_alias("US") == [] and problems_of_alias("СНГ") == []


# -- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, zone, code", [
    ("2008-09-05", False, None), ("2008-09-05T05:18:00-04:00", True, None),
    ("2008-09-05T05:18-04:00", True, None), ("2008-09-05T09:18:00Z", True, None),
    (dt.datetime(2008, 9, 5, tzinfo=dt.timezone.utc), True, None),
    ("5/9/2008", False, "date.format"), ("28/8/2008", True, "date.format"),
    ("Sept 5 2008", False, "date.format"), ("2008-09-05", True, "date.timezone"),
    (dt.date(2008, 9, 5), True, "date.timezone"), ("2008-09-05T05:18:00+24:00", True,
                                                   "date.offset"),
    ("2008-09-05T24:00:00Z", True, "date.nonexistent"), ("2008-02-30", False,
                                                          "date.nonexistent"),
])
def test_document_dates_only_in_the_documented_forms(value, zone, code):
    problem = contract.document_date_problem(value, zone_required=zone)
    assert (problem[0] if problem else None) == code
    if code == "date.format":
        assert "'YYYY-MM-DD'" in problem[1] and "'YYYY-MM-DDTHH:MM:SS+HH:MM'" in problem[1]


# -- authors, SITEURL ------------------------------------------------------------------------

def test_citation_labels_for_a_person_and_an_institution():
    class Doc:  # noqa: D401 (a stand-in content object)
        def __init__(self, **fields):
            self.__dict__.update(fields)
    assert contract.author_label(Doc(author="Patrick Goodenough")) == "Goodenough"
    assert contract.author_label(Doc(author="Shanghai Cooperation Organisation",
                                     author_kind="institution", author_short="SCO")) == "SCO"
    assert contract.author_label(Doc(author="Shanghai Cooperation Organisation",
                                     author_kind="institution")) == \
        "Shanghai Cooperation Organisation"


@pytest.mark.parametrize("value, result", [
    ("https://example.org/", "https://example.org"),
    ("https://example.org/research//", "https://example.org/research"),
    ("http://localhost:8000", "http://localhost:8000"),
    ("example.org", "siteurl.scheme"), ("ftp://example.org", "siteurl.scheme"),
    ("https://exa mple.org", "siteurl.space"), ("https:///research", "siteurl.host"),
    ("", "siteurl.missing"), ("https://bad_host!/", "siteurl.host"),
    ("https://example.org/?q=1", "siteurl.extra"),
])
def test_siteurl(value, result):
    if result.startswith("http"):
        assert site_url(value) == result
    else:
        with pytest.raises(ContentError) as caught:
            site_url(value)
        assert caught.value.problems[0].code == result


def test_publishconf_checks_siteurl(monkeypatch):
    import runpy

    monkeypatch.setenv("SITEURL", "example.org")
    with pytest.raises(ContentError, match="does not start with https://"):
        runpy.run_path(str(ROOT / "publishconf.py"))
    monkeypatch.setenv("SITEURL", "https://example.org/research/")
    assert runpy.run_path(str(ROOT / "publishconf.py"))["SITEURL"] == \
        "https://example.org/research"


# -- JSON Schema for editors ---------------------------------------------------------------

def _plain(value):
    """Front-matter as a YAML editor sees it: dates are the strings typed."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _validator(path: str):
    kind = contract.kind_of_document(path, {"PATH": "content"}) or "entity"
    schema = json.loads((ROOT / "docs" / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_the_schemas_in_docs_are_generated_from_the_contract():
    for name, schema_ in jsonschema_export.all_schemas().items():
        jsonschema.Draft202012Validator.check_schema(schema_)
        on_disk = (ROOT / "docs" / "schemas" / name).read_text(encoding="utf-8")
        assert on_disk == jsonschema_export.render(schema_), \
            f"docs/schemas/{name} is stale: run python -m research.model.jsonschema_export"


def test_the_schemas_accept_every_real_content_file():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 50
    for file in files:
        relative = file.relative_to(ROOT).as_posix()
        metadata = frontmatter.split(file.read_text(encoding="utf-8"), relative).metadata
        errors = [e.message for e in _validator(relative).iter_errors(_plain(metadata))]
        assert errors == [], relative


# Problems a JSON Schema can express (a field's presence, type, pattern or enum); the rest
# (a date that does not exist, cross-field and cross-file checks) only the build can tell.
EXPRESSIBLE = {"field.unknown", "field.required", "field.empty", "type.text", "type.list",
               "type.rows", "type.row", "type.paragraph", "slug.format", "field.choice",
               "field.format", "date.format", "date.timezone", "date.offset", "text.no-letters"}


def _case_files():
    sys.path.insert(0, str(ROOT / "tests" / "bad_inputs"))
    from cases import CASES as BUILD_CASES

    for case in BUILD_CASES:
        edits = case.get("replace") or []
        names = [e["file"] for e in ([edits] if isinstance(edits, dict) else edits)]
        names += list(case.get("write") or {})
        yield case, names


def test_the_schemas_reject_the_bad_inputs_they_can_express(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "bad_inputs"))
    from cases import apply_case, copy_base_site

    rejected = agreed = 0
    for index, (case, names) in enumerate(_case_files()):
        if case.get("encoding") or case.get("expand"):
            continue
        site = copy_base_site(tmp_path / f"site-{index}")
        apply_case(case, site)
        for name in dict.fromkeys(names):
            path = site / name
            if not name.endswith(".md") or not path.is_file() or "/entities/" not in name \
                    and not contract.kind_of_document(name, {"PATH": "content"}):
                continue
            text = path.read_text(encoding="utf-8")
            codes = {p.code for p in problems_of(name, text)}
            try:
                metadata = frontmatter.split(text, name).metadata
            except ContentError:
                continue  # not YAML the schema could see
            valid = _validator(name).is_valid(_plain(metadata))
            if codes & EXPRESSIBLE:
                assert not valid, f"{case['case']}: the JSON Schema accepts {name}"
                rejected += 1
            elif not codes:
                assert valid, f"{case['case']}: the JSON Schema refuses {name}, the build not"
                agreed += 1
        shutil.rmtree(site)
    assert rejected >= 20 and agreed >= 10, (rejected, agreed)


def test_an_institutional_author_is_cited_by_its_short_name(tmp_path, monkeypatch):
    from citesite import build_changed

    result = build_changed(tmp_path, monkeypatch, "content/sources/ministers-meet.md",
                           "author: A. Reporter", "author: Shanghai Cooperation Organisation\n"
                           "author_kind: institution\nauthor_short: SCO")
    assert result.ok, result.problems
    note = (tmp_path / "output" / "briefings" / "second-note" / "index.html").read_text("utf-8")
    assert "SCO 2008, ¶ 2" in note and "Organisation 2008" not in note


def test_a_decomposed_alias_is_kept_composed_so_the_linker_finds_it():
    from research.link.linker import Linker

    path, text = _change("territory", "claimed_by: [georgia]",
                         "claimed_by: [georgia]\naliases: [\"Osse\u0301tia\"]")
    document = frontmatter.split(text, path)
    entity, problems = schema.read_entity(document.metadata, path, text, "south-ossetia")
    assert problems == [] and entity.aliases == ("Ossétia",)
    assert Linker({form: "south-ossetia" for form in entity.names}).find("In Ossétia.") == \
        [(3, 10, "south-ossetia")]

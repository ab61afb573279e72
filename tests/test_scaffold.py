"""`python -m research new ...`: skeletons with every field, that build once filled in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, build_site
from research.core import contract, types
from research.cli import scaffold
from research.model import schema
from research.__main__ import main


@pytest.fixture
def site(tmp_path, monkeypatch):
    copy = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", copy)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    monkeypatch.chdir(copy)
    return copy


def new(capsys, *argv) -> tuple[int, str, str]:
    code = main(["new", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def created_path(out: str) -> Path:
    return Path(re.match(r"Created (\S+)\. Fill in next:", out)[1])


def to_fill(out: str) -> list[tuple[int, str]]:
    return [(int(line), field) for line, field in re.findall(r"^  line (\d+): ([^:]+):", out,
                                                             re.M)]


FILLING = {"summary": '"Written by the test."', "provenance": '"Typed in for the test."',
           "cleaning": '["Nothing is changed."]', "sources": "[ministers-meet]"}


def fill_in(path: Path, out: str) -> None:
    """Do what the printed instructions say, and nothing else."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, field in to_fill(out):
        if field == "the text":
            assert number == len(lines) + 1  # right after the closing ---
            lines.append("Georgia and Russia are named in this text.")
            if "[@<source-slug>#p-<n>]" in out:  # a briefing note cites, as it says
                lines.append("\nThe ministers met [@ministers-meet#p-1].")
            continue
        assert lines[number - 1].startswith(f"{field}:"), (field, lines[number - 1])
        lines[number - 1] = f"{field}: {FILLING[field]}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_kind_scaffolds_and_builds_once_filled_in(site, tmp_path, capsys):
    made = []
    code, out, _ = new(capsys, "source", "--title", "Ministers Meet Again", "--author",
                       "A. Reporter", "--outlet", "CNSNews.com", "--date",
                       "2008-09-06T10:00:00-04:00")
    assert code == 0
    made.append((out, "sources/ministers-meet-again/"))
    code, out, _ = new(capsys, "briefing", "--title", "What the CSTO did next", "--date",
                       "2008-09-12")
    assert code == 0
    made.append((out, "briefings/what-the-csto-did-next/"))
    for kind in types.DEFAULT.entity_names:
        code, out, _ = new(capsys, "entity", "--type", kind, "--name", f"Test {kind.title()}")
        assert code == 0, out
        made.append((out, None))
    paths = [created_path(out) for out, _ in made]
    assert paths[0] == Path("content/sources/ministers-meet-again.md")
    assert Path("content/entities/people/test-person.md") in paths
    # The fixture site keeps territories in entities/territories/: new ones go there too.
    assert Path("content/entities/territories/test-territory.md") in paths

    unfilled = build_site(site, tmp_path / "unfilled")
    assert not unfilled.ok  # an unfinished entity is not published with a placeholder
    required = {f"{p}:{line}: summary: is required" for (out, _), p in zip(made, paths)
                for line, field in to_fill(out) if field == "summary" and "entities" in str(p)}
    assert required and all(any(r in problem for problem in unfilled.problems)
                            for r in required), unfilled.problems

    for (out, _), path in zip(made, paths):
        fill_in(path, out)
    for out, page in made:  # sources and notes: the command the instructions name
        if page:
            command = re.search(r"^Then run: python -m research (ids \S+)", out, re.M)
            assert command, out
            assert main([*command[1].split(), "--settings", "pelicanconf.py"]) == 0
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    for out, page in made:
        if page:
            assert (tmp_path / "output" / page / "index.html").is_file()
    for kind in types.DEFAULT.entity_names:
        folder = {"organization": "organizations", "person": "people",
                  "country": "countries", "territory": "territories"}[kind]
        html = (tmp_path / "output" / folder / f"test-{kind}" / "index.html").read_text()
        assert "Written by the test." in html


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head = text.split("---\n")[1]
    return yaml.safe_load(head), head


def expected_entity_fields(kind: str) -> set[str]:
    """What the build declares for an entity of `kind`, minus what the scaffold only names."""
    return {f.name for f in contract.ENTITY_BY_TYPE[kind].fields
            if not f.internal and f.name not in scaffold.ENTITY_TECHNICAL}


@pytest.mark.parametrize("kind", types.DEFAULT.entity_names)
def test_entity_skeleton_has_every_declared_field_with_help(site, capsys, kind):
    code, out, _ = new(capsys, "entity", "--type", kind, "--name", "Some Name")
    assert code == 0
    data, head = front_matter(created_path(out))
    assert set(data) == expected_entity_fields(kind)
    assert data["type"] == kind and data["slug"] == "some-name" and data["name"] == "Some Name"
    for field in data:  # every field explained on its line
        assert re.search(rf"^{field}:.*  # \S", head, re.M), field
    for field in scaffold.declared_fields(kind)[0]:
        if field.rows is not None:  # the example row names every field a row may have
            block = head.split(f"\n{field.name}:", 1)[1].split("\n---", 1)[0]
            example = re.findall(r"^#(?:  - |    )(\w+):", block, re.M)
            assert example[:len(field.rows)] == [f.name for f in field.rows]
    technical = re.search(r"^# Also possible, rarely needed: (.+) \(see", head, re.M)
    assert technical and "status" in technical[1] and "title" not in technical[1]


def test_a_type_added_to_the_type_table_can_be_scaffolded(site, capsys, monkeypatch):
    # A type added to the type table (as a site's ENTITY_TYPES setting would) scaffolds into
    # its own folder, with its own fields.
    monkeypatch.setattr(types, "DEFAULT", types.build({"ENTITY_TYPES": {"company": {
        "folder": "companies", "label": "company", "plural": "Companies",
        "class_name": "Company", "template": "entity", "jsonld": "Corporation",
        "shape": "square", "schema": [("registered", "partial-date", "when registered")]}}}))
    code, out, _ = new(capsys, "entity", "--type", "company", "--name", "Gazprom Neft")
    assert code == 0
    data, head = front_matter(created_path(out))
    assert created_path(out) == Path("content/entities/companies/gazprom-neft.md")
    assert "registered" in data and "type: company" in head


def test_document_fields_cover_what_real_content_uses():
    for folder, kind, rows in (("sources", "source", "quotes"),
                               ("briefings", "briefing", "events")):
        files = sorted((ROOT / "content" / folder).glob("*.md"))
        assert files
        for path in files:
            data, _ = front_matter(path)
            declared = {f.name: f for f in scaffold.declared_fields(kind)[0]}
            assert set(data) <= set(declared), (path, set(data) - set(declared))
            for row in data.get(rows) or []:
                assert set(row) <= {f.name for f in declared[rows].rows}, (path, row)


def test_house_date_style(site, capsys):
    _, out, _ = new(capsys, "source", "--title", "T", "--author", "A", "--outlet", "O",
                    "--date", "2008-09-05T05:18:00-04:00")
    assert 'date: "2008-09-05T05:18:00-04:00"' in created_path(out).read_text()
    _, out, _ = new(capsys, "briefing", "--title", "Dated", "--date", "2008-09-12")
    assert "date: '2008-09-12'" in created_path(out).read_text()
    _, out, _ = new(capsys, "entity", "--type", "organization", "--name", "Org")
    assert re.search(r"^founded:  # .*'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'",
                     created_path(out).read_text(), re.M)


@pytest.mark.parametrize("argv, message", [
    (["entity", "--type", "country", "--name", "Georgia"],
     "content/entities/countries/georgia.md: an entity with the slug 'georgia' exists already"),
    (["entity", "--type", "person", "--name", "X", "--slug", "russia"],
     "an entity with the slug 'russia' exists already"),
    (["briefing", "--title", "The CSTO and Georgia", "--slug", "csto-and-georgia"],
     "content/briefings/csto-and-georgia.md: exists already; edit it, or pass another --slug"),
    (["briefing", "--title", "Ministers meet"],
     "content/sources/ministers-meet.md: exists already"),
    (["briefing", "--title", "x", "--slug", "Bad_Slug"],
     "--slug: 'Bad_Slug' is not a valid slug"),
    (["briefing", "--title", "???"], "is not a valid slug"),
    (["briefing", "--title", "x", "--date", "2008-02-30"], "--date: "),
    (["source", "--title", "x", "--author", "a", "--outlet", "o", "--date", "2008-09-05"],
     "--date: '2008-09-05' is not a date, time and time zone"),
])
def test_refusals_are_one_line_and_write_nothing(site, capsys, argv, message):
    before = {p: p.read_bytes() for p in Path("content").rglob("*")  if p.is_file()}
    code, out, err = new(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in Path("content").rglob("*") if p.is_file()} == before


def test_unknown_type_is_refused_by_the_command_line(site, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["new", "entity", "--type", "planet", "--name", "X"])
    assert stop.value.code == 2
    assert "invalid choice: 'planet'" in capsys.readouterr().err

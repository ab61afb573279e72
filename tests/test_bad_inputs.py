"""A corpus of bad inputs (tests/bad_inputs/cases.yaml): each must fail the build with one exact
problem line naming the file and the line or field, and never with a Python traceback.

Each case is the fixture site with one mistake (see bad_inputs/cases.py). Every case is built
in-process with research.cli.build.build(); the cases marked `cli: true` are also built by
`python -m research build` in a subprocess, over the output of a previous good build, which
must be left byte for byte as it was.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sitepages import reset_pelican_log_dedup

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_inputs"))
from cases import CASES, apply_case, copy_base_site  # noqa: E402

CLI_CASES = [case for case in CASES if case.get("cli")]


def ids(case: dict) -> str:
    return case["case"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def project_root(monkeypatch):
    # The copied fixture site finds the project's plugins/ and theme/ through this variable.
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))


def test_the_corpus_is_large_and_well_formed():
    names = [case["case"] for case in CASES]
    assert len(names) >= 25
    assert len(set(names)) == len(names), "case ids must be unique"
    for case in CASES:
        assert isinstance(case.get("expected"), str) and case["expected"].strip(), case["case"]
        assert case.keys() <= {"case", "expected", "write", "replace", "expand", "encoding",
                               "settings", "cli", "code"}, case["case"]
    assert len(CLI_CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_bad_input_fails_the_build_with_its_exact_message(case, tmp_path, project_root,
                                                            caplog):
    site = copy_base_site(tmp_path / "site")
    expected = apply_case(case, site)
    reset_pelican_log_dedup()
    with caplog.at_level(logging.WARNING):
        result = build_site(site, tmp_path / "output")
    assert not result.ok
    assert result.output is None
    assert expected in result.problems, "\n".join(result.problems)
    assert not any("Traceback" in problem for problem in result.problems)
    assert not [record for record in caplog.records if record.exc_info], \
        "a traceback was logged"
    # nothing was published, and no staging folder was left behind
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("case", CLI_CASES, ids=ids)
def test_the_command_line_fails_and_keeps_the_previous_site(case, tmp_path, project_root):
    site = copy_base_site(tmp_path / "site")
    output = tmp_path / "output"
    reset_pelican_log_dedup()
    first = build_site(site, output)  # the previous good build
    assert first.ok, first.problems
    before = snapshot(output)
    assert "index.html" in before

    expected = apply_case(case, site)
    run = subprocess.run(
        [sys.executable, "-m", "research", "build", "--settings", "pelicanconf.py",
         "--output", str(output)],
        cwd=site, capture_output=True, text=True, timeout=120,
        env={**os.environ, "RESEARCH_PROJECT_ROOT": str(ROOT)})

    printed = run.stdout + run.stderr
    assert run.returncode != 0, printed
    assert "Traceback" not in printed, printed
    assert expected in [line.strip() for line in run.stderr.splitlines()], printed
    assert "the previous site, if any, is unchanged" in run.stderr
    assert snapshot(output) == before  # byte for byte
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


def test_markup_in_a_name_is_accepted_and_escaped(tmp_path, project_root):
    """Prose fields may contain '<' (it is text); the templates escape it everywhere."""
    site = copy_base_site(tmp_path / "site")
    georgia = site / "content" / "entities" / "countries" / "georgia.md"
    markup = "<script>alert(1)</script>"
    text = georgia.read_text(encoding="utf-8")
    for old in ("summary: A state in the South Caucasus.", "capital: Tbilisi"):
        assert old in text
        text = text.replace(old, f"{old.split(':')[0]}: \"{markup} {old.split(': ')[1]}\"")
    georgia.write_text(text, encoding="utf-8")
    reset_pelican_log_dedup()
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    pages = {path: path.read_text(encoding="utf-8")
             for path in (tmp_path / "output").rglob("*.html")}
    assert not [path for path, text in pages.items() if markup in text]
    page = pages[tmp_path / "output" / "countries" / "georgia" / "index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

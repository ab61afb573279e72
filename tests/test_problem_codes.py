"""Every problem carries a stable code (`date.format`, `paragraph.missing-id`, ...), so a test
can assert the kind of mistake and its location while the wording lives in one place.

- Every problem line of a failed build carries a code (BuildResult.codes, or `.code` on the
  line): every case of the bad-input corpus (tests/bad_inputs/), built in-process; a line
  Pelican itself logged is `log.warning` or `log.error`.
- Every `Problem(...)`, `ContentError.at(...)` and `Coded(...)` in plugins/research passes a
  code (checked on the source with `ast`, so a new problem without a code fails here).
- The "Problem codes" table in docs/content-guide.md lists exactly the codes the source
  uses.
"""

from __future__ import annotations

import ast
import logging
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sitepages import reset_pelican_log_dedup

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_inputs"))
from cases import CASES, apply_case, copy_base_site  # noqa: E402

CODE = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")
PLUGIN = ROOT / "plugins" / "research"
GUIDE = ROOT / "docs" / "content-guide.md"

# The code of the expected line of some cases: a test can name the kind of mistake (and, from
# the line, its location) without quoting the wording.
EXPECTED_CODES = {
    "month-13": "date.nonexistent",
    "slug-dotdot-entity": "slug.format",
    "settings-syntax-error": "settings.error",
    "bad-link-policy": "settings.value",
    "unstamped-paragraph": "paragraph.missing-id",
    "duplicate-paragraph-id": "paragraph.duplicate-id",
    "id-not-in-the-lock": "lock.unrecorded",
    "cited-paragraph-reworded": "citation.paragraph-changed",
    "quoted-words-moved": "citation.words-moved",
    "javascript-after-index-placeholder": "link.placeholder",
    "data-url-image-in-markdown": "url.refused",
    "save-as-another-document": "path.written-twice",
}


@pytest.fixture
def project_root(monkeypatch):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["case"])
def test_every_problem_line_of_a_failed_build_has_a_code(case, tmp_path, project_root,
                                                         caplog):
    site = copy_base_site(tmp_path / "site")
    expected = apply_case(case, site)
    reset_pelican_log_dedup()
    with caplog.at_level(logging.WARNING):
        result = build_site(site, tmp_path / "output")
    assert not result.ok
    assert expected in result.problems
    assert len(result.codes) == len(result.problems)
    for line, code in zip(result.problems, result.codes):
        assert CODE.match(code), f"no code on: {line}"
        assert getattr(line, "code", None) == code
    wanted = case.get("code") or EXPECTED_CODES.get(case["case"])  # cases-references.yaml
    if wanted:
        assert result.codes[result.problems.index(expected)] == wanted


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("Problem", "Coded"):
            yield func.id, node
        elif isinstance(func, ast.Attribute) and func.attr == "at" \
                and isinstance(func.value, ast.Name) and func.value.id == "ContentError":
            yield "ContentError.at", node


def _code_argument(name: str, call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    position = {"Problem": 4, "Coded": 1, "ContentError.at": None}[name]
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _sources():
    for path in sorted(PLUGIN.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_every_problem_in_the_source_passes_a_code():
    missing = []
    for path, tree in _sources():
        for name, call in _calls(tree):
            if path.name == "errors.py" and name in ("Problem", "Coded"):
                continue  # the definitions' own plumbing (ContentError.at, Problem.report)
            code = _code_argument(name, call)
            where = f"{path.relative_to(ROOT)}:{call.lineno}: {name}(...)"
            if code is None:
                missing.append(f"{where} passes no code")
            elif isinstance(code, ast.Constant) and not (
                    isinstance(code.value, str) and CODE.match(code.value)):
                missing.append(f"{where} passes the code {code.value!r}")
    assert not missing, "\n".join(missing)


# Dotted lowercase strings in the source that are not problem codes: file names, logger
# names and abbreviations.
_NOT_CODES = re.compile(
    r"\.(py|csv|json|html|txt|xml|svg|db|gexf|lock|bib|ris|yaml|csl|pickle)$|^research\.|^(e\.g|i\.e)$")


def codes_in_source() -> set[str]:
    return {node.value for _, tree in _sources() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and CODE.match(node.value) and not _NOT_CODES.search(node.value)}


def codes_in_guide() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### Problem codes\n", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `([^`]+)` \| (.+?) \|$", section, flags=re.M))


def test_the_content_guide_lists_exactly_the_codes_in_the_source():
    listed, used = codes_in_guide(), codes_in_source()
    assert sorted(set(listed) - used) == [], "listed in the guide but used nowhere"
    assert sorted(used - set(listed)) == [], "used in the source but not in the guide's table"
    assert list(listed) == sorted(listed), "keep the table in alphabetical order"
    assert all(meaning.strip() for meaning in listed.values())


def test_a_problem_line_keeps_its_wording_and_carries_its_code():
    from research.core.errors import ContentError, Problem

    problem = Problem("content/x.md", "is wrong", 3, "date", "date.format")
    line = problem.report()
    assert line == str(problem) == "content/x.md:3: date: is wrong"
    assert line.code == "date.format"
    assert [p.code for p in ContentError(problem).problems] == ["date.format"]

"""Turn an entry of cases.yaml into a site folder: a copy of the fixture site with one change.

An entry has an id (`case`), the exact problem line the build must report (`expected`), and
any of these changes, applied in this order:

- `settings`: extra Pelican settings appended to the site's pelicanconf.py (e.g. a small
  `MAX_FILE_BYTES`), as a mapping of names to values or as Python text, so that the in-process build and the command line see the same site;
- `write`: {path: text} files to create or overwrite, relative to the site folder;
- `expand`: {token: [text, count]} replaces `token` in the written texts by `text * count`
  (a large file or deep nesting without pasting it into this file);
- `encoding`: how to encode the written texts (default utf-8; latin-1 for the non-UTF-8 case);
- `replace`: {file, old, new} (or a list of them): replace `old`, which must occur, once;
- `cli: true`: the case is also run through `python -m research build` in a subprocess.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE_SITE = HERE.parent / "fixtures" / "site"
# cases.yaml holds the first corpus; each later corpus is a file of its own, cases-<topic>.yaml
# (hardening, citations, contract, ...), so that work on different topics never edits one file.
CASE_FILES = [HERE / "cases.yaml", *sorted(HERE.glob("cases-*.yaml"))]
CASES: list[dict] = [case for path in CASE_FILES
                     for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


def copy_base_site(site: Path) -> Path:
    shutil.copytree(BASE_SITE, site, ignore=shutil.ignore_patterns("__pycache__"))
    return site


def apply_case(case: dict, site: Path) -> str:
    """Change the copy of the base site at `site` as the case says; return the expected
    problem line (`{settings_line}` in it is the first line the case added to the settings)."""
    settings = (site / "pelicanconf.py").read_text(encoding="utf-8")
    settings_line = len(settings.splitlines()) + 1
    if case.get("settings"):
        with open(site / "pelicanconf.py", "a", encoding="utf-8") as handle:
            if not settings.endswith("\n"):
                handle.write("\n")
            if isinstance(case["settings"], str):  # Python text, e.g. a syntax error
                handle.write(case["settings"])
            else:
                for name, value in case["settings"].items():
                    handle.write(f"{name} = {value!r}\n")
    for relative, text in (case.get("write") or {}).items():
        for token, (piece, count) in (case.get("expand") or {}).items():
            text = text.replace(token, piece * count)
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(case.get("encoding", "utf-8")))
    edits = case.get("replace") or []
    for edit in [edits] if isinstance(edits, dict) else edits:
        path = site / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["old"] in text, f"{case['case']}: {edit['old']!r} not in {edit['file']}"
        path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    return case["expected"].replace("{settings_line}", str(settings_line))

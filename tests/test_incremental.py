"""An incremental build writes exactly the bytes of a clean full build (issue 16).

Random sequences of edits (seeded: a failure names its seed and replays) are applied to a
copy of the fixture site, with its own copy of the theme and settings so that templates and
settings can be edited too. After each edit the site is built incrementally into one output
folder (the previous output and build state beside it) and from scratch into another; the
two must agree: the same outcome and problems, and on success the same files with the same
bytes. Pagefind is off (its hash-named files differ from run to run).
"""

from __future__ import annotations

import io
import os
import random
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from sitepages import reset_pelican_log_dedup

# About 2 s per edit (two builds of the fixture site); more with these variables.
SEQUENCES = int(os.environ.get("RESEARCH_INCREMENTAL_SEQUENCES", "2"))
EXTRA_STEPS = int(os.environ.get("RESEARCH_INCREMENTAL_STEPS", "0"))


# --- the site and its edits ---------------------------------------------------------------

def _make_site(tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(FIXTURES / "site", site)
    shutil.copytree(ROOT / "theme", tmp / "theme")
    settings = site / "pelicanconf.py"
    text = settings.read_text("utf-8")
    assert 'THEME = str(ROOT / "theme")' in text
    settings.write_text(text.replace('THEME = str(ROOT / "theme")', f'THEME = {str(tmp / "theme")!r}'),
                        "utf-8")
    _ids(site)
    return site


def _ids(site: Path) -> None:
    """What an editor runs after an edit: ids for new paragraphs, the lock confirmed."""
    from research.read.paragraph_ids import run

    cwd = os.getcwd()
    os.chdir(site)
    try:
        run("pelicanconf.py", confirm=True, out=io.StringIO())
    finally:
        os.chdir(cwd)


def _docs(site: Path) -> list[Path]:
    return sorted((site / "content").glob("[bs]*/*.md"))


def _replace_once(path: Path, old: str, new: str) -> bool:
    text = path.read_text("utf-8")
    if old not in text:
        return False
    path.write_text(text.replace(old, new, 1), "utf-8")
    return True


def add_mention(site: Path, rnd: random.Random) -> str:
    doc = rnd.choice(_docs(site))
    name = rnd.choice(["Russia", "Georgia", "the CSTO", "Sergei Lavrov", "South Ossetia"])
    _replace_once(doc, " {#p-", f" {name} was named again. {{#p-")
    return f"add a mention of {name} to {doc.name}"


def remove_mention(site: Path, rnd: random.Random) -> str:
    doc = rnd.choice(_docs(site))
    name = rnd.choice(["Lavrov", "Georgia", "CSTO", "South Ossetia", "Russia"])
    body_start = doc.read_text("utf-8").index("---", 3)
    text = doc.read_text("utf-8")
    where = text.find(name, body_start)
    if where < 0:
        return f"no {name} to remove in {doc.name}"
    doc.write_text(text[:where] + "someone" + text[where + len(name):], "utf-8")
    return f"remove a mention of {name} from {doc.name}"


_NEW_ENTITY = """---
name: Shanghai Cooperation Organization
type: organization
slug: sco
aliases:
  - SCO
kind: regional organization
summary: A regional organization founded in 2001.
members:
  - member: russia
    role: member
    start: '2001-06-15'
    end:
    refs: ["ministers-meet#p-1"]
---
A regional organization.
"""


def add_entity(site: Path, rnd: random.Random) -> str:
    path = site / "content" / "entities" / "organizations" / "sco.md"
    path.write_text(_NEW_ENTITY, "utf-8")
    doc = rnd.choice(_docs(site))
    _replace_once(doc, " {#p-", " The SCO met too. {#p-")
    return f"add the SCO (and name it in {doc.name})"


def delete_entity(site: Path, rnd: random.Random) -> str:
    added = site / "content" / "entities" / "organizations" / "sco.md"
    if added.exists() and rnd.random() < 0.7:
        added.unlink()
        return "delete the SCO"
    path = site / "content" / "entities" / "territories" / "south-ossetia.md"
    if path.exists():
        path.unlink()
        return "delete South Ossetia"
    return "nothing to delete"


def change_membership(site: Path, rnd: random.Random) -> str:
    csto = site / "content" / "entities" / "organizations" / "csto.md"
    choice = rnd.choice([("end: '1999-04'", "end: '1999-05'"), ("end: '1999-05'", "end: '1999-04'"),
                         ("note: original signatory", "note: a founding signatory"),
                         ("role: member\n    start: '1993", "role: observer\n    start: '1993")])
    done = _replace_once(csto, *choice)
    return f"membership: {choice[0]!r} -> {choice[1]!r}" + ("" if done else " (not there)")


_NEW_DOCUMENT = """---
title: "A new note {n}"
slug: new-note-{n}
author: Research team
date: "2008-10-0{day}T12:00:00+00:00"
summary: A note added by the test.
tags: [Georgia]
---

Russia and Georgia talked about South Ossetia.

Sergei Lavrov said little.
"""


def add_document(site: Path, rnd: random.Random) -> str:
    n = rnd.randint(1, 3)
    path = site / "content" / "briefings" / f"new-note-{n}.md"
    if any(p.name.endswith(f"new-note-{n}.md") for p in _docs(site)):
        return f"new-note-{n} already there"
    path.write_text(_NEW_DOCUMENT.format(n=n, day=n), "utf-8")
    return f"add briefing new-note-{n}"


def delete_document(site: Path, rnd: random.Random) -> str:
    # Sources are cited by rows and notes: deleting one is a build error (tested as such).
    candidates = [p for p in _docs(site) if "briefings" in p.parts]
    if not candidates:
        return "no briefing to delete"
    doc = rnd.choice(candidates)
    doc.unlink()
    return f"delete {doc.name}"


def rename_file(site: Path, rnd: random.Random) -> str:
    doc = rnd.choice(_docs(site))
    new = doc.with_name(("renamed-" if not doc.name.startswith("renamed-") else "") + doc.name)
    if new == doc or new.exists():
        new = doc.with_name(doc.name.removeprefix("renamed-"))
    doc.rename(new)
    return f"rename {doc.name} -> {new.name}"


def edit_metadata(site: Path, rnd: random.Random) -> str:
    doc = rnd.choice(_docs(site))
    edit = rnd.choice([("summary: ", "summary: Revised. "), ("title: \"", "title: \"New "),
                       ("tags: [", "tags: [Moscow, ")])
    done = _replace_once(doc, *edit)
    return f"{doc.name}: {edit[0]!r} edited" + ("" if done else " (not there)")


def edit_body_text(site: Path, rnd: random.Random) -> str:
    """A paragraph's words change, no mention or citation does: the document's page and the
    exports that carry paragraph texts (FtM, SQLite) change, nothing else."""
    doc = rnd.choice(_docs(site))
    word = rnd.choice(["briefly", "at length", "again"])
    done = _replace_once(doc, " {#p-", f" It was said {word}. {{#p-")
    return f"{doc.name}: a sentence without names added" + ("" if done else " (not there)")


def edit_template(site: Path, rnd: random.Random) -> str:
    # the page templates of some pages only (article, tag, a partial of entity pages) and
    # the templates every page extends or imports
    name = rnd.choice(["article.html", "entity.html", "base.html", "_entity_macros.html",
                       "tag.html", "_quotes.html", "timeline.html", "_macros.html"])
    path = site.parent / "theme" / "templates" / name
    path.write_text(path.read_text("utf-8") + f"\n{{# edit {rnd.random()} #}}<!-- v{rnd.randint(1, 9)} -->\n",
                    "utf-8")
    return f"edit template {name}"


def change_setting(site: Path, rnd: random.Random) -> str:
    path = site / "pelicanconf.py"
    value = rnd.choice([
        'SITESUBTITLE = "A changed subtitle"',
        'ENTITY_LINK_POLICY = "first-in-section"',
        'ENTITY_LINK_POLICY = "all"',
        'SUMMARY_MAX_LENGTH = 20',
    ])
    path.write_text(path.read_text("utf-8") + value + "\n", "utf-8")
    return f"setting {value}"


def no_edit(site: Path, rnd: random.Random) -> str:
    return "no edit"


EDITS = [add_mention, remove_mention, add_entity, delete_entity, change_membership,
         add_document, delete_document, rename_file, edit_metadata, edit_body_text,
         edit_template, change_setting, no_edit]


# --- building and comparing ---------------------------------------------------------------

def _build(site: Path, output: Path, incremental: bool):
    from research.cli.build import build

    reset_pelican_log_dedup()
    cwd = os.getcwd()
    os.chdir(site)
    try:
        return build("pelicanconf.py", str(output), incremental=incremental)
    finally:
        os.chdir(cwd)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _compare(incremental: Path, full: Path) -> list[str]:
    a, b = _files(incremental), _files(full)
    differences = [f"only in the incremental build: {n}" for n in sorted(a.keys() - b.keys())]
    differences += [f"only in the full build: {n}" for n in sorted(b.keys() - a.keys())]
    differences += [f"different bytes: {n}" for n in sorted(a.keys() & b.keys()) if a[n] != b[n]]
    return differences


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(SEQUENCES))
def test_incremental_builds_equal_full_builds(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    monkeypatch.delenv("LINK_INDEX_FILES", raising=False)
    rnd = random.Random(seed)
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "incremental"
    first = _build(site, output, incremental=True)
    assert first.ok, first.problems
    history = []
    reused = built = 0
    # every kind of edit once per sequence, in an order of the seed's (then random ones)
    edits = rnd.sample(EDITS, len(EDITS)) + [rnd.choice(EDITS) for _ in range(EXTRA_STEPS)]
    for step, edit in enumerate(edits):
        history.append(edit(site, rnd))
        _ids(site)
        result = _build(site, output, incremental=True)
        full_output = tmp_path / "out" / f"full-{step}"
        full = _build(site, full_output, incremental=False)
        where = f"seed {seed}, after: {'; '.join(history)}"
        assert result.ok == full.ok, f"{where}: {result.problems} vs {full.problems}"
        assert list(result.problems) == list(full.problems), where
        assert list(result.lint) == list(full.lint), where
        if full.ok:
            differences = _compare(output, full_output)
            assert not differences, f"{where}: {differences[:10]}"
            reused += result.incremental["reused"]
            built += 1
        shutil.rmtree(full_output, ignore_errors=True)
    assert reused > 0 or not any(h == "no edit" for h in history)
    # most steps leave a site that builds, or the comparisons above compared little
    assert built >= len(edits) // 2, f"seed {seed}: only {built} of {len(edits)} steps built"


def test_a_build_after_no_edit_renders_nothing_and_reads_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    assert _build(site, output, incremental=True).ok
    again = _build(site, output, incremental=True)
    assert again.ok
    assert again.incremental["rendered"] == 0
    assert again.incremental["reread"] == 0 and again.incremental["relinked"] == 0
    # one edited body: its page only (this sentence names no entity)
    doc = site / "content" / "briefings" / "csto-and-georgia.md"
    _replace_once(doc, " {#p-2}", " It was brief. {#p-2}")
    edited = _build(site, output, incremental=True)
    assert edited.ok and edited.incremental["rendered"] == 1, edited.incremental
    assert edited.incremental["reread"] == 1 and edited.incremental["relinked"] == 1


def test_a_damaged_state_is_ignored_with_a_note(tmp_path, monkeypatch):
    from research.cache import store

    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    assert _build(site, output, incremental=True).ok
    before = _files(output)
    state = store.location(output) / store.FILE
    state.write_bytes(state.read_bytes()[:100])  # a build killed while writing (or a bad disk)
    result = _build(site, output, incremental=True)
    assert result.ok
    assert any("cannot be read" in note for note in result.notes), result.notes
    assert result.incremental["reused"] == 0
    assert _files(output) == before
    assert _build(site, output, incremental=True).incremental["rendered"] == 0  # saved anew


def test_a_failed_build_keeps_the_previous_state(tmp_path, monkeypatch):
    from research.cache import store

    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    assert _build(site, output, incremental=True).ok
    state = store.location(output) / store.FILE
    saved = state.read_bytes()
    doc = site / "content" / "briefings" / "csto-and-georgia.md"
    _replace_once(doc, "title:", "title: [broken")
    assert not _build(site, output, incremental=True).ok
    assert state.read_bytes() == saved


def _pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def test_a_template_edit_renders_only_the_pages_that_loaded_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    assert _build(site, output, incremental=True).ok
    # tag.html: the tag pages only; article.html: the documents' pages only
    for name, folder in (("tag.html", "tag"), ("article.html", None)):
        path = tmp_path / "theme" / "templates" / name
        assert _replace_once(path, "{% block content %}",
                             f"{{% block content %}}<!-- {name} edited -->")
        result = _build(site, output, incremental=True)
        assert result.ok, result.problems
        full = _build(site, tmp_path / "out" / f"full-{name}", incremental=False)
        assert not _compare(output, tmp_path / "out" / f"full-{name}")
        edited = [p for p in output.rglob("*.html")
                  if f"<!-- {name} edited -->" in p.read_text("utf-8")]
        assert edited and result.incremental["rendered"] == len(edited), (name, result.incremental)
        assert result.incremental["reused"] > 0 and full.ok
        if folder:
            assert all(folder in p.relative_to(output).as_posix() for p in edited), edited


def _fragments(folder: Path) -> str:
    """The text of Pagefind's fragments (gzip-compressed JSON, one per indexed page)."""
    import gzip

    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                   for p in sorted((folder / "pagefind" / "fragment").glob("*.pf_fragment")))


def test_the_search_index_is_reused_only_while_its_text_is_unchanged(tmp_path, monkeypatch):
    pytest.importorskip("pagefind_bin")
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    settings = site / "pelicanconf.py"
    settings.write_text(settings.read_text("utf-8") + "\nSEARCH_INDEX = True\n", "utf-8")
    output = tmp_path / "out" / "site"
    first = _build(site, output, incremental=True)
    assert first.ok, first.problems
    assert first.incremental["search index"] == "written"
    index = {n: b for n, b in _files(output).items() if n.startswith("pagefind/")}

    def check_against_full(step: str) -> None:
        full = tmp_path / "out" / f"full-{step}"
        assert _build(site, full, incremental=False).ok
        differences = [d for d in _compare(output, full) if "pagefind/" not in d]
        assert not differences, (step, differences[:10])

    # no edit, then a template edit of pages Pagefind leaves out (tag pages: no indexed body)
    assert _build(site, output, incremental=True).incremental["search index"] == "reused"
    tag = tmp_path / "theme" / "templates" / "tag.html"
    assert _replace_once(tag, "{% block content %}", "{% block content %}<p>Changed</p>")
    again = _build(site, output, incremental=True)
    assert again.ok and again.incremental["search index"] == "reused"
    assert {n: b for n, b in _files(output).items() if n.startswith("pagefind/")} == index
    check_against_full("tag")
    # a new word in a document's body: indexed again, and found
    doc = site / "content" / "briefings" / "csto-and-georgia.md"
    assert _replace_once(doc, " {#p-2}", " Zanzibarian words were spoken. {#p-2}")
    _ids(site)
    edited = _build(site, output, incremental=True)
    assert edited.ok and edited.incremental["search index"] == "written"
    assert "Zanzibarian" in _fragments(output) and "Zanzibarian" not in str(index)
    check_against_full("body")


def test_a_body_edit_remakes_one_ftm_part_and_keeps_the_other_exports(tmp_path, monkeypatch):
    """FtM's lines are kept per part (registry, one Article per document, Documentation):
    a body edit makes the edited document's Article again; GEXF, the panel and the data
    package (no paragraph text) are copied; the bytes are a clean build's."""
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    monkeypatch.delenv("LINK_INDEX_FILES", raising=False)
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    first = _build(site, output, incremental=True)
    assert first.ok and first.incremental["remade parts"] > 2, first.incremental
    doc = site / "content" / "briefings" / "csto-and-georgia.md"
    assert _replace_once(doc, " {#p-2}", " It was brief. {#p-2}")
    edited = _build(site, output, incremental=True)
    assert edited.ok, edited.problems
    stats = edited.incremental
    assert stats["remade parts"] == 1, stats  # the edited document's Article only
    assert stats["written files"] == 1 and stats["reused files"] == 2, stats
    full = _build(site, tmp_path / "out" / "full", incremental=False)
    assert full.ok
    assert not _compare(output, tmp_path / "out" / "full")
    ftm = (output / "data" / "entities.ftm.json").read_text(encoding="utf-8")
    assert "It was brief." in ftm


def test_the_url_scan_reads_a_copied_file_again_once_it_changed(tmp_path):
    """The URL scan skips a file copied from the previous output (its bytes passed the last
    scan) only while it has the size and time it was copied with; a file rewritten in place
    after the copy (LINK_INDEX_FILES) is read again."""
    from research.cli.postbuild import scan

    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text('<a href="javascript:alert(1)">x</a>', encoding="utf-8")
    info = os.stat(page)
    copied = {"a/index.html": (info.st_size, info.st_mtime_ns)}
    assert scan(tmp_path, None, copied) == []
    assert scan(tmp_path, None, None)  # not copied: read, and refused
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns + 1000))
    assert scan(tmp_path, None, copied)  # another time: read again


def test_entity_page_views_are_made_only_for_pages_rendered(tmp_path, monkeypatch):
    """An entity page's view (maps, neighbourhood, tables: prepare.entity_view) is a
    Deferred value: a build that copies every entity page makes none."""
    from research.render import prepare

    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    site = _make_site(tmp_path)
    output = tmp_path / "out" / "site"
    made = []
    original = prepare.entity_view

    def counting(*args, **kwargs):
        made.append(args[1].slug)
        return original(*args, **kwargs)

    monkeypatch.setattr(prepare, "entity_view", counting)
    assert _build(site, output, incremental=True).ok
    assert made  # the first build renders every entity page
    made.clear()
    again = _build(site, output, incremental=True)
    assert again.ok and again.incremental["rendered"] == 0 and made == []

"""`python -m research rename-entity`, and redirect pages for former slugs."""

from __future__ import annotations

import functools
import json
import posixpath
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, build_site, stamp_ids
from research.cli import rename
from research.__main__ import main

HAND_WRITTEN = ("\nThe [host]{entity=russia} and [its page](../../countries/russia/#p-1) and "
                "[its file]({filename}../entities/countries/russia.md) and "
                "[elsewhere](https://example.com/countries/russia/).\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    copy = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", copy)
    with (copy / "content" / "briefings" / "csto-and-georgia.md").open("a") as note:
        note.write(HAND_WRITTEN)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    stamp_ids(copy)  # the new paragraph gets its id, as an editor would
    monkeypatch.chdir(copy)
    return copy


def hrefs(output: Path) -> list[tuple[str, str]]:
    """(page path, resolved target path without fragment) for every internal link."""
    links = []
    for page in output.rglob("*.html"):
        here = page.relative_to(output).as_posix()
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:|#|/", href):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here),
                                                       href.split("#")[0]))
            links.append((here, target))
    return links


def page_file(output: Path, target: str) -> Path:
    path = output / target
    return path / "index.html" if path.is_dir() or not path.suffix else path


def landing(output: Path, target: str) -> str:
    """Where a link ends up: the redirect page's target, followed once, or the page."""
    text = page_file(output, target).read_text(encoding="utf-8")
    refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
    if not refresh:
        return target
    base = target if target.endswith(".html") else target + "/index.html"
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), refresh[1]))


def test_rename_moves_rewrites_and_every_old_link_lands_on_the_new_page(site, tmp_path, capsys):
    before = build_site(site, tmp_path / "before")
    assert before.ok, before.problems
    old_links = [(page, target) for page, target in hrefs(tmp_path / "before")
                 if target == "countries/russia"]
    assert len(old_links) > 10  # rows, mentions, forced and hand-written links

    assert main(["rename-entity", "russia", "russian-federation"]) == 0
    out = capsys.readouterr().out
    assert "Renamed russia to russian-federation" in out
    entities = site / "content" / "entities"
    assert not (entities / "countries" / "russia.md").exists()
    data = yaml.safe_load((entities / "countries" / "russian-federation.md")
                          .read_text().split("---\n")[1])
    assert data["slug"] == "russian-federation" and data["former_slugs"] == ["russia"]
    # No field names the old slug any more; the hand-written links follow the file.
    for path in (site / "content").rglob("*.md"):
        tree = yaml.compose(path.read_text().split("---\n")[1])
        assert not [n for key, n in rename._scalars(tree)
                    if n.value == "russia" and key != "former_slugs"], path
    note = (site / "content" / "briefings" / "csto-and-georgia.md").read_text()
    assert ("{entity=russian-federation}" in note and "../../countries/russian-federation/#p-1"
            in note and "{filename}../entities/countries/russian-federation.md" in note)
    assert "(https://example.com/countries/russia/)" in note  # another site: left alone

    after = build_site(site, tmp_path / "after")
    assert after.ok, after.problems
    output = tmp_path / "after"
    redirect = (output / "countries" / "russia" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../russian-federation/">' in redirect
    assert '<link rel="canonical" href="../russian-federation/">' in redirect
    assert '<a href="../russian-federation/">Russia</a>' in redirect
    for page, target in old_links:  # the same link, followed on the new site
        assert landing(output, target) == "countries/russian-federation", (page, target)
        assert page_file(output, "countries/russian-federation").is_file()
    sitemap = (output / "sitemap.xml").read_text()
    assert "countries/russian-federation/" in sitemap and "countries/russia/" not in sitemap
    exported = json.loads((output / "data" / "redirects.json").read_text())
    assert exported == {"redirects": [{
        "from": "russia", "to": "russian-federation", "type": "country",
        "from_url": "countries/russia/", "to_url": "countries/russian-federation/"}]}
    slugs = [e["slug"] for e in json.loads((output / "data" / "entities.json").read_text())
             ["entities"]]
    assert "russian-federation" in slugs and "russia" not in slugs


def test_renaming_back_restores_the_slug_and_keeps_both_redirects_consistent(site, tmp_path):
    assert main(["rename-entity", "csto", "odkb"]) == 0
    assert main(["rename-entity", "odkb", "csto"]) == 0
    text = (site / "content" / "entities" / "organizations" / "csto.md").read_text()
    assert "former_slugs: [odkb]" in text and "slug: csto" in text
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    assert landing(tmp_path / "output", "organizations/odkb") == "organizations/csto"


@pytest.mark.parametrize("argv, message", [
    (["russia", "georgia"], "rename-entity: georgia: is the slug of "
                            "content/entities/countries/georgia.md already; pick another slug"),
    (["russia", "Russia_2"], "rename-entity: Russia_2: is not a valid slug"),
    (["rusia", "x"], "rename-entity: rusia: no entity has this slug; did you mean 'russia'?"),
    (["russia", "russia"], "rename-entity: russia: is the slug already; nothing to rename"),
])
def test_refused_renames_say_why_and_change_nothing(site, capsys, argv, message):
    before = {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
    assert main(["rename-entity", *argv]) == 2
    err = capsys.readouterr().err
    assert err.strip() == err.strip().splitlines()[0] and message in err
    assert {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()} == before


def test_a_slug_another_entity_had_is_refused(site, capsys):
    assert main(["rename-entity", "csto", "odkb"]) == 0
    assert main(["rename-entity", "georgia", "csto"]) == 2
    assert "csto: was the slug of content/entities/organizations/odkb.md" in \
        capsys.readouterr().err


def test_reference_fields_are_every_field_that_names_an_entity_in_real_content():
    files = sorted((ROOT / "content").rglob("*.md"))
    slugs = {p.stem for p in (ROOT / "content" / "entities").rglob("*.md")}
    seen = set()
    for path in files:
        tree = yaml.compose(path.read_text(encoding="utf-8").split("---\n")[1])
        for key, node in rename._scalars(tree):
            if node.value in slugs and key != "slug":
                assert key in rename.REFERENCE_FIELDS, (path, key, node.value)
                seen.add(key)
    assert {"member", "by", "country", "nationality", "speaker"} <= seen


def test_rename_document_rewrites_citations_and_links(site, tmp_path, capsys):
    note = site / "content" / "briefings" / "csto-and-georgia.md"
    with note.open("a") as text:
        text.write("It says so [@ministers-meet#p-2; @ministers-meet#p-3].\n")
    stamp_ids(site)
    before = build_site(site, tmp_path / "before")
    assert before.ok, before.problems
    lock_before = json.loads((site / "content" / "citations.lock").read_text())["documents"]
    old_links = [(p, t) for p, t in hrefs(tmp_path / "before") if t == "sources/ministers-meet"]
    assert len(old_links) > 3
    assert main(["rename-document", "ministers-meet", "ministers-met"]) == 0
    assert "Renamed ministers-meet to ministers-met" in capsys.readouterr().out
    assert not list((site / "content").rglob("ministers-meet.md"))
    texts = "".join(p.read_text() for p in (site / "content").rglob("*.md"))
    assert "ministers-meet" not in texts.replace("former_slugs: [ministers-meet]", "")
    assert "[@ministers-met#p-2; @ministers-met#p-3]" in note.read_text()
    # The lock keeps the document's ids and recorded texts under its new name and slug.
    lock_after = json.loads((site / "content" / "citations.lock").read_text())["documents"]
    assert "sources/ministers-meet.md" not in lock_after
    assert lock_after["sources/ministers-met.md"] == {
        **lock_before["sources/ministers-meet.md"], "slug": "ministers-met"}
    after = build_site(site, tmp_path / "after")
    assert after.ok, after.problems
    for page, target in old_links:
        assert landing(tmp_path / "after", target) == "sources/ministers-met", (page, target)
    assert main(["rename-document", "ministers-met", "csto-and-georgia"]) == 2
    assert "is the slug of content/briefings/csto-and-georgia.md already" in \
        capsys.readouterr().err


def test_a_renamed_source_keeps_its_paragraph_links_in_a_browser(site, tmp_path, page):
    assert main(["rename-document", "ministers-meet", "ministers-met"]) == 0
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path / "output"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(base + "sources/ministers-meet/#p-3")
        page.wait_for_url(base + "sources/ministers-met/#p-3")
        assert page.locator("#p-3").count() == 1
        no_script = page.context.browser.new_context(java_script_enabled=False)
        try:  # without JavaScript: the meta refresh and the visible link still lead there
            tab = no_script.new_page()
            tab.goto(base + "sources/ministers-meet/")
            tab.wait_for_url(base + "sources/ministers-met/")
        finally:
            no_script.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("value, message", [
    ("[Bad_Slug]", "former_slugs[0]: 'Bad_Slug' is not a valid slug"),
    ("[ministers-meet]", "former_slugs[0]: 'ministers-meet' is the current slug"),
    ("[csto-and-georgia]", "former_slugs[0]: 'csto-and-georgia' is the slug of "
                           "content/briefings/csto-and-georgia.md now"),
    ("7", "former_slugs: must be a list"),
])
def test_bad_former_slugs_fail_the_build_with_file_and_line(site, tmp_path, value, message):
    source = site / "content" / "sources" / "ministers-meet.md"
    source.write_text(source.read_text().replace(
        "slug: ministers-meet\n", f"slug: ministers-meet\nformer_slugs: {value}\n"))
    result = build_site(site, tmp_path / "output")
    assert not result.ok
    # (The field's shape may be reported by the front-matter schema as `former_slugs:`.)
    where, what = message.split(": ", 1)
    assert any(p.startswith("content/sources/ministers-meet.md:4: former_slugs") and what in p
               for p in result.problems), result.problems

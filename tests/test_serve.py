"""The dev server (`make serve`): live script only when served, survival of crashing rebuilds.

Each test serves a copy of the fixture site on a free localhost port; the watcher and the
HTTP server stop when the test ends.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

CRASH_PLUGIN = '''
"""A third-party plugin that raises while content/crash.txt exists (a crashing edit)."""
import os
from pelican import signals

def _crash(generators):
    settings = generators[0].settings
    if os.path.exists(os.path.join(settings["PATH"], "crash.txt")):
        raise RuntimeError("the crash plugin was asked to crash")

def register():
    signals.all_generators_finalized.connect(_crash)
'''


class Lines(io.StringIO):
    """The server's terminal output, written from the watcher thread, read by the test."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text):
        with self.lock:
            return super().write(text)

    def text(self):
        with self.lock:
            return self.getvalue()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A copy of the fixture site with a crash-on-demand plugin, as the working directory."""
    copy = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", copy)
    plugins = tmp_path / "third-party"
    (plugins / "crash_on_demand").mkdir(parents=True)
    (plugins / "crash_on_demand" / "__init__.py").write_text(CRASH_PLUGIN, encoding="utf-8")
    with (copy / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nPLUGIN_PATHS = PLUGIN_PATHS + [{str(plugins)!r}]\n"
                   "PLUGINS = PLUGINS + ['crash_on_demand']\n")
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def server(site):
    """The dev server on a free port, built once; rebuilds only when the test says."""
    from research.cli.serve import DevServer

    server = DevServer("pelicanconf.py", "output", "127.0.0.1", 0, stream=Lines())
    assert server.rebuild(), server.stream.text()
    server.start()
    yield server
    server.close()


@pytest.fixture
def dev(server):
    """The dev server as `make serve` runs it: watching for changes, in a thread."""
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop,), daemon=True)
    watcher.start()
    time.sleep(0.3)  # let the watcher register before the test edits files
    yield server
    stop.set()
    watcher.join(timeout=10)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_for(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_served_pages_carry_the_live_script_but_built_files_do_not(dev, site):
    status, page = get(dev.url)
    assert status == 200 and f'data-research-live="{dev.state.build_id}"' in page
    assert dev.state.build_id.endswith(".1")
    assert page.index("data-research-live") < page.rindex("</body>")
    status, page = get(dev.url + "organizations/csto/")
    assert status == 200 and "EventSource" in page
    status, css = get(dev.url + "theme/css/site.css")
    assert status == 200 and "EventSource" not in css
    built = list((site / "output").rglob("*.html"))
    assert built and not [p for p in built if "research-live" in p.read_text(encoding="utf-8")]
    # A page that does not exist still shows problems and reloads after a build.
    status, page = get(dev.url + "organizations/nothing-here/")
    assert status == 404 and "data-research-live" in page


def test_events_stream_says_which_build_is_current(dev):
    with urllib.request.urlopen(dev.url + "__research__/events", timeout=10) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        line = stream.readline()
        while not line.startswith(b"data: "):
            line = stream.readline()
    assert json.loads(line[len(b"data: "):]) == {"build": dev.state.build_id, "problems": []}


def test_make_html_and_make_publish_output_have_no_live_script(real_site, published_site):
    for output in (real_site[1], published_site[0]):
        pages = list(output.rglob("*.html"))
        assert len(pages) > 50
        assert not [p for p in pages if "__research__" in p.read_text(encoding="utf-8")]


def test_a_crashing_rebuild_is_reported_and_the_next_good_save_recovers(dev, site):
    before = get(dev.url + "countries/georgia/")
    (site / "content" / "crash.txt").write_text("crash", encoding="utf-8")
    wait_for(lambda: dev.state.problems, "the crashing rebuild")
    assert dev.state.build == 1
    assert "RuntimeError: the crash plugin was asked to crash" in dev.state.problems[0]
    terminal = dev.stream.text()
    assert "Build failed: the build crashed: RuntimeError" in terminal
    assert "Traceback" not in terminal  # a third-party failure: one line, no dump
    # The last good site is still served, unchanged.
    assert get(dev.url + "countries/georgia/") == before

    (site / "content" / "crash.txt").unlink()
    georgia = site / "content" / "entities" / "countries" / "georgia.md"
    georgia.write_text(georgia.read_text(encoding="utf-8").replace(
        "A state in the South Caucasus.", "A state on the Black Sea."), encoding="utf-8")
    wait_for(lambda: dev.state.build == 2 and not dev.state.problems, "the good rebuild")
    status, page = get(dev.url + "countries/georgia/")
    assert status == 200 and "A state on the Black Sea." in page


def test_a_bug_in_our_code_prints_its_traceback_and_the_server_keeps_serving(
        server, site, monkeypatch):
    from research.render import entity_pages

    with monkeypatch.context() as patch:  # (only this patch: the site stays the cwd)
        patch.setattr(entity_pages, "membership_svg", None)  # a bug: calling None
        assert server.rebuild() is False
    terminal = server.stream.text()
    assert "bug in plugins/research" in terminal and "Traceback" in terminal
    assert "entity_pages.py" in server.state.problems[0]
    assert get(server.url)[0] == 200
    assert server.rebuild() is True, server.state.problems
    assert server.state.problems == [] and server.state.build == 2


def test_content_errors_show_as_problems_and_lint_prints_only_when_it_changes(server, site):
    briefing = site / "content" / "briefings" / "csto-and-georgia.md"
    good = briefing.read_text(encoding="utf-8")
    briefing.write_text(good.replace("slug: csto-and-georgia", "slug: ../x"), encoding="utf-8")
    assert server.rebuild() is False
    assert any(p.startswith("content/briefings/csto-and-georgia.md:3: slug:")
               for p in server.state.problems), server.state.problems
    # (inside a paragraph that is not cited: a new paragraph would need `research ids` first)
    briefing.write_text(good.replace("Georgia left the alliance in 1999.", "Georgia left the "
                                     "alliance in 1999; the Zanzibar Pact was mentioned."),
                        encoding="utf-8")
    mark = len(server.stream.text())
    assert server.rebuild() is True
    assert "Lint:" in server.stream.text()[mark:]  # a new finding: the summary
    mark = len(server.stream.text())
    assert server.rebuild() is True  # the same findings: the summary is not repeated
    assert "Lint:" not in server.stream.text()[mark:]
    assert "Built the site" in server.stream.text()[mark:]
    briefing.write_text(good, encoding="utf-8")
    mark = len(server.stream.text())
    assert server.rebuild() is True  # the finding is gone: a changed list, printed
    assert "Lint: every capitalised name now matches an entity" in server.stream.text()[mark:]


def test_browser_shows_problems_over_the_page_and_reloads_after_the_fix(dev, site, page):
    """Live reload and the error overlay in Chromium: a bad edit shows the problem over the
    last good page (on every page opened meanwhile), the fix clears it and reloads."""
    from research.cli.serve import OVERLAY_ID

    georgia = site / "content" / "entities" / "countries" / "georgia.md"
    good = georgia.read_text(encoding="utf-8")
    page.goto(dev.url + "countries/georgia/")
    page.wait_for_function("document.querySelector('[data-research-live]') !== null")
    page.evaluate("window.notReloaded = true")

    georgia.write_text(good.replace("capital: Tbilisi", "captial: Tbilisi"), encoding="utf-8")
    overlay = page.locator(f"#{OVERLAY_ID}")
    overlay.wait_for(timeout=30_000)
    text = overlay.inner_text()
    assert "content/entities/countries/georgia.md:6: captial: is not a known field" in text
    assert page.evaluate("window.notReloaded") is True  # shown over the page, not a reload
    assert "A state in the South Caucasus." in page.inner_text("main")  # the last good page
    other = page.context.new_page()
    other.goto(dev.url + "organizations/csto/")
    other.locator(f"#{OVERLAY_ID}").wait_for(timeout=30_000)
    assert "captial" in other.locator(f"#{OVERLAY_ID}").inner_text()
    other.get_by_role("button", name="Hide until the next build").click()
    assert other.locator(f"#{OVERLAY_ID}").count() == 0
    other.evaluate("window.notReloaded = true")

    saved = time.monotonic()
    georgia.write_text(good.replace("A state in the South Caucasus.", "A state on the Black Sea."),
                       encoding="utf-8")
    page.wait_for_function("window.notReloaded === undefined", timeout=30_000)
    latency = time.monotonic() - saved
    page.wait_for_load_state()
    assert "A state on the Black Sea." in page.inner_text("main")
    assert page.locator(f"#{OVERLAY_ID}").count() == 0
    other.wait_for_function("window.notReloaded === undefined")  # reloaded too
    print(f"save-to-reload latency: {latency:.2f} s")


def test_a_plugin_change_asks_for_a_restart_instead_of_a_stale_rebuild(server, site):
    (site / "plugins").mkdir()
    (site / "plugins" / "local.py").write_text("X = 1\n", encoding="utf-8")
    restarts = []
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop, lambda: restarts.append(1)),
                               daemon=True)
    watcher.start()
    time.sleep(0.3)
    (site / "content" / "entities" / "countries" / "georgia.md").touch()
    wait_for(lambda: server.state.build == 2, "a rebuild for a content change")
    assert not restarts
    (site / "plugins" / "local.py").write_text("X = 2\n", encoding="utf-8")
    watcher.join(timeout=30)
    stop.set()
    assert restarts == [1] and not watcher.is_alive() and server.state.build == 2


def test_head_requests_get_the_served_length(server):
    request = urllib.request.Request(server.url, method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        length = int(response.headers["Content-Length"])
    assert length == len(get(server.url)[1].encode("utf-8"))


def test_before_any_good_build_pages_show_the_problems_and_recover(site):
    from research.cli.serve import DevServer

    georgia = site / "content" / "entities" / "countries" / "georgia.md"
    good = georgia.read_text(encoding="utf-8")
    georgia.write_text(good.replace("capital:", "captial:"), encoding="utf-8")
    server = DevServer("pelicanconf.py", "output", "127.0.0.1", 0, stream=Lines())
    try:
        assert server.rebuild() is False and not (site / "output").exists()
        server.start()
        status, page = get(server.url)
        assert status == 404 and "data-research-live" in page
        assert "captial" in server.state.problems[0]
        georgia.write_text(good, encoding="utf-8")
        assert server.rebuild() is True
        assert get(server.url)[0] == 200
    finally:
        server.close()

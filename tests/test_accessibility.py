"""axe-core over one page of every kind of the real site, in light and dark colour schemes.

Fails on any violation of impact "serious" or "critical" (contrast, names of links and
controls, landmarks, table headers, ...), listing the rule, the elements and axe's help text.
Pages are opened from the `site_url` server in the shared Playwright Chromium (conftest.py).
"""

from __future__ import annotations

import json

import pytest

# Required (the `test` extra installs it): a missing axe is a failure, never a skipped suite.
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

# One page of each kind: (name, path under the site root). Optional pages (made by features
# that may be absent from a build) are skipped when the file does not exist.
PAGES = [
    ("home", ""),
    ("source", "sources/moscows-search-for-intl-backing-continues/"),
    ("briefing", "briefings/csto-moscow-meeting-september-2008/"),
    ("organization", "organizations/csto/"),
    ("person", "people/sergei-lavrov/"),
    ("country", "countries/russia/"),
    ("territory", "territories/south-ossetia/"),
    ("sources index", "sources/"),
    ("briefings index", "briefings/"),
    ("organizations index", "organizations/"),
    ("people index", "people/"),
    ("countries index", "countries/"),
    ("territories index", "territories/"),
    ("memberships overlap", "memberships/"),
    ("timeline", "timeline/"),
    ("tags", "tags/"),
    ("tag", "tags/csto/"),
    ("network", "network/"),
    ("data", "data/"),
]
# Pages whose figures (timeline, maps, network) scroll sideways on a phone: a scrolling
# region must be reachable by keyboard, which only shows at that width.
PHONE_PAGES = ["organizations/sco/", "memberships/", "network/", "countries/russia/",
               "data/"]
PHONE = {"width": 390, "height": 844}
FAILING_IMPACTS = {"serious", "critical"}
# The dark scheme changes colours only, so it is checked for contrast only.
DARK_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
              "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} "
                     f"({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            summary = (node.get("failureSummary") or "").strip().splitlines()
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{summary[-1].strip() if summary else ''}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def _serious(results: dict) -> list[dict]:
    return [violation for violation in results["violations"]
            if violation["impact"] in FAILING_IMPACTS]


def _check_both_schemes(page, axe, where: str) -> list[str]:
    """axe on the page as loaded (light), then, without reloading, in the dark scheme for
    contrast only. Returns one report per scheme with serious violations."""
    failures = []
    page.emulate_media(color_scheme="light")
    light = axe.run(page).response  # injects axe-core into the page
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(f"axe.run(document, {json.dumps(DARK_RULES)})")
    page.emulate_media(color_scheme="light")
    for scheme, results in (("light", light), ("dark", dark)):
        if serious := _serious(results):
            failures.append(f"{where}, {scheme}:\n{_report(serious)}")
    return failures


def test_no_serious_axe_violations(real_site, site_url, page, axe):
    _, output = real_site
    failures = []
    for name, path in PAGES:
        assert (output / path / "index.html").is_file(), f"missing page {path!r} ({name})"
        page.goto(site_url + path, wait_until="load")
        failures += _check_both_schemes(page, axe, f"/{path} ({name})")
    assert not failures, "\n\n".join(failures)


def test_no_serious_axe_violations_at_phone_width(site_url, page, axe):
    page.set_viewport_size(PHONE)
    failures = []
    for path in PHONE_PAGES:
        page.goto(site_url + path, wait_until="load")
        if serious := _serious(axe.run(page).response):
            failures.append(f"/{path} at {PHONE['width']}px:\n{_report(serious)}")
    assert not failures, "\n\n".join(failures)


def test_the_dark_scheme_is_applied(site_url, page):
    """Guards the dark-mode check above: emulate_media must switch the stylesheet."""
    page.goto(site_url, wait_until="load")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="light")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark != light


def test_no_serious_axe_violations_in_search_results(real_site, site_url, page, axe):
    """The header's search box (Pagefind UI), open with results for a common word."""
    page.goto(site_url, wait_until="load")
    box = page.locator("#site-search input").first
    box.wait_for(state="visible", timeout=10_000)
    box.fill("Russia")
    page.locator("#site-search .pagefind-ui__result").first.wait_for(timeout=10_000)
    failures = _check_both_schemes(page, axe, "search results on /")
    assert not failures, "\n\n".join(failures)


def test_the_checker_reports_contrast_that_fails_only_in_the_dark(page, axe):
    """A canary for the harness: a colour pair that is fine in light and unreadable in dark
    must fail in the dark pass, and only there."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>canary</title><style>'
        "p { color: #1b1b1b; background: #fff; }"
        "@media (prefers-color-scheme: dark) { p { color: #333; background: #222; } }"
        "</style></head><body><main><h1>Canary</h1><p>Low contrast in the dark.</p></main>"
        "</body></html>")
    failures = _check_both_schemes(page, axe, "canary")
    assert len(failures) == 1 and failures[0].startswith("canary, dark:"), failures
    assert "color-contrast" in failures[0]

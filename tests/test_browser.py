"""A reader's paths through the real site in Chromium (Playwright): menu → organization →
member → the paragraph that mentions it; the search box; phone width; the keyboard; no
JavaScript; and search on the published build (absolute URLs under a sub-path).

Uses the shared fixtures of conftest.py: `real_site`, `site_url` (served over http, which
Pagefind needs), `browser` and `page`.
"""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import ROOT

SEARCH_INPUT = "#site-search input.pagefind-ui__search-input"
RESULT_LINK = "#site-search .pagefind-ui__result-link"
PHONE = {"width": 390, "height": 844}
TIMEOUT = 10_000


def _search(page, query: str) -> None:
    page.locator(SEARCH_INPUT).fill(query)
    page.locator(RESULT_LINK).first.wait_for(timeout=TIMEOUT)


def _result_titles(page) -> list[str]:
    return [text.strip() for text in page.locator(RESULT_LINK).all_inner_texts()]


def _no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth,"
                         " document.documentElement.clientWidth]")


def _serve(route, output, prefix: str) -> None:
    """Answer a request for the published site's address from its output folder."""
    path = urlsplit(route.request.url).path[len(urlsplit(prefix).path):]
    target = output / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    if not target.resolve().is_relative_to(output.resolve()) or not target.is_file():
        route.fulfill(status=404, body="not found")
        return
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=target.read_bytes(), content_type=kind)


def test_menu_to_organization_to_member_to_the_paragraph(site_url, page):
    page.goto(site_url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    page.wait_for_url("**/organizations/")
    page.get_by_role("link", name="Shanghai Cooperation Organisation", exact=True).click()
    page.wait_for_url("**/organizations/sco/")
    assert page.locator("h1").inner_text() == "Shanghai Cooperation Organisation"

    # A member country, from the membership table.
    members = page.locator("table.relations", has_text="Kyrgyzstan").first
    members.get_by_role("link", name="Kyrgyzstan", exact=True).first.click()
    page.wait_for_url("**/countries/kyrgyzstan/")
    assert page.locator("h1").inner_text() == "Kyrgyzstan"

    # "Mentioned in": the first paragraph link of the source.
    mentions = page.locator("section.mentions")
    reference = mentions.locator("a.para-ref").first
    href = reference.get_attribute("href")
    reference.click()
    page.wait_for_url(re.compile(r".*#p-\d+$"))
    fragment = urlsplit(page.url).fragment
    assert href.endswith("#" + fragment)
    target = page.locator(":target")
    assert target.get_attribute("id") == fragment
    assert target.is_visible()
    # the paragraph names the entity, by its name or any alias ("Kyrgyz Republic" is valid)
    assert any(form in target.inner_text() for form in _names_of("countries/kyrgyzstan"))
    box = target.bounding_box()
    viewport = page.viewport_size
    assert box and 0 <= box["y"] < viewport["height"], box  # scrolled into view


def _names_of(entity: str) -> list[str]:
    from research.read import frontmatter

    path = ROOT / "content" / "entities" / f"{entity}.md"
    front = frontmatter.split(path.read_text(encoding="utf-8"), str(path)).metadata
    return [front["name"], *(front.get("aliases") or ())]


def test_search_for_lavrov_reaches_his_page(site_url, page):
    page.goto(site_url)
    _search(page, "Lavrov")
    assert _result_titles(page)[0] == "Sergei Lavrov"
    page.locator(RESULT_LINK, has_text="Sergei Lavrov").first.click()
    page.wait_for_url("**/people/sergei-lavrov/")
    assert page.locator("h1").inner_text() == "Sergei Lavrov"


def test_search_finds_an_organization_by_its_alias_and_filters_by_type(site_url, page):
    page.goto(site_url + "countries/")  # any page: the box is in every header
    _search(page, "CSTO")
    # Pagefind fills in results and filter counts one by one: let expect() poll for them.
    # (the CSTO's charter, a treaty, is found too: its name contains the organization's)
    expect(page.locator(RESULT_LINK).filter(
        has_text=re.compile(r"^\s*Collective Security Treaty Organization\s*$"))
           ).to_have_count(1, timeout=TIMEOUT)
    counts = page.locator("#site-search .pagefind-ui__filter-label")
    expect(counts).to_have_count(7, timeout=TIMEOUT)
    labels = {text.split(" (")[0] for text in counts.all_inner_texts()}  # shown, not folded
    assert labels == {"source", "briefing", "organization", "person", "country", "territory",
                      "treaty"}

    page.locator("#site-search .pagefind-ui__filter-value",
                 has_text="organization").locator("input").check()
    # Filtered: only organization pages remain, and there is at least one.
    page.wait_for_function(
        """() => {
             const links = [...document.querySelectorAll('#site-search .pagefind-ui__result-link')];
             return links.length > 0 && links.every(a => a.pathname.includes('/organizations/'));
           }""", timeout=TIMEOUT)
    titles = _result_titles(page)
    assert titles[0] == "Collective Security Treaty Organization", titles


def test_escape_clears_the_search(site_url, page):
    page.goto(site_url)
    _search(page, "Lavrov")
    page.locator(SEARCH_INPUT).press("Escape")
    page.locator(RESULT_LINK).first.wait_for(state="detached", timeout=TIMEOUT)
    assert page.locator(SEARCH_INPUT).input_value() == ""


@pytest.mark.parametrize("path", [
    "", "organizations/sco/", "memberships/",
    "sources/moscows-search-for-intl-backing-continues/",
    "briefings/csto-moscow-meeting-september-2008/", "people/sergei-lavrov/"])
def test_no_horizontal_scroll_at_phone_width(site_url, page, path):
    page.set_viewport_size(PHONE)
    page.goto(site_url + path)
    scroll, client = _no_horizontal_scroll(page)
    assert scroll <= client, f"{path or 'home'}: {scroll}px wide in a {client}px viewport"


def test_search_results_fit_a_phone(site_url, page):
    page.set_viewport_size(PHONE)
    page.goto(site_url)
    _search(page, "Lavrov")  # its results quote long URLs from the references
    page.wait_for_timeout(300)  # sub-results render after the first result link
    scroll, client = _no_horizontal_scroll(page)
    assert scroll <= client, f"search results: {scroll}px wide in a {client}px viewport"


def test_tab_focuses_the_visible_skip_link_first(site_url, page):
    page.goto(site_url + "organizations/sco/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className,"
                            " document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    link = page.locator("a.skip-link")
    box = link.bounding_box()
    assert link.is_visible() and box and box["x"] >= 0 and box["y"] >= 0, box
    assert box["width"] > 10 and box["height"] > 10
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == "main"


def test_pages_raise_no_script_errors(site_url, page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "favicon" not in message.text else None)
    # A request the next navigation cancels (the browser fetches the icon lazily) is not an
    # error of the page; a refused or missing file is (the response check below).
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: errors.append(f"{response.status}: {response.url}")
            if response.status >= 400 else None)
    for path in ("", "organizations/csto/", "people/sergei-lavrov/"):
        page.goto(site_url + path, wait_until="load")
    _search(page, "Abkhazia")
    assert errors == []


def test_without_javascript_the_search_box_is_hidden_and_links_work(site_url, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280,
                                                                       "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site_url)
        assert tab.locator("#site-search").count() == 1
        assert not tab.locator("#site-search").is_visible()
        assert tab.locator(SEARCH_INPUT).count() == 0
        tab.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
        tab.wait_for_url("**/people/")
        assert tab.locator("h1").inner_text() == "People"
    finally:
        context.close()


def test_search_on_the_published_site_under_a_sub_path(published_site, browser):
    """The publish build (absolute URLs, SITEURL with a path) served at its own address:
    requests to SITEURL are answered from the output folder by Playwright's router."""
    output, siteurl = published_site
    prefix = siteurl + "/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route(prefix + "**", lambda route: _serve(route, output, prefix))
        tab = context.new_page()
        tab.goto(prefix)
        assert tab.locator("link[rel=alternate]").get_attribute("href") == \
            prefix + "feeds/all.atom.xml"
        _search(tab, "Lavrov")
        tab.locator(RESULT_LINK, has_text="Sergei Lavrov").first.click()
        tab.wait_for_url(prefix + "people/sergei-lavrov/")
        assert tab.locator("h1").inner_text() == "Sergei Lavrov"
        # Links stay absolute and under the sub-path.
        menu = tab.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline")
        assert menu.get_attribute("href") == prefix + "timeline/"
    finally:
        context.close()


def test_print_hides_navigation_and_search_and_prints_only_outside_addresses(
        published_site, browser):
    """A briefing note printed from the published site (absolute URLs): no menu, no search
    box, and a link's address is printed only for links to other sites."""
    output, siteurl = published_site
    prefix = siteurl + "/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route(prefix + "**", lambda route: _serve(route, output, prefix))
        tab = context.new_page()
        tab.goto(prefix + "briefings/csto-moscow-meeting-september-2008/")
        tab.evaluate("""() => { const a = document.createElement('a');
            a.href = 'https://www.example.net/outside.html'; a.id = 'outside'; a.textContent = 'x';
            document.querySelector('.doc-body p').append(a); }""")
        tab.emulate_media(media="print")
        assert not tab.locator(".site-header nav").is_visible()
        assert not tab.locator("#site-search").is_visible()
        after = """element => getComputedStyle(element, '::after').content"""
        assert "https://www.example.net/outside.html" in tab.locator("#outside").evaluate(after)
        internal = tab.locator(".doc-body a.entity-link").first
        assert internal.get_attribute("href").startswith(prefix)
        assert internal.evaluate(after) == "none"
        assert tab.locator(".doc-body a.para-cite").first.evaluate(after) == "none"
    finally:
        context.close()

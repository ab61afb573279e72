"""The reading experience in Chromium: the site opened from disk (file://), and every table
and chart at phone width (390 px).

Uses the shared fixtures of conftest.py: `real_site` (the project's own site, built once),
`site_url` (served over http), `browser` and `page`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, build_site

PHONE = {"width": 390, "height": 844}

# Every link of these pages (the ones whose document lists once used root-absolute links).
LIST_PAGES = ["index.html", "sources/index.html", "briefings/index.html", "tags/index.html",
              "timeline/index.html", "countries/index.html"]


def _file_links(tab) -> list[str]:
    """The resolved address of every link and stylesheet on the page."""
    return tab.evaluate("""() => [...document.querySelectorAll('a[href], link[href]')]
        .filter(e => !(e.rel === 'alternate'))
        .map(e => e.href)
        """)


@pytest.mark.parametrize("start", LIST_PAGES)
def test_from_disk_every_link_of_a_list_page_stays_in_the_folder_and_exists(
        real_site, browser, start):
    """Opened as file://, every link resolves to a file inside the output folder (no
    chrome-error:// from a root-absolute `/sources/...`)."""
    _, output = real_site
    output = output.resolve()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((output / start).as_uri())
        links = _file_links(tab)
        assert links, f"{start} has no links"
        wrong = []
        for link in links:
            parts = urlsplit(link)
            if parts.scheme != "file":
                wrong.append(f"{link} (not file://)")
                continue
            target = Path(unquote(parts.path))
            if not target.is_relative_to(output):
                wrong.append(f"{link} (outside {output})")
            elif not (target / "index.html" if target.is_dir() else target).is_file():
                wrong.append(f"{link} (no such file)")
        assert wrong == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def disk_site(tmp_path_factory):
    """The real site built as `LINK_INDEX_FILES=1 make html` builds it, to be read from disk."""
    from sitepages import reset_pelican_log_dedup

    output = tmp_path_factory.mktemp("disk-site") / "output"
    reset_pelican_log_dedup()
    result = build_site(ROOT, output, LINK_INDEX_FILES=True, SEARCH_INDEX=False)
    assert result.ok, "\n".join(result.problems)
    return output.resolve()


def test_the_disk_build_links_files_and_every_link_resolves(disk_site):
    from research.index.linkcheck import check_links

    assert check_links(disk_site) == []
    home = (disk_site / "index.html").read_text(encoding="utf-8")
    assert 'href="./sources/moscows-search-for-intl-backing-continues/index.html"' in home
    assert 'href="./sources/"' not in home


def test_from_disk_a_reader_follows_links_from_the_home_page(disk_site, browser):
    """Follow links by clicking, as a reader would, from a page opened from disk: the home
    page, the article, the menu, a briefing, a name in it, a paragraph link."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((disk_site / "index.html").as_uri())
        tab.locator("main a[href*='sources/moscows-search']").first.click()
        tab.wait_for_load_state()
        assert tab.url.startswith("file://"), tab.url
        assert tab.locator("h1").inner_text() == "Moscow’s Search for Int’l Backing Continues"
        tab.get_by_role("navigation", name="Main").get_by_role("link", name="Briefings").click()
        tab.wait_for_load_state()
        assert tab.locator("h1").inner_text() == "Briefings"
        tab.locator("main .doc-list a").first.click()
        tab.wait_for_load_state()
        assert tab.url.startswith("file://") and "/briefings/" in tab.url, tab.url
        tab.locator(".doc-body a.entity-link").first.click()
        tab.wait_for_load_state()
        assert tab.locator("article h1").count() == 1, tab.url
        tab.locator("a.para-ref").first.click()
        tab.wait_for_load_state()
        assert tab.url.startswith("file://") and "#p-" in tab.url, tab.url
        assert tab.locator(":target").count() == 1
        tab.locator(".site-title").click()
        tab.wait_for_load_state()
        assert tab.url == (disk_site / "index.html").as_uri()
    finally:
        context.close()


# The pages with the widest tables and charts: membership tables, recognitions, offices, the
# membership timeline, maps, the overlap matrix.
PHONE_PAGES = ["organizations/sco/", "organizations/csto/", "organizations/nato/",
               "countries/russia/", "people/sergei-lavrov/", "memberships/"]

_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const name = e => e.tagName.toLowerCase() + (e.className && e.className.baseVal !== undefined
      ? '.' + e.className.baseVal : e.className ? '.' + e.className : '')
      + ' in ' + (e.closest('section[aria-labelledby]')?.getAttribute('aria-labelledby') || 'page');
  const wrong = [];
  for (const e of document.querySelectorAll('main table, main svg, main figure')) {
    if (!shown(e) || e.closest('.map-sprite') || e.matches('.legend-icon')) continue;
    const box = e.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) wrong.push(`${name(e)}: ${box.left}..${box.right}`);
  }
  // A scroller that hides part of its content (the tables used to sit in one).
  for (const e of document.querySelectorAll('main *')) {
    const style = getComputedStyle(e);
    if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
      wrong.push(`${name(e)} scrolls sideways: ${e.scrollWidth} > ${e.clientWidth}`);
  }
  // Text cut at the edge of its cell ("23 Decembe").
  for (const e of document.querySelectorAll('main td, main th')) {
    if (shown(e) && e.scrollWidth > e.clientWidth + 1) wrong.push(`${name(e)} cuts its text`);
  }
  return {width, page: document.documentElement.scrollWidth, wrong};
}"""


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_at_390_px_no_table_or_chart_is_wider_than_the_screen(site_url, browser, path):
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(site_url + path)
        assert tab.locator("main table").count() > 0, f"{path} has no table to check"
        found = tab.evaluate(_TOO_WIDE)
        assert found["wrong"] == []
        assert found["page"] <= found["width"], found
    finally:
        context.close()


def test_at_390_px_a_table_row_is_a_card_that_labels_every_cell(site_url, browser):
    """Lavrov's offices: every column of a row is on screen, with its label, and the card says
    that he is still in office (the "To" cell, which used to be off-screen)."""
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(site_url + "people/sergei-lavrov/")
        row = tab.locator("table.stack tbody tr").first
        cells = row.locator("td")
        labels = [cells.nth(i).evaluate("e => getComputedStyle(e, '::before').content")
                  for i in range(cells.count())]
        headers = row.locator("xpath=ancestor::table").locator("thead th").all_inner_texts()
        assert labels == [f'"{h.strip()}"' for h in headers[1:]]  # (the first heads the row)
        assert "present" in row.locator("td[data-label='Period']").inner_text()
        for i in range(cells.count()):
            box = cells.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # at desktop width the same table is a table again
        tab.set_viewport_size({"width": 1280, "height": 900})
        assert row.evaluate("e => getComputedStyle(e).display") == "table-row"
        assert cells.first.evaluate("e => getComputedStyle(e, '::before').content") == "none"
    finally:
        context.close()


def test_the_matrix_names_organizations_by_abbreviation_with_the_full_name_at_hand(
        site_url, browser):
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(site_url + "memberships/")
        headers = tab.locator("table.overlap thead th abbr")
        shorts = headers.all_inner_texts()
        assert {"CSTO", "SCO", "NATO"} <= set(shorts)
        titles = [headers.nth(i).get_attribute("title") for i in range(headers.count())]
        assert "Shanghai Cooperation Organisation" in titles
        legend = tab.locator("dl.abbreviations").first.inner_text()
        assert "SCO" in legend and "Collective Security Treaty Organization" in legend
        # on the phone, each state is a card naming its organizations by the same short names
        russia = tab.locator("table.overlap tbody tr", has_text="Russia").first
        assert "CSTO" in russia.locator("td[data-label='CSTO']").evaluate(
            "e => getComputedStyle(e, '::before').content")
    finally:
        context.close()


# --- search ----------------------------------------------------------------------------------

RESULT_LINK = "#site-search .pagefind-ui__result-link"
TITLE_LINK = "#site-search .pagefind-ui__result-title > .pagefind-ui__result-link"
ARTICLE = "Moscow’s Search for Int’l Backing Continues"


def _results(tab, *, every=False) -> list[str]:
    """The titles of the results shown (with `every`, after "Load more" until all are)."""
    tab.locator(RESULT_LINK).first.wait_for(timeout=10_000)
    more = tab.locator("#site-search .pagefind-ui__button")
    while every and more.count() and more.is_visible():
        shown = tab.locator(TITLE_LINK).count()
        more.click()
        tab.wait_for_function(f"() => document.querySelectorAll('{TITLE_LINK}').length > {shown}")
    tab.wait_for_timeout(300)  # Pagefind fills in results one by one
    return [t.strip() for t in tab.locator(TITLE_LINK).all_inner_texts()]


def test_a_q_address_opens_with_results_and_either_spelling_finds_the_article(site_url, page):
    """The article writes "missile defense"; the notes write "missile defence"."""
    for query in ("missile+defence", "missile%20defense"):
        page.goto(f"{site_url}?q={query}")
        assert page.locator("#site-search input").input_value() == \
            query.replace("+", " ").replace("%20", " ")
        titles = _results(page)  # the first page of results, as a reader sees them
        assert ARTICLE in titles, (query, titles)
    page.goto(site_url + "?q=Swanstrom")
    assert any("Swanström" in title for title in _results(page))


def test_typing_keeps_the_address_shareable_and_results_name_their_type(site_url, page):
    page.goto(site_url + "organizations/")
    page.locator("#site-search input").fill("Lavrov")
    _results(page)
    page.wait_for_function("() => location.search === '?q=Lavrov'")
    first = page.locator("#site-search .pagefind-ui__result").first
    assert "Type: Person" in first.inner_text()
    # only filters that have results are offered (no "territory (0)")
    page.locator("#site-search .pagefind-ui__filter-name").first.wait_for(timeout=10_000)
    counts = page.locator("#site-search .pagefind-ui__filter-value").all_inner_texts()
    assert counts and not any(text.strip().endswith("(0)") for text in counts), counts
    # the address opens on the same results in a new tab
    address = page.url
    other = page.context.new_page()
    other.goto(address)
    assert _results(other)[0] == _results(page)[0]


def test_the_search_highlight_follows_dark_mode(site_url, browser):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site_url + "?q=Lavrov")
        _results(tab)
        mark = tab.locator("#site-search mark").first
        background = mark.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(90, 74, 0)", background  # --mark in the dark palette
    finally:
        context.close()


def test_without_javascript_the_header_links_to_the_indexes_instead(site_url, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site_url)
        assert not tab.locator("#site-search").is_visible()
        fallback = tab.locator("#search-fallback")
        assert fallback.is_visible()
        fallback.get_by_role("link", name="territories").click()
        tab.wait_for_url("**/territories/")
    finally:
        context.close()
    # with JavaScript, the box replaces the links
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(site_url)
        tab.locator("#site-search input").wait_for()
        assert not tab.locator("#search-fallback").is_visible()
    finally:
        context.close()


def test_pages_have_a_favicon_that_loads(site_url, page):
    """A declared icon file of the site's own (browsers would otherwise ask for /favicon.ico,
    which 404s and under a sub-path lies outside the site)."""
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(site_url)
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith("theme/favicon.svg") and not icon.startswith(("/", "data:"))
    # Fetched directly: the browser's own icon request may still be under way (or be
    # cancelled) when the test moves on, which says nothing about the file.
    resolved = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    answer = page.request.get(resolved)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg")
    page.goto(site_url + "timeline/")
    assert failed == []


# --- the home page ---------------------------------------------------------------------------

def _settings():
    """The project's pelicanconf.py, read as Pelican reads it."""
    from pelican.settings import read_settings

    return type("Settings", (), read_settings(str(ROOT / "pelicanconf.py")))


def _home(real_site):
    from sitepages import parse

    output = real_site[1]
    return output, parse(output / "index.html"), (output / "index.html").read_text("utf-8")


def test_every_sentence_of_the_home_lead_links_the_paragraphs_it_rests_on(real_site):
    import re

    pelicanconf = _settings()
    output, _, text = _home(real_site)
    story = re.search(r'<section aria-labelledby="story-heading".*?</section>', text, re.S)[0]
    article = (output / "sources" / pelicanconf.HOME["source"] / "index.html").read_text("utf-8")
    paragraphs = set(map(int, re.findall(r'<p id="p-(\d+)"', article)))
    sentences = [s for paragraph in pelicanconf.HOME["lead"] for s in paragraph]
    assert 4 <= len(sentences) <= 8
    cited = [int(n) for n in re.findall(r'href="[^"]*#p-(\d+)"', story)]
    assert cited == [n for _, numbers in sentences for n in numbers]
    assert set(cited) <= paragraphs and all(numbers for _, numbers in sentences)


def test_the_reading_path_starts_with_the_article_and_lists_every_briefing_once(real_site):
    import re

    output, _, text = _home(real_site)
    path = re.search(r'<ol class="reading-path">(.*?)</ol>', text, re.S)[1]
    links = re.findall(r'<li><a href="\./([^"]+)"', path)
    briefings = sorted(p.parent.name for p in (output / "briefings").glob("*/index.html"))
    assert links[0].startswith("sources/")
    assert sorted(link.split("/")[1] for link in links[1:]) == briefings
    assert all(re.search(r'</span><p>\S', item) for item in path.split("<li>")[1:])


def test_the_home_overlap_is_the_membership_data_on_the_article_date(real_site):
    """Members of both the SCO and the CSTO on 5 September 2008, from /data/memberships.json
    (full members only; a row is in force if it started by then and had not ended)."""
    import json
    import re

    output, _, text = _home(real_site)
    rows = json.loads((output / "data" / "memberships.json").read_text())["memberships"]
    day = "2008-09-05"

    def members(organization):
        return {r["member"] for r in rows if r["organization"] == organization
                and r["role"] == "member" and r["start"] and r["start"] <= day
                and (r["end"] is None or r["end"] > day)}

    sco, csto = members("sco"), members("csto")
    glance = re.search(r'<section aria-labelledby="overlap-heading".*?</section>', text, re.S)[0]

    def listed(label):
        cell = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", glance, re.S)[1]
        return set(re.findall(r'countries/([a-z-]+)/', cell))

    assert listed("Both") == sco & csto and listed("SCO only") == sco - csto
    assert listed("CSTO only") == csto - sco
    # what the article says in ¶ 7: the CSTO excludes China and adds Belarus and Armenia
    assert "china" in listed("SCO only") and {"belarus", "armenia"} <= listed("CSTO only")


# --- indexes ---------------------------------------------------------------------------------

def test_the_country_index_is_a_table_with_the_article_states_first(real_site):
    import re

    text = (real_site[1] / "countries" / "index.html").read_text("utf-8")
    discussed, others = text.split('id="others-heading"')
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*countries/([a-z-]+)/">', discussed)
    assert rows[0] == "russia" and {"georgia", "china", "nicaragua"} <= set(rows)
    counts = [int(n) for n in re.findall(r"\((\d+) in the article\)", discussed)]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(rows)
    assert "in the article)" not in others
    headers = re.findall(r'<th scope="col">(.*?)</th>', discussed)
    assert [re.sub(r"<[^>]+>", "", h) for h in headers] == [
        "State", "Mentions", "CSTO", "SCO", "NATO", "Recognised"]
    russia = re.search(r'countries/russia/">Russia</a></th>(.*?)</tr>', discussed, re.S)[1]
    assert russia.count("role-member") == 2 and "Abkhazia</a> 2008" in russia
    armenia = re.search(r'countries/armenia/">Armenia</a></th>(.*?)</tr>', discussed, re.S)[1]
    assert re.search(r'data-label="CSTO"><span class="role role-member">member', armenia)


def test_organizations_are_grouped_by_kind_and_short_lists_have_no_letter_bar(real_site):
    import re

    text = (real_site[1] / "organizations" / "index.html").read_text("utf-8")
    groups = re.split(r'<h2 id="kind-\d">', text)[1:]
    heads = [g.split("</h2>")[0] for g in groups]
    assert heads[:2] == ["Intergovernmental organizations", "News media"]
    assert "organizations/csto/" in groups[0] and "organizations/interfax/" in groups[1]
    assert "organizations/interfax/" not in groups[0]
    territories = (real_site[1] / "territories" / "index.html").read_text("utf-8")
    assert 'aria-label="Letters"' not in territories


def test_tags_that_name_an_entity_lead_to_its_page(real_site):
    output = real_site[1]
    lavrov = (output / "tags" / "lavrov" / "index.html").read_text("utf-8")
    assert 'href="../../people/sergei-lavrov/">Sergei Lavrov</a>' in lavrov
    csto = (output / "tags" / "csto" / "index.html").read_text("utf-8")
    assert 'href="../../organizations/csto/"' in csto
    theme = (output / "tags" / "territorial-integrity" / "index.html").read_text("utf-8")
    assert 'class="note"' not in theme


def test_territories_and_tags_are_in_the_menu(real_site):
    text = (real_site[1] / "territories" / "index.html").read_text("utf-8")
    menu = text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert 'href="../territories/" aria-current="page">Territories</a>' in menu
    assert 'href="../tags/">Tags</a>' in menu

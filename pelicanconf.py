"""Pelican settings for local builds (`make html`, `make serve`). See publishconf.py."""

import os

SITENAME = "Russia, the SCO and the CSTO after the Georgia war"
SITESUBTITLE = "A research site on one primary source of 5 September 2008"
SITEURL = ""
RELATIVE_URLS = True
# To read the built site from disk (file://) by following links: `LINK_INDEX_FILES=1 make html`
# makes links to folders point at their index.html (a browser shows a folder's listing).
LINK_INDEX_FILES = os.environ.get("LINK_INDEX_FILES", "") == "1"
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

PATH = "content"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["research"]

# Sources and briefing notes are Pelican articles; their folder is their category.
ARTICLE_PATHS = ["sources", "briefings"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
USE_FOLDER_AS_CATEGORY = True
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Pages we do not publish: one author, no date archives.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags"]  # tags: the "All tags" page each tag page links to
DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = 60

# Paragraphs of these folders get stable ids (p-1, p-2, ...) so they can be cited.
PARAGRAPH_ID_PATHS = ["sources", "briefings"]
# The largest Markdown file the reader accepts, in bytes.
MAX_FILE_BYTES = 2_000_000

# Every string from front-matter is HTML-escaped in templates; only rendered Markdown is not.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# Full-text search: the build runs Pagefind over the site and every page gets a search box
# (plugins/research/search_index.py). False skips both.
SEARCH_INDEX = True

# No feeds while editing: publishconf.py turns them on with absolute URLs.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Navigation: (label, URL relative to the site root).
MENU = [
    ("Sources", "sources/"),
    ("Briefings", "briefings/"),
    ("Organizations", "organizations/"),
    ("People", "people/"),
    ("Countries", "countries/"),
    ("Territories", "territories/"),
    ("Treaties", "treaties/"),
    ("Memberships", "memberships/"),
    ("Timeline", "timeline/"),
    ("Network", "network/"),
    ("Tags", "tags/"),
    ("Data", "data/"),
]

# Linking policy for entity mentions: "first-in-section" (after each heading),
# "first-in-paragraph", "first-in-document" or "all". Names in footnotes are never linked.
ENTITY_LINK_POLICY = "first-in-section"
# Adjectives and demonyms ("Russian", "Chinese") and these metonyms are recorded as mentions
# but linked only if ENTITY_LINK_ADJECTIVES is True.
ENTITY_LINK_ADJECTIVES = False
ENTITY_METONYMS = ["Kremlin"]
# Names of other things that contain an entity's name and have no page of their own: they
# claim their words, so "Russia Today" is no mention of Russia. (Outlets with a page, such as
# Civil Georgia or the Voice of Russia, claim their words by being entities.)
ENTITY_PHRASES = ["Kremlin website", "Russia Today", "Radio Free Europe"]
# Capitalised words the lint has been told are not entities of this site (regions, cities used
# as places, titles, proposals). Review this list when adding content.
LINT_IGNORE = [
    "Caucasus", "Central Asia", "Central Asian", "West", "Europe", "European", "eastern Europe",
    "Stockholm", "Berlin", "President", "Foreign Minister", "European Security Treaty",
    # Capitals the article uses for governments ("Moscow turned this week to ..."). They are
    # not aliases of their countries: "Moscow State Institute" must not link to Russia.
    "Moscow", "Washington", "Beijing",
    # Places named in the briefing notes (cities, bases, regions): not entities of this site.
    "Astana", "Bishkek", "Brussels", "Bucharest", "Corfu", "Dushanbe", "Evian", "Helsinki",
    "Prague", "Warsaw", "Manas", "Deveselu", "Redzikowo", "Sukhumi", "Tskhinvali",
    "Middle East", "Euro-Atlantic", "Western", "Stockholm-based",
    # Treaties, programmes, weapons, events and offices: named, but not organizations.
    "Aegis Ashore", "Anti-Secession Law", "Helsinki Final Act", "Charter", "Corfu Process",
    "World Policy Conference", "Collective Rapid Reaction Force", "Iskander", "Patriot",
    "Federal Assembly", "Foreign Ministry", "Defence Ministry", "Secretary-General",
    "Secretary of State", "Declaration", "Strategic Cooperation", "Friendly Relations",
    "Bush-era", "Kant",
]

# Pairs of organizations whose overlap gets its own map (on /memberships/ and their pages).
OVERLAP_MAPS = [("sco", "csto")]

# Dates for which membership tables and the overlap matrix are pre-rendered:
# ("YYYY-MM-DD" or "today", what the date stands for). Set SITE_TODAY to pin "today".
AS_OF_DATES = [
    ("2008-09-05", "the date of the source article"),
    ("today", "the date this site was built"),
]

# The home page (theme/templates/index.html): the story of the article in a few sentences
# (paragraphs of (sentence, [paragraph numbers of the article])), each followed by links to the paragraphs it rests on; the reading path; key entities. The
# SCO-CSTO overlap shown beside them is computed from the membership data, not written here.
HOME = {
    "headline": "Russia’s search for backing after the Georgia war",
    "source": "moscows-search-for-intl-backing-continues",
    "lead": [[
        ("In early September 2008 Russia was still looking for outside support for its military "
         "intervention in Georgia, and even its ex-Soviet allies seemed unwilling to help it "
         "redraw Georgia’s borders.", [1]),
    ], [
        ("At the Shanghai Cooperation Organisation’s summit in late August, China and the Central "
         "Asian members had not followed Moscow in recognising Abkhazia and South Ossetia; the "
         "summit’s declaration upheld the territorial integrity of states, a reluctance the "
         "article ties mainly to China’s own worries about Tibet, Xinjiang and Taiwan.",
         [2, 3, 4, 6]),
        ("Moscow turned next to the Collective Security Treaty Organization, which shares its "
         "Central Asian members with the SCO but leaves out China and adds Belarus and Armenia.",
         [2, 7]),
    ], [
        ("On 4 September the CSTO’s foreign ministers backed Russia’s actions and blamed Georgia "
         "for the crisis, yet did not recognise the two regions; Sergei Lavrov said Moscow was "
         "satisfied anyway.", [9, 10, 11]),
        ("Ten days after President Medvedev’s recognition decree only Nicaragua had followed; "
         "Venezuela, Belarus, Syria and Iran had not.", [12, 13]),
    ], [
        ("Before the CSTO summit of 5 September, Moscow was reported to want NATO’s eastward "
         "expansion and US missile defence declared unacceptable, to promote a European Security "
         "Treaty, and to hint that it could stop helping NATO in Afghanistan.",
         [14, 15, 16, 17]),
    ]],
    # The briefing notes in the order the story unfolds, each with why to read it.
    "path": [
        ("recognition-abkhazia-south-ossetia",
         "What Russia asked of others: the decree of 26 August 2008 and the few states that "
         "followed it."),
        ("china-sco-territorial-integrity",
         "The first refusal: why the SCO, and China above all, would not endorse it."),
        ("csto-moscow-meeting-september-2008",
         "The closest allies: what the CSTO signed in Moscow on 4–5 September, and what it did "
         "not."),
        ("nato-russia-afghanistan-supply-routes",
         "Russia’s leverage over NATO: the Afghanistan supply routes through Central Asia."),
        ("us-missile-defence-poland-czech-csto",
         "The quarrel behind it: US missile defence in Poland and the Czech Republic."),
        ("medvedev-european-security-treaty",
         "The longer game: Medvedev’s proposal for a new European security order."),
    ],
    "entities": ["russia", "georgia", "abkhazia", "south-ossetia", "sco", "csto", "china",
                 "nato", "dmitry-medvedev", "sergei-lavrov", "nicaragua", "united-states"],
    # The two organizations whose overlap the home page shows, on the article's date.
    "overlap": ["sco", "csto"],
}

# The country index (/countries/): a column per organization (membership on the article's
# date) and the territories whose recognition it shows.
COUNTRY_INDEX = {"organizations": ["csto", "sco", "nato"],
                 "territories": ["abkhazia", "south-ossetia"]}
# The organization index (/organizations/) groups organizations by their `kind:`.
ORGANIZATION_GROUPS = [
    ("Intergovernmental organizations", [
        "intergovernmental organization", "regional organization", "regional security "
        "organization", "military alliance", "political and economic union", "consultative "
        "body", "multinational military mission"]),
    ("News media", ["news agency", "news website", "newspaper", "magazine"]),
    ("Research and analysis", ["think tank", "journal"]),
]

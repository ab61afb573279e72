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
    ("Memberships", "memberships/"),
    ("Timeline", "timeline/"),
    ("Network", "network/"),
    ("Tags", "tags/"),
]

# Linking policy for entity mentions: "first-in-paragraph", "first-in-document" or "all".
ENTITY_LINK_POLICY = "first-in-paragraph"
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

# Dates for which membership tables and the overlap matrix are pre-rendered:
# ("YYYY-MM-DD" or "today", what the date stands for). Set SITE_TODAY to pin "today".
AS_OF_DATES = [
    ("2008-09-05", "the date of the source article"),
    ("today", "the date this site was built"),
]

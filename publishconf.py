"""Settings for publishing (`make publish`): absolute URLs, the Atom feed and a sitemap that
names the site's address. See README, "Deploying"."""

import os
import sys

# pelicanconf.py beside this file. Pelican keeps the last settings module it read as
# sys.modules["pelicanconf"]; in a long-lived process (tests, `serve`) that may be another
# site's, so import ours afresh.
_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)
sys.modules.pop("pelicanconf", None)
from pelicanconf import *  # noqa: E402,F403
from research.core.siteurl import site_url  # noqa: E402

# Where the site will live, e.g. `SITEURL=https://example.org make publish`. Every link, the
# feed, the sitemap and robots.txt use it. Checked here, where every way of publishing reads
# it: a scheme (https:// or http://), a host, no spaces; a trailing slash is dropped.
SITEURL = site_url(os.environ.get("SITEURL"))
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"  # sources and briefing notes, newest first
DELETE_OUTPUT_DIRECTORY = False

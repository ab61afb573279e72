"""Settings for publishing (`make publish`): absolute URLs, the Atom feed and a sitemap that
names the site's address. See README, "Deploying"."""

import os
import sys

# pelicanconf.py beside this file (for plain `pelican -s publishconf.py`, whose folder need
# not be on the path). The build driver reads settings with this folder's modules fresh
# (research/cli/build.read_settings), so in a long-lived process (tests, `serve`) this import
# runs pelicanconf.py once per read, never an earlier build's module.
_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)
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

"""Settings for publishing (`make publish`): absolute URLs and feeds on."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# Set SITEURL to where the site will live, e.g. SITEURL=https://example.org make publish
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
DELETE_OUTPUT_DIRECTORY = False

"""The public address of a published site (`SITEURL`), checked where it is read.

publishconf.py calls `site_url()` on the environment variable, so every way of publishing
(`make publish`, `python -m research build --settings publishconf.py`, CI) gets the same
check: Pelican would otherwise write every link under `example.org/...` as a relative path,
or under an address with a space, and the build would pass.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import ContentError, Problem, shown

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")
EXAMPLE = "SITEURL=https://example.org make publish"


def _fail(code: str, message: str, where: str) -> ContentError:
    return ContentError(Problem(where, message, field="SITEURL", code=code))


def site_url(value: str | None, where: str = "publishconf.py") -> str:
    """`value` without its trailing slash, or a ContentError saying how to write it."""
    value = (value or "").strip()
    if not value:
        raise _fail("siteurl.missing", "is not set; publishing needs the site's public "
                    f"address, e.g. {EXAMPLE}", where)
    if re.search(r"\s", value):
        raise _fail("siteurl.space", f"{shown(value)} contains a space; write the address "
                    "without spaces (encode a space in a path as %20)", where)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        guess = value.split("://", 1)[-1]
        raise _fail("siteurl.scheme", f"{shown(value)} does not start with https:// or "
                    f"http://; write e.g. SITEURL=https://{guess[:60]}", where)
    host = parts.hostname or ""
    if not host or not _HOST.match(parts.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0]
                                   if not parts.netloc.startswith("[") else
                                   parts.netloc.split("]")[0] + "]"):
        raise _fail("siteurl.host", f"{shown(value)} has no valid host name; write e.g. "
                    f"{EXAMPLE}", where)
    try:
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        raise _fail("siteurl.host", f"{shown(value)} has a port that is not a number",
                    where) from None
    if parts.query or parts.fragment or parts.username or parts.password:
        raise _fail("siteurl.extra", f"{shown(value)} has a query, fragment or user name; "
                    "give only the scheme, host and path of the site's root folder", where)
    return value.rstrip("/")

"""Keep the build's memory in proportion to one page, not to the whole site, where Pelican
would keep every page's HTML twice.

Pelican memoises `Content.get_content(siteurl)` in a process-wide cache: the HTML of every
document with its `{filename}` links resolved, kept until the process ends. A document
without intra-site links costs nothing there (the resolved text is the same string object),
but ours have one link per entity mention, so the cache held a second copy of every
document (about 190 MB at 10,000 documents; see docs/performance.md). Once a page has been
written its resolved HTML is not needed again; if a later template asks for it (a feed), it
is resolved again from `_content`, with the same result.
"""

from __future__ import annotations

from pelican.contents import Content


def forget_written_content(path, context) -> None:
    """`content_written` handler: drop the memoised HTML of the page just written."""
    content = context.get("article") or context.get("page")
    cache = getattr(Content.get_content, "cache", None)  # pelican.utils.memoized
    if not isinstance(content, Content) or not isinstance(cache, dict):
        return
    cache.pop((content, content.get_siteurl()), None)

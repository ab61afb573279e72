"""The `inline_markdown` template filter: editorial notes with their `[@slug#p-n]` citations
as links (the citations were resolved and checked by the link stage: `research.cite`)."""

from __future__ import annotations

import html
import re

from jinja2 import pass_context
from markupsafe import Markup

from ..core.state import TEMPLATE_NAME
from ..link.cite_resolve import label
from ..read.cite_syntax import parse_items
from ..read.markdown import render_inline


def render_note(text: str, cite=None, siteurl: str = "") -> Markup:
    """`render_inline` with the citations of a build (a CitationIndex) made links."""
    if cite is None:
        return render_inline(text)
    return render_inline(text, lambda match: _note_links(match, cite, siteurl))


def _note_links(match: re.Match, cite, siteurl: str) -> str:
    items, error = parse_items("@" + html.unescape(match[1]))
    links = []
    for item in [] if error else items:
        reference = cite.resolve(item)
        if reference.document is None:
            return match[0]
        target = html.escape(f"{siteurl}/{reference.document.url}{reference.anchor}")
        shown = html.escape(label(reference.document, reference.paragraph), quote=False)
        links.append(f'<a class="para-cite" href="{target}">{shown}</a>')
    return f'<span class="para-cites">[{"; ".join(links)}]</span>' if links else match[0]


@pass_context
def inline_markdown(context, text: str) -> Markup:
    """The `inline_markdown` template filter: `render_note` with the page's citations."""
    state = context.get(TEMPLATE_NAME)
    return render_note(text, getattr(state, "cite", None), context.get("SITEURL", ""))

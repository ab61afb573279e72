"""The Markdown dialect of the site: markdown-it-py with the plugins a research site needs.

- CommonMark plus tables and strikethrough; footnotes; definition lists; heading anchors;
  attributes on spans and blocks (`[text]{.nolink}`, `[text]{entity=csto}`), limited to a safe
  list so that front-matter-free Markdown cannot smuggle event handlers into the page.
- Raw HTML in Markdown is *not* passed through: it is shown as text. Research content is
  written in Markdown; this keeps every page free of injected scripts (see docs/architecture.md).
- `{filename}`, `{static}` and the other Pelican link indicators survive link normalisation,
  so Pelican can resolve intra-site links later.
- Optionally, every top-level paragraph gets a stable id `p-1`, `p-2`, ... and a pilcrow link.
- Paragraph citations `[@slug#p-7; @slug#p-19]` become placeholders (cite_syntax.py), resolved
  into links by the cross-document step.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .cite_syntax import cite_plugin

# Attributes an author may set with `{...}`. `entity` forces a link to an entity (see linker).
ALLOWED_ATTRIBUTES = ("id", "class", "entity", "lang")

# Pelican's intra-site link indicators, e.g. `{filename}../sources/x.md#p-3`.
_INDICATOR = re.compile(r"^(\{\w+\}|\|\w+\|)(.*)$", re.S)


def paragraph_id(number: int) -> str:
    return f"p-{number}"


def _keep_indicators(normalize):
    """Wrap markdown-it's link normaliser so it leaves the `{filename}` prefix alone."""

    def normalize_link(url: str) -> str:
        match = _INDICATOR.match(url)
        if match:
            return match.group(1) + normalize(match.group(2))
        return normalize(url)

    return normalize_link


def _number_paragraphs(state: StateCore) -> None:
    """Give top-level paragraphs (not those in lists, quotes or footnotes) ids and pilcrows."""
    if not state.env.get("paragraph_ids"):
        return
    tokens = state.tokens
    number = 0
    in_footnotes = False
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            in_footnotes = True
        elif token.type == "footnote_block_close":
            in_footnotes = False
        if token.type != "paragraph_open" or token.level != 0 or in_footnotes:
            continue
        number += 1
        anchor = paragraph_id(number)
        token.attrSet("id", anchor)
        inline = tokens[index + 1]
        pilcrow = Token("html_inline", "", 0)
        pilcrow.content = (f' <a class="pilcrow" href="#{anchor}" '
                           f'aria-label="Link to paragraph {number}">¶</a>')
        if inline.children is None:
            inline.children = []
        inline.children.append(pilcrow)
    state.env["paragraph_count"] = number


def make_parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin, spans=True, allowed=ALLOWED_ATTRIBUTES)
        .use(attrs_block_plugin, allowed=ALLOWED_ATTRIBUTES)
        .use(anchors_plugin, min_level=2, max_level=4)
    )
    md.normalizeLink = _keep_indicators(md.normalizeLink)  # type: ignore[method-assign]
    md.core.ruler.push("paragraph_ids", _number_paragraphs)
    md.use(cite_plugin)  # `[@slug#p-n]`; after paragraph_ids, to know each citation's paragraph
    return md


_PARSER: MarkdownIt | None = None


def render(body: str, *, paragraph_ids: bool = False) -> tuple[str, int]:
    """Render Markdown to HTML; returns the HTML and the number of numbered paragraphs."""
    global _PARSER
    if _PARSER is None:  # a pure, stateless parser: safe to share across builds
        _PARSER = make_parser()
    env: dict = {"paragraph_ids": paragraph_ids}
    html = _PARSER.render(body, env)
    return html, env.get("paragraph_count", 0)


_INLINE: MarkdownIt | None = None


def render_inline(text: str) -> Markup:
    """Inline Markdown (code spans, emphasis, links) for short front-matter texts such as an
    editorial `note`: no paragraphs, no entity links, and raw HTML shown as text."""
    global _INLINE
    if _INLINE is None:
        _INLINE = MarkdownIt("commonmark", {"html": False, "typographer": False})
    return Markup(_INLINE.renderInline(str(text)))

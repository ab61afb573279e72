"""Paragraph citations in prose: `[@<source-slug>#p-<n>]`, several as `[@a#p-1; @b#p-7]`.

A markdown-it-py plugin (a plain function, like those of mdit-py-plugins). It only *parses*:
each bracket becomes a placeholder element that carries what was written, the line it was
written on (relative to the Markdown body) and the id of the numbered paragraph it sits in:

    <cite class="para-cite nolink" data-cite="slug#p-7; slug#p-19" data-line="3"
          data-paragraph="p-2">[@slug#p-7; @slug#p-19]</cite>

(`nolink` keeps the entity linker out; the linker also leaves `para-cite` text out of the
sentences it records for mention snippets.)

Whether `slug` and `p-7` exist depends on other files, so the reader must not decide it: the
cross-document step (cite_resolve.py) replaces placeholders with links or fails the build.
A malformed citation (`[@]`, `[@slug#p-]`, `[@slug#x]`, an unclosed `[@...`) becomes a
placeholder with `data-cite-error`, reported by the same step with the file and line, rather
than being shown silently as text. Write `\\[@` for a literal "[@".
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

TOKEN = "para_cite"
# One citation inside the brackets, without the leading `@`.
ITEM = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#p-(?P<number>[1-9][0-9]*)$")
HOW = "write [@<source-slug>#p-<n>], several separated by '; ', e.g. [@slug#p-7; @slug#p-19]"


def parse_items(inner: str) -> tuple[list[str], str | None]:
    """Split the inside of `[...]` (after `[`) into `slug#p-n` strings, or say what is wrong."""
    if not inner.startswith("@"):
        return [], "a citation must start with '@'"
    items = []
    for raw in inner.split(";"):
        item = raw.strip()
        if not item.startswith("@"):
            return [], (f"'{item or raw}' is not a citation: each one starts with '@'"
                        if item else "an empty citation between ';'")
        body = item[1:]
        if not body:
            return [], "'@' is not followed by a source slug"
        if "#" not in body:
            return [], f"'{item}' names no paragraph: add '#p-<n>'"
        if not ITEM.match(body):
            slug, _, anchor = body.partition("#")
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                return [], f"'{slug}' is not a slug (lowercase letters, digits, hyphens)"
            return [], f"'#{anchor}' is not a paragraph: write '#p-<n>' with n from 1"
        items.append(body)
    return items, None


def _cite_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    close = src.find("]", pos)
    if close < 0:
        line_end = src.find("\n", pos)
        end = len(src) if line_end < 0 else line_end
        written, items, error = src[pos:end], [], "the '[' is never closed with ']'"
    else:
        end = close + 1
        written = src[pos:end]
        items, error = parse_items(src[pos + 1: close])
    if not silent:
        token = state.push(TOKEN, "cite", 0)
        token.content = written
        token.meta = {"items": items, "error": error}
    state.pos = end
    return True


def _locate(state: StateCore) -> None:
    """Record on each citation token its body line and enclosing numbered paragraph.

    Runs after paragraph numbering (`paragraph_ids`), so `id="p-N"` is already set."""
    paragraph, line = None, None
    for token in state.tokens:
        if token.type == "paragraph_open":
            paragraph = token.attrGet("id") if token.level == 0 else paragraph
        elif token.type == "paragraph_close" and token.level == 0:
            paragraph = None
        if token.map:
            line = token.map[0]
        if token.type != "inline" or not token.children:
            continue
        offset = 0
        for child in token.children:
            if child.type == TOKEN:
                child.meta["line"] = None if line is None else line + offset
                child.meta["paragraph"] = paragraph if isinstance(paragraph, str) else None
            offset += child.content.count("\n") if child.type == "text" else 0
            if child.type in ("softbreak", "hardbreak"):
                offset += 1


def _render(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    meta = token.meta
    attrs = []
    if meta["error"]:
        attrs.append(("data-cite-error", meta["error"]))
    else:
        attrs.append(("data-cite", "; ".join(meta["items"])))
    if meta.get("line") is not None:
        attrs.append(("data-line", str(meta["line"])))
    if meta.get("paragraph"):
        attrs.append(("data-paragraph", meta["paragraph"]))
    rendered = "".join(f' {name}="{html.escape(value)}"' for name, value in attrs)
    written = html.escape(token.content, quote=False)
    return f'<cite class="para-cite nolink"{rendered}>{written}</cite>'


def cite_plugin(md: MarkdownIt) -> None:
    """Add the `[@slug#p-n]` rule. Register after the `paragraph_ids` core rule so that the
    placeholder can say which numbered paragraph it is in."""
    md.inline.ruler.before("link", TOKEN, _cite_rule)
    md.core.ruler.push("para_cite_locate", _locate)
    md.add_render_rule(TOKEN, _render)

"""Citations in prose: of a paragraph, `[@<source-slug>#p-<n>]`, and of a reference of the
bibliography, `[@<key>]`, `[@<key>, art. 16]`, `[@key, p. 12 "words"]`; several in one bracket
as `[@a#p-1; @key, p. 3]`, each optionally with the words it relies on:
`[@slug#p-19 "the seven-country CSTO"]` (the form of an item: core/cites.py).

A markdown-it-py plugin (a plain function, like those of mdit-py-plugins). It only *parses*:
each bracket becomes a `Placeholder` record (what was written, its items or what is wrong with
it, the line it was written on relative to the Markdown body, the id of the numbered paragraph
it sits in), appended to markdown-it's `env["citations"]`, which the reader keeps in the
document's metadata (`cite_placeholders`); the HTML holds only the element that the link stage
replaces, numbered by its place in that list:

    <cite class="para-cite nolink" data-n="0">[@slug#p-7; @slug#p-19]</cite>

(`nolink` keeps the entity linker out; the linker also leaves `para-cite` text out of the
sentences it records for mention snippets.) The link stage reads the citations from the
records, never from the HTML.

Whether `slug` and `p-7` exist depends on other files, so the reader must not decide it: the
cross-document step (cite_resolve.py) replaces placeholders with links or fails the build.
A malformed citation (`[@]`, `[@slug#p-]`, `[@slug#x]`, an unclosed `[@...`) becomes a
placeholder with `data-cite-error`, reported by the same step with the file and line, rather
than being shown silently as text. Write `\\[@` for a literal "[@".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..core import cites
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

TOKEN = "para_cite"
# One citation inside the brackets, without the leading `@`; optionally the words relied on.
ITEM = re.compile(r'^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#p-(?P<number>[1-9][0-9]*)'
                  r'(?:\s+(?P<words>["“].*["”]))?$', re.S)
HOW = ("write [@<source-slug>#p-<n>] or [@<reference-key>, locator], several separated by "
       "'; ', e.g. [@slug#p-7; @csto-charter-2002, art. 16]")
_OPEN, _CLOSE = '"“', '"”'
# Items are kept one a line: quoted words may hold '; ' but never a newline.
SEPARATOR = "\n"
# The element left in the HTML for the link stage to replace: `data-n` is the placeholder's
# index in the document's `cite_placeholders`.
ELEMENT = '<cite class="para-cite nolink" data-n="{n}">{written}</cite>'
FIND = re.compile(r'<cite class="para-cite nolink" data-n="(\d+)">[^<]*</cite>')


@dataclass(frozen=True)
class Placeholder:
    """One `[@...]` bracket as written in a body."""

    written: str  # the bracket as written, e.g. "[@slug#p-7; @key, art. 16]"
    items: tuple[str, ...]  # its citations, `slug#p-n` or `key, locator` (with their words)
    error: str | None  # why it is malformed (then `items` is empty)
    line: int | None  # 0-based line in the body
    paragraph: str | None  # the id of the numbered paragraph it is in ("p-2")


def _split(inner: str) -> list[str]:
    """Split at ';' outside quoted words."""
    parts, start, quote = [], 0, False
    for index, char in enumerate(inner):
        if not quote and char in _OPEN:
            quote = True
        elif quote and char in _CLOSE:
            quote = False
        elif not quote and char == ";":
            parts.append(inner[start:index])
            start = index + 1
    return [*parts, inner[start:]]


def _close(src: str, pos: int) -> int:
    """The index of the ']' that closes the citation at `pos`, skipping quoted words (which
    may hold brackets, like the article's "[territorial]"), or -1."""
    quote = False
    for index in range(pos, len(src)):
        char = src[index]
        if not quote and char in _OPEN:
            quote = True
        elif quote and char in _CLOSE:
            quote = False
        elif not quote and char == "]":
            return index
    return -1


def parse_items(inner: str) -> tuple[list[str], str | None]:
    """Split the inside of `[...]` (after `[`) into items, `slug#p-n` or `key, locator` (with
    their quoted words, if any, on one line), or say what is wrong."""
    if not inner.startswith("@"):
        return [], "a citation must start with '@'"
    items = []
    for raw in _split(inner):
        item = raw.strip()
        if not item.startswith("@"):
            return [], (f"'{item or raw}' is not a citation: each one starts with '@'"
                        if item else "an empty citation between ';'")
        body = " ".join(item[1:].split())
        if not body:
            return [], "'@' is not followed by a source slug or reference key"
        if "#" not in body.split(",", 1)[0].split('"', 1)[0]:  # a reference of the bibliography
            cite, error = cites.parse_text(body)
            if error:
                return [], error
            items.append(cite.written())
            continue
        if not ITEM.match(body):
            slug, _, anchor = body.partition("#")
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                return [], f"'{slug}' is not a slug (lowercase letters, digits, hyphens)"
            anchor, _, rest = anchor.partition(" ")
            if re.fullmatch(r"p-[1-9][0-9]*", anchor):
                return [], (f"'{rest}' after '#{anchor}' is not quoted words: write them in "
                            'double quotes, e.g. [@slug#p-19 "the seven-country CSTO"]')
            return [], f"'#{anchor}' is not a paragraph: write '#p-<n>' with n from 1"
        items.append(body)
    return items, None


def _cite_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    close = _close(src, pos)
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
    found = env.setdefault("citations", [])
    found.append(Placeholder(token.content, tuple(meta["items"]), meta["error"],
                             meta.get("line"), meta.get("paragraph") or None))
    return ELEMENT.format(n=len(found) - 1, written=html.escape(token.content, quote=False))


def cite_plugin(md: MarkdownIt) -> None:
    """Add the `[@slug#p-n]` rule. Register after the `paragraph_ids` core rule so that the
    placeholder can say which numbered paragraph it is in."""
    md.inline.ruler.before("link", TOKEN, _cite_rule)
    md.core.ruler.push("para_cite_locate", _locate)
    md.add_render_rule(TOKEN, _render)

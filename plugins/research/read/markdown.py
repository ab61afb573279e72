"""The Markdown dialect of the site: markdown-it-py with the plugins a research site needs.

- CommonMark plus tables and strikethrough; footnotes; definition lists; heading anchors;
  attributes on spans and blocks (`[text]{.nolink}`, `[text]{entity=csto}`), limited to a safe
  list so that front-matter-free Markdown cannot smuggle event handlers into the page.
- Raw HTML in Markdown is *not* passed through: it is shown as text. Research content is
  written in Markdown; this keeps every page free of injected scripts (see docs/architecture.md).
- `{filename}`, `{static}` and the other Pelican link indicators survive link normalisation,
  so Pelican can resolve intra-site links later.
- Optionally (sources and briefing notes), every top-level paragraph carries a persistent id
  written at the end of its last line (`{#p-19}`) and gets a pilcrow link.
- Paragraph citations `[@slug#p-7; @slug#p-19]` become placeholders (cite_syntax.py), resolved
  into links by the cross-document step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .cite_syntax import TOKEN as CITE_TOKEN, cite_plugin
from ..core.errors import Coded

# Attributes an author may set with `{...}`. `entity` forces a link to an entity (see linker).
ALLOWED_ATTRIBUTES = ("id", "class", "entity", "lang")

# Pelican's intra-site link indicators, e.g. `{filename}../sources/x.md#p-3`.
_INDICATOR = re.compile(r"^(\{\w+\}|\|\w+\|)(.*)$", re.S)


def paragraph_id(number: int) -> str:
    return f"p-{number}"


# A paragraph's id is written at the end of its last line: `... last words. {#p-19}`. It is
# part of the file, so it stays with the paragraph through insertions, deletions and moves
# (positions do not), and it is on the paragraph's own line, so stamping a file changes no
# line numbers. `python -m research ids` writes the missing ones (paragraph_ids.py).
MARKER = re.compile(r"[ \t]*\{#(p-[1-9][0-9]*)\}[ \t]*$")
# Ids kept for the site itself: paragraph ids, footnotes, and the ids of the page chrome
# (theme/templates: `main`, `site-search`, `*-heading`, `asof-…`, …). A heading or a `{#…}`
# attribute that took one would capture the links meant for it.
RESERVED_ID = re.compile(r"^(?:p-\d+|fn\d+|fnref\d+(?::\d+)?|main|site-search|asof-.*|"
                         r"overlap-.*|home-(?:sources|briefings)|letter-[a-z]|year-\d+|"
                         r"geo-[a-z]{2}|.*-(?:heading|caption)|connections-list)$")


NO_ID = ("this paragraph has no id; run `python -m research ids` (or `make ids`) to give every "
         "paragraph one")


@dataclass
class Parsed:
    """What the reader keeps from one body: the HTML, each numbered paragraph's plain text
    (by id, in document order) and body line, and what is wrong, as (body line, message)."""

    html: str
    paragraphs: dict[str, str] = field(default_factory=dict)
    # each numbered paragraph's text as the lint reads it (`lint_text`), by id
    lint_texts: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # 0-based line in the body
    # (0-based body line or None, message); "{line:N}" in a message stands for body line N,
    # which the reader turns into a line of the file.
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    unstamped: list[int] = field(default_factory=list)  # first lines of paragraphs without id
    # each `[@...]` bracket, in order (cite_syntax.Placeholder): the HTML holds only its index
    citations: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.paragraphs)


def _keep_indicators(normalize):
    """Wrap markdown-it's link normaliser so it leaves the `{filename}` prefix alone."""

    def normalize_link(url: str) -> str:
        match = _INDICATOR.match(url)
        if match:
            return match.group(1) + normalize(match.group(2))
        return normalize(url)

    return normalize_link


def _line(token: Token) -> int | None:
    return token.map[0] if token.map else None


def _container_problem(kind: Token, marker: str | None) -> str:
    """Why a paragraph inside `kind` (a list, quotation, footnote, table) is no paragraph of
    the text, and how to write it so that it is."""
    mark = f" ' {{#{marker}}}'" if marker else ""
    if kind.type == "ordered_list_open":
        start = kind.attrGet("start") or 1
        return (f"this line starts with '{start}{kind.markup}', so Markdown reads it as a "
                f"numbered list item, which cannot be a cited paragraph; write "
                f"'{start}\\{kind.markup}' to keep it a paragraph")
    if kind.type == "bullet_list_open":
        return (f"this line starts with '{kind.markup}', so Markdown reads it as a list item, "
                f"which cannot be a cited paragraph; write '\\{kind.markup}' to keep it a "
                "paragraph")
    if kind.type == "blockquote_open":
        return ("this line starts with '>', so Markdown reads it as a block quotation, which "
                "cannot be a cited paragraph; write '\\>' to keep it a paragraph")
    if kind.type == "footnote_reference_open":
        return f"a footnote cannot carry a paragraph id: remove{mark}"
    return f"only a paragraph can carry a paragraph id: remove{mark}"


def _strip_markers(state: StateCore) -> None:
    """Before inline parsing: take each top-level paragraph's id marker off its text and
    record it; say what is wrong with a marker anywhere else (a heading, a list item, code)."""
    env = state.env
    if not env.get("paragraph_ids"):
        return
    problems = env.setdefault("problems", [])
    strict = env.get("strict_blocks")
    containers: list[Token] = []
    for index, token in enumerate(state.tokens):
        if token.nesting == 1 and token.type in (
                "bullet_list_open", "ordered_list_open", "blockquote_open",
                "footnote_reference_open", "table_open"):
            if strict and not containers and token.type != "footnote_reference_open" \
                    and token.type != "table_open":
                problems.append((_line(token), Coded("sources are written as plain paragraphs: "
                                 + _container_problem(token, None), "paragraph.container")))
                token.meta["reported"] = True  # once for the whole list or quotation
            containers.append(token)
        elif token.nesting == -1 and token.type in (
                "bullet_list_close", "ordered_list_close", "blockquote_close",
                "footnote_reference_close", "table_close"):
            containers.pop()
        elif token.type in ("code_block", "fence"):
            found = re.search(r"\{#(p-[1-9][0-9]*)\}[ \t]*$", token.content.rstrip("\n"))
            if found or (strict and not containers):
                how = ("this text is indented by four spaces or a tab, so Markdown reads it "
                       "as code, which cannot be a cited paragraph; remove the indentation"
                       if token.type == "code_block" else
                       f"this text is inside a '{token.markup}' code fence, which cannot be "
                       "a cited paragraph; remove the fence")
                problems.append((_line(token), Coded(how, "paragraph.code")))
        elif token.type == "heading_open":
            inline = state.tokens[index + 1]
            found = MARKER.search(inline.content)
            if token.markup in ("=", "-") and (found or strict):
                problems.append((_line(token), Coded(f"the line after this paragraph is all "
                                 f"'{token.markup}', so Markdown reads the paragraph as a "
                                 "heading; put a blank line before that line",
                                 "paragraph.heading")))
            elif found:
                problems.append((_line(token), Coded(f"this line starts with '#', so Markdown "
                                 "reads it as a heading, which cannot be a cited paragraph; write "
                                 f"'\\#' to keep it a paragraph, or remove ' {{#{found[1]}}}' "
                                 "to keep the heading", "paragraph.heading")))
        elif token.type == "inline" and index and state.tokens[index - 1].type == "paragraph_open":
            found = MARKER.search(token.content)
            if not found:
                continue
            if containers:
                if not containers[0].meta.get("reported"):
                    problems.append((_line(token), Coded(_container_problem(
                        containers[-1], found[1]), "paragraph.container")))
                continue
            token.content = token.content[: found.start()]
            state.tokens[index - 1].meta["paragraph_id"] = found[1]
        elif token.type == "inline" and MARKER.search(token.content) and \
                state.tokens[index - 1].type != "heading_open":  # (said above)
            problems.append((_line(token), Coded(_container_problem(
                Token("table_open", "", 1), MARKER.search(token.content)[1]),
                "paragraph.container")))


def _plain(children: list[Token] | None) -> str:
    """A paragraph's text as a reader reads it: no markup, no citation brackets, no footnote
    marks; line breaks as spaces."""
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children))
    return "".join(parts).strip()


# What the lint leaves out of a paragraph's text is replaced by this, so that no name runs
# across it: the words either side are never glued into one name ("Republic of | Nursultan
# Nazarbayev"). A double vertical line: not a word character, not a space.
LINT_SEPARATOR = " \u2016 "


def _lint_span(token: Token) -> bool:
    """A span the lint does not read: a forced link (`[text]{entity=slug}`, already an
    entity's name) or `[text]{.nolint}`."""
    return token.attrGet("entity") is not None or \
        "nolint" in str(token.attrGet("class") or "").split()


def lint_text(children: list[Token] | None) -> str:
    """A paragraph's text as the lint reads it: its words as the page shows them (line breaks
    kept, code and citation brackets as written, an image's text left out), with each
    footnote mark, forced link and `.nolint` span replaced by LINT_SEPARATOR."""
    parts: list[str] = []
    skipped = 0  # depth inside a span the lint does not read
    for child in children or ():
        kind = child.type
        if skipped:
            if kind == "span_open":
                skipped += 1
            elif kind == "span_close":
                skipped -= 1
                if not skipped:
                    parts.append(LINT_SEPARATOR)
        elif kind == "span_open" and _lint_span(child):
            skipped = 1
        elif kind in ("text", "code_inline", CITE_TOKEN):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "footnote_ref":
            parts.append(LINT_SEPARATOR)
    if skipped:  # (an unclosed span: markdown-it closes them all)
        parts.append(LINT_SEPARATOR)
    return "".join(parts)


def _number_paragraphs(state: StateCore) -> None:
    """Give top-level paragraphs (not those in lists, quotes or footnotes) their ids and
    pilcrows; record their texts; refuse unstamped paragraphs, duplicate and reserved ids."""
    env = state.env
    tokens = state.tokens
    problems = env.setdefault("problems", [])
    paragraphs: dict[str, str] = {}
    lint_texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    numbered = set()
    in_footnotes = False
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            in_footnotes = True
        elif token.type == "footnote_block_close":
            in_footnotes = False
        if not env.get("paragraph_ids") or token.type != "paragraph_open" \
                or token.level != 0 or in_footnotes:
            continue
        anchor = token.meta.get("paragraph_id")
        if anchor is None:
            problems.append((_line(token), Coded(NO_ID, "paragraph.missing-id")))
            env.setdefault("unstamped", []).append(_line(token))
            continue
        if anchor in paragraphs:
            problems.append((_line(token), Coded(f"the id {anchor} is also on the paragraph on "
                             f"line {{line:{lines[anchor]}}}; ids are never shared: remove this "
                             f"' {{#{anchor}}}' and run `python -m research ids`",
                             "paragraph.duplicate-id")))
            continue
        if token.attrGet("id") is not None:  # from a `{#x}` line above the paragraph
            other = token.attrGet("id")
            problems.append((_line(token), Coded(f"'{{#{other}}}' stands on a line of its own "
                             "above this paragraph; a paragraph id goes at the end of the "
                             "paragraph's last line: join it to the paragraph it belongs to"
                             if re.fullmatch(r"p-\d+", str(other)) else
                             f"this paragraph has its id {anchor} at its end; remove the "
                             f"'{{#{other}}}' attribute line above it", "paragraph.id-placement")))
        numbered.add(index)
        token.attrSet("id", anchor)
        inline = tokens[index + 1]
        paragraphs[anchor] = _plain(inline.children)
        lint_texts[anchor] = lint_text(inline.children)
        lines[anchor] = _line(token) or 0
        pilcrow = Token("html_inline", "", 0)
        pilcrow.content = (f' <a class="pilcrow" href="#{anchor}" '
                           f'aria-label="Link to paragraph {anchor[2:]}">¶</a>')
        if inline.children is None:
            inline.children = []
        inline.children.append(pilcrow)
    _refuse_reserved_ids(tokens, numbered, problems)
    _refuse_empty_entities(tokens, problems)
    env["paragraphs"], env["lines"], env["lint_texts"] = paragraphs, lines, lint_texts


_EMPTY_ENTITY = re.compile(r"\{[^{}\n]*\bentity\s*=\s*(?:\"\"|''|(?=[\s}]))")


def _refuse_empty_entities(tokens: list[Token], problems: list) -> None:
    """`[text]{entity=}` names no entity. attrs_plugin either drops it (then it would show as
    text) or keeps an empty value (then the linker would look up ''): say so, with the line."""
    for token in tokens:
        if token.type != "inline" or "entity" not in token.content:
            continue
        for match in _EMPTY_ENTITY.finditer(token.content):
            line = _line(token)
            problems.append((None if line is None else line + token.content.count(
                "\n", 0, match.start()), Coded("[...]{entity=} names no entity: write "
                "[text]{entity=<slug>} with the slug of an entity file, e.g. "
                "[the bloc]{entity=csto}", "link.empty-entity")))


def _refuse_reserved_ids(tokens: list[Token], numbered: set[int], problems: list) -> None:
    line = None
    for index, token in enumerate(tokens):
        line = _line(token) if token.map else line
        for child in [token, *(token.children or ())]:
            ident = child.attrGet("id") if child.attrs else None
            if not isinstance(ident, str) or index in numbered and child is token \
                    or child.type.startswith("footnote") or not RESERVED_ID.match(ident):
                continue
            if token.type == "heading_open" and child is token:
                text = tokens[index + 1].content
                problems.append((line, Coded(f"the heading '{text}' would get the id '{ident}', "
                                 "which the site keeps for its own anchors; reword the heading",
                                 "id.reserved")))
            else:
                problems.append((line, Coded(f"the id '{ident}' is kept for the site's own "
                                 "anchors (paragraph ids are written at the end of a paragraph, "
                                 "' {#p-3}'); choose another id", "id.reserved")))


# Footnotes as numbered notes under a "Notes" heading: superscript numbers (not "[1:1]"), and one
# return arrow per note, with a letter for each further reference ("↩ a b", not "↩ ↩").
def _footnote_caption(self, tokens, idx, options, env) -> str:
    return str(tokens[idx].meta["id"] + 1)


def _footnote_ref(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta["id"] + 1
    sub = tokens[idx].meta.get("subId", -1)
    refid = f"{number}:{sub}" if sub > 0 else str(number)
    return (f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{refid}" '
            f'aria-label="Note {number}">{number}</a></sup>')


def _footnote_block_open(self, tokens, idx, options, env) -> str:
    return ('<section class="footnotes" aria-labelledby="notes-heading">\n'
            '<h2 id="notes-heading">Notes</h2>\n<ol class="footnotes-list">\n')


def _footnote_anchor(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta["id"] + 1
    sub = tokens[idx].meta.get("subId", 0)
    count = env.get("footnotes", {}).get("list", {}).get(tokens[idx].meta["id"], {}).get(
        "count", 1)
    if count <= 1:
        return (f' <a href="#fnref{number}" class="footnote-backref" '
                'aria-label="Back to the text">↩\ufe0e</a>')
    letter = chr(ord("a") + sub) if sub < 26 else str(sub + 1)
    lead = " ↩\ufe0e" if sub == 0 else ""
    refid = f"{number}:{sub}" if sub > 0 else str(number)
    return (f'{lead} <a href="#fnref{refid}" class="footnote-backref" '
            f'aria-label="Back to reference {letter}">{letter}</a>')


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
    md.add_render_rule("footnote_caption", _footnote_caption)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.core.ruler.after("block", "paragraph_markers", _strip_markers)
    md.core.ruler.push("paragraph_ids", _number_paragraphs)
    md.use(cite_plugin)  # `[@slug#p-n]`; after paragraph_ids, to know each citation's paragraph
    return md


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:  # a pure, stateless parser: safe to share across builds
        _PARSER = make_parser()
    return _PARSER


def parse(body: str, *, paragraph_ids: bool = False, strict_blocks: bool = False) -> Parsed:
    """Render a body. With `paragraph_ids`, every top-level paragraph must end with its id
    (`{#p-19}`); `strict_blocks` (sources) also refuses lists, quotations, code and
    underlined headings, which would silently be no paragraphs of the text."""
    env: dict = {"paragraph_ids": paragraph_ids, "strict_blocks": strict_blocks}
    html = _parser().render(body, env)
    return Parsed(html, env.get("paragraphs", {}), env.get("lint_texts", {}),
                  env.get("lines", {}), env.get("problems", []), env.get("unstamped", []),
                  env.get("citations", []))


def render(body: str, *, paragraph_ids: bool = False) -> tuple[str, int]:
    """Render Markdown to HTML; returns the HTML and the number of numbered paragraphs.

    For tests and tools: paragraphs without an id are rendered as `python -m research ids`
    would stamp them (the reader uses `parse`, which refuses them)."""
    if paragraph_ids:
        from .paragraph_ids import stamp
        body = stamp(body).text
    parsed = parse(body, paragraph_ids=paragraph_ids)
    return parsed.html, parsed.count


_INLINE: MarkdownIt | None = None


def render_inline(text: str, cite_links=None) -> Markup:
    """Inline Markdown (code spans, emphasis, links) for short front-matter texts such as an
    editorial `note`: no paragraphs, no entity links, and raw HTML shown as text. With
    `cite_links` (a function of a `[@...]` match, render/inline.py), `[@slug#p-n]` becomes a
    link to the paragraph (checked by the build, citations.check_notes)."""
    global _INLINE
    if _INLINE is None:
        _INLINE = MarkdownIt("commonmark", {"html": False, "typographer": False})
    rendered = _INLINE.renderInline(str(text))
    if cite_links is not None and "[@" in rendered:
        rendered = NOTE_CITE.sub(cite_links, rendered)
    return Markup(rendered)


NOTE_CITE = re.compile(r"\[@([^\]]*)\]")

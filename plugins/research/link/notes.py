"""A briefing note's citations and footnotes as one series of numbered notes.

Briefing notes cite in one style (issue 18, SPEC 2): every `[@...]` bracket of the body and
every footnote `[^n]` becomes a superscript number, numbered in the order they occur, and
the notes are listed under one "Notes" heading: a bracket's note holds its citations
("Goodenough 2008, ¶ 7" linking to the paragraph, "CSTO 2002, art. 16" linking to the
entry in the page's list of references), with the words relied on shown; a footnote's note
holds its text (citations inside it stay inline). A note that repeats an earlier one links
to it ("as note 7"); a footnote cited again reuses its number,
and `[^n]` inside another footnote becomes a link "note 3". Pure HTML in, HTML out, run on
the resolved HTML of one note (cite_resolve.resolve_site), so it works without script.
"""

from __future__ import annotations

import html
import re

_SECTION = re.compile(r'<section class="footnotes" aria-labelledby="notes-heading">.*?</section>\n?',
                      re.S)
_ITEM = re.compile(r'<li id="fn(\d+)" class="footnote-item">(.*?)</li>', re.S)
_REF = re.compile(r'[ \t]*<span class="para-cites">\[(?P<cite>.*?)\]</span>'
                  r'|<sup class="footnote-ref"><a href="#fn(?P<fn>\d+)"[^>]*>\d+</a></sup>', re.S)
_INNER_REF = re.compile(r'<sup class="footnote-ref"><a href="#fn(\d+)"[^>]*>\d+</a></sup>')
_BACKREF = re.compile(r'\s*↩\ufe0e|\s*<a href="#fnref[^"]*" class="footnote-backref"[^>]*>.*?</a>',
                      re.S)
_QUOTED = re.compile(r'(<a class="(?:para-cite|ref-cite)" [^>]*?title="([^"]*)"[^>]*>.*?</a>)',
                     re.S)


def _sup(number: int, ident: str) -> str:
    return (f'<sup class="note-ref"><a href="#note-{number}" id="{ident}" '
            f'aria-label="Note {number}">{number}</a></sup>')


def _cite_note(inner: str) -> str:
    """A bracket's citations as a note: the words relied on shown after each citation (and
    no longer as the link's title)."""
    def show(match: re.Match) -> str:
        link = match[1].replace(f' title="{match[2]}"', "", 1)
        words = html.escape(html.unescape(match[2]).strip("“”"), quote=False)
        return f'{link}: <q class="note-quote">{words}</q>'
    return f"<p>{_QUOTED.sub(show, inner)}.</p>"


def numbered(rendered: str) -> str:
    """The HTML with its brackets and footnote references numbered, and one list of notes."""
    section = _SECTION.search(rendered)
    body = rendered if section is None else rendered[: section.start()] + \
        rendered[section.end():]
    footnotes = {int(k): _BACKREF.sub("", inner).strip()
                 for k, inner in _ITEM.findall(section[0])} if section else {}
    notes: list[tuple[str, object]] = []  # ("cite", html) or ("foot", footnote number)
    refs: dict[int, list[str]] = {}  # note number -> ids of its references in the text
    number_of: dict[int, int] = {}  # footnote number -> note number

    def number(match: re.Match) -> str:
        if match["cite"] is not None:
            notes.append(("cite", match["cite"]))
            n = len(notes)
        else:
            footnote = int(match["fn"])
            if footnote not in number_of:
                notes.append(("foot", footnote))
                number_of[footnote] = len(notes)
            n = number_of[footnote]
        ids = refs.setdefault(n, [])
        ident = f"note-ref-{n}" + (f"-{len(ids) + 1}" if ids else "")
        ids.append(ident)
        return _sup(n, ident)

    body = _REF.sub(number, body)
    for footnote in sorted(footnotes):  # a footnote only other footnotes refer to
        if footnote not in number_of:
            notes.append(("foot", footnote))
            number_of[footnote] = len(notes)
    if not notes:
        return rendered
    items = []
    first_of: dict[str, int] = {}  # a bracket's citations -> the first note that has them
    for n, (kind, value) in enumerate(notes, 1):
        if kind == "cite":
            text = _cite_note(value)
            earlier = first_of.setdefault(value, n)
            if earlier != n:  # the same citations again: say so, and link the first note
                text = (text[:-5] + f' (as <a class="note-xref" href="#note-{earlier}">note '
                        f'{earlier}</a>).</p>')
        else:
            text = _INNER_REF.sub(lambda m: (f'<a class="note-xref" href="#note-'
                                             f'{number_of.get(int(m[1]), m[1])}">note '
                                             f'{number_of.get(int(m[1]), m[1])}</a>'),
                                  footnotes.get(value, ""))
        ids = refs.get(n, [])
        back = " ".join(f'<a href="#{ident}" class="footnote-backref" aria-label="Back to '
                        f'the text{"" if len(ids) == 1 else f" ({chr(97 + i)})"}">'
                        f'{"↩︎" if len(ids) == 1 else chr(97 + i)}</a>'
                        for i, ident in enumerate(ids))
        if back:
            text = text[:-4] + f" {back}</p>" if text.endswith("</p>") else f"{text} {back}"
        items.append(f'<li id="note-{n}" class="footnote-item">{text}</li>')
    return (body.rstrip("\n") + '\n<section class="footnotes notes" aria-labelledby='
            '"notes-heading">\n<h2 id="notes-heading">Notes</h2>\n<ol class="footnotes-list">\n'
            + "\n".join(items) + "\n</ol>\n</section>\n")

"""Citations as the templates show them: compact, linked, escaped once.

Jinja globals installed on every generator's environment (`install`, on `generator_init`):

- `cite_refs(refs)`: a row's or event's `refs:` as a compact line: "CSTO 2002, art. 16"
  linking to its entry on /references/, then its copy ("online", "archived"); a paragraph as
  "Goodenough 2008, ¶ 7" linking to the paragraph; the words relied on after it.
- `reference_entry(key)`: the bibliography entry (CSL, Chicago author-date) as HTML.
- `row_anchor(row)`: the id of a row on its entity page (`row-members-3`), which /references/
  links to.

Every value is escaped here (html.escape, quotes too): the templates mark the result safe.
URLs come from the bibliography, where the contract let only http(s) addresses through.
"""

from __future__ import annotations

import functools
import html
import json

from markupsafe import Markup
from jinja2 import pass_context

from ..link.cite_resolve import label
from ..link.refs_check import row_anchor

REFERENCES_URL = "references/"


def _e(text) -> str:
    return html.escape(str(text))


def copies(ref) -> str:
    """" (online, archived)": links to the reference's own copies, if any."""
    links = []
    if ref.url:
        links.append(f'<a class="ref-copy" href="{_e(ref.url)}">online</a>')
    if ref.archive_url:
        links.append(f'<a class="ref-copy" href="{_e(ref.archive_url)}">archived</a>')
    return f' <span class="ref-copies">({", ".join(links)})</span>' if links else ""


def cite_html(cite, bibliography, index, siteurl: str, references_url: str,
              with_copies: bool = True) -> str:
    """One citation: its link, the words relied on (shown: two citations of one reference
    for different words are two different notes), then the reference's copies."""
    words = (f': <q class="note-quote">{html.escape(" ".join(cite.quote.split()), quote=False)}'
             "</q>" if cite.quote else "")
    if cite.is_paragraph:
        document = index.documents.get(cite.key) if index is not None else None
        if document is None:
            return html.escape(cite.written(), quote=False)
        return (f'<a class="para-cite" href="{_e(f"{siteurl}/{document.url}#p-{cite.paragraph}")}"'
                f'>{_e(label(document, cite.paragraph))}</a>{words}')
    ref = bibliography.get(cite.key) if bibliography is not None else None
    if ref is None:
        return html.escape(cite.written(), quote=False)
    target = f"{siteurl}/{references_url}#{cite.key}"
    return (f'<a class="ref-cite" href="{_e(target)}">'
            f'{_e(bibliography.citation_text(cite))}</a>{words}'
            f'{copies(ref) if with_copies else ""}')


@pass_context
def cite_refs(context, refs, copies: bool = True) -> Markup:
    """`refs` (Cites) as one compact line, '; ' between them; without `copies`, no links out
    of the site (list pages such as the timeline link only to /references/)."""
    state = context.get("research")
    bibliography = getattr(state, "bibliography", None)
    index = getattr(state, "cite", None)
    siteurl = context.get("SITEURL", "")
    url = context.get("REFERENCES_URL", REFERENCES_URL)
    return Markup("; ".join(cite_html(cite, bibliography, index, siteurl, url, copies)
                            for cite in refs or ()))


@pass_context
def reference_entry(context, key: str) -> Markup:
    bibliography = getattr(context.get("research"), "bibliography", None)
    if bibliography is None or key not in bibliography:
        return Markup(html.escape(key))
    return Markup(bibliography.entry_html(key))


@pass_context
def page_citation(context) -> dict | None:
    """How to cite the page being rendered: its CSL-JSON item, the item formatted (Chicago
    author-date), its Highwire meta tags and the addresses of its three files; None for a
    page that offers none (indexes, the home page)."""
    from . import cite_page

    item, save_as = context.get("references_citation"), None
    settings, content, entity = _settings(context), None, None
    if item is not None:
        save_as = context.get("REFERENCES_SAVE_AS", "references/index.html")
    elif context.get("entity") is not None and context.get("page") is not None:
        content, kind, entity = context["page"], "entity", context["entity"]
    elif context.get("article") is not None:
        content = context["article"]
        kind = "source" if getattr(content.category, "slug", "") == "sources" else "briefing"
    siteurl = context.get("SITEURL", "")
    if content is not None:
        # base.html's meta tags and the "Cite this page" box ask one after the other.
        key = (kind, siteurl, tuple(settings.values()))
        if _last[0] is content and _last[1] == key:
            return _last[2]
        item = cite_page.item_for(content, kind, settings, entity)
        save_as = cite_page.save_as_of(content)
    if item is None:
        return None
    short, entry = _formatted(json.dumps(item, sort_keys=True))
    files = [(f"{siteurl}/{path}", label) for path, (_, label) in
             zip(cite_page.paths(save_as), cite_page.FILES)]
    result = {"item": item, "formatted": Markup(entry), "short": short,
              "meta": Markup(cite_page.highwire(item)), "files": files}
    if content is not None:
        _last[:] = [content, key, result]
    return result


_last: list = [None, None, None]  # the last page's (content, key, result)


@functools.lru_cache(maxsize=16)
def _formatted(item_json: str) -> tuple[str, str]:
    """A page's own entry, formatted once: base.html's meta tags and the "Cite this page" box
    ask for the same page one after the other. Formatted from its shape (cite_page.own_entry:
    citeproc-py's output, without a citeproc-py run per page)."""
    from . import cite_page

    return cite_page.own_entry(json.loads(item_json))


def _settings(context) -> dict:
    return {key: context.get(key) for key in ("SITENAME", "SITE_AUTHOR", "SITEURL",
                                              "RELATIVE_URLS", "REFERENCES_URL")}


def install(generator) -> None:
    _last[:] = [None, None, None]
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.globals.update(cite_refs=cite_refs, reference_entry=reference_entry,
                       row_anchor=row_anchor, page_citation=page_citation)

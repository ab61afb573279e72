"""The cross-document step, run once every generator has read its content.

It links entity mentions in every source and briefing note (recording each mention), links
names in entity descriptions to other entities, and derives backlinks. Then it resolves the
`[@slug#p-n]` citations and "Cited by" lines (cite_resolve.py) and checks quotations
(quotes.py). Pelican fires `all_generators_finalized` before any output is written and
before any `{filename}` link is resolved, so the links we insert as `{filename}` resolve like
hand-written ones.
"""

from __future__ import annotations

import re

from pelican.generators import ArticlesGenerator
from pelican.utils import SafeDatetime

from ..cache import hooks as cache_hooks
from ..render.entity_pages import EntityGenerator
from .citations import CitationIndex, check_notes
from ..core.contract import check_briefing_sources, stop_if_files_failed
from .cite_resolve import resolve_site
from ..core.errors import ContentError, Problem, code_of
from .linker import POLICIES, Linker
from .lint import Lint
from .mentions import MentionIndex, Works
from .quotes import collect_quotes
from ..read.reader import display_path


def _find(generators, kind):
    return next((g for g in generators if isinstance(g, kind)), None)


def documents(generators) -> list:
    """Sources and briefing notes (Pelican articles, drafts and translations included)."""
    articles = _find(generators, ArticlesGenerator)
    if articles is None:
        return []
    everything = (articles.articles + articles.translations + articles.drafts
                  + articles.drafts_translations + getattr(articles, "hidden_articles", [])
                  + getattr(articles, "hidden_translations", []))
    unique = {id(a): a for a in everything}
    return sorted(unique.values(), key=lambda a: a.source_path)


def link_site(generators) -> None:
    entities = _find(generators, EntityGenerator)
    if entities is None or entities.registry is None:
        return
    stop_if_files_failed(entities.context)  # a refused file: its own problems, no cascade
    registry = entities.registry
    settings = entities.settings
    adjectives = adjectival_forms(registry, settings)
    try:
        linker = Linker(registry.surface_forms, settings["ENTITY_LINK_POLICY"],
                        phrases=settings.get("ENTITY_PHRASES", ()),
                        adjectives=adjectives,
                        link_adjectives=settings.get("ENTITY_LINK_ADJECTIVES", False))
    except ValueError:
        raise ContentError(Problem("pelicanconf.py", f"{settings['ENTITY_LINK_POLICY']!r} is "
                                   f"not a policy; use one of {', '.join(POLICIES)}",
                                   field="ENTITY_LINK_POLICY", code="settings.value")) from None

    # Computed once per entity, not once per mention.
    hrefs = {slug: "{filename}/" + e.page.get_relative_source_path()
             for slug, e in registry.entities.items()}
    classes = {slug: f"entity-link entity-{e.type}" for slug, e in registry.entities.items()}
    href, css = hrefs.__getitem__, classes.__getitem__
    # An incremental build re-links only documents whose HTML or name table changed.
    linker = cache_hooks.linker(settings, linker, registry.surface_forms, hrefs, classes,
                                (sorted(adjectives),
                                 list(settings.get("ENTITY_PHRASES", ()))))
    docs = documents(generators)
    _freeze_urls([*docs, *(e.page for e in registry.entities.values())])
    _freeze_dates(docs)

    index = MentionIndex()
    problems: list[Problem] = []
    lint = Lint(linker, registry.surface_forms, settings)
    for document in docs:
        html, mentions, unknown = linker.link(document._content, href, css)
        problems += [_unknown(document.source_path, u.slug) for u in unknown]
        document._content = html
        document.mentions = mentions
        index.add(document, mentions)
        lint.document(document, display_path(document.source_path))
    for entity in registry.entities.values():
        page = entity.page
        html, _mentions, unknown = linker.link(page._content, href, css, self_slug=entity.slug)
        problems += [_unknown(page.source_path, u.slug) for u in unknown]
        page._content = html
    problems += _check_slugs(docs)
    citations = CitationIndex.for_build(docs, settings)
    problems += _check_sources(registry, citations) + check_notes(registry, citations)
    # --- paragraph citations `[@slug#p-n]`, "Cited by" lines, quotations --------------------
    # (cite_resolve.py, quotes.py) run after every document and entity page is linked.
    cited_by, citation_problems = resolve_site(
        docs, [e.page for e in registry.entities.values()], citations)
    quotes, quote_problems = collect_quotes(docs, registry)
    problems += citation_problems + quote_problems
    problems += check_briefing_sources(docs, citations, settings)  # `sources:` vs citations
    entities.context["cited_by"] = cited_by
    entities.context["works"] = Works(docs, registry.surface_forms, cited_by.citations)
    entities.context["quotes"] = quotes
    # --- end of citations and quotations --------------------------------------------------
    if problems:
        raise ContentError(problems)
    cache_hooks.contents(settings, [*docs, *(e.page for e in registry.entities.values())])
    entities.mentions = index
    entities.context["lint"] = lint.findings  # as data (lint.Finding), for serve and tests
    entities.context["mentions"] = index
    entities.context["cite"] = citations


# Endings of aliases that are adjectives or demonyms of a country's name ("Russian",
# "Chinese", "Polish", "Kazakh", "Dutch", "South Ossetian"); names such as "Burma", "Czechia",
# "Britain", "Türkiye" or "Kaliningrad" do not end so.
_ADJECTIVE_ENDINGS = ("an", "ese", "ish", "i", "ic", "ch", "k", "kh", "z", "et")
# ... and endings that make an adjective only of the name's own stem ("Montenegrin",
# "Slovene", "Luxembourger", "Czechs"), where "Britain" or "Kremlin" would be other words.
_STEM_ENDINGS = ("er", "in", "ene", "s")


def is_adjectival(alias: str, name: str) -> bool:
    """Does a country's alias read as an adjective or demonym of its name?"""
    if alias == name or "." in alias or alias.isupper():
        return False
    words, name_words = alias.split(), name.split()
    if len(words) > 1:  # "South Ossetian" of "South Ossetia", not "Russian Federation"
        return (len(words) == len(name_words) and words[:-1] == name_words[:-1]
                and words[-1] != name_words[-1] and words[-1].endswith(_ADJECTIVE_ENDINGS))
    if alias.endswith(_ADJECTIVE_ENDINGS):
        return True
    return alias[:4] == name_words[0][:4] and alias.endswith(_STEM_ENDINGS)


def adjectival_forms(registry, settings: dict) -> set[str]:
    """Surface forms linked only when ENTITY_LINK_ADJECTIVES is on: the aliases of countries
    and territories that read as adjectives or demonyms, plus ENTITY_METONYMS ("Kremlin" for
    Russia's leadership)."""
    forms = set(settings.get("ENTITY_METONYMS", ()))
    for entity in registry.entities.values():
        if entity.type in ("country", "territory"):
            forms.update(a for a in entity.aliases if is_adjectival(a, entity.name))
    return forms


def _freeze_urls(contents: list) -> None:
    """Compute each page's URL once. Pelican formats `url` from the settings on every access
    (a copy of the metadata, a path computation, a format); every `{filename}` link to a page
    and every listing of it in a template asks again: at 10,000 documents that was hundreds of
    thousands of formattings (docs/performance.md). Nothing that a URL depends on (slug,
    category, date, lang, status) changes after the generators have read their content, and
    `override_url` is Pelican's own way to fix a content object's URL."""
    for content in contents:
        if not hasattr(content, "override_url"):
            content.override_url = content.url


class _FormattedDate(SafeDatetime):
    """A document's date that formats each pattern once. Templates format a document's date
    wherever it is listed (tag pages, "Mentioned in" on every entity page it names), and
    Pelican's locale-safe strftime costs about 25 µs a call."""

    def strftime(self, fmt, safe=True):
        formatted = self.__dict__.setdefault("_formatted", {})
        if (fmt, safe) not in formatted:
            formatted[(fmt, safe)] = super().strftime(fmt, safe)
        return formatted[(fmt, safe)]


def _freeze_dates(docs: list) -> None:
    for document in docs:
        date = getattr(document, "date", None)
        if type(date) is SafeDatetime:  # noqa: E721 (exactly Pelican's, not a subclass)
            document.date = _FormattedDate(date.year, date.month, date.day, date.hour,
                                           date.minute, date.second, date.microsecond,
                                           date.tzinfo, fold=date.fold)


def _check_slugs(docs: list) -> list[Problem]:
    """A citation `slug#p-n` names one document: two sources or briefing notes (or a
    translation in the same language) may not share a slug."""
    problems, owners = [], {}
    for document in docs:
        key = (document.slug, getattr(document, "lang", None))
        first = owners.setdefault(key, document)
        if first is not document:
            problems.append(Problem(display_path(document.source_path),
                                    f"'{document.slug}' is already the slug of "
                                    f"{display_path(first.source_path)}; every source and "
                                    "briefing note needs its own slug", field="slug",
                                    code="slug.duplicate"))
    return problems


def _check_sources(registry, citations: CitationIndex) -> list[Problem]:
    """Every `source:` that cites a paragraph must resolve to one."""
    problems = []
    for row in [*registry.memberships, *registry.positions, *registry.recognitions]:
        why = citations.problem(row.source)
        if why:
            problems.append(Problem(row.path, why, field=f"{row.where}.source",
                                    code=code_of(why, "citation.invalid")))
    return problems


def _unknown(source_path: str, slug: str) -> Problem:
    line = None
    try:
        with open(source_path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, 1):
                if re.search(rf"entity\s*=\s*[\"']?{re.escape(slug)}\b", text):
                    line = number
                    break
    except OSError:
        pass
    return Problem(display_path(source_path), f"[...]{{entity={slug}}} links to an unknown "
                   "entity: no entity file has this slug; fix the spelling or add the entity",
                   line=line, code="link.unknown-entity")

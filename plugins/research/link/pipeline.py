"""The link stage as a declared list of steps (like markdown-it's core rules).

It runs once every generator has read its content (the adapter calls `run` from
`all_generators_finalized`): before any output is written and before any `{filename}` link is
resolved, so the links inserted as `{filename}` resolve like hand-written ones.

Each step is a plain function of a `Run` that returns a `Result` (core/steps.py): values for
fields of the build state (core/state.py), values for later steps, and problems. Nothing is
written into Pelican's objects here; the adapter puts the final HTML back into the pages.
Problems are collected until the gate after the authors' works.

Order: the files the readers refused, the linker, mentions and lint, entity descriptions,
slugs and `source:` fields, citations and "Cited by", quotations, briefings' `sources:`,
authors' works. The adapter runs `render.prepare.CHECKS` (the events' own checks) before and
`render.prepare.STEPS` (timeline, maps, network) after these.
"""

from __future__ import annotations

from ..cache import hooks as cache_hooks
from ..core.contract import check_briefing_sources
from ..core.errors import ContentError, Problem
from ..core.steps import Result, Run, Step
from ..read.frontmatter import source_map
from ..read.reader import display_path
from ..model.references import problems_against_documents
from . import crosslink, refs_check
from .citations import CitationIndex, check_notes
from .cite_resolve import resolve_site
from .linker import POLICIES, Linker
from .lint import Lint
from .mentions import MentionIndex, Works
from .quotes import collect_quotes


# --- the steps -----------------------------------------------------------------------------

def citation_index(run: Run) -> Result:
    """One citation index for the whole build (with the content folder's lock)."""
    if run.state.cite is None:  # (made already if the events were checked first)
        run.state.cite = CitationIndex.for_build(run.documents, run.settings)
    return Result({"cite": run.state.cite})


def files_read(run: Run) -> Result:
    """A refused file: its own problems (logged by the reader), no cascade of problems in the
    files that cite or name it (contract.stop_if_files_failed)."""
    if run.files_failed:
        raise ContentError([])
    return Result()


def linker(run: Run) -> Result:
    registry, settings = run.state.registry, run.settings
    try:
        found = Linker(registry.surface_forms, settings["ENTITY_LINK_POLICY"],
                       phrases=settings.get("ENTITY_PHRASES", ()),
                       adjectives=crosslink.adjectival_forms(registry, settings),
                       link_adjectives=settings.get("ENTITY_LINK_ADJECTIVES", False))
    except ValueError:
        raise ContentError(Problem("pelicanconf.py", f"{settings['ENTITY_LINK_POLICY']!r} is "
                                   f"not a policy; use one of {', '.join(POLICIES)}",
                                   field="ENTITY_LINK_POLICY", code="settings.value")) from None
    # Computed once per entity, not once per mention.
    pages = run.state.pages
    hrefs = {slug: "{filename}/" + pages[slug].get_relative_source_path()
             for slug in registry.entities}
    classes = {slug: f"entity-link entity-{e.type}" for slug, e in registry.entities.items()}
    # An incremental build re-links only the HTML it has not linked with this name table.
    found = cache_hooks.linker(settings, found, registry.surface_forms, hrefs, classes,
                               (sorted(crosslink.adjectival_forms(registry, settings)),
                                list(settings.get("ENTITY_PHRASES", ()))))
    return Result(work={"linker": found, "href": hrefs.__getitem__,
                        "css": classes.__getitem__})


def mentions(run: Run) -> Result:
    """Every entity mention in every document linked and recorded; the lint of each."""
    found, href, css = run.work["linker"], run.work["href"], run.work["css"]
    index, by_document, problems = MentionIndex(), {}, []
    lint = Lint(found, run.state.registry.surface_forms, run.settings)
    for document in run.documents:
        html, recorded, unknown = found.link(run.html[id(document)], href, css)
        problems += [crosslink.unknown(document, u.slug) for u in unknown]
        run.html[id(document)] = html
        by_document[id(document)] = recorded
        index.add(document, recorded)
        where = source_map(document)
        lint.document(document, display_path(document.source_path),
                      where.text if where is not None else "")
    return Result({"mentions": index, "document_mentions": by_document,
                   "lint": lint.findings}, problems=problems)


def descriptions(run: Run) -> Result:
    """Names in entity descriptions linked to other entities (not recorded as mentions)."""
    found, href, css = run.work["linker"], run.work["href"], run.work["css"]
    problems = []
    for entity in run.state.registry.entities.values():
        page = run.state.pages[entity.slug]
        html, _mentions, unknown = found.link(run.html[id(page)], href, css,
                                              self_slug=entity.slug)
        problems += [crosslink.unknown(page, u.slug) for u in unknown]
        run.html[id(page)] = html
    return Result(problems=problems)


def slugs_and_refs(run: Run) -> Result:
    """Slugs, and the `refs:` of rows and events and entities' `references:` against the
    bibliography and the documents' paragraphs (refs_check.py), recording who cites what."""
    registry, cite, bibliography = run.state.registry, run.state.cite, run.state.bibliography
    uses = refs_check.Uses()
    problems = crosslink.check_slugs(run.documents)
    if bibliography is not None:
        problems += problems_against_documents(bibliography, cite.documents)
    problems += refs_check.check_registry(registry, bibliography, cite, uses, run.state.pages)
    problems += refs_check.check_events(run.documents, bibliography, cite, uses)
    problems += check_notes(registry, cite)
    return Result({"reference_uses": uses}, problems=problems)


def citations(run: Run) -> Result:
    """`[@slug#p-n]` and `[@key]` placeholders resolved, "Cited by" markers inserted, a
    briefing note's citations made one series of numbered notes (cite_resolve.py)."""
    keyed: list = []
    cited_by, own, problems = resolve_site(run.documents, run.pages, run.state.cite, run.html,
                                           run.state.bibliography, keyed)
    uses = run.state.reference_uses
    refs_check.add_prose(keyed, uses)
    uses.sort()
    return Result({"cited_by": cited_by, "citations": own}, problems=problems)


def reference_lint(run: Run) -> Result:
    """Unused references, web references without an address, rows that cite nothing."""
    return Result({"reference_lint": refs_check.lint(run.state.bibliography,
                                                     run.state.reference_uses,
                                                     run.state.registry)})


def quotes(run: Run) -> Result:
    index, problems = collect_quotes(run.documents, run.state.registry)
    return Result({"quotes": index}, problems=problems)


def briefing_sources(run: Run) -> Result:
    """A briefing note's `sources:` against what it cites."""
    return Result(problems=check_briefing_sources(run.documents, run.state.cite, run.settings,
                                                  run.state.citations))


def works(run: Run) -> Result:
    return Result({"works": Works(run.documents, run.state.registry.surface_forms,
                                  run.state.cited_by.citations)})


STEPS: list[Step] = [
    Step("citation-index", citation_index),
    Step("files-read", files_read),
    Step("linker", linker),
    Step("mentions", mentions),
    Step("descriptions", descriptions),
    Step("slugs-and-refs", slugs_and_refs),
    Step("citations", citations),
    Step("quotes", quotes),
    Step("briefing-sources", briefing_sources),
    Step("works", works, gate=True),
    Step("reference-lint", reference_lint),
]



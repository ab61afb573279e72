"""The build state: everything one build computes about the site, in one typed object.

One `BuildState` is created per Pelican run (the adapter's `initialized` handler, stored in
the settings under `KEY` so that the build driver finds it after the run), filled by the
stages in order, and handed to templates under one name, `research` (`{{ research.views }}`).
Nothing else carries results from one stage to the next: no loose keys in Pelican's context,
no attributes set on Pelican's content objects by a later stage.

Who fills what (docs/architecture.md draws it):

| field | filled by | read by |
|---|---|---|
| `settings` | adapter (`initialized`) | every stage |
| `documents`, `published` | adapter, after the readers (`all_generators_finalized`) | link, render, export |
| `source_maps` | adapter: the entity generator as it reads each entity file, `content_object_init` for documents and pages | the build driver (lines of cross-file problems: `frontmatter.with_lines`) |
| `registry`, `views`, `entity_types` | model (`model.loader`, through the adapter's entity generator) | link, render, export, templates |
| `pages` (`page_of`, `entity_of`) | adapter (one Pelican content object per entity, `add_page`) | link, render, export, templates (`research.pages[slug].url`) |
| `mentions`, `document_mentions`, `cite`, `citations`, `cited_by`, `works`, `quotes`, `lint`, `events` | link (`link.pipeline.STEPS`) | render, JSON-LD, export, templates, the build driver (`lint`) |
| `maps`, `overlap_pairs`, `network`, `home` | the pipeline's last steps (`render.prepare.STEPS`), before any page is rendered | render (`prepare.entity_view`, ...), templates (`home`), export |
| `page_dates` | render (`json_ld()` while a page is written; `redirects.write_redirects`: `UNLISTED`) | index (the sitemap's `<lastmod>`, and which pages it leaves out) |

Annotations name the stage types only for readers and type checkers (`TYPE_CHECKING`), so
`core` imports nothing from later stages at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # names for annotations only: core imports no later stage at run time
    from .types import EntityType
    from ..link.citations import CitationIndex
    from ..link.cite_resolve import CitedBy
    from ..link.lint import Finding
    from ..link.mentions import MentionIndex, Works
    from ..link.quotes import QuoteIndex
    from ..model.registry import Registry
    from ..model.schema import Entity
    from ..model.references import Bibliography
    from ..read.frontmatter import SourceMap
    from ..link.refs_check import RefFinding, Uses
    from ..render.maps import Maps
    from ..render.network import Network
    from ..render.prepare import HomeOverlap
    from ..render.timeline import Event
    from ..render.views import Views

# Where the build's state lives in Pelican's settings (the build driver reads it after the
# run), and its name in every template's context.
KEY = "RESEARCH_BUILD_STATE"
TEMPLATE_NAME = "research"
# In `page_dates`: the page is not to be listed in sitemap.xml (no date looks like this).
UNLISTED = "noindex"


@dataclass
class BuildState:
    settings: dict = field(default_factory=dict, repr=False)
    # --- model ----------------------------------------------------------------------------
    registry: Registry | None = None
    views: Views | None = None
    bibliography: Bibliography | None = None  # content/references/*.yaml (model/references.py)
    entity_types: dict[str, EntityType] = field(default_factory=dict)  # the type table's rows
    # each entity's page (the Pelican content object the adapter makes for it), by slug;
    # `entity_of` goes back from a page to its record
    pages: dict[str, Any] = field(default_factory=dict)
    _entities_of_pages: dict[int, Entity] = field(default_factory=dict, repr=False)
    # --- read (the documents as Pelican read them) ------------------------------------------
    documents: list = field(default_factory=list)  # sources and briefing notes, all statuses
    # each file the reader read (entities, documents) by its path as problems name it: the
    # reader's source map (read/frontmatter.SourceMap), for the lines of cross-file problems
    source_maps: dict[str, SourceMap] = field(default_factory=dict)
    published: list = field(default_factory=list)  # those with a public page, by source path
    # --- link -----------------------------------------------------------------------------
    mentions: MentionIndex | None = None
    document_mentions: dict[int, list] = field(default_factory=dict)  # id(document) -> Mentions
    cite: CitationIndex | None = None
    citations: dict[int, list] = field(default_factory=dict)  # id(content) -> its Citations
    cited_by: CitedBy | None = None
    works: Works | None = None
    quotes: QuoteIndex | None = None
    lint: list[Finding] = field(default_factory=list)
    reference_uses: Uses | None = None  # who cites each reference (link/refs_check.py)
    reference_lint: list[RefFinding] = field(default_factory=list)  # unused, no URL, ...
    events: list[Event] = field(default_factory=list)  # the timeline, sorted
    # --- render preparation ---------------------------------------------------------------
    maps: Maps | None = None
    overlap_pairs: list[tuple] = field(default_factory=list)
    network: Network | None = None
    home: HomeOverlap | None = None  # the home page's overlap glance (render/prepare.py)
    # --- render -> index ------------------------------------------------------------------
    # output file -> lastmod; UNLISTED for a page that is no page of the site's own (a
    # redirect, written `noindex` by render/redirects.py): the sitemap leaves it out
    page_dates: dict[str, str | None] = field(default_factory=dict)

    def add_page(self, entity: Entity, page: Any) -> None:
        """Record `page` as the page of `entity` (the adapter, once per entity)."""
        self.pages[entity.slug] = page
        self._entities_of_pages[id(page)] = entity

    def page_of(self, slug: str) -> Any:
        """The page of the entity `slug`, or None."""
        return self.pages.get(slug)

    def entity_of(self, page: Any) -> Entity | None:
        """The entity whose page `page` is, or None (a document, or any other page)."""
        found = self._entities_of_pages.get(id(page))
        return found if found is not None and self.pages.get(found.slug) is page else None


def of(settings: dict) -> BuildState:
    """The build's state (made on first use: a plain `pelican` run has no build driver)."""
    found = settings.get(KEY)
    if not isinstance(found, BuildState):
        found = settings[KEY] = BuildState(settings)
    return found

"""The Pelican adapter: the one module that knows Pelican's generators, signals and content
classes. Everything it does is hand the stages what Pelican read and hand Pelican what the
stages made:

- `initialized`: one `BuildState` per run (core/state.py), kept in the settings for the build
  driver; `generator_init`: the state in every template's context as `research`;
- `EntityGenerator.generate_context`: entity files through Pelican's reader cache → the model
  stage (model/loader.py) → the registry and views into the state; a Pelican content object
  per entity (class Organization, Person, ...), so `{filename}` links to entity files resolve;
- `all_generators_finalized` → `link_site`: the documents Pelican read, then the declared
  steps (`render.prepare.CHECKS`, `link.pipeline.STEPS`, `render.prepare.STEPS`); the linked
  HTML is put back into the content objects here and only here;
- `generate_output` of each generator: the pages a render module lists (`outputs(state)`),
  written with Pelican's writer; the exports as their own generators.

Pelican's run order (generate_context of every generator, all_generators_finalized, then
generate_output of every generator) is why these are generators and handlers at all.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, Generator
from pelican.generators import PelicanTemplateNotFound as TemplateNotFound  # noqa: F401 (cli)
from pelican.utils import SafeDatetime

from ..cache import hooks as cache_hooks
from ..core import state as build_state
from ..core import deferred, steps, types
from ..core.errors import ContentError
from ..export import formats as data_exports
from ..export.tables import PATHS as EXPORT_PATHS, write_exports
from ..guard import reuse, themeloader, written
from ..link import pipeline
from ..model import loader, references
from ..read.reader import ResearchMarkdownReader, display_path
from ..render import (cite_page, citing, entity_pages, network, prepare, redirects,
                      references_page, timeline)
from ..render.jsonld import install as install_json_ld
from ..render.views import build_views
from .fileurls import link_index_files
from .footprint import forget_written_content
from .scaling import index_article_lists


# --- content classes ------------------------------------------------------------------------

class EntityPage(Content):
    mandatory_properties = ("title",)
    default_template = "entity"

    def __init__(self, content, metadata=None, *args, **kwargs):
        metadata = dict(metadata or {})
        metadata.setdefault("title", metadata.get("name", ""))
        super().__init__(content, metadata, *args, **kwargs)


def page_class(kind: types.EntityType) -> type:
    """The Pelican content class of an entity type (`Organization`, ...), made once: Pelican
    reads `<CLASS>_URL` / `<CLASS>_SAVE_AS` settings by the class's name."""
    key = (kind.class_name, kind.template)
    if key not in _PAGE_CLASSES:
        _PAGE_CLASSES[key] = type(kind.class_name, (EntityPage,),
                                  {"default_template": kind.template})
    return _PAGE_CLASSES[key]


_PAGE_CLASSES: dict[tuple[str, str], type] = {}


# --- generators -----------------------------------------------------------------------------

class _StageGenerator(Generator):
    @property
    def state(self) -> build_state.BuildState:
        return build_state.of(self.settings)

    def _write(self, writer, outputs) -> None:
        # (the incremental writer makes a Deferred value only for a page it renders)
        made_by_writer = isinstance(writer, reuse.ReusingWriter)
        for output in outputs:
            writer.write_file(output.save_as, self.get_template(output.template),
                              self.context, relative_urls=self.settings["RELATIVE_URLS"],
                              **(output.values if made_by_writer
                                 else deferred.resolved(output.values)))


class EntityGenerator(_StageGenerator):
    """Reads entity files into the model in generate_context; writes entity pages, the type
    indexes and /memberships/ in generate_output."""

    def __init__(self, *args, **kwargs):
        # A named readers cache: with CACHE_CONTENT / LOAD_CONTENT_CACHE, entity files that
        # have not changed are not parsed again (the reader is pure; see reader.py).
        kwargs.setdefault("readers_cache_name", "EntityGenerator-Readers")
        super().__init__(*args, **kwargs)

    def generate_context(self) -> None:
        table = types.of(self.settings)
        entities, problems = [], []
        reader = ResearchMarkdownReader(self.settings)
        paths = self.get_files(self.settings["ENTITY_PATHS"], extensions=("md",))
        for relative in sorted(paths):
            source = os.path.join(self.path, relative)
            try:
                content, metadata = self._read(reader, source)
            except ContentError as err:
                problems += err.problems
                continue
            kept = metadata.get("source_map")
            shown = display_path(source)
            if kept is not None:  # (for the lines of later problems: no file is read again)
                self.state.source_maps[shown] = kept
            entity, wrong = cache_hooks.entity(  # (incremental: kept under the file's bytes)
                self.settings, source, shown, lambda: loader.read_entity(loader.EntityFile(
                    source, shown, content, metadata,
                    kept.text if kept is not None else ""), table))
            if wrong:
                problems += wrong
                continue
            page = page_class(table.entities[entity.type])(
                content, metadata, settings=self.settings, source_path=source,
                context=self.context)
            self.state.add_page(entity, page)  # (slug -> page and back, in the state)
            self.add_source_path(page)
            entities.append(entity)
        self.readers.save_cache()
        state = self.state
        try:  # the bibliography (content/references/*.yaml), once per build
            state.bibliography = references.load(self.settings)
        except ContentError as err:
            problems += err.problems
        state.registry = loader.load_registry(entities, problems, table)
        state.entity_types = table.entities
        state.views = build_views(state.registry, self.settings)

    def _read(self, reader, source: str):
        cached = self.readers.get_cached_data(source, None)
        if cached is None:
            cached = reader.read(source)
            self.readers.cache_data(source, cached)
        return cached

    def generate_output(self, writer) -> None:
        if self.state.registry is not None:
            self._write(writer, entity_pages.outputs(self.state))


class ExportGenerator(_StageGenerator):
    """The data exports of the contract: /data/{entities,memberships,...}.{json,csv}."""

    def generate_output(self, writer) -> None:
        state = self.state
        if state.registry is not None:
            relative = self.settings["RELATIVE_URLS"]
            # (incremental: copied from the previous output when unchanged, guard/reuse.py)
            reuse.files(self.settings, self.context, "exports", self.output_path,
                        lambda claim: write_exports(
                            state.registry, self.output_path, state.pages,
                            "" if relative else self.settings.get("SITEURL", ""),
                            state.bibliography, state.cite), paths=EXPORT_PATHS)


class TimelineGenerator(_StageGenerator):
    """/timeline/ and its filter pages, from the events the pipeline collected."""

    def generate_output(self, writer) -> None:
        self._write(writer, timeline.outputs(self.state))


class NetworkGenerator(_StageGenerator):
    def generate_output(self, writer) -> None:
        if self.state.network is not None:
            writer.write_file(network.SAVE_AS, self.get_template("network"), self.context,
                              relative_urls=self.settings["RELATIVE_URLS"], section=network.URL,
                              network=self.state.network, prepared=prepare.network_view(
                                  self.state.network,
                                  prepare.page_siteurl(network.SAVE_AS, self.settings)))


class RedirectGenerator(_StageGenerator):
    """Collects redirects in generate_context (after the entity generator, so the registry
    exists) and writes them in generate_output."""

    def generate_context(self) -> None:
        registry = self.state.registry
        entities = [self.state.pages[s] for s in registry.entities] if registry else []
        articles = list(self.context.get("articles", ())) + \
            list(self.context.get("hidden_articles", ()))
        self.redirects = redirects.collect(entities + articles, self.settings, self.state)
        paths = written.registry(self.settings)
        for path, source, file, field in redirects.claims(self.redirects):
            paths.claim(path, written.Source(source, file, field) if file
                        else written.Source(source))
        self._names = redirects.titles(self.redirects, entities + articles)

    def generate_output(self, writer) -> None:
        redirects.write_redirects(self.redirects, self._names, self.output_path, self.settings)


class ReferencesGenerator(_StageGenerator):
    """/references/, then the "cite this page" files of every page that offers them (claimed
    as they are written: the pages themselves are written and claimed before)."""

    def generate_output(self, writer) -> None:
        state = self.state
        if state.registry is None:
            return
        save_as, template, values, item = references_page.output(state, self.settings)
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], **values)
        paths = written.registry(self.settings)

        def claim(path: str, what: str) -> None:
            paths.claim(path, written.Source(what))

        # (written by every build, incremental or not: 12,000 small files at N = 1,000 are
        # made faster than they are copied)
        cite_page.write(self.output_path, save_as, item, claim)
        for page, kind in cite_page.pages(state):
            cite_page.write(self.output_path, cite_page.save_as_of(page),
                            cite_page.item_for(page, kind, self.settings,
                                               state.entity_of(page)), claim)


class DataGenerator(_StageGenerator):
    """The exports for other tools and the /data/ page (last: it reads the network)."""

    def generate_output(self, writer) -> None:
        if self.state.registry is None:
            return
        state, settings, output = self.state, self.settings, self.output_path
        gathered = []

        def data():  # (gathered once, and only if some export is written)
            if not gathered:
                gathered.append(data_exports.gather(state, settings))
            return gathered[0]

        license_, sitename = data_exports.license_and_name(settings)
        # (incremental: kept in two groups, guard/reuse.py: GEXF, the panel and the data
        # package read no paragraph; FtM and SQLite carry the documents' paragraphs, so a
        # body edit writes them again, FtM from its parts kept per document: `memo`)
        reuse.files(settings, self.context, "data exports", output,
                    lambda claim: data_exports.write_graph_exports(data(), output, license_,
                                                                   sitename),
                    paths=data_exports.GRAPH_PATHS, again=lambda: None)
        reuse.files(settings, self.context, "text exports", output,
                    lambda claim: data_exports.write_text_exports(
                        data(), output, reuse.memo(settings, self.context, "text exports")),
                    paths=data_exports.TEXT_PATHS, bodies=True, again=lambda: None)
        values = data_exports.write_all(state, settings, output, write=False)
        writer.write_file(data_exports.SAVE_AS, self.get_template("data"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], **values)


# In this order: the redirects need the entities' former slugs; the data exports come last.
GENERATORS = (EntityGenerator, ExportGenerator, TimelineGenerator, NetworkGenerator,
              RedirectGenerator, ReferencesGenerator, DataGenerator)


# --- the link stage -------------------------------------------------------------------------

def _find(generators, kind):
    return next((g for g in generators if isinstance(g, kind)), None)


def documents(generators) -> tuple[list, list]:
    """Sources and briefing notes (articles, drafts, hidden and translations), and those with a
    public page (Pelican's `articles`), each by source path."""
    articles = _find(generators, ArticlesGenerator)
    if articles is None:
        return [], []
    everything = (articles.articles + articles.translations + articles.drafts
                  + articles.drafts_translations + getattr(articles, "hidden_articles", [])
                  + getattr(articles, "hidden_translations", []))
    unique = {id(a): a for a in everything}
    return (sorted(unique.values(), key=lambda a: a.source_path),
            sorted(articles.articles, key=lambda a: a.source_path))


def link_site(generators) -> None:
    """`all_generators_finalized`: the link stage and what rendering needs, in order."""
    entities = _find(generators, EntityGenerator)
    if entities is None:
        return
    state = entities.state
    if state.registry is None:
        return
    state.documents, state.published = documents(generators)
    pages = [state.pages[slug] for slug in state.registry.entities]
    _freeze_urls([*state.documents, *pages])
    _freeze_dates(state.documents)
    html = {id(content): content._content for content in [*state.documents, *pages]}
    # Pelican records a file its reader refused as None (contract.stop_if_files_failed)
    failed = any(value is None for value in
                 entities.context.get("generated_content", {}).values())
    try:
        linked = steps.run(prepare.CHECKS + pipeline.STEPS, state, html, pages,
                           files_failed=failed)
    finally:  # (as before: what was linked stays linked when a later step fails)
        for content in [*state.documents, *pages]:
            content._content = html[id(content)]
    steps.run(prepare.STEPS, state, html, pages, work=linked.work)
    # What an incremental build's page fingerprints picture (guard/reuse.py).
    cache_hooks.contents(entities.settings, [*state.documents, *pages])


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


# --- signals --------------------------------------------------------------------------------

def _install_reader(readers) -> None:
    # Ours replaces any other reader of .md files (Pelican's python-markdown reader).
    for extension in ResearchMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ResearchMarkdownReader


def _forget_disabled_markdown_reader(generator) -> None:
    # Pelican keeps its python-markdown reader as "disabled" for .md and warns about every
    # .md file it would have read; ours reads them, so the warning is noise.
    for extension in ResearchMarkdownReader.file_extensions:
        generator.readers.disabled_readers.pop(extension, None)


def _new_build(pelican) -> None:
    """`initialized`: the plugin's defaults, and a fresh build state (`serve` rebuilds in one
    process)."""
    entity_pages.default_settings(pelican.settings)
    references_page.default_settings(pelican.settings)
    pelican.settings[build_state.KEY] = build_state.BuildState(pelican.settings)


def _keep_source_map(content) -> None:
    """`content_object_init`: the reader's source map of each document and page, in the build
    state as soon as the object exists (problems found before the link stage, such as a URL
    another page has, get their field's line from it)."""
    kept = getattr(content, "source_map", None)
    settings = getattr(content, "settings", None)
    if kept is not None and isinstance(settings, dict) and content.source_path:
        build_state.of(settings).source_maps[display_path(content.source_path)] = kept


def _hand_state_to_templates(generator) -> None:
    """`generator_init`: the build state in the (shared) template context, under one name."""
    generator.context[build_state.TEMPLATE_NAME] = build_state.of(generator.settings)


def _generators(pelican):
    return GENERATORS


def register() -> None:
    signals.initialized.connect(_new_build)
    # One writer per path, the URL policy and output confinement: see written.py.
    signals.initialized.connect(written.new_build)
    signals.get_writer.connect(written.writer_class)
    signals.static_generator_finalized.connect(written.claim_before_output)
    signals.generator_init.connect(themeloader.install)  # no fallback to Pelican's theme
    signals.readers_init.connect(_install_reader)
    signals.generator_init.connect(_forget_disabled_markdown_reader)
    signals.generator_init.connect(_hand_state_to_templates)
    signals.content_object_init.connect(_keep_source_map)
    signals.generator_init.connect(install_json_ld)  # {{ json_ld() }} in templates
    signals.generator_init.connect(citing.install)  # {{ cite_refs(row.refs) }}, ...
    signals.get_generators.connect(_generators)
    signals.article_generator_finalized.connect(index_article_lists)  # see scaling.py
    signals.all_generators_finalized.connect(link_site)
    signals.content_written.connect(forget_written_content)  # memory: see footprint.py
    signals.finalized.connect(link_index_files)  # LINK_INDEX_FILES: see fileurls.py

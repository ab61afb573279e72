"""Pelican plugin for research sites: our Markdown reader, entities, links and data.

Pelican loads this package through `PLUGINS = ["research"]`; `register()` connects each
module's hooks to Pelican's signals. See docs/architecture.md for the pipeline.
"""

from __future__ import annotations

from pelican import signals

from .guard import themeloader, written
from .link.crosslink import link_site
from .export.formats import DataGenerator
from .render.entity_pages import EntityGenerator, default_settings
from .adapter.fileurls import link_index_files
from .adapter.footprint import forget_written_content
from .render.jsonld import install as _install_json_ld
from .render.maps import MapsGenerator
from .render.network import NetworkGenerator
from .read.reader import ResearchMarkdownReader
from .render.redirects import RedirectGenerator
from .render import citing, references_page
from .adapter.scaling import index_article_lists
from .render.timeline import TimelineGenerator


def _install_reader(readers) -> None:
    # Ours replaces any other reader of .md files (Pelican's python-markdown reader).
    for extension in ResearchMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ResearchMarkdownReader


def _forget_disabled_markdown_reader(generator) -> None:
    # Pelican keeps its python-markdown reader as "disabled" for .md and warns about every
    # .md file it would have read; ours reads them, so the warning is noise.
    for extension in ResearchMarkdownReader.file_extensions:
        generator.readers.disabled_readers.pop(extension, None)


def _defaults(pelican) -> None:
    default_settings(pelican.settings)
    references_page.default_settings(pelican.settings)


def _generators(pelican):
    # In this order: the timeline, maps and network read the registry EntityGenerator builds;
    # redirects need the entities' former slugs; the data exports read the network too.
    return (EntityGenerator, TimelineGenerator, MapsGenerator, NetworkGenerator,
            RedirectGenerator, references_page.ReferencesGenerator, DataGenerator)


def register() -> None:
    signals.initialized.connect(_defaults)
    # One writer per path, the URL policy and output confinement: see written.py.
    signals.initialized.connect(written.new_build)
    signals.get_writer.connect(written.writer_class)
    signals.static_generator_finalized.connect(written.claim_before_output)
    signals.generator_init.connect(themeloader.install)  # no fallback to Pelican's theme
    signals.readers_init.connect(_install_reader)
    signals.generator_init.connect(_forget_disabled_markdown_reader)
    signals.generator_init.connect(_install_json_ld)  # {{ json_ld() }} in templates
    signals.generator_init.connect(citing.install)  # {{ cite_refs(row.refs) }}, ...
    signals.get_generators.connect(_generators)
    signals.article_generator_finalized.connect(index_article_lists)  # see scaling.py
    signals.all_generators_finalized.connect(link_site)
    signals.content_written.connect(forget_written_content)  # memory: see footprint.py
    signals.finalized.connect(link_index_files)  # LINK_INDEX_FILES: see fileurls.py

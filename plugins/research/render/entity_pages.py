"""The entity generator: reads entity files, builds the registry, writes entity pages.

Entity files live under ENTITY_PATHS (default `entities/`); their `type` field, not their
folder, decides what they are. Each becomes a Pelican content object of class Organization,
Person, Country or Territory, so the usual `<CLASS>_URL` / `<CLASS>_SAVE_AS` settings apply and
`{filename}` links to entity files resolve.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from pelican.contents import Content
from pelican.generators import Generator

from ..core import dates

from ..model import references, schema
from ..export.tables import write_exports
from .svg_timeline import membership_svg
from .views import Views, as_of_dates
from ..core.errors import ContentError, Problem
from ..read.markdown import inline_markdown
from ..read.reader import ResearchMarkdownReader, display_path
from ..model.registry import Registry

log = logging.getLogger("research.entities")


class EntityPage(Content):
    mandatory_properties = ("title",)
    default_template = "entity"

    def __init__(self, content, metadata=None, *args, **kwargs):
        metadata = dict(metadata or {})
        metadata.setdefault("title", metadata.get("name", ""))
        super().__init__(content, metadata, *args, **kwargs)


class Organization(EntityPage):
    default_template = "organization"


class Person(EntityPage):
    default_template = "person"


class Country(EntityPage):
    default_template = "country"


class Territory(EntityPage):
    default_template = "territory"


PAGE_CLASSES = {"organization": Organization, "person": Person, "country": Country,
                "territory": Territory}
# Where each type's pages and index live unless the settings say otherwise.
TYPE_FOLDERS = {"organization": "organizations", "person": "people", "country": "countries",
                "territory": "territories"}
TYPE_LABELS = {"organization": "Organizations", "person": "People", "country": "Countries",
               "territory": "Territories"}


def default_settings(settings: dict) -> None:
    """URL settings for each entity class, and the plugin's own defaults."""
    settings.setdefault("ENTITY_PATHS", ["entities"])
    settings.setdefault("ENTITY_LINK_POLICY", "first-in-section")
    # Adjectives and demonyms ("Russian") and ENTITY_METONYMS are mentions, but links only if
    # this is on; ENTITY_PHRASES are names of other things that contain an entity's name.
    settings.setdefault("ENTITY_LINK_ADJECTIVES", False)
    settings.setdefault("ENTITY_METONYMS", [])
    settings.setdefault("ENTITY_PHRASES", [])
    settings.setdefault("AS_OF_DATES", [("today", "today")])
    # `{{ note|inline_markdown }}`: editorial notes may use `code`, *emphasis* and links.
    settings["JINJA_FILTERS"] = {"inline_markdown": inline_markdown,
                                 **settings.get("JINJA_FILTERS", {})}
    for kind, folder in TYPE_FOLDERS.items():
        name = PAGE_CLASSES[kind].__name__.upper()
        settings.setdefault(f"{name}_URL", f"{folder}/{{slug}}/")
        settings.setdefault(f"{name}_SAVE_AS", f"{folder}/{{slug}}/index.html")
        settings.setdefault(f"{name}_LANG_URL", f"{folder}/{{slug}}-{{lang}}/")
        settings.setdefault(f"{name}_LANG_SAVE_AS", f"{folder}/{{slug}}-{{lang}}/index.html")


class EntityGenerator(Generator):
    """Builds the registry in generate_context and writes entity pages in generate_output."""

    def __init__(self, *args, **kwargs):
        # A named readers cache: with CACHE_CONTENT / LOAD_CONTENT_CACHE, entity files that
        # have not changed are not parsed again (the reader is pure; see reader.py).
        kwargs.setdefault("readers_cache_name", "EntityGenerator-Readers")
        super().__init__(*args, **kwargs)
        self.registry: Registry | None = None
        self.bibliography: references.Bibliography | None = None
        self.views: Views | None = None
        self.mentions = None  # a MentionIndex, set once all generators have run

    def generate_context(self) -> None:
        entities, problems = [], []
        reader = ResearchMarkdownReader(self.settings)
        paths = self.get_files(self.settings["ENTITY_PATHS"], extensions=("md",))
        for relative in sorted(paths):
            source = os.path.join(self.path, relative)
            try:
                entity = self._read(reader, source, relative)
            except ContentError as err:
                problems += err.problems
                continue
            if isinstance(entity, list):
                problems += entity
            else:
                entities.append(entity)
        self.readers.save_cache()
        try:  # the bibliography (content/references/*.yaml), once per build
            self.bibliography = references.load(self.settings)
        except ContentError as err:
            problems += err.problems
        if problems:
            raise ContentError(problems)
        self.context["bibliography"] = self.bibliography
        self.registry = Registry.build(entities)
        self.context["registry"] = self.registry
        self.context["entity_type_labels"] = TYPE_LABELS
        self.views = self._views()
        self.context["views"] = self.views

    def _views(self) -> Views:
        try:
            as_of = as_of_dates(self.settings)
        except (dates.DateError, TypeError, ValueError) as err:
            raise ContentError(Problem("pelicanconf.py", f"{err}; write AS_OF_DATES as a list "
                                       "of ('YYYY-MM-DD' or 'today', label) pairs",
                                       field="AS_OF_DATES", code="settings.value")) from None
        today = next((a.date for a in as_of if a.key == "today"), None) or dates.today()
        return Views(self.registry, as_of, today)

    def timeline_svg(self, entity, names: dict[str, str] | None = None) -> str:
        if names is None:
            names = {slug: e.name for slug, e in self.registry.entities.items()}
        marks = [(a.date, a.label) for a in self.views.as_of if a.key != "today"]
        return membership_svg(f"Membership timeline of {entity.name}",
                              self.registry.memberships_in(entity.slug), names,
                              self.views.today, marks)

    def _read(self, reader, source: str, relative: str):
        path = display_path(source)
        cached = self.readers.get_cached_data(source, None)
        if cached is None:
            content, metadata = reader.read(source)
            self.readers.cache_data(source, (content, metadata))
        else:
            content, metadata = cached
        text = Path(source).read_text(encoding="utf-8")
        # The reader HTML-escapes `summary` for Pelican, which treats a summary as HTML; the
        # entity's summary is text, escaped once by the templates (else "&" shows as "&amp;").
        fields = dict(metadata)
        if isinstance(fields.get("summary"), str):
            fields["summary"] = html.unescape(fields["summary"])
        entity, problems = schema.read_entity(fields, path, text, Path(source).stem)
        if problems:
            return problems
        page = PAGE_CLASSES[entity.type](content, metadata, settings=self.settings,
                                         source_path=source, context=self.context)
        page.entity = entity
        entity.page = page
        self.add_source_path(page)
        return entity

    def generate_output(self, writer) -> None:
        if self.registry is None:
            return
        relative = self.settings["RELATIVE_URLS"]
        common = {"registry": self.registry, "mentions": self.mentions, "views": self.views,
                  "as_of": self.views.as_of}
        names = {slug: e.name for slug, e in self.registry.entities.items()}
        for entity in self.registry.entities.values():
            page = entity.page
            svg = self.timeline_svg(entity, names) if entity.type == "organization" else ""
            writer.write_file(page.save_as, self.get_template(page.template), self.context,
                              relative_urls=relative, page=page, entity=entity,
                              section=TYPE_FOLDERS[entity.type] + "/", timeline_svg=svg,
                              **common)
        writer.write_file("memberships/index.html", self.get_template("overlap"), self.context,
                          relative_urls=relative, section="memberships/", **common)
        write_exports(self.registry, self.output_path,
                      "" if relative else self.settings.get("SITEURL", ""),
                      self.bibliography, self.context.get("cite"))
        for kind, folder in TYPE_FOLDERS.items():
            writer.write_file(f"{folder}/index.html", self.get_template("entity_index"),
                              self.context, relative_urls=relative, kind=kind,
                              label=TYPE_LABELS[kind], section=f"{folder}/",
                              entities=self.registry.of_type(kind), **common)

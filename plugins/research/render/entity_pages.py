"""Entity pages, the type indexes and `/memberships/`: what to write, from the build state.

Entity files live under ENTITY_PATHS (default `entities/`); their `type` field, not their
folder, decides what they are. Each becomes a Pelican content object of its type's class
(core/types.py: Organization, Person, ...; made by the adapter, adapter/pelican.py), so the
usual `<CLASS>_URL` / `<CLASS>_SAVE_AS` settings apply and `{filename}` links to entity files
resolve. This module says which pages to write with which template and values (`outputs`);
the adapter hands them to Pelican's writer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..core import types
from ..core.deferred import Deferred
from .svg_timeline import membership_svg
from .inline import inline_markdown


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
    table = types.of(settings)
    settings["JINJA_FILTERS"] = {"inline_markdown": inline_markdown,
                                 # `{{ m.role|role_class }}`: member, observer, partner, other
                                 "role_class": table.role_class,
                                 **settings.get("JINJA_FILTERS", {})}
    # `rows|selectattr('role', 'full_member')`: the same vocabulary as tables and maps.
    settings["JINJA_TESTS"] = {"full_member": table.is_full_member,
                               **settings.get("JINJA_TESTS", {})}
    for kind in types.of(settings).entities.values():
        name, folder = kind.class_name.upper(), kind.folder
        settings.setdefault(f"{name}_URL", kind.page_url)
        settings.setdefault(f"{name}_SAVE_AS", kind.page_save_as)
        settings.setdefault(f"{name}_LANG_URL", f"{folder}/{{slug}}-{{lang}}/")
        settings.setdefault(f"{name}_LANG_SAVE_AS", f"{folder}/{{slug}}-{{lang}}/index.html")


@dataclass(frozen=True)
class Output:
    """One page to write: where, with which template, and the values of its own."""
    save_as: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MentionGroup:
    """One document under an entity's "Mentioned in": its rows as the template writes them,
    the first `shown` ones listed and the rest folded (`more`). A row is a tuple
    `(number, anchor, section, before, text, after)`: the paragraph's number (None for a
    list item or table cell, placed by its section's heading, whose text is `section`), the
    fragment to link to ("#p-7", "" for none) and the sentence around the mention."""
    document: Any
    shown: list[tuple]
    more: list[tuple]


def mention_groups(mentions, slug: str) -> list[MentionGroup]:
    """The rows of "Mentioned in" for `slug`, grouped by document (mentions.MentionIndex
    order): all four rows of a document with at most four, else three and the rest folded.
    Computed here, once per row, so the template's loop only writes them (a macro call and
    four attribute lookups per row cost more than the whole row in Python)."""
    if mentions is None:
        return []
    groups = []
    for document, occurrences in mentions.by_document(slug):
        rows = []
        for o in occurrences:
            m = o.mention
            sentence, start, end = m.sentence, m.start, m.end
            rows.append((o.paragraph_number, o.anchor, o.section,
                         sentence[:start], m.text, sentence[end:]))
        split = len(rows) if len(rows) <= 4 else 3
        groups.append(MentionGroup(document, rows[:split], rows[split:]))
    return groups


def timeline_svg(state, entity, names: dict[str, str] | None = None) -> str:
    registry, views = state.registry, state.views
    if names is None:
        names = {slug: e.name for slug, e in registry.entities.items()}
    marks = [(a.date, a.label) for a in views.as_of if a.key != "today"]
    return membership_svg(f"Membership timeline of {entity.name}",
                          registry.memberships_in(entity.slug), names, views.today, marks,
                          registry.types)


def outputs(state) -> Iterator[Output]:
    """Every entity page, `/memberships/` and the type indexes, in the order they are written.
    Made one at a time as the writer asks (a page's pictures are drawn for it just before it is
    rendered: `prepared`, render/prepare.py), so no more than one page's are held at once."""
    from . import prepare  # (prepare imports the timeline, which imports Output from here)
    registry, settings = state.registry, state.settings
    table = registry.types
    common = {"as_of": state.views.as_of}
    names = {slug: e.name for slug, e in registry.entities.items()}
    holder = table.relations["membership"].holder_type
    for entity in registry.entities.values():
        page = state.pages[entity.slug]
        svg = timeline_svg(state, entity, names) if entity.type == holder else ""
        yield Output(page.save_as, page.template,
                     dict(page=page, entity=entity,
                          section=table.entities[entity.type].folder + "/",
                          timeline_svg=svg, **common,
                          # (made when the page is rendered: core/deferred.py; both come
                          # from the mention records and registry a fingerprint covers)
                          mention_groups=Deferred(functools.partial(
                              mention_groups, state.mentions, entity.slug)),
                          prepared=Deferred(functools.partial(
                              prepare.entity_view, state, entity,
                              prepare.page_siteurl(page.save_as, settings)))))
    yield Output("memberships/index.html", "overlap",
                 dict(section="memberships/", prepared=prepare.date_views(state), **common))
    for kind in table.entities.values():
        entities = registry.of_type(kind.name)
        yield Output(f"{kind.folder}/index.html", "entity_index",
                     dict(kind=kind.name, entity_type=kind, label=kind.plural,
                          section=f"{kind.folder}/", entities=entities, **common,
                          prepared=prepare.country_index(state, entities)
                          if kind.index == "countries" else None))

"""Checks and helpers of the link stage (link/pipeline.py runs them): adjectives and demonyms
of country names, one slug per document, `source:` fields of rows, unknown forced links."""

from __future__ import annotations

import re

from ..core.errors import Problem, code_of
from ..read.frontmatter import source_map
from ..read.reader import display_path
from .citations import CitationIndex


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
        if entity.type in registry.types.of_type("state"):
            forms.update(a for a in entity.aliases if is_adjectival(a, entity.name))
    return forms


def check_slugs(docs: list) -> list[Problem]:
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


def check_sources(registry, citations: CitationIndex) -> list[Problem]:
    """Every `source:` that cites a paragraph must resolve to one."""
    problems = []
    for row in [*registry.memberships, *registry.positions, *registry.recognitions]:
        why = citations.problem(row.source)
        if why:
            problems.append(Problem(row.path, why, field=f"{row.where}.source",
                                    code=code_of(why, "citation.invalid")))
    return problems


def unknown(content, slug: str) -> Problem:
    """A `[...]{entity=slug}` naming no entity, at the line where the file writes it (found in
    the text the reader kept: the file is not read again)."""
    line = None
    where = source_map(content)
    for number, text in enumerate((where.text if where else "").split("\n"), 1):
        if re.search(rf"entity\s*=\s*[\"']?{re.escape(slug)}\b", text):
            line = number
            break
    return Problem(display_path(content.source_path), f"[...]{{entity={slug}}} links to an "
                   "unknown entity: no entity file has this slug; fix the spelling or add the "
                   "entity", line=line, code="link.unknown-entity")

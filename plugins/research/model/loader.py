"""Entity files as the reader returned them → typed `Entity` records → the `Registry`.

No Pelican here: the adapter (adapter/pelican.py) reads each file through Pelican's reader
cache and hands over what the reader returned; tests call these functions with plain dicts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import types
from ..core.errors import ContentError, Problem
from . import schema
from .registry import Registry


@dataclass(frozen=True)
class EntityFile:
    """One entity file as the reader returned it."""
    source: str  # the file's path (as Pelican gives it)
    path: str  # the path shown in messages (errors.display_path)
    content: str  # the body's HTML
    metadata: dict[str, Any]
    text: str  # the whole file, kept by the reader (its source map): for field lines


def read_entity(file: EntityFile, table: types.TypeTable = types.DEFAULT
                ) -> tuple[schema.Entity | None, list[Problem]]:
    """The entity of one file, or the problems that keep it from being one (`table`: the
    site's entity types, core/types.py)."""
    # The reader HTML-escapes `summary` for Pelican, which treats a summary as HTML; the
    # entity's summary is text, escaped once by the templates (else "&" shows as "&amp;").
    fields = dict(file.metadata)
    if isinstance(fields.get("summary"), str):
        fields["summary"] = html.unescape(fields["summary"])
    entity, problems = schema.read_entity(fields, file.path, file.text, Path(file.source).stem,
                                          table)
    return (None, problems) if problems else (entity, [])


def load_registry(entities: list[schema.Entity], problems: list[Problem] = (),
                  table: types.TypeTable = types.DEFAULT) -> Registry:
    """The registry of a build's entities (cross-file checks); every problem of the files
    and of the registry raised together as one ContentError."""
    if problems:
        raise ContentError(list(problems))
    return Registry.build(entities, table)

"""`python -m research new source|briefing|entity`: start a content file from a skeleton.

A skeleton has every field of its kind, each with a comment saying what goes there, in the
house style (quoted dates at the precision known, a source's date with its time zone). The
fields, their comments, whether they are required and the fields of their rows come from the
contract the build checks files against (`contract.py`, through `declared_fields(kind)`), so
a field or an entity type added there appears here too.

Fields that must be filled before the file is useful are left empty, so that a skeleton
nobody finished fails the build with "is required" instead of publishing a placeholder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import schema
from ..core import contract, types
from ..core.errors import ContentError, Problem

# Fields Pelican reads that an editor rarely sets (publication status, URL overrides, ...):
# named in a comment at the end of a skeleton, not written out. Entities also carry Pelican's
# document fields, which mean nothing for them.
TECHNICAL = {"modified", "status", "lang", "save_as", "url", "template"}
ENTITY_TECHNICAL = TECHNICAL | {"title", "tags", "date"}
# Folder under the content folder, per document kind (the category in their URLs).
DOCUMENT_FOLDERS = {k.name: k.category for k in types.DEFAULT.documents.values()}


@dataclass
class Created:
    path: Path
    fill: list[tuple[int | None, str, str]]  # (line, field, what to write)
    then: str | None = None  # a command to run once the text is written


def slug_for(text: str, given: str | None = None) -> str:
    """The slug of a new file: `--slug` if given, else made from the title or name the way
    Pelican makes slugs; refused unless it matches the schema's slug pattern."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    slug = given if given is not None else slugify(
        text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not schema.SLUG.match(slug or ""):
        what = f"'{slug}'" if given is not None else f"the slug made from '{text}' ('{slug}')"
        raise ContentError(Problem("--slug", f"{what} is not a valid slug: use lowercase "
                                   "letters, digits and single hyphens, e.g. --slug south-ossetia",
                                   code="slug.format"))
    return slug


@dataclass(frozen=True)
class Declared:
    """One field as the build declares it."""

    name: str
    doc: str
    required: bool = False
    rows: tuple["Declared", ...] | None = None  # the fields of each row of a list of rows


def declared_fields(kind: str) -> tuple[list[Declared], list[str]]:
    """The fields a skeleton of `kind` writes (source, briefing or an entity type), in
    the contract's order, and the names of the technical fields it only mentions."""
    from ..core import contract

    technical = ENTITY_TECHNICAL if kind not in DOCUMENT_FOLDERS else TECHNICAL
    declared = contract.DOCUMENT_SCHEMAS.get(kind) or types.DEFAULT.entities[kind].schema
    fields = [f for f in declared.fields if not f.internal]
    return ([_from_contract(f) for f in fields if f.name not in technical],
            [f.name for f in fields if f.name in TECHNICAL])


def _from_contract(field) -> Declared:
    rows = tuple(_from_contract(f) for f in field.rows.fields) if field.rows else None
    return Declared(field.name, field.doc, field.required, rows)


def entity_fields(kind: str) -> list[str]:
    """The names of the fields a skeleton of an entity of `kind` writes, in order."""
    return [f.name for f in declared_fields(kind)[0]]


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def skeleton(kind: str, values: dict[str, str], intro: str, body: str,
             fill_in: tuple[str, ...] = ()) -> tuple[str, list]:
    """Front-matter with every field of `kind` (given values filled, others empty with a
    comment, rows as a commented example), and the list of (line, field, what) an editor
    still has to fill: required fields, and `fill_in` (the house rules for a kind)."""
    fields, technical = declared_fields(kind)
    lines = ["---", f"# {intro}", "# Every field is described in docs/content-guide.md."]
    fill = []
    for field in fields:
        if field.name in values:
            lines.append(f"{field.name}: {values[field.name]}  # {field.doc}")
            continue
        if field.rows is not None:
            lines.append(f"{field.name}:  # {field.doc}; uncomment and copy the example row")
            for index, row_field in enumerate(field.rows):
                lead = "#  - " if index == 0 else "#    "
                required = "REQUIRED: " if row_field.required else ""
                lines.append(f"{lead}{row_field.name}:  # {required}{row_field.doc}")
            continue
        marker = "REQUIRED: " if field.required else "FILL IN: " if field.name in fill_in \
            else ""
        lines.append(f"{field.name}:  # {marker}{field.doc}")
        if marker:
            fill.append((len(lines), field.name, field.doc))
    if technical:
        lines.append(f"# Also possible, rarely needed: {', '.join(technical)} (see Pelican's "
                     "documentation)")
    lines.append("---")
    fill.append((len(lines) + 1, "the text", body))
    return "\n".join(lines) + "\n", fill


def _today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def _source_date(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in value:
        raise ContentError(Problem("--date", f"'{value}' is not a date, time and time zone; "
                                   "write it as published, e.g. --date 2008-09-05T05:18:00-04:00",
                                   code="date.format"))
    return moment.isoformat()


def _plain_date(value: str) -> str:
    from ..core import dates

    try:
        date = dates.parse(value)
    except dates.DateError as err:
        raise ContentError(Problem("--date", f"{err}", code=err.code)) from None
    if date.precision != "day":
        raise ContentError(Problem("--date", f"'{value}' is not a full date; write it as "
                                   "YYYY-MM-DD, e.g. --date 2008-09-10", code="date.format"))
    return date.iso()


def _document_slug(content: Path, text: str, given: str | None) -> str:
    """A slug no source or briefing note has yet (the build refuses two with one slug)."""
    slug = slug_for(text, given)
    for folder in DOCUMENT_FOLDERS.values():
        existing = content / folder / f"{slug}.md"
        if existing.exists():
            raise ContentError(Problem(_shown(existing), "exists already; edit it, or pass "
                                       "another --slug (nothing was written)",
                                       code="slug.duplicate"))
    return slug


def new_source(content: Path, title: str, author: str, outlet: str, date: str,
               slug: str | None = None) -> Created:
    slug = _document_slug(content, title, slug)
    values = {"title": _quoted(title), "slug": slug, "author": _quoted(author),
              "outlet": _quoted(outlet), "date": _quoted(_source_date(date))}
    # House rules beyond the build's: a source says where its text comes from and what
    # was changed in it (README, "Adding content").
    text, fill = skeleton("source", values,
                          "A primary source: the text as published, paragraph by paragraph.",
                          "below the closing ---: the text as published, one paragraph per "
                          "block (they are numbered p-1, p-2, ...)",
                          fill_in=("summary", "provenance", "cleaning"))
    return _with_ids(_write(content / DOCUMENT_FOLDERS["source"] / f"{slug}.md", text, fill))


def new_briefing(content: Path, title: str, date: str | None = None,
                 slug: str | None = None, author: str = "Research team") -> Created:
    slug = _document_slug(content, title, slug)
    values = {"title": _quoted(title), "slug": slug, "author": _quoted(author),
              "date": f"'{_plain_date(date) if date else _today()}'"}
    text, fill = skeleton("briefing", values,
                          "A briefing note: our analysis, citing sources as [@slug#p-n].",
                          "below the closing ---: the note, citing paragraphs as "
                          "[@<source-slug>#p-<n>]", fill_in=("summary",))
    return _with_ids(_write(content / DOCUMENT_FOLDERS["briefing"] / f"{slug}.md", text,
                            fill))


def _with_ids(created: Created) -> Created:
    """Paragraphs of sources and briefing notes carry persistent ids the build requires."""
    created.then = (f"python -m research ids {_shown(created.path)} (or `make ids`): gives "
                    "each paragraph its id and records them in content/citations.lock")
    return created


def new_entity(content: Path, kind: str, name: str, slug: str | None = None,
               entity_root: str = "entities") -> Created:
    if kind not in types.DEFAULT.entity_names:
        raise ContentError(Problem("--type", f"'{kind}' is not an entity type; use one of "
                                   f"{', '.join(types.DEFAULT.entity_names)}",
                                   code="type.unknown"))
    slug = slug_for(name, slug)
    root = content / entity_root
    for existing in root.rglob(f"{slug}.md") if root.is_dir() else ():
        raise ContentError(Problem(_shown(existing), f"an entity with the slug '{slug}' "
                                   "exists already; edit that file, or pass another --slug",
                                   code="slug.duplicate"))
    values = {"name": _quoted(name), "type": kind, "slug": slug}
    text, fill = skeleton(kind, values, f"An entity of type {kind}.",
                          "below the closing ---: the description, in our own words")
    return _write(root / entity_folder(root, kind) / f"{slug}.md", text, fill)


def entity_folder(root: Path, kind: str) -> str:
    """The folder new entities of `kind` go into: where this site keeps the existing ones
    (territories live beside countries here), else the type's own folder name."""
    counts: dict[str, int] = {}
    pattern = re.compile(rf"^type:\s*['\"]?{re.escape(kind)}['\"]?\s*(?:#.*)?$", re.M)
    for path in sorted(root.glob("*/*.md")) if root.is_dir() else ():
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if pattern.search(head):
            counts[path.parent.name] = counts.get(path.parent.name, 0) + 1
    if counts:
        return max(sorted(counts), key=counts.__getitem__)
    entity_type = types.DEFAULT.entity(kind)
    return entity_type.folder if entity_type else f"{kind}s"


def _line_of(text: str, field: str) -> int | None:
    match = re.search(rf"^{re.escape(field)}:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _write(path: Path, text: str, fill) -> Created:
    if path.exists():
        raise ContentError(Problem(_shown(path), "exists already; edit it, or pass another "
                                   "--slug (nothing was written)", code="slug.duplicate"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return Created(path, fill)


def instructions(created: Created) -> str:
    lines = [f"Created {_shown(created.path)}. Fill in next:"]
    for line, field, what in created.fill:
        where = f"line {line}" if line else "the file"
        lines.append(f"  {where}: {field}: {what}")
    if created.then:
        lines.append(f"Then run: {created.then}")
    lines.append("Optional fields are empty or commented out; delete what you do not need. "
                 "Then check it with `make html` (or keep `make serve` running).")
    return "\n".join(lines)


def main(args, settings_file: str) -> int:
    """The `new` subcommand: one line naming what is wrong on bad input, no traceback."""
    import sys

    try:
        content = _content_folder(settings_file)
        if args.kind == "source":
            created = new_source(content, args.title, args.author, args.outlet, args.date,
                                 args.slug)
        elif args.kind == "briefing":
            created = new_briefing(content, args.title, args.date, args.slug)
        else:
            created = new_entity(content, args.type, args.name, args.slug)
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    print(instructions(created))
    return 0


def _content_folder(settings_file: str) -> Path:
    """The content folder (PATH) of the settings file, without running Pelican."""
    from pelican.settings import read_settings

    if not os.path.exists(settings_file):
        raise ContentError(Problem(settings_file, "no such settings file; run this in the "
                                   "site's folder or pass --settings",
                                   code="settings.missing"))
    return Path(read_settings(settings_file)["PATH"])

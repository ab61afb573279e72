"""`python -m research rename-entity OLD NEW`: change an entity's slug everywhere.

It moves the file to `NEW.md`, sets `slug: NEW`, adds OLD to the entity's `former_slugs:`
(so the build writes a redirect page at the old address and lists it in /data/redirects.json,
see redirects.py), and rewrites every reference in the content:

- front-matter fields that name an entity by slug (`REFERENCE_FIELDS`: membership, position
  and recognition rows, `nationality`, `claimed_by`, quotation speakers, ...);
- forced links in Markdown, `[the bloc]{entity=OLD}`;
- hand-written links to the old page: `{filename}` links to the old file, and links to its
  old address (`countries/OLD/`).

Edits are made in the text, at the exact places YAML reports, so comments, quoting and layout
of every file are kept. Nothing is written unless the whole rename can be done.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..read import frontmatter

from ..model import schema
from ..core.errors import ContentError, Problem
from ..render.redirects import FIELD as FORMER

# Front-matter fields whose value (or each item of a list value) is an entity slug, at any
# depth (`members[3].member`, `claimed_by[0]`). tests/test_rename.py checks against the real
# content that no other field holds an entity slug.
REFERENCE_FIELDS = {"member", "organization", "country", "by", "nationality", "part_of",
                    "claimed_by", "speaker"}


@dataclass
class Plan:
    """What a rename will change: new text per file, and the move."""

    old_path: Path
    new_path: Path
    texts: dict[Path, str]
    references: int
    lock: tuple[Path, object] | None = None  # (path, citation_lock.Lock) to save, if changed


def _fail(where: str, message: str, code: str) -> ContentError:
    return ContentError(Problem(where, message, code=code))


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _split(text: str) -> tuple[int, int] | None:
    """(start, end) character offsets of the front-matter's YAML inside the file's text."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n") != "---":
        return None
    offset = len(lines[0])
    position = offset
    for line in lines[1:]:
        if line.rstrip("\r\n") == "---":
            return offset, position
        position += len(line)
    return None


def _scalars(node, key: str | None = None):
    """(key, scalar node) for every scalar value in a YAML tree, with the key it is under."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            yield from _scalars(value, getattr(key_node, "value", None))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, key)
    elif isinstance(node, yaml.ScalarNode):
        yield key, node


def rewrite_front_matter(text: str, old: str, new: str, *, own: bool) -> tuple[str, int]:
    """Replace OLD by NEW in every slug-naming field (and in `slug:` itself when `own`);
    returns the new text and the number of references changed."""
    span = _split(text)
    if span is None:
        return text, 0
    start, end = span
    head = text[start:end]
    try:
        tree = yaml.compose(head, Loader=frontmatter.SiteYamlLoader)
    except yaml.YAMLError:
        return text, 0  # the build reports the broken file; nothing to rename in it
    fields = REFERENCE_FIELDS | ({"slug"} if own else set())
    edits = [(node.start_mark.index, node.end_mark.index)
             for key, node in _scalars(tree) if key in fields and node.value == old]
    for first, last in sorted(edits, reverse=True):  # from the end: offsets stay valid
        head = head[:first] + head[first:last].replace(old, new) + head[last:]
    return text[:start] + head + text[end:], len(edits) - (1 if own and edits else 0)


def record_former_slug(text: str, old: str, new: str) -> str:
    """Add OLD to `former_slugs:` (creating the field after `slug:`), dropping NEW from it
    (renaming back to a former slug makes it current again)."""
    data = frontmatter.split(text, "renamed file").metadata
    former = [s for s in (data.get(FORMER) or []) if s != new]
    if old not in former:
        former.append(old)
    line = f"{FORMER}: [{', '.join(former)}]\n"
    existing = re.search(rf"^{FORMER}:.*\n(?:[ \t]+-.*\n|-.*\n)*", text, re.M)
    if existing:
        return text[:existing.start()] + line + text[existing.end():]
    slug = re.search(r"^slug:.*\n", text, re.M)
    return text[:slug.end()] + line + text[slug.end():]


def rewrite_body_links(text: str, old: str, new: str, linking: Path, old_file: Path,
                       new_file: Path, content: Path, old_url: str, new_url: str,
                       forced_links: bool = True) -> tuple[str, int]:
    """Forced links `{entity=OLD}`, `{filename}` links to the old file and links to the old
    page's address, in the body after the front-matter."""
    span = _split(text)
    body_start = span[1] if span else 0
    head, body = text[:body_start], text[body_start:]
    count = 0

    def forced(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f"{match[1]}{match[2]}{new}{match[2]}"

    if forced_links:
        body = re.sub(r"(\{[^{}\n]*?\bentity=)([\"']?)" + re.escape(old) + r"\2(?=[\s}])",
                      forced, body)

    def filename(match: re.Match) -> str:
        nonlocal count
        target = match[2]
        base = content if target.startswith("/") else linking.parent
        if (base / target.lstrip("/")).resolve() != old_file.resolve():
            return match[0]
        count += 1
        moved = posixpath.join(posixpath.dirname(target), new_file.name)
        return f"{match[1]}{moved}"

    body = re.sub(r"(\{filename\}|\|filename\|)([^\s)\"'#?]+\.md)", filename, body)

    def address(match: re.Match) -> str:
        nonlocal count
        count += 1
        return match[1] + new_url
    # A relative link to the old page's address, e.g. ](../../countries/georgia/) or
    # ](/countries/georgia/#members); never another site's URL that happens to end alike.
    body = re.sub(r"(\]\((?:\.\.?/)*/?)" + re.escape(old_url) + r"(?=(?:index\.html)?[#)\s])",
                  address, body)
    return head + body, count


def plan(content: Path, entity_root: Path, old: str, new: str, settings: dict) -> Plan:
    if not schema.SLUG.match(new):
        raise _fail(new, "is not a valid slug: use lowercase letters, digits and single "
                         "hyphens, e.g. south-ossetia", "slug.format")
    if old == new:
        raise _fail(new, "is the slug already; nothing to rename", "rename.same-slug")
    files = sorted(entity_root.rglob("*.md"))
    by_stem = {path.stem: path for path in files}
    if old not in by_stem:
        hint = difflib.get_close_matches(old, sorted(by_stem), n=1)
        raise _fail(old, "no entity has this slug" + (f"; did you mean '{hint[0]}'?" if hint
                                                      else f" (entities are in {_shown(entity_root)})"),
                    "rename.unknown-slug")
    if new in by_stem:
        raise _fail(new, f"is the slug of {_shown(by_stem[new])} already; pick another slug",
                    "slug.duplicate")
    old_path = by_stem[old]
    for path in files:  # a slug another entity had before would send its redirect here
        data = frontmatter.split(path.read_text(encoding="utf-8"), _shown(path)).metadata
        if path != old_path and new in (data.get(FORMER) or []):
            raise _fail(new, f"was the slug of {_shown(path)} (its {FORMER}); pick another slug",
                        "slug.former")
    new_path = old_path.with_name(f"{new}.md")
    kind = frontmatter.split(old_path.read_text(encoding="utf-8"), _shown(old_path)) \
        .metadata.get("type", "")
    old_url, new_url = _addresses(kind, old, new, settings)

    texts, references = {}, 0
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        changed, found = rewrite_front_matter(text, old, new, own=path == old_path)
        changed, linked = rewrite_body_links(changed, old, new, path, old_path, new_path,
                                             content, old_url, new_url)
        if path == old_path:
            changed = record_former_slug(changed, old, new)
        if changed != text:
            texts[path] = changed
            references += found + linked
    return Plan(old_path, new_path, texts, references)


def _moved_in_lock(content: Path, old_path: Path, new_path: Path, new: str, settings: dict):
    """The citation lock with the document's entry under its new file name and slug: its
    ids, removed ids and recorded texts stay the document's (paragraph_ids.py)."""
    from ..read import citation_lock

    path = citation_lock.lock_path(settings)
    lock = citation_lock.load(path)
    old_key = old_path.relative_to(content).as_posix()
    if old_key not in lock.documents:
        return None
    entry = lock.documents.pop(old_key)
    entry.slug = new
    lock.documents[new_path.relative_to(content).as_posix()] = entry
    return path, lock


def rewrite_document_references(text: str, old: str, new: str) -> tuple[str, int]:
    """References to a source or briefing note by slug: citation fields (`source:
    "OLD#p-3"`), `sources: [OLD]` lists, and citations in prose (`[@OLD#p-3; @OLD#p-4]`)."""
    count = 0
    span = _split(text)
    if span is not None:
        start, end = span
        head = text[start:end]
        try:
            tree = yaml.compose(head, Loader=frontmatter.SiteYamlLoader)
        except yaml.YAMLError:
            tree = None
        edits = []
        for key, node in _scalars(tree):
            if key == "sources" and node.value == old:
                edits.append(node)
            elif key == "source" and node.value.startswith(f"{old}#"):
                edits.append(node)
        for node in sorted(edits, key=lambda n: n.start_mark.index, reverse=True):
            first, last = node.start_mark.index, node.end_mark.index
            head = head[:first] + head[first:last].replace(old, new, 1) + head[last:]
        count += len(edits)
        text = text[:start] + head + text[end:]
    body_start = span[1] if span else 0
    body, found = re.subn(r"(?<=[\[;\s])@" + re.escape(old) + r"(?=#p-)", "@" + new,
                          text[body_start:])
    return text[:body_start] + body, count + found


def plan_document(content: Path, old: str, new: str, settings: dict) -> Plan:
    """The same as `plan`, for a source or briefing note (citations name it by slug)."""
    from .scaffold import DOCUMENT_FOLDERS

    if not schema.SLUG.match(new):
        raise _fail(new, "is not a valid slug: use lowercase letters, digits and single "
                         "hyphens, e.g. ministers-meet", "slug.format")
    if old == new:
        raise _fail(new, "is the slug already; nothing to rename", "rename.same-slug")
    folders = [content / folder for folder in DOCUMENT_FOLDERS.values()]
    by_stem = {path.stem: path for folder in folders for path in sorted(folder.glob("*.md"))}
    if old not in by_stem:
        hint = difflib.get_close_matches(old, sorted(by_stem), n=1)
        raise _fail(old, "no source or briefing note has this slug" +
                    (f"; did you mean '{hint[0]}'?" if hint else ""), "rename.unknown-slug")
    if new in by_stem:
        raise _fail(new, f"is the slug of {_shown(by_stem[new])} already; pick another slug",
                    "slug.duplicate")
    old_path = by_stem[old]
    new_path = old_path.with_name(f"{new}.md")
    pattern = settings.get("ARTICLE_URL", "{slug}/")
    category = old_path.parent.name
    old_url = pattern.format(slug=old, category=category, lang="en")
    new_url = pattern.format(slug=new, category=category, lang="en")
    texts, references = {}, 0
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        own = path == old_path
        changed, found = rewrite_document_references(text, old, new)
        if own:
            changed = re.sub(r"^(slug:\s*[\"']?)" + re.escape(old) + r"(?=[\"']?\s*(?:#.*)?$)",
                             lambda m: m[1] + new, changed, count=1, flags=re.M)
            changed = record_former_slug(changed, old, new)
        changed, linked = rewrite_body_links(changed, old, new, path, old_path, new_path,
                                             content, old_url, new_url, forced_links=False)
        if changed != text:
            texts[path] = changed
            references += found + linked
    return Plan(old_path, new_path, texts, references,
                _moved_in_lock(content, old_path, new_path, new, settings))


def _addresses(kind: str, old: str, new: str, settings: dict) -> tuple[str, str]:
    """The entity page's old and new URL, from the same `<CLASS>_URL` setting the build uses."""
    from ..core import types

    entity_type = types.of(settings).entity(kind)
    pattern = settings.get(f"{entity_type.class_name.upper()}_URL") if entity_type else None
    if not pattern:
        return f"/{old}/", f"/{new}/"  # matches no link: only the file is renamed
    return pattern.format(slug=old, lang="en"), pattern.format(slug=new, lang="en")


def apply(change: Plan) -> None:
    """Write every changed file; the renamed entity's text goes to its new name (written
    before the old file is removed, so an interruption never loses it)."""
    for path, text in change.texts.items():
        target = change.new_path if path == change.old_path else path
        with target.open("x" if target == change.new_path else "w", encoding="utf-8") as out:
            out.write(text)
    if change.lock is not None:
        from ..read import citation_lock

        citation_lock.save(*change.lock)
    change.old_path.unlink()


def _settings(settings_file: str) -> dict:
    from pelican.settings import read_settings

    from ..render.entity_pages import default_settings

    if not os.path.exists(settings_file):
        raise _fail(settings_file, "no such settings file; run this in the site's folder or "
                                   "pass --settings", "settings.missing")
    settings = read_settings(settings_file)
    default_settings(settings)
    return settings


def main(old: str, new: str, settings_file: str, document: bool = False) -> int:
    command = "rename-document" if document else "rename-entity"
    try:
        settings = _settings(settings_file)
        content = Path(settings["PATH"])
        if document:
            change = plan_document(content, old, new, settings)
        else:
            roots = [content / root for root in settings["ENTITY_PATHS"]]
            change = plan(content, roots[0], old, new, settings)
        apply(change)
    except ContentError as err:
        for problem in err.problems:
            print(f"{command}: {problem}", file=sys.stderr)
        return 2
    print(f"Renamed {old} to {new}: moved {_shown(change.old_path)} to "
          f"{_shown(change.new_path)}, updated {change.references} reference(s) in "
          f"{len(change.texts) - 1} other file(s), and recorded '{old}' in {FORMER} so the old "
          "address redirects to the new page. Check with `make html`; commit the moved file "
          "with the edits.")
    return 0

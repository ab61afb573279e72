"""Pages taken from the previous output when nothing they are rendered from has changed.

Each page Pelican's writer is asked for gets a fingerprint of the inputs it is rendered from:

- every page: the build's version (code, the theme's static files, settings, today), the
  output path, the template and every template its rendering loaded last time (as the
  loader finds them now: `templates_print`), the values passed to the template (a
  content object passed as `article`, `page` is pictured whole: metadata, final HTML, its
  mention records and citations; an entity page by its file, hashed in `inputs`; other
  values by kind and size, see `_value`), the digest of every content file that is not a source or briefing note (`inputs`: entity files, the citation
  lock, references, static files), and the listing data of every document (`listing`: its
  metadata and URLs, not its body);
- every page but a document's own: also the cross-document results of every document
  (`derived`: its mention records and citations), which entity pages, indexes, the network
  and the timeline are made from.

A document's page therefore changes with its own text and with what every page's listing
shows (titles, dates, tags, URLs); an edit of one body re-renders that document's page, plus
every other page only if the edit changed a mention record or a citation. The global context
(`articles`, `registry`, `mentions`, ...) is not hashed value by value: everything in it is
made from these inputs by the code, which is part of the version.

A page whose fingerprint is the one it was written with in the previous build, and whose
files are still there with the size and time recorded then, is copied from the previous output
into the staging folder instead of being rendered (copied, not hard-linked: fileurls.py and
search_index.py rewrite pages in place, which would write through a link into the live site).
"""

from __future__ import annotations

import os
import shutil

from ..cache import fingerprint
from ..cache.fingerprint import Unstable, canon, content_picture, digest
from ..cache.store import Store, of
from ..core import state as build_state
from ..core.deferred import resolved
from . import themeloader
from .written import ClaimingWriter, _page_source

# A document's body as other pages may not see it: its HTML and its paragraphs' texts and
# lines (mention records and citations, which are what others see, are in `derived`).
_BODY = frozenset({"_content", "paragraphs", "paragraph_lines", "lint_texts", "mentions",
                   "citations", "_summary"})
_DOCUMENT_KEYS = ("article",)  # a document's own page: the only page without `derived`


def site_digests(store: Store, context: dict) -> dict:
    """Digests of the whole site, once per build (after the link step, before any page)."""
    if store.site is not None:
        return store.site
    contents = list(store.contents)
    seen = {id(c) for c in contents}
    for key in ("pages", "hidden_pages", "draft_pages"):  # Pelican's pages, if any
        for page in context.get(key) or ():
            if id(page) not in seen:
                seen.add(id(page))
                contents.append(page)
    contents.sort(key=lambda c: (str(getattr(c, "source_path", "")), type(c).__name__))
    state = build_state.of(store.settings) if store.settings is not None else None
    # The sources and briefing notes: hashed in `listing` and on their own pages; every other
    # content file (entities included) is hashed whole in `inputs`.
    documents = {os.path.abspath(c.source_path) for c in
                 (getattr(state, "documents", None) or
                  [c for c in contents if state is None or state.entity_of(c) is None])
                 if getattr(c, "source_path", None)}
    document_mentions = getattr(state, "document_mentions", None) or {}
    citations = getattr(state, "citations", None) or {}
    listing, derived, own, bodies = [], [], {}, []
    try:
        for content in contents:
            if hasattr(content, "entity") and os.path.abspath(content.source_path) \
                    not in documents:
                # An entity page is made from its entity file alone (its metadata, its
                # description linked against the name table, its `Entity` record), within
                # the whole registry: all of them entity files, hashed whole in `inputs`.
                listing.append(("entity page", content.source_path, type(content).__name__))
            else:
                listing.append(content_picture(content, _BODY))
                if "summary" not in getattr(content, "metadata", {}):
                    listing.append(("summary", content.summary))  # Pelican's, from the body
                bodies.append((content.source_path, canon(getattr(content, "paragraphs", None))))
            # The link stage's results for this content (in the build state, or, from code
            # before the build state, on the object)
            results = digest(canon(document_mentions.get(id(content),
                                                     getattr(content, "mentions", None))),
                             canon(citations.get(id(content),
                                                 getattr(content, "citations", None))))
            own[id(content)] = results
            derived.append((getattr(content, "source_path", None), results))
        store.site = {"inputs": fingerprint.folder_digest(store.content_path, skip=documents),
                      "listing": digest(listing), "derived": digest(derived), "own": own,
                      "bodies": digest(bodies), "documents": frozenset(
                          c.source_path for c in contents
                          if os.path.abspath(c.source_path) in documents)}
    except Unstable:
        store.site = {}
    return store.site


def page_fingerprint(store: Store, name: str, template, context: dict,
                     kwargs: dict) -> str | None:
    """The fingerprint of one page, or None if it cannot be computed (then it is rendered)."""
    site = site_digests(store, context)
    if not site or not store.contents:
        return None
    own_document = any(getattr(kwargs.get(key), "source_path", None) for key in _DOCUMENT_KEYS)
    try:
        values = tuple((key, ("context", named) if (named := _shared_name(store, context,
                                                                          value)) else
                        _value(value, site["documents"]), site["own"].get(id(value)))
                       for key, value in sorted(kwargs.items()))
    except Unstable:
        return None
    return digest(store.version, name, getattr(template, "name", None), site["inputs"],
                  site["listing"], None if own_document else site["derived"], values)


_SCALARS = (str, int, float, bool, type(None))


def _shared_name(store: Store, context: dict, value) -> str | None:
    """The name of `value` if it is also in the global context or the build state (the
    registry, the mention index, the network): the whole site's, made from the inputs the
    site digests picture, so named, not pictured again for every page. The map of names is
    made once and made again when the context's size changes (Pelican adds to it between
    generators); a value is named only if it is still there under that name (the map holds
    each value, so no id is reused while it is kept)."""
    if isinstance(value, _SCALARS):
        return None
    found = store.shared_names
    if found is None or found[0] is not context or found[1] != len(context):
        names: dict[int, tuple[str, object]] = {}
        for key, held in context.items():
            if not isinstance(held, _SCALARS):
                names[id(held)] = (key, held)
        state = build_state.of(store.settings) if store.settings is not None else None
        for key, held in (vars(state).items() if state is not None else ()):
            if key != "settings" and not isinstance(held, _SCALARS):
                names.setdefault(id(held), (f"research.{key}", held))
        found = store.shared_names = (context, len(context), names, state)
    entry = found[2].get(id(value))
    if entry is None or entry[1] is not value:
        return None
    key = entry[0]
    if key.startswith("research."):
        return key if getattr(found[3], key[9:], None) is value else None
    return key if context.get(key) is value else None


def _value(value, documents=frozenset()):
    """A value passed to one page's template. Text and numbers (a section, an SVG) as they
    are; a content object whole (it is the page's own: its HTML is in no digest of the
    site); anything else by its kind and size only: views, rows, events and lists the render
    stage made for the page are computed by the code (the version) from the entity files,
    the listing and the cross-document results, which the fingerprint holds already.
    (Picturing them in full cost more than rendering: timeline events and entity records
    reach most of the registry.)"""
    if isinstance(value, (str, int, float, bool, bytes, type(None))):
        return value
    if fingerprint._is_content(value):
        if hasattr(value, "entity") and value.source_path not in documents:
            # an entity page: made from the entity files (`inputs`), as in `listing`
            return ("entity page", value.source_path, type(value).__name__)
        return canon(value, deep=True)
    if fingerprint._is_url_wrapper(value):
        return canon(value)
    return (type(value).__name__, len(value) if hasattr(value, "__len__") else None)


def templates_print(store: Store, template, names) -> str:
    """The digest of the templates `names` as the loader finds them now (each looked up
    once per build)."""
    environment = template.environment
    found = store.template_digests
    for name in names:
        if name not in found:
            found[name] = themeloader.source_digest(environment, name)
    return digest(tuple((name, found[name]) for name in sorted(names)))


class ReusingWriter(ClaimingWriter):
    """Pelican's writer (claiming every path, see written.py) that copies an unchanged page
    from the previous output instead of rendering it."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.store = of(self.settings)
        self._written: list[str] | None = None

    def write_file(self, name, template, context, *args, **kwargs):
        store = self.store
        if store is None or not isinstance(name, str) or not name or args:
            return super().write_file(name, template, context, *args, **resolved(kwargs))
        base = page_fingerprint(store, name, template, context, kwargs)
        old = store.old_pages.get(name)
        if base is not None and old is not None and len(old) > 3:
            # the templates the page's rendering loaded last time, as they are now
            print_ = digest(base, templates_print(store, template, old[3]))
            if self._reuse(store, name, print_, old[3], template, kwargs):
                return None
        self._written = []
        dates = self._page_dates()
        before = len(dates)
        try:
            kwargs = resolved(kwargs)  # (values made for rendering only: core/deferred.py)
            with themeloader.recording() as loaded:
                result = super().write_file(name, template, context, **kwargs)
            if base is not None:
                # what rendering the page recorded in the build state (the sitemap's dates,
                # written by json_ld()), to be recorded again when the page is reused, and
                # the templates it loaded
                names = sorted(loaded | {template.name})
                store.pages[name] = (digest(base, templates_print(store, template, names)),
                                     list(self._written), list(dates.items())[before:],
                                     names)
            store.stats["rendered"] += 1
            return result
        finally:
            self._written = None

    def _open_w(self, filename, encoding, override=False):
        if self._written is not None:
            self._written.append(os.path.relpath(filename, self.output_path)
                                 .replace(os.sep, "/"))
        return super()._open_w(filename, encoding, override)

    def _page_dates(self) -> dict:
        found = getattr(build_state.of(self.settings), "page_dates", None)
        return found if isinstance(found, dict) else {}

    def _reuse(self, store: Store, name: str, print_: str, names, template, kwargs) -> bool:
        old = store.old_pages.get(name)
        if old is None or old[0] != print_:
            return False
        files, recorded = old[1], old[2]
        if not store.unchanged(files):  # still the files the previous build wrote
            return False
        self._source = _page_source(name, template, kwargs)
        try:
            for relative, size, mtime in files:
                destination = os.path.join(self.output_path, relative)
                self._claim(destination)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copy2(store.target / relative, destination)
                store.copied[relative] = (size, mtime)
        finally:
            self._source = None
        self._page_dates().update(recorded)
        store.pages[name] = (print_, [relative for relative, _s, _m in files], recorded, names)
        store.stats["reused"] += 1
        return True


def memo(settings: dict, context: dict, group: str):
    """`memo(name, key, compute)` for the parts of a file written outside the writer (FtM's
    lines: export/formats/ftm.entity_lines), or None when the build is not incremental.
    A part is kept under the version, `name`, and what it is made from: `key()` (one
    document's record, say), or with `key` None the whole site (`inputs`, `listing`,
    `derived`). Kept pickled, like the reader's results (cache/hooks.py), by `group` (the
    `files` name whose files the parts are written into: when those files are copied, the
    parts they were made of are kept for the next build)."""
    from ..cache.hooks import _cached

    store = of(settings)
    if store is None:
        return None
    site = site_digests(store, context)
    if not site or not store.contents:
        return None
    whole = digest(site["inputs"], site["listing"], site["derived"])

    def kept(name: str, key, compute):
        try:
            made_of = whole if key is None else canon(key())
        except Unstable:
            return compute()
        return _cached(store, store.memo.setdefault(group, {}),
                       store.old_memo.get(group, {}), digest(store.version, name, made_of),
                       compute, store.settings, "remade parts")

    return kept


def files(settings: dict, context: dict, name: str, output_path: str, produce, *,
          paths: tuple[str, ...] = (), bodies: bool = False, claim=None, again=None):
    """Files written outside Pelican's writer (the contract's and the data exports), taken from the previous output when what they are made from is unchanged.

    `produce(claim)` writes them into `output_path` and returns a value (the /data/ page's
    values); the files are those it claims with `claim(path, label)` (passed on to the
    `claim` given) and those of `paths` that exist afterwards. Their fingerprint is the
    version, `name`, and the site's `inputs`, `listing` and `derived` (what entity pages are
    made from), and with `bodies` every document's paragraph texts (the FtM and SQLite
    exports carry them). Reused: the files are copied from the previous output (checked
    like pages: size and time as recorded after the last swap), the claims made again, and
    the value returned is `again()` or, without `again`, the value as it was computed then
    (kept pickled)."""
    from ..cache.hooks import _dumps, _loads

    store = of(settings)
    record = claim if claim is not None else (lambda path, label: None)
    if store is None:
        return produce(record)
    site = site_digests(store, context)
    if not site or not store.contents:
        return produce(record)
    print_ = digest(store.version, "files", name, site["inputs"], site["listing"],
                    site["derived"], site["bodies"] if bodies else None, paths)
    key = ("files", name)
    old = store.old_pages.get(key)
    if old is not None and old[0] == print_ and store.unchanged(old[1]):
        try:
            value = again() if again is not None else _loads(old[2], settings)
            reusable = True
        except Exception:  # noqa: BLE001 (a damaged entry: write them again)
            reusable = False
        if reusable:
            for path, label in old[3]:
                record(path, label)
            for relative, size, mtime in old[1]:
                destination = os.path.join(output_path, relative)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copy2(store.target / relative, destination)
                store.copied[relative] = (size, mtime)
            store.pages[key] = (print_, [r for r, _s, _m in old[1]], old[2], old[3])
            if name in store.old_memo:  # the parts the files were made of (memo)
                store.memo[name] = store.old_memo[name]
            store.stats["reused files"] = store.stats.get("reused files", 0) + 1
            return value
    claimed: list[tuple[str, str]] = []

    def claiming(path: str, label: str) -> None:
        record(path, label)
        claimed.append((path, label))

    value = produce(claiming)
    written = [p for p, _l in claimed] + [p for p in paths
                                         if os.path.isfile(os.path.join(output_path, p))]
    data = b"" if again is not None else _dumps(value, settings)
    if data is not None:
        store.pages[key] = (print_, list(dict.fromkeys(written)), data, claimed)
    store.stats["written files"] = store.stats.get("written files", 0) + 1
    return value


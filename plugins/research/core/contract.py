"""The content contract: one declarative schema for every kind of content file and every row.

A `Schema` lists `Field`s: name, kind (what a value must be), whether it is required, and a
line of documentation. `validate()` checks a front-matter mapping against a schema (unknown
fields with a "did you mean", required fields, the kind of every value, rows recursively)
and returns `Problem`s located at the field's own line, each with a stable code. The same
schemas are exported as JSON Schema for editors (jsonschema_export.py, docs/schemas/), so
what an editor's YAML extension accepts is what the build accepts.

Per-file checks that involve more than one field (end before start, a slug that differs from
the file name) stay with the code that builds records from the fields (schema.py for
entities); checks across files are the registry's and the cross-document step's.

Where to add a field: to the schema of its kind below (`SOURCE`, `BRIEFING`, `ENTITY_COMMON`,
`ENTITY_BY_TYPE[...]`, a row schema). Entity fields common to every type (such as a
`former_slugs` list for redirects) go in `ENTITY_COMMON`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field as _field
from typing import Any, Callable

from rapidfuzz import fuzz, process

from . import cites, dates
from .errors import Problem, kind as kind_of, shown  # noqa: F401 (shown: for schema.py)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
ISO3166 = re.compile(r"^[A-Z]{2}$")
# The default types' names (core/types.py holds the table the build uses, settings included).
ENTITY_TYPES = ("organization", "person", "country", "territory", "treaty")
TREATY_KINDS = ("treaty", "charter", "declaration", "agreement", "memorandum", "protocol",
                "draft treaty")
STATUSES = ("published", "draft", "hidden")
# A document's date: a day, or a day and time with an offset from UTC.
DOCUMENT_DATE_FORMS = "'YYYY-MM-DD' (e.g. '2008-09-05') or 'YYYY-MM-DDTHH:MM:SS+HH:MM' " \
                      "(e.g. '2008-09-05T05:18:00-04:00')"
_DOCUMENT_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?"
                            r"(?:\.\d+)?(Z|[+-](\d{2}):?(\d{2}))?)?$", re.ASCII)
_LETTER = re.compile(r"[^\W_]")
_PARAGRAPH = re.compile(r"^(?:p-)?([1-9][0-9]*)$")
# Last words of institutions' names: such an author needs `author_kind`, else it would be
# cited by that word ("Organisation 2008").
INSTITUTION_WORDS = frozenset("""
Organisation Organization Council Committee Commission Ministry Office Agency Service
Institute Institution Union Secretariat Government Parliament Assembly Bureau Department
Centre Center Foundation Association Federation Alliance Bank Fund Forum Group
""".split())


@dataclass(frozen=True)
class Field:
    """One front-matter field. `kind` is a key of KINDS; `rows` the schema of each row of a
    `rows` field; `choices` the allowed values of a `choice` field."""

    name: str
    kind: str
    doc: str
    required: bool = False
    rows: "Schema | None" = None
    choices: tuple[str, ...] = ()
    internal: bool = False  # set by the build itself, never written by editors


@dataclass(frozen=True)
class Schema:
    name: str  # "source", "briefing", "organization", "members row", ...
    doc: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = _field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A later field of the same name replaces an earlier one (a territory's `status` is
        # a sentence, not Pelican's publication status), in the earlier one's place.
        by_name = {f.name: f for f in self.fields}
        object.__setattr__(self, "fields", tuple(by_name.values()))
        object.__setattr__(self, "by_name", by_name)

    def extended(self, name: str, doc: str, *fields: Field) -> "Schema":
        return Schema(name, doc, self.fields + fields)

    @property
    def editor_fields(self) -> list[str]:
        return sorted(f.name for f in self.fields if not f.internal)


# -- the kinds of value -------------------------------------------------------------------
# Each checker returns None for a good value, else (code, message). Missing values (None or
# "") never reach a checker: they are "required" problems or simply absent.

def _text(value, _field):
    if not isinstance(value, str):
        return "type.text", f"must be text, not {kind_of(value)}; put it in quotes"
    return None


def _name(value, field_):
    """A name Pelican makes a page slug of (an author): markup is shown as text, but a name
    with no letter or digit would give Pelican's "Unable to generate valid slug" warning."""
    problem = _text(value, field_)
    if problem is None and not _LETTER.search(value):
        return "text.no-letters", (f"{shown(value)} has no letter or digit; write the "
                                   f"{field_.name}'s name")
    return problem


def _slug(value, _field):
    if not isinstance(value, str):
        return "type.text", f"must be text, not {kind_of(value)}; put it in quotes"
    if not SLUG.match(value.strip()):
        return "slug.format", (f"{shown(value)} is not a valid slug: use lowercase letters, "
                               "digits and single hyphens, e.g. 'south-ossetia'")
    return None


def _list_of(item_check, example):
    def check(value, field_):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            return "type.list", f"must be a list of {example}"
        for item in value:
            problem = item_check(item, field_)
            if problem:
                return problem
        return None
    return check


def _tags(value, _field):
    if isinstance(value, str) or (isinstance(value, list)
                                  and all(isinstance(tag, str) for tag in value)):
        return None
    return "type.list", "must be a list of words, e.g. [Russia, CSTO]"


def _partial_date(value, _field):
    try:
        dates.parse(value)
    except dates.DateError as err:
        return err.code, str(err)
    return None


def document_date_problem(value, *, zone_required: bool) -> tuple[str, str] | None:
    """Why `value` is not a document date this site reads (None if it is). Pelican would
    read almost anything (`5/9/2008` as 9 May), so only the documented forms pass."""
    if isinstance(value, dt.datetime):
        if zone_required and value.tzinfo is None:
            return "date.timezone", (f"{value.isoformat()} has no time zone; add the offset "
                                     "from UTC as published, e.g. '2008-09-05T05:18:00-04:00'")
        return None
    if isinstance(value, dt.date):
        if zone_required:
            return "date.timezone", (f"{value.isoformat()} has no time and time zone; write "
                                     "the time and offset as published, e.g. "
                                     "'2008-09-05T05:18:00-04:00'")
        return None
    if not isinstance(value, str):
        return "date.format", (f"{shown(value)} is not a date; write {DOCUMENT_DATE_FORMS}")
    match = _DOCUMENT_DATE.match(value.strip())
    if not match:
        return "date.format", (f"{shown(value)} is not a date in a form this site reads; write "
                               f"{DOCUMENT_DATE_FORMS}")
    year, month, day, hour, minute, second, zone, zone_h, zone_m = match.groups()
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError as err:
        return "date.nonexistent", f"{shown(value)} is not a date that exists ({err})"
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59):
        return "date.nonexistent", (f"{shown(value)} has no time {hour}:{minute}; hours run "
                                    "from 00 to 23, minutes and seconds from 00 to 59")
    if zone_h is not None and (int(zone_h) > 23 or int(zone_m) > 59):
        return "date.offset", (f"{shown(value)} has the offset {zone}, out of range: offsets "
                               "run from -23:59 to +23:59 (e.g. -04:00 for EDT)")
    if zone_required and zone is None:
        return "date.timezone", (f"{shown(value)} has no time zone; add the time and offset "
                                 "from UTC as published, e.g. '2008-09-05T05:18:00-04:00'")
    return None


def _document_date(zone_required):
    return lambda value, _field: document_date_problem(value, zone_required=zone_required)


def _pattern(regex, message):
    def check(value, _field):
        if not isinstance(value, str) or not regex.match(value):
            return "field.format", f"{shown(value)} {message}"
        return None
    return check


def _choice(value, field_):
    if not isinstance(value, str) or value.strip() not in field_.choices:
        hint = _did_you_mean(value, field_.choices) if isinstance(value, str) else None
        return "field.choice", (f"{shown(value)} is not a {field_.name.replace('_', ' ')}; "
                                f"use one of {', '.join(field_.choices)}"
                                + (f"; did you mean '{hint}'?" if hint else ""))
    return None


def _paragraph(value, _field):
    if isinstance(value, bool) or not (
            (isinstance(value, int) and value >= 1)
            or (isinstance(value, str) and _PARAGRAPH.match(value.strip()))):
        return "type.paragraph", "must be a paragraph number, e.g. 11"
    return None


def _rows(value, _field):
    if not isinstance(value, list):
        return "type.rows", "must be a list of rows, each starting with '- '"
    return None


def _anything(_value, _field):
    return None


def _refs(value, _field):
    """A `refs:` list: each item is checked on its own line by `validate` (refs_problems)."""
    if not isinstance(value, (list, str, dict)):
        return "refs.malformed", "must be a list of citations: " + cites.HOW
    return None


def _keys(value, field_):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "type.list", "must be a list of reference keys, e.g. [csto-charter-2002]"
    for item in value:
        if not cites.KEY.match(item.strip()):
            return "refs.malformed", (f"{shown(item)} is not a reference key: use lowercase "
                                      "letters, digits and single hyphens, e.g. "
                                      "'csto-charter-2002'")
    return None


def _names(value, _field):
    """CSL names: a list of {family, given, ...} or {literal: ...} (institutions)."""
    if not isinstance(value, list) or not value:
        return "type.list", ("must be a list of names, e.g. [{family: Goodenough, given: "
                             "Patrick}] or [{literal: Collective Security Treaty "
                             "Organization}]")
    for name in value:
        if not isinstance(name, dict) or not (set(name) <= NAME_PARTS) or not all(
                isinstance(part, str) and part.strip() for part in name.values()):
            return "type.list", ("each name is a mapping of " + ", ".join(sorted(NAME_PARTS))
                                 + " (text), e.g. {family: Goodenough, given: Patrick}")
        if not (name.get("literal") or name.get("family")):
            return "field.required", "each name needs 'family' (a person) or 'literal' "                                      "(an institution)"
    return None


def _csl_text(value, _field):
    """Text, or a number YAML read from an unquoted volume or page."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return "type.text", f"must be text, not {kind_of(value)}; put it in quotes"
    return None


def _web_address(value, _field):
    """An absolute http(s) address: a reference's copy, never a relative or script URL."""
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        return "type.text", f"must be text, not {kind_of(value)}; put it in quotes"
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc \
            or any(c.isspace() or ord(c) < 0x20 for c in text):
        return "bibliography.url", (f"{shown(value)} is not a web address; write the full "
                                    "address starting with https:// or http://, as seen")
    return None


KINDS: dict[str, Callable] = {
    "text": _text, "name": _name, "slug": _slug,
    "slugs": _list_of(_slug, "slugs, e.g. [russia, georgia]"),
    "texts": _list_of(_text, "text values, e.g. [CSTO, ODKB]"),
    "tags": _tags, "partial-date": _partial_date,
    "document-date": _document_date(False), "document-datetime": _document_date(True),
    "qid": _pattern(QID, "is not a Wikidata id like 'Q7184'"),
    "iso3166": _pattern(ISO3166, "is not an ISO 3166-1 alpha-2 code like 'GE' (quote it: NO "
                                 "would otherwise be read as false)"),
    "choice": _choice, "paragraph": _paragraph, "rows": _rows, "pelican": _anything,
    "refs": _refs, "keys": _keys, "names": _names, "csl-text": _csl_text,
    "web-address": _web_address,
}
NAME_PARTS = frozenset(("family", "given", "literal", "suffix", "dropping-particle",
                        "non-dropping-particle"))


# -- the schemas --------------------------------------------------------------------------

def F(name, kind, doc, **options) -> Field:  # noqa: N802 (reads like a table below)
    return Field(name, kind, doc, **options)


# Slugs a page had before `rename-entity` / `rename-document`: the build writes a redirect
# page at each old address (redirects.py).
FORMER_SLUGS = F("former_slugs", "slugs", "slugs this page had before a rename; the old "
                 "addresses redirect here (kept by rename-entity and rename-document)")

# Fields Pelican itself reads; the reader checks their shape (reader.py, _SHAPES).
_PELICAN = (
    FORMER_SLUGS,
    F("slug", "slug", "the page's URL segment: lowercase letters, digits, single hyphens; "
      "defaults to the file name"),
    F("modified", "document-date", "when the document was last changed"),
    F("status", "choice", "published (the default), draft or hidden", choices=STATUSES),
    F("lang", "text", "language code, e.g. 'en'"),
    F("save_as", "text", "where the page is written, relative to the site"),
    F("url", "text", "the page's URL, relative to the site"),
    F("template", "text", "the theme template to use instead of the default"),
    F("paragraph_count", "pelican", "set by the build", internal=True),
    F("source_map", "pelican", "set by the reader: where fields and body lines are",
      internal=True),
    F("lint_ignore", "texts", "capitalised names the lint should not report in this file"),
)

REFS_DOC = ("citations: reference keys ('csto-charter-2002'), article paragraphs "
            "('slug#p-12'), or {key, locator, quote} mappings")
QUOTE = Schema("quotes row", "a quotation the text attributes to a named person", (
    F("speaker", "slug", "slug of a person entity", required=True),
    F("words", "text", "the words, verbatim, without the quotation marks", required=True),
    F("paragraph", "paragraph", "the number of the paragraph the words are in", required=True),
    F("note", "text", "shown with the quotation"),
))
DATE_DOC = "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', or EDTF ('1993-12-09?', '[a,b]', 'a/b'), quoted"
EVENT = Schema("events row", "a dated event the note establishes, for the timeline", (
    F("date", "partial-date", DATE_DOC, required=True),
    F("text", "text", "what happened, in one sentence", required=True),
    F("refs", "refs", REFS_DOC),
))

SOURCE = Schema("source", "a primary document: content/sources/<slug>.md", (
    F("title", "text", "the title as published", required=True),
    F("author", "name", "a person ('Patrick Goodenough') or an institution (with "
      "author_kind: institution)", required=True),
    F("author_kind", "choice", "person (the default: cited by surname) or institution (cited "
      "by author_short, else the full name)", choices=("person", "institution")),
    F("author_short", "name", "how citations name an institutional author, e.g. 'SCO'"),
    F("author_note", "text", "what the source says about its author"),
    F("outlet", "text", "where it was published, e.g. 'CNSNews.com'"),
    F("date", "document-datetime", "publication date and time with its offset from UTC, "
      "e.g. '2008-09-05T05:18:00-04:00'", required=True),
    F("timezone_label", "text", "the time zone as the source names it, e.g. 'EDT'"),
    F("summary", "text", "one or two sentences in our own words", required=True),
    F("provenance", "text", "where our copy of the text comes from"),
    F("cleaning", "texts", "what was changed from the raw text, one item per change"),
    F("tags", "tags", "topics, e.g. [Russia, CSTO]"),
    F("quotes", "rows", "quotations the text attributes to named people", rows=QUOTE),
    *_PELICAN,
))
BRIEFING = Schema("briefing", "a briefing note: content/briefings/<slug>.md", (
    F("title", "text", "the note's title", required=True),
    F("date", "document-date", "when the note was written: 'YYYY-MM-DD', optionally with a "
      "time and offset", required=True),
    F("author", "name", "who wrote it, e.g. 'Research team'", required=True),
    F("summary", "text", "one or two sentences", required=True),
    F("sources", "slugs", "slugs of the sources it cites; checked against its citations "
      "(derived from them when left out)"),
    F("tags", "tags", "topics, e.g. [SCO, China]"),
    F("events", "rows", "dated events for the timeline", rows=EVENT),
    *_PELICAN,
))

# Disputed facts and legal stages (SPEC §3): a row's `rank`, its `alternatives` (other
# values for some of its fields, as other sources give them) and its `stages`.
RANKS = ("preferred", "normal", "deprecated")
START_STAGES = ("decision", "signature", "accession", "ratification", "entry-into-force")
END_STAGES = ("suspension", "withdrawal-notified", "withdrawal-effective", "lapse")
STAGES = START_STAGES + END_STAGES
_RANK = F("rank", "choice", "preferred, normal (the default) or deprecated (shown, marked, "
          "left out of as-of tables, maps and counts)", choices=RANKS)
_CITES = (
    F("refs", "refs", "reference keys or paragraph citations for this value (SPEC §2)"),
    F("note", "text", "which source says this, and why it differs"),
)
STAGE = Schema("stages row", "one legal stage of a membership (decision, signature, ...)", (
    F("stage", "choice", "what happened", required=True, choices=STAGES),
    F("date", "partial-date", DATE_DOC, required=True),
    _RANK, *_CITES,
))


def _alternative(row: str, *overridable: Field) -> Schema:
    return Schema(f"alternatives of a {row}", "another value of some of the row's fields, "
                  "with its own sources", (*overridable, _RANK, *_CITES))


def _disputed(row: str, *overridable: Field) -> tuple[Field, ...]:
    return (_RANK,
            F("alternatives", "rows", "other values of some fields, as other sources give "
              "them", rows=_alternative(row, *overridable)),
            F("stages", "rows", "legal stages (decision, signature, ratification, entry into "
              "force, suspension, withdrawal), each with its date and sources", rows=STAGE))


_MEMBER_DATES = (
    F("role", "text", "member, observer, dialogue partner, ...; never 'former'"),
    F("start", "partial-date", DATE_DOC),
    F("end", "partial-date", "empty while the membership lasts"),
)
MEMBER = Schema("members row", "one membership, written in the organization's file", (
    F("member", "slug", "slug of a country, organization or territory", required=True),
    F("role", "text", "member, observer, dialogue partner, ...; never 'former'",
      required=True),
    F("start", "partial-date", DATE_DOC),
    F("end", "partial-date", "empty while the membership lasts"),
    F("note", "text", "e.g. founding member"),
    F("basis", "slug", "slug of the treaty the membership rests on, e.g. sco-charter"),
    F("refs", "refs", REFS_DOC),
    *_disputed("members row", *_MEMBER_DATES),
))
POSITION = Schema("positions row", "one office, written in the person's file", (
    F("office", "text", "e.g. Minister of Foreign Affairs", required=True),
    F("organization", "slug", "slug of the organization the office is in"),
    F("country", "slug", "slug of the country the office is in"),
    F("start", "partial-date", DATE_DOC),
    F("end", "partial-date", "empty while the office is held"),
    F("note", "text", "editorial note"),
    F("refs", "refs", REFS_DOC),
    *_disputed("positions row", F("office", "text", "e.g. Minister of Foreign Affairs"),
               F("start", "partial-date", DATE_DOC),
               F("end", "partial-date", "empty while the office is held")),
))
RECOGNITION = Schema("recognitions row", "one recognition, written in the territory's file", (
    F("by", "slug", "slug of the recognising country", required=True),
    F("date", "partial-date", "when it recognised the territory"),
    F("withdrawn", "partial-date", "when the recognition was withdrawn, if ever"),
    F("note", "text", "editorial note"),
    F("refs", "refs", REFS_DOC),
    *_disputed("recognitions row", F("date", "partial-date", "when it recognised the territory"),
               F("withdrawn", "partial-date", "when the recognition was withdrawn, if ever")),
))

# -- references: content/references/<group>.yaml, a list of entries (CSL-JSON variables) ----
REFERENCE_KINDS = ("official", "press", "scholarship", "reference")
# The CSL 1.0.2 types; those new in 1.0.2 are formatted as the nearest type citeproc-py (CSL
# 1.0.1) knows (model/references.py, CITEPROC_TYPES).
REFERENCE_TYPES = ("article", "article-journal", "article-magazine", "article-newspaper",
                   "bill", "book", "broadcast", "chapter", "classic", "collection", "dataset",
                   "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
                   "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
                   "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
                   "paper-conference", "patent", "performance", "periodical",
                   "personal_communication", "post", "post-weblog", "regulation", "report",
                   "review", "review-book", "software", "song", "speech", "standard", "thesis",
                   "treaty", "webpage")
REFERENCE = Schema("reference", "one entry of content/references/<group>.yaml", (
    F("id", "slug", "the key rows and prose cite: lowercase letters, digits, single hyphens; "
      "unique over all files and never a document's slug", required=True),
    F("kind", "choice", "official, press, scholarship or reference", required=True,
      choices=REFERENCE_KINDS),
    F("type", "choice", "a CSL type", required=True, choices=REFERENCE_TYPES),
    F("title", "text", "the title as published", required=True),
    F("title-short", "text", "a short title"),
    F("author", "names", "CSL names; institutions as {literal: ...}"),
    F("editor", "names", "CSL names"),
    F("translator", "names", "CSL names"),
    F("interviewer", "names", "CSL names"),
    F("container-title", "text", "outlet, journal or website"),
    F("collection-title", "text", "series"),
    F("publisher", "text", "publisher"),
    F("publisher-place", "text", "place of publication or signature"),
    F("authority", "text", "issuing body (legislation, treaties)"),
    F("issued", "partial-date", "the date as written: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'"),
    F("URL", "web-address", "only an address seen in stored material; never invented"),
    F("archive_url", "web-address", "an archived copy, only if actually known"),
    F("archive_date", "partial-date", "when the archived copy was made"),
    F("accessed", "partial-date", "when the URL was read"),
    F("language", "text", "BCP 47 language tag, e.g. en, ru"),
    F("volume", "csl-text", "volume"),
    F("issue", "csl-text", "issue"),
    F("page", "csl-text", "pages, e.g. '3-12'"),
    F("number", "csl-text", "document or report number"),
    F("section", "text", "section of a newspaper"),
    F("edition", "csl-text", "edition"),
    F("genre", "text", "e.g. press release, transcript"),
    F("medium", "text", "e.g. television"),
    F("event-place", "text", "where a speech or event took place"),
    F("DOI", "text", "a DOI, only if verified"),
    F("ISBN", "text", "an ISBN, only if verified"),
    F("note", "text", "free text, e.g. 'no online copy found in stored material'"),
))
# Fields that are no longer read, with what to write instead (validate reports them).
RETIRED = {
    "source": ("refs.source-field",
               "is no longer read: cite with 'refs:' and the reference key, e.g. refs: "
               "[csto-charter-2002] (references are listed in content/references/*.yaml), or an "
               "article paragraph, e.g. refs: ['moscows-search-for-intl-backing-continues#p-12']"),
}

ENTITY_COMMON = (
    F("name", "text", "the display name", required=True),
    F("type", "choice", "what the entity is", required=True, choices=ENTITY_TYPES),
    F("slug", "slug", "unique across entities; also the file name", required=True),
    F("summary", "text", "one sentence in our own words", required=True),
    F("aliases", "texts", "other names the linker finds: abbreviations, spellings, "
      "unambiguous demonyms"),
    F("force_aliases", "texts", "aliases kept although short or a common word "
      "(e.g. 'May' for a person named May); use sparingly"),
    F("wikidata", "qid", "a Wikidata id like 'Q7184', only if verified"),
    F("references", "keys", "keys of the references behind the description and the page "
      "(content/references/*.yaml)"),
    F("note", "text", "editorial note"),
    FORMER_SLUGS,
    # Pelican's own fields, tolerated on entity pages.
    F("title", "text", "the page title (defaults to name)"),
    F("tags", "pelican", "Pelican tags"),
    F("date", "pelican", "Pelican date"),
    F("modified", "pelican", "Pelican modification date"),
    F("status", "choice", "published (the default), draft or hidden", choices=STATUSES),
    F("lang", "text", "language code, e.g. 'en'"),
    F("paragraph_count", "pelican", "set by the build", internal=True),
    F("source_map", "pelican", "set by the reader: where fields and body lines are",
      internal=True),
    F("cite_placeholders", "pelican", "set by the reader: the body's [@...] brackets",
      internal=True),
)
ENTITY_BY_TYPE: dict[str, Schema] = {
    "organization": Schema("organization", "content/entities/organizations/<slug>.md", (
        *ENTITY_COMMON,
        F("kind", "text", "e.g. military alliance, regional organization, news agency"),
        F("founded", "partial-date", DATE_DOC),
        F("dissolved", "partial-date", "if it no longer exists"),
        F("headquarters", "text", "city"),
        F("members", "rows", "the membership history, written once, here", rows=MEMBER),
    )),
    "person": Schema("person", "content/entities/people/<slug>.md", (
        *ENTITY_COMMON,
        F("born", "partial-date", "year or date of birth"),
        F("died", "partial-date", "year or date of death"),
        F("nationality", "slug", "slug of a country"),
        F("positions", "rows", "offices held", rows=POSITION),
    )),
    "country": Schema("country", "content/entities/countries/<slug>.md", (
        *ENTITY_COMMON,
        F("capital", "text", "the capital city"),
        F("iso3166", "iso3166", "ISO 3166-1 alpha-2 code, quoted, only where one exists"),
        F("founded", "partial-date", "for states that came into being"),
        F("dissolved", "partial-date", "for historical states"),
    )),
    "territory": Schema("territory", "a disputed or sub-national territory, beside countries", (
        *ENTITY_COMMON,
        F("status", "text", "one sentence on its status"),
        F("claimed_by", "slugs", "slugs of the states that claim it"),
        F("part_of", "slug", "slug of the state it is an administrative part of"),
        F("recognitions", "rows", "who recognised it, when", rows=RECOGNITION),
        F("iso3166", "iso3166", "ISO 3166-1 alpha-2 code, where one exists"),
        F("capital", "text", "the capital city"),
    )),
    "treaty": Schema("treaty", "a treaty or other agreement: content/entities/treaties/<slug>.md", (
        *ENTITY_COMMON,
        F("kind", "choice", "what kind of agreement it is", choices=TREATY_KINDS),
        F("signed", "partial-date", "when it was signed, quoted"),
        F("signed_at", "text", "where it was signed (a city)"),
        F("in_force", "partial-date", "when it entered into force; empty if never or not yet"),
        F("parties", "slugs", "slugs of the parties (countries, organizations)"),
        F("parties_note", "text", "who signed or acceded, where the list needs a word"),
        F("establishes", "slug", "slug of the organization it founds or charters"),
        F("refs", "refs", REFS_DOC),
    )),
}
ENTITY_BASE = Schema("entity", "any entity, before its type is known", ENTITY_COMMON)
DOCUMENT_SCHEMAS = {"source": SOURCE, "briefing": BRIEFING}
ALL_SCHEMAS: dict[str, Schema] = {**DOCUMENT_SCHEMAS, **ENTITY_BY_TYPE}


# -- validation ---------------------------------------------------------------------------

def _did_you_mean(key: str, choices) -> str | None:
    """The closest of a few `choices` (field names, enum values), if close enough."""
    best = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=70)
    return best[0] if best else None


def validate(schema: Schema, data: dict, path: str, locator: Any,
             where: str = "", *, from_reader: bool = False) -> list[Problem]:
    """Every problem of `data` against `schema` (rows recursively), located at the field's
    own line (a missing field at its row's line, or no line at the top level). With
    `from_reader`, `data` is what our reader returned, with the fields it sets itself."""
    problems: list[Problem] = []

    def fail(at: str, code: str, message: str) -> None:
        problems.append(Problem(path, message, locator.line(at), at, code))

    for key in data:
        if key in RETIRED and key not in schema.by_name and "refs" in schema.by_name:
            code, message = RETIRED[key]
            value = data[key]
            if isinstance(value, str) and cites.parse_text(value)[0] is not None:
                message += f"; here: refs: [{shown(value.strip(), 80)}]"
            fail(f"{where}{key}", code, message)
            continue
        if key not in schema.by_name or (schema.by_name[key].internal and not from_reader):
            hint = _did_you_mean(str(key), schema.editor_fields)
            suggestion = f"; did you mean '{hint}'?" if hint else \
                f"; allowed: {', '.join(schema.editor_fields)}"
            fail(f"{where}{key}", "field.unknown", f"is not a known field{suggestion}")
    for field_ in schema.fields:
        at = f"{where}{field_.name}"
        value = data.get(field_.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field_.required:
                place = "to this row" if where else "to the front-matter"
                if value is None:
                    fail(at, "field.required",
                         f"is required: add a line '{field_.name}: ...' {place}")
                else:
                    fail(at, "field.empty", f"is required but empty: write the "
                         f"{field_.name} after '{field_.name}:'")
            continue
        problem = KINDS[field_.kind](value, field_)
        if problem:
            fail(at, *problem)
            continue
        if field_.kind == "refs":
            _, errors = cites.parse_refs(value)
            for index, error in errors:
                item_at = at if index < 0 or not isinstance(value, list) else f"{at}[{index}]"
                fail(item_at, "refs.malformed", error)
            continue
        if field_.rows is not None:
            for index, row in enumerate(value):
                row_at = f"{at}[{index}]"
                if not isinstance(row, dict):
                    fail(row_at, "type.row", "must be a mapping of 'field: value' lines")
                    continue
                problems += validate(field_.rows, row, path, locator, f"{row_at}.")
    return problems


def kind_of_document(source_path: str, settings: dict) -> str | None:
    """'source' or 'briefing' for a file in those folders (CONTENT_KINDS maps folders to
    kinds), else None."""
    relative = os.path.relpath(source_path, settings["PATH"]).replace(os.sep, "/")
    from . import types  # the type table is built from this module's schemas

    kinds = settings.get("CONTENT_KINDS") or types.of(settings).categories
    return kinds.get(relative.split("/", 1)[0]) if "/" in relative else None


def check_document(kind: str, metadata: dict, path: str, locator,
                   schema: Schema | None = None) -> list[Problem]:
    """Problems of a source's or briefing note's front-matter (the YAML as loaded); `locator`
    gives the line of a field (the reader's `frontmatter.SourceMap`)."""
    problems = validate(schema or DOCUMENT_SCHEMAS[kind], metadata, path, locator)
    author = metadata.get("author")
    if kind == "source" and metadata.get("author_kind") is None and isinstance(author, str) \
            and author.split() and author.split()[-1] in INSTITUTION_WORDS:
        # Cited by its last word, an institution would read "Organisation 2008".
        problems.append(Problem(path, f"{shown(author)} looks like an institution; add "
                                "'author_kind: institution' (and 'author_short: ...' for a short "
                                "name in citations), or 'author_kind: person'",
                                locator.line("author"), "author", "author.kind"))
    if kind == "source" and metadata.get("author_kind") != "institution" \
            and metadata.get("author_short") is not None:
        problems.append(Problem(path, "is only used for an institutional author; add "
                                "'author_kind: institution' or remove it",
                                locator.line("author_short"), "author_short",
                                "author.short-without-institution"))
    return problems


def author_label(document: Any) -> str | None:
    """How a citation names a source's author: a person by surname ("Goodenough"), an
    institution by its short name ("SCO"), else its full name. None without an author."""
    author = getattr(document, "author", None)
    name = str(getattr(author, "name", author) or "").strip()
    if not name:
        return None
    if getattr(document, "author_kind", None) == "institution":
        return str(getattr(document, "author_short", None) or name).strip()
    return name.split()[-1]


def stop_if_files_failed(context: dict) -> None:
    """Stop the build before checks across files if a file could not be read.

    Pelican skips a file its reader refused (and records it as failed, with None, in
    `generated_content`); checking the other files without it would blame them for citing
    or naming a file that is only missing because of its own mistake. The reader has
    logged that file's problems, which are the build's report."""
    from .errors import ContentError

    if any(value is None for value in context.get("generated_content", {}).values()):
        raise ContentError([])


def check_briefing_sources(documents: list, index, settings: dict,
                           citations: dict[int, list] | None = None) -> list[Problem]:
    """A briefing note's `sources:` against what it cites (`[@slug#p-n]` in its text and
    paragraph citations in its `events:` `refs:`), in both directions: every listed slug is a
    source that the note cites, every source it cites is listed. A note without `sources:`
    gets the list derived from its citations (for JSON-LD's isBasedOn). `citations`: each
    document's own citations, by id (the link stage's `state.citations`)."""
    problems = []
    citations = citations or {}
    source_slugs = {slug for slug, doc in index.documents.items()
                    if kind_of_document(doc.source_path, settings) == "source"}
    for document in documents:
        if kind_of_document(document.source_path, settings) != "briefing":
            continue
        cited: dict[str, None] = {}
        for citation in citations.get(id(document), ()):
            target = citation.reference.document
            if target is not None and target.slug in source_slugs:
                cited.setdefault(target.slug)
        for event in getattr(document, "events", None) or ():
            refs = cites.parse_refs(event.get("refs"))[0] if isinstance(event, dict) else ()
            for cite in refs:
                reference = index.resolve(cite.paragraph_text) if cite.is_paragraph else None
                if reference is not None and reference.document is not None \
                        and reference.document.slug in source_slugs:
                    cited.setdefault(reference.document.slug)
        listed = getattr(document, "sources", None)
        if listed is None:
            if cited:
                document.sources = sorted(cited)
            continue
        listed = [listed] if isinstance(listed, str) else list(listed)
        path = _display(document.source_path)
        for position, slug in enumerate(listed):
            where = f"sources[{position}]"
            if slug not in source_slugs:
                hint = _closest(slug, sorted(source_slugs))  # only for a wrong slug
                problems.append(Problem(path, f"'{slug}' is not the slug of a source"
                                        + (f"; did you mean '{hint}'?" if hint else
                                           "; list the slugs of sources the note cites"),
                                        field=where, code="sources.unknown"))
            elif slug not in cited:
                problems.append(Problem(path, f"lists '{slug}', but the note never cites it; "
                                        f"cite a paragraph ([@{slug}#p-1]) or remove it",
                                        field=where, code="sources.uncited"))
        for slug in cited:
            if slug not in listed:
                problems.append(Problem(path, f"the note cites '{slug}', but does not list it; "
                                        f"add '{slug}' to sources", field="sources",
                                        code="sources.missing"))
    return problems


def _closest(word: str, choices: list[str]) -> str | None:
    """The nearest of many choices (slugs, names): rapidfuzz, cut off, one call."""
    if not isinstance(word, str) or not choices:
        return None
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=80)
    return best[0] if best else None


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative

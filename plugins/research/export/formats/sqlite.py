"""/data/site.db: the registry, the documents' paragraphs and the mentions as one SQLite
database (made with sqlite-utils), for SQL without a server (`datasette output/data/site.db`,
or Datasette Lite in the browser).

Dates are stored as written (`start`, `end`: `YYYY[-MM[-DD]]`) and as the day bounds the
site's as-of rule uses (`in_force_from`: the start's last day; `in_force_until`: the end's
first day, exclusive), so a plain string comparison on ISO days answers "in force on D" exactly
as the pages do. The views `members_on` / `overlap` take the day in a WHERE clause;
`members_as_of` is `members_on` joined with the dates the site pre-renders.

Byte-identical rebuilds: the database is built in a scratch file in a fixed order and written
with `VACUUM INTO` to a fresh file, so no journal, free page or leftover state can differ; SQLite
writes no timestamp into its file. The file header holds the SQLite library's version, so two
machines with different SQLite builds may differ in those bytes only.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import sqlite_utils

from .common import (BOUND_COLUMNS, BuildData, in_force_from, in_force_until, iso,
                     membership_id, position_id, recognition_id, row_bounds)

# Views. SQLite compares ISO days as strings, which orders them as dates for years 1000-9999.
VIEWS = {
    "members_on": """
SELECT m.organization, o.name AS organization_name, m.member, e.name AS member_name,
       e.type AS member_type, m.role, m.start, m."end", m.in_force_from, m.in_force_until,
       m.source
FROM memberships AS m
JOIN entities AS o ON o.slug = m.organization
JOIN entities AS e ON e.slug = m.member
WHERE m.rank <> 'deprecated'""",
    "members_as_of": """
SELECT a.date AS as_of, a.label AS as_of_label, v.*
FROM as_of_dates AS a
JOIN members_on AS v
  ON (v.in_force_from IS NULL OR v.in_force_from <= a.date)
 AND (v.in_force_until IS NULL OR v.in_force_until > a.date)""",
    "overlap": """
SELECT a.organization AS organization_a, b.organization AS organization_b, a.member,
       e.name AS member_name, a.role AS role_a, b.role AS role_b,
       CASE WHEN a.in_force_from IS NULL THEN b.in_force_from
            WHEN b.in_force_from IS NULL OR a.in_force_from > b.in_force_from
            THEN a.in_force_from ELSE b.in_force_from END AS in_force_from,
       CASE WHEN a.in_force_until IS NULL THEN b.in_force_until
            WHEN b.in_force_until IS NULL OR a.in_force_until < b.in_force_until
            THEN a.in_force_until ELSE b.in_force_until END AS in_force_until
FROM memberships AS a
JOIN memberships AS b ON a.member = b.member AND a.organization <> b.organization
JOIN entities AS e ON e.slug = a.member
WHERE a.rank <> 'deprecated' AND b.rank <> 'deprecated'""",
}

# Example queries for the /data/ page and the README (:date is a day, YYYY-MM-DD).
EXAMPLES = [
    ("Members, observers and partners of the SCO on the article's date",
     "SELECT member_name, role, start FROM members_on\n"
     "WHERE organization = 'sco'\n"
     "  AND (in_force_from IS NULL OR in_force_from <= '2008-09-05')\n"
     "  AND (in_force_until IS NULL OR in_force_until > '2008-09-05')\n"
     "ORDER BY role, member_name"),
    ("States in both the SCO and the CSTO on 5 September 2008",
     "SELECT member_name, role_a, role_b FROM overlap\n"
     "WHERE organization_a = 'sco' AND organization_b = 'csto'\n"
     "  AND (in_force_from IS NULL OR in_force_from <= '2008-09-05')\n"
     "  AND (in_force_until IS NULL OR in_force_until > '2008-09-05')\n"
     "ORDER BY member_name"),
    ("Paragraphs that mention recognition (full-text search)",
     "SELECT p.document, p.paragraph, snippet(paragraphs_fts, 0, '[', ']', '…', 12) AS match\n"
     "FROM paragraphs_fts JOIN paragraphs AS p ON p.rowid = paragraphs_fts.rowid\n"
     "WHERE paragraphs_fts MATCH 'recognition OR recognise'\nORDER BY rank"),
    ("Entities mentioned most often",
     "SELECT entity, count(*) AS mentions FROM mentions\n"
     "GROUP BY entity ORDER BY mentions DESC, entity LIMIT 10"),
]


def _tables(data: BuildData) -> dict[str, tuple[list[dict], dict]]:
    """Each table's rows (in a fixed order) and its sqlite-utils options."""
    registry = data.registry
    entities = sorted(registry.entities.values(), key=lambda e: e.slug)
    fk_entity = ("entities", "slug")
    tables = {}
    tables["entities"] = ([{
        "slug": e.slug, "name": e.name, "type": e.type, "url": data.url(data.pages[e.slug].url),
        "summary": e.summary, "wikidata": e.wikidata, "iso3166": e.facts.get("iso3166"),
        "founded": iso(e.founded), "dissolved": iso(e.dissolved)} for e in entities],
        {"pk": "slug", "not_null": {"name", "type"}})
    tables["aliases"] = ([{"entity": e.slug, "alias": a} for e in entities
                          for a in dict.fromkeys(e.aliases)],
                         {"pk": ("entity", "alias"), "foreign_keys": [("entity", *fk_entity)]})
    # Only the `source` strings of the registry: a bibliography of references is not modelled
    # yet, so an entity's `references:` lines are kept as text.
    tables["entity_references"] = ([{"entity": e.slug, "position": i, "reference": text}
                                    for e in entities for i, text in enumerate(e.references)],
                                   {"pk": ("entity", "position"),
                                    "foreign_keys": [("entity", *fk_entity)]})
    tables["memberships"] = ([{
        "id": membership_id(m),
        "organization": m.organization, "member": m.member, "role": m.role,
        "start": iso(m.start), "end": iso(m.end), "in_force_from": in_force_from(m.start),
        "in_force_until": in_force_until(m.end), "note": m.note, "basis": m.basis,
        "source": m.source, **row_bounds(m), "rank": m.rank}
        for m in sorted(registry.memberships, key=lambda m: (
            m.organization, m.member, m.start.sort_key() if m.start else (), m.role))],
        {"pk": "id", "foreign_keys": [("organization", *fk_entity), ("member", *fk_entity),
                                      ("basis", *fk_entity)]})
    tables["positions"] = ([{
        "id": position_id(p),
        "person": p.person, "office": p.office, "organization": p.organization,
        "country": p.country, "start": iso(p.start), "end": iso(p.end),
        "in_force_from": in_force_from(p.start), "in_force_until": in_force_until(p.end),
        "note": p.note, "source": p.source, **row_bounds(p), "rank": p.rank}
        for p in sorted(registry.positions, key=lambda p: (
            p.person, p.start.sort_key() if p.start else (), p.office))],
        {"pk": "id", "foreign_keys": [("person", *fk_entity), ("organization", *fk_entity),
                                      ("country", *fk_entity)]})
    tables["recognitions"] = ([{
        "id": recognition_id(r),
        "territory": r.territory, "by": r.by, "date": iso(r.date),
        "withdrawn": iso(r.withdrawn), "in_force_from": in_force_from(r.date),
        "in_force_until": in_force_until(r.withdrawn), "note": r.note, "source": r.source,
        **row_bounds(r), "rank": r.rank}
        for r in sorted(registry.recognitions, key=lambda r: (
            r.territory, r.date.sort_key() if r.date else (), r.by))],
        {"pk": "id", "foreign_keys": [("territory", *fk_entity), ("by", *fk_entity)]})
    tables["documents"] = ([{
        "id": d.key, "kind": d.kind, "slug": d.slug, "title": d.title, "path": d.path,
        "url": data.url(d.url), "date": d.date.isoformat() if d.date else None,
        "author": d.author, "outlet": d.outlet, "summary": d.summary}
        for d in sorted(data.documents, key=lambda d: d.key)], {"pk": "id"})
    tables["paragraphs"] = ([{
        "document": d.key, "paragraph": f"p-{n}", "number": n, "text": text}
        for d in sorted(data.documents, key=lambda d: d.key)
        for n, text in sorted(d.paragraphs.items())],
        {"pk": ("document", "paragraph"), "foreign_keys": [("document", "documents", "id")]})
    tables["mentions"] = ([{
        "document": m.document, "paragraph": m.paragraph, "entity": m.entity, "text": m.text}
        for m in data.mentions],
        {"foreign_keys": [("document", "documents", "id"), ("entity", *fk_entity)]})
    tables["as_of_dates"] = ([{"date": a.date.last_day.isoformat(), "label": a.label,
                               "key": a.key} for a in data.views.as_of], {"pk": "key"})
    return tables


COLUMN_TYPES = {"year": int, "number": int, "position": int}


def build_database(data: BuildData, path: Path) -> sqlite_utils.Database:
    """The database, built at `path` (nothing in it needs to be durable: no journal)."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    for name, (rows, options) in _tables(data).items():
        columns = {key: COLUMN_TYPES.get(key, str) for key in (rows[0] if rows else {})}
        table = db[name]
        if not rows:  # an empty table still gets its columns, so the views still work
            columns = _EMPTY_COLUMNS[name]
        table.create(columns, pk=options.get("pk"), not_null=options.get("not_null"),
                     foreign_keys=options.get("foreign_keys"))
        table.insert_all(rows)
    db["paragraphs"].enable_fts(["text"], tokenize="unicode61", create_triggers=False)
    db["paragraphs"].populate_fts(["text"])
    for column in ("organization", "member"):
        db["memberships"].create_index([column])
    db["mentions"].create_index(["entity"])
    db["mentions"].create_index(["document", "paragraph"])
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
    return db


_BOUNDS = {name: str for name in (*BOUND_COLUMNS, "rank")}
_EMPTY_COLUMNS = {
    "aliases": {"entity": str, "alias": str},
    "entity_references": {"entity": str, "position": int, "reference": str},
    "memberships": {"id": str, "organization": str, "member": str, "role": str, "start": str,
                    "end": str, "in_force_from": str, "in_force_until": str, "note": str,
                    "basis": str, "source": str, **_BOUNDS},
    "positions": {"id": str, "person": str, "office": str, "organization": str,
                  "country": str, "start": str, "end": str, "in_force_from": str,
                  "in_force_until": str, "note": str, "source": str, **_BOUNDS},
    "recognitions": {"id": str, "territory": str, "by": str, "date": str, "withdrawn": str,
                     "in_force_from": str, "in_force_until": str, "note": str, "source": str,
                     **_BOUNDS},
    "documents": {"id": str, "kind": str, "slug": str, "title": str, "path": str, "url": str,
                  "date": str, "author": str, "outlet": str, "summary": str},
    "paragraphs": {"document": str, "paragraph": str, "number": int, "text": str},
    "mentions": {"document": str, "paragraph": str, "entity": str, "text": str},
    "entities": {"slug": str, "name": str, "type": str, "url": str, "summary": str,
                 "wikidata": str, "iso3166": str, "founded": str, "dissolved": str},
    "as_of_dates": {"date": str, "label": str, "key": str},
}


def write_database(data: BuildData, path: str | Path) -> None:
    """Build in a scratch file outside the output folder, then VACUUM INTO a fresh file (a
    compact, byte-stable copy). A scratch file rather than memory: SQLite then keeps only its
    page cache in memory, however large the database."""
    path = Path(path)
    if path.exists():
        os.remove(path)  # VACUUM INTO refuses to overwrite
    with tempfile.TemporaryDirectory(prefix="research-db-") as scratch:
        db = build_database(data, Path(scratch) / "build.db")
        db.conn.execute("VACUUM INTO ?", [str(path)])
        db.conn.close()

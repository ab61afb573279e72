"""The registry as data: /data/*.json and CSV twins (contract in docs/architecture.md).

Rows are sorted and keys ordered so that two builds of the same content are byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..model.registry import Registry
from .formats.common import BOUND_COLUMNS, row_bounds

ENTITY_COLUMNS = ["slug", "name", "type", "url", "aliases"]
# `refs`: the row's citations as written (reference keys, `slug#p-n`, with ", locator");
# `citation`: the same formatted (Chicago author-date: "CSTO 2002, art. 16"). The entries
# themselves are in /data/references.json. Then the dates' day bounds (the dates themselves
# are written as EDTF) and the row's rank (SPEC §3).
MEMBERSHIP_COLUMNS = ["organization", "member", "role", "start", "end", "basis", "refs",
                      "citation",
                      *BOUND_COLUMNS, "rank"]
POSITION_COLUMNS = ["person", "office", "organization", "country", "start", "end", "refs",
                    "citation", *BOUND_COLUMNS, "rank"]
RECOGNITION_COLUMNS = ["territory", "by", "date", "withdrawn", "refs", "citation",
                       *BOUND_COLUMNS, "rank"]
TABLES = ("entities", "memberships", "positions", "recognitions")
REFERENCES = "data/references.json"
# Every file write_exports writes, claimed before any output (written.py).
PATHS = tuple(f"data/{name}.{kind}" for name in TABLES for kind in ("json", "csv")) + \
    (REFERENCES,)
# A cell starting with one of these is read as a formula by spreadsheets (OWASP, "CSV
# Injection"): `=HYPERLINK(...)` in a name would run when the file is opened.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(date):
    return date.iso() if date else None


def entity_rows(registry: Registry, siteurl: str, pages: dict) -> list[dict]:
    prefix = siteurl.rstrip("/") + "/" if siteurl else ""
    return [{"slug": e.slug, "name": e.name, "type": e.type, "url": prefix + pages[e.slug].url,
             "aliases": list(e.aliases)}
            for e in sorted(registry.entities.values(), key=lambda e: e.slug)]


class Citer:
    """A row's `refs:` as the exports write them: as written, and formatted."""

    def __init__(self, bibliography=None, cite=None) -> None:
        self.bibliography = bibliography
        self.cite = cite

    def written(self, row) -> list[str]:
        return [c.written() for c in row.refs]

    def formatted(self, row) -> str:
        from ..link.cite_resolve import label

        parts = []
        for c in row.refs:
            document = self.cite.documents.get(c.key) if (self.cite is not None
                                                          and c.is_paragraph) else None
            if document is not None:
                parts.append(label(document, c.paragraph))
            elif not c.is_paragraph and self.bibliography is not None \
                    and c.key in self.bibliography:
                parts.append(self.bibliography.citation_text(c))
            else:
                parts.append(c.written())
        return "; ".join(parts)

    def columns(self, row) -> dict:
        return {"refs": self.written(row), "citation": self.formatted(row)}


def membership_rows(registry: Registry, citer: Citer | None = None) -> list[dict]:
    citer = citer or Citer()
    rows = [{"organization": m.organization, "member": m.member, "role": m.role,
             "start": _iso(m.start), "end": _iso(m.end), "basis": m.basis,
             **citer.columns(m), **row_bounds(m), "rank": m.rank}
            for m in registry.memberships]
    return sorted(rows, key=lambda r: (r["organization"], r["member"], r["start"] or "",
                                       r["role"]))


def position_rows(registry: Registry, citer: Citer | None = None) -> list[dict]:
    citer = citer or Citer()
    rows = [{"person": p.person, "office": p.office, "organization": p.organization,
             "country": p.country, "start": _iso(p.start), "end": _iso(p.end),
             **citer.columns(p), **row_bounds(p), "rank": p.rank} for p in registry.positions]
    return sorted(rows, key=lambda r: (r["person"], r["start"] or "", r["office"]))


def recognition_rows(registry: Registry, citer: Citer | None = None) -> list[dict]:
    citer = citer or Citer()
    rows = [{"territory": r.territory, "by": r.by, "date": _iso(r.date),
             "withdrawn": _iso(r.withdrawn), **citer.columns(r), **row_bounds(r),
             "rank": r.rank} for r in registry.recognitions]
    return sorted(rows, key=lambda r: (r["territory"], r["date"] or "", r["by"]))


def csv_cell(value) -> str:
    """A value as a CSV cell: lists joined with `|`, None empty, and a cell that a spreadsheet
    would run as a formula prefixed with `'`, as OWASP advises, so it is shown as text."""
    text = "|".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def reference_rows(bibliography) -> list[dict]:
    """The bibliography as CSL-JSON items (dates as date-parts), with our `kind`,
    `archive_url` and `archive_date`, and `formatted`: the entry as the site prints it."""
    if bibliography is None:
        return []
    return [{**ref.csl(), "formatted": bibliography.entry_text(ref.key)}
            for ref in bibliography.references.values()]


def write_exports(registry: Registry, output: str | Path, pages: dict, siteurl: str = "",
                  bibliography=None, cite=None) -> list[str]:
    """Write every export under output/data/; returns the paths written (relative). `pages`:
    each entity's page by slug (the build state's)."""
    folder = Path(output) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    citer = Citer(bibliography, cite)
    tables = {
        "entities": (entity_rows(registry, siteurl, pages), ENTITY_COLUMNS),
        "memberships": (membership_rows(registry, citer), MEMBERSHIP_COLUMNS),
        "positions": (position_rows(registry, citer), POSITION_COLUMNS),
        "recognitions": (recognition_rows(registry, citer), RECOGNITION_COLUMNS),
    }
    written = []
    for name, (rows, columns) in tables.items():
        (folder / f"{name}.json").write_text(
            json.dumps({name: rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (folder / f"{name}.csv").write_text(_csv(rows, columns), encoding="utf-8")
        written += [f"data/{name}.json", f"data/{name}.csv"]
    (Path(output) / REFERENCES).write_text(json.dumps(
        {"references": reference_rows(bibliography)}, ensure_ascii=False, indent=1,
        sort_keys=False) + "\n", encoding="utf-8")
    return written + [REFERENCES]

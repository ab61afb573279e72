"""/data/datapackage.json: a Frictionless data package describing every CSV export (fields,
types, keys, licence), and the catalogue of all exports the /data/ page and its schema.org
`Dataset` JSON-LD are made from.

Dates keep their precision (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), which Table Schema's `date`
type cannot hold, so they are strings with a pattern. The relation tables have no primary key:
the CSV contract (exports.py) gives rows no id, and the natural key includes `start`, which
may be empty (Table Schema forbids empty key fields); site.db and the FtM file give every row
an id.
"""

from __future__ import annotations

import json

from . import panel
from ...core import types

PARTIAL_DATE = {"pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
ENTITY_TYPES = list(types.DEFAULT.entity_names)  # core/types.py


def _field(name, description, type_="string", required=False, **constraints):
    field = {"name": name, "type": type_, "description": description}
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _date(name, description, required=False):
    return _field(name, description, required=required, **PARTIAL_DATE)


def _entity_key(*fields):
    return [{"fields": field, "reference": {"resource": "entities", "fields": "slug"}}
            for field in fields]


CSV_RESOURCES = [
    {"name": "entities", "path": "entities.csv",
     "description": "Every organization, person, country and territory of the site.",
     "schema": {"fields": [
         _field("slug", "Stable identifier; the entity's page is under it.", required=True,
                pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
         _field("name", "Name.", required=True),
         _field("type", "Kind of entity.", required=True, enum=ENTITY_TYPES),
         _field("url", "The entity's page (relative to the site's root in a local build)."),
         _field("aliases", "Other names, joined with |."),
     ], "primaryKey": ["slug"]}},
    {"name": "memberships", "path": "memberships.csv",
     "description": "Who belonged to which organization, in what role, from when to when.",
     "schema": {"fields": [
         _field("organization", "Slug of the organization.", required=True),
         _field("member", "Slug of the member (a country, territory or organization).",
                required=True),
         _field("role", "Role as written (member, observer, dialogue partner, partner...); "
                "'former' is never a role, it follows from end.", required=True),
         _date("start", "Start, at the precision known; empty if unknown."),
         _date("end", "End, at the precision known; empty while the row is in force."),
         _field("source", "Where the row comes from.", required=True),
     ], "foreignKeys": _entity_key("organization", "member")}},
    {"name": "positions", "path": "positions.csv",
     "description": "Offices people held, in an organization or a country.",
     "schema": {"fields": [
         _field("person", "Slug of the person.", required=True),
         _field("office", "The office, as written.", required=True),
         _field("organization", "Slug of the organization the office is in, if any."),
         _field("country", "Slug of the country the office is of, if any."),
         _date("start", "Start, at the precision known."),
         _date("end", "End; empty while the office is held."),
         _field("source", "Where the row comes from.", required=True),
     ], "foreignKeys": _entity_key("person", "organization", "country")}},
    {"name": "recognitions", "path": "recognitions.csv",
     "description": "Recognitions of territories by states, and their withdrawal.",
     "schema": {"fields": [
         _field("territory", "Slug of the territory.", required=True),
         _field("by", "Slug of the recognising country.", required=True),
         _date("date", "Date of recognition, at the precision known."),
         _date("withdrawn", "Date the recognition was withdrawn; empty if it stands."),
         _field("source", "Where the row comes from.", required=True),
     ], "foreignKeys": _entity_key("territory", "by")}},
    {"name": "membership-panel", "path": "membership-panel.csv",
     "description": "State × organization × year status (member, observer, partner, none) "
                    f"from {panel.FIRST_YEAR} to the build year, derived from the membership "
                    "rows; compare the Correlates of War IGO data (see the README).",
     "schema": {"fields": [
         _field("state", "Slug of the country or territory.", required=True),
         _field("organization", "Slug of the organization.", required=True),
         _field("year", "Calendar year.", "integer", required=True),
         _field("status", "Strongest status held on some day of the year.", required=True,
                enum=["member", "observer", "partner", "none"]),
         _field("roles", "The roles behind the status, as written, joined with |."),
     ], "primaryKey": ["state", "organization", "year"],
        "foreignKeys": _entity_key("state", "organization")}},
    {"name": "redirects", "path": "redirects.csv",
     "description": "Where the former slug of a renamed entity, source or briefing note went, "
                    "and the old and new addresses (written by redirects.py).",
     "schema": {"fields": [
         _field("from", "The former slug.", required=True),
         _field("to", "The slug it was renamed to.", required=True),
         _field("type", "What was renamed: an entity type, source or briefing.",
                required=True),
         _field("from_url", "The old address, which now redirects.", required=True),
         _field("to_url", "The new address.", required=True),
     ], "primaryKey": ["type", "from"]}},
]

# The other exports, for the /data/ page (Frictionless describes tables only).
OTHER_FILES = [
    ("entities.json", "application/json", "The entities as JSON (same rows as entities.csv)."),
    ("memberships.json", "application/json", "The memberships as JSON."),
    ("positions.json", "application/json", "The offices as JSON."),
    ("recognitions.json", "application/json", "The recognitions as JSON."),
    ("redirects.json", "application/json", "The redirects of renamed pages as JSON."),
    ("entities.ftm.json", "application/json",
     "FollowTheMoney entities, one a line (for Aleph, ftm, yente): people, organizations, "
     "states, territories, memberships, offices, recognitions and the documents with the "
     "entities they mention."),
    ("site.db", "application/vnd.sqlite3",
     "SQLite database: entities, aliases, memberships with date bounds, offices, "
     "recognitions, documents, paragraph texts with full-text search, mentions, and views "
     "for members on a date and the overlap of two organizations."),
    ("network.gexf", "application/gexf+xml",
     "The entity network for Gephi, with dated edges (spells) for its timeline."),
    ("datapackage.json", "application/json",
     "This list of CSV files as a Frictionless data package (fields, types, keys)."),
]


def datapackage(license_: dict, sitename: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "research-site-registry",
        "title": f"{sitename}: entity registry",
        "description": "The site's entities and their dated memberships, offices and "
                       "recognitions, as CSV; one row per fact, every row with its source.",
        "licenses": [license_],
        "resources": [{**resource, "profile": "tabular-data-resource", "format": "csv",
                       "mediatype": "text/csv", "encoding": "utf-8"}
                      for resource in CSV_RESOURCES],
    }


def datapackage_text(license_: dict, sitename: str) -> str:
    return json.dumps(datapackage(license_, sitename), ensure_ascii=False, indent=1,
                      sort_keys=True) + "\n"


def catalogue() -> list[dict]:
    """Every file under /data/, for the /data/ page: name, media type, description."""
    files = [{"path": r["path"], "format": "text/csv", "description": r["description"]}
             for r in CSV_RESOURCES]
    files += [{"path": path, "format": media, "description": text}
              for path, media, text in OTHER_FILES]
    return sorted(files, key=lambda f: f["path"])


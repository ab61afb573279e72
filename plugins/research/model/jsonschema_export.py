"""JSON Schema for every kind of content file, generated from the build's own contract.

`python -m research.model.jsonschema_export` writes `docs/schemas/<kind>.schema.json` from the
schemas in contract.py, so the editor's red squiggles and the build cannot disagree about
which fields exist, which are required and what a value must look like; tests fail when the
files in docs/schemas/ are stale (tests/test_contract.py). JSON Schema sees what a YAML
editor sees: dates as strings, an empty value as null.

What JSON Schema cannot say is left to the build: that a date exists (30 February), slugs
that name other files, the checks across fields (end before start) and across files.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core import contract
from ..core.contract import Field, Schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://research-site.invalid/schemas/"  # a name, not an address to fetch
_SLUG = {"type": "string", "pattern": contract.SLUG.pattern}
_TEXT = {"type": "string", "pattern": r"\S"}
# Plain dates exactly; EDTF only by its characters (the build parses it and says what is wrong).
_PARTIAL_DATE = {"anyOf": [
    {"type": "string", "pattern": r"^\s*[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"
                                  r"\s*$"},
    {"type": "string",
     "pattern": r"^\s*[\[{]?(\.\.)?/?[?~%]?[0-9X]{4}[0-9X?~%\[\]{},./ -]*\s*$"},
    {"type": "integer", "minimum": 1, "maximum": 9999}]}
_REF = {"anyOf": [dict(_TEXT), {"type": "object", "required": ["key"],
                                "properties": {"key": dict(_TEXT), "locator": {"type": "string"},
                                               "quote": {"type": "string"}}}]}
_DAY = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
_ZONE = r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"


def _one_or_list(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _value(field: Field) -> dict:
    kind = field.kind
    if kind == "text":
        return dict(_TEXT)
    if kind == "name":
        return {"type": "string", "pattern": r"[0-9A-Za-z\u00c0-\uffff]"}
    if kind == "slug":
        return dict(_SLUG)
    if kind == "slugs":
        return _one_or_list(_SLUG)
    if kind == "texts":
        return _one_or_list(_TEXT)
    if kind == "tags":
        return _one_or_list({"type": "string"})
    if kind == "partial-date":
        return json.loads(json.dumps(_PARTIAL_DATE))
    if kind == "refs":
        return _one_or_list(json.loads(json.dumps(_REF)))
    if kind == "document-date":
        return {"type": "string", "pattern": rf"^\s*{_DAY}([T ]{_TIME}{_ZONE}?)?\s*$"}
    if kind == "document-datetime":
        return {"type": "string", "pattern": rf"^\s*{_DAY}[T ]{_TIME}{_ZONE}\s*$"}
    if kind == "qid":
        return {"type": "string", "pattern": contract.QID.pattern}
    if kind == "iso3166":
        return {"type": "string", "pattern": contract.ISO3166.pattern}
    if kind == "choice":
        return {"enum": list(field.choices)}
    if kind == "paragraph":
        return {"anyOf": [{"type": "integer", "minimum": 1},
                          {"type": "string", "pattern": r"^\s*(p-)?[1-9][0-9]*\s*$"}]}
    if kind == "rows":
        return {"type": "array", "items": object_schema(field.rows)}
    if kind == "pelican":
        return {}
    if kind == "refs":
        cite = {"anyOf": [_TEXT, {"type": "object", "required": ["key"],
                                  "additionalProperties": False,
                                  "properties": {"key": _TEXT, "locator": {"type": "string"},
                                                 "quote": _TEXT}}]}
        return {"type": "array", "items": cite}
    if kind == "keys":
        return _one_or_list(dict(_SLUG))
    if kind == "names":
        part = {"type": "string", "pattern": r"\S"}
        return {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
            "properties": {name: part for name in sorted(contract.NAME_PARTS)}}}
    if kind == "csl-text":
        return {"anyOf": [_TEXT, {"type": "integer"}]}
    if kind == "web-address":
        return {"type": "string", "pattern": r"^https?://[^\s/]+\S*$"}
    raise ValueError(f"no JSON Schema for the kind {kind!r}")  # a new kind needs a line here


def _property(field: Field) -> dict:
    value = _value(field)
    if not field.required:  # the build reads an empty value (`end:`) as "not given"
        value = {"anyOf": [value, {"type": "null"}, {"const": ""}]} if value else {}
    return {"description": field.doc, **value}


def object_schema(schema: Schema) -> dict:
    fields = [f for f in schema.fields if not f.internal]
    return {
        "type": "object",
        "description": schema.doc,
        "properties": {f.name: _property(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def document_schema(name: str, schema: Schema) -> dict:
    return {"$schema": DRAFT, "$id": f"{BASE_ID}{name}.schema.json",
            "title": f"Front-matter of a {schema.name}", **object_schema(schema)}


def entity_schema() -> dict:
    """Every entity type in one schema, chosen by `type` (territories live beside countries,
    so a folder cannot decide)."""
    defs = {kind: object_schema(schema) for kind, schema in contract.ENTITY_BY_TYPE.items()}
    return {
        "$schema": DRAFT, "$id": f"{BASE_ID}entity.schema.json",
        "title": "Front-matter of an entity (organization, person, country, territory or treaty)",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(contract.ENTITY_TYPES)}},
        "allOf": [{"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                   "then": {"$ref": f"#/$defs/{kind}"}} for kind in defs],
        "$defs": defs,
    }


def all_schemas() -> dict[str, dict]:
    """File name -> schema, for every kind of content file."""
    schemas = {f"{name}.schema.json": document_schema(name, schema)
               for name, schema in contract.DOCUMENT_SCHEMAS.items()}
    schemas["entity.schema.json"] = entity_schema()
    schemas["references.schema.json"] = {
        "$schema": DRAFT, "$id": f"{BASE_ID}references.schema.json",
        "title": "A file of references: content/references/<group>.yaml",
        "type": "array", "items": object_schema(contract.REFERENCE)}
    return schemas


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m research.model.jsonschema_export",
                                     description="Write the editor schemas (docs/schemas/).")
    parser.add_argument("folder", nargs="?", default="docs/schemas")
    parser.add_argument("--check", action="store_true",
                        help="only report whether the files are up to date")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    stale = []
    for name, schema in all_schemas().items():
        path = folder / name
        text = render(schema)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'out of date' if args.check else 'written'}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())

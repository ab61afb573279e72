"""The type tables: what kinds of entity, document, relation and role the site has.

Each kind is declared once here; every other module looks it up (`types.of(settings)` or the
registry's `types`) instead of spelling out its own table of types. Today's values are the
defaults; a site adds or changes one in its settings, merged over the defaults:

    ENTITY_TYPES = {"treaty": {"folder": "agreements"}}          # change a field
    ENTITY_TYPES = {"company": {"label": "company", "plural": "Companies", ...}}  # add a type
    DOCUMENT_KINDS = {"briefing": {"category": "notes"}}

See docs/architecture.md, "Adding an entity type", for the files a new type needs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from . import contract
from .errors import ContentError, Problem


@dataclass(frozen=True)
class EntityType:
    name: str  # the value of `type:` in front-matter
    folder: str  # URL folder of its pages and index ("organizations")
    label: str  # what one is called in running text ("organization")
    plural: str  # the index's title and the kicker ("Organizations")
    class_name: str  # the Pelican content class: <CLASS_NAME>_URL settings ("ORGANIZATION_URL")
    template: str  # the page template (theme/templates/<template>.html)
    schema: contract.Schema  # its front-matter (core/contract.py)
    jsonld: str  # schema.org @type
    shape: str  # node shape in /network/ (render/network.py SHAPES); colour: .node-<name> in site.css
    noun: str = ""  # how lists on the home page name it ("state" for a country); default label
    index: str = "az"  # the index's layout: az, groups (ORGANIZATION_GROUPS), countries (COUNTRY_INDEX)
    state: bool = False  # a state: a row of the membership panel, coloured on maps
    ftm: str | None = None  # FollowTheMoney schema (export/formats/ftm.py); None: not exported
    url: str = "{folder}/{{slug}}/"  # URL pattern ({folder} is filled in, {slug} by Pelican)
    save_as: str = "{folder}/{{slug}}/index.html"

    @property
    def page_url(self) -> str:
        return self.url.format(folder=self.folder)

    @property
    def page_save_as(self) -> str:
        return self.save_as.format(folder=self.folder)

    @property
    def word(self) -> str:
        return self.noun or self.label


@dataclass(frozen=True)
class DocumentKind:
    name: str  # "source", "briefing": the export type, the schema's name
    category: str  # its content folder and Pelican category ("sources")
    label: str  # "source"
    plural: str  # "Sources"
    schema: contract.Schema
    jsonld: str  # schema.org @type
    citation_label: str  # "author-year" ("Goodenough 2008, ¶ 7") or "title" ("Title, ¶ 7")
    numbered_paragraphs: bool = True  # paragraphs carry persistent ids {#p-n}
    strict_paragraphs: bool = False  # a paragraph without an id is an error
    publication_event: bool = False  # its publication is an event on /timeline/


@dataclass(frozen=True)
class RelationKind:
    """A dated relation, written as rows in one entity's file (`field`), between the entity
    holding the rows (`holder`, of `holder_type`) and the entity each row names (`other`)."""

    name: str  # "membership"
    field: str  # the rows' field in the holder's file ("members")
    holder_type: str
    holder: str  # the row's attribute naming the holder ("organization")
    other: str  # the row's attribute naming the other end ("member")
    other_types: tuple[str, ...]
    label: str  # "Memberships" (network's text equivalent, data page)
    unit: tuple[str, str]  # ("period", "periods")


# -- roles -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Role:
    """A membership role and its class: `member` (full membership), `observer`, `partner`
    (a tie short of membership) or `other`. Tables, maps, the timeline bars and the exports
    all classify a row by this, and only this."""

    name: str
    role_class: str


ROLE_CLASSES = ("member", "observer", "partner", "other")  # strongest first
DEFAULT_ROLES = (
    Role("member", "member"), Role("full member", "member"), Role("founding member", "member"),
    Role("observer", "observer"),
    Role("dialogue partner", "partner"), Role("partner", "partner"),
    Role("associate", "partner"), Role("associate member", "partner"),
    Role("suspended", "other"), Role("suspended member", "other"),
)


# -- the defaults ----------------------------------------------------------------------------

_B = contract.ENTITY_BY_TYPE
DEFAULT_ENTITY_TYPES = (
    EntityType("organization", "organizations", "organization", "Organizations",
               "Organization", "organization", _B["organization"], "Organization", "square",
               index="groups", ftm="Organization"),
    EntityType("person", "people", "person", "People", "Person", "person", _B["person"],
               "Person", "triangle", ftm="Person"),
    EntityType("country", "countries", "country", "Countries", "Country", "country",
               _B["country"], "Country", "circle", noun="state", index="countries",
               state=True, ftm="PublicBody"),
    EntityType("territory", "territories", "territory", "Territories", "Territory",
               "territory", _B["territory"], "Place", "diamond", state=True, ftm="Territory"),
    EntityType("treaty", "treaties", "treaty", "Treaties", "Treaty", "treaty", _B["treaty"],
               "Legislation", "hexagon", noun="agreement", ftm="Contract"),
)
DEFAULT_DOCUMENT_KINDS = (
    DocumentKind("source", "sources", "source", "Sources", contract.SOURCE, "NewsArticle",
                 "author-year", strict_paragraphs=True, publication_event=True),
    DocumentKind("briefing", "briefings", "briefing", "Briefings", contract.BRIEFING,
                 "Article", "title"),
)
DEFAULT_RELATION_KINDS = (
    RelationKind("membership", "members", "organization", "organization", "member",
                 ("country", "organization", "territory"), "Memberships",
                 ("period", "periods")),
    RelationKind("position", "positions", "person", "person", "body",
                 ("organization", "country", "territory"), "Offices", ("office", "offices")),
    RelationKind("recognition", "recognitions", "territory", "territory", "by", ("country",),
                 "Recognitions", ("recognition", "recognitions")),
    RelationKind("party", "parties", "treaty", "treaty", "party",
                 ("country", "organization", "territory"), "Agreements",
                 ("agreement", "agreements")),
)


@dataclass(frozen=True)
class TypeTable:
    entities: dict[str, EntityType]
    documents: dict[str, DocumentKind]
    relations: dict[str, RelationKind]
    roles: dict[str, Role]  # by lower-case name

    @property
    def entity_names(self) -> tuple[str, ...]:
        return tuple(self.entities)

    def entity(self, name: str) -> EntityType | None:
        return self.entities.get(name)

    def document_by_category(self, category: str) -> DocumentKind | None:
        return next((k for k in self.documents.values() if k.category == category), None)

    @property
    def categories(self) -> dict[str, str]:
        """Content folder -> document kind ("sources" -> "source")."""
        return {k.category: k.name for k in self.documents.values()}

    def numbered_folders(self, strict: bool = False) -> list[str]:
        """The folders of the document kinds whose paragraphs carry ids (or must: `strict`);
        the defaults of PARAGRAPH_ID_PATHS and STRICT_PARAGRAPH_PATHS."""
        return [kind.category for kind in self.documents.values()
                if (kind.strict_paragraphs if strict else kind.numbered_paragraphs)]

    def of_type(self, *flags: str) -> tuple[str, ...]:
        """The names of the entity types with every attribute in `flags` true ("state")."""
        return tuple(t.name for t in self.entities.values()
                     if all(getattr(t, flag) for flag in flags))

    def schema(self, name: str) -> contract.Schema | None:
        """An entity type's front-matter schema, whose `type` field accepts this table's types."""
        kind = self.entities.get(name)
        if kind is None:
            return None
        return kind.schema.extended(kind.schema.name, kind.schema.doc, self.type_field)

    @property
    def type_field(self) -> contract.Field:
        return contract.F("type", "choice", "what the entity is", required=True,
                          choices=self.entity_names)

    @property
    def base_schema(self) -> contract.Schema:
        return contract.ENTITY_BASE.extended("entity", contract.ENTITY_BASE.doc,
                                             self.type_field)

    # -- roles --------------------------------------------------------------------------

    def role_class(self, role: str) -> str:
        """member, observer, partner or other: the one classifier of membership roles."""
        known = self.roles.get(role.strip().lower()) if isinstance(role, str) else None
        return known.role_class if known else "other"

    def is_full_member(self, role: str) -> bool:
        return self.role_class(role) == "member"

    @property
    def role_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles.values())


def _merge(defaults: tuple, overrides: Any, cls, setting: str, required: tuple[str, ...]):
    """Defaults by name, with each settings entry merged over its default (or added)."""
    table = {item.name: item for item in defaults}
    if overrides is None:
        return table
    if not isinstance(overrides, dict):
        raise ContentError(Problem("pelicanconf.py", f"must be a mapping of names to fields, "
                                   f"e.g. {{'treaty': {{'folder': 'agreements'}}}}",
                                   field=setting, code="settings.value"))
    names = {f.name for f in fields(cls)}
    problems = []
    for name, values in overrides.items():
        where = f"{setting}[{name!r}]"
        if not isinstance(values, dict):
            problems.append(Problem("pelicanconf.py", "must be a mapping of fields",
                                    field=where, code="settings.value"))
            continue
        unknown = sorted(set(values) - names)
        if unknown:
            problems.append(Problem("pelicanconf.py", f"unknown field(s) {', '.join(unknown)}; "
                                    f"known: {', '.join(sorted(names - {'name'}))}",
                                    field=where, code="settings.value"))
            continue
        values = dict(values)
        if isinstance(values.get("schema"), (list, tuple)):  # fields as (name, kind, doc)
            values["schema"] = contract.Schema(str(name), f"a {name}", (
                *contract.ENTITY_COMMON, *(contract.F(*f) for f in values["schema"])))
        if name in table:
            table[name] = replace(table[name], **values)
            continue
        missing = [key for key in required if key not in values]
        if missing:
            problems.append(Problem("pelicanconf.py", f"a new type needs {', '.join(missing)}",
                                    field=where, code="settings.value"))
            continue
        table[name] = cls(name=name, **values)
    if problems:
        raise ContentError(problems)
    return table


def build(settings: dict | None = None) -> TypeTable:
    """The type table of a site: the defaults, with ENTITY_TYPES, DOCUMENT_KINDS and ROLES
    from its settings merged over them. Pure: no Pelican, nothing cached between builds."""
    settings = settings or {}
    entities = _merge(DEFAULT_ENTITY_TYPES, settings.get("ENTITY_TYPES"), EntityType,
                      "ENTITY_TYPES", ("folder", "label", "plural", "class_name", "template",
                                       "schema", "jsonld", "shape"))
    documents = _merge(DEFAULT_DOCUMENT_KINDS, settings.get("DOCUMENT_KINDS"), DocumentKind,
                       "DOCUMENT_KINDS", ("category", "label", "plural", "schema", "jsonld",
                                          "citation_label"))
    roles = {r.name: r for r in DEFAULT_ROLES}
    extra = settings.get("ROLES") or {}
    if not isinstance(extra, dict) or any(c not in ROLE_CLASSES for c in extra.values()):
        raise ContentError(Problem("pelicanconf.py", "must map role names to one of "
                                   f"{', '.join(ROLE_CLASSES)}, e.g. {{'candidate': 'other'}}",
                                   field="ROLES", code="settings.value"))
    roles.update({str(k).lower(): Role(str(k).lower(), v) for k, v in extra.items()})
    return TypeTable(entities, documents, {r.name: r for r in DEFAULT_RELATION_KINDS}, roles)


DEFAULT = build()


_SETTINGS = ("ENTITY_TYPES", "DOCUMENT_KINDS", "ROLES")
_BUILT: dict[str, TypeTable] = {}  # by the settings' text: a table depends on nothing else


def of(settings: dict | None) -> TypeTable:
    """The table for these settings; the defaults' when the settings change nothing."""
    if not settings or not any(settings.get(key) for key in _SETTINGS):
        return DEFAULT
    key = repr([settings.get(key) for key in _SETTINGS])
    if key not in _BUILT:
        _BUILT[key] = build(settings)
    return _BUILT[key]

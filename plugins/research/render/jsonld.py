"""JSON-LD (schema.org) for every page: what the page is about, as linked data.

The builders are pure functions from content objects and the registry to plain dicts; one Jinja
global, `json_ld()` (installed on every generator's environment by `install`), picks the builder
for the page being rendered and serializes its dict into a `<script type="application/ld+json">`.

- a source is a `NewsArticle` (author `Person`, publisher `Organization` from `outlet`);
- a briefing note is an `Article` whose `isBasedOn` lists its `sources:` and whose `citation`
  lists the documents its `[@slug#p-n]` citations point at;
- a person is a `Person`: offices in an organization are `memberOf` → `Role`, offices of a
  country `hasOccupation` → `Role` (with `startDate` / `endDate`), current offices `jobTitle`;
- an organization is an `Organization` whose `member` → `Role` rows carry role and dates;
- a country is a `Country` whose `memberOf` → `Role` rows are its memberships;
- a territory is a `Place`.

URLs are built like the templates build links, `SITEURL + "/" + url`: absolute when SITEURL is
set, relative to the page otherwise (JSON-LD resolves relative URLs against the page). `sameAs`
comes only from a `wikidata:` id in front-matter. Output is `json.dumps(sort_keys=True)` with
`<`, `>` and `&` escaped, so no text can close the script element.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from jinja2 import pass_context
from markupsafe import Markup

from ..core import types
from ..core.state import TEMPLATE_NAME

CONTEXT = "https://schema.org"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}


# --- serialization ------------------------------------------------------------------------

def dumps(data: dict) -> str:
    """Deterministic JSON that is safe inside `<script>`: no `<`, `>` or `&` survive."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text


def script(data: dict | None) -> Markup:
    if not data:
        return Markup("")
    return Markup(f'<script type="application/ld+json">{dumps(data)}</script>')


# --- small helpers ------------------------------------------------------------------------

def _url(siteurl: str, path: str) -> str:
    return f"{siteurl}/{path}"


def _plain(html: str | None) -> str:
    """Text of an HTML fragment (summaries are rendered Markdown)."""
    return Markup(html or "").striptags()


def _date(value) -> str | None:
    return value.plain_iso() if value is not None else None  # schema.org takes ISO 8601 only


def _compact(data: dict) -> dict:
    """Drop keys whose value is None, "" or empty: absent is clearer than null in JSON-LD."""
    return {k: v for k, v in data.items() if v not in (None, "", [], (), {})}


def _same_as(entity) -> str | None:
    return f"https://www.wikidata.org/wiki/{entity.wikidata}" if entity.wikidata else None


def entity_ref(entity, siteurl: str, pages: dict, table=None) -> dict:
    """A short node for an entity named inside another node (`pages`: each entity's page by
    slug, the build state's)."""
    page = pages.get(entity.slug)
    return _compact({"@type": _entity_type(entity, table), "name": entity.name,
                     "url": _url(siteurl, page.url) if page is not None else None,
                     "sameAs": _same_as(entity)})


def _ref(registry, slug: str, siteurl: str, pages: dict) -> dict:
    entity = registry.entities.get(slug)
    return entity_ref(entity, siteurl, pages, registry.types) if entity else {"@type": "Thing", "name": slug}


def _name_ref(registry, name: str, kind: str, siteurl: str, pages: dict) -> dict:
    """A Person or Organization named in front-matter; linked when an entity has that name."""
    slug = registry.surface_forms.get(name) if registry is not None else None
    entity = registry.entities.get(slug) if slug else None
    if entity is not None and _entity_type(entity, registry.types) == kind:
        return entity_ref(entity, siteurl, pages, registry.types)
    return {"@type": kind, "name": name}


def _role(row, inner: str, target: dict, role_name: str) -> dict:
    return _compact({"@type": "Role", "roleName": role_name, inner: target,
                     "startDate": _date(row.start), "endDate": _date(row.end)})


def _by_start(rows: Iterable, name) -> list:
    return sorted(rows, key=lambda r: (name(r), r.start.sort_key() if r.start else (),
                                       getattr(r, "role", getattr(r, "office", ""))))


# --- documents ----------------------------------------------------------------------------

def _entity_type(entity, table=None) -> str:
    """The entity's schema.org type from the type table (a `Thing` if the type is unknown:
    the reader reports an unknown type, so this only guards against a traceback)."""
    table = table or types.DEFAULT
    kind = table.entity(entity.type)
    return kind.jsonld if kind else "Thing"


def _document_type(document, default: str) -> str:
    kind = types.of(getattr(document, "settings", None)).document_by_category(
        document.category.slug)
    return kind.jsonld if kind else default


def document_ref(document, siteurl: str) -> dict:
    kind = _document_type(document, "CreativeWork")
    return {"@type": kind, "headline": document.title, "url": _url(siteurl, document.url)}


def _ordered_documents(documents: Iterable) -> list:
    unique = {d.source_path: d for d in documents if d is not None}
    return sorted(unique.values(), key=lambda d: (d.date.isoformat(), d.title, d.source_path))


def document(article, siteurl: str, registry=None, cite=None, citations=(), mentions=(),
             pages=None) -> dict:
    """A source (NewsArticle) or a briefing note (Article). `pages`: each entity's page by
    slug (the build state's), for the entities it names."""
    pages = pages or {}
    kind = _document_type(article, "Article")
    author = getattr(article, "author", None)
    author_name = getattr(author, "name", author)
    # A source is written by a journalist; a briefing note by the research team, unless its
    # author is a person the site knows.
    default = "Person" if kind == "NewsArticle" and getattr(
        article, "author_kind", None) != "institution" else "Organization"
    author_node = None
    if author_name:
        author_node = _name_ref(registry, str(author_name), "Person", siteurl, pages)
        if author_node.get("url") is None:
            author_node = {"@type": default, "name": str(author_name)}
    outlet = getattr(article, "outlet", None)
    own = getattr(article, "source_path", None)
    cited = _ordered_documents(c.reference.document for c in citations
                               if getattr(c.reference.document, "source_path", own) != own)
    based_on = []
    if cite is not None:
        based_on = _ordered_documents(cite.documents.get(slug)
                                      for slug in _as_list(getattr(article, "sources", None)))
    mentioned = {m.slug for m in mentions}
    mentions = sorted((_ref(registry, slug, siteurl, pages) for slug in mentioned
                       if registry is not None and slug in registry.entities),
                      key=lambda node: (node.get("name", ""), node["@type"]))
    modified = getattr(article, "modified", None)
    return _compact({
        "@context": CONTEXT,
        "@type": kind,
        "headline": article.title,
        "description": _plain(getattr(article, "summary", "")),
        "author": author_node,
        "publisher": _name_ref(registry, outlet, "Organization", siteurl, pages) if outlet else None,
        "datePublished": article.date.isoformat(),
        "dateModified": modified.isoformat() if modified else None,
        "inLanguage": getattr(article, "lang", None),
        "url": _url(siteurl, article.url),
        "keywords": [tag.name for tag in getattr(article, "tags", ())],
        "isBasedOn": [document_ref(d, siteurl) for d in based_on],
        "citation": [document_ref(d, siteurl) for d in cited],
        "mentions": mentions,
    })


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


# --- entities -----------------------------------------------------------------------------

def entity(entity, registry, siteurl: str, pages: dict) -> dict:
    """A Person, Organization, Country or Place, with its dated relations as Roles
    (`pages`: each entity's page by slug, the build state's)."""
    def name(slug: str):
        other = registry.entities.get(slug)
        return other.name.casefold() if other else slug

    data = {
        "@context": CONTEXT,
        "@type": _entity_type(entity, registry.types),
        "name": entity.name,
        "alternateName": list(entity.aliases),
        "description": entity.summary,
        "url": _url(siteurl, pages[entity.slug].url) if entity.slug in pages else None,
        "sameAs": _same_as(entity),
    }
    if entity.type == "organization":
        rows = _by_start(registry.memberships_in(entity.slug), lambda m: name(m.member))
        data.update({
            "foundingDate": _date(entity.founded),
            "dissolutionDate": _date(entity.dissolved),
            "member": [_role(m, "member", _ref(registry, m.member, siteurl, pages), m.role)
                       for m in rows],
        })
    elif entity.type == "country":
        rows = _by_start(registry.memberships_of(entity.slug), lambda m: name(m.organization))
        data["memberOf"] = [_role(m, "memberOf", _ref(registry, m.organization, siteurl, pages),
                                  m.role) for m in rows]
    elif entity.type == "person":
        data.update(_person(entity, registry, siteurl, pages))
    elif entity.type == "territory":
        part_of = entity.facts.get("part_of")
        data["containedInPlace"] = _ref(registry, part_of, siteurl, pages) if part_of else None
    elif entity.type == "treaty":
        facts = entity.facts
        signed_at = facts.get("signed_at")
        data.update({
            "legislationType": facts.get("kind") or None,
            "legislationDate": _date(facts.get("signed")),
            "legislationLegalForce": "https://schema.org/InForce" if facts.get("in_force")
            else None,
            "locationCreated": {"@type": "Place", "name": signed_at} if signed_at else None,
            "legislationPassedBy": [_ref(registry, p.party, siteurl, pages) for p in sorted(
                entity.parties, key=lambda p: name(p.party))],
            "about": _ref(registry, facts["establishes"], siteurl, pages)
            if facts.get("establishes") else None,
        })
    return _compact(data)


def _person(person, registry, siteurl: str, pages: dict) -> dict:
    def body(p):
        return p.organization or p.country or ""

    rows = _by_start(person.positions, body)
    member_of, occupations = [], []
    for p in rows:
        if p.organization:
            member_of.append(_role(p, "memberOf", _ref(registry, p.organization, siteurl, pages),
                                   p.office))
        else:
            occupation = _compact({
                "@type": "Occupation", "name": p.office,
                "occupationLocation": _ref(registry, p.country, siteurl, pages) if p.country else None})
            occupations.append(_role(p, "hasOccupation", occupation, p.office))
    current = sorted({p.office for p in rows if p.end is None})
    nationality = person.facts.get("nationality")
    return {
        "birthDate": _date(person.facts.get("born")),
        "deathDate": _date(person.facts.get("died")),
        "nationality": _ref(registry, nationality, siteurl, pages) if nationality else None,
        "jobTitle": current[0] if len(current) == 1 else current,
        "memberOf": member_of,
        "hasOccupation": occupations,
    }


# --- site pages ---------------------------------------------------------------------------

def website(sitename: str, siteurl: str, description: str = "") -> dict:
    return _compact({"@context": CONTEXT, "@type": "WebSite", "name": sitename,
                     "description": description, "url": _url(siteurl, "")})


def webpage(sitename: str, siteurl: str, path: str) -> dict:
    """Any other page (indexes, tags, the timeline, the overlap matrix)."""
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return {"@context": CONTEXT, "@type": "WebPage", "url": _url(siteurl, path),
            "isPartOf": {"@type": "WebSite", "name": sitename, "url": _url(siteurl, "")}}


def for_page(context: dict) -> dict | None:
    """The JSON-LD of the page a template is rendering, from the template's context."""
    siteurl = context.get("SITEURL", "")
    builder = context.get("json_ld_builder")  # a page that describes itself (/data/)
    if builder is not None:
        return builder(siteurl)
    state = context.get(TEMPLATE_NAME)
    registry = getattr(state, "registry", None)
    subject = context.get("entity")
    if subject is not None and getattr(subject, "slug", None) and registry is not None:
        return entity(subject, registry, siteurl, state.pages)
    article = context.get("article")
    if article is not None:
        return document(article, siteurl, registry, getattr(state, "cite", None),
                        state.citations.get(id(article), ()) if state else (),
                        state.document_mentions.get(id(article), ()) if state else (),
                        state.pages if state else None)
    sitename = context.get("SITENAME", "")
    path = context.get("output_file") or ""
    if path == "index.html":
        return website(sitename, siteurl, context.get("SITESUBTITLE", ""))
    return webpage(sitename, siteurl, path)


# --- Jinja ---------------------------------------------------------------------------------

@pass_context
def json_ld(context) -> Markup:
    """`{{ json_ld() }}`: the script element for the page being rendered. The page's date
    is recorded in the build state on the way (`page_dates`: the sitemap's `<lastmod>`), so
    nothing reads it back out of the written page."""
    data = for_page(context)
    state = context.get(TEMPLATE_NAME)
    if state is not None and context.get("output_file"):
        state.page_dates[context["output_file"]] = page_date(data)
    return script(data)


def page_date(data) -> str | None:
    """The document date a page's JSON-LD declares (`dateModified`, else `datePublished`)."""
    for block in data if isinstance(data, list) else [data]:
        if isinstance(block, dict):
            date = block.get("dateModified") or block.get("datePublished")
            if date:
                return str(date)
    return None


def install(generator) -> None:
    """`generator_init` hook: make `{{ json_ld() }}` available to every template."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["json_ld"] = json_ld


def from_html(text: str) -> list[Any]:
    """Every JSON-LD block of a page, parsed (for the sitemap and the tests)."""
    return [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]

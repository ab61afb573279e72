"""/data/entities.ftm.json: the registry as FollowTheMoney entities, one JSON object a line
(the format Aleph, `ftm` and OpenSanctions' yente read).

Schemata, from FtM's model (followthemoney/schema/*.yaml):

- a person is a `Person`; an organization an `Organization`;
- a country is a `PublicBody`: `Membership.member` must be a LegalEntity, and a state that
  belongs to an organization acts as one (FtM's `Territory` is reference data, not a
  LegalEntity). Its `country` is its FtM country code;
- a territory is a `Territory` (with `country` = its own code, else the codes of the country
  it is part of and of its claimants), unless it holds a membership: then it acts as a
  legal person and is a `PublicBody` like a state;
- a membership is a `Membership` (member, organization, role, startDate, endDate; the row's
  `source` as `publisher`, its note as `description`, and `proof` when the source cites a
  paragraph of one of our documents);
- an office is a `Position` (the post: name and the body it is in, `organization` being the
  organization's or state's entity) held through an `Occupancy` (holder, post, dates);
- a recognition has no FtM schema: it is an `UnknownLink` with `role` "recognition",
  subject the recognising state, object the territory, startDate/endDate the recognition and
  its withdrawal;
- a treaty or other agreement is a `Contract`: FtM has no schema for treaties, and
  `Contract` ("a contract ... issued by an authority") is the one whose properties fit an
  agreement: `title`, `type` (our `kind`), `contractDate` (signed), `status` ("in force" is
  one of FtM's own examples). `Document` and its `Documentation` are for files (a MIME type,
  a size, a body text) and the evidence they give, and an `Event` has no status and is the
  signing, not the agreement. `Contract.authority` would read as the party that issued a
  procurement contract, so each party is an `UnknownLink` (subject the party, object the
  treaty, role "party"), and a treaty that `establishes` an organization an `UnknownLink`
  with role "establishes". FtM takes dates as ISO prefixes only: `contractDate` is the plain
  prefix of `signed` (common.plain_prefix), and a Contract has no date property for entry
  into force, so `in_force` (as written) is in `description`, as is an uncertain `signed`
  (EDTF) and the place of signing; `parties_note` is a second `notes`;
- a membership's `basis:` (the treaty it rests on) cannot be a link: a `Membership`'s entity
  properties are `member`, `organization` and `proof` (a `Document`), and no FtM link may
  start at an interval such as a Membership. It is in the Membership's `description` as
  "basis: <treaty id>", so nothing is lost;
- a source or briefing note is an `Article` (its numbered paragraphs as `bodyText`), and each
  entity it mentions (treaties too) a `Documentation` (document, entity, role "mentions",
  the paragraphs).

Country codes come from our `iso3166` field, checked against rigour's territory list (the
list FtM's `country` type accepts), or, without one, from rigour's Wikidata crosswalk of the
entity's `wikidata` id. Nothing is guessed from names.

Every value is added through the proxy and must come back unchanged: FtM's cleaning silently
drops or rewrites values it does not like (a date `1992?` becomes `1992`, a time zone is
converted away, `;` in an address becomes `,`), and a value the model would change is a
build error, not a quiet change of the data.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ...core.errors import ContentError, Problem
from .common import (BuildData, membership_id, plain_prefix, position_id, recognition_id,
                     relation_id)

_PARAGRAPH_SOURCE = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)#p-(\d+)$")


def country_code(entity) -> str | None:
    """The FtM country code of a country or territory, or None."""
    from rigour.territories import get_territory, get_territory_by_qid

    code = entity.facts.get("iso3166")
    if code:
        territory = get_territory(code.lower())
        return territory.code if territory is not None and territory.is_ftm else None
    if entity.wikidata:
        territory = get_territory_by_qid(entity.wikidata)
        return territory.code if territory is not None and territory.is_ftm else None
    return None


class _Writer:
    """Makes one proxy at a time; a finished proxy is kept only as its JSON line (at 3,000
    entities the proxies would hold some 25,000 entities in memory at once). The lines are
    kept until the end: a value FtM would change fails the build before anything is written."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.problems: list[Problem] = []
        self._current = None
        self._origin = ""

    def make(self, schema: str, entity_id: str, origin: str):
        from followthemoney import model  # (imported only when a line is made: 0.7 s)

        self._flush()
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        self._current, self._origin = proxy, origin
        return proxy

    def _flush(self) -> None:
        if self._current is not None:
            self.lines.append(json.dumps(self._current.to_dict(), ensure_ascii=False,
                                         sort_keys=True) + "\n")
            self._current = None

    def part(self) -> tuple[list[str], list[Problem]]:
        """The lines and problems so far, and a fresh start (one part of the file)."""
        self._flush()
        found = (self.lines, self.problems)
        self.lines, self.problems = [], []
        return found

    def put(self, proxy, prop: str, value) -> None:
        """Add `value`; it must survive FtM's cleaning unchanged."""
        if value is None or value == "":
            return
        proxy.add(prop, value, quiet=True)
        if value not in proxy.get(prop):
            self.problems.append(Problem(self._origin, f"FollowTheMoney changes the value "
                                         f"{value!r} of {proxy.schema.name}.{prop} to "
                                         f"{proxy.get(prop)!r}; write it in a form it keeps",
                                         field=prop, code="export.ftm-value"))


def _utc(date) -> str | None:
    if date is None:
        return None
    if isinstance(date, dt.datetime) and date.tzinfo is not None:
        date = date.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(date, dt.datetime):
        return date.strftime("%Y-%m-%dT%H:%M:%S")
    return date.isoformat()


def entity_lines(data: BuildData, memo=None) -> list[str]:
    """The file's lines: one entity each, keys sorted (byte-stable). Made in parts, each
    of which an incremental build keeps (`memo(name, key, compute)`, guard/reuse.memo; `key`
    None: made from the whole site, else a function giving what the part is made from):
    the registry's entities and rows (from the entity files and the documents' listing),
    one `Article` per document (from that document alone), the `Documentation` links
    (from the mention records); a body edit makes one `Article` again. Problems of every
    part are reported together, as one build error."""
    if memo is None:
        def memo(_name, _key, compute):
            return compute()
    documents = sorted(data.documents, key=lambda d: d.key)
    parts = [memo("ftm registry", None, lambda: _registry_part(data))]
    parts += [memo("ftm article", lambda document=document: _article_key(document, data),
                   lambda document=document: _article_part(document, data))
              for document in documents]
    parts.append(memo("ftm documentation", None, lambda: _documentation_part(data)))
    problems = [problem for _lines, found in parts for problem in found]
    if problems:
        raise ContentError(problems)
    return [line for lines, _found in parts for line in lines]


def _article_key(document, data: BuildData) -> tuple:
    """What one document's `Article` is made from: the Document record (its metadata as the
    exports gather it, and its paragraphs' texts) and the site's URL."""
    from ...cache.fingerprint import canon

    return (canon(document), data.siteurl)


def _registry_part(data: BuildData) -> tuple[list[str], list[Problem]]:
    registry = data.registry
    out = _Writer()
    members = {m.member for m in registry.memberships}
    codes = {slug: country_code(e) for slug, e in registry.entities.items()
             if e.type in registry.types.of_type("state")}
    documents = {d.slug: d for d in data.documents}

    def proof(row):
        """The first document of the site a row cites by paragraph (its `refs:`)."""
        for cite in row.refs:
            match = _PARAGRAPH_SOURCE.match(cite.written().strip())
            if match and match.group(1) in documents:
                return documents[match.group(1)].key
        return None

    # Types without an FtM schema (none by default; a site's own may have none) are not
    # exported; nothing may point to them.
    exported = {slug for slug, e in registry.entities.items()
                if registry.types.entities[e.type].ftm is not None}

    for slug in sorted(registry.entities):
        entity = registry.entities[slug]
        schema = registry.types.entities[entity.type].ftm
        if schema is None:
            continue
        if schema == "Territory" and slug in members:
            schema = "PublicBody"  # a territory that belongs to an organization acts as one
        proxy = out.make(schema, slug, entity.path)
        out.put(proxy, "name", entity.name)
        for alias in entity.aliases:
            out.put(proxy, "alias", alias)
        out.put(proxy, "summary", entity.summary)
        out.put(proxy, "notes", entity.note)
        out.put(proxy, "wikidataId", entity.wikidata)
        if data.siteurl:  # FtM URLs are absolute; a local build has only relative ones
            out.put(proxy, "sourceUrl", data.url(data.pages[slug].url))
        if entity.type == "person":
            out.put(proxy, "birthDate", plain_prefix(entity.facts.get("born")))
            out.put(proxy, "deathDate", plain_prefix(entity.facts.get("died")))
            out.put(proxy, "nationality", codes.get(entity.facts.get("nationality")))
        elif entity.type == "treaty":
            facts = entity.facts
            signed, in_force = facts.get("signed"), facts.get("in_force")
            out.put(proxy, "title", entity.name)
            out.put(proxy, "type", facts.get("kind"))
            out.put(proxy, "contractDate", plain_prefix(signed))
            if signed is not None and not signed.is_exact:
                out.put(proxy, "description", f"signed (EDTF): {signed.iso()}")
            out.put(proxy, "description", f"signed at {facts['signed_at']}"
                    if facts.get("signed_at") else None)
            if in_force is not None:
                out.put(proxy, "status", "in force")
                out.put(proxy, "description", f"in force: {in_force.iso()}")
            out.put(proxy, "notes", facts.get("parties_note"))
        elif entity.type == "organization":
            out.put(proxy, "legalForm", entity.facts.get("kind"))
            out.put(proxy, "incorporationDate", plain_prefix(entity.founded))
            out.put(proxy, "dissolutionDate", plain_prefix(entity.dissolved))
        else:
            own = codes.get(slug)
            related = [entity.facts.get("part_of"), *entity.facts.get("claimed_by", ())]
            for code in [own] if own else [codes.get(s) for s in related if s]:
                out.put(proxy, "country", code)
            if schema == "Territory":
                out.put(proxy, "territoryCode", own)
            else:
                out.put(proxy, "legalForm", "state" if entity.type == "country"
                        else "territory")
                out.put(proxy, "incorporationDate", plain_prefix(entity.founded))
                out.put(proxy, "dissolutionDate", plain_prefix(entity.dissolved))

    def dated(proxy, row, first, last):
        """FtM takes ISO prefixes only: the plain prefix that holds an EDTF date's days
        (common.plain_prefix), and the EDTF text as written in the description, so nothing
        is lost; a deprecated row says so in `status`."""
        start, end = getattr(row, first), getattr(row, last)
        out.put(proxy, "startDate", plain_prefix(start))
        out.put(proxy, "endDate", plain_prefix(end))
        for name, date in (("start", start), ("end", end)):
            if date is not None and not date.is_exact:
                out.put(proxy, "description", f"{name} (EDTF): {date.iso()}")
        if row.rank != "normal":
            out.put(proxy, "status", row.rank)

    for m in sorted(registry.memberships, key=membership_id):
        proxy = out.make("Membership", membership_id(m), m.path)
        out.put(proxy, "member", m.member)
        out.put(proxy, "organization", m.organization)
        out.put(proxy, "role", m.role)
        dated(proxy, m, "start", "end")
        out.put(proxy, "description", m.note)
        if m.basis in exported:  # (FtM has no link from a Membership to a Thing)
            out.put(proxy, "description", f"basis: {m.basis}")
        out.put(proxy, "publisher", m.source)
        out.put(proxy, "proof", proof(m))

    for treaty in sorted(registry.of_type("treaty"), key=lambda e: e.slug):
        if treaty.slug not in exported:
            continue
        for p in treaty.parties:
            if p.party not in exported:
                continue
            proxy = out.make("UnknownLink", relation_id("party", treaty.slug, p.where, p.party),
                             p.path)
            out.put(proxy, "subject", p.party)
            out.put(proxy, "object", treaty.slug)
            out.put(proxy, "role", "party")
        established = treaty.facts.get("establishes")
        if established in exported:
            proxy = out.make("UnknownLink", relation_id("establishes", treaty.slug, established),
                             treaty.path)
            out.put(proxy, "subject", treaty.slug)
            out.put(proxy, "object", established)
            out.put(proxy, "role", "establishes")

    posts = {}
    for p in sorted(registry.positions, key=position_id):
        key = (p.office, p.organization, p.country)
        if key not in posts:
            post_id = relation_id("post", *key)
            post = out.make("Position", post_id, p.path)
            out.put(post, "name", p.office)
            out.put(post, "organization", p.body)
            out.put(post, "country", codes.get(p.country))
            posts[key] = post_id
        proxy = out.make("Occupancy", position_id(p), p.path)
        out.put(proxy, "holder", p.person)
        out.put(proxy, "post", posts[key])
        dated(proxy, p, "start", "end")
        out.put(proxy, "description", p.note)
        out.put(proxy, "publisher", p.source)
        out.put(proxy, "proof", proof(p))

    for r in sorted(registry.recognitions, key=recognition_id):
        proxy = out.make("UnknownLink", recognition_id(r), r.path)
        out.put(proxy, "subject", r.by)
        out.put(proxy, "object", r.territory)
        out.put(proxy, "role", "recognition")
        dated(proxy, r, "date", "withdrawn")
        out.put(proxy, "description", r.note)
        out.put(proxy, "publisher", r.source)
        out.put(proxy, "proof", proof(r))

    return out.part()


def _article_part(document, data: BuildData) -> tuple[list[str], list[Problem]]:
    out = _Writer()
    proxy = out.make("Article", document.key, document.path)
    out.put(proxy, "name", document.title)
    out.put(proxy, "title", document.title)
    out.put(proxy, "fileName", document.path.rsplit("/", 1)[-1])
    out.put(proxy, "author", document.author)
    out.put(proxy, "publisher", document.outlet)
    out.put(proxy, "publishedAt", _utc(document.date))
    out.put(proxy, "summary", document.summary)
    out.put(proxy, "bodyText", "\n\n".join(t for _, t in sorted(document.paragraphs.items())))
    if data.siteurl:
        out.put(proxy, "sourceUrl", data.url(document.url))
    return out.part()


def _documentation_part(data: BuildData) -> tuple[list[str], list[Problem]]:
    registry = data.registry
    out = _Writer()
    # Types without an FtM schema (treaties) are not exported; nothing may point to them.
    exported = {slug for slug, e in registry.entities.items()
                if registry.types.entities[e.type].ftm is not None}
    paragraphs_of: dict[tuple[str, str], list[str]] = {}
    for mention in data.mentions:
        places = paragraphs_of.setdefault((mention.document, mention.entity), [])
        place = mention.paragraph or "outside numbered paragraphs"
        if place not in places:
            places.append(place)
    for (document, slug), places in sorted(paragraphs_of.items()):
        if slug not in exported:
            continue
        proxy = out.make("Documentation", relation_id("documentation", document, slug),
                         document)
        out.put(proxy, "document", document)
        out.put(proxy, "entity", slug)
        out.put(proxy, "role", "mentions")
        out.put(proxy, "summary", "paragraphs " + ", ".join(places))
    return out.part()

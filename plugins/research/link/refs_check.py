"""Citations of the bibliography, checked and indexed once per build.

Every place that cites (a row's `refs:`, an event's `refs:`, an entity's `references:`, a
`[@key]` in prose, resolved by cite_resolve.py) is checked here against the bibliography
(model/references.py) and the documents: an unknown key is an error naming the file, the
field or line, and the closest key; a paragraph item is checked like every paragraph
citation (citations.CitationIndex: the paragraph, its quoted words, the lock).

`Uses` is the index the pages read: for each key, the facts and passages that cite it, made
in one pass over the citing places (never keys x places). Unused references and web
references without an address are lint findings (`RefFinding`), not build errors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..core.cites import Cite, parse_refs
from ..core.errors import Coded, Problem, code_of, printable
from ..read.reader import display_path



def key_problem(key: str, bibliography, documents: dict) -> Coded | None:
    """Why `key` is no reference of the bibliography, or None."""
    if bibliography is not None and key in bibliography:
        return None
    if key in documents:
        return Coded(f"cites the document '{key}' without a paragraph: cite a paragraph, "
                     f"[@{key}#p-<n>] (in refs: '{key}#p-<n>')", "citation.malformed")
    hint = bibliography.closest(key) if bibliography is not None else None
    return Coded(f"cites '{key}', but no reference has this key"
                 + (f"; did you mean '{hint}'?" if hint else "")
                 + " (references are listed in content/references/*.yaml)", "refs.unknown")


def cite_problem(cite: Cite, bibliography, citations) -> Coded | None:
    """Why one `refs:` item does not hold (a key, or a paragraph and its words), or None."""
    if cite.is_paragraph:
        why = citations.problem(cite.paragraph_text)
        return None if why is None else Coded(str(why), code_of(why, "citation.invalid"))
    return key_problem(cite.key, bibliography, citations.documents)


@dataclass(frozen=True)
class Use:
    """One place that cites a reference: a fact (row), an event, a page's general sources, or
    a passage of prose. `page` is the content object it is shown on; `anchor` its place."""

    key: str
    cite: Cite
    what: str  # "row", "event", "page", "prose"
    page: Any
    anchor: str
    label: str


class Uses:
    """For each reference key, the places citing it, in a stable order."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Use]] = defaultdict(list)
        self._by_page: dict[int, set[str]] = defaultdict(set)  # id(page) -> keys

    def add(self, use: Use) -> None:
        self._by_key[use.key].append(use)
        self._by_page[id(use.page)].add(use.key)

    def of(self, key: str) -> list[Use]:
        return self._by_key.get(key, [])

    def keys(self) -> set[str]:
        return set(self._by_key)

    def keys_of_page(self, page: Any) -> list[str]:
        """The keys a page cites (its rows, events, sources and prose), sorted."""
        return sorted(self._by_page.get(id(page), ()))

    def sort(self) -> None:
        for uses in self._by_key.values():
            uses.sort(key=lambda u: (u.what != "row", u.what != "page", u.label.casefold(),
                                     u.anchor))


def row_anchor(row) -> str:
    """The id of a row on its entity page: `members[3]` -> `row-members-3` (the table notes
    are `members-1`, ...)."""
    return "row-" + row.where.replace("[", "-").replace("]", "")


def _row_label(row, registry) -> str:
    def name(slug):
        entity = registry.entities.get(slug)
        return entity.name if entity else slug
    if hasattr(row, "member"):
        return f"{name(row.organization)}: {name(row.member)}, {row.role}"
    if hasattr(row, "office"):
        return f"{name(row.person)}: {row.office}"
    return f"{name(row.territory)}: recognised by {name(row.by)}"


def _row_page(row, pages: dict):
    owner = getattr(row, "organization", None) if hasattr(row, "member") else \
        getattr(row, "person", None) or getattr(row, "territory", None)
    return pages.get(owner)


def check_registry(registry, bibliography, citations, uses: Uses, pages: dict) -> list[Problem]:
    """Rows' `refs:` and entities' `references:`: checked, and added to `uses` (with the
    page, from `pages`: each entity's page by slug, the build state's)."""
    problems = []
    rows = [*registry.memberships, *registry.positions, *registry.recognitions]
    for row in rows:
        page = _row_page(row, pages)
        # The row's own refs, then those of its alternatives and stages (SPEC §3), which
        # cite like the row and are listed under it.
        cited = [(row.where, row.refs)] + [
            (item.where, item.refs) for item in (*getattr(row, "alternatives", ()),
                                                 *getattr(row, "stages", ()))]
        for where, refs in cited:
            for index, cite in enumerate(refs):
                why = cite_problem(cite, bibliography, citations)
                if why:
                    problems.append(Problem(row.path, why, field=f"{where}.refs[{index}]",
                                            code=why.code))
                elif not cite.is_paragraph:
                    uses.add(Use(cite.key, cite, "row", page, row_anchor(row),
                                 _row_label(row, registry)))
    for entity in registry.entities.values():
        for index, key in enumerate(entity.references):
            why = key_problem(key, bibliography, citations.documents)
            if why:
                problems.append(Problem(entity.path, why, field=f"references[{index}]",
                                        code=why.code))
            else:
                uses.add(Use(key, Cite(key), "page", pages.get(entity.slug), "sources-heading",
                             entity.name))
    return problems


def check_events(documents: list, bibliography, citations, uses: Uses) -> list[Problem]:
    """Briefing notes' `events:` `refs:` (the timeline reads them; the reader checked their
    form)."""
    problems = []
    for document in documents:
        events = getattr(document, "events", None)
        if not isinstance(events, list):
            continue
        path = display_path(document.source_path)
        for number, event in enumerate(events):
            if not isinstance(event, dict):
                continue
            for index, cite in enumerate(parse_refs(event.get("refs"))[0]):
                why = cite_problem(cite, bibliography, citations)
                if why:
                    problems.append(Problem(path, why, field=f"events[{number}].refs[{index}]",
                                            code=why.code))
                elif not cite.is_paragraph:
                    uses.add(Use(cite.key, cite, "event", document, "",
                                 f"{document.title}: event of {event.get('date')}"))
    return problems


def add_prose(key_citations: list, uses: Uses) -> None:
    """`[@key]` citations found by cite_resolve.py."""
    for citation in key_citations:
        document = citation.document
        number = citation.paragraph[2:] if citation.paragraph else ""
        uses.add(Use(citation.cite.key, citation.cite, "prose", document,
                     citation.paragraph or "", document.title
                     + (f", ¶ {number}" if number else "")))


class RefFinding(str):
    """A lint finding about a reference: its report line, with its parts as attributes."""

    path: str
    line: int | None
    code: str
    key: str

    def __new__(cls, path: str, line: int | None, key: str, message: str,
                code: str) -> "RefFinding":
        where = f"{path}:{line}" if line else path
        self = super().__new__(cls, printable(f"{where}: {key}: {message}"))
        self.path, self.line, self.key, self.code = path, line, key, code
        return self

    def __reduce__(self):
        return _ref_finding, (self.path, self.line, self.key, str(self).split(": ", 2)[-1],
                              self.code)


def _ref_finding(path, line, key, message, code) -> RefFinding:
    return RefFinding(path, line, key, message, code)


def lint(bibliography, uses: Uses, registry=None) -> list[RefFinding]:
    """Unused references (an error of the lint: cite it or remove it), web references with
    neither URL nor archived copy, and rows that cite nothing (warnings: the gap stays
    visible; the row's note should say why)."""
    findings = []
    for row in [*registry.memberships, *registry.positions, *registry.recognitions] \
            if registry is not None else ():
        if not row.refs:
            findings.append(RefFinding(row.path, None, row.where, "warning: cites no "
                                       "reference (refs:); add one, or say in note: why none "
                                       "was found", "refs.missing"))
    if bibliography is None:
        return findings
    used = uses.keys()
    for ref in bibliography.references.values():
        if ref.key not in used:
            findings.append(RefFinding(ref.path, ref.line, ref.key, "error: no row, event, "
                                       "page or passage cites this reference; cite it or "
                                       "remove it", "bibliography.unused"))
        if ref.is_web and not ref.url and not ref.archive_url:
            findings.append(RefFinding(ref.path, ref.line, ref.key, "warning: a web reference "
                                       "with neither URL nor archive_url; add the address if "
                                       "it is known, else say so in note:",
                                       "bibliography.no-url"))
    return findings

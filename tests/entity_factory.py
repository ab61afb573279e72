"""Entity records and membership rows for unit tests, made as the build makes them.

`entity()` goes through `schema.read_entity` (so a record is one the build would accept);
`pages()` gives records stand-in pages with a URL, by slug, as the entity generator records
them in the build state (`BuildState.add_page`); `row()` writes one membership row of an
organization's `members:`.
"""

from __future__ import annotations

from research.model.schema import read_entity


class Page:
    """The part of an entity's Pelican page the views use: its URL."""

    def __init__(self, url):
        self.url = url


def entity(slug, kind, **fields):
    metadata = {"name": slug.replace("-", " ").title(), "type": kind, "slug": slug,
                "summary": f"{slug} summary", **fields}
    record, problems = read_entity(metadata, f"content/entities/{slug}.md", "", slug)
    assert not problems, problems
    return record


def pages(records) -> dict:
    """A stand-in page for each record, by slug (`BuildState.pages`)."""
    return {record.slug: Page(f"x/{record.slug}/") for record in records}


def add_pages(state) -> None:
    """Give every entity of `state.registry` its stand-in page in the state."""
    for slug, page in pages(state.registry.entities.values()).items():
        state.add_page(state.registry.entities[slug], page)


def row(member, role, start, end=None, refs=("test-source",)):
    return {"member": member, "role": role, "start": start, "end": end, "refs": list(refs)}

"""Entity records and membership rows for unit tests, made as the build makes them.

`entity()` goes through `schema.read_entity` (so a record is one the build would accept) and
gives it a stand-in page with a URL, as the entity generator would; `row()` writes one
membership row of an organization's `members:`.
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
    record.page = Page(f"x/{slug}/")
    return record


def row(member, role, start, end=None, refs=("test-source",)):
    return {"member": member, "role": role, "start": start, "end": end, "refs": list(refs)}

"""Make Pelican's per-tag, per-category and per-author article lists answer `in` in O(1).

Pelican 4.12 writes each tag, category and author page with
`dates = [article for article in self.dates if article in articles]`, where `articles` is a
plain list: every page scans every article against its own list, which is quadratic in the
size of the site (about 18 s of a 10,000-document build, docs/performance.md). Content
objects compare by identity (they define no `__eq__`), so a set of ids answers the same
question exactly; the lists keep their order and stay lists for templates and plugins.
"""

from __future__ import annotations


class IndexedList(list):
    """A list of content objects whose membership test is a set lookup by identity.

    Built once the generator has filled the lists (`article_generator_finalized`); nothing
    appends to them afterwards, and a mutation would make the index stale, so it is refused.
    """

    __slots__ = ("_ids",)

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids

    def _refuse(self, *args, **kwargs):
        raise TypeError("an IndexedList is frozen once built: build a new one instead")

    append = extend = insert = remove = pop = clear = __setitem__ = __delitem__ = _refuse
    __iadd__ = _refuse


def index_article_lists(generator) -> None:
    """`article_generator_finalized`: swap the lists for indexed copies, in place."""
    for tag, articles in generator.tags.items():
        generator.tags[tag] = IndexedList(articles)
    generator.categories = [(cat, IndexedList(arts)) for cat, arts in generator.categories]
    generator.authors = [(author, IndexedList(arts)) for author, arts in generator.authors]
    # The context holds the same objects under these names (Pelican's _update_context).
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors

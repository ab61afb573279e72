"""scaling.py: the indexed article lists answer `in` exactly as Pelican's plain lists do."""

from __future__ import annotations

import pytest

from research.adapter.scaling import IndexedList, index_article_lists


class _Article:  # like Pelican's Content: no __eq__, so lists compare by identity
    def __init__(self, name):
        self.name = name


def test_membership_is_by_identity_like_a_plain_list():
    a, b, twin = _Article("a"), _Article("b"), _Article("a")
    indexed = IndexedList([a, b])
    assert a in indexed and b in indexed
    assert twin not in indexed  # an equal-looking object is not the same article
    assert list(indexed) == [a, b]  # order kept, still a list for templates


def test_an_indexed_list_refuses_changes_that_would_make_its_index_stale():
    indexed = IndexedList([_Article("a")])
    with pytest.raises(TypeError, match="frozen"):
        indexed.append(_Article("b"))


def test_the_generator_lists_and_the_context_are_swapped_for_indexed_copies():
    a, b, c = (_Article(n) for n in "abc")

    class Generator:
        tags = {"csto": [a, c]}
        categories = [("sources", [a]), ("briefings", [b, c])]
        authors = [("goodenough", [a])]
        context: dict = {}

    generator = Generator()
    index_article_lists(generator)
    dates = [a, b, c]
    # What Pelican computes for each tag and category page, now with set lookups:
    assert [x for x in dates if x in generator.tags["csto"]] == [a, c]
    assert [[x for x in dates if x in arts] for _, arts in generator.categories] == [[a], [b, c]]
    assert all(isinstance(arts, IndexedList) for _, arts in generator.context["categories"])
    assert generator.context["tags"] == [("csto", generator.tags["csto"])]
    assert generator.context["authors"] is generator.authors

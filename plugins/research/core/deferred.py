"""A value of a page's template made only when the page is rendered.

An incremental build copies most pages from the previous output (guard/reuse.py); what a
copied page's template would have been given is never used. The render stage wraps a value
that is costly and made by the code from the site's inputs (an entity page's maps,
neighbourhood picture and tables: `prepare.entity_view`) in `Deferred`; the writer makes it
when it renders the page (`resolved`), and a page fingerprint pictures it by its kind only,
as it pictures any such value (guard/reuse._value).
"""

from __future__ import annotations


class Deferred:
    __slots__ = ("make",)

    def __init__(self, make) -> None:
        self.make = make  # a function of no arguments

    def __repr__(self) -> str:
        return "Deferred()"


def resolved(values: dict) -> dict:
    """`values` with every Deferred one made."""
    if not any(isinstance(value, Deferred) for value in values.values()):
        return values
    return {key: value.make() if isinstance(value, Deferred) else value
            for key, value in values.items()}

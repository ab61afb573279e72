"""Pelican plugin for research sites: our Markdown reader, entities, links and data.

Pelican loads this package through `PLUGINS = ["research"]`; `register()` hands over to the
adapter (adapter/pelican.py), the one module that knows Pelican's generators and signals. See
docs/architecture.md for the pipeline.
"""

from __future__ import annotations


def register() -> None:
    from .adapter import pelican

    pelican.register()

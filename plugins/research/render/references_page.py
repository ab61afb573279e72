"""/references/: every reference of the bibliography, and each page's "cite this page" files.

The adapter's `ReferencesGenerator` runs after the link stage has indexed who cites what
(link/refs_check.Uses, the build state's `reference_uses`). It writes:

- `/references/` (template `references.html`): the entries formatted by CSL, grouped by kind,
  each with its anchor (`#<key>`) and the facts and passages that cite it, linking back;
- the citation files (CSL-JSON, BibTeX, RIS) of every entity page, document and of
  /references/ itself (cite_page.py), each claimed as it is written (the pages are
  written and claimed before this generator runs).
"""

from __future__ import annotations

from . import cite_page
from ..model.references import KIND_LABELS


def default_settings(settings: dict) -> None:
    settings.setdefault("REFERENCES_URL", "references/")
    settings.setdefault("REFERENCES_SAVE_AS", "references/index.html")


def output(state, settings: dict) -> tuple[str, str, dict, dict]:
    """/references/: (save_as, template, values for the template, the page's own citation)."""
    item = cite_page.item_for(None, "references", settings)
    bibliography = state.bibliography
    return (settings["REFERENCES_SAVE_AS"], "references",
            dict(section=settings["REFERENCES_URL"],
                 groups=bibliography.by_kind() if bibliography else [],
                 kind_labels=KIND_LABELS, uses=state.reference_uses,
                 references_page=True, references_citation=item), item)

"""/references/: every reference of the bibliography, and each page's "cite this page" files.

`ReferencesGenerator` runs after the cross-document step has indexed who cites what
(link/refs_check.Uses, in the context as `reference_uses`). It writes:

- `/references/` (template `references.html`): the entries formatted by CSL, grouped by kind,
  each with its anchor (`#<key>`) and the facts and passages that cite it, linking back;
- the citation files (CSL-JSON, BibTeX, RIS) of every entity page, document and of
  /references/ itself (export/cite_page.py), each claimed as it is written (the pages are
  written and claimed before this generator runs).
"""

from __future__ import annotations

from pelican.generators import Generator

from ..export import cite_page
from ..model.references import KIND_LABELS


def default_settings(settings: dict) -> None:
    settings.setdefault("REFERENCES_URL", "references/")
    settings.setdefault("REFERENCES_SAVE_AS", "references/index.html")


class ReferencesGenerator(Generator):
    def generate_context(self) -> None:
        default_settings(self.settings)
        self.context.setdefault("REFERENCES_URL", self.settings["REFERENCES_URL"])

    def generate_output(self, writer) -> None:
        bibliography = self.context.get("bibliography")
        if self.context.get("registry") is None:
            return
        relative = self.settings["RELATIVE_URLS"]
        save_as = self.settings["REFERENCES_SAVE_AS"]
        item = cite_page.item_for(None, "references", self.settings)
        writer.write_file(save_as, self.get_template("references"), self.context,
                          relative_urls=relative, section=self.settings["REFERENCES_URL"],
                          groups=bibliography.by_kind() if bibliography else [],
                          kind_labels=KIND_LABELS, uses=self.context.get("reference_uses"),
                          references_page=True, references_citation=item)
        cite_page.write(self.output_path, save_as, item, self.settings)
        for page, kind in cite_page.pages(self.context):
            cite_page.write(self.output_path, page.save_as,
                            cite_page.item_for(page, kind, self.settings), self.settings)

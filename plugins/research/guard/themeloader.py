"""Templates come from our theme only.

Pelican's template loader falls back to its own "simple" theme for any template the theme
lacks, so a missing `base.html` or `article.html` silently gives pages in another theme. Each
generator's loader is replaced (`generator_init`) by one that reads the theme's templates
(and THEME_TEMPLATES_OVERRIDES) only. Pelican asks for some templates it never renders here
(`author`, `archives`: their pages are switched off), so a missing template is not an error
when it is looked up, only when something is rendered with it: then the build fails naming
the template.
"""

from __future__ import annotations

import os

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, TemplateError

GLOBAL = "_research_missing_template"


class MissingTemplate(TemplateError):
    """A template the theme does not have was rendered."""

    def __init__(self, name: str, folders: list[str]):
        self.template = name
        self.expected = os.path.join(folders[-1], name)  # where the theme's own would be
        super().__init__(f"the theme has no template '{name}' (looked in "
                         f"{', '.join(folders)}); add it to the theme (Pelican's own theme is "
                         "not used)")


class _Absent(BaseLoader):
    """Stands in for a template the theme lacks: rendering it raises MissingTemplate."""

    def get_source(self, environment, template):
        return ("{{ %s(%r) }}" % (GLOBAL, template), None, lambda: False)

    def list_templates(self):  # it stands in for any name but holds none
        return []


def install(generator) -> None:
    """`generator_init` handler."""
    folders = [str(path) for path in generator._templates_path]

    def missing(name: str):
        raise MissingTemplate(name, folders)

    generator.env.loader = ChoiceLoader([FileSystemLoader(folders), _Absent()])
    generator.env.globals[GLOBAL] = missing
    generator._templates.clear()

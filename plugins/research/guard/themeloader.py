"""Templates come from our theme only.

Pelican's template loader falls back to its own "simple" theme for any template the theme
lacks, so a missing `base.html` or `article.html` silently gives pages in another theme. Each
generator's loader is replaced (`generator_init`) by one that reads the theme's templates
(and THEME_TEMPLATES_OVERRIDES) only. Pelican asks for some templates it never renders here
(`author`, `archives`: their pages are switched off), so a missing template is not an error
when it is looked up, only when something is rendered with it: then the build fails naming
the template.

Compiled templates are kept in memory for the life of the process (`_COMPILED`): Pelican
makes one Jinja environment per generator and each compiles every template it renders, which
was 1.3 s of a 1.6 s build of the fixture site, paid again on every rebuild of `make serve`.
Jinja keys the cache by template name and file and checks a hash of the source, so an edited
template is compiled again; the environment's options are part of the key too.
"""

from __future__ import annotations

import os

from jinja2 import BaseLoader, BytecodeCache, ChoiceLoader, FileSystemLoader, TemplateError

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


class _InMemory(BytecodeCache):
    """Jinja's bytecode cache, in a dict (Jinja ships file and memcached ones)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        raise NotImplementedError  # keys need the environment: see get_bucket

    def get_bucket(self, environment, name, filename, source):
        options = (environment.trim_blocks, environment.lstrip_blocks,
                   environment.keep_trailing_newline, environment.block_start_string,
                   environment.variable_start_string, environment.comment_start_string,
                   environment.line_statement_prefix, environment.newline_sequence,
                   tuple(sorted(environment.extensions)), repr(environment.autoescape))
        key = f"{name}|{filename}|{options!r}"
        from jinja2.bccache import Bucket

        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _InMemory()

# The templates loaded while a page is rendered (an incremental build's writer records them,
# guard/reuse.py): the page's own, and every `extends`, `include` and `import` it runs,
# which Jinja's compiled code asks the environment for on every render.
_RECORDING: list[set[str]] = []


class recording:
    """`with recording() as names:` the names of the templates loaded inside."""

    def __enter__(self) -> set[str]:
        names: set[str] = set()
        _RECORDING.append(names)
        return names

    def __exit__(self, *exc) -> None:
        _RECORDING.pop()


def _recorded(get_template):
    def get(name, parent=None, globals=None):
        template = get_template(name, parent, globals)
        if _RECORDING:
            _RECORDING[-1].add(template.name)
        return template

    return get


def source_digest(environment, name: str) -> str | None:
    """What a template name stands for now: the file the loader finds for it and its
    source (a template shadowed by an override, or gone, differs)."""
    from jinja2 import TemplateNotFound

    from ..cache.fingerprint import digest

    try:
        source, filename, _uptodate = environment.loader.get_source(environment, name)
    except TemplateNotFound:
        return None
    return digest(name, filename, source)


def install(generator) -> None:
    """`generator_init` handler."""
    folders = [str(path) for path in generator._templates_path]

    def missing(name: str):
        raise MissingTemplate(name, folders)

    generator.env.loader = ChoiceLoader([FileSystemLoader(folders), _Absent()])
    generator.env.bytecode_cache = _COMPILED
    generator.env.get_template = _recorded(generator.env.get_template)
    generator.env.globals[GLOBAL] = missing
    generator._templates.clear()

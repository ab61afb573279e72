"""Split a Markdown file into YAML front-matter and body, and load the YAML safely.

The loader is PyYAML's safe loader with two YAML 1.1 traps removed, so that editors get the
value they typed: `NO`, `yes`, `on`, `off` stay strings (only true/false are booleans), and
`12:30` stays a string instead of becoming the base-60 number 750.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ContentError


class SiteYamlLoader(yaml.SafeLoader):
    """Safe YAML loading without YAML 1.1's surprising booleans and base-60 numbers."""


def _drop_implicit_resolvers(loader: type[yaml.SafeLoader], tags: set[str]) -> None:
    resolvers = {}
    for first, entries in loader.yaml_implicit_resolvers.items():
        resolvers[first] = [(tag, rx) for tag, rx in entries if tag not in tags]
    loader.yaml_implicit_resolvers = resolvers


_drop_implicit_resolvers(SiteYamlLoader, {
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
SiteYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
SiteYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0|[-+]?[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+)$"),
    list("-+0123456789"))
SiteYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))

_FENCE = re.compile(r"^---[ \t]*$")


@dataclass
class Document:
    """A Markdown file split into its parts. `body_line` is the 1-based line the body starts on."""

    metadata: dict[str, Any]
    body: str
    body_line: int


def decode(raw: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is tolerated), naming the line of the first bad byte on failure."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError.at(
            path, f"is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save the file as UTF-8", line=line) from None


def split(text: str, path: str) -> Document:
    """Split `---` fenced front-matter from the body and parse it as a YAML mapping."""
    if not text.strip():
        raise ContentError.at(path, "the file is empty; it needs YAML front-matter between "
                                    "'---' lines and a Markdown body", line=1)
    lines = text.splitlines(keepends=True)
    if not _FENCE.match(lines[0].rstrip("\r\n")):
        raise ContentError.at(path, "no YAML front-matter: the first line must be '---', "
                                    "followed by 'key: value' lines and a closing '---'", line=1)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return Document(load_mapping(yaml_text, path, first_line=2), body, index + 2)
    raise ContentError.at(path, "the front-matter is never closed: add a line '---' after "
                                "the last 'key: value' line", line=1)


def load_mapping(yaml_text: str, path: str, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML that must be a mapping; errors give the line in the original file."""
    try:
        data = yaml.load(yaml_text, Loader=SiteYamlLoader)  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + mark.line if mark else None
        problem = err.problem or "invalid YAML"
        raise ContentError.at(path, f"malformed YAML front-matter: {problem}"
                              + (f" ({err.context})" if err.context else ""),
                              line=line) from None
    except yaml.YAMLError as err:
        raise ContentError.at(path, f"malformed YAML front-matter: {err}",
                              line=first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError.at(path, "the front-matter must be a mapping of 'key: value' lines, "
                              f"not a {type(data).__name__}", line=first_line)
    for key in data:
        if not isinstance(key, str):
            raise ContentError.at(path, f"front-matter key {key!r} must be text", line=first_line)
    return data


def field_line(yaml_text_or_file: str, field: str) -> int | None:
    """The 1-based line on which a top-level front-matter `field:` is written, if found."""
    pattern = re.compile(rf"^{re.escape(field)}\s*:", re.M)
    match = pattern.search(yaml_text_or_file)
    return yaml_text_or_file.count("\n", 0, match.start()) + 1 if match else None

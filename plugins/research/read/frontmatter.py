"""Split a Markdown file into YAML front-matter and body, and load the YAML safely.

The loader is PyYAML's safe loader with two YAML 1.1 traps removed, so that editors get the
value they typed: `NO`, `yes`, `on`, `off` stay strings (only true/false are booleans), and
`12:30` stays a string instead of becoming the base-60 number 750.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..core.errors import ContentError, Problem, kind, shown


class _Refused(yaml.constructor.ConstructorError):
    """Well-formed YAML that we refuse (a key written twice, a date that does not exist).

    `problem` is the whole message; `{earlier}` in it stands for the line of `earlier`."""

    def __init__(self, problem: str, mark, *, field: str | None = None, earlier=None,
                 code: str = "yaml.refused") -> None:
        super().__init__(None, None, problem, mark)
        self.field = field
        self.earlier = earlier
        self.code = code


class SiteYamlLoader(yaml.SafeLoader):
    """Safe YAML loading without YAML 1.1's surprising booleans and base-60 numbers, and
    without PyYAML's silent "last one wins" for a key written twice."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], yaml.Node] = {}
            for key_node, _value in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or \
                        key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise _Refused(f"is written twice (also on line {{earlier}}); keep one of "
                                   "the two", key_node.start_mark, field=key_node.value,
                                   earlier=seen[key].start_mark, code="field.duplicate")
                seen[key] = key_node
        try:
            return super().construct_mapping(node, deep=deep)
        except _Refused as err:
            if err.field is None:  # a refused value: name the key it was written under
                err.field = next((key.value for key, value in getattr(node, "value", ())
                                  if value.start_mark is err.problem_mark
                                  and isinstance(key, yaml.ScalarNode)), None)
            raise

    def compose_node(self, parent, index):
        # An alias (`*name`) repeats a node; nested aliases (a "billion laughs" bomb) make a
        # 12-line file a gigabyte value. Front-matter has no need for them: refuse every one.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"uses the YAML alias '*{event.anchor}'; aliases are not allowed "
                           "in front-matter: write the value out in full", event.start_mark,
                           code="yaml.alias")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as err:
            raise _Refused(f"{shown(node.value)} is not a date that exists ({err}); correct "
                           "it, and write dates in quotes: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'",
                           node.start_mark, code="date.nonexistent") from None


SiteYamlLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               SiteYamlLoader.construct_yaml_timestamp)


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

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None


class _FastSiteYamlLoader(*([CParser] if CParser else []), SiteYamlLoader):
    """The same loader (resolvers, constructors, checks) with libyaml's parser, about ten
    times faster on front-matter. It is only tried first: on any YAML error the text is read
    again by SiteYamlLoader, whose messages and marks are the ones editors are shown."""

    def __init__(self, stream) -> None:
        if CParser is None:
            SiteYamlLoader.__init__(self, stream)
            return
        CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def _load(yaml_text: str) -> Any:
    # libyaml composes aliases in C, where we cannot refuse them: text that could hold one
    # ('*') is read by the pure-Python loader, which does.
    if CParser is not None and "*" not in yaml_text:
        try:
            return yaml.load(yaml_text, Loader=_FastSiteYamlLoader)  # noqa: S506 (safe)
        except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
            pass  # read again below, for the message
    return yaml.load(yaml_text, Loader=SiteYamlLoader)  # noqa: S506 (a safe loader)


_FENCE = re.compile(r"^---[ \t]*$")


@dataclass
class Document:
    """A Markdown file split into its parts. `body_line` is the 1-based line the body starts on."""

    metadata: dict[str, Any]
    body: str
    body_line: int
    text: str = ""  # the whole file, to locate fields in messages without reading it again


def decode(raw: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is tolerated), naming the line of the first bad byte on failure."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError.at(
            path, f"is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save the file as UTF-8", line=line, code="file.encoding") from None


def split(text: str, path: str) -> Document:
    """Split `---` fenced front-matter from the body and parse it as a YAML mapping."""
    if not text.strip():
        raise ContentError.at(path, "the file is empty; it needs YAML front-matter between "
                                    "'---' lines and a Markdown body", line=1,
                              code="file.empty")
    lines = text.splitlines(keepends=True)
    if not _FENCE.match(lines[0].rstrip("\r\n")):
        raise ContentError.at(path, "no YAML front-matter: the first line must be '---', "
                                    "followed by 'key: value' lines and a closing '---'", line=1,
                              code="file.no-front-matter")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return Document(load_mapping(yaml_text, path, first_line=2), body, index + 2, text)
    raise ContentError.at(path, "the front-matter is never closed: add a line '---' after "
                                "the last 'key: value' line", line=1,
                          code="file.unclosed")


def load_mapping(yaml_text: str, path: str, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML that must be a mapping; errors give the line in the original file."""
    data = load_yaml(yaml_text, path, first_line)
    if data is None:
        return {}
    if not isinstance(data, dict):
        what = "a line of text" if isinstance(data, str) else kind(data)
        raise ContentError.at(path, "the front-matter must be a mapping of 'key: value' lines, "
                              f"not {what}", line=first_line, code="yaml.not-mapping")
    for key in data:
        if not isinstance(key, str):
            raise ContentError.at(path, f"front-matter key {shown(key)} must be text",
                                  line=first_line, code="yaml.key-type")
    return data


def load_yaml(yaml_text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML safely (our loader: no aliases, no key written twice, no YAML 1.1 traps);
    errors give the line in the original file and say what was probably done."""
    try:
        data = _load(yaml_text)
    except _Refused as err:
        message = err.problem
        if err.earlier is not None:
            message = message.replace("{earlier}", str(first_line + err.earlier.line))
        raise ContentError.at(path, message, line=first_line + err.problem_mark.line,
                              field=err.field, code=err.code) from None
    except yaml.MarkedYAMLError as err:
        line, message, code = explain(yaml_text, err)
        if err.context_mark is not None:
            message = message.replace("{opened}", str(first_line + err.context_mark.line))
        raise ContentError.at(path, f"malformed YAML front-matter: {message}",
                              line=None if line is None else first_line + line,
                              code=code) from None
    except yaml.YAMLError as err:
        raise ContentError.at(path, f"malformed YAML front-matter: {str(err)[:200]}",
                              line=first_line, code="yaml.syntax") from None
    except RecursionError:
        raise ContentError.at(path, "the front-matter is nested too deeply to read; close "
                              "the brackets you opened, and use at most a few levels",
                              line=first_line, code="yaml.nesting") from None
    return data


def explain(yaml_text: str, err: yaml.MarkedYAMLError) -> tuple[int | None, str, str]:
    """(0-based line, message, code) for a YAML syntax error, in the words of what the editor
    probably did, with the line as written; PyYAML's own words follow as a suffix, because
    "mapping values are not allowed here" names the parser's state, not the mistake."""
    problem = err.problem or "invalid YAML"
    context = err.context or ""
    mark = err.problem_mark or err.context_mark
    line = mark.line if mark else None
    lines = yaml_text.splitlines()

    def text_of(number):
        return lines[number] if number is not None and 0 <= number < len(lines) else ""

    if "'\\t'" in problem:
        ours, code = "this line is indented with a tab; YAML needs spaces, never tabs", "yaml.tab"
    elif problem.startswith("mapping values are not allowed"):
        before = text_of(line)[: mark.column]
        if ": " in before or before.rstrip().endswith(":"):
            ours, code = ("a colon and a space inside an unquoted value; put the whole value "
                          "in quotes, e.g. title: \"Russia: the war\""), "yaml.colon-in-value"
        else:
            ours, code = ("this line is indented more than the field above it; the fields of "
                          "one mapping (and of one list item '- ') must start in the same "
                          "column"), "yaml.indentation"
    elif "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        ours, code = (f"a value cannot start with {char!r} in YAML; put the whole value in "
                      "quotes"), "yaml.reserved-character"
    elif problem.startswith("expected <block end>") and "<scalar>" in problem \
            and ('"' in text_of(line) or "'" in text_of(line)):
        ours, code = ("the text goes on after a quoted value has ended; if the value contains "
                      "the quote character, quote it with the other kind (\"it's\") or double "
                      "it ('it''s')"), "yaml.quote"
    elif problem.startswith("expected <block end>") or problem.startswith(
            "did not find expected key") or "block" in problem:
        ours, code = ("this line is indented differently from the lines above it: under a "
                      "list item ('- '), every field must start in the same column as the "
                      "first, and a new top-level field in column 1"), "yaml.indentation"
    elif problem.startswith("could not find expected ':'") and err.context_mark:
        line = err.context_mark.line
        ours, code = ("this line has no 'field: value' colon; add ': ' after the field name, "
                      "or, if it continues the value above, put that value in quotes"), \
            "yaml.no-colon"
    elif "end of stream" in problem and "quoted" in context and err.context_mark:
        line = err.context_mark.line
        ours, code = "a quotation mark opened on this line is never closed", "yaml.quote"
    elif problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
        ours, code = (f"uses the YAML tag {tag[:60]}; tags that make program objects are not "
                      "allowed: remove the tag and write the value as plain text"), "yaml.tag"
    elif "flow" in context:
        opened = f" on line {{opened}}" if err.context_mark else ""
        ours, code = (f"a list '[' or mapping '{{' opened{opened} is not closed before this "
                      "point; close it, or put a value that starts with '[' or '{' in quotes"), \
            "yaml.bracket"
    else:
        ours, code = "the YAML cannot be read here", "yaml.syntax"
    said = problem[:200] + (f" ({context})" if context else "")
    shown_line = text_of(line).strip()
    quoted = f"; the line reads {shown(shown_line, 80)}" if shown_line else ""
    return line, f"{ours}{quoted} (the YAML parser says: {said})", code


def field_line(yaml_text_or_file: str, field: str) -> int | None:
    """The 1-based line on which a top-level front-matter `field:` is written, if found."""
    pattern = re.compile(rf"^{re.escape(field)}\s*:", re.M)
    match = pattern.search(yaml_text_or_file)
    return yaml_text_or_file.count("\n", 0, match.start()) + 1 if match else None


_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def locate(file_text: str, where: str) -> int | None:
    """The 1-based line of the front-matter field at `where` (`members[1].end`, `quotes[0]`,
    `slug`) in a file's text; if that field is not written (a missing required field), the
    line of the nearest enclosing one (the row). None if the front-matter cannot be read."""
    return Locator(file_text).line(where)


class Locator:
    """Lines of front-matter fields in one file; the YAML is composed once, on first use, so
    a file with many problems is not parsed once per problem. With `whole`, the file is all
    YAML (a references file), not Markdown with front-matter."""

    def __init__(self, file_text: str, whole: bool = False) -> None:
        self.text = file_text if isinstance(file_text, str) else ""
        self._root: yaml.Node | None | bool = False  # False: not composed yet
        self._whole = whole
        self._offset = 1 if whole else 2  # front-matter starts on line 2

    def _node(self):
        if self._root is False and self._whole:
            try:
                self._root = yaml.compose(self.text, Loader=SiteYamlLoader)
            except (yaml.YAMLError, RecursionError, ValueError):
                self._root = None
        if self._root is False:
            self._root = None
            lines = self.text.splitlines(keepends=True)
            if lines and _FENCE.match(lines[0].lstrip("\ufeff").rstrip("\r\n")):
                close = next((i for i in range(1, len(lines))
                              if _FENCE.match(lines[i].rstrip("\r\n"))), None)
                if close is not None:
                    # libyaml's parser first (about 15 times faster: the line maps of
                    # 3,000 entity files cost 20 s with the pure-Python one); the same
                    # nodes and marks, and the pure-Python parser if it fails.
                    for loader in (_FastSiteYamlLoader, SiteYamlLoader):
                        try:
                            self._root = yaml.compose("".join(lines[1:close]), Loader=loader)
                            break
                        except (yaml.YAMLError, RecursionError, ValueError):
                            self._root = None
        return self._root

    def line(self, where: str) -> int | None:
        node = self._node()
        if node is None:
            return None
        line = None
        for index, key in _STEP.findall(where):
            if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
                node = node.value[int(index)]
            elif key and isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == key), None)
                if pair is None:
                    break
                node = pair[1]
                line = pair[0].start_mark.line + self._offset
                continue
            else:
                break
            line = node.start_mark.line + self._offset
        return line

    def column(self, where: str) -> int | None:
        """The 1-based column of the value at `where` (for a list item, its text)."""
        node = self._node()
        for index, key in _STEP.findall(where) if node is not None else ():
            if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
                node = node.value[int(index)]
            elif key and isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == key), None)
            else:
                node = None
        return None if node is None else node.start_mark.column + 1


class SourceMap(Locator):
    """Where things are in one file, kept by the reader in the metadata (`source_map`) so that
    no later step opens the file again: the lines of front-matter fields (the YAML composed on
    first use), the line the body starts on, and the file's text."""

    def __init__(self, file_text: str, body_line: int) -> None:
        super().__init__(file_text)
        self.body_line = body_line

    def field_line(self, field: str) -> int | None:
        """The line of a top-level field, found in the text as written (no YAML parse)."""
        return field_line(self.text, field)

    def body(self, line: int | str | None) -> int | None:
        """The file's line of a line of the body (1-based in the body: the parser's)."""
        return None if line is None else self.body_line + int(line)

    def __getstate__(self) -> dict:  # (Pelican's content cache pickles the metadata)
        return {"text": self.text, "body_line": self.body_line}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["text"], state["body_line"])

    def __repr__(self) -> str:
        return f"SourceMap(body_line={self.body_line})"


def source_map(content: Any) -> SourceMap | None:
    """The source map the reader kept for a content object (or its metadata), if any."""
    found = content.get("source_map") if isinstance(content, dict) else \
        getattr(content, "source_map", None)
    return found if isinstance(found, SourceMap) else None


def with_lines(problems: list[Problem], maps: dict[str, Locator]) -> list[Problem]:
    """Give each problem that names a field but no line the line of that field in its file
    (problems found across files, by the registry or the cross-document step), from the
    source maps the reader kept (`maps`: the file's path as problems name it -> its
    SourceMap; the build state's `source_maps`). No file is opened: a file no reader kept a
    map of keeps its problem without a line."""
    located = []
    for problem in problems:
        where = maps.get(problem.path) if problem.line is None and problem.field else None
        if where is not None:
            line = where.line(problem.field)
            if line is not None:
                problem = dataclasses.replace(problem, line=line)
        located.append(problem)
    return located

"""Which URLs the site may contain: relative ones, `http:`, `https:` and `mailto:`.

Checked twice, because no single place sees every URL:

1. **Link placeholders, where Pelican resolves them** (`check_placeholders`, before any
   output). Pelican replaces `{filename}`, `{static}`, `{index}`, ... (`|index|` too) but keeps
   whatever follows: `[x]({index}javascript:alert(1))` passes markdown-it's link check (the
   target starts with `{`) and comes out as `href="javascript:…/index.html"`. A placeholder's
   target must be a path inside the site (no scheme, no host), and a `{static}`/`{attach}`
   target must be a file inside the content folder: Pelican would copy
   `{static}/../../../etc/hostname` to a path outside the output folder. The document is
   known here, so the message names its file and the line of the link.
2. **Every URL attribute of every file written** (`scan_file`, after Pelican, on the staging
   folder): `href`, `src`, `action`, ... of HTML, SVG and feeds (whose escaped HTML content is
   unescaped once and scanned too), whoever wrote them: templates, our generators, Markdown
   (markdown-it lets `data:image/...` through). One regular-expression pass per file.

A scheme is found as browsers find it (WHATWG URL): character references decoded, leading
and trailing control characters and spaces stripped, tabs and newlines removed anywhere, so
`java&#x09;script:` and `\x01javascript:` are caught.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..core.errors import Coded, Problem
from ..read.reader import display_path

ALLOWED_SCHEMES = ("http", "https", "mailto")
PLACEHOLDERS = ("filename", "static", "attach", "index", "tag", "category", "author")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_RULE = ("only relative links and http:, https: and mailto: addresses are allowed")


def browser_form(url: str) -> str:
    """The URL as a browser parses it out of an attribute (after entity decoding)."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE))


def scheme(url: str) -> str | None:
    """The scheme of an attribute's (decoded) value, lower-cased; None for a relative URL."""
    match = _SCHEME.match(browser_form(url))
    return match[1].lower() if match else None


def refused(url: str) -> str | None:
    """Why a decoded URL is not allowed, or None."""
    found = scheme(url)
    if found is None or found in ALLOWED_SCHEMES:
        return None
    return f"the scheme '{found}:' is not allowed; {_RULE}"


def shown(url: str, limit: int = 60) -> str:
    """A URL for a message: control characters visible, length capped."""
    text = url.encode("unicode_escape").decode("ascii") if not url.isprintable() else url
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_of(source: str, needles: list[str]) -> int | None:
    """The line of the first needle found in a source file (read only to report an error)."""
    try:
        with open(source, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    for needle in needles:
        at = text.find(needle) if needle else -1
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _documents(context: dict) -> list:
    """Every content object read (articles, pages, drafts, entity pages), once each."""
    seen: dict[int, object] = {}
    for content in context.get("generated_content", {}).values():
        if content is not None and getattr(content, "_content", None):
            seen.setdefault(id(content), content)
    return list(seen.values())


def check_placeholders(context: dict, settings: dict) -> list[Problem]:
    """Problems with the link placeholders of every document (Pelican's own link regex)."""
    content_root = os.path.abspath(settings["PATH"])
    real_root = os.path.realpath(content_root)
    problems = []
    for document in _documents(context):
        links = document._get_intrasite_link_regex()
        for match in links.finditer(document._content):
            what, value = match["what"], match["value"]
            if what not in PLACEHOLDERS:
                continue  # Pelican warns, and a warning fails the build
            written = match["path"][: len(what) + 2]  # `{index}` or `|index|`
            why = _placeholder_problem(what, written, html.unescape(value), document,
                                       content_root, real_root)
            if why:
                source = document.source_path
                line = line_of(source, [match["path"], html.unescape(match["path"]),
                                        f"{{{what}}}{value[:20]}", f"{{{what}}}"])
                problems.append(Problem(display_path(source), f"link "
                                        f"'{shown(html.unescape(match['path']))}': {why}",
                                        line=line, code="link.placeholder"))
    return problems


def _placeholder_problem(what: str, written: str, value: str, document, content_root: str,
                         real_root: str) -> str | None:
    target = browser_form(value)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or _SCHEME.match(target):
        return (f"after {written} comes a path inside the site, not an address with a "
                f"scheme or host; {_RULE}")
    if what not in ("filename", "static", "attach"):
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        relative = path.lstrip("/")
    else:
        relative = posixpath.join(document.relative_dir.replace(os.sep, "/"), path)
    full = os.path.normpath(os.path.join(content_root, relative))
    if not _inside(full, content_root) or (os.path.exists(full) and not _inside(
            os.path.realpath(full), real_root)):
        return (f"the {written} target is outside the content folder; link only to files "
                "inside it")
    return None


def check_static_files(staticfiles: list, settings: dict, output_path: str) -> list[Problem]:
    """Static files must come from inside the content folder and go inside the output."""
    content_root = os.path.realpath(settings["PATH"])
    output_root = os.path.abspath(output_path)
    problems = []
    for static in staticfiles:
        source = os.path.join(settings["PATH"], static.source_path)
        destination = os.path.normpath(os.path.join(output_root, static.save_as))
        if not _inside(os.path.realpath(source), content_root) or not _inside(
                destination, output_root):
            problems.append(Problem(display_path(source), "is a static file outside the "
                                    "content folder, or would be written outside the site; "
                                    "keep static files inside the content folder",
                                    code="static.outside"))
    return problems


# --- the scan of written files ---------------------------------------------------------------

SCANNED = (".html", ".htm", ".xhtml", ".svg", ".xml", ".atom", ".rss")
# One pass of one expression per file, anchored on `=` (a literal, which the regex engine
# finds fast; an alternation of attribute names at every position was ten times slower).
# Only values that can carry a scheme match: a `:` (or a `&`, which may encode one) before
# any `/`, `?` or `#`, and not starting with an allowed scheme, so the thousands of relative
# and https links of a site cost no Python. The attribute's name is checked for the few
# values that match.
_RISKY = rb"(?!(?i:https?|mailto):)"
_VALUE = re.compile(
    rb"=\s*(?:"
    rb'"' + _RISKY + rb'([^"/?#:&]*[:&][^"]*)"'
    rb"|'" + _RISKY + rb"([^'/?#:&]*[:&][^']*)'"
    rb"|" + _RISKY + rb"([^\s\"'>/?#:&]*[:&][^\s\"'>]*))")
_NAME = re.compile(
    rb"[\s\"'/](href|src|action|formaction|xlink:href|poster|cite|data|background|ping|manifest"
    rb"|icon|codebase|longdesc|usemap)\s*$", re.I)
# srcset lists URLs after commas (`a/b.png 1x, javascript:x 2x`): every value is checked.
_SRCSET = re.compile(rb"""[\s"'/](srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _in_tag(text: bytes, offset: int) -> bool:
    """Whether `offset` is inside a tag (`<...>`), not in text that merely looks like one."""
    return text.rfind(b"<", 0, offset) > text.rfind(b">", 0, offset)


def _urls(text: bytes):
    """(offset, attribute, decoded value) of every URL attribute in markup that may carry a
    scheme."""
    for match in _VALUE.finditer(text):
        name = _NAME.search(text, max(0, match.start() - 40), match.start())
        if name is None or not _in_tag(text, match.start()):
            continue
        raw = next(group for group in match.groups() if group is not None)
        yield (name.start(), name[1].decode("ascii").lower(),
               html.unescape(raw.decode("utf-8", "replace")))
    if b"srcset" not in text.lower():
        return
    for match in _SRCSET.finditer(text):
        if not _in_tag(text, match.start()):
            continue
        raw = next(group for group in match.groups()[1:] if group is not None)
        for item in html.unescape(raw.decode("utf-8", "replace")).split(","):
            yield match.start(), "srcset", item.strip().split(" ")[0]


def scan_file(data: bytes, feed: bool = False) -> list[tuple[int, str, str, str]]:
    """(line, attribute, URL, why) of each URL not allowed in a written file. In a feed the
    entries' HTML is escaped text: it is unescaped once and scanned as markup too."""
    found = []
    texts = [data]
    if feed:
        texts.append(html.unescape(data.decode("utf-8", "replace")).encode("utf-8"))
    for index, text in enumerate(texts):
        for offset, name, url in _urls(text):
            why = refused(url)
            if why:
                line = text.count(b"\n", 0, offset) + 1 if index == 0 else None
                found.append((line, name, url, why))
    return found


def scan_problems(relative: str, data: bytes, source_path: str | None) -> list[str]:
    """Problem lines for one written file (`relative` to the site), located in the document
    that the page comes from when it is known."""
    problems = []
    head = data[:2000]
    feed = relative.endswith((".xml", ".atom", ".rss")) and (b"<feed" in head or b"<rss" in head)
    for line, name, url, why in scan_file(data, feed=feed):
        where = f"{relative}, line {line}" if line else relative
        message = f"{name} '{shown(url)}' (in {where}): {why}"
        if source_path and os.path.exists(source_path):
            found = line_of(source_path, [url, url[:30]])
            at = f"{display_path(source_path)}:{found}" if found else display_path(source_path)
            problems.append(Coded(f"{at}: {message}", "url.refused"))
        else:
            problems.append(Coded(f"{relative}{':' + str(line) if line else ''}: {name} "
                                  f"'{shown(url)}': {why}", "url.refused"))
    return problems

"""What one citation says: a reference key or an article paragraph, a locator, quoted words.

The same item is written three ways, and all three are read here into one `Cite`:

- in a row's or event's `refs:` list, as text: `csto-charter-2002`, `slug#p-12`,
  `'slug#p-12 "the words"'`;
- in `refs:` as a mapping: `{key: csto-charter-2002, locator: 'art. 16', quote: "words"}`;
- in prose, inside `[@...]`: `@csto-charter-2002`, `@csto-charter-2002, art. 16`,
  `@key, p. 12 "words"`, `@slug#p-7 "words"`.

Whether a key names a reference (content/references/*.yaml) or a slug a document is decided
later, with every file in hand (model/references.py, link/refs_check.py); here only the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARAGRAPH = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#p-(?P<number>[1-9][0-9]*)$")
# One prose item without its '@': the target, then ', locator' and/or '"words"'.
_ITEM = re.compile(r'^(?P<target>[^\s,"“]+)(?:\s*,\s*(?P<locator>[^"“]*?))?'
                   r'(?:\s*(?P<words>["“].*["”]))?\s*$', re.S)
MAPPING_FIELDS = ("key", "locator", "quote")
HOW = ("a reference key ('csto-charter-2002'), an article paragraph ('slug#p-12'), or a "
       "mapping {key: ..., locator: 'art. 16', quote: \"words\"}")


@dataclass(frozen=True)
class Cite:
    """One citation: of a reference (`key`) or of a paragraph (`key` is then the document's
    slug and `paragraph` its number), with an optional locator and the words relied on."""

    key: str
    paragraph: int | None = None
    locator: str = ""
    quote: str | None = None

    @property
    def is_paragraph(self) -> bool:
        return self.paragraph is not None

    @property
    def target(self) -> str:
        """`key`, or `slug#p-N` for a paragraph."""
        return f"{self.key}#p-{self.paragraph}" if self.is_paragraph else self.key

    @property
    def paragraph_text(self) -> str:
        """The paragraph citation as link/citations.py checks it: `slug#p-N "words"`."""
        return self.target + (f' "{self.quote}"' if self.quote is not None else "")

    def written(self) -> str:
        """The citation in one line, as prose writes it (without '@'): also its export form."""
        text = self.target
        if self.locator:
            text += f", {self.locator}"
        if self.quote is not None:
            text += f' "{self.quote}"'
        return text


def _unquote(words: str) -> str:
    return words[1:-1]


def parse_text(text: str) -> tuple[Cite | None, str | None]:
    """One item written as text (a `refs:` string, or a prose item after its '@'): the cite,
    or what is wrong with it."""
    body = " ".join(text.split())
    if not body:
        return None, "is empty; write " + HOW
    match = _ITEM.match(body)
    if not match:
        return None, (f"'{body}' is not a citation; write {HOW}; quoted words go in double "
                      'quotes after it, e.g. slug#p-19 "the seven-country CSTO"')
    target, locator = match["target"], (match["locator"] or "").strip()
    words = _unquote(match["words"]) if match["words"] else None
    if words is not None and not words.strip():
        return None, f"'{body}' quotes empty words; quote the words relied on"
    if match["locator"] is not None and not locator:
        return None, f"'{body}' has a ',' with no locator after it; write e.g. ', art. 16'"
    paragraph = _PARAGRAPH.match(target)
    if paragraph:
        if locator:
            return None, (f"'{body}' gives a locator to a paragraph citation; the paragraph is "
                          "the locator: remove ', " + locator + "'")
        return Cite(paragraph["slug"], int(paragraph["number"]), "", words), None
    if "#" in target:
        slug, _, anchor = target.partition("#")
        if KEY.match(slug):
            return None, f"'#{anchor}' is not a paragraph: write '#p-<n>' with n from 1"
    if not KEY.match(target):
        return None, (f"'{target}' is not a key: use lowercase letters, digits and single "
                      "hyphens, e.g. 'csto-charter-2002'")
    return Cite(target, None, locator, words), None


def parse_mapping(item: dict) -> tuple[Cite | None, str | None]:
    """One `refs:` item written as a mapping {key, locator, quote}."""
    unknown = [str(name) for name in item if name not in MAPPING_FIELDS]
    if unknown:
        return None, (f"'{unknown[0]}' is not a field of a citation; use key, locator and "
                      "quote")
    key, locator, quote = item.get("key"), item.get("locator"), item.get("quote")
    if not isinstance(key, str) or not key.strip():
        return None, "needs 'key:', a reference key or an article paragraph 'slug#p-12'"
    for name, value in (("locator", locator), ("quote", quote)):
        if value is not None and not isinstance(value, (str, int)):
            return None, f"{name}: must be text"
    if quote is not None and not str(quote).strip():
        return None, "quote: is empty; quote the words relied on"
    cite, error = parse_text(key.strip())
    if error:
        return None, error
    if cite.quote is not None and quote is not None:
        return None, "gives the quoted words twice (in key and quote); keep 'quote:'"
    locator = "" if locator is None else " ".join(str(locator).split())
    if locator and cite.is_paragraph:
        return None, ("gives a locator to a paragraph citation; the paragraph is the "
                      "locator: remove 'locator:'")
    return Cite(cite.key, cite.paragraph, locator or cite.locator,
                cite.quote if quote is None else " ".join(str(quote).split())), None


def parse_item(item) -> tuple[Cite | None, str | None]:
    if isinstance(item, str):
        return parse_text(item)
    if isinstance(item, dict):
        return parse_mapping(item)
    return None, f"must be {HOW}"


def parse_refs(value) -> tuple[tuple[Cite, ...], list[tuple[int, str]]]:
    """A `refs:` value (a list; one text is taken as a list of one): the cites, and the
    (index, what is wrong) of each bad item."""
    if value is None:
        return (), []
    items = [value] if isinstance(value, (str, dict)) else value
    if not isinstance(items, list):
        return (), [(-1, "must be a list of citations: " + HOW)]
    cites, errors = [], []
    for index, item in enumerate(items):
        cite, error = parse_item(item)
        if error:
            errors.append((index, error))
        else:
            cites.append(cite)
    return tuple(cites), errors

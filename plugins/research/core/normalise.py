"""How names are compared: one module for the linker (text) and the registry (aliases).

The linker folds apostrophes in the text it searches (a length-preserving change, so offsets
into the text stay valid); the registry's uniqueness check must compare aliases the same way,
or two aliases that differ only by a straight and a curly apostrophe both pass and the linker
then sends one entity's mentions to the other (issue 12). `name_key` goes further for the
check only: NFC, invisible characters stripped, apostrophes folded; `problems_of_alias` says
what an editor must fix before an alias can be used at all.
"""

from __future__ import annotations

import unicodedata

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# Zero-width and bidi control characters: invisible in an editor, but they make two equal-
# looking aliases different strings (and a zero-width space inside an alias never matches).
INVISIBLE = frozenset("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c"
                      "\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
                      "\ufeff")
_STRIP = {ord(char): None for char in INVISIBLE}
# Words too common to be an alias: each would link hundreds of ordinary words ("May", "The").
# Compared case-insensitively; acronyms in capitals ("US", "UN") are not words of this list.
STOP_WORDS = frozenset("""
a an and are as at be but by can do for from had has have he her his i if in is it its may
me might must my no nor not of on or our out she so than that the their them then there
these they this those to up us was we were what when which who will with would yes you
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())
MIN_ALIAS_LENGTH = 2


def fold_apostrophes(text: str) -> str:
    """Straight apostrophes for curly ones; the same length, so offsets are kept."""
    if "’" in text or "‘" in text or "ʼ" in text:  # (faster than translate when absent)
        return text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return text


def name_key(name: str) -> str:
    """The form under which two names are the same name: NFC, invisible characters removed,
    apostrophes folded, surrounding spaces dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFC", name).translate(_STRIP)
    return " ".join(fold_apostrophes(text).split())


def _script(char: str) -> str | None:
    """The script of a letter as its Unicode name starts ("LATIN", "CYRILLIC", "GREEK")."""
    if not char.isalpha():
        return None
    try:
        return unicodedata.name(char).split()[0]
    except ValueError:
        return None


def mixed_script(name: str) -> tuple[str, str] | None:
    """(the odd letter, its script) if a name mixes Latin with Cyrillic or Greek letters: a
    look-alike ("Gеorgia" with a Cyrillic е) that reads like another name but never matches
    it. A name written wholly in one script ("СНГ", "胡锦涛") is fine."""
    scripts: dict[str, list[str]] = {}
    for char in unicodedata.normalize("NFC", name):
        script = _script(char)
        if script in ("LATIN", "CYRILLIC", "GREEK"):
            scripts.setdefault(script, []).append(char)
    if "LATIN" in scripts and len(scripts) > 1:
        latin = len(scripts["LATIN"])
        for script, chars in scripts.items():
            if script != "LATIN" and len(chars) <= latin:
                return chars[0], script.title()
        return scripts["LATIN"][0], "Latin"
    return None


def problems_of_alias(alias: str, forced: bool = False) -> list[tuple[str, str]]:
    """(code, message) for each reason `alias` cannot be used as written."""
    found = []
    invisible = sorted({f"U+{ord(c):04X}" for c in alias if c in INVISIBLE})
    if invisible:
        found.append(("alias.invisible", f"contains invisible character(s) {', '.join(invisible)}; "
                      "retype the alias without them"))
    odd = mixed_script(alias)
    if odd:
        char, script = odd
        found.append(("alias.confusable", f"mixes scripts: '{char}' is a {script} letter that "
                      "looks like a Latin one; retype the alias in one script"))
    if forced:
        return found
    key = name_key(alias)
    if len(key) < MIN_ALIAS_LENGTH:
        found.append(("alias.short", f"is shorter than {MIN_ALIAS_LENGTH} characters and would "
                      "link every occurrence; remove it, or list it under 'force_aliases' if "
                      "it is really meant"))
    elif key.casefold() in STOP_WORDS and not (key.isupper() and len(key) > 1):
        found.append(("alias.common-word", "is a common word and would link ordinary text; "
                      "remove it, or list it under 'force_aliases' if it is really meant"))
    return found

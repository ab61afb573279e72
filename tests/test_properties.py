"""Property-based tests (hypothesis): the front-matter loader, partial dates and the linker.

- Front-matter: whatever the text, splitting and loading it gives a mapping or a ContentError
  naming the file, never another exception; so does the whole reader on arbitrary bytes.
- Dates: a valid partial date survives format -> parse; anything else is a DateError; the
  order is a total order consistent with the days each date covers.
- Contract: any front-matter gives located, coded, one-line problems, never an exception;
  alias keys are stable.
- Linker: on text made of entity names, aliases, words, punctuation and Unicode, it never
  crashes, never nests links, changes nothing but the links it adds, and links only known
  entities, by one of their names, as whole words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from research.core import contract, dates

from research.read import frontmatter
from research.core.dates import DateError, PartialDate
from research.core.errors import ContentError, Problem
from research.link.linker import Linker
from research.core.normalise import name_key

FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- front-matter ------------------------------------------------------------------------------

YAMLISH = st.lists(st.sampled_from(list("abcXY019 :-_[]{},#&*!|>'\"%@`?\t\n\\.")
                                   + ["---", "- ", ": ", "\n  ", "é", "\u2028", "\ufeff",
                                      "\x00", "2008-02-30", "0000", "!!str", "<<: *a", "&a "]),
                   max_size=30).map("".join)
KEYS = st.sampled_from(["title", "name", "slug", "date", "tags", "members", "start", "x"])
VALUES = st.one_of(YAMLISH.filter(lambda s: "\n" not in s), st.text(max_size=15))


@st.composite
def front_matter_files(draw) -> str:
    """Text shaped like a content file, often valid, often subtly not."""
    lines = draw(st.lists(st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", KEYS, VALUES),
        st.builds(lambda k, v: f"  - {k}: {v}", KEYS, VALUES),
        YAMLISH), max_size=8))
    opening = draw(st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", "--- \n", "", "--\n"]))
    closing = draw(st.sampled_from(["---\n", "---", "", "...\n"]))
    body = draw(st.text(max_size=30))
    return opening + "\n".join(lines) + "\n" + closing + body


@FAST
@given(st.one_of(st.text(max_size=120), front_matter_files()))
def test_splitting_any_text_gives_a_document_or_a_content_error_naming_the_file(text):
    try:
        document = frontmatter.split(text, "content/x.md")
    except ContentError as err:
        assert err.problems
        assert all(problem.path == "content/x.md" for problem in err.problems)
        assert all(str(problem).startswith("content/x.md") for problem in err.problems)
        return
    assert isinstance(document.metadata, dict)
    assert all(isinstance(key, str) for key in document.metadata)
    assert document.body_line >= 3


@FAST
@given(front_matter_files(), st.sampled_from(["slug", "members[0]", "members[0].start",
                                              "tags[3]", "x.y", "[0]", ""]))
def test_locating_a_field_never_fails(text, where):
    line = frontmatter.locate(text, where)
    assert line is None or 2 <= line <= text.count("\n") + 1


@SLOW
@given(st.one_of(st.binary(max_size=200),
                 front_matter_files().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_the_reader_gives_content_or_a_content_error_for_any_bytes(tmp_path_factory, raw):
    from pelican.settings import DEFAULT_CONFIG
    from research.read.reader import ResearchMarkdownReader

    folder = tmp_path_factory.mktemp("reader")
    (folder / "sources").mkdir()
    path = folder / "sources" / "x.md"
    path.write_bytes(raw)
    config = dict(DEFAULT_CONFIG)
    config.update({"PATH": str(folder), "TIMEZONE": "UTC"})
    try:
        content, metadata = ResearchMarkdownReader(config).read(str(path))
    except ContentError as err:
        assert all(problem.path.endswith("x.md") for problem in err.problems)
        return
    assert isinstance(content, str) and isinstance(metadata, dict)


# -- dates -------------------------------------------------------------------------------------

@st.composite
def partial_dates(draw) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@FAST
@given(partial_dates())
def test_a_valid_partial_date_round_trips(date):
    text = date.iso()
    assert dates.parse(text) == date
    assert dates.parse(f"  {text} ") == date
    assert dates.parse(text).iso() == text
    assert date.first_day <= date.last_day
    assert date.human()  # never fails
    if date.precision == "day":
        assert dates.parse(dt.date(date.year, date.month, date.day)) == date


@FAST
@given(st.one_of(st.text(max_size=14),
                 st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z"),
                 st.integers(), st.booleans(), st.floats(), st.none()))
def test_any_other_value_is_a_date_error(value):
    try:
        parsed = dates.parse(value)
    except DateError as err:
        assert str(err)
        return
    # what is accepted is exactly a written partial date that exists
    assert isinstance(value, (str, int)) and not isinstance(value, bool)
    text = str(value).strip()
    assert parsed.iso() == text
    assert parsed.first_day <= parsed.last_day
    year, month, day = parsed.year, parsed.month, parsed.day
    if day:
        assert day <= calendar.monthrange(year, month)[1]


@FAST
@given(st.text(alphabet="0123456789-", min_size=4, max_size=10))
def test_digits_and_hyphens_parse_only_as_real_dates(text):
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    exists = False
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
            exists = True
        except ValueError:
            exists = False
    try:
        dates.parse(text)
    except DateError:
        assert not exists
    else:
        assert exists


@FAST
@given(partial_dates(), partial_dates(), partial_dates())
def test_the_order_is_total_and_follows_the_days_covered(a, b, c):
    assert (a < b) + (b < a) + (a == b) == 1
    if a < b and b < c:
        assert a < c
    if a.first_day < b.first_day:
        assert a < b
    if a < b:
        assert a.first_day <= b.first_day
    # a year sorts before the months and days in it, a month before its days
    if a.first_day == b.first_day and a.precision == "year" and b.precision != "year":
        assert a < b
    assert sorted([a, b, c]) == sorted([a, b, c], key=PartialDate.sort_key)


# -- the linker --------------------------------------------------------------------------------

ENTITIES = {
    "south-ossetia": ["South Ossetia"],
    "ossetia": ["Ossetia"],
    "russia": ["Russia", "Russian", "Moscow"],
    "csto": ["Collective Security Treaty Organization", "CSTO"],
    "sco": ["Shanghai Cooperation Organisation", "SCO"],
    "sergei-lavrov": ["Sergei Lavrov", "Lavrov"],
    "cote-divoire": ["Côte d’Ivoire"],
    "u-s": ["U.S."],
}
FORMS = {form: slug for slug, forms in ENTITIES.items() for form in forms}
WORDS = ["the", "and", "Georgia", "Russians", "Ossetian", "Lavrovs", "SCOs", "South", "Treaty",
         "Organization", "Moskva", "Côte", "d'Ivoire", "U.S", "US", "é", "日本", "Ωmega",
         "x_Russia", "Russia_x", "2008"]
PUNCTUATION = [" ", " ", " ", ", ", ". ", "’s ", "'s ", "-", "—", "(", ")", "“", "”", "\"",
               "'", "&", "<", ">", "\n", "\u00a0", "/", ":", ";", ""]


@st.composite
def prose(draw) -> str:
    pieces = draw(st.lists(st.one_of(
        st.sampled_from(sorted(FORMS)), st.sampled_from(WORDS), st.sampled_from(PUNCTUATION),
        st.text(max_size=4)), max_size=30))
    return "".join(pieces)


@st.composite
def documents(draw) -> str:
    """HTML like the reader's: paragraphs and list items of escaped prose, some of it in
    links, code, headings or `.nolink` spans that the linker must leave alone."""
    blocks = []
    for index in range(draw(st.integers(1, 3))):
        inline = []
        for text in draw(st.lists(prose(), min_size=1, max_size=3)):
            # markdown-it escapes quotes too (&quot;); the linker writes them back as text
            escaped = html.escape(text, quote=draw(st.booleans()))
            wrapper = draw(st.sampled_from(["", "", "", "em", "a", "code", "nolink"]))
            if wrapper == "a":
                escaped = f'<a href="https://example.test/">{escaped}</a>'
            elif wrapper == "nolink":
                escaped = f'<span class="nolink">{escaped}</span>'
            elif wrapper:
                escaped = f"<{wrapper}>{escaped}</{wrapper}>"
            inline.append(escaped)
        kind = draw(st.sampled_from(["p", "li", "h2"]))
        body = " ".join(inline)
        blocks.append(f'<p id="p-{index + 1}">{body}</p>' if kind == "p"
                      else f"<ul><li>{body}</li></ul>" if kind == "li" else f"<h2>{body}</h2>")
    return "\n".join(blocks)


_ENTITY_LINK = re.compile(r'<a class="entity-link entity-x" href="\{filename\}/([^"]*)\.md">'
                          r"(.*?)</a>", re.S)
_TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")
_NORMAL = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def _quotes(markup: str) -> str:
    return markup.replace("&quot;", '"').replace("&#x27;", "'")


def _link(document: str, policy: str = "all"):
    linker = Linker(FORMS, policy)
    return linker.link(document, lambda slug: "{filename}/" + slug + ".md",
                       lambda slug: "entity-link entity-x")


@settings(FAST, max_examples=100)
@given(documents(), st.sampled_from(["all", "first-in-paragraph", "first-in-document"]))
def test_linking_only_adds_links_and_never_nests_them(document, policy):
    linked, mentions, unknown = _link(document, policy)
    assert unknown == []
    # removing the links gives back the document exactly (a quote may lose its escaping)
    assert _quotes(_ENTITY_LINK.sub(lambda m: m[2], linked)) == _quotes(document)
    # links never nest, and none is inside a link, code, heading or .nolink span
    open_tags = []
    for match in _TAG.finditer(linked):
        closing, name = match[1], match[2]
        if closing:
            assert open_tags and open_tags[-1][0] == name, linked
            open_tags.pop()
            continue
        protected = name in ("a", "code", "h2") or 'class="nolink"' in match[0]
        if 'class="entity-link' in match[0]:
            assert not any(p for _, p in open_tags), linked
        open_tags.append((name, protected))
    assert open_tags == []
    # every link goes to a known entity, by one of its names
    links = _ENTITY_LINK.findall(linked)
    for slug, text in links:
        assert slug in ENTITIES
        assert html.unescape(text).translate(_NORMAL) in {
            form.translate(_NORMAL) for form in ENTITIES[slug]}
    assert len(links) == sum(m.linked for m in mentions)
    if policy == "all":
        assert all(m.linked for m in mentions)


@settings(FAST, max_examples=150)
@given(prose())
def test_matches_are_whole_words_and_do_not_overlap(text):
    found = Linker(FORMS).find(text)
    normal = text.translate(_NORMAL)
    reached = 0
    for start, end, slug in found:
        assert reached <= start < end <= len(text)
        reached = end
        assert normal[start:end] in {form.translate(_NORMAL) for form in ENTITIES[slug]}
        for neighbour in (normal[start - 1: start], normal[end: end + 1]):
            assert not (neighbour.isalnum() or neighbour == "_")
    # leftmost-longest: no longer name starts where a match starts
    for start, end, _slug in found:
        for form in FORMS:
            longer = form.translate(_NORMAL)
            if len(longer) > end - start and normal.startswith(longer, start):
                after = normal[start + len(longer): start + len(longer) + 1]
                assert after.isalnum() or after == "_", (text, longer)


@FAST
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.sampled_from(["a", "b", "c"]),
                       max_size=6), st.text(max_size=60))
def test_any_names_and_text_never_crash_the_linker(forms, text):
    assume(all(form.strip() for form in forms))
    linker = Linker(forms, "all")
    document = f'<p id="p-1">{html.escape(text, quote=False)}</p>'
    linked, mentions, _ = linker.link(document, lambda slug: f"{slug}.md", lambda slug: "e")
    stripped = re.sub(r'<a class="e" href="[abc]\.md">(.*?)</a>', r"\1", linked, flags=re.S)
    assert stripped == document
    assert {m.slug for m in mentions} <= set(forms.values())


# -- the contract ------------------------------------------------------------------------------

_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.dates(), lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
_FIELDS = st.sampled_from(sorted({f.name for s in contract.ALL_SCHEMAS.values()
                                  for f in s.fields}) + ["autor", "x"])


@FAST
@given(st.sampled_from(sorted(contract.ALL_SCHEMAS)), st.dictionaries(_FIELDS, _YAML_VALUES,
                                                                      max_size=8))
def test_any_front_matter_gives_problems_never_an_exception(kind, data):
    problems = contract.validate(contract.ALL_SCHEMAS[kind], data, "f.md",
                                 frontmatter.Locator(""))
    assert all(isinstance(p, Problem) and p.code for p in problems)
    assert all("\n" not in str(p) and len(str(p)) < 1000 for p in problems)
    if not problems:  # what passes has every required field
        assert all(data.get(f.name) not in (None, "") for f in contract.ALL_SCHEMAS[kind].fields
                   if f.required)


@FAST
@given(st.text(max_size=40))
def test_name_keys_are_stable(text):
    assert name_key(name_key(text)) == name_key(text)
    assert name_key(text.replace("'", "’")) == name_key(text)

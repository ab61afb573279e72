"""A deterministic synthetic research site, for benchmarks: N documents, M entities.

`generate(folder, documents=N, entities=M, seed=S)` writes a complete site:

    folder/pelicanconf.py          our settings: the project's theme and `research` plugin
    folder/content/sources/        one document in three: a source (author, outlet, quotes)
    folder/content/briefings/      the others: briefing notes (headings, footnotes,
                                   `[@source#p-n]` citations, `events:`)
    folder/content/entities/       M entities: organizations, people, countries, territories,
                                   with aliases and dated memberships / positions /
                                   recognitions, every row with `refs:`
    folder/plainconf.py            settings for plain Pelican (default theme, no plugins)
    folder/plain/content/          the same documents with Pelican's own `Key: value`
                                   metadata, for its python-markdown reader

Documents are about 600 words in paragraphs of four to six sentences. Each one is "about" a
handful of entities drawn with a Zipf-like skew (a few entities are everywhere, most are
rare, as in real news) and names them by name, alias or possessive roughly once every 15
words. Every random choice comes from `random.Random` seeded with the seed and the item's
index, so the same arguments always write the same bytes, and document i is the same
whatever N is (the corpus for N=1,000 is the first 1,000 documents of the one for N=10,000;
entity files depend on M and the seed only, as long as N >= 60).

Run `python bench/corpus.py FOLDER --documents N --entities M [--seed S]`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 2  # bump when the output changes, so cached corpora are regenerated

# Share of each type among the M entities.
TYPE_SHARES = (("organization", 0.20), ("person", 0.40), ("country", 0.30),
               ("territory", 0.10))
# Base chance that an organization has members: three times that for alliances, unions and
# the like, a fifth of it for agencies and institutes (about one organization in six).
BODIES_WITH_MEMBERS = 0.10
SOURCE_EVERY = 3  # document i is a source when i % SOURCE_EVERY == 0, else a briefing note
CITABLE_SOURCES = 20  # entity rows cite paragraphs of the first sources only
WORDS_PER_DOCUMENT = 600
MENTION_EVERY = 15  # about one entity mention per this many words

_SYLLABLES = ("ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re "
              "ri ro sa se si so ta te ti to va ve vi vo za ze zi zo dar len mir nor sal tan "
              "vel kor bran stav gor dun").split()
_ENDINGS = ("ia", "ania", "ora", "istan", "land", "avia", "ura", "esh", "ova")
_FIRST = ("Anton Boris Clara Dmitri Elena Farid Galina Hamid Irina Jonas Katya Lev Marta "
          "Nadia Oleg Petra Rustam Sofia Timur Ulla Viktor Wanda Yuri Zara").split()
_ORG_KINDS = ("Treaty Organization", "Cooperation Council", "Economic Community", "Union",
              "Security Forum", "Development Bank", "News Agency", "Institute",
              "Press Service", "Research Centre")
_ORG_KIND_LABELS = ("military alliance", "regional organization", "economic community",
                    "union", "security forum", "development bank", "news agency",
                    "think tank", "news website", "think tank")
_ROLES = ("member", "member", "member", "observer", "dialogue partner")
_OFFICES = ("Minister of Foreign Affairs", "Minister of Defence", "President",
            "Prime Minister", "Secretary-General", "Deputy Secretary-General",
            "Ambassador", "Chair of the Council", "Director", "Spokesperson")
_OUTLETS = ("Daily Wire Service", "Evening Courier", "Regional Monitor", "World Gazette")
# Filler prose: lower-case words only, so they can never be mistaken for names.
_WORDS = ("the a of to and in on for with by from at as that this its their which while "
          "after before against between among under over talks meeting summit statement "
          "treaty agreement border security support pressure forces troops officials "
          "ministers leaders delegation government parliament region conflict crisis "
          "ceasefire sanctions trade energy pipeline gas oil exports investment loans "
          "relations cooperation alliance partners neighbours allies observers analysts "
          "reporters agency declaration proposal plan draft vote resolution council "
          "committee session week month year spring autumn capital city coast mountains "
          "said told warned urged agreed rejected welcomed denied announced signed backed "
          "opposed recognised discussed expected failed sought offered pledged insisted "
          "quickly publicly reluctantly formally again still later earlier also only "
          "new old former joint regional military economic political diplomatic "
          "international national local strategic cautious firm open wider deeper "
          "broad narrow").split()
# Capitalised words that start sentences; the lint treats them as ordinary words.
_OPENERS = ("The", "In", "After", "While", "Before", "Despite", "Since", "Although", "Under",
            "Between", "During", "Following")


@dataclass
class EntityPlan:
    slug: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)


def _demonym(stem: str) -> str:
    if stem.endswith("a"):
        return stem + "n"  # Valdoria -> Valdorian
    return stem + ("i" if stem.endswith("n") else "er")  # Kazistan -> Kazistani


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


class _Names:
    """Unique surface forms: every name and alias of the site belongs to one entity."""

    def __init__(self) -> None:
        self.taken: set[str] = set(_OPENERS) | set(_FIRST)
        self.slugs: set[str] = set()

    def claim(self, make) -> str | None:
        """A form made by `make()` that no entity has yet (None if 50 tries fail)."""
        for _ in range(50):
            form = make()
            if form not in self.taken:
                self.taken.add(form)
                return form
        return None

    def slug(self, name: str) -> str:
        base = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        base = "-".join(part for part in base.split("-") if part)
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


def plan_entities(count: int, seed: int) -> list[EntityPlan]:
    """Names, aliases and types of `count` entities (deterministic)."""
    rng = random.Random(f"{seed}-names")
    names = _Names()
    plans = []
    cumulative = list(accumulate(share for _, share in TYPE_SHARES))
    for index in range(count):
        kind = TYPE_SHARES[min(bisect(cumulative, (index + 0.5) / count),
                               len(TYPE_SHARES) - 1)][0]
        if kind == "country":
            stem = names.claim(lambda: _word(rng, 2) + rng.choice(_ENDINGS))
            aliases = [names.claim(lambda: f"Republic of {stem}"),
                       names.claim(lambda: _demonym(stem))]
            name = stem
        elif kind == "territory":
            name = names.claim(lambda: _word(rng, 3))
            aliases = [names.claim(lambda: name + "ese")]
        elif kind == "person":
            surname = names.claim(lambda: _word(rng, rng.choice((2, 3))))
            first = rng.choice(_FIRST)
            name = names.claim(lambda: f"{first} {surname}")
            aliases = [surname]
        else:
            core = names.claim(lambda: _word(rng, 2))
            suffix = rng.choice(_ORG_KINDS)
            name = names.claim(lambda: f"{core} {suffix}")
            acronym = names.claim(lambda: (core[0] + "".join(w[0] for w in suffix.split())
                                           + rng.choice("ABCDEFGHKLMNPRSTVZ")).upper())
            aliases = [acronym]
        if name is None:
            raise RuntimeError("cannot find a free name; use another seed")
        plans.append(EntityPlan(names.slug(name), name, kind,
                                [a for a in aliases if a is not None]))
    return plans


# -- documents ----------------------------------------------------------------------------


def _zipf_weights(count: int) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(count)))


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def _surface(rng: random.Random, entity: EntityPlan) -> str:
    form = entity.name if not entity.aliases or rng.random() < 0.6 else rng.choice(
        entity.aliases)
    return form + "’s" if rng.random() < 0.1 else form


def _sentence(rng: random.Random, topic: list[EntityPlan], everyone: list[EntityPlan],
              weights: list[float]) -> str:
    length = rng.randint(12, 20)
    words = [rng.choice(_WORDS) for _ in range(length)]
    expected = length / MENTION_EVERY - 0.3  # 0.3: the opener below
    for _ in range(int(expected) + (rng.random() < expected - int(expected))):
        entity = rng.choice(topic) if rng.random() < 0.75 else _pick(rng, everyone, weights)
        words[rng.randrange(1, length)] = _surface(rng, entity)
    if rng.random() < 0.3:
        words[0] = _surface(rng, rng.choice(topic))
    else:
        words[0] = rng.choice(_OPENERS)
    if rng.random() < 0.3:
        words[length // 2] += ","
    return " ".join(words) + "."


def _paragraph(rng, topic, everyone, weights) -> str:
    return " ".join(_sentence(rng, topic, everyone, weights) for _ in range(rng.randint(4, 6)))


@dataclass
class DocumentPlan:
    index: int
    kind: str  # "sources" or "briefings"
    slug: str
    title: str
    date: str
    paragraphs: list[str]


def source_slug(index: int) -> str:
    return f"source-{index:06d}"


def briefing_slug(index: int) -> str:
    return f"briefing-{index:06d}"


def _paragraph_count(seed: int, index: int) -> int:
    """A source's number of paragraphs, known without writing it (sources are cited)."""
    return random.Random(f"{seed}-paragraphs-{index}").randint(6, 9)


def _source_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"{seed}-document-{index}")


def _topic(rng, everyone, weights) -> list[EntityPlan]:
    topic: list[EntityPlan] = []
    while len(topic) < 6:
        entity = _pick(rng, everyone, weights)
        if entity not in topic:
            topic.append(entity)
    return topic


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def write_document(content: Path, plain: Path, index: int, seed: int,
                   entities: list[EntityPlan], weights: list[float],
                   people: list[EntityPlan]) -> None:
    rng = _source_rng(seed, index)
    topic = _topic(rng, entities, weights)
    year = 2000 + rng.randrange(20)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    lead = topic[0].name
    tags = sorted({e.name for e in topic[:rng.randint(3, 5)]})
    words = 0
    if index % SOURCE_EVERY == 0:
        kind, slug = "sources", source_slug(index)
        paragraphs = []
        for _ in range(_paragraph_count(seed, index)):
            paragraphs.append(_paragraph(rng, topic, entities, weights))
        words = sum(len(p.split()) for p in paragraphs)
        while words < WORDS_PER_DOCUMENT - 60:  # top up to about 600 words
            paragraphs[-1] += " " + _sentence(rng, topic, entities, weights)
            words = sum(len(p.split()) for p in paragraphs)
        title = f"{lead} and {topic[1].name} after the {rng.choice(_WORDS)} talks"
        author = f"{rng.choice(_FIRST)} {_word(rng, 2)}"
        date = f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
        quotes = []
        for number in rng.sample(range(1, len(paragraphs) + 1), k=rng.randint(0, 2)):
            sentence = paragraphs[number - 1].split(". ")[0]
            spoken = " ".join(sentence.split()[2:9])
            quotes.append((rng.choice(people).slug, spoken, number))
        meta = [f"title: {_yaml_text(title)}", f"slug: {slug}", f"author: {author}",
                f"outlet: {rng.choice(_OUTLETS)}", f'date: "{date}"',
                f"summary: {_yaml_text(paragraphs[0].split('. ')[0] + '.')}",
                "provenance: Synthetic text written by bench/corpus.py for benchmarks.",
                "cleaning:", "  - Nothing was changed.",
                f"tags: [{', '.join(tags)}]"]
        if quotes:
            meta.append("quotes:")
            for speaker, spoken, number in quotes:
                meta += [f"  - speaker: {speaker}", f"    words: {_yaml_text(spoken)}",
                         f"    paragraph: {number}"]
        body = "\n\n".join(paragraphs) + "\n"
        plain_meta = [f"Title: {title}", f"Slug: {slug}", f"Author: {author}",
                      f"Date: {date}", f"Summary: {paragraphs[0].split('. ')[0]}.",
                      f"Tags: {', '.join(tags)}"]
    else:
        kind, slug = "briefings", briefing_slug(index)
        cited = [i for i in range(0, index, SOURCE_EVERY)]
        cited = rng.sample(cited[-200:], k=min(len(cited[-200:]), 2))  # recent sources
        blocks, footnotes, events = [], [], []
        used: set[int] = set()  # `sources:` must list exactly the sources the note cites
        while words < WORDS_PER_DOCUMENT:
            if rng.random() < 0.2:
                blocks.append(f"## {rng.choice(_WORDS).capitalize()} and "
                              f"{rng.choice(topic).name}")
            paragraph = _paragraph(rng, topic, entities, weights)
            words += len(paragraph.split())
            if cited and rng.random() < 0.5:
                source = rng.choice(cited)
                used.add(source)
                number = rng.randint(1, _paragraph_count(seed, source))
                paragraph = paragraph[:-1] + f" [@{source_slug(source)}#p-{number}]."
            if rng.random() < 0.15:
                footnotes.append(f"[^{len(footnotes) + 1}]: {_sentence(rng, topic, entities, weights)}")
                paragraph += f"[^{len(footnotes)}]"
            blocks.append(paragraph)
        for source in cited[:1]:
            used.add(source)
            number = rng.randint(1, _paragraph_count(seed, source))
            events.append((f"{year}-{month:02d}", f"{lead} and {topic[1].name} meet again.",
                           f"{source_slug(source)}#p-{number}"))
        title = f"{lead}, {topic[1].name} and the {rng.choice(_WORDS)} question"
        date = f"{year}-{month:02d}-{day:02d}"
        meta = [f"title: {_yaml_text(title)}", f"slug: {slug}", f"date: '{date}'",
                "author: Research team",
                f"summary: {_yaml_text(f'What {lead} and {topic[1].name} agreed, and what not.')}",
                f"sources: [{', '.join(source_slug(i) for i in sorted(used))}]",
                f"tags: [{', '.join(tags)}]"]
        if events:
            meta.append("events:")
            for when, text, source in events:
                meta += [f"  - date: '{when}'", f"    text: {_yaml_text(text)}",
                         f'    refs: ["{source}"]']
        body = "\n\n".join(blocks + footnotes) + "\n"
        plain_meta = [f"Title: {title}", f"Slug: {slug}", "Author: Research team",
                      f"Date: {date}", f"Summary: What {lead} and {topic[1].name} agreed.",
                      f"Tags: {', '.join(tags)}"]
    name = f"{slug}.md"
    (content / kind / name).write_text("---\n" + "\n".join(meta) + "\n---\n\n" + body,
                                       encoding="utf-8")
    (plain / kind / name).write_text("\n".join(plain_meta) + "\n\n" + body, encoding="utf-8")


# -- entities -----------------------------------------------------------------------------


REFERENCES = 24  # press reports in content/references/bench.yaml, cited by rows


def reference_key(index: int) -> str:
    return f"bench-report-{index:03d}"


def write_references(content: Path) -> None:
    """The corpus's bibliography: invented press reports, addresses on example.org; only
    those the entity files cite (an uncited reference is a lint finding)."""
    import re

    cited = sorted({int(m) for path in (content / "entities").rglob("*.md")
                    for m in re.findall(r"bench-report-(\d{3})", path.read_text("utf-8"))})
    lines = []
    for index in cited:
        lines += [f"- id: {reference_key(index)}", "  kind: press", "  type: article-newspaper",
                  f"  title: Report number {index}",
                  f"  container-title: {_OUTLETS[index % len(_OUTLETS)]}",
                  f"  issued: '{1995 + index % 25}-0{1 + index % 9}-1{index % 9}'",
                  f"  URL: https://example.org/bench/{index}", ""]
    (content / "references").mkdir(parents=True, exist_ok=True)
    (content / "references" / "bench.yaml").write_text("\n".join(lines), encoding="utf-8")


def _citation(rng: random.Random, documents: int, seed: int) -> str:
    """A row's `refs:` item: a paragraph of one of the first sources, or a reference key."""
    sources = [i for i in range(0, min(documents, CITABLE_SOURCES * SOURCE_EVERY), SOURCE_EVERY)]
    if sources and rng.random() < 0.4:
        index = rng.choice(sources)
        return f"{source_slug(index)}#p-{rng.randint(1, _paragraph_count(seed, index))}"
    return reference_key(rng.randrange(REFERENCES))


def _date(rng: random.Random, low: int, high: int) -> str:
    year = rng.randint(low, high)
    precision = rng.random()
    if precision < 0.3:
        return f"'{year}'"
    if precision < 0.5:
        return f"'{year}-{rng.randint(1, 12):02d}'"
    return f"'{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'"


def write_entity(folder: Path, index: int, entity: EntityPlan, by_type: dict,
                 everyone: list[EntityPlan], seed: int, documents: int) -> None:
    rng = random.Random(f"{seed}-entity-{index}")
    lines = ["---", f"name: {_yaml_text(entity.name)}", f"type: {entity.type}",
             f"slug: {entity.slug}", "aliases:"] + [f"  - {_yaml_text(a)}" for a in entity.aliases]
    countries = by_type["country"]
    if entity.type == "organization":
        kind = next(i for i, suffix in enumerate(_ORG_KINDS) if entity.name.endswith(suffix))
        lines += [f"kind: {_ORG_KIND_LABELS[kind]}", "founded: '1950'"]
        if rng.random() < BODIES_WITH_MEMBERS * (3 if kind < 6 else 0.2):
            size = min(len(countries), int(3 + rng.paretovariate(1.2) * 4))
            members = rng.sample(countries, k=min(size, 80))
            if by_type["territory"] and rng.random() < 0.3:
                members.append(rng.choice(by_type["territory"]))
            lines.append("members:")
            for member in members:
                start = rng.randint(1960, 2015)
                end = f"'{rng.randint(start + 1, 2022)}'" if rng.random() < 0.15 else ""
                lines += [f"  - member: {member.slug}", f"    role: {rng.choice(_ROLES)}",
                          f"    start: '{start}'", f"    end: {end}".rstrip(),
                          f"    refs: [{_yaml_text(_citation(rng, documents, seed))}]"]
    elif entity.type == "person":
        lines += [f"born: {_date(rng, 1930, 1980)}",
                  f"nationality: {rng.choice(countries).slug}", "positions:"]
        year = rng.randint(1985, 2010)
        for _ in range(rng.randint(1, 3)):
            end = year + rng.randint(1, 8)
            where = (f"    organization: {rng.choice(by_type['organization']).slug}"
                     if rng.random() < 0.4 else f"    country: {rng.choice(countries).slug}")
            lines += [f"  - office: {rng.choice(_OFFICES)}", where,
                      f"    start: '{year}'", f"    end: '{end}'" if end < 2020 else "    end:",
                      f"    refs: [{_yaml_text(_citation(rng, documents, seed))}]"]
            year = end
    elif entity.type == "country":
        lines += [f"iso3166: '{rng.choice('ABCDEFGHKLMNPRSTVZ')}{rng.choice('ABDEGKLMNRSTUZ')}'",
                  f"capital: {_word(rng, 2)} City"]
    else:
        claimant = rng.choice(countries)
        lines += [f"status: Breakaway region claimed by {_yaml_text(claimant.name)[1:-1]}.",
                  "claimed_by:", f"  - {claimant.slug}", "recognitions:"]
        for by in rng.sample(countries, k=min(len(countries), rng.randint(1, 6))):
            if by is claimant:
                continue
            date = rng.randint(1992, 2018)
            withdrawn = f"'{rng.randint(date + 1, 2023)}'" if rng.random() < 0.2 else ""
            lines += [f"  - by: {by.slug}", f"    date: '{date}'",
                      f"    withdrawn: {withdrawn}".rstrip(),
                      f"    refs: [{_yaml_text(_citation(rng, documents, seed))}]"]
        if lines[-1] == "recognitions:":
            lines.pop()
    others = [rng.choice(everyone) for _ in range(3)]
    others = [o for o in others if o is not entity]
    lines += [f"summary: {_yaml_text(f'A synthetic {entity.type} for benchmarks.')}", "---",
              f"{entity.name} is a synthetic {entity.type}. "
              + " ".join(f"It has dealings with {o.name}." for o in others), ""]
    (folder / f"{entity.slug}.md").write_text("\n".join(lines), encoding="utf-8")


# -- settings -----------------------------------------------------------------------------

_OUR_SETTINGS = '''"""Settings of a synthetic benchmark site written by bench/corpus.py."""

import os

ROOT = os.environ.get("RESEARCH_PROJECT_ROOT", {root!r})

SITENAME = "Synthetic research site"
SITESUBTITLE = "{documents} documents, {entities} entities (seed {seed})"
SITEURL = ""
RELATIVE_URLS = True
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

PATH = "content"
THEME = os.path.join(ROOT, "theme")
PLUGIN_PATHS = [os.path.join(ROOT, "plugins")]
PLUGINS = ["research"]
{common}
PARAGRAPH_ID_PATHS = ["sources", "briefings"]
MAX_FILE_BYTES = 2_000_000
JINJA_ENVIRONMENT = {{"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}}
MENU = [("Sources", "sources/"), ("Briefings", "briefings/"),
        ("Organizations", "organizations/"), ("People", "people/"),
        ("Countries", "countries/"), ("Memberships", "memberships/"),
        ("Timeline", "timeline/")]
ENTITY_LINK_POLICY = "first-in-paragraph"
LINT_IGNORE = []
SITE_TODAY = "2024-01-01"
AS_OF_DATES = [("2008-09-05", "a date of the sources"), ("today", "today")]
'''

_PLAIN_SETTINGS = '''"""Plain Pelican on the documents of the synthetic site: its default theme and
python-markdown reader, no plugins. Written by bench/corpus.py."""

SITENAME = "Synthetic research site (plain Pelican)"
SITEURL = ""
RELATIVE_URLS = True
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

PATH = "plain/content"
PLUGINS = []
{common}'''

# URL layout and page set shared by both builds, as in the project's pelicanconf.py.
_COMMON = '''
ARTICLE_PATHS = ["sources", "briefings"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
USE_FOLDER_AS_CATEGORY = True
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags"]
DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = 60
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
'''


def manifest(documents: int, entities: int, seed: int) -> dict:
    return {"generator": GENERATOR_VERSION, "documents": documents, "entities": entities,
            "seed": seed}


def generate(folder: Path | str, documents: int, entities: int, seed: int = 1) -> Path:
    """Write the site into `folder` (replacing what is there); returns the folder."""
    if entities < 8:
        raise ValueError("need at least 8 entities (two of each type)")
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    content, plain = folder / "content", folder / "plain" / "content"
    for kind in ("sources", "briefings"):
        (content / kind).mkdir(parents=True)
        (plain / kind).mkdir(parents=True)
    plans = plan_entities(entities, seed)
    by_type = {kind: [e for e in plans if e.type == kind] for kind, _ in TYPE_SHARES}
    folders = {"organization": "organizations", "person": "people", "country": "countries",
               "territory": "territories"}
    for name in folders.values():
        (content / "entities" / name).mkdir(parents=True)
    for index, entity in enumerate(plans):
        write_entity(content / "entities" / folders[entity.type], index, entity, by_type,
                     plans, seed, documents)
    order = random.Random(f"{seed}-popularity").sample(plans, k=len(plans))
    weights = _zipf_weights(len(order))
    for index in range(documents):
        write_document(content, plain, index, seed, order, weights, by_type["person"])
    write_references(content)
    common = _COMMON
    (folder / "pelicanconf.py").write_text(_OUR_SETTINGS.format(
        root=str(ROOT), documents=documents, entities=entities, seed=seed, common=common),
        encoding="utf-8")
    (folder / "plainconf.py").write_text(_PLAIN_SETTINGS.format(common=common),
                                         encoding="utf-8")
    (folder / "corpus.json").write_text(json.dumps(manifest(documents, entities, seed)) + "\n",
                                        encoding="utf-8")
    _stamp_paragraph_ids(folder)
    return folder


def _stamp_paragraph_ids(folder: Path) -> None:
    """What an editor runs before committing: `python -m research ids` gives every paragraph
    of our corpus its id and writes the citation lock (the plain corpus is left as is)."""
    import io
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from research.read.paragraph_ids import run

    if run(str(folder / "pelicanconf.py"), out=io.StringIO()) != 0:
        raise RuntimeError("stamping paragraph ids into the corpus failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--documents", "-n", type=int, default=1000)
    parser.add_argument("--entities", "-m", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.folder, args.documents, args.entities, args.seed)
    print(f"wrote {args.documents} documents and {args.entities} entities to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

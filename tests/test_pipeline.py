"""The link pipeline's steps and the registry loader, without Pelican: plain documents,
entity records from the test factory, and the build state."""

from __future__ import annotations

import pytest

from citesite import FakeDocument
from entity_factory import entity, row
from research.core.errors import ContentError
from research.core.state import BuildState
from research.model.references import Bibliography, Reference
from research.core.steps import Result, Step, run
from research.link import pipeline
from research.link.citations import CitationIndex
from research.model import loader
from research.read.frontmatter import SourceMap, split
from research.read.markdown import parse
from research.render import prepare
from research.render.views import build_views

SETTINGS = {"ENTITY_LINK_POLICY": "first-in-section", "PATH": "/nowhere/content",
            "AS_OF_DATES": [("2008-09-05", "the article's date")]}


class _Page(FakeDocument):
    """An entity page: its URL, source path and HTML (as the adapter makes it)."""


def _state(docs, entities):
    state = BuildState(dict(SETTINGS))
    state.registry = loader.load_registry(entities)
    state.views = build_views(state.registry, state.settings)
    state.documents = state.published = docs
    state.cite = CitationIndex(docs)  # (no lock file: the build's own comes from PATH)
    # the one reference the factory's rows cite (tests/entity_factory.py)
    state.bibliography = Bibliography({"test-source": Reference(
        "test-source", "press", "article-newspaper", {"title": "A test source"},
        "content/references/test.yaml", 1, "[0]")})
    for record in entities:  # pages for the linker's {filename} links
        page = FakeDocument(slug=record.slug, title=record.name, category="entities")
        page.source_path = f"/nowhere/content/entities/{record.slug}.md"
        state.add_page(state.registry.entities[record.slug], page)
    return state


def _html(state):
    contents = [*state.documents, *state.pages.values()]
    return {id(c): c._content for c in contents}, list(state.pages.values())


def _world():
    csto = entity("csto", "organization", name="Collective Security Treaty Organization",
                  aliases=["CSTO"], members=[row("russia", "member", "2002-10-07")])
    russia = entity("russia", "country", name="Russia")
    parsed = parse("Russia and the CSTO met Zorblaxian envoys. {#p-1}\n", paragraph_ids=True)
    doc = FakeDocument(slug="article", title="Article", paragraph_count=1,
                       _content=parsed.html,  # what the reader keeps (lint_texts: the lint's)
                       extra={"paragraphs": parsed.paragraphs, "lint_texts": parsed.lint_texts})
    doc.source_map = SourceMap("---\ntitle: Article\n---\nRussia and the CSTO met Zorblaxian "
                               "envoys. {#p-1}\n", 4)
    return doc, [csto, russia]


def test_the_link_steps_fill_the_state_and_leave_pelicans_objects_alone():
    doc, entities = _world()
    state = _state([doc], entities)
    html, pages = _html(state)
    before = doc._content
    run(pipeline.STEPS, state, html, pages)
    assert doc._content == before  # the adapter, not a step, writes the HTML back
    assert "{filename}/entities/russia.md" in html[id(doc)]
    assert state.mentions.count("russia") == 1 and state.mentions.count("csto") == 1
    assert [m.slug for m in state.document_mentions[id(doc)]] == ["russia", "csto"]
    assert state.cite is not None and state.cited_by is not None and state.works is not None
    assert [(f.name, f.line) for f in state.lint] == [("Zorblaxian", 4)]  # data, with a line


def test_a_step_result_must_name_a_field_of_the_state():
    state = BuildState({})
    with pytest.raises(AttributeError, match="not a field of the build state"):
        run([Step("bad", lambda r: Result({"no_such_field": 1}))], state, {}, [])


def test_a_gate_stops_the_run_with_every_problem_so_far():
    from research.core.errors import Problem

    seen = []
    steps = [Step("one", lambda r: Result(problems=[Problem("a.md", "first")])),
             Step("two", lambda r: Result(problems=[Problem("b.md", "second")]), gate=True),
             Step("three", lambda r: seen.append("ran") or Result())]
    with pytest.raises(ContentError) as err:
        run(steps, BuildState({}), {}, [])
    assert [p.message for p in err.value.problems] == ["first", "second"] and seen == []


def test_a_file_a_reader_refused_stops_the_link_stage_without_a_cascade():
    doc, entities = _world()
    state = _state([doc], entities)
    html, pages = _html(state)
    with pytest.raises(ContentError) as err:
        run(pipeline.STEPS, state, html, pages, files_failed=True)
    assert err.value.problems == []


def test_an_unknown_forced_link_is_located_from_the_source_map_not_the_file():
    doc, entities = _world()
    doc._content = '<p id="p-1"><a entity="nowhere">Somewhere</a></p>'
    doc.source_map = SourceMap("---\ntitle: A\n---\n\n[Somewhere]{entity=nowhere} {#p-1}\n", 4)
    state = _state([doc], entities)
    html, pages = _html(state)
    from research.link import crosslink

    problem = crosslink.unknown(doc, "nowhere")
    assert problem.line == 5 and problem.code == "link.unknown-entity"


def test_prepare_builds_timeline_maps_and_the_graph_before_rendering():
    doc, entities = _world()
    state = _state([doc], entities)
    html, pages = _html(state)
    linked = run(pipeline.STEPS, state, html, pages)
    run(prepare.STEPS, state, html, pages, work=linked.work)
    assert state.network is not None and "russia" in state.network.graph
    assert state.maps is not None and state.overlap_pairs == []
    assert any(e.kind == "joined" for e in state.events)


def test_the_loader_reads_entities_and_reports_every_problem_at_once():
    text = "---\nname: Russia\ntype: country\nslug: russia\nsummary: A state.\n---\nBody.\n"
    document = split(text, "content/entities/countries/russia.md")
    good = loader.EntityFile("content/entities/countries/russia.md", "russia.md",
                             "<p>Body.</p>", {**document.metadata, "summary": "A &amp; B"}, text)
    record, problems = loader.read_entity(good)
    assert problems == [] and record.slug == "russia" and record.summary == "A & B"
    bad_text = "---\nname: Nowhere\ntype: planet\n---\n"
    bad = loader.EntityFile("content/entities/x/nowhere.md", "nowhere.md", "",
                            split(bad_text, "nowhere.md").metadata, bad_text)
    record, problems = loader.read_entity(bad)
    assert record is None and problems and problems[0].line == 3  # from the text, not a file
    with pytest.raises(ContentError):
        loader.load_registry([], problems)
    assert loader.load_registry([loader.read_entity(good)[0]]).entities.keys() == {"russia"}

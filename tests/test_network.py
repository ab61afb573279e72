"""The entity network: edges from co-mentions and typed relations, layout, SVG, /network/."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from research.render import network
from research.link.linker import Mention
from research.link.mentions import MentionIndex
from research.render.network import (Network, backbone, build_graph, connections, short_name,
                              top_nodes)
from research.model.registry import Registry
from research.model.schema import read_entity
from entity_factory import entity, pages
from sitepages import parse


@pytest.fixture
def registry():
    sco = entity("sco", "organization", aliases=["SCO"], members=[
        {"member": "russia", "role": "member", "start": "2001-06-15", "refs": ["s"]},
        {"member": "china", "role": "member", "start": "2001-06-15", "refs": ["s"]},
        {"member": "india", "role": "observer", "start": "2005-07", "end": "2017-06-09",
         "refs": ["s"]},
        {"member": "india", "role": "member", "start": "2017-06-09", "refs": ["s"]},
    ])
    lavrov = entity("sergei-lavrov", "person", positions=[
        {"office": "Foreign Minister", "country": "russia", "start": "2004", "refs": ["s"]},
    ])
    abkhazia = entity("abkhazia", "territory", recognitions=[
        {"by": "russia", "date": "2008-08-26", "refs": ["s"]},
    ])
    loner = entity("tuvalu", "country")
    countries = [entity(s, "country") for s in ("russia", "china", "india", "georgia")]
    return Registry.build([sco, lavrov, abkhazia, loner, *countries])


def document(path):
    return SimpleNamespace(source_path=path)


def mention(slug, paragraph, anchor=None, in_note=False):
    return Mention(slug, slug, paragraph, f"{slug} here", 0, len(slug), True, in_note,
                   anchor or paragraph)


@pytest.fixture
def mentions():
    index = MentionIndex()
    article, note = document("sources/a.md"), document("briefings/b.md")
    index.add(article, [mention("russia", "p-1"), mention("georgia", "p-1"),
                        mention("russia", "p-1"),  # twice in one paragraph: counts once
                        mention("russia", "p-2"), mention("georgia", "p-2"),
                        mention("china", "p-2"), mention("sco", "p-3")])
    index.add(note, [mention("russia", "p-1"), mention("georgia", "p-1"),
                     # a list item: placed by its section's heading
                     mention("russia", None, "why"), mention("sco", None, "why"),
                     # names in the footnotes are no co-mention
                     mention("china", None, in_note=True), mention("sco", None, in_note=True)])
    return index


def kinds(graph, a, b):
    return graph[a][b]["kinds"] if graph.has_edge(a, b) else {}


def test_co_mentions_are_weighted_by_the_paragraphs_shared(registry, mentions):
    graph = build_graph(registry, mentions)
    assert kinds(graph, "russia", "georgia") == {"co-mention": 3}
    assert kinds(graph, "china", "georgia") == {"co-mention": 1}
    assert kinds(graph, "russia", "china") == {"co-mention": 1}
    assert kinds(graph, "china", "sco") == {"membership": 1}  # p-3 names the SCO alone


def test_typed_edges_come_from_memberships_positions_and_recognitions(registry, mentions):
    graph = build_graph(registry, mentions)
    assert kinds(graph, "sco", "india") == {"membership": 2}  # two rows: observer, member
    # an ended row says so, with its period: never "observer" as if it still held
    assert graph["sco"]["india"]["details"]["membership"] == [
        "former observer, 2005–2017", "member"]
    assert kinds(graph, "sco", "russia") == {"membership": 1, "co-mention": 1}
    assert graph["sco"]["russia"]["weight"] == 2
    assert kinds(graph, "sergei-lavrov", "russia") == {"position": 1}
    assert graph["sergei-lavrov"]["russia"]["details"]["position"] == ["Foreign Minister"]
    assert kinds(graph, "abkhazia", "russia") == {"recognition": 1}
    assert graph.degree("tuvalu") == 0
    assert network.primary_kind(graph["sco"]["russia"]) == "membership"


def test_without_mentions_only_typed_edges(registry):
    graph = build_graph(registry, None)
    assert not graph.has_edge("russia", "georgia")
    assert graph.has_edge("sco", "china")


def test_top_nodes_rank_by_weighted_degree_and_leave_out_the_unconnected(registry, mentions):
    graph = build_graph(registry, mentions)
    degrees = network.weighted_degrees(graph)
    assert degrees["russia"] == 3 + 1 + 2 + 1 + 1  # georgia, china, sco, lavrov, abkhazia
    ranked = top_nodes(graph, 100)
    assert ranked[0] == "russia"
    assert "tuvalu" not in ranked
    assert top_nodes(graph, 2) == ranked[:2]
    assert all(degrees[a] >= degrees[b] for a, b in zip(ranked, ranked[1:]))


def test_backbone_keeps_each_nodes_strongest_edges_among_those_shown(registry, mentions):
    graph = build_graph(registry, mentions)
    edges = backbone(graph, ["russia", "georgia", "china", "sco"], per_node=1)
    # russia's and georgia's strongest is each other (3); china's three edges all weigh 1,
    # so the first slug wins (georgia); the sco's is russia (membership + co-mention = 2)
    assert edges == [("china", "georgia"), ("georgia", "russia"), ("russia", "sco")]


def test_connections_group_by_kind_strongest_first(registry, mentions):
    graph = build_graph(registry, mentions)
    groups = connections(graph, registry, "russia",
                         ["georgia", "sco", "sergei-lavrov", "abkhazia", "china"])
    assert [kind for kind, _, _ in groups] == ["membership", "position", "recognition",
                                                "co-mention"]
    co = dict((kind, rows) for kind, _, rows in groups)["co-mention"]
    assert [(c.entity.slug, c.count) for c in co] == [("georgia", 3), ("china", 1),
                                                       ("sco", 1)]
    assert co[0].unit("co-mention") == "paragraphs"


def test_short_names_prefer_an_acronym_for_long_names():
    long = SimpleNamespace(name="Shanghai Cooperation Organisation", aliases=("SCO", "Shos"))
    assert short_name(long) == "SCO"
    person = SimpleNamespace(name="Central Asia-Caucasus Analyst", aliases=("CACI Analyst",))
    assert short_name(person) == "Central Asia-Caucasus Analyst"
    assert short_name(person, 18) == "Central Asia-Cauc…"


def _network(registry, mentions, **kwargs):
    return Network(registry, mentions, pages=pages(registry.entities.values()), **kwargs)


def test_the_same_input_gives_the_same_svg(registry, mentions):
    first = _network(registry, mentions)
    second = _network(registry, mentions)
    assert first.overview_svg("..") == second.overview_svg("..")
    assert first.ego_svg("russia", "..") == second.ego_svg("russia", "..")
    # and the layout does not depend on the order the registry was built in
    reordered = Registry.build(sorted(registry.entities.values(), key=lambda e: e.name,
                                      reverse=True))
    assert _network(reordered, mentions).overview_svg("..") == first.overview_svg("..")


def test_overview_svg_links_every_node_and_names_the_picture(registry, mentions):
    svg = _network(registry, mentions).overview_svg("..")
    assert 'aria-labelledby="network-title"' in svg and '<title id="network-title">' in svg
    assert 'aria-describedby="network-desc"' in svg
    hrefs = re.findall(r'<a href="([^"]+)"', svg)
    assert sorted(hrefs) == sorted(f"../x/{s}/" for s in
                                   ("russia", "georgia", "china", "sco", "india",
                                    "sergei-lavrov", "abkhazia"))
    assert "tuvalu" not in svg  # no connection: not drawn
    assert 'class="node node-organization"' in svg and 'class="node node-person"' in svg
    assert 'class="node node-territory"' in svg and 'class="node node-country"' in svg
    assert "edge-membership" in svg and "edge-position" in svg


def test_overview_is_limited_to_the_most_connected(registry, mentions):
    view = _network(registry, mentions, limit=3).overview
    assert len(view.nodes) == 3 and view.nodes[0] == "russia"
    assert view.connected == 7


def test_a_network_without_connections_draws_nothing(registry):
    lonely = Registry.build([entity("tuvalu", "country"), entity("nauru", "country")])
    net = _network(lonely, MentionIndex())
    assert net.overview.nodes == [] and net.overview_svg("") == ""
    assert net.overview_rows() == [] and net.ego_svg("tuvalu", "") == ""


def test_ego_graph_is_capped_and_centred(registry, mentions):
    net = _network(registry, mentions, ego_limit=2)
    assert net.neighbours("russia") == ["georgia", "sco"]
    assert net.neighbour_count("russia") == 5
    svg = net.ego_svg("russia", "")
    assert svg.count("<a href=") == 3
    assert 'class="centre"' in svg
    assert net.ego_svg("tuvalu", "") == ""


def test_layout_coordinates_are_rounded(registry, mentions):
    svg = _network(registry, mentions).overview_svg("")
    numbers = re.findall(r'(?:cx|cy|x1|y1|x2|y2|x|y)="(-?[\d.]+)"', svg)
    assert numbers and all(len(n.partition(".")[2]) <= 1 for n in numbers)


# -- the real site --------------------------------------------------------------------------

def test_the_network_page_links_to_the_sco(real_site):
    _, output = real_site
    path = output / "network" / "index.html"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    svg = text[text.index('<svg xmlns="http://www.w3.org/2000/svg" class="network-svg'):]
    svg = svg[:svg.index("</svg>")]
    assert re.search(r'<a href="[^"]*organizations/sco/"[^>]*><title>Shanghai Cooperation '
                     r'Organisation', svg)
    links = {href for href, _ in parse(path).links}
    assert any(href.endswith("organizations/sco/") for href in links)
    assert "most connected" in text


def test_entity_pages_show_their_neighbourhood(real_site):
    _, output = real_site
    text = (output / "organizations" / "sco" / "index.html").read_text(encoding="utf-8")
    assert 'id="connections-heading"' in text
    assert 'class="network-svg network-ego"' in text
    ego = text[text.index('class="network-svg network-ego"'):]
    ego = ego[:ego.index("</svg>")]
    assert ego.count("<a href=") <= network.EGO_LIMIT + 1


def test_ended_ties_are_labelled_only_once_ended(registry, mentions):
    from research.core.dates import parse
    before = build_graph(registry, mentions, today=parse("2010-01-01"))
    assert before["sco"]["india"]["details"]["membership"] == ["observer", "member"]
    after = build_graph(registry, mentions, today=parse("2020-01-01"))
    assert after["sco"]["india"]["details"]["membership"] == [
        "former observer, 2005–2017", "member"]


def test_the_acronym_of_the_name_wins_over_a_predecessors():
    osce = entity("osce", "organization", name="Organization for Security and Co-operation in Europe",
                  aliases=["OSCE", "CSCE", "Conference on Security and Co-operation in Europe"])
    assert short_name(osce) == "OSCE"


def test_media_organizations_are_left_out_of_the_overview(registry, mentions):
    from research.model.registry import Registry
    metadata = {"name": "Daily", "type": "organization", "slug": "daily", "summary": "s",
                "kind": "newspaper"}
    paper, problems = read_entity(metadata, "content/entities/daily.md", "", "daily")
    assert not problems
    full = Registry.build([*registry.entities.values(), paper])
    index = MentionIndex()
    index.add(document("sources/a.md"), [mention("daily", "p-1"), mention("russia", "p-1")])
    view = Network(full, index)
    assert "daily" not in view.overview.nodes and "russia" in view.overview.nodes
    assert [e.slug for e in view.left_out] == ["daily"]
    shown = Network(full, index, show_media=True)
    assert "daily" in shown.overview.nodes and shown.left_out == []


def test_edge_details_of_co_mentions_and_typed_ties(registry, mentions):
    """A co-mention edge keeps no details dict (memory); edge_details reads both kinds."""
    graph = build_graph(registry, mentions)
    assert "details" not in graph["russia"]["georgia"]
    assert network.edge_details(graph["russia"]["georgia"], "co-mention") == []
    both = graph["sco"]["russia"]  # a membership and a co-mention on one edge
    assert network.edge_details(both, "membership") == ["member"]
    assert network.edge_details(both, "co-mention") == []

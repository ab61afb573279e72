"""/data/network.gexf: network.py's graph for Gephi, re-read with networkx."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from research.export.formats.gexf import edges, gexf_text
from research.render.network import build_graph

NS = {"g": "http://www.gexf.net/1.2draft"}


@pytest.fixture(scope="module")
def gexf(real_site):
    return real_site[1] / "data" / "network.gexf"


def test_networkx_reads_it_back_as_the_network_pages_graph(gexf, real_site):
    graph = nx.read_gexf(gexf)
    assert graph.graph["mode"] == "dynamic"
    entities = json.loads((real_site[1] / "data" / "entities.json").read_text())["entities"]
    assert set(graph.nodes) == {e["slug"] for e in entities}
    assert graph.nodes["sco"]["label"] == "Shanghai Cooperation Organisation"
    assert graph.nodes["sco"]["type"] == "organization"
    kinds = {(min(u, v), max(u, v), d["kind"]) for u, v, d in graph.edges(data=True)}
    assert ("csto", "kyrgyzstan", "membership") in kinds
    assert ("abkhazia", "russia", "recognition") in kinds
    assert ("dmitry-medvedev", "russia", "position") in kinds
    assert any(kind == "co-mention" for _, _, kind in kinds)


def test_typed_edges_have_one_spell_per_row(gexf, real_site):
    memberships = json.loads((real_site[1] / "data" / "memberships.json").read_text())
    rows = [m for m in memberships["memberships"]
            if m["organization"] == "csto" and m["member"] == "uzbekistan"]
    root = ET.parse(gexf).getroot()
    assert root.find("g:graph", NS).get("timeformat") == "date"
    [edge] = [e for e in root.iter(f"{{{NS['g']}}}edge")
              if e.get("id") == "membership:csto:uzbekistan"]
    spells = [(s.get("start"), s.get("end")) for s in edge.iter(f"{{{NS['g']}}}spell")]
    # In force from the start's last day to the day before the end's first day, inclusive.
    assert spells == [("1992-05-15", "1999-04-19"), ("2006-06-23", "2012-12-18")]
    assert len(spells) == len(rows)
    assert edge.get("weight") == "2"
    # Co-mentions are not dated: no spell, so present throughout.
    comention = next(e for e in root.iter(f"{{{NS['g']}}}edge")
                     if e.get("id").startswith("co-mention:"))
    assert comention.find("g:spells", NS) is None


class _Network:
    def __init__(self, graph):
        self.graph = graph


def _data(today="2020-01-02"):
    from test_export_panel import small_data

    data = small_data(today)
    data.network = _Network(build_graph(data.registry))
    return data


def test_edges_are_the_network_graphs_edges_split_by_kind(tmp_path):
    data = _data()
    graph = data.network.graph
    path = tmp_path / "n.gexf"
    path.write_text(gexf_text(data), encoding="utf-8")
    out = nx.read_gexf(path)
    assert sorted(out.nodes) == sorted(graph.nodes)
    split = {}
    for _, a, b, kind, weight, _ in edges(data):
        split.setdefault((a, b), {})[kind] = weight
    for a, b, edge in graph.edges(data=True):
        assert split[tuple(sorted((a, b)))] == edge["kinds"]
    assert out.number_of_edges() == sum(len(e["kinds"]) for _, _, e in graph.edges(data=True))


def test_the_file_is_dated_by_the_builds_today_not_the_clock(tmp_path):
    text = gexf_text(_data("2020-01-02"))
    assert 'lastmodifieddate="2020-01-02"' in text
    assert "NetworkX" not in text
    path = tmp_path / "n.gexf"
    path.write_text(text, encoding="utf-8")
    assert gexf_text(_data("2020-01-02")) == text
    graph = nx.read_gexf(path)
    edge = graph.get_edge_data("csto", "uzbekistan")  # a Graph when no pair has two kinds
    [membership] = [d for d in (edge.values() if graph.is_multigraph() else [edge])
                    if d["kind"] == "membership"]
    spells = membership["spells"]
    assert spells == [("1992-05-15", "1999-03-31"), ("2006-06-23", "2012-12-18")]

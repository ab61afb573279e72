"""/data/network.gexf: the entity network of `/network/` (network.py's graph, its nodes and
edges reused, not recomputed) for Gephi, with dated edges it can replay on its timeline.

Each connection of a pair becomes one GEXF edge per kind (membership, position,
recognition, co-mention; so the graph is a multigraph), weighted by the rows or paragraphs
behind it. A typed edge carries one `spell` per registry row, from the first day the row is
certainly in force to the last (the site's as-of rule: from the start's last day to the day
before the end's first day, both included as GEXF spells include their bounds; an open end
while the row is in force). Co-mentions are not dated relations: their edges have no spell,
which in a dynamic GEXF graph means present throughout.

networkx's writer stamps the file with today's date (`lastmodifieddate`); it is replaced by
the build's own "today" (SITE_TODAY when set), the date every as-of table of the build uses.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .common import BuildData, in_force_from


def last_day_in_force(end) -> str | None:
    """GEXF spells include both bounds: the day before the end's first day."""
    return (end.first_day - dt.timedelta(days=1)).isoformat() if end else None


def _spells(data: BuildData) -> dict[tuple[str, str, str], list[tuple]]:
    """(kind, a, b) with a < b -> the rows' spells, sorted."""
    registry = data.registry
    spells: dict[tuple[str, str, str], list[tuple]] = defaultdict(list)

    def add(kind, a, b, start, end):
        if a == b:
            return
        a, b = sorted((a, b))
        spells[(kind, a, b)].append((start, end))

    for m in registry.memberships:
        add("membership", m.organization, m.member, in_force_from(m.start), last_day_in_force(m.end))
    for p in registry.positions:
        for body in dict.fromkeys(b for b in (p.organization, p.country) if b):
            add("position", p.person, body, in_force_from(p.start), last_day_in_force(p.end))
    for r in registry.recognitions:
        add("recognition", r.territory, r.by, in_force_from(r.date),
            last_day_in_force(r.withdrawn))
    return {key: sorted(values, key=lambda s: (s[0] or "", s[1] or "~"))
            for key, values in spells.items()}


def gexf_graph(data: BuildData) -> nx.MultiGraph:
    graph = data.network.graph
    spells = _spells(data)
    out = nx.MultiGraph(mode="dynamic")
    for slug in sorted(graph.nodes):
        node = graph.nodes[slug]
        out.add_node(slug, label=node["name"], type=node["type"],
                     url=data.url(data.registry.entities[slug].page.url))
    for a, b in sorted(tuple(sorted(edge)) for edge in graph.edges):
        edge = graph[a][b]
        for kind in sorted(edge["kinds"]):
            attributes = {"id": f"{kind}:{a}:{b}", "label": kind, "kind": kind,
                          "weight": edge["kinds"][kind]}
            dated = spells.get((kind, a, b))
            if dated:
                # networkx writes None as "no bound": an open start or end.
                attributes["spells"] = dated
            out.add_edge(a, b, key=attributes["id"], **attributes)
    return out


def gexf_text(data: BuildData) -> str:
    writer = GEXFWriter(version="1.2draft", prettyprint=True)
    graph = gexf_graph(data)
    writer.add_graph(graph)
    for meta in writer.xml.iter("meta"):
        meta.set("lastmodifieddate", data.today.last_day.isoformat())
        for creator in meta.iter("creator"):
            creator.text = "research-site (networkx GEXF writer)"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue().decode("utf-8")

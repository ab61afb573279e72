"""/data/network.gexf: the entity network of `/network/` (network.py's graph, its nodes and
edges reused, not recomputed) for Gephi, with dated edges it can replay on its timeline.

Each connection of a pair becomes one GEXF edge per kind (membership, position,
recognition, co-mention; so the graph is a multigraph), weighted by the rows or paragraphs
behind it. A typed edge carries one `spell` per registry row, from the first day the row is
certainly in force to the last (the site's as-of rule: from the start's last day to the day
before the end's first day, both included as GEXF spells include their bounds; an open end
while the row is in force). Co-mentions are not dated relations: their edges have no spell,
which in a dynamic GEXF graph means present throughout.

The file is GEXF 1.2 as networkx writes it (networkx reads it back in the tests), but
streamed line by line: networkx's writer builds the whole XML tree in memory (about 120 MB
at 3,000 entities) and stamps it with the day it ran. Our `lastmodifieddate` is the build's
own "today" (SITE_TODAY when set), the date every as-of table of the build uses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from xml.sax.saxutils import quoteattr

from .common import BuildData, in_force_from

NODE_ATTRIBUTES = ("type", "url")  # ids 0 and 1
EDGE_ATTRIBUTES = ("kind",)  # id 0


def last_day_in_force(end) -> str | None:
    """GEXF spells include both bounds: the day before the end's first day."""
    if end is None:
        return None
    first = end.fuzzy_earliest  # the widest reading of an uncertain end (model/asof.py)
    return (first - dt.timedelta(days=1)).isoformat() if first and first > dt.date.min \
        else dt.date.min.isoformat()


def _spells(data: BuildData) -> dict[tuple[str, str, str], list[tuple]]:
    """(kind, a, b) with a < b -> the rows' spells, sorted."""
    registry = data.registry
    spells: dict[tuple[str, str, str], list[tuple]] = defaultdict(list)

    def add(kind, a, b, start, end):
        if a == b:
            return
        a, b = sorted((a, b))
        spells[(kind, a, b)].append((start, end))

    # Deprecated rows are no spells: they were reported, and are held to be wrong.
    for m in (r for r in registry.memberships if getattr(r, "rank", "") != "deprecated"):
        add("membership", m.organization, m.member, in_force_from(m.start),
            last_day_in_force(m.end))
    for p in (r for r in registry.positions if getattr(r, "rank", "") != "deprecated"):
        for body in dict.fromkeys(b for b in (p.organization, p.country) if b):
            add("position", p.person, body, in_force_from(p.start), last_day_in_force(p.end))
    for r in (row for row in registry.recognitions if getattr(row, "rank", "") != "deprecated"):
        add("recognition", r.territory, r.by, in_force_from(r.date),
            last_day_in_force(r.withdrawn))
    return {key: sorted(values, key=lambda s: (s[0] or "", s[1] or "~"))
            for key, values in spells.items()}


def edges(data: BuildData):
    """(id, a, b, kind, weight, spells) for every GEXF edge, pairs and kinds sorted."""
    graph = data.network.graph
    spells = _spells(data)
    for a, b in sorted(tuple(sorted(edge)) for edge in graph.edges):
        kinds = graph[a][b]["kinds"]
        for kind in sorted(kinds):
            yield f"{kind}:{a}:{b}", a, b, kind, kinds[kind], spells.get((kind, a, b), [])


def gexf_lines(data: BuildData):
    """The file, line by line (each with its newline)."""
    for line in _lines(data):
        yield line + "\n"


def _lines(data: BuildData):
    graph = data.network.graph
    yield "<?xml version='1.0' encoding='utf-8'?>"
    yield ('<gexf xmlns="http://www.gexf.net/1.2draft" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft '
           'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">')
    yield f'  <meta lastmodifieddate="{data.today.last_day.isoformat()}">'
    yield "    <creator>research-site</creator>"
    yield "  </meta>"
    yield '  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date">'
    yield '    <attributes class="node" mode="static">'
    for index, name in enumerate(NODE_ATTRIBUTES):
        yield f'      <attribute id="{index}" title="{name}" type="string" />'
    yield "    </attributes>"
    yield '    <attributes class="edge" mode="static">'
    for index, name in enumerate(EDGE_ATTRIBUTES):
        yield f'      <attribute id="{index}" title="{name}" type="string" />'
    yield "    </attributes>"
    yield "    <nodes>"
    for slug in sorted(graph.nodes):
        node = graph.nodes[slug]
        values = (node["type"], data.url(data.pages[slug].url))
        yield f"      <node id={quoteattr(slug)} label={quoteattr(node['name'])}>"
        yield "        <attvalues>"
        for index, value in enumerate(values):
            yield f'          <attvalue for="{index}" value={quoteattr(value)} />'
        yield "        </attvalues>"
        yield "      </node>"
    yield "    </nodes>"
    yield "    <edges>"
    for edge_id, a, b, kind, weight, spells in edges(data):
        yield (f"      <edge id={quoteattr(edge_id)} source={quoteattr(a)} "
               f"target={quoteattr(b)} label={quoteattr(kind)} weight=\"{weight}\">")
        if spells:
            yield "        <spells>"
            for start, end in spells:
                bounds = "".join(f' {name}="{value}"' for name, value in
                                 (("start", start), ("end", end)) if value)
                yield f"          <spell{bounds} />"
            yield "        </spells>"
        yield "        <attvalues>"
        yield f"          <attvalue for=\"0\" value={quoteattr(kind)} />"
        yield "        </attvalues>"
        yield "      </edge>"
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def gexf_text(data: BuildData) -> str:
    return "".join(gexf_lines(data))

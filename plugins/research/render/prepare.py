"""What rendering presents, computed before any page is written (templates only present).

`CHECKS` run before the link stage: the `events:` of every document (drafts too), checked
against the build's one citation index, stop the build first, as the timeline always did.
`STEPS` run after it, once the build is clean: the timeline's events (once, from the
published documents and the registry), the maps and the network graph. Steps and their
machinery: core/steps.py.
"""

from __future__ import annotations

from ..core.steps import Result, Run, Step
from ..link.citations import CitationIndex
from .maps import Maps
from .network import NETWORK_LIMIT, Network
from .timeline import collect_events, note_events


def events_checked(run: Run) -> Result:
    """The citation index of the build (with the content folder's lock), and every
    document's `events:` checked against it."""
    cite = CitationIndex.for_build(run.documents, run.settings)
    problems = []
    for document in run.documents:
        problems += note_events(document, cite)[1]
    return Result({"cite": cite}, problems=problems)


def timeline(run: Run) -> Result:
    """The timeline's events, names found with the linker's automaton."""
    events, _ = collect_events(run.documents, run.state.registry, run.state.cite,
                               run.work["linker"].find, published=run.state.published)
    return Result({"events": events})


def maps(run: Run) -> Result:
    # pairs of organizations whose overlap gets a map of its own (OVERLAP_MAPS)
    return Result({"maps": Maps(run.state.registry),
                   "overlap_pairs": [tuple(p) for p in run.settings.get("OVERLAP_MAPS", [])]})


def graph(run: Run) -> Result:
    """The network of entities, built now that the mentions exist (no lazy graph)."""
    views = run.state.views
    return Result({"network": Network(
        run.state.registry, run.state.mentions, views.today if views is not None else None,
        run.settings.get("NETWORK_LIMIT", NETWORK_LIMIT),
        show_media=run.settings.get("NETWORK_SHOW_MEDIA", False))})


CHECKS: list[Step] = [Step("events-checked", events_checked, gate=True)]
STEPS: list[Step] = [Step("timeline", timeline), Step("maps", maps), Step("graph", graph)]

"""Stages as declared lists of steps (like markdown-it's core rules): the machinery.

A step is a plain function of a `Run` (the build state, the working HTML of every document and
entity page, and what earlier steps left for later ones) that returns a `Result`: values for
fields of the build state (`core/state.py`), values for the run, and problems. A step marked
`gate` stops the run with every problem found so far, as a ContentError. The lists themselves
are `link.pipeline.STEPS` and `render.prepare.CHECKS` / `STEPS`; the adapter runs them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import ContentError, Problem
from .state import BuildState


@dataclass
class Run:
    """One run of the link stage."""
    state: BuildState
    pages: list  # the entity pages, in registry order
    html: dict[int, str]  # id(content) -> its HTML, linked as the steps go
    files_failed: bool = False  # a reader refused a file (Pelican's generated_content)
    work: dict[str, Any] = field(default_factory=dict)  # what a step leaves for later ones
    problems: list[Problem] = field(default_factory=list)

    @property
    def settings(self) -> dict:
        return self.state.settings

    @property
    def documents(self) -> list:
        return self.state.documents


@dataclass
class Result:
    state: dict[str, Any] = field(default_factory=dict)  # BuildState fields
    work: dict[str, Any] = field(default_factory=dict)  # for later steps of this run
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Run], Result]
    gate: bool = False  # stop here if any step so far found a problem


def run(steps: list[Step], state: BuildState, html: dict[int, str], pages: list, *,
        files_failed: bool = False, work: dict[str, Any] | None = None) -> Run:
    """Run the steps in order, putting each step's results into `state`; `html` (by id of
    the content) is linked in place. Raises ContentError at a gate with problems."""
    current = Run(state, pages, html, files_failed, dict(work or {}))
    for step in steps:
        result = step.run(current)
        for name, value in result.state.items():
            if not hasattr(state, name):
                raise AttributeError(f"step {step.name!r} returns {name!r}, which is not "
                                     "a field of the build state (core/state.py)")
            setattr(state, name, value)
        current.work.update(result.work)
        current.problems += result.problems
        if step.gate and current.problems:
            raise ContentError(current.problems)
    return current

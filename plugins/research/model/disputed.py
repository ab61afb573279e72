"""Disputed facts and legal stages of a row: `rank`, `alternatives:`, `stages:` (SPEC §3).

A row says what we hold true; `alternatives` say what other sources give for some of its
fields, each with its own citations; `rank` orders them the way Wikidata's ranks do
(preferred, normal, deprecated). `stages` record the legal steps of a membership (decision,
signature, ratification, entry into force, suspension, withdrawal) with their own dates.

Which stage counts (stated on the page, docs/content-guide.md): a membership starts at entry
into force where known, else at accession or signature; it ends at the withdrawal taking
effect, else the suspension, else the lapse. A row without `start`/`end` takes them from its
stages; a row that has both must name a date one of its stages has, or the build reports the
mismatch (a start that is no stage's date is usually a typing slip or a stage left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core import dates
from ..core.cites import Cite, parse_refs
from ..core.contract import END_STAGES, START_STAGES
from ..core.dates import PartialDate

# In this order of preference (the first known one is used).
DERIVE_START = ("entry-into-force", "accession", "signature")
DERIVE_END = ("withdrawal-effective", "suspension", "lapse")
STAGE_LABELS = {"decision": "decision", "signature": "signature", "accession": "accession",
                "ratification": "ratification", "entry-into-force": "entry into force",
                "suspension": "suspension", "withdrawal-notified": "withdrawal notified",
                "withdrawal-effective": "withdrawal effective", "lapse": "lapse"}
RULE = ("start = entry into force where known, else accession or signature; end = "
        "withdrawal taking effect, else suspension, else lapse")


def refs_of(data: dict) -> tuple[Cite, ...]:
    """The `refs:` of a stage or an alternative, read as the row's are (core/cites.py);
    malformed items are the contract's to report."""
    return parse_refs(data.get("refs"))[0]


def rank_of(data: dict) -> str:
    value = data.get("rank")
    return value.strip() if isinstance(value, str) and value.strip() in (
        "preferred", "normal", "deprecated") else "normal"


@dataclass(frozen=True)
class Stage:
    stage: str
    date: PartialDate | None
    rank: str
    refs: tuple[Cite, ...]
    note: str
    where: str

    @property
    def label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


@dataclass(frozen=True)
class Alternative:
    """Other values for some fields of a row, as (field, value) pairs; dates parsed."""

    values: tuple[tuple[str, Any], ...]
    rank: str
    refs: tuple[Cite, ...]
    note: str
    where: str

    def get(self, name: str, default=None):
        return dict(self.values).get(name, default)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.values)


def read_stages(check, row: dict, where: str) -> tuple[Stage, ...]:
    stages = []
    for at, item in check.rows(row, "stages"):
        stage = check.text_value(item, "stage")
        if not stage:
            continue
        stages.append(Stage(stage, check.date_value(item, "date"), rank_of(item),
                            refs_of(item), check.text_value(item, "note"), f"{where}.{at}"))
    return tuple(stages)


def read_alternatives(check, row: dict, where: str, date_fields: tuple[str, ...],
                      text_fields: tuple[str, ...]) -> tuple[Alternative, ...]:
    """The `alternatives` of a row; an alternative that overrides nothing says nothing and
    is reported (it is usually a field name typed wrongly at the wrong indentation)."""
    result = []
    for at, item in check.rows(row, "alternatives"):
        values = []
        for name in date_fields:
            if name in item:
                values.append((name, check.date_value(item, name)))
        for name in text_fields:
            if check.text_value(item, name):
                values.append((name, check.text_value(item, name)))
        if not values:
            check.fail(f"{where}.{at}", "gives no other value: an alternative overrides one "
                       f"or more of {', '.join(date_fields + text_fields)}, with its own refs "
                       "and note", "alternative.empty")
            continue
        result.append(Alternative(tuple(values), rank_of(item), refs_of(item),
                                  check.text_value(item, "note"), f"{where}.{at}"))
    return tuple(result)


def _usable(stages, kinds) -> list[Stage]:
    return [s for s in stages if s.stage in kinds and s.date and s.rank != "deprecated"]


def _pick(stages: tuple[Stage, ...], order: tuple[str, ...]) -> tuple[PartialDate | None, str]:
    """The date of the first kind in `order` that has a stage: the preferred stage of that
    kind, else all its stages' dates as one of a set (two sources' dates for one note)."""
    for kind in order:
        found = _usable(stages, (kind,))
        if not found:
            continue
        preferred = [s for s in found if s.rank == "preferred"] or found
        return dates.one_of([s.date for s in preferred]), kind
    return None, ""


def _matching(date: PartialDate, stages, kinds) -> str:
    """The kind of the stage whose date is this date (its bounds overlap), or ""."""
    for stage in _usable(stages, kinds):
        if stage.date.first_day <= date.last_day and date.first_day <= stage.date.last_day:
            return stage.stage
    return ""


def span_from_stages(check, where: str, start: PartialDate | None, end: PartialDate | None,
                     stages: tuple[Stage, ...], first: str = "start", last: str = "end"):
    """(start, end, start stage, end stage): the row's own dates, checked against its
    stages, or derived from them where the row leaves them out."""
    if not stages:
        return start, end, "", ""
    start, start_stage = _end_of_span(check, f"{where}.{first}", first, start, stages,
                                      DERIVE_START, START_STAGES)
    end, end_stage = _end_of_span(check, f"{where}.{last}", last, end, stages,
                                  DERIVE_END, END_STAGES)
    return start, end, start_stage, end_stage


def _end_of_span(check, field: str, name: str, date: PartialDate | None, stages,
                 derive, kinds) -> tuple[PartialDate | None, str]:
    """One end of a row's span and the stage it counts from: derived from the stages when
    the row leaves it out, else checked against them (a located problem if it matches none)."""
    if date is None:
        return _pick(stages, derive)
    if not _usable(stages, kinds):
        return date, ""
    stage = _matching(date, stages, kinds)
    if not stage:
        check.fail(field, _mismatch(name, date, stages, kinds), "stage.mismatch")
    return date, stage


def _mismatch(name: str, date: PartialDate, stages, kinds) -> str:
    listed = ", ".join(f"{s.label} {s.date}" for s in _usable(stages, kinds))
    return (f"{name} {date} is the date of none of the row's stages ({listed}); set {name} "
            f"to the date of the stage it counts from, add that stage, or leave {name} out "
            f"to take it from the stages ({RULE})")

"""A membership timeline as a static SVG, made at build time (no JavaScript).

One row per member, one bar per membership row, coloured by role; open-ended rows run to
today. The table on the same page is its accessible equivalent; the SVG has a title and
description for screen readers and is otherwise decorative.
"""

from __future__ import annotations

from html import escape

from .dates import PartialDate

ROLE_CLASSES = {"member": "member", "observer": "observer", "dialogue partner": "partner",
                "partner": "partner"}
ROW_HEIGHT = 18
LABEL_WIDTH = 150
CHART_WIDTH = 560


def _year_fraction(date: PartialDate, *, end: bool) -> float:
    day = date.last_day if end else date.first_day
    return day.year + (day.timetuple().tm_yday - 1) / 366


def membership_svg(title: str, rows: list, names: dict[str, str], today: PartialDate,
                   marks: list[tuple[PartialDate, str]] = ()) -> str:
    """SVG for membership rows (objects with member, role, start, end)."""
    dated = [r for r in rows if r.start]
    if not dated:
        return ""
    members = []
    for row in sorted(dated, key=lambda r: (r.start.sort_key(), names.get(r.member, r.member))):
        if row.member not in members:
            members.append(row.member)
    first = int(min(_year_fraction(r.start, end=False) for r in dated))
    last = today.first_day.year + 1
    span = max(last - first, 1)
    height = ROW_HEIGHT * len(members) + 40

    def x(value: float) -> float:
        return LABEL_WIDTH + (value - first) / span * CHART_WIDTH

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" role="img" '
             f'viewBox="0 0 {LABEL_WIDTH + CHART_WIDTH + 10} {height}" '
             f'aria-labelledby="tl-title tl-desc">',
             f'<title id="tl-title">{escape(title)}</title>',
             f'<desc id="tl-desc">Bars show each membership from its start to its end '
             f'(or to today); the table below gives the same data.</desc>']
    step = 5 if span <= 40 else 10
    for year in range(first - first % step + step, last + 1, step):
        parts.append(f'<line class="grid" x1="{x(year):.1f}" y1="0" x2="{x(year):.1f}" '
                     f'y2="{height - 20}"/>')
        parts.append(f'<text class="axis" x="{x(year):.1f}" y="{height - 6}" '
                     f'text-anchor="middle">{year}</text>')
    for date, label in marks:
        position = x(_year_fraction(date, end=False))
        parts.append(f'<line class="mark" x1="{position:.1f}" y1="0" x2="{position:.1f}" '
                     f'y2="{height - 20}"><title>{escape(label)}</title></line>')
    for index, member in enumerate(members):
        y = index * ROW_HEIGHT + 4
        parts.append(f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + 11}" '
                     f'text-anchor="end">{escape(names.get(member, member))}</text>')
        for row in dated:
            if row.member != member:
                continue
            start = x(_year_fraction(row.start, end=False))
            stop = x(_year_fraction(row.end, end=True) if row.end
                     else _year_fraction(today, end=True))
            role = ROLE_CLASSES.get(row.role.lower(), "other")
            parts.append(f'<rect class="bar {role}" x="{start:.1f}" y="{y}" '
                         f'width="{max(stop - start, 2):.1f}" height="{ROW_HEIGHT - 6}"/>')
    parts.append("</svg>")
    return "".join(parts)

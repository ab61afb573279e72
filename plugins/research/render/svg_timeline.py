"""A membership timeline as a static SVG, made at build time (no JavaScript).

One row per member, one bar per membership row, coloured by role; open-ended rows run to
today. The table on the same page is its accessible equivalent; the SVG has a title and
description for screen readers and is otherwise decorative.

Two drawings of the same data are written side by side and the stylesheet shows one: a wide
one (names left of the bars) and a narrow one for phones (each name above its bar, the whole
width for the years), so the chart scales to the screen instead of scrolling sideways and
its text stays legible at 390 px.
"""

from __future__ import annotations

from html import escape

from ..core import types
from ..core.dates import PartialDate

ROW_HEIGHT = 18
LABEL_WIDTH = 150
CHART_WIDTH = 560
# The narrow drawing: about the width of a phone in CSS pixels, so 11-unit text is ~11 px.
NARROW_WIDTH = 340
NARROW_ROW = 27


def _year_fraction(date: PartialDate, *, end: bool) -> float:
    day = date.last_day if end else date.first_day
    return day.year + (day.timetuple().tm_yday - 1) / 366


def _step(span: int, width: float) -> int:
    """Years between grid lines: about one label per 45 units."""
    for step in (1, 2, 5, 10, 20, 25, 50):
        if span / step * 45 <= width:
            return step
    return 100


def membership_svg(title: str, rows: list, names: dict[str, str], today: PartialDate,
                   marks: list[tuple[PartialDate, str]] = (),
                   table: types.TypeTable = types.DEFAULT) -> str:
    """SVG for membership rows (objects with member, role, start, end): the wide and the narrow
    drawing, one after the other (class `timeline-wide` and `timeline-narrow`)."""
    dated = [r for r in rows if r.start]
    if not dated:
        return ""
    members = []
    for row in sorted(dated, key=lambda r: (r.start.sort_key(), names.get(r.member, r.member))):
        if row.member not in members:
            members.append(row.member)
    by_member: dict[str, list] = {}
    for row in dated:
        by_member.setdefault(row.member, []).append(row)
    first = int(min(_year_fraction(r.start, end=False) for r in dated))
    last = today.first_day.year + 1
    chart = _Chart(title, members, by_member, names, today, marks, first, last)
    chart.role_class = table.role_class
    return chart.draw(narrow=False) + chart.draw(narrow=True)


class _Chart:
    def __init__(self, title, members, by_member, names, today, marks, first, last):
        self.title, self.members, self.by_member, self.names = title, members, by_member, names
        self.today, self.marks, self.first, self.last = today, marks, first, last
        self.span = max(last - first, 1)
        self.role_class = types.DEFAULT.role_class

    def draw(self, *, narrow: bool) -> str:
        key = "tl-n" if narrow else "tl"
        left = 6 if narrow else LABEL_WIDTH
        width = NARROW_WIDTH - 12 if narrow else CHART_WIDTH
        row = NARROW_ROW if narrow else ROW_HEIGHT
        height = row * len(self.members) + 40
        total = NARROW_WIDTH if narrow else LABEL_WIDTH + CHART_WIDTH + 10

        def x(value: float) -> float:
            return left + (value - self.first) / self.span * width

        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg '
                 f'timeline-{"narrow" if narrow else "wide"}" role="img" '
                 f'viewBox="0 0 {total} {height}" aria-labelledby="{key}-title {key}-desc">',
                 f'<title id="{key}-title">{escape(self.title)}</title>',
                 f'<desc id="{key}-desc">Bars show each membership from its start to its end '
                 f'(or to {escape(self.today.human())}, when the site was built); the table '
                 f'below gives the same data.</desc>']
        step = _step(self.span, width)
        for year in range(self.first - self.first % step + step, self.last + 1, step):
            parts.append(f'<line class="grid" x1="{x(year):.1f}" y1="0" x2="{x(year):.1f}" '
                         f'y2="{height - 20}"/>')
            parts.append(f'<text class="axis" x="{x(year):.1f}" y="{height - 6}" '
                         f'text-anchor="middle">{year}</text>')
        for date, label in self.marks:
            position = x(_year_fraction(date, end=False))
            parts.append(f'<line class="mark" x1="{position:.1f}" y1="0" x2="{position:.1f}" '
                         f'y2="{height - 20}"><title>{escape(label)}</title></line>')
        for index, member in enumerate(self.members):
            y = index * row + 4
            name = escape(self.names.get(member, member))
            if narrow:  # the name above its bar
                parts.append(f'<text class="label" x="{left}" y="{y + 9}">{name}</text>')
                bar_y, bar_height = y + 13, 8
            else:
                parts.append(f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + 11}" '
                             f'text-anchor="end">{name}</text>')
                bar_y, bar_height = y, ROW_HEIGHT - 6
            for membership in self.by_member[member]:
                start = x(_year_fraction(membership.start, end=False))
                stop = x(_year_fraction(membership.end, end=True) if membership.end
                         else _year_fraction(self.today, end=True))
                role = self.role_class(membership.role)
                parts.append(f'<rect class="bar {role}" x="{start:.1f}" y="{bar_y}" '
                             f'width="{max(stop - start, 2):.1f}" height="{bar_height}"/>')
        parts.append("</svg>")
        return "".join(parts)

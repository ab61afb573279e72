"""The as-of answers agree wherever they can be read: site.db's views, the JSON exports (with
the site's rule applied to their partial dates), and the organization pages' "On <date>"
lists. One built site, three readings, no shared code between them."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest

from research.core import dates


def _in_force(start, end, day: dt.date) -> bool:
    """The rule as the README states it, on the JSON's partial dates."""
    started = start is None or dates.parse(start).last_day <= day
    ended = end is not None and dates.parse(end).first_day <= day
    return started and not ended


class _AsOfLists(HTMLParser):
    """From an organization page: {as-of key: {(member slug, role)}}."""

    def __init__(self):
        super().__init__()
        self.lists: dict[str, set] = {}
        self._key = None
        self._in_list = False
        self._item = None  # [slug, role]
        self._in_role = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h3" and (attrs.get("id") or "").startswith("asof-"):
            self._key = attrs["id"][len("asof-"):]
            self.lists.setdefault(self._key, set())
        elif tag == "ul" and "as-of-list" in (attrs.get("class") or "").split():
            self._in_list = True
        elif tag == "li" and self._in_list:
            self._item = [None, "member"]  # the page names a role only when it is not member
        elif tag == "a" and self._item is not None and self._item[0] is None:
            match = re.search(r"(?:countries|territories|organizations)/([a-z0-9-]+)/$",
                              attrs.get("href", ""))
            self._item[0] = match.group(1) if match else attrs.get("href")
        elif tag == "span" and self._item is not None and "role" in (
                attrs.get("class") or "").split():
            self._in_role = True

    def handle_data(self, data):
        if self._in_role:
            self._item[1] = data.strip()

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_role = False
        elif tag == "li" and self._item is not None:
            self.lists[self._key].add(tuple(self._item))
            self._item = None
        elif tag == "ul" and self._in_list:
            self._in_list = False


@pytest.fixture(scope="module")
def readings(real_site):
    output = real_site[1]
    db = sqlite3.connect(f"file:{output / 'data' / 'site.db'}?mode=ro", uri=True)
    as_of = dict(db.execute("SELECT key, date FROM as_of_dates"))
    from_db = {}
    for organization, key, member, role in db.execute(
            "SELECT v.organization, a.key, v.member, v.role FROM members_as_of v "
            "JOIN as_of_dates a ON a.date = v.as_of"):
        from_db.setdefault((organization, key), set()).add((member, role))
    memberships = json.loads((output / "data" / "memberships.json").read_text())["memberships"]
    from_json = {}
    organizations = sorted({m["organization"] for m in memberships})
    for key, day in as_of.items():
        day = dt.date.fromisoformat(day)
        for m in memberships:
            if _in_force(m["start"], m["end"], day):
                from_json.setdefault((m["organization"], key), set()).add(
                    (m["member"], m["role"]))
    from_pages = {}
    for organization in organizations:
        parser = _AsOfLists()
        parser.feed((output / "organizations" / organization / "index.html").read_text())
        for key, rows in parser.lists.items():
            if rows:
                from_pages[(organization, key)] = rows
    db.close()
    return as_of, organizations, from_db, from_json, from_pages


def test_the_three_readings_agree(readings):
    as_of, organizations, from_db, from_json, from_pages = readings
    assert set(as_of) == {"2008-09-05", "today"}
    assert from_db == from_json
    assert from_db == from_pages
    # Not an empty agreement: the organizations with members, on both dates.
    assert {(o, key) for o in ("sco", "csto") for key in as_of} <= set(from_db)


def test_the_article_dates_sco_and_csto(readings):
    _, _, from_db, _, _ = readings
    sco = {member for member, role in from_db[("sco", "2008-09-05")] if role == "member"}
    csto = {member for member, role in from_db[("csto", "2008-09-05")] if role == "member"}
    # p-18 of the article: Kyrgyzstan was in both; Georgia in neither.
    assert "kyrgyzstan" in sco & csto
    assert "georgia" not in sco | csto
    assert sco & csto == {"kazakhstan", "kyrgyzstan", "russia", "tajikistan", "uzbekistan"}


def test_the_overlap_view_agrees_with_the_json(real_site, readings):
    as_of, _, _, from_json, _ = readings
    db = sqlite3.connect(f"file:{real_site[1] / 'data' / 'site.db'}?mode=ro", uri=True)
    for key, day in as_of.items():
        rows = db.execute(
            "SELECT member, role_a, role_b FROM overlap WHERE organization_a = 'sco' AND "
            "organization_b = 'csto' AND (in_force_from IS NULL OR in_force_from <= ?) AND "
            "(in_force_until IS NULL OR in_force_until > ?)", [day, day]).fetchall()
        sco = from_json.get(("sco", key), set())
        csto = from_json.get(("csto", key), set())
        expected = {(a, ra, rb) for a, ra in sco for b, rb in csto if a == b}
        assert set(rows) == expected, key
    db.close()

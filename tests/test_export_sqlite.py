"""/data/site.db: tables, full-text search, the as-of views, and a byte-stable file."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from research.export.formats.sqlite import EXAMPLES

ON_DAY = """(in_force_from IS NULL OR in_force_from <= :day)
  AND (in_force_until IS NULL OR in_force_until > :day)"""


@pytest.fixture(scope="module")
def db(real_site):
    path = real_site[1] / "data" / "site.db"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield connection
    connection.close()


def test_tables_and_views(db):
    names = {row[0]: row[1] for row in db.execute("SELECT name, type FROM sqlite_master")}
    for table in ("entities", "aliases", "memberships", "positions", "recognitions",
                  "documents", "paragraphs", "paragraphs_fts", "mentions",
                  "entity_references", "as_of_dates"):
        assert names.get(table) == "table", table
    for view in ("members_on", "members_as_of", "overlap"):
        assert names.get(view) == "view", view
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_article_date_sco_csto_overlap(db):
    rows = db.execute(f"SELECT member FROM overlap WHERE organization_a = 'sco' AND "
                      f"organization_b = 'csto' AND {ON_DAY} ORDER BY member",
                      {"day": "2008-09-05"}).fetchall()
    # The article (p-18): the Central Asian states in both blocs, and Russia.
    assert [r[0] for r in rows] == ["kazakhstan", "kyrgyzstan", "russia", "tajikistan",
                                    "uzbekistan"]


def test_date_bounds_follow_the_as_of_rule(db):
    # Uzbekistan in the CSTO: 1992-05-15 to 1999-04-20 (the treaty's first term ran out;
    # the end day is out), then 2006-06-23 to 2012-12-19.
    rows = db.execute("SELECT start, \"end\", in_force_from, in_force_until FROM memberships "
                      "WHERE organization = 'csto' AND member = 'uzbekistan' "
                      "ORDER BY in_force_from").fetchall()
    assert rows == [("1992-05-15", "1999-04-20", "1992-05-15", "1999-04-20"),
                    ("2006-06-23", "2012-12-19", "2006-06-23", "2012-12-19")]
    members = {r[0] for r in db.execute(f"SELECT member FROM members_on WHERE "
                                        f"organization = 'csto' AND {ON_DAY}",
                                        {"day": "1999-04-19"})}
    assert "uzbekistan" in members
    members = {r[0] for r in db.execute(f"SELECT member FROM members_on WHERE "
                                        f"organization = 'csto' AND {ON_DAY}",
                                        {"day": "1999-04-20"})}
    assert "uzbekistan" not in members


def test_full_text_search_finds_paragraphs(db):
    rows = db.execute("SELECT p.document, p.paragraph FROM paragraphs_fts JOIN paragraphs p "
                      "ON p.rowid = paragraphs_fts.rowid WHERE paragraphs_fts MATCH ?",
                      ["Kyrgyzstan"]).fetchall()
    assert ("sources.moscows-search-for-intl-backing-continues", "p-18") in rows
    text = db.execute("SELECT text FROM paragraphs WHERE document = ? AND paragraph = 'p-18'",
                      ["sources.moscows-search-for-intl-backing-continues"]).fetchone()[0]
    assert "Kyrgyzstan" in text and "<" not in text


def test_mentions_name_a_document_paragraph_and_entity(db):
    rows = db.execute("SELECT DISTINCT entity FROM mentions WHERE document = ? AND "
                      "paragraph = 'p-18'",
                      ["sources.moscows-search-for-intl-backing-continues"]).fetchall()
    assert {"kyrgyzstan"} <= {r[0] for r in rows}
    orphans = db.execute("SELECT count(*) FROM mentions m LEFT JOIN paragraphs p ON "
                         "p.document = m.document AND p.paragraph = m.paragraph WHERE "
                         "m.paragraph IS NOT NULL AND p.text IS NULL").fetchone()[0]
    assert orphans == 0


def test_every_example_query_runs_and_answers(db):
    for title, sql in EXAMPLES:
        assert db.execute(sql).fetchall(), title


def test_the_file_is_compact_and_stands_alone(real_site):
    folder = real_site[1] / "data"
    assert not list(folder.glob("site.db-*"))  # no -wal, -shm or -journal left behind
    database = sqlite_utils.Database(folder / "site.db")
    assert database.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert database.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_rebuilding_from_the_same_data_gives_the_same_bytes(real_site, tmp_path):
    # tests/test_determinism.py compares whole builds in two processes; this pins the
    # database writer itself: the same rows twice, into files with different names.
    from research.export.formats import sqlite as writer
    from test_export_panel import small_data

    data = small_data()
    first, second = tmp_path / "a.db", tmp_path / "b" / "site.db"
    second.parent.mkdir()
    writer.write_database(data, first)
    writer.write_database(data, second)
    assert first.read_bytes() == second.read_bytes()

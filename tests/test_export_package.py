"""/data/datapackage.json validated with frictionless; the /data/ page lists every export."""

from __future__ import annotations

import json
import shutil

import pytest
from frictionless import validate

from research.export import tables as exports

from research.render import redirects
from research.export.formats import package, panel
from research.render.jsonld import from_html


def _validate(folder):
    report = validate(str(folder / "datapackage.json"))
    return report, [f"{task.name}: {error.message}" for task in report.tasks
                    for error in task.errors]


def test_the_package_validates(real_site):
    report, errors = _validate(real_site[1] / "data")
    assert report.valid, errors
    assert {task.name for task in report.tasks} == {
        "entities", "memberships", "positions", "recognitions", "membership-panel",
        "redirects"}


def test_the_package_describes_exactly_the_columns_written():
    written = {"entities": exports.ENTITY_COLUMNS, "memberships": exports.MEMBERSHIP_COLUMNS,
               "positions": exports.POSITION_COLUMNS,
               "recognitions": exports.RECOGNITION_COLUMNS, "membership-panel": panel.COLUMNS,
               "redirects": redirects.COLUMNS}
    described = {r["name"]: [f["name"] for f in r["schema"]["fields"]]
                 for r in package.CSV_RESOURCES}
    assert described == written


@pytest.mark.parametrize("table, before, after, error", [
    ("memberships.csv", ",russia,member,", ",atlantis,member,", "foreign"),
    ("memberships.csv", ",2001-06-15,", ",15 June 2001,", "constraint"),
    ("entities.csv", "\nsco,", "\nsco,Duplicate,organization,,\nsco,", "primary"),
])
def test_frictionless_catches_a_broken_file(real_site, tmp_path, table, before, after, error):
    folder = tmp_path / "data"
    shutil.copytree(real_site[1] / "data", folder)
    path = folder / table
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    report, errors = _validate(folder)
    assert not report.valid
    assert any(error in message.lower() for message in errors), errors


def test_the_licence_is_declared(real_site):
    data = json.loads((real_site[1] / "data" / "datapackage.json").read_text())
    assert data["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_data_page_lists_every_file_written(real_site):
    output = real_site[1]
    page = (output / "data" / "index.html").read_text(encoding="utf-8")
    written = sorted(p.name for p in (output / "data").iterdir() if p.name != "index.html")
    listed = sorted(f["path"] for f in package.catalogue())
    assert listed == written
    for name in written:
        assert f'href="../data/{name}"' in page, name
    assert "datasette output/data/site.db" in page  # a local build has no absolute URL
    assert "lite.datasette.io" not in page
    [data] = from_html(page)
    assert data["@type"] == "Dataset"
    assert {d["name"] for d in data["distribution"]} == set(written)
    home = (output / "index.html").read_text(encoding="utf-8")
    assert '<a href="./data/">Data</a>' in home  # in the site's navigation
    assert '<a href="../data/" aria-current="page">Data</a>' in page


def test_the_published_data_page_links_datasette_lite(published_site):
    output, siteurl = published_site
    page = (output / "data" / "index.html").read_text(encoding="utf-8")
    from urllib.parse import quote

    assert f"https://lite.datasette.io/?url={quote(siteurl + '/data/site.db', safe='')}" in page
    [data] = from_html(page)
    assert f"{siteurl}/data/site.db" in {d["contentUrl"] for d in data["distribution"]}

"""Data for other tools, and the /data/ page that lists every export.

`write_all` runs after the other outputs (the adapter's `DataGenerator`, last generator; it
reads the registry, the mentions and the network graph from the build state) and writes
under /data/:

| file | module | for |
|---|---|---|
| `entities.ftm.json` | `ftm.py` | FollowTheMoney (Aleph, yente, `ftm`) |
| `datapackage.json` | `package.py` | Frictionless: the CSV exports described |
| `site.db` | `sqlite.py` | SQLite / Datasette, with full-text search and as-of views |
| `network.gexf` | `gexf.py` | Gephi, with dated edges |
| `membership-panel.csv` | `panel.py` | state × organization × year, like COW's IGO data |

and `/data/index.html` (template `data.html`). The JSON/CSV exports of the contract are still
written by `exports.py`; the page lists them too. Files are written like exports.py writes
them, into the output folder, and their paths are returned.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from . import package
from .common import BuildData, gather

SAVE_AS = "data/index.html"
URL = "data/"
DEFAULT_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                   "path": "https://creativecommons.org/licenses/by/4.0/"}
DATASETTE_LITE = "https://lite.datasette.io/"


# Every file write_data_exports may write, claimed before any output (written.py), so that a
# page whose save_as names one of them fails the build instead of being overwritten.
FILES = ("entities.ftm.json", "datapackage.json", "membership-panel.csv", "network.gexf",
         "site.db")
PATHS = tuple(f"data/{name}" for name in FILES)


def write_data_exports(data: BuildData, output: str | Path, license_: dict,
                       sitename: str) -> list[str]:
    """Write every export of this package under output/data/; returns the paths written."""
    from . import ftm, gexf, panel, sqlite  # followthemoney and sqlite-utils: only when used

    folder = Path(output) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    # Large files are written line by line, never held whole in memory.
    files = {
        "entities.ftm.json": ftm.entity_lines(data),
        "datapackage.json": [package.datapackage_text(license_, sitename)],
        "membership-panel.csv": panel.panel_lines(panel.panel_rows(data)),
    }
    if data.network is not None:
        files["network.gexf"] = gexf.gexf_lines(data)
    for name, lines in files.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            out.writelines(lines)
    sqlite.write_database(data, folder / "site.db")
    written = sorted(f"data/{name}" for name in [*files, "site.db"])
    assert set(written) <= set(PATHS), "a new export must be added to FILES"
    return written


def dataset_json_ld(sitename: str, license_: dict, catalogue: list[dict]):
    """schema.org `Dataset` for the /data/ page; URLs built like the theme's links."""
    def build(siteurl: str) -> dict:
        return {
            "@context": "https://schema.org", "@type": "Dataset",
            "name": f"{sitename}: data",
            "description": "The entities of the site (organizations, people, countries, "
                           "territories) and their dated memberships, offices and "
                           "recognitions, with the documents' paragraphs and mentions, as "
                           "JSON, CSV, FollowTheMoney, SQLite, GEXF and a state-year panel.",
            "url": f"{siteurl}/{URL}", "license": license_["path"],
            "isAccessibleForFree": True,
            "isPartOf": {"@type": "WebSite", "name": sitename, "url": f"{siteurl}/"},
            "distribution": [{"@type": "DataDownload", "name": f["path"],
                              "encodingFormat": f["format"], "description": f["description"],
                              "contentUrl": f"{siteurl}/data/{f['path']}"}
                             for f in catalogue],
        }
    return build


def write_all(state, settings: dict, output_path: str, write: bool = True) -> dict:
    """Write every export of this package; the values of the /data/ page (template `data`).
    `write=False`: the values only (an incremental build that kept the files)."""
    from .sqlite import EXAMPLES

    license_ = settings.get("DATA_LICENSE", DEFAULT_LICENSE)
    sitename = settings.get("SITENAME", "")
    if write:
        write_data_exports(gather(state, settings), output_path, license_, sitename)
    siteurl = "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL", "").rstrip("/")
    catalogue = package.catalogue()
    database = f"{siteurl}/data/site.db" if siteurl else None
    return dict(section=URL, files=catalogue, examples=EXAMPLES, data_license=license_,
                datasette_lite=f"{DATASETTE_LITE}?url={quote(database, safe='')}"
                if database else None,
                json_ld_builder=dataset_json_ld(sitename, license_, catalogue))

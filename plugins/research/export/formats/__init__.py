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
# The two groups an incremental build keeps apart (guard/reuse.files): the files that carry
# the documents' paragraph texts (rewritten when a body changes), and the others.
TEXT_FILES = ("entities.ftm.json", "site.db")
TEXT_PATHS = tuple(f"data/{name}" for name in TEXT_FILES)
GRAPH_PATHS = tuple(path for path in PATHS if path not in TEXT_PATHS)


def write_data_exports(data: BuildData, output: str | Path, license_: dict,
                       sitename: str, memo=None) -> list[str]:
    """Write every export of this package under output/data/; returns the paths written."""
    written = [*write_graph_exports(data, output, license_, sitename),
               *write_text_exports(data, output, memo)]
    return sorted(written)


def write_graph_exports(data: BuildData, output: str | Path, license_: dict,
                        sitename: str) -> list[str]:
    """The exports that carry no paragraph text: datapackage.json, the panel, GEXF."""
    from . import gexf, panel

    folder = Path(output) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    # Large files are written line by line, never held whole in memory.
    files = {
        "datapackage.json": [package.datapackage_text(license_, sitename)],
        "membership-panel.csv": panel.panel_lines(panel.panel_rows(data)),
    }
    if data.network is not None:
        files["network.gexf"] = gexf.gexf_lines(data)
    for name, lines in files.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            out.writelines(lines)
    written = sorted(f"data/{name}" for name in files)
    assert set(written) <= set(GRAPH_PATHS), "a new export must be added to FILES"
    return written


def write_text_exports(data: BuildData, output: str | Path, memo=None) -> list[str]:
    """The exports that carry the documents' paragraphs: FtM and SQLite. `memo(name, key,
    compute)`: FtM's lines kept per part (cache/hooks.memo), or None."""
    from . import ftm, sqlite  # followthemoney and sqlite-utils: only when used

    folder = Path(output) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "entities.ftm.json", "w", encoding="utf-8", newline="") as out:
        out.writelines(ftm.entity_lines(data, memo))
    sqlite.write_database(data, folder / "site.db")
    return list(TEXT_PATHS)


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


def license_and_name(settings: dict) -> tuple[dict, str]:
    return settings.get("DATA_LICENSE", DEFAULT_LICENSE), settings.get("SITENAME", "")


def write_all(state, settings: dict, output_path: str, write: bool = True) -> dict:
    """Write every export of this package; the values of the /data/ page (template `data`).
    `write=False`: the values only (an incremental build that kept the files)."""
    from .sqlite import EXAMPLES

    license_, sitename = license_and_name(settings)
    if write:
        write_data_exports(gather(state, settings), output_path, license_, sitename)
    siteurl = "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL", "").rstrip("/")
    catalogue = package.catalogue()
    database = f"{siteurl}/data/site.db" if siteurl else None
    return dict(section=URL, files=catalogue, examples=EXAMPLES, data_license=license_,
                datasette_lite=f"{DATASETTE_LITE}?url={quote(database, safe='')}"
                if database else None,
                json_ld_builder=dataset_json_ld(sitename, license_, catalogue))

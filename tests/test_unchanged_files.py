"""A rebuild leaves the files whose bytes did not change with their old modification time
(cli/outputs.py, keep_unchanged_times), so a sync by size and time uploads only what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT, build_site, stamp_ids
from sitepages import reset_pelican_log_dedup
from research.cli.outputs import keep_unchanged_times


def _times(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
            for path in folder.rglob("*") if path.is_file()}


def test_a_rebuild_keeps_the_times_of_unchanged_files_and_updates_changed_ones(tmp_path,
                                                                              monkeypatch):
    site, output = tmp_path / "site", tmp_path / "output"
    shutil.copytree(FIXTURES / "site", site)
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    stamp_ids(site)
    reset_pelican_log_dedup()
    assert build_site(site, output).ok
    # every file of the first build gets a time no rebuild could give it by chance
    for path in output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    first = {name: path.read_bytes() for name, path in
             ((p.relative_to(output).as_posix(), p) for p in output.rglob("*") if p.is_file())}

    briefing = next((site / "content" / "briefings").glob("*.md"))
    briefing.write_text(briefing.read_text("utf-8").replace(
        "summary:", "summary: Revised.", 1), encoding="utf-8")
    reset_pelican_log_dedup()
    assert build_site(site, output).ok

    times = _times(output)
    changed = {name for name, path in ((n, output / n) for n in times)
               if name not in first or path.read_bytes() != first[name]}
    assert changed, "the edit changed no file"
    assert any(name.startswith("briefings/") for name in changed)
    for name, mtime in times.items():
        if name in changed:
            assert mtime != 1_000_000_000, name
        else:
            assert mtime == 1_000_000_000, f"{name} has the same bytes but a new time"
    assert len(changed) < len(times) / 2, sorted(changed)


def test_files_that_cannot_be_compared_keep_their_new_time(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "a").mkdir(parents=True)
    (new / "a").mkdir(parents=True)
    for folder in (old, new):
        (folder / "a" / "same.html").write_text("same")
    (old / "a" / "other.html").write_text("before")
    (new / "a" / "other.html").write_text("after!")  # same size would still differ
    (new / "a" / "added.html").write_text("new")
    (old / "a" / "link.html").symlink_to("same.html")
    (new / "a" / "link.html").write_text("same")
    (old / "a" / "hidden.html").write_text("same")
    (old / "a" / "hidden.html").chmod(0)
    (new / "a" / "hidden.html").write_text("same")
    os.utime(old / "a" / "same.html", ns=(5, 5))
    try:
        kept = keep_unchanged_times(new, old)
    finally:
        (old / "a" / "hidden.html").chmod(0o644)
    assert (new / "a" / "same.html").stat().st_mtime_ns == 5
    assert kept == (1 if os.geteuid() != 0 else 2)  # root reads a mode-000 file
    assert keep_unchanged_times(new, tmp_path / "missing") == 0

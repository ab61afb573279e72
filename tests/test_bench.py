"""Smoke tests of the benchmark (bench/): the synthetic corpus and the bench script, at a tiny
size. No timings are asserted: they depend on the machine."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sitepages import reset_pelican_log_dedup

sys.path.insert(0, str(ROOT))

from bench import corpus, run  # noqa: E402

DOCUMENTS, ENTITIES = 20, 30


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return corpus.generate(tmp_path_factory.mktemp("corpus") / "site", DOCUMENTS, ENTITIES,
                           seed=7)


def test_the_same_seed_writes_the_same_bytes(tiny, tmp_path):
    again = corpus.generate(tmp_path / "again", DOCUMENTS, ENTITIES, seed=7)
    assert files(again) == files(tiny)


def test_another_seed_writes_another_corpus(tiny, tmp_path):
    other = corpus.generate(tmp_path / "other", DOCUMENTS, ENTITIES, seed=8)
    assert files(other) != files(tiny)


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tiny, tmp_path):
    smaller = files(corpus.generate(tmp_path / "smaller", 10, ENTITIES, seed=7))
    larger = files(tiny)
    documents = [name for name in smaller if name.startswith(("content/sources/",
                                                              "content/briefings/"))]
    assert len(documents) == 10
    assert all(smaller[name] == larger[name] for name in documents)


def test_the_corpus_has_every_kind_of_content(tiny):
    content = tiny / "content"
    assert len(list((content / "sources").glob("*.md"))) == 7  # documents 0, 3, ..., 18
    assert len(list((content / "briefings").glob("*.md"))) == 13
    assert len(list((content / "entities").rglob("*.md"))) == ENTITIES
    for folder in ("organizations", "people", "countries", "territories"):
        assert list((content / "entities" / folder).glob("*.md")), folder
    entity_text = "".join(p.read_text(encoding="utf-8")
                          for p in (content / "entities").rglob("*.md"))
    assert "members:" in entity_text and "positions:" in entity_text
    assert "recognitions:" in entity_text
    assert re.search(r'refs: \["source-\d{6}#p-\d+"\]', entity_text)  # paragraph citations
    briefing = (content / "briefings" / "briefing-000001.md").read_text(encoding="utf-8")
    assert "[@source-000000#p-" in briefing and "events:" in briefing
    plain = tiny / "plain" / "content" / "sources" / "source-000000.md"
    assert plain.read_text(encoding="utf-8").startswith("Title: ")


def test_our_build_of_the_corpus_succeeds_and_links_mentions(tiny, tmp_path):
    reset_pelican_log_dedup()
    result = build_site(tiny, tmp_path / "output")
    assert result.ok, "\n".join(result.problems)
    assert result.lint == []  # the corpus names nothing that is not an entity
    output = tmp_path / "output"
    source = (output / "sources" / "source-000000" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<a class="entity-link entity-\w+" href="\.\./\.\./', source)) >= 3
    backlinks = sum((page.read_text(encoding="utf-8").count('href="../../sources/')
                     + page.read_text(encoding="utf-8").count('href="../../briefings/'))
                    for folder in ("organizations", "people", "countries", "territories")
                    for page in (output / folder).glob("*/index.html"))
    assert backlinks >= DOCUMENTS  # entity pages list the documents that mention them


def test_the_bench_script_runs_at_a_tiny_size(tmp_path):
    results = tmp_path / "results.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "6",
               "--entities", "12", "--workdir", str(tmp_path / "work"), "--json", str(results)]
    if importlib.util.find_spec("markdown") is None:  # plain Pelican needs python-markdown
        command.append("--ours-only")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ours, full build" in done.stdout
    assert "rebuild after one edit / full build, ours" in done.stdout
    figures = json.loads(results.read_text(encoding="utf-8"))
    builds = {r["build"] for r in figures["runs"]}
    assert {"ours", "ours-cold-cache", "ours-rebuild", "ours-serve"} <= builds
    assert all(r["seconds"] > 0 and r["peak_mib"] > 0 for r in figures["runs"])
    edited = tmp_path / "work" / "site-n6-m12-s1" / "content" / "briefings" / run.EDITED
    assert "The talks went on" not in edited.read_text(encoding="utf-8")  # edit undone


def test_the_bench_script_can_turn_the_search_index_on(tmp_path):
    pytest.importorskip("pagefind_bin")
    results = tmp_path / "results.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "4",
               "--entities", "10", "--workdir", str(tmp_path / "work"), "--json", str(results),
               "--search", "--no-rebuild", "--ours-only"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "search index (Pagefind) on" in done.stdout
    figures = json.loads(results.read_text(encoding="utf-8"))
    assert figures["search"] is True
    assert {r["build"] for r in figures["runs"]} == {"ours", "ours-serve"}
    work = tmp_path / "work"
    assert (work / "out-n4-ours" / "pagefind" / "pagefind-ui.js").is_file()
    assert (work / "out-n4-serve" / "pagefind" / "pagefind-ui.js").is_file()


def test_the_report_checks_each_target():
    def runs(size, scale):
        return [run.Run(size, "plain", 10 * scale, 9 * scale, 100, 0.5),
                run.Run(size, "ours", 12 * scale, 10.5 * scale, 150, 0.5),
                run.Run(size, "ours-rebuild", 3 * scale, 3 * scale, 150, 0.5),
                run.Run(size, "ours-serve", 2 * scale, 4 * scale, 150, 0.5)]

    class Args:
        entities, seed, repeat = 3000, 1, 1

    info = {"python": "3", "pelican": "4.12", "cpus": 2, "memory": "1 GiB"}
    table, verdicts = run.report(runs(1000, 1) + runs(10000, 12), [1000, 10000], Args, info)
    assert verdicts["time_ratio_10000"]["ok"] and verdicts["memory_ratio_10000"]["ok"]
    assert verdicts["rebuild_share_10000"]["ok"]
    assert not verdicts["growth_ours"]["ok"]  # 12× for ten times the documents
    assert verdicts["serve_latency_10000_s"]["value"] == 24  # reported, no target
    assert verdicts["serve_latency_10000_s"]["ok"] is None
    assert {"time_ratio_10000", "memory_ratio_10000", "rebuild_share_10000",
            "growth_ours"} <= verdicts.keys()
    assert "time, ours / plain Pelican, N=10,000" in table


def test_the_rebuild_probe_builds_edits_rebuilds_and_undoes_the_edit(tmp_path):
    site = corpus.generate(tmp_path / "site", 6, 12, seed=1)
    edited = site / "content" / "briefings" / run.EDITED
    before = edited.read_bytes()
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "rebuild.py"), str(site),
                           str(tmp_path / "out" / "output")], capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ,
                                                         "RESEARCH_PROJECT_ROOT": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"empty state: ok=True cpu [\d.]+ s", done.stdout)
    assert re.search(r"after one edit: ok=True cpu [\d.]+ s", done.stdout)
    assert edited.read_bytes() == before  # the edit is undone
    assert (tmp_path / "out" / "output" / "index.html").is_file()

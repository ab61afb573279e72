"""The same sources build into byte-identical sites.

Each site is built twice, in two processes with different PYTHONHASHSEED values (so that set
and dict ordering of strings differs between them) into two differently named folders (so
that a temporary path leaking into a page shows as a difference). The fixture site is built
with absolute URLs and a feed, the real site with its own settings (and its Pagefind
index, three files of which are compared by content rather than bytes: see below).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys

from conftest import FIXTURES, ROOT

# Pagefind (1.5.2) is not byte-deterministic: it writes the values of a filter (our
# `data-pagefind-filter="type:..."`) in hash-map order, which changes from run to run even on
# identical input (upstream: Pagefind/pagefind#638; fragments and word indexes became stable
# in 1.3, "filter/metadata indexes" did not). The order changes the filter file's bytes, hence
# its hashed name, which the metadata file names, whose hashed name pagefind-entry.json names.
# Only these three files are compared loosely, and never skipped: the filter file by its
# decompressed bytes in sorted order (same content, any order), the metadata file with the
# filter's hashed name blanked out, the entry file without its "hash" fields.
PAGEFIND_FILTER = re.compile(r"^(pagefind/filter/[\w-]+?)_[0-9a-f]+\.pf_filter$")
PAGEFIND_META = re.compile(r"^(pagefind/pagefind\.[\w-]+?)_[0-9a-f]+\.pf_meta$")
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"

# Runs in the child process: build() as the tests and `make html` call it.
_BUILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from research.cli.build import build
result = build("pelicanconf.py", sys.argv[2], overrides=json.loads(sys.argv[3]))
if not result.ok:
    print("\\n".join(result.problems), file=sys.stderr)
sys.exit(0 if result.ok else 1)
"""


def _start(site, output, seed, overrides):
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "RESEARCH_PROJECT_ROOT": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(ROOT / "plugins"), str(output),
         json.dumps(overrides)],
        cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _build_twice(site, tmp_path, overrides):
    """Two builds of `site` run side by side; returns their output folders."""
    outputs = [tmp_path / "first-build" / "output", tmp_path / "second" / "site"]
    runs = [_start(site, output, seed, overrides)
            for output, seed in zip(outputs, (1, 2))]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, f"build failed:\n{out[-3000:]}\n{err[-3000:]}"
    return outputs


def _digests(output):
    """{relative path: sha256} of every file; Pagefind's unstable files under a stable name
    with a digest of their normalised content (see PAGEFIND_FILTER above)."""
    found = {path.relative_to(output).as_posix(): path
             for path in sorted(output.rglob("*")) if path.is_file()}
    filter_names = [PAGEFIND_FILTER.match(name) for name in found]
    filter_hashes = [match.group(0).rsplit("/", 1)[1].removesuffix(".pf_filter")
                     for match in filter_names if match]
    digests = {}
    for name, path in found.items():
        data = path.read_bytes()
        if match := PAGEFIND_FILTER.match(name):
            name, data = match.group(1) + "_*.pf_filter", bytes(sorted(gzip.decompress(data)))
        elif match := PAGEFIND_META.match(name):
            name, data = match.group(1) + "_*.pf_meta", gzip.decompress(data)
            for hashed in filter_hashes:
                data = data.replace(hashed.encode(), b"<filter>")
        elif name == PAGEFIND_ENTRY:
            entry = json.loads(data)
            for language in entry.get("languages", {}).values():
                language.pop("hash", None)
            data = json.dumps(entry, sort_keys=True).encode()
        assert name not in digests, f"two files normalise to {name}"
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def _compare(first, second):
    a, b = _digests(first), _digests(second)
    assert a, "the build wrote no files"
    only = sorted(set(a) ^ set(b))
    assert not only, f"files in only one build: {only[:20]}"
    differ = [name for name in sorted(a) if a[name] != b[name]]
    assert not differ, f"{len(differ)} of {len(a)} files differ between two builds: " \
        f"{differ[:20]}\n(diff -r {first} {second})"
    for folder in (first, second):  # no absolute path of the build folders in any file
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".svg"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert str(folder.parent) not in text and ".building-" not in text, path


def test_the_fixture_site_builds_byte_identical(tmp_path):
    first, second = _build_twice(FIXTURES / "site", tmp_path, {
        "RELATIVE_URLS": False, "SITEURL": "http://example.test",
        "FEED_DOMAIN": "http://example.test", "FEED_ALL_ATOM": "feeds/all.atom.xml"})
    _compare(first, second)


def test_the_real_site_builds_byte_identical(tmp_path):
    first, second = _build_twice(ROOT, tmp_path, {})
    _compare(first, second)


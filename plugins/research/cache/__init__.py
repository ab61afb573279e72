"""Incremental builds: a persisted build state keyed by content hashes (issue 16).

- `fingerprint.py`: canonical, deterministic digests of Python values, files and folders, and
  the version digest of a build (plugin code, theme, settings, Pelican, today's date).
- `store.py`: the state kept between builds in `.research-cache/<output name>/` beside the
  output folder: reader results, link results, and one fingerprint per written page; loaded
  at the start of a build, saved atomically after a successful swap.
- `hooks.py`: the reader's and the linker's caches, and what the page fingerprints picture.
- `guard/reuse.py` (outside this package: it is a writer): copies a page from the previous
  output instead of rendering it when the page's fingerprint is the one it was written with.

Nothing here changes what a build writes: a page is taken from the previous output only when
every input it is rendered from hashes the same (tests/test_incremental.py builds random edit
sequences both ways and compares them byte for byte). Without a store in the settings
(`python -m research build` without `--incremental`, or plain `pelican`), every hook is a no-op.
"""

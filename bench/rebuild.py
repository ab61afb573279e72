"""One process, one corpus: an incremental build with an empty state, then the benchmark's
one-document edit (bench.run.edit_one_document) and the timed incremental rebuild; prints CPU
and wall seconds of each and the process's peak memory. The edit is undone at the end.

    RESEARCH_PROJECT_ROOT=$PWD .venv/bin/python bench/rebuild.py SITE OUTPUT

SITE is a corpus written by bench/corpus.py. Not part of `make bench` (which times each
build in its own process); a quicker check of the rebuild alone.
"""

import logging
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "plugins"))


def main(site: str, out: str) -> int:
    from bench.run import edit_one_document
    from research.cli.build import build

    logging.basicConfig(level=logging.ERROR)
    os.chdir(site)

    def timed(label: str) -> bool:
        cpu, wall = time.process_time(), time.perf_counter()
        result = build("pelicanconf.py", out, incremental=True)
        print(f"{label}: ok={result.ok} cpu {time.process_time() - cpu:.1f} s "
              f"wall {time.perf_counter() - wall:.1f} s load {os.getloadavg()[0]:.1f}",
              flush=True)
        return result.ok

    if not timed("empty state"):
        return 1
    path, original = edit_one_document(Path(site))
    try:
        ok = timed("after one edit")
    finally:
        path.write_text(original, encoding="utf-8")
    print("peak MiB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

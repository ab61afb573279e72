"""Serve the built site on localhost and rebuild it when content, theme or code change."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import build as building

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


def serve(settings: str, output: str, bind: str, port: int) -> int:
    import watchfiles  # a Pelican dependency

    building.report(building.build(settings, output))
    handler = functools.partial(_QuietHandler, directory=str(Path(output).resolve()))
    server = ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output}/ on http://{bind}:{port}/ ; rebuilding on changes (Ctrl-C stops)")
    watched = [path for path in WATCHED if Path(path).exists()]
    try:
        for _changes in watchfiles.watch(*watched):
            building.report(building.build(settings, output))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        pass

"""`make serve`: serve the built site on localhost, rebuild on changes, reload the browser.

The dev server is the only place where the site gets a live-reload script: the HTTP handler
inserts it into every HTML response it sends, so `make html` and `make publish` output never
contains it. The script listens to a server-sent-events stream (`/__research__/events`) that
says, after every rebuild, which build is current and what went wrong, if anything:

- after a good build the page reloads itself;
- after a failed one it shows the problems (`file:line: message`) over the last good page,
  which is still what the server serves, until the next good build clears them.

A rebuild that raises (a bug in a plugin, a full disk, anything) is reported like a failed
build: one line, or a traceback when the exception comes from our own code, and the server
keeps serving the last good site and rebuilds on the next save.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import build as building

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")
EVENTS = "/__research__/events"
# The element the script adds for problems; tests and the stylesheet-free overlay use it.
OVERLAY_ID = "research-build-problems"
_PLUGIN_FOLDER = Path(__file__).resolve().parent.parent  # plugins/research
_BODY_END = re.compile(rb"</body\s*>", re.I)
_PAGE_SUFFIXES = ("", ".html", ".htm")


class LiveState:
    """What the browser needs to know: the number of the current good build and the problems
    of the last build (empty after a good one). Waiters are woken on every change."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0  # bumped on every change, so a waiter knows it missed nothing
        self.build = 0
        # Build numbers restart with the process (after a plugin change): the token keeps a
        # page of the old process from taking build 1 of the new one for its own.
        self.token = f"{os.getpid()}-{time.time_ns()}"
        self.problems: list[str] = []
        self.closed = False

    def update(self, *, ok: bool, problems: list[str]) -> None:
        with self._changed:
            if ok:
                self.build += 1
            self.problems = [] if ok else list(problems)
            self.version += 1
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    @property
    def build_id(self) -> str:
        return f"{self.token}.{self.build}"

    def snapshot(self) -> tuple[int, str]:
        with self._changed:
            return self.version, json.dumps({"build": self.build_id,
                                             "problems": self.problems})

    def wait(self, version: int, timeout: float) -> None:
        """Return when the state is newer than `version`, on close, or after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version or self.closed, timeout)


def live_script(build: str) -> str:
    """The script the dev server puts into every HTML page; `build` is the build the page
    came from, so a page loaded just before a rebuild still notices it."""
    return f"""<script data-research-live="{build}">
(function () {{
  var built = "{build}";
  var events = new EventSource("{EVENTS}");
  events.onmessage = function (message) {{
    var state = JSON.parse(message.data);
    if (state.problems.length) {{ show(state.problems); }}
    else if (state.build !== built) {{ location.reload(); }}
    else {{ hide(); }}
  }};
  function hide() {{
    var old = document.getElementById("{OVERLAY_ID}");
    if (old) {{ old.remove(); }}
  }}
  function show(problems) {{
    hide();
    var box = document.createElement("div");
    box.id = "{OVERLAY_ID}";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;" +
      "overflow:auto;margin:0;padding:1em 1.5em;background:#fff3f3;color:#5c0000;" +
      "border-bottom:4px solid #b00020;font:14px/1.5 ui-monospace,monospace;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.3)";
    var title = document.createElement("strong");
    title.textContent = "The last build failed; this is the previous site. Fix and save to rebuild:";
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {{
      var item = document.createElement("li");
      item.textContent = problem;  // text, never markup: messages quote content
      item.style.whiteSpace = "pre-wrap";
      list.appendChild(item);
    }});
    box.appendChild(list);
    var close = document.createElement("button");  // to read the page under it
    close.type = "button";
    close.textContent = "Hide until the next build";
    close.onclick = hide;
    box.appendChild(close);
    document.body.appendChild(box);
  }}
}})();
</script>
"""


def inject(page: bytes, build: str) -> bytes:
    """The page with the live script before its last `</body>` (or at the end)."""
    script = live_script(build).encode()
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + script
    at = ends[-1].start()
    return page[:at] + script + page[at:]


class LiveHandler(SimpleHTTPRequestHandler):
    """Serves the output folder; HTML gets the live script, `EVENTS` streams the state."""

    state: LiveState  # set by functools.partial in DevServer

    def __init__(self, *args, state: LiveState, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        pass

    def end_headers(self) -> None:
        # Pages change on every rebuild: the browser must not show a cached one after reload.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path.split("?", 1)[0] == EVENTS:
            self._events()
            return
        self._send(body=True)

    def do_HEAD(self) -> None:  # noqa: N802 (the stdlib's name)
        self._send(body=False)  # the same headers as GET, with the injected page's length

    def _send(self, body: bool) -> None:
        page = self._page()
        if page is None:
            super().do_GET() if body else super().do_HEAD()
            return
        status, html = page
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(html)))
        self.end_headers()
        if body:
            self.wfile.write(html)

    def _page(self) -> tuple[int, bytes] | None:
        """(status, HTML with the script) for a page request, None for anything else."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if os.path.splitext(path)[1] not in _PAGE_SUFFIXES:
            return None  # stylesheets, scripts, data: served as they are
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                return None  # the stdlib redirects to the folder's URL with a slash
            local = local / "index.html"
        elif local.is_file() and not path.endswith((".html", ".htm")):
            return None  # a file without an extension is not a page
        build = self.state.build_id
        if local.is_file():
            return HTTPStatus.OK, inject(local.read_bytes(), build)
        # No such page (not built yet, or renamed): a page that still shows the build's
        # problems and reloads when a build succeeds.
        missing = (b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                   b"<title>Not found</title></head><body><p>No page at this address in the "
                   b"current build.</p></body></html>")
        return HTTPStatus.NOT_FOUND, inject(missing, build)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            version = None
            while not self.state.closed:
                current, data = self.state.snapshot()
                if current != version:
                    self.wfile.write(f"data: {data}\n\n".encode())
                    version = current
                else:
                    self.wfile.write(b": keep-alive\n\n")  # notices a closed tab
                self.wfile.flush()
                self.state.wait(current, timeout=10)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


class DevServer:
    """The HTTP server, the live state and the rebuild step; `serve()` adds the watching."""

    def __init__(self, settings: str, output: str, bind: str = "127.0.0.1", port: int = 8000,
                 stream=sys.stderr) -> None:
        self.settings = settings
        self.output = output
        self.stream = stream
        self.state = LiveState()
        self._lint: list[str] | None = None
        # The folder may not exist before the first good build (nor be created here: the
        # build decides what may become its output folder); pages are then "not found" pages
        # that carry the live script, so they show the problems and reload after a good build.
        handler = functools.partial(LiveHandler, state=self.state,
                                    directory=str(Path(output).resolve()))
        self.server = ThreadingHTTPServer((bind, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.state.close()
        self.server.shutdown()
        self.server.server_close()

    def rebuild(self) -> bool:
        """Build once; report the outcome to the terminal and to the browsers. Never raises
        (except KeyboardInterrupt): the server must outlive any failure of a build."""
        try:
            # Incremental (cache/): after a save only the changed files are read and linked
            # again and only the pages whose inputs changed are rendered; same bytes.
            result = building.build(self.settings, self.output, incremental=True)
        except Exception as err:  # noqa: BLE001 (survive anything a rebuild can raise)
            problem = self._report_crash(err)
            self.state.update(ok=False, problems=[problem])
            return False
        # The lint summary only when it changed: the same list after every save is noise.
        unchanged = result.lint == self._lint
        if not unchanged and not result.lint and self._lint:
            print("Lint: every capitalised name now matches an entity", file=self.stream)
        self._lint = list(result.lint)
        building.report(dataclasses.replace(result, lint=[]) if unchanged else result,
                        stream=self.stream)
        self.state.update(ok=result.ok, problems=result.problems)
        return result.ok

    def _report_crash(self, err: Exception) -> str:
        """Print a rebuild that raised: one line for an environment or third-party failure,
        the traceback too when the exception comes from our own code (a bug to fix)."""
        frames = traceback.extract_tb(err.__traceback__)
        innermost = frames[-1] if frames else None
        ours = innermost is not None and not isinstance(err, OSError) and \
            Path(innermost.filename).resolve().is_relative_to(_PLUGIN_FOLDER)
        where = ""
        if innermost is not None:
            where = f" (in {_short(innermost.filename)}:{innermost.lineno})"
        problem = f"the build crashed: {type(err).__name__}: {err}{where}"
        if ours:
            print("Build crashed on a bug in plugins/research (please report it with this "
                  "traceback):", file=self.stream)
            traceback.print_exception(err, file=self.stream)
        print(f"Build failed: {problem}; still serving the last good site, fix and save to "
              "rebuild", file=self.stream)
        return problem

    def watch(self, stop_event: threading.Event | None = None, on_code_change=None) -> None:
        """Rebuild after every batch of changes under WATCHED until `stop_event` is set.
        A changed Python file under plugins/ calls `on_code_change` instead, if given, and
        stops watching: a rebuild in this process would still run the old, imported code."""
        import watchfiles  # a Pelican dependency

        watched = [path for path in WATCHED if Path(path).exists()]
        code = Path("plugins").resolve()
        for changes in watchfiles.watch(*watched, stop_event=stop_event):
            if on_code_change is not None and any(
                    path.endswith(".py") and Path(path).resolve().is_relative_to(code)
                    for _change, path in changes):
                on_code_change()
                return
            self.rebuild()


def _short(filename: str) -> str:
    """A frame's file as an editor reads it: relative to the plugin folder's parent or to the
    installed package's folder, not a long absolute path."""
    path = Path(filename)
    for root in (_PLUGIN_FOLDER.parent, *(Path(p) for p in sys.path if p)):
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return filename


def serve(settings: str, output: str, bind: str, port: int) -> int:
    try:
        server = DevServer(settings, output, bind, port)
    except OSError as err:
        print(f"Cannot listen on {bind}:{port}: {err.strerror}; pick another port, e.g. "
              f"`make serve PORT={port + 1}`", file=sys.stderr)
        return 2
    server.rebuild()
    server.start()
    print(f"Serving {output}/ on {server.url} ; rebuilding on changes, pages reload "
          "themselves (Ctrl-C stops)", file=sys.stderr)
    restart = threading.Event()
    try:
        server.watch(on_code_change=restart.set)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    if restart.is_set():
        # Start again as the same command, so the new plugin code is imported; open pages
        # reconnect to the new process and reload after its first build.
        print("plugins/ changed: restarting the dev server", file=sys.stderr)
        sys.stderr.flush()
        os.execv(sys.executable, sys.orig_argv)
    return 0

"""Command line: `python -m research build|serve|lint|ids`."""

from __future__ import annotations

import argparse
import logging
import sys

from . import build as building


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m research",
                                     description="Build, serve or check the research site.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "build the site into the output folder, atomically"),
                       ("serve", "build, serve on localhost and rebuild on changes"),
                       ("lint", "list capitalised names that match no entity")):
        command = sub.add_parser(name, help=text)
        command.add_argument("-s", "--settings", default="pelicanconf.py")
        command.add_argument("-o", "--output", default="output")
        if name == "serve":
            command.add_argument("-p", "--port", type=int, default=8000)
            command.add_argument("-b", "--bind", default="127.0.0.1")
    ids = sub.add_parser("ids", help="give paragraphs of sources and briefing notes their "
                         "ids; record cited paragraphs in the citation lock")
    ids.add_argument("files", nargs="*", metavar="FILE", help="default: every one")
    ids.add_argument("--confirm", action="store_true",
                     help="record the new text of cited paragraphs that changed")
    ids.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Lint findings are summarised by the build report, not logged line by line.
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: record.name != building.LINT_LOGGER)
    if args.command == "build":
        return building.report(building.build(args.settings, args.output))
    if args.command == "ids":
        from .paragraph_ids import run
        return run(args.settings, args.files, args.confirm)
    if args.command == "lint":
        return _lint(args.settings)
    from .serve import serve
    return serve(args.settings, args.output, args.bind, args.port)


def _lint(settings: str) -> int:
    """Build into a scratch folder (the real output is untouched) and list lint findings."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        result = building.build(settings, f"{scratch}/output")
    if not result.ok:
        return building.report(result)
    for finding in result.lint:
        print(finding)
    print(f"{len(result.lint)} name(s) match no entity", file=sys.stderr)
    return 1 if result.lint else 0


if __name__ == "__main__":
    sys.exit(main())

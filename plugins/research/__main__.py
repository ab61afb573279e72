"""Command line: `python -m research build|serve|lint|ids`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from .cli import build as building


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m research",
                                     description="Build, serve or check the research site.")
    sub = parser.add_subparsers(dest="command", required=True)
    _editor_commands(sub)  # new, rename-entity, rename-document
    for name, text in (("build", "build the site into the output folder, atomically"),
                       ("serve", "build, serve on localhost and rebuild on changes"),
                       ("lint", "list capitalised names that match no entity")):
        command = sub.add_parser(name, help=text)
        command.add_argument("-s", "--settings", default="pelicanconf.py")
        command.add_argument("-o", "--output", default="output")
        if name == "build":
            command.add_argument("--incremental", action="store_true",
                                 help="keep a build state in .research-cache/ beside the "
                                 "output and render only pages whose inputs changed")
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
    # (Lint findings are data in the build state, summarised by the build report.)
    if hasattr(args, "run"):  # the editor commands
        return args.run(args)
    if args.command == "build":
        return _build(args.settings, args.output, args.incremental)
    if args.command == "ids":
        from .read.paragraph_ids import run
        return run(args.settings, args.files, args.confirm)
    if args.command == "lint":
        return _lint(args.settings)
    from .cli.serve import serve
    return serve(args.settings, args.output, args.bind, args.port)


class _Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that the build removes its staging folder."""


def _build(settings: str, output: str, incremental: bool = False) -> int:
    """Build once. Ctrl-C or SIGTERM stop the build cleanly: the staging folder is removed
    (build() cleans up in `finally`) and the previous site is left as it was."""
    def terminate(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, terminate)
    try:
        return building.report(building.build(settings, output, incremental=incremental))
    except KeyboardInterrupt:
        print("Build interrupted (Ctrl-C); the previous site, if any, is unchanged",
              file=sys.stderr)
        return 130
    except _Terminated:
        print("Build stopped (SIGTERM); the previous site, if any, is unchanged",
              file=sys.stderr)
        return 143


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


def _editor_commands(sub) -> None:
    """`new`, `rename-entity` and `rename-document` (scaffold.py, rename.py): commands that
    edit content."""
    from .core.types import DEFAULT

    new = sub.add_parser("new", help="start a new source, briefing note or entity file")
    kinds = new.add_subparsers(dest="kind", required=True)
    source = kinds.add_parser("source", help="a primary source")
    for option in ("--title", "--author", "--outlet"):
        source.add_argument(option, required=True)
    source.add_argument("--date", required=True,
                        help="as published, with time zone: 2008-09-05T05:18:00-04:00")
    briefing = kinds.add_parser("briefing", help="a briefing note")
    briefing.add_argument("--title", required=True)
    briefing.add_argument("--date", help="YYYY-MM-DD (default: today)")
    entity = kinds.add_parser("entity", help="an organization, person, country, ...")
    entity.add_argument("--type", required=True, choices=DEFAULT.entity_names)
    entity.add_argument("--name", required=True)
    for command in (source, briefing, entity):
        command.add_argument("--slug", help="default: made from the title or name")
        command.add_argument("-s", "--settings", default="pelicanconf.py")
        command.set_defaults(run=_new)
    for name, what in (("rename-entity", "an entity's"),
                       ("rename-document", "a source's or briefing note's")):
        renaming = sub.add_parser(name, help=f"change {what} slug everywhere, keeping a "
                                  "redirect at the old address")
        renaming.add_argument("old")
        renaming.add_argument("new")
        renaming.add_argument("-s", "--settings", default="pelicanconf.py")
        renaming.set_defaults(run=_rename, document=name == "rename-document")


def _new(args) -> int:
    from .cli.scaffold import main as new

    return new(args, args.settings)


def _rename(args) -> int:
    from .cli.rename import main as rename

    return rename(args.old, args.new, args.settings, document=args.document)


if __name__ == "__main__":
    sys.exit(main())

"""The `site-builder` command: turns errors into `path:line: message` and an exit status.

Exit status 0 on success, 1 when the content (or the output folder) is wrong, 2 when the
command itself is used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from .commands.build import build, source_date
from .commands.new import new_item, startable
from .engine.errors import ContentError, SiteError, UsageError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")
    try:
        return args.run(args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        outcome = (
            "nothing was published (the previous output is untouched)"
            if args.command in ("build", "publish")
            else "nothing was written"
        )
        print(f"{count} problem{'s' if count != 1 else ''} found; {outcome}.", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"site-builder: {error}", file=sys.stderr)
        return 2
    except SiteError as error:
        print(f"site-builder: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build a static site of living public plans, with every revision "
        "published from git history.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    _source_option(build_cmd)
    build_cmd.add_argument("--output", type=Path, help="where to write (default: SOURCE/output)")
    build_cmd.add_argument(
        "--base-url",
        help="the address the site is published at, like "
        "https://example.org/city-plans/ (overrides site.yaml)",
    )
    build_cmd.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (example text left from 'new', a broken link, an incomplete "
        "git history) as errors",
    )
    build_cmd.add_argument("--quiet", action="store_true", help="print nothing on success")
    build_cmd.set_defaults(run=_build)

    serve_cmd = commands.add_parser("serve", help="preview the site, rebuilding on every save")
    _source_option(serve_cmd)
    serve_cmd.add_argument("--port", type=_port, default=8000, help="1 to 65535 (default: 8000)")
    serve_cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer "
        "only); the preview answers requests for it, for localhost "
        "and for IP addresses only",
    )
    serve_cmd.set_defaults(run=_serve)

    new_cmd = commands.add_parser("new", help="start a file from a commented template")
    new_cmd.add_argument("kind", choices=startable())
    new_cmd.add_argument("name", help="the new item's name (for an update: its plan's name)")
    new_cmd.add_argument(
        "--name", dest="update_name", help="for an update: its file name (default: today's date)"
    )
    _source_option(new_cmd)
    new_cmd.set_defaults(run=_new)

    publish_cmd = commands.add_parser("publish", help="build, then commit the site to a branch")
    _source_option(publish_cmd)
    publish_cmd.add_argument("--branch", default="gh-pages", help="default: gh-pages")
    publish_cmd.add_argument("--push", metavar="REMOTE", help="also push the branch, e.g. origin")
    publish_cmd.add_argument("--base-url", help="the address the site is published at")
    publish_cmd.add_argument(
        "--allow-dirty",
        action="store_true",
        help="publish uncommitted changes under content/, site.yaml, "
        "static/ or themes/ too (the published commit says so)",
    )
    publish_cmd.add_argument(
        "--force",
        action="store_true",
        help="publish on a branch that holds site.yaml or is part of the source history",
    )
    publish_cmd.set_defaults(run=_publish)

    check_cmd = commands.add_parser("check", help="validate content and links; write nothing")
    _source_option(check_cmd)
    check_cmd.set_defaults(run=_check)

    init_cmd = commands.add_parser("init", help="start a new site: settings, examples, CI files")
    init_cmd.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="default: the current folder"
    )
    init_cmd.add_argument(
        "--install",
        metavar="REQUIREMENT",
        help="how the CI files install site-builder: a pip requirement (default: this "
        "version, like site-builder==0.1.0)",
    )
    init_cmd.set_defaults(run=_init)
    return parser


def _source_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="the site folder (default: the current folder)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a port; use a number from 1 to 65535, such as 8000"
        )
    return port


def _site_folder(path: Path) -> Path:
    if not path.is_dir():
        raise UsageError(f"--source {path} is not a folder")
    return path


def _build(args: argparse.Namespace) -> int:
    show = not args.quiet and sys.stderr.isatty() and not os.environ.get("CI")
    result = build(
        _site_folder(args.source),
        args.output,
        args.base_url,
        progress=_show_progress if show else None,
        strict=args.strict,
    )
    if show:
        print("\r\033[K", end="", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and result.warnings:
        print("--strict: the build is complete but warnings count as errors.", file=sys.stderr)
        return 1
    if not args.quiet:
        cached = (
            f", {result.cached_pages} unchanged from the last build" if result.cached_pages else ""
        )
        print(
            f"Built {result.pages} pages{cached} into {result.output} in "
            f"{result.seconds:.2f} s (history: {result.history})."
        )
    return 0


def _show_progress(done: int, total: int) -> None:
    """One line, rewritten in place: only ever shown on a terminal."""
    print(f"\rWriting pages: {done}/{total}", end="", file=sys.stderr, flush=True)


def _serve(args: argparse.Namespace) -> int:
    from .commands.serve import serve  # livereload and its web server: only the preview needs them

    serve(_site_folder(args.source), args.port, args.host)
    return 0


def _new(args: argparse.Namespace) -> int:
    source = _site_folder(args.source)
    if args.update_name:
        path = new_item(source, args.kind, args.update_name, today(), plan=args.name)
    else:
        path = new_item(source, args.kind, args.name, today())
    print(
        f"Created {path.relative_to(source)}: fill in the values marked «edit me», then run "
        "'site-builder check'."
    )
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .commands.publish import (  # a build does not need it
        check_committed,
        listed,
        publish_folder,
    )

    source = _site_folder(args.source).resolve()
    changes = check_committed(source, args.allow_dirty)  # before anything is built from them
    if changes:
        print(
            f"warning: publishing uncommitted changes (--allow-dirty): {listed(changes)}",
            file=sys.stderr,
        )
    result = build(source, base_url=args.base_url, strict=True)  # nothing unfinished goes out
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    published = publish_folder(
        source, result.output, args.branch, args.push, dirty=bool(changes), force=args.force
    )
    where = f" and pushed to {args.push}" if published.pushed else ""
    if published.commit is None:
        print(f"Nothing changed on {published.branch}{where}.")
    else:
        dirty = " with uncommitted changes (its message says so)" if changes else ""
        print(
            f"Published {published.commit[:12]} on {published.branch} from source commit "
            f"{published.source_commit[:12]}{dirty}{where}."
        )
    return 0


def _init(args: argparse.Namespace) -> int:
    from .commands.init import init_site

    written = init_site(args.folder, today(), args.install)
    print(
        f"Created a new site in {args.folder}: {len(written)} files, among them site.yaml, "
        "README.md and one example of each kind under content/."
    )
    enter = "" if args.folder == Path(".") else f"cd {args.folder}, "
    print(
        f"Next: {enter}site-builder serve to see it, then git init -b main && git add -A && "
        "git commit -m 'Start the site'."
    )
    return 0


def today() -> dt.date:
    """The date written into new files: SOURCE_DATE_EPOCH when set, else today."""
    return source_date() or dt.date.today()


def _check(args: argparse.Namespace) -> int:
    from .commands.check import check  # BeautifulSoup: only `check` needs it

    checked = check(_site_folder(args.source).resolve())
    for warning in checked.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    content = checked.content
    print(
        f"No problems found: {len(content.plans)} plans, "
        f"{sum(len(u) for u in content.updates.values())} updates, "
        f"{len(content.fellows)} fellows, {len(content.convenings)} convenings, "
        f"{len(content.pages)} pages."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

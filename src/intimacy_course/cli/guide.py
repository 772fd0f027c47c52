"""``intimacy-course guide build``: the facilitator guide as printable HTML pages."""

from __future__ import annotations

import argparse
from pathlib import Path

from intimacy_course.errors import CourseError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``guide`` subcommand group."""
    guide = subparsers.add_parser(
        "guide", help="instructors: the facilitator guide as printable pages"
    )
    actions = guide.add_subparsers(dest="guide_command", metavar="ACTION")
    guide.set_defaults(handler=lambda args: (guide.print_help(), 2)[1])
    build = actions.add_parser(
        "build", help="write grading/facilitator/ as HTML pages to print or share"
    )
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for the pages (default: grading/facilitator/html/, git-ignored)",
    )
    build.set_defaults(handler=_build)


def _build(args: argparse.Namespace) -> int:
    from intimacy_course.content.guide_pages import build_guide, guide_folder

    out = args.out or guide_folder() / "html"
    if out.exists() and not out.is_dir():
        raise CourseError(f"--out {out} is a file. Give a folder for the pages.")
    pages = build_guide(out)
    print(
        f"Wrote {len(pages)} pages. Open {(out / 'index.html').resolve().as_uri()} and print from the browser."
    )
    return 0

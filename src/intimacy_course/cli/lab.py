"""``intimacy-course setup`` and ``intimacy-course lab``: prepare and open the course."""

from __future__ import annotations

import argparse
import sys

from intimacy_course.errors import CourseError
from intimacy_course.paths import repo_root

# The set-up steps import nbgrader and nbformat, which take seconds to load: they are
# imported inside the handlers so that `intimacy-course journal ...` stays instant.


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``setup`` and ``lab`` subcommands."""
    setup = subparsers.add_parser(
        "setup", help="prepare the course (settings, git filter, your quiz copies); safe to repeat"
    )
    setup.set_defaults(handler=_setup)

    lab = subparsers.add_parser(
        "lab", help="prepare the course, then open it in JupyterLab (127.0.0.1, with a token)"
    )
    lab.add_argument(
        "--port",
        type=port_number,
        default=None,
        help="port to listen on, 1-65535; 0 picks any free one (default: 8888, or any free one)",
    )
    lab.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the address"
    )
    lab.add_argument(
        "--instructor",
        action="store_true",
        help="also show nbgrader's instructor tools (formgrader, Create Assignment), "
        "with a local exchange folder",
    )
    # Refused with a reason: a command line is readable by every account (`ps`).
    lab.add_argument("--token", default=None, help=argparse.SUPPRESS)
    lab.add_argument(
        "jupyter_args",
        nargs=argparse.REMAINDER,
        help="after --, extra options passed to JupyterLab (not ones that change the "
        "address or the token; set INTIMACY_COURSE_TOKEN to choose the token)",
    )
    lab.set_defaults(handler=_lab)


def port_number(text: str) -> int:
    """``--port``'s value: a whole number from 0 to 65535 (argparse prints the message)."""
    from intimacy_course.lab.server import MAX_PORT

    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port number: use a whole number from 1 to {MAX_PORT}, or 0 "
            "to let the computer pick a free port"
        ) from None
    if not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"{port} is out of range: use a port from 1 to {MAX_PORT}, or 0 to let the "
            "computer pick a free one"
        )
    return port


def _setup(args: argparse.Namespace) -> int:
    repo_root()  # a wrong INTIMACY_COURSE_REPO is reported before any set-up step runs
    from intimacy_course.lab.setup import prepare

    prepare()
    return 0


def _lab(args: argparse.Namespace) -> int:
    from intimacy_course import settings
    from intimacy_course.lab.server import (
        ROOT_WARNING,
        check_extra_arguments,
        check_token,
        plan_lab,
        run_lab,
        running_as_root,
    )

    if args.token is not None:
        raise CourseError(
            "--token is refused: every account on this computer can read a command line "
            f"(with `ps`), and with it your journal. Set {settings.TOKEN_ENV} in the "
            "environment instead, or leave it unset for a new random token."
        )
    extra = check_extra_arguments([a for a in args.jupyter_args if a != "--"])
    check_token(settings.server_token())
    repo_root()  # a wrong INTIMACY_COURSE_REPO is reported before any set-up step runs
    if running_as_root():
        print(ROOT_WARNING, file=sys.stderr, flush=True)
    from intimacy_course.lab.setup import prepare  # slow to import: only once checks pass

    prepare()
    try:
        launch = plan_lab(
            port=args.port,
            open_browser=not args.no_browser,
            extra_args=extra,
            instructor=args.instructor,
        )
    except OSError as problem:
        raise CourseError(str(problem)) from problem
    run_lab(launch)
    return 0  # pragma: no cover - run_lab replaces the process

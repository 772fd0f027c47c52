"""``intimacy-course setup`` and ``intimacy-course lab``: prepare and open the course."""

from __future__ import annotations

import argparse

from intimacy_course.errors import CourseError

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
        "--port", type=int, default=None, help="port to listen on (default: 8888, or any free one)"
    )
    lab.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the address"
    )
    lab.add_argument("--token", default=None, help="use this token instead of a random one")
    lab.add_argument(
        "jupyter_args",
        nargs=argparse.REMAINDER,
        help="after --, extra options passed to JupyterLab unchanged",
    )
    lab.set_defaults(handler=_lab)


def _setup(args: argparse.Namespace) -> int:
    from intimacy_course.lab.setup import prepare

    prepare()
    return 0


def _lab(args: argparse.Namespace) -> int:
    from intimacy_course.lab.setup import prepare
    from intimacy_course.lab.server import plan_lab, run_lab

    extra = [a for a in args.jupyter_args if a != "--"]
    prepare()
    try:
        launch = plan_lab(
            port=args.port, token=args.token, open_browser=not args.no_browser, extra_args=extra
        )
    except (OSError, FileNotFoundError) as problem:
        raise CourseError(str(problem)) from problem
    run_lab(launch)
    return 0  # pragma: no cover - run_lab replaces the process

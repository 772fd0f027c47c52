"""The ``intimacy-course`` command: one entry point for learners and instructors.

Each group of subcommands lives in its own module with a ``register(subparsers)``
function, listed in ``COMMAND_MODULES``; this file only assembles them, so the journal,
grading and server commands can grow without touching each other.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from intimacy_course.errors import CourseError

__all__ = ["COMMAND_MODULES", "CourseError", "build_parser", "main"]

#: Modules that each add their subcommands to the parser, in the order shown by --help.
COMMAND_MODULES: tuple[str, ...] = (
    "intimacy_course.cli.lab",
    "intimacy_course.cli.journal",
    "intimacy_course.cli.grading",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="intimacy-course",
        description=(
            "Healthy Intimacy course: open the course, keep your private journal, "
            "check quizzes and run grading."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CourseError as problem:
        print(f"intimacy-course: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130

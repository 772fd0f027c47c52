"""The ``intimacy-course`` command: one entry point for learners and instructors.

Each group of subcommands lives in its own module with a ``register(subparsers)``
function, listed in ``COMMAND_MODULES``; this file only assembles them, so the journal,
grading and server commands can grow without touching each other.

It is also the one place where errors become messages: every ``CourseError`` (a problem
the user can fix; its text says how) is printed on one line with exit status 2, and a
file-system error that reaches this far (a path that is a folder, missing, unreadable)
is printed with what to do and exit status 1. Neither shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from intimacy_course.errors import CourseError

__all__ = ["COMMAND_MODULES", "CourseError", "build_parser", "main"]

#: Modules that each add their subcommands to the parser, in the order shown by --help.
COMMAND_MODULES: tuple[str, ...] = (
    "intimacy_course.cli.lab",
    "intimacy_course.cli.journal",
    "intimacy_course.cli.grading",
    "intimacy_course.cli.items",
    "intimacy_course.cli.guide",
)


class CourseArgumentParser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors also say where to read what is accepted.

    Subcommands' parsers are made from the same class, so every level behaves alike.
    """

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"{self.prog}: error: {message}\nRun `{self.prog} --help` to see what it accepts.\n",
        )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered subcommand."""
    parser = CourseArgumentParser(
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
    except BrokenPipeError:  # the output went to a pipe that closed (`... | head`)
        with contextlib.suppress(OSError):
            sys.stderr.close()
        return 1
    except OSError as problem:  # a file or folder the command met is not as it needs
        print(f"intimacy-course: {describe_os_error(problem)}", file=sys.stderr)
        return 1


def describe_os_error(problem: OSError) -> str:
    """A file-system error as a sentence that says what went wrong where, and what to do."""
    where = " -> ".join(str(name) for name in (problem.filename, problem.filename2) if name)
    what = (problem.strerror or str(problem)).rstrip(".")
    advice = {
        errno.ENOENT: "Check the path: it, or a folder on the way to it, does not exist.",
        errno.EEXIST: "Something already has that name; choose another path or move it away.",
        errno.ENOTDIR: "A part of the path is a file where a folder is needed; fix the path.",
        errno.EISDIR: "That is a folder; give the path of a file instead.",
        errno.EACCES: "You do not have permission there; check its owner and permissions "
        "(`ls -l`), or choose a place you own.",
        errno.EPERM: "The operation is not permitted there; choose a place you own.",
        errno.ENOSPC: "The disk is full; free some space and try again.",
        errno.EROFS: "That disk is read-only; choose a place on a writable disk.",
    }.get(problem.errno or 0, "Check the path and its permissions, then try again.")
    return f"{what}: {where}. {advice}" if where else f"{what}. {advice}"

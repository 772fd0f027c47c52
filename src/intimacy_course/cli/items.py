"""``intimacy-course items lint``: hold a quiz bank to the item-writing rules, for authors.

Prints the linter's table (counts and shares per module and for the whole bank) and every
finding; exits 1 when any finding is an error, so it can guard a commit or a CI step.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``items`` subcommand group."""
    items = subparsers.add_parser("items", help="authors: check the quiz item bank")
    actions = items.add_subparsers(dest="items_command", metavar="ACTION")
    items.set_defaults(handler=lambda args: _usage(items))
    lint = actions.add_parser(
        "lint",
        help="check the bank against the item-writing rules and print a table per module",
        description=(
            "Check every bank file against the item-writing rules (objective coverage, share "
            "of application items, right-answer positions, longest-option cue, true/false share, "
            "duplicate stems, objective wording in stems, reasons, rubrics) and print a table "
            "per module. Exit status 1 when any error is found."
        ),
    )
    lint.add_argument(
        "--bank",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of the bank files (default: grading/items/, or grading/items/v1/ with --v1)",
    )
    lint.add_argument(
        "--v1",
        action="store_true",
        help="read the folder as bank version 1 (the old format, for before/after figures)",
    )
    lint.set_defaults(handler=_lint)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _lint(args: argparse.Namespace) -> int:
    from intimacy_course.paths import grading_dir
    from intimacy_course.quiz.lint import lint_bank_dir, lint_v1_dir

    if args.v1:
        report = lint_v1_dir(args.bank or grading_dir() / "items" / "v1")
    else:
        report = lint_bank_dir(args.bank or grading_dir() / "items")
    print(report.text())
    return 1 if report.errors else 0

"""``intimacy-course journal where | export PATH | delete | recover``.

The command line is where a learner looks after their journal outside the notebooks:
find it, take a copy, move a damaged file aside, or erase it. The two commands that
cannot be undone from inside the course (``delete``, and ``recover``, which starts a new
journal) ask for a typed word, and refuse outright when nobody is at a terminal to type
it unless ``--yes`` says the caller has already asked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from intimacy_course import settings
from intimacy_course.errors import CourseError
from intimacy_course.journal import (
    DATA_ENV,
    Journal,
    JournalDamagedError,
    JournalError,
    damaged_copies,
    default_journal_dir,
    delete_journal,
    export_journal,
    folder_is_private,
    journal_path,
    recover_damaged,
)

SHARED_LOGIN_REMINDER = (
    "Only your account can open these files, but anyone who uses your login (a shared "
    "device or account) can read them, and so can the computer's administrators. Export "
    "or delete the journal if that matters to you."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``journal`` and its subcommands."""
    journal = subparsers.add_parser(
        "journal",
        help="your private reflection journal: where it is, export, delete, recover",
        description=f"Your private reflection journal (folder: ${DATA_ENV}, else your "
        "user data folder).",
    )
    commands = journal.add_subparsers(dest="journal_command", metavar="ACTION")
    journal.set_defaults(handler=lambda args: _usage(journal))

    where = commands.add_parser("where", help="show the journal's folder, file, size and entries")
    where.set_defaults(handler=_where)

    export = commands.add_parser(
        "export", help="copy every entry to PATH (.csv, .json or .md), readable only by you"
    )
    export.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="file to write; its ending (.csv, .json, .md) picks the format",
    )
    export.add_argument("--force", action="store_true", help="replace PATH if it already exists")
    export.set_defaults(handler=_export)

    delete = commands.add_parser(
        "delete", help="erase the journal, its -wal/-shm files and moved-aside copies"
    )
    delete.add_argument(
        "--yes", action="store_true", help="do not ask (for scripts that have already asked)"
    )
    delete.set_defaults(handler=_delete)

    recover = commands.add_parser(
        "recover", help="move a damaged journal aside (kept, not deleted) and start a new one"
    )
    recover.add_argument(
        "--yes", action="store_true", help="do not ask (for scripts that have already asked)"
    )
    recover.set_defaults(handler=_recover)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


@contextmanager
def _as_course_errors() -> Iterator[None]:
    """Journal faults already carry a user-facing message: print it, no traceback."""
    try:
        yield
    except JournalError as problem:
        raise CourseError(str(problem)) from problem


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _journal_folder() -> Path:
    """The journal's folder, refusing early (before any output) when it cannot be one.

    Catches INTIMACY_COURSE_DATA pointing at a file, or inside one, where no journal
    could ever be made.
    """
    folder = default_journal_dir()
    origin = f"(from {DATA_ENV}) " if settings.data_override() is not None else ""
    advice = (
        f"Set {DATA_ENV} to a folder (it is created when missing), or unset it to use your "
        "user data folder."
    )
    if folder.exists() and not folder.is_dir():
        raise CourseError(
            f"The journal folder {folder} {origin}is a file, not a folder. Nothing was "
            f"changed. {advice}"
        )
    existing = next((p for p in folder.parents if os.path.lexists(p)), None)
    if not folder.exists() and existing is not None and not existing.is_dir():
        raise CourseError(
            f"The journal folder {folder} {origin}can never be created: {existing} is a "
            f"file, not a folder. Nothing was changed. {advice}"
        )
    return folder


def _where(args: argparse.Namespace) -> int:
    folder = _journal_folder()
    path = journal_path(folder)
    print(f"Folder:  {folder}")
    print(f"File:    {path}")
    if not os.path.lexists(path):
        print(
            "Status:  no journal yet; it is created, readable only by you, when you first "
            "save a reflection."
        )
    else:
        size = sum(p.lstat().st_size for p in (path, *_companions(path)) if os.path.lexists(p))
        print(f"Size:    {_human_size(size)} (with SQLite's -wal/-shm files)")
        with _as_course_errors():
            with Journal(folder) as journal:
                _print_notices(journal)
                print(f"Entries: {journal.count()} (every saved version counts)")
                if journal.read_only is not None:
                    print(f"Status:  read-only: {journal.read_only.detail}")
            if not folder_is_private(folder):
                print(
                    "Warning: other accounts can open this folder; run "
                    f"`chmod 700 '{folder}'` to close it."
                )
    copies = [p for p in damaged_copies(folder) if not p.name.endswith(("-wal", "-shm"))]
    if copies:
        print(f"Moved-aside damaged copies: {len(copies)} (removed by `journal delete`)")
    print()
    print(SHARED_LOGIN_REMINDER)
    return 0


def _print_notices(journal: Journal) -> None:
    for notice in journal.notices:
        print(f"Note: {notice}")


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _module_names() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Prompt questions and module titles for a friendlier Markdown export, if available."""
    try:
        from intimacy_course.content.prompts import load_all_prompts

        loaded = load_all_prompts()
    except Exception:  # the export must work even without a clone or with a broken file
        return {}, {}
    labels = {(m, p.id): p.label for m, mp in loaded.items() for p in mp.prompts}
    return labels, {m: mp.title for m, mp in loaded.items()}


def _export(args: argparse.Namespace) -> int:
    path = journal_path(_journal_folder())
    if not os.path.lexists(path):
        raise CourseError(
            f"There is no journal at {path} yet, so there is nothing to export. "
            f"If your journal is elsewhere, set {DATA_ENV} to its folder."
        )
    labels, titles = _module_names()
    with _as_course_errors(), Journal() as journal:
        _print_notices(journal)
        written = export_journal(
            journal, args.path, overwrite=args.force, labels=labels, module_titles=titles
        )
        count = journal.count()
    print(f"Exported {count} entries to {written} (readable only by you).")
    print("This copy is as private as what you wrote: keep it out of shared folders and git.")
    if _git_would_track(written):
        print(
            f"Warning: {written} is inside a git repository that does not ignore it, so "
            "`git add` could pick it up. Move it elsewhere, or name it journal-export.* "
            "inside the course folder (the course ignores those names)."
        )
    return 0


def _git_would_track(path: Path) -> bool:
    """True when ``path`` lies in a git work tree and is not ignored there."""
    try:
        result = subprocess.run(
            ["git", "-C", str(path.parent), "check-ignore", "-q", "--", path.name],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 1


def _confirm(word: str, assume_yes: bool, what: str) -> None:
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise CourseError(
            f"Not {what}: this needs a typed confirmation and there is no terminal to type "
            "it in. Run the command in a terminal, or add --yes if you have already "
            "confirmed some other way."
        )
    try:
        answer = input(f"Type {word} to confirm, or press Enter to cancel: ")
    except EOFError:
        answer = ""
    if answer.strip() != word:
        raise CourseError(f"Cancelled: nothing was changed (you did not type {word}).")


def _delete(args: argparse.Namespace) -> int:
    folder = _journal_folder()
    path = journal_path(folder)
    doomed = [p for p in (path, *_companions(path)) if os.path.lexists(p)]
    doomed += damaged_copies(folder)
    if not doomed:
        print(f"There is no journal in {folder}: nothing to delete.")
        return 0
    print(
        "This permanently erases your reflection journal. It cannot be undone. "
        "Export it first if you may want it later (intimacy-course journal export PATH)."
    )
    print("Close the workbook notebooks first (shut down their kernels).")
    print("These files will be deleted:")
    for target in doomed:
        print(f"  {target}")
    _confirm("DELETE", args.yes, "deleting")
    with _as_course_errors():
        removed = delete_journal(folder)
    files = [p for p in removed if p != folder]
    print(
        f"Deleted {len(files)} file(s). Your journal is gone; a new, empty one starts "
        "when you next save a reflection."
    )
    return 0


def _recover(args: argparse.Namespace) -> int:
    folder = _journal_folder()
    path = journal_path(folder)
    if not os.path.lexists(path):
        print(f"There is no journal at {path}: nothing to recover.")
        return 0
    try:
        with Journal(folder) as journal:
            _print_notices(journal)
    except JournalDamagedError as problem:
        print(problem)
    except JournalError as problem:
        raise CourseError(f"{problem} (recover only moves aside damaged journals.)") from problem
    else:
        print(f"Your journal at {path} opens without problems: nothing to recover.")
        return 0
    print()
    print(
        "Recover renames the damaged file (and its -wal/-shm files) to a copy named with "
        "the date and time, in the same folder. Nothing is deleted. The course then "
        "starts a new, empty journal. Close the workbook notebooks first."
    )
    _confirm("MOVE", args.yes, "moving the journal aside")
    with _as_course_errors():
        copy = recover_damaged(folder)
    print(f"Moved the damaged journal to {copy}.")
    print(
        "A new journal will be created when you next save. `intimacy-course journal "
        "delete` removes the moved-aside copy too."
    )
    return 0

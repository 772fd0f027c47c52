"""The journal's faults, each with a message a learner can act on.

Every class subclasses :class:`JournalError`, whose ``str()`` says what is wrong, that
nothing was lost and what to do next. The reflection forms show that text in their status
line and the command line prints it, so neither needs to know SQLite's error codes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from intimacy_course.errors import CourseError


class JournalError(CourseError):
    """Base class: ``str(error)`` is a user-facing message that says what to do."""


class JournalDamagedError(JournalError):
    """The journal file is not an SQLite database, or fails SQLite's integrity check."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"The journal file {self.path} is damaged or is not a journal ({detail}). "
            "Nothing was changed: the file is still there, untouched. To keep writing, run "
            "`intimacy-course journal recover`: it moves the damaged file aside to a copy "
            "named with today's date and time (nothing is deleted) and starts a new, empty "
            "journal. Someone comfortable with SQLite may be able to rescue entries from "
            "the moved-aside copy."
        )


class JournalTooNewError(JournalError):
    """The journal was written by a newer version of the course than this one."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = Path(path)
        self.found = found
        self.supported = supported
        super().__init__(
            f"The journal {self.path} was written by a newer version of the course "
            f"(journal format {found}; this version understands up to {supported}). "
            "Nothing was changed. Update the course (for example `git pull` and then "
            "`make lab`) and open the journal again."
        )


class JournalNotWritableError(JournalError):
    """The journal's folder or file cannot be created or written."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"The journal cannot be written at {self.path} ({detail}). Nothing you typed "
            "has been saved there yet, so keep it on screen. Check that the folder exists, "
            "belongs to you and has free space (for example `ls -ld` on it), or point the "
            "course at a folder you own by setting INTIMACY_COURSE_DATA, then try again."
        )


class JournalExportNotWritableError(JournalNotWritableError):
    """An export file cannot be written where the learner asked."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        JournalError.__init__(
            self,
            f"The export could not be written to {self.path} ({detail}). Your journal is "
            "unchanged. Check that the folder exists and that you may write there, or "
            "choose another place.",
        )


class JournalBusyError(JournalError):
    """Another program held the journal locked for longer than we were willing to wait."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = Path(path)
        super().__init__(
            f"The journal {self.path} stayed busy for {seconds:g} seconds (another "
            "notebook or command is writing to it). Nothing was saved and nothing was "
            "lost: keep your answers on screen and press Save again in a moment."
        )


class JournalValueError(JournalError, ValueError):
    """A module name, prompt id or answer that the journal cannot store as given."""


class JournalExportExistsError(JournalError, FileExistsError):
    """An export would replace a file that already exists."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        super().__init__(
            f"{self.path} already exists, so the export was not written (nothing was "
            "replaced). Choose another file name, or replace it on purpose with "
            "`intimacy-course journal export PATH --force`."
        )


class JournalPermissionWarning(UserWarning):
    """The journal folder can be read by other accounts and was left as it is."""


def translate_sqlite_error(
    problem: sqlite3.Error, path: Path, busy_timeout: float, saving: bool = False
) -> JournalError:
    """Turn SQLite's error codes into the journal's user-facing errors."""
    name = getattr(problem, "sqlite_errorname", "") or ""
    text = str(problem)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return JournalDamagedError(path, f"SQLite says: {text}")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return JournalBusyError(path, busy_timeout)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                        "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_AUTH")):
        return JournalNotWritableError(path, f"SQLite says: {text}")
    outcome = "Nothing was saved; keep your answers on screen and try again. " if saving else ""
    return JournalError(
        f"The journal {path} reported an unexpected problem ({text}). {outcome}"
        "If it happens again, please report it with this message."
    )

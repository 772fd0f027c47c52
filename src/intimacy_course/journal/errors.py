"""The journal's faults, each with a message a learner can act on.

Every class subclasses :class:`JournalError`, whose ``str()`` says what is wrong, that
nothing was lost and what to do next. The reflection forms show that text in their status
line and the command line prints it, so neither needs to know SQLite's error codes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from intimacy_course.errors import CourseError


class JournalError(CourseError):
    """Base class: ``str(error)`` is a user-facing message that says what to do."""


class JournalDamagedError(JournalError):
    """SQLite refuses the journal file, or its integrity check fails: nothing else."""

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


class JournalDiskFullError(JournalNotWritableError):
    """The disk holding the journal (or an export) has no space left (errno 28, SQLITE_FULL)."""

    def __init__(self, path: Path, saving: bool = True) -> None:
        self.path = Path(path)
        self.detail = "no space left on the disk"
        outcome = (
            "This answer was not saved, so keep it on screen; everything saved before is safe. "
            if saving
            else "Nothing in your journal was changed. "
        )
        JournalError.__init__(
            self,
            f"The disk that holds {self.path} is full (no space left on the device). "
            f"{outcome}Free some space on that disk (for example empty the trash or remove "
            f"large files you no longer need; `df -h '{self.path.parent}'` shows what is "
            "left), then try again. Your journal can still be read and exported meanwhile: "
            "`intimacy-course journal export PATH` with a PATH on another disk.",
        )


class JournalReadOnlyError(JournalNotWritableError):
    """The journal can be read (earlier answers show and export) but not written."""

    def __init__(self, path: Path, detail: str, advice: str) -> None:
        self.path = Path(path)
        self.detail = detail
        self.advice = advice
        JournalError.__init__(
            self,
            f"Your journal at {self.path} can be read but not written: {detail}. This "
            "answer was not saved, so keep it on screen. Your earlier answers are still "
            "there: the workbook shows them and `intimacy-course journal export PATH` "
            f"copies them. {advice}",
        )


class JournalUnsafeFileError(JournalError):
    """A file where the journal (or its -wal/-shm) belongs is a link or not the learner's."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"The course refuses to use {self.path}: {detail}. Nothing was read or written "
            "through it. In a folder other accounts can write to, such a file can be "
            "planted to read or overwrite your journal. If you put it there yourself, "
            "remove it or point INTIMACY_COURSE_DATA at a folder only you can write to; "
            f"otherwise remove it (`rm '{self.path}'` removes a link, not what it points "
            "to) and tell whoever manages this computer."
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


class JournalNotice(UserWarning):
    """Something the learner should know about their journal that is not a fault.

    For example: an empty (zero-byte) journal file was kept aside and a new journal begun.
    The same text is in ``Journal.notices``; the command line prints it.
    """


#: Free bytes below which an I/O error on the journal's disk is reported as a full disk.
FULL_DISK_BYTES = 256 * 1024


def disk_is_full(folder: Path) -> bool:
    """True when the file system holding ``folder`` has (almost) no space left.

    SQLite reports some full-disk failures as I/O errors (for example while growing its
    ``-shm`` file), without the errno, so the free space is asked for directly.
    """
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return info.f_bavail * info.f_frsize < FULL_DISK_BYTES


def translate_sqlite_error(
    problem: sqlite3.Error, path: Path, busy_timeout: float, saving: bool = False
) -> JournalError:
    """Turn SQLite's error codes into the journal's user-facing errors."""
    name = getattr(problem, "sqlite_errorname", "") or ""
    text = str(problem)
    if name.startswith("SQLITE_FULL") or (
        name.startswith("SQLITE_IOERR") and disk_is_full(Path(path).parent)
    ):
        return JournalDiskFullError(path, saving=saving)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return JournalDamagedError(path, f"SQLite says: {text}")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return JournalBusyError(path, busy_timeout)
    if name.startswith(
        (
            "SQLITE_READONLY",
            "SQLITE_CANTOPEN",
            "SQLITE_PERM",
            "SQLITE_IOERR",
            "SQLITE_FULL",
            "SQLITE_AUTH",
        )
    ):
        return JournalNotWritableError(path, f"SQLite says: {text}")
    outcome = "Nothing was saved; keep your answers on screen and try again. " if saving else ""
    return JournalError(
        f"The journal {path} reported an unexpected problem ({text}). {outcome}"
        "If it happens again, please report it with this message."
    )

"""The private reflection journal: the one import the forms, dashboard and CLI use.

The work is split by responsibility (``journal_files``: location, permissions and
whole-file operations; ``journal_store``: saving and reading entries; ``journal_schema``:
tables and migrations; ``journal_export``: CSV, JSON and Markdown; ``journal_errors``:
user-facing faults); this module gathers the public
names and adds recovery of a damaged file, which needs both the files and the store.

Typical use::

    from intimacy_course.journal import Journal
    with Journal() as journal:
        journal.save("01_attachment_injury", {"what_i_learned": "…", "safety": 4})
        journal.latest("01_attachment_injury")["safety"].value   # 4
"""

from __future__ import annotations

from pathlib import Path

from intimacy_course.journal_errors import (
    JournalBusyError,
    JournalDamagedError,
    JournalError,
    JournalExportExistsError,
    JournalExportNotWritableError,
    JournalNotWritableError,
    JournalPermissionWarning,
    JournalTooNewError,
    JournalValueError,
)
from intimacy_course.journal_export import export_journal, readable_answer
from intimacy_course.journal_files import (
    DATA_ENV,
    JOURNAL_FILENAME,
    damaged_copies,
    default_journal_dir,
    delete_journal,
    folder_is_private,
    journal_path,
    move_aside,
)
from intimacy_course.journal_schema import SCHEMA_VERSION
from intimacy_course.journal_store import ENTRY_SCHEMA_VERSION, Entry, Journal

__all__ = [
    "DATA_ENV", "ENTRY_SCHEMA_VERSION", "JOURNAL_FILENAME", "SCHEMA_VERSION",
    "Entry", "Journal",
    "JournalBusyError", "JournalDamagedError", "JournalError", "JournalExportExistsError",
    "JournalExportNotWritableError",
    "JournalNotWritableError", "JournalPermissionWarning", "JournalTooNewError",
    "JournalValueError",
    "damaged_copies", "default_journal_dir", "delete_journal", "export_journal",
    "folder_is_private", "journal_path", "readable_answer", "recover_damaged",
]


def recover_damaged(folder: Path | None = None) -> Path:
    """Move a damaged journal (and its ``-wal``/``-shm``) aside; return the copy's path.

    The copy is named ``journal.sqlite3.damaged-YYYYmmddTHHMMSS`` (local time), is 0600
    and is never deleted by this function; the next ``Journal()`` starts a new, empty
    journal. Only a journal that really fails to open as damaged is moved: a healthy one,
    a missing one or one from a newer course version raises JournalError and stays put.
    """
    folder = Path(folder) if folder else default_journal_dir()
    path = journal_path(folder)
    if not path.exists():
        raise JournalError(f"There is no journal at {path}, so there is nothing to recover.")
    try:
        Journal(folder).close()
    except JournalDamagedError:
        return move_aside(path)
    raise JournalError(
        f"The journal {path} opens without problems, so it was left where it is. "
        "Nothing was moved."
    )

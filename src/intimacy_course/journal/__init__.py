"""The private reflection journal: the one import the forms, dashboard and CLI use.

The work is split by responsibility: ``files`` (location, permissions and whole-file
operations), ``store`` (saving and reading entries), ``schema`` (tables and migrations),
``queries`` (the read-only views the dashboard needs), ``export`` (CSV, JSON and
Markdown), ``recover`` (moving a damaged file aside) and ``errors`` (user-facing faults).
This module gathers the public names. The journal imports no widgets, grading, figures
or command line: only ``errors`` and ``settings`` of the rest of the package.

Typical use::

    from intimacy_course.journal import Journal
    with Journal() as journal:
        journal.save("01_attachment_injury", {"what_i_learned": "…", "safety": 4})
        journal.latest("01_attachment_injury")["safety"].value   # 4
"""

from __future__ import annotations

from intimacy_course.journal.errors import (
    JournalBusyError,
    JournalDamagedError,
    JournalDiskFullError,
    JournalError,
    JournalExportExistsError,
    JournalExportNotWritableError,
    JournalNotice,
    JournalNotWritableError,
    JournalPermissionWarning,
    JournalReadOnlyError,
    JournalTooNewError,
    JournalUnsafeFileError,
    JournalValueError,
)
from intimacy_course.journal.export import export_journal, readable_answer
from intimacy_course.journal.files import (
    DATA_ENV,
    JOURNAL_FILENAME,
    damaged_copies,
    default_journal_dir,
    delete_journal,
    folder_is_private,
    journal_path,
    move_aside,
)
from intimacy_course.journal.queries import entry_rows
from intimacy_course.journal.recover import recover_damaged
from intimacy_course.journal.schema import SCHEMA_VERSION
from intimacy_course.journal.store import ENTRY_SCHEMA_VERSION, Entry, Journal

__all__ = [
    "DATA_ENV",
    "ENTRY_SCHEMA_VERSION",
    "JOURNAL_FILENAME",
    "SCHEMA_VERSION",
    "Entry",
    "Journal",
    "JournalBusyError",
    "JournalDamagedError",
    "JournalDiskFullError",
    "JournalError",
    "JournalExportExistsError",
    "JournalExportNotWritableError",
    "JournalNotWritableError",
    "JournalNotice",
    "JournalPermissionWarning",
    "JournalReadOnlyError",
    "JournalTooNewError",
    "JournalUnsafeFileError",
    "JournalValueError",
    "damaged_copies",
    "default_journal_dir",
    "delete_journal",
    "entry_rows",
    "export_journal",
    "folder_is_private",
    "journal_path",
    "move_aside",
    "readable_answer",
    "recover_damaged",
]

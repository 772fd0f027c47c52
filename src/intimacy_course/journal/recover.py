"""Moving a damaged journal aside so the learner can keep writing.

Needs both the files (to move them) and the store (to be sure the file really is damaged),
so it lives apart from both.
"""

from __future__ import annotations

from pathlib import Path

from intimacy_course.journal.errors import JournalDamagedError, JournalError
from intimacy_course.journal.files import default_journal_dir, journal_path, move_aside
from intimacy_course.journal.store import Journal


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
        f"The journal {path} opens without problems, so it was left where it is. Nothing was moved."
    )

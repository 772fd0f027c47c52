"""Read-only queries over the journal for the views the learner sees (the progress dashboard).

Every SQL statement on the journal lives in this package; views elsewhere call these
functions and never open the database themselves.
"""

from __future__ import annotations

from intimacy_course.journal.store import Journal

#: The columns of :func:`entry_rows`, in order.
ENTRY_ROW_COLUMNS = ("id", "module", "prompt_id", "value_json", "version", "created")


def entry_rows(journal: Journal) -> list[tuple]:
    """All entries as raw rows, oldest first, in one query.

    Reading the columns directly skips building an ``Entry`` object per row, the part of
    ``Journal.history()`` that dominates with years of entries. It goes through the
    journal's own connection, so a journal that can only be read (a read-only folder, a
    full disk) shows the same entries as ``history()``; a SELECT never changes the file.
    """
    return journal.rows(
        "SELECT id, module, prompt_id, value_json, version, created FROM entries ORDER BY id"
    )

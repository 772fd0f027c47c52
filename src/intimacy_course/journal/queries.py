"""Read-only queries over the journal for the views the learner sees (the progress dashboard).

Every SQL statement on the journal lives in this package; views elsewhere call these
functions and never open the database themselves.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from intimacy_course.journal.errors import JournalError
from intimacy_course.journal.store import Journal

#: The columns of :func:`entry_rows`, in order.
ENTRY_ROW_COLUMNS = ("id", "module", "prompt_id", "value_json", "version", "created")


def entry_rows(journal: Journal) -> list[tuple]:
    """All entries as raw rows, oldest first, through one read-only query.

    Reading the columns directly skips building an ``Entry`` object per row, the part of
    ``Journal.history()`` that dominates with years of entries. The connection is
    read-only, so the dashboard can never change the journal.
    """
    uri = f"file:{quote(str(journal.path))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        return connection.execute(
            "SELECT id, module, prompt_id, value_json, version, created "
            "FROM entries ORDER BY id"
        ).fetchall()
    except sqlite3.Error as problem:
        raise JournalError(
            f"The dashboard could not read the journal {journal.path} ({problem}). Nothing "
            "was changed. Try again; if it keeps happening, run `intimacy-course journal "
            "where` and report the message."
        ) from problem
    finally:
        connection.close()

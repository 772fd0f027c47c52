"""The journal's tables and how each format version turns into the next.

``meta.schema_version`` records the format of the file. ``MIGRATIONS`` lists the steps in
order; opening a journal applies the missing ones in one ``BEGIN IMMEDIATE`` transaction,
re-reading the version inside it because another process may have migrated meanwhile. To
change the format, append ``(2, _upgrade_to_version_2)`` and never edit an earlier step: a
learner's journal may be at any version. A journal whose version is higher than the last
step was written by a newer course and is refused, never misread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from intimacy_course.journal.errors import JournalTooNewError

#: Tables a course journal may hold; anything else means the file belongs to someone else.
OUR_TABLES = frozenset({"meta", "entries", "sqlite_sequence"})


def _create_version_1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            module TEXT NOT NULL CHECK (length(module) > 0),
            prompt_id TEXT NOT NULL CHECK (length(prompt_id) > 0),
            version INTEGER NOT NULL CHECK (version >= 1),
            value_json TEXT NOT NULL,
            created TEXT NOT NULL,
            schema_version INTEGER NOT NULL,
            UNIQUE (module, prompt_id, version)
        )"""
    )
    # Entries are only ever added: an edit is a new version, forgetting is deleting the file.
    for action in ("UPDATE", "DELETE"):
        conn.execute(
            f"""CREATE TRIGGER entries_no_{action.lower()} BEFORE {action} ON entries
                BEGIN SELECT RAISE(ABORT, 'journal entries are never changed in place'); END"""
        )


#: (version, step) pairs in order; step N turns a version N-1 journal into version N.
MIGRATIONS: tuple[tuple[int, Callable[[sqlite3.Connection], None]], ...] = ((1, _create_version_1),)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_schema_version(conn: sqlite3.Connection) -> int:
    """The file's format version; 0 for a new, empty database.

    Raises ValueError when ``meta`` holds something that is not a version number.
    """
    if "meta" not in table_names(conn):
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


Migration = tuple[int, Callable[[sqlite3.Connection], None]]


def migrate(
    conn: sqlite3.Connection, path: Path, migrations: tuple[Migration, ...] = MIGRATIONS
) -> None:
    """Bring the database at ``path`` up to the last of ``migrations`` (autocommit connection).

    Every missing step runs in one transaction: a crash midway leaves the old version.
    """
    latest = migrations[-1][0]
    if read_schema_version(conn) == latest:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = read_schema_version(conn)
        if current > latest:
            raise JournalTooNewError(path, current, latest)
        for version, step in migrations:
            if version > current:
                step(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(version),),
                )
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

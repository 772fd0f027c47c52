"""The journal database: open it safely, save answers, read them back.

Why it is built this way:

- SQLite in WAL mode with ``synchronous=FULL``: a save that has returned is on disk and
  survives a crash or a killed kernel; readers never block the writer.
- One ``BEGIN IMMEDIATE`` transaction per save and a long busy timeout: two notebooks (or a
  notebook and the command line) can save at the same moment; one waits for the other.
- Rows are only ever inserted. An edit is a new row with ``version + 1`` for its
  (module, prompt id); triggers refuse UPDATE and DELETE, so no code path can overwrite an
  answer. Forgetting everything is ``delete_journal``, which removes whole files.
- A damaged or foreign file is inspected through a read-only connection first and is never
  written to; the error says how to move it aside.
- The format has a version and migrations (``journal_schema``); a journal from a newer
  course version is refused rather than misread.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from intimacy_course.journal.errors import (
    JournalDamagedError,
    JournalError,
    JournalNotWritableError,
    JournalTooNewError,
    JournalValueError,
    translate_sqlite_error,
)
from intimacy_course.journal.files import (
    check_header,
    default_journal_dir,
    ensure_private_folder,
    journal_path,
    private_umask,
    secure_files,
)
from intimacy_course.journal.schema import (
    OUR_TABLES,
    SCHEMA_VERSION,
    migrate,
    read_schema_version,
    table_names,
)

#: Seconds a save waits for another writer before giving up with JournalBusyError.
BUSY_TIMEOUT_SECONDS = 30.0
#: Version of one entry's fields (id, module, prompt id, value, version, created).
ENTRY_SCHEMA_VERSION = 1
_MAX_ID_LENGTH = 200


@dataclass(frozen=True)
class Entry:
    """One saved answer to one prompt; never changed after it is written."""

    id: int
    module: str
    prompt_id: str
    value: object
    version: int
    created: datetime
    schema_version: int


_COLUMNS = "id, module, prompt_id, value_json, version, created, schema_version"


def _entries(rows: list[tuple]) -> list[Entry]:
    """Rows to entries. The values are decoded in one ``json.loads`` of a JSON array,
    several times faster than one call per row on a journal of years of entries."""
    values = json.loads("[" + ",".join(row[3] for row in rows) + "]") if rows else []
    return [
        Entry(id=id_, module=module, prompt_id=prompt_id, value=value, version=version,
              created=datetime.fromisoformat(created), schema_version=schema_version)
        for (id_, module, prompt_id, _, version, created, schema_version), value
        in zip(rows, values)
    ]


def _check_id(kind: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise JournalValueError(
            f"The {kind} must be a non-empty piece of text, not {value!r}. Nothing was saved."
        )
    if len(value) > _MAX_ID_LENGTH or value != value.strip():
        raise JournalValueError(
            f"The {kind} {value!r} is not a valid name (no spaces at either end, at most "
            f"{_MAX_ID_LENGTH} characters). Nothing was saved."
        )
    return value


def _encode(module: str, prompt_id: str, value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as problem:
        raise JournalValueError(
            f"The answer to '{prompt_id}' in {module} cannot be stored: it must be text, "
            f"a number, a choice or a list of choices, not {type(value).__name__} "
            f"({problem}). Nothing was saved; your answers are still on screen."
        ) from problem


class Journal:
    """The learner's private journal: one SQLite file in a private folder."""

    def __init__(
        self, folder: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> None:
        self.folder = ensure_private_folder(Path(folder) if folder else default_journal_dir())
        self.path = journal_path(self.folder)
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        if check_header(self.path):
            # Tighten first: SQLite gives the -wal/-shm files it creates the database's mode.
            secure_files(self.path)
            self._inspect_existing()
        self._conn = self._connect()
        try:
            self._migrate()
            secure_files(self.path)
        except BaseException:
            self.close()
            raise

    # --- opening -------------------------------------------------------------------

    def _inspect_existing(self) -> None:
        """Check an existing file through a read-only connection that cannot change it."""
        if not os.access(self.path, os.R_OK | os.W_OK):
            raise JournalNotWritableError(
                self.path, "you do not have permission to read and write this file"
            )
        uri = f"file:{quote(str(self.path))}?mode=ro"
        try:
            with private_umask():
                conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout)
            with contextlib.closing(conn):
                found = self._sound_journal_version(conn)
        except sqlite3.Error as problem:
            raise translate_sqlite_error(problem, self.path, self.busy_timeout) from problem
        if found > SCHEMA_VERSION:
            raise JournalTooNewError(self.path, found, SCHEMA_VERSION)

    def _sound_journal_version(self, conn: sqlite3.Connection) -> int:
        """The file's format version, after SQLite's quick check; damaged files raise."""
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            raise JournalDamagedError(self.path, "the integrity check failed: " + result[0])
        try:
            found = read_schema_version(conn)
        except ValueError as problem:
            raise JournalDamagedError(self.path, "its format version is unreadable") from problem
        if found == 0 and table_names(conn) - OUR_TABLES:
            raise JournalDamagedError(self.path, "it is an SQLite database, not a course journal")
        return found

    def _connect(self) -> sqlite3.Connection:
        try:
            with private_umask():
                conn = sqlite3.connect(
                    self.path, timeout=self.busy_timeout, isolation_level=None,
                    check_same_thread=False,
                )
                mode = self._switch_to_wal(conn)
                conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as problem:
            raise translate_sqlite_error(problem, self.path, self.busy_timeout) from problem
        if str(mode).lower() != "wal":
            conn.close()
            raise JournalNotWritableError(
                self.path, f"SQLite could not switch it to write-ahead logging (mode {mode})"
            )
        return conn

    def _switch_to_wal(self, conn: sqlite3.Connection) -> str:
        """Turn on write-ahead logging, waiting while another process holds the file.

        SQLite answers "database is locked" at once, without calling its busy handler,
        when two processes open a brand-new journal at the same moment and both try to
        change its journal mode; waiting a little and asking again is the documented cure.
        """
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return str(conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
            except sqlite3.OperationalError as problem:
                if "locked" not in str(problem) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        try:
            migrate(self._connection(), self.path)
        except sqlite3.Error as problem:
            raise translate_sqlite_error(problem, self.path, self.busy_timeout) from problem

    # --- writing -------------------------------------------------------------------

    def save(self, module: str, answers: Mapping[str, object]) -> list[Entry]:
        """Save one form's answers in one transaction; return the new entries.

        Each prompt id gets a new row whose version is one more than that prompt's latest;
        earlier versions stay. Values must be JSON values (text, numbers, lists of text).
        Raises JournalValueError (also a ValueError) naming the prompt at fault, before
        anything is written.
        """
        module = _check_id("module name", module)
        if not isinstance(answers, Mapping):
            raise JournalValueError(
                f"Answers must be given as a mapping of prompt id to answer, not "
                f"{type(answers).__name__}. Nothing was saved."
            )
        encoded = [
            (_check_id("prompt id", prompt_id), _encode(module, prompt_id, value))
            for prompt_id, value in answers.items()
        ]
        if not encoded:
            return []
        created = datetime.now(timezone.utc)
        stamp = created.isoformat()
        saved: list[Entry] = []
        with self._lock:
            try:
                with self._transaction() as conn:
                    for prompt_id, value_json in encoded:
                        (version,) = conn.execute(
                            "SELECT COALESCE(MAX(version), 0) + 1 FROM entries "
                            "WHERE module = ? AND prompt_id = ?",
                            (module, prompt_id),
                        ).fetchone()
                        cursor = conn.execute(
                            "INSERT INTO entries (module, prompt_id, value_json, version, "
                            "created, schema_version) VALUES (?, ?, ?, ?, ?, ?)",
                            (module, prompt_id, value_json, version, stamp, ENTRY_SCHEMA_VERSION),
                        )
                        saved.append(Entry(
                            id=cursor.lastrowid, module=module, prompt_id=prompt_id,
                            value=json.loads(value_json), version=version, created=created,
                            schema_version=ENTRY_SCHEMA_VERSION,
                        ))
            except sqlite3.Error as problem:
                raise translate_sqlite_error(
                    problem, self.path, self.busy_timeout, saving=True
                ) from problem
        secure_files(self.path)
        return saved

    # --- reading -------------------------------------------------------------------

    def latest(self, module: str) -> dict[str, Entry]:
        """The newest version of each prompt's answer in ``module``, keyed by prompt id."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM entries AS e WHERE module = ? AND version = ("
            "  SELECT MAX(version) FROM entries WHERE module = e.module "
            "  AND prompt_id = e.prompt_id) ORDER BY id",
            (_check_id("module name", module),),
        )
        return {entry.prompt_id: entry for entry in _entries(rows)}

    def history(self, module: str | None = None, prompt_id: str | None = None) -> list[Entry]:
        """Every saved version, oldest first, optionally for one module and/or prompt."""
        clauses, params = [], []
        if module is not None:
            clauses.append("module = ?")
            params.append(_check_id("module name", module))
        if prompt_id is not None:
            clauses.append("prompt_id = ?")
            params.append(_check_id("prompt id", prompt_id))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return _entries(self._query(
            f"SELECT {_COLUMNS} FROM entries{where} ORDER BY id", tuple(params)
        ))

    def count(self) -> int:
        """How many entries (all versions) the journal holds."""
        return int(self._query("SELECT COUNT(*) FROM entries", ())[0][0])

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check; ``["ok"]`` when the file is sound."""
        return [row[0] for row in self._query("PRAGMA integrity_check", ())]

    # --- plumbing ------------------------------------------------------------------

    def _query(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as problem:
                raise translate_sqlite_error(problem, self.path, self.busy_timeout) from problem

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(
                f"This journal ({self.path}) has been closed. Open it again with Journal()."
            )
        return self._conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close the database; safe to call twice."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"<Journal {self.path} ({state})>"


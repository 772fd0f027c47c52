"""The journal database: open it safely, save answers, read them back.

Why it is built this way:

- SQLite in WAL mode with ``synchronous=FULL``: a save that has returned is on disk and
  survives a crash or a killed kernel; readers never block the writer.
- One ``BEGIN IMMEDIATE`` transaction per save and a long busy timeout: two notebooks (or a
  notebook and the command line) can save at the same moment; one waits for the other.
- Rows are only ever inserted. An edit is a new row with ``version + 1`` for its
  (module, prompt id); triggers refuse UPDATE and DELETE, so no code path can overwrite an
  answer. Forgetting everything is ``delete_journal``, which removes whole files.
- Damage means what SQLite says: an existing file is opened read-only, *with* its
  write-ahead log, and is called damaged only when SQLite refuses it or
  ``PRAGMA integrity_check`` fails. Such a file is never written to; the error says how
  to move it aside.
- A journal that can be read but not written (a read-only folder or file system, a file
  its owner made read-only, a full disk) still opens: earlier answers show and export,
  and ``save`` says why it cannot.
- Links, files of another account and non-files where the journal or its ``-wal``/``-shm``
  belong are refused before SQLite sees them. A new journal is built under a temporary
  name and linked into place when complete, so a half-made journal never has the real
  name; an empty (zero-byte) journal file is kept aside with a notice, never reused.
- The format has a version and migrations (``journal_schema``); a journal from a newer
  course version is refused rather than misread.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from intimacy_course.journal.errors import (
    JournalDamagedError,
    JournalDiskFullError,
    JournalError,
    JournalNotice,
    JournalNotWritableError,
    JournalReadOnlyError,
    JournalTooNewError,
    JournalUnsafeFileError,
    JournalValueError,
    disk_is_full,
    translate_sqlite_error,
)
from intimacy_course.journal.files import (
    EMPTY_MARKER,
    NEW_PREFIX,
    FileState,
    default_journal_dir,
    ensure_private_folder,
    identity_of,
    inspect_files,
    journal_path,
    move_aside,
    private_umask,
    secure_files,
    side_files,
    stale_new_files,
    write_blocker,
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
        Entry(
            id=id_,
            module=module,
            prompt_id=prompt_id,
            value=value,
            version=version,
            created=datetime.fromisoformat(created),
            schema_version=schema_version,
        )
        for (id_, module, prompt_id, _, version, created, schema_version), value in zip(
            rows, values, strict=False
        )
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
    """The learner's private journal: one SQLite file in a private folder.

    ``read_only`` is None for a journal that can be saved to, else the error ``save``
    raises (its text says why and what to do). ``notices`` lists things worth telling the
    learner that are not faults (also issued as :class:`JournalNotice` warnings).
    """

    def __init__(
        self, folder: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> None:
        self.folder = Path(folder) if folder else default_journal_dir()
        self.path = journal_path(self.folder)
        self.busy_timeout = busy_timeout
        self.notices: list[str] = []
        self.read_only: JournalNotWritableError | None = None
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    # --- opening -------------------------------------------------------------------

    def _open(self) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise JournalNotWritableError(self.folder, "a file, not a folder, has that name")
        state = inspect_files(self.path) if self.folder.is_dir() else FileState(None, 0, None)
        if state.size == 0:
            state = self._set_empty_file_aside(state)
        if state.size is None:
            ensure_private_folder(self.folder)
            self._create_new()
            state = inspect_files(self.path)
        blocker = write_blocker(self.path)
        if blocker is None:
            ensure_private_folder(self.folder)  # the folder policy, for an existing folder
            # Tighten first: SQLite gives the -wal/-shm files it creates the database's mode.
            secure_files(self.path)
        reader = self._open_reader(state)
        if blocker is not None:
            self._conn = reader
            self.read_only = JournalReadOnlyError(self.path, *blocker)
            return
        try:
            writer = self._connect()
        except JournalDiskFullError as problem:
            self._conn = reader
            self.read_only = problem
            return
        reader.close()
        self._conn = writer
        if identity_of(self.path) != state.identity:
            raise JournalUnsafeFileError(self.path, "the file was replaced while it was opened")
        self._migrate()
        secure_files(self.path)

    def _set_empty_file_aside(self, state: FileState) -> FileState:
        """A zero-byte journal holds nothing: keep it aside and say so, or refuse.

        It is never reused in place. When a write-ahead log beside it holds data, SQLite
        would throw that log away on opening, so the pair counts as damaged instead and
        ``recover`` keeps both.
        """
        if state.log_size:
            raise JournalDamagedError(
                self.path,
                f"the file is empty (0 bytes) but its write-ahead log beside it holds "
                f"{state.log_size} bytes, which SQLite would discard",
            )
        blocker = write_blocker(self.path)
        if blocker is not None:
            raise JournalNotWritableError(
                self.path, f"the journal file is empty (0 bytes), and {blocker[0]}"
            )
        copy = move_aside(self.path, EMPTY_MARKER)
        notice = (
            f"The journal file {self.path} was empty (0 bytes), so it held no answers. It "
            f"was kept as {copy.name} in the same folder (`intimacy-course journal delete` "
            "removes it) and a new, empty journal was started."
        )
        self.notices.append(notice)
        warnings.warn(JournalNotice(notice), stacklevel=4)
        return inspect_files(self.path)

    def _create_new(self) -> None:
        """Build a new journal under a temporary name, then link it into place.

        A process killed midway leaves only a hidden temporary file (removed later), never
        a half-made journal under the real name. When two processes create one at the
        same moment, the first link wins and the other process opens that journal.
        """
        for stale in stale_new_files(self.folder):
            with contextlib.suppress(OSError):
                stale.unlink()
        temporary = self.folder / f"{NEW_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            with private_umask():
                conn = sqlite3.connect(temporary, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                migrate(conn, temporary)
            finally:
                conn.close()
            descriptor = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            try:
                os.link(temporary, self.path)
            except FileExistsError:
                pass  # another process made the journal first: open that one
            except OSError:  # a file system without hard links
                if not os.path.lexists(self.path):
                    os.rename(temporary, self.path)
            _sync_folder(self.folder)
        except sqlite3.Error as problem:
            raise translate_sqlite_error(problem, self.path, self.busy_timeout) from problem
        except OSError as problem:
            if problem.errno == errno.ENOSPC or disk_is_full(self.folder):
                raise JournalDiskFullError(self.path) from problem
            raise JournalNotWritableError(
                self.path, problem.strerror.lower() if problem.strerror else str(problem)
            ) from problem
        finally:
            for leftover in (temporary, *side_files(temporary)):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _open_reader(self, state: FileState) -> sqlite3.Connection:
        """A read-only connection that sees every saved change, checked by SQLite.

        Tried in order: SQLite's read-only mode (which reads the write-ahead log but needs
        to create or grow the ``-shm`` file); when that is impossible (read-only folder,
        full disk) and there is no log, ``immutable=1``; otherwise a private copy of the
        files, loaded into memory and deleted at once.
        """
        base = f"file:{quote(str(self.path))}?mode=ro"
        absent = [p for p in side_files(self.path) if not os.path.lexists(p)]
        try:
            return self._checked(self._connect_uri(base))
        except JournalDamagedError:
            _remove_empty(absent)  # leave a refused file exactly as it was found
            raise
        except sqlite3.Error as problem:
            name = getattr(problem, "sqlite_errorname", "") or ""
            if not name.startswith(
                ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_PERM")
            ):
                translated = self._reading_error(problem)
                if isinstance(translated, JournalDamagedError):
                    _remove_empty(absent)
                raise translated from problem
            inspect_files(self.path)  # a link planted meanwhile is refused, not worked around
        try:
            if not state.log_size:
                return self._checked(self._connect_uri(base + "&immutable=1"))
            return self._checked(self._snapshot_in_memory())
        except sqlite3.Error as problem:
            raise self._reading_error(problem) from problem

    def _connect_uri(self, uri: str) -> sqlite3.Connection:
        with private_umask():
            return sqlite3.connect(
                uri,
                uri=True,
                timeout=self.busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )

    def _snapshot_in_memory(self) -> sqlite3.Connection:
        """Copy the database and its log to a private folder, load it into memory, delete it."""
        with private_umask():
            scratch = Path(tempfile.mkdtemp(prefix="intimacy-course-journal-"))
        try:
            copy = scratch / self.path.name
            try:
                for source, target in zip(
                    (self.path, *side_files(self.path)), (copy, *side_files(copy)), strict=False
                ):
                    if source.name.endswith("-shm") or not source.exists():
                        continue
                    with private_umask():
                        shutil.copyfile(source, target, follow_symlinks=False)
            except OSError as problem:
                raise JournalNotWritableError(
                    self.path,
                    "SQLite cannot read it in place here and a private copy to "
                    f"read could not be made in {scratch.parent} ({problem.strerror})",
                ) from problem
            with private_umask():
                source_conn = sqlite3.connect(copy, isolation_level=None)
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            try:
                source_conn.backup(memory)
            finally:
                source_conn.close()
            return memory
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _checked(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Run SQLite's integrity check and read the format version; close on any fault."""
        try:
            found = self._sound_journal_version(conn)
            if found > SCHEMA_VERSION:
                raise JournalTooNewError(self.path, found, SCHEMA_VERSION)
            if found == 0:
                _stand_in_tables(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _reading_error(self, problem: sqlite3.Error) -> JournalError:
        translated = translate_sqlite_error(problem, self.path, self.busy_timeout)
        if isinstance(translated, JournalDiskFullError):
            return translated
        if isinstance(translated, JournalNotWritableError):
            return JournalNotWritableError(
                self.path, f"it cannot be read here either (SQLite says: {problem})"
            )
        return translated

    def _sound_journal_version(self, conn: sqlite3.Connection) -> int:
        """The file's format version, after SQLite's integrity check; damaged files raise."""
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise JournalDamagedError(self.path, "SQLite's integrity check failed: " + result[0])
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
                    self.path,
                    timeout=self.busy_timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
            try:
                mode = self._switch_to_wal(conn)
                conn.execute("PRAGMA synchronous=FULL")
            except BaseException:
                conn.close()
                raise
        except sqlite3.Error as problem:
            inspect_files(self.path)  # a link planted meanwhile: say so, not "cannot open"
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
        self._ensure_writable()
        created = datetime.now(UTC)
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
                        saved.append(
                            Entry(
                                id=int(cursor.lastrowid or 0),
                                module=module,
                                prompt_id=prompt_id,
                                value=json.loads(value_json),
                                version=version,
                                created=created,
                                schema_version=ENTRY_SCHEMA_VERSION,
                            )
                        )
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
        return _entries(
            self._query(f"SELECT {_COLUMNS} FROM entries{where} ORDER BY id", tuple(params))
        )

    def count(self) -> int:
        """How many entries (all versions) the journal holds."""
        return int(self._query("SELECT COUNT(*) FROM entries", ())[0][0])

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Raw rows of one read-only query, for the journal package's own views."""
        if not sql.lstrip().upper().startswith("SELECT"):
            raise JournalValueError("Journal.rows only runs SELECT queries.")
        return self._query(sql, params)

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

    def _ensure_writable(self) -> None:
        """Raise the reason this journal cannot be saved to; retry once after a full disk."""
        if self.read_only is None:
            return
        if isinstance(self.read_only, JournalDiskFullError) and not disk_is_full(self.folder):
            with self._lock:
                try:
                    writer = self._connect()
                except JournalDiskFullError:
                    pass
                else:
                    if self._conn is not None:
                        self._conn.close()
                    self._conn, self.read_only = writer, None
                    self._migrate()
                    return
        raise self.read_only

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any failure, COMMIT's included, leaves nothing half done.

        A COMMIT that fails (a full disk) keeps SQLite's transaction open, so it is rolled
        back here and the next save starts clean.
        """
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise

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


def _stand_in_tables(conn: sqlite3.Connection) -> None:
    """Empty temporary tables for a journal file that has no tables yet.

    Only a read-only journal needs them (a writable one is migrated): its queries then
    find nothing instead of failing. Temporary tables live in memory, never in the file.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, module TEXT, "
        "prompt_id TEXT, version INTEGER, value_json TEXT, created TEXT, schema_version INTEGER)"
    )


def _remove_empty(paths: list[Path]) -> None:
    """Remove the companion files SQLite created while looking at a file it then refused.

    Only files that did not exist before and hold no changes (an empty -wal; the -shm is
    only an index of the -wal) are removed.
    """
    for path in paths:
        with contextlib.suppress(OSError):
            if path.name.endswith("-shm") or os.lstat(path).st_size == 0:
                path.unlink()


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so a file just linked into it survives a power cut."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

"""Is the journal private on disk, and does every fault leave the learner's file intact?"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat
import warnings
from pathlib import Path

import pytest

from intimacy_course.journal import (
    JOURNAL_FILENAME,
    Journal,
    JournalDamagedError,
    JournalError,
    JournalNotWritableError,
    JournalPermissionWarning,
    JournalTooNewError,
    damaged_copies,
    delete_journal,
    export_journal,
    recover_damaged,
)

MODULE = "03_dopamine_and_numbing"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fingerprint(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_size, info.st_mtime_ns


def a_journal_with_entries(folder: Path, saves: int = 40) -> list:
    with Journal(folder) as journal:
        for index in range(saves):
            journal.save(MODULE, {"why": f"reason {index} " + "words " * 300, "scale": index % 5})
        return journal.history()


# --- modes -----------------------------------------------------------------------------


def test_new_folder_is_0700_and_database_wal_shm_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a typical, looser umask must not leak into the journal
    try:
        folder = tmp_path / "nested" / "data"
        with Journal(folder) as journal:
            journal.save(MODULE, {"why": "private"})
            wal = folder / (JOURNAL_FILENAME + "-wal")
            shm = folder / (JOURNAL_FILENAME + "-shm")
            assert wal.exists() and shm.exists(), "WAL files exist while the journal is open"
            assert mode(folder) == 0o700
            assert {p.name: mode(p) for p in folder.iterdir()} == {
                JOURNAL_FILENAME: 0o600,
                wal.name: 0o600,
                shm.name: 0o600,
            }
    finally:
        os.umask(old)
    assert os.umask(old) == old, "the process umask is restored after the journal opens"


def test_loose_modes_on_our_own_files_are_tightened(tmp_path: Path) -> None:
    a_journal_with_entries(tmp_path, saves=1)
    tmp_path.chmod(0o755)
    (tmp_path / JOURNAL_FILENAME).chmod(0o644)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Journal(tmp_path).close()
    assert mode(tmp_path) == 0o700
    assert mode(tmp_path / JOURNAL_FILENAME) == 0o600


def test_a_shared_folder_is_left_alone_with_a_warning(tmp_path: Path) -> None:
    """INTIMACY_COURSE_DATA may point at a folder that also holds other things."""
    tmp_path.chmod(0o755)
    (tmp_path / "notes.txt").write_text("not the journal's")
    with pytest.warns(JournalPermissionWarning, match="chmod 700"):
        Journal(tmp_path).close()
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / JOURNAL_FILENAME) == 0o600


@pytest.mark.parametrize("suffix", [".csv", ".json", ".md"])
def test_exports_are_0600_even_with_a_loose_umask(tmp_path: Path, suffix: str) -> None:
    with Journal(tmp_path / "data") as journal:
        journal.save(MODULE, {"why": "x"})
        old = os.umask(0o022)
        try:
            target = export_journal(journal, tmp_path / f"out{suffix}")
            replaced = export_journal(journal, target, overwrite=True)
        finally:
            os.umask(old)
    assert target == replaced
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", f"out{suffix}"], (
        "no temporary file is left behind"
    )


# --- damaged files ---------------------------------------------------------------------


def test_random_bytes_are_refused_untouched_then_recovered(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_FILENAME
    path.write_bytes(random.Random(7).randbytes(40_000))
    before = fingerprint(path)
    with pytest.raises(JournalDamagedError) as raised:
        Journal(tmp_path)
    message = str(raised.value)
    assert str(path) in message and "Nothing was changed" in message
    assert "intimacy-course journal recover" in message
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [JOURNAL_FILENAME]

    wal = tmp_path / (JOURNAL_FILENAME + "-wal")
    wal.write_bytes(b"log that may hold the latest answers")
    copy = recover_damaged(tmp_path)
    assert copy.name.startswith(JOURNAL_FILENAME + ".damaged-") and copy.parent == tmp_path
    assert fingerprint(copy)[0] == before[0] and mode(copy) == 0o600
    moved_wal = copy.with_name(copy.name + "-wal")
    assert moved_wal.read_bytes() == b"log that may hold the latest answers", (
        "the write-ahead log moves with its database, under the name SQLite looks for"
    )
    assert not wal.exists()
    with Journal(tmp_path) as fresh:
        fresh.save(MODULE, {"why": "a new start"})
        assert fresh.count() == 1
    assert copy.exists(), "the damaged copy is kept"


def test_a_truncated_journal_is_refused_untouched(tmp_path: Path) -> None:
    a_journal_with_entries(tmp_path)
    path = tmp_path / JOURNAL_FILENAME
    data = path.read_bytes()
    assert len(data) > 50_000
    path.write_bytes(data[: len(data) // 2])
    before = fingerprint(path)
    with pytest.raises(JournalDamagedError, match=r"SQLite says|integrity check"):
        Journal(tmp_path)
    assert fingerprint(path) == before
    assert not (tmp_path / (JOURNAL_FILENAME + "-wal")).exists()


def test_a_journal_with_a_scrambled_page_fails_the_integrity_check(tmp_path: Path) -> None:
    a_journal_with_entries(tmp_path)
    path = tmp_path / JOURNAL_FILENAME
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[2 * page : 3 * page] = random.Random(3).randbytes(page)  # third page: b-tree data
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    with pytest.raises(JournalDamagedError):
        Journal(tmp_path)
    assert fingerprint(path) == before


def test_recover_refuses_a_healthy_or_missing_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="nothing to recover"):
        recover_damaged(tmp_path)
    entries = a_journal_with_entries(tmp_path, saves=2)
    with pytest.raises(JournalError, match="opens without problems"):
        recover_damaged(tmp_path)
    with Journal(tmp_path) as journal:
        assert journal.history() == entries


def test_a_journal_from_a_newer_course_is_refused_and_kept(tmp_path: Path) -> None:
    a_journal_with_entries(tmp_path, saves=2)
    raw = sqlite3.connect(tmp_path / JOURNAL_FILENAME)
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    before = fingerprint(tmp_path / JOURNAL_FILENAME)
    with pytest.raises(JournalTooNewError) as raised:
        Journal(tmp_path)
    assert "newer version" in str(raised.value) and "Update" in str(raised.value)
    with pytest.raises(JournalTooNewError):
        recover_damaged(tmp_path)
    assert fingerprint(tmp_path / JOURNAL_FILENAME)[0] == before[0]


def test_another_programs_sqlite_file_is_not_adopted(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / JOURNAL_FILENAME)
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(JournalDamagedError, match="not a course journal"):
        Journal(tmp_path)


def test_a_file_where_the_folder_should_be_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    with pytest.raises(JournalNotWritableError) as raised:
        Journal(blocker / "journal")
    assert str(blocker) in str(raised.value) and "INTIMACY_COURSE_DATA" in str(raised.value)


# --- delete ----------------------------------------------------------------------------


def test_delete_removes_every_trace_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder).mkdir(mode=0o700)
    (folder / JOURNAL_FILENAME).write_bytes(b"garbage that will be moved aside")
    recover_damaged(folder)
    other = folder / "my-notes.txt"
    other.write_text("keep me")
    journal = Journal(folder)
    journal.save(MODULE, {"why": "soon gone"})
    assert (folder / (JOURNAL_FILENAME + "-wal")).exists()
    journal.close()
    # a crash can leave -wal/-shm behind; make sure they would be removed too
    (folder / (JOURNAL_FILENAME + "-wal")).write_bytes(b"")
    (folder / (JOURNAL_FILENAME + "-shm")).write_bytes(b"")
    removed = delete_journal(folder)
    assert {p.name for p in removed} >= {
        JOURNAL_FILENAME,
        JOURNAL_FILENAME + "-wal",
        JOURNAL_FILENAME + "-shm",
    }
    assert sorted(p.name for p in folder.iterdir()) == ["my-notes.txt"]
    assert damaged_copies(folder) == []


def test_delete_removes_the_folder_it_emptied(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    a_journal_with_entries(folder, saves=1)
    removed = delete_journal(folder)
    assert folder in removed and not folder.exists()
    assert delete_journal(folder) == []


# --- format versions -------------------------------------------------------------------


def test_a_version_2_migration_upgrades_a_version_1_journal_and_keeps_every_entry(
    tmp_path: Path,
) -> None:
    """The migration list is how a later course changes the format; prove the mechanism."""
    from intimacy_course.journal.schema import MIGRATIONS, migrate, read_schema_version

    entries = a_journal_with_entries(tmp_path, saves=3)

    def add_mood_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE entries ADD COLUMN mood TEXT")

    future = (*MIGRATIONS, (2, add_mood_column))
    raw = sqlite3.connect(tmp_path / JOURNAL_FILENAME, isolation_level=None)
    try:
        migrate(raw, tmp_path / JOURNAL_FILENAME, future)
        migrate(raw, tmp_path / JOURNAL_FILENAME, future)  # a second run changes nothing
        assert read_schema_version(raw) == 2
        columns = [row[1] for row in raw.execute("PRAGMA table_info(entries)")]
        assert columns[-1] == "mood"
        (count,) = raw.execute("SELECT COUNT(*) FROM entries").fetchone()
    finally:
        raw.close()
    assert count == len(entries)
    with pytest.raises(JournalTooNewError):  # this course version knows only version 1
        Journal(tmp_path)


def test_a_failing_migration_step_leaves_the_journal_as_it_was(tmp_path: Path) -> None:
    from intimacy_course.journal.schema import MIGRATIONS, migrate

    entries = a_journal_with_entries(tmp_path, saves=2)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE extra (x)")
        raise RuntimeError("step failed midway")

    raw = sqlite3.connect(tmp_path / JOURNAL_FILENAME, isolation_level=None)
    try:
        with pytest.raises(RuntimeError):
            migrate(raw, tmp_path / JOURNAL_FILENAME, (*MIGRATIONS, (2, half_done)))
    finally:
        raw.close()
    with Journal(tmp_path) as journal:
        assert journal.history() == entries
    raw = sqlite3.connect(tmp_path / JOURNAL_FILENAME)
    try:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    finally:
        raw.close()
    assert "extra" not in tables

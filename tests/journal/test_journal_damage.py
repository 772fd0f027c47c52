"""Is a journal called damaged only when SQLite itself says so, and is nothing saved ever lost?

The kill trials and the full-disk trial run ``fault_trials.py`` (beside this file) in a
subprocess: the kill trials fork a worker per trial, which is only safe from a process
without threads, and the full-disk trial needs its own mount namespace.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from intimacy_course.journal import (
    JOURNAL_FILENAME,
    Journal,
    JournalDamagedError,
    JournalNotice,
    JournalReadOnlyError,
    damaged_copies,
    export_journal,
    recover_damaged,
)
from tests.support import skip_or_fail

TRIALS = Path(__file__).with_name("fault_trials.py")
MODULE = "03_dopamine_and_numbing"


unavailable = skip_or_fail


def run_trials(*args: str, timeout: float = 120) -> dict:
    done = subprocess.run(
        [sys.executable, str(TRIALS), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode == 3:
        unavailable(json.loads(done.stdout)["unavailable"])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def saved_then_killed(folder: Path, saves: int) -> list[int]:
    """Save ``saves`` large answers with checkpoints off, then SIGKILL the saving process.

    Returns the entry ids ``save`` acknowledged. Everything saved is then only in the
    write-ahead log: the main file still has the size it had at creation.
    """
    code = textwrap.dedent(f"""
        import os, signal, sys
        from intimacy_course.journal import Journal
        journal = Journal(sys.argv[1])
        journal._connection().execute("PRAGMA wal_autocheckpoint=0")
        for index in range({saves}):
            saved = journal.save("{MODULE}", {{"text": f"answer {{index}} " + "words " * 4000}})
            print(*[entry.id for entry in saved], flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return [int(word) for word in done.stdout.split()]


def newest_page_one_from_the_wal(wal: Path) -> bytes:
    """Page 1 as the last frame of the write-ahead log holds it (SQLite's WAL format)."""
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    newest, offset = None, 32
    while offset + 24 + page_size <= len(data):
        if int.from_bytes(data[offset : offset + 4], "big") == 1:
            newest = data[offset + 24 : offset + 24 + page_size]
        offset += 24 + page_size
    assert newest is not None, "the log holds page 1"
    return newest


def test_a_journal_killed_midway_through_a_checkpoint_opens_with_every_entry(
    tmp_path: Path,
) -> None:
    """The issue's false alarm: the header declares more pages than the file holds yet.

    A checkpoint copies pages from the log into the file in page order, so a kill can
    leave a new page 1 (declaring the new size) in a file that is still short. SQLite
    reads the missing pages from the log; the journal is sound.
    """
    ids = saved_then_killed(tmp_path, saves=12)
    path = tmp_path / JOURNAL_FILENAME
    page_one = newest_page_one_from_the_wal(path.with_name(JOURNAL_FILENAME + "-wal"))
    with open(path, "r+b") as handle:  # the checkpoint wrote page 1, then the process died
        handle.write(page_one)
    declared = int.from_bytes(page_one[28:32], "big") * int.from_bytes(page_one[16:18], "big")
    assert path.stat().st_size < declared, "the file is shorter than its header declares"

    with Journal(tmp_path) as journal:
        assert journal.integrity_check() == ["ok"]
        assert [entry.id for entry in journal.history()] == ids
        assert journal.read_only is None
        journal.save(MODULE, {"text": "and the journal takes new answers"})
    export = export_journal(Journal(tmp_path), tmp_path / "all.json")
    assert len(json.loads(export.read_text(encoding="utf-8"))["entries"]) == len(ids) + 1


def test_a_journal_sqlite_finds_malformed_is_damaged_and_left_untouched(tmp_path: Path) -> None:
    ids = saved_then_killed(tmp_path, saves=3)
    assert ids
    wal = tmp_path / (JOURNAL_FILENAME + "-wal")
    wal.unlink()  # the log held every table: the file alone has pages pointing nowhere
    path = tmp_path / JOURNAL_FILENAME
    data = bytearray(path.read_bytes())
    data[200:4096] = b"\xff" * (4096 - 200)  # page 1's schema records scribbled over
    path.write_bytes(bytes(data))
    found = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(JournalDamagedError, match="SQLite"):
        Journal(tmp_path)
    assert path.read_bytes() == bytes(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == found


def test_random_kills_during_saves_and_checkpoints_lose_nothing(tmp_path: Path) -> None:
    """60 SIGKILLs at random moments, a third or so inside a checkpoint, answers up to 100 KB."""
    result = run_trials("kill", "--trials", "60", "--seed", "11", "--dir", str(tmp_path))
    print(json.dumps({k: v for k, v in result.items() if k != "problems"}))
    assert result["trials"] == 60
    assert result["problems"] == []
    assert (result["lost"], result["falsely_damaged"], result["unopenable"]) == (0, 0, 0)
    assert result["acknowledged_saves"] >= 60
    assert result["killed_in_checkpoint"] >= 5, "the kills reach checkpoints"
    assert result["largest_answer_bytes"] >= 50_000, "long answers are among those saved"


def test_a_full_disk_says_so_and_loses_nothing(tmp_path: Path) -> None:
    result = run_trials("full-disk", "--rounds", "2", "--seed", "5")
    for trial in result["rounds"]:
        assert trial["acknowledged_saves"] >= 5, trial
        assert trial["disk_full_said"], trial["save_errors"]
        assert "is full" in trial["save_errors"][0]
        assert "everything saved before is safe" in trial["save_errors"][0]
        assert (trial["lost"], trial["damaged"], trial["unopenable"]) == (0, False, "")
        assert trial["exported_elsewhere"] == trial["still_readable_in_place"]
        assert "disk there is full" in trial["export_on_full_disk"]
        killed = trial["killed_while_full"]
        assert killed["reached_full"], killed
        assert (killed["lost"], killed["damaged"], killed["unopenable"]) == (0, False, "")
        assert trial["lost_when_completely_full"] == 0
        assert trial["exported_when_completely_full"] == trial["opens_on_a_completely_full_disk"]
        assert trial["save_on_completely_full_disk"].startswith("JournalDiskFullError")
        if trial["closed_cleanly"]:  # SQLite cannot even make its -shm: read-only, and says why
            assert trial["read_only_reason"] == "JournalDiskFullError"
        assert trial["save_after_freeing"] == "saved" or trial["save_after_freeing"].startswith(
            "JournalDiskFullError"
        )
        assert trial["lost_at_end"] == 0
    assert any(trial["closed_cleanly"] for trial in result["rounds"])
    assert any(trial["save_after_freeing"] == "saved" for trial in result["rounds"])


def test_a_read_only_file_system_shows_and_exports_and_saving_says_why() -> None:
    result = run_trials("read-only")
    assert set(result) == {"closed cleanly", "left by a killed process", "killed, -shm removed"}
    for case, outcome in result.items():
        assert outcome["acknowledged"] == 5, case
        assert (outcome["lost"], outcome["damaged"], outcome["unopenable"]) == (0, False, ""), case
        assert outcome["read_only"], case
        assert outcome["saving"].startswith("JournalReadOnlyError"), case
        assert "mounted read-only" in outcome["saving"], case
        assert outcome["exported_elsewhere"] >= 5, case
        assert outcome["files_unchanged"], case


# --- an empty journal file -------------------------------------------------------------


def test_an_empty_journal_file_is_kept_aside_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_FILENAME
    path.write_bytes(b"")
    with pytest.warns(JournalNotice, match="was empty"), Journal(tmp_path) as journal:
        assert journal.notices and "empty" in journal.notices[0]
        journal.save(MODULE, {"text": "a new start"})
        assert journal.count() == 1
    kept = damaged_copies(tmp_path)
    assert [p.name.split("-")[0] for p in kept] == [JOURNAL_FILENAME + ".empty"]
    assert kept[0].stat().st_size == 0
    assert kept[0].name in journal.notices[0]


def test_an_empty_journal_file_beside_a_log_with_data_is_refused_and_kept(tmp_path: Path) -> None:
    saved_then_killed(tmp_path, saves=2)
    path = tmp_path / JOURNAL_FILENAME
    path.write_bytes(b"")
    wal = tmp_path / (JOURNAL_FILENAME + "-wal")
    log = wal.read_bytes()
    with pytest.raises(JournalDamagedError, match="empty"):
        Journal(tmp_path)
    assert path.stat().st_size == 0 and wal.read_bytes() == log
    copy = recover_damaged(tmp_path)
    assert copy.with_name(copy.name + "-wal").read_bytes() == log, "the log is kept with it"


def test_a_new_journal_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    with Journal(tmp_path / "data") as journal:
        names = sorted(p.name for p in journal.folder.iterdir())
    assert names[0] == JOURNAL_FILENAME, "no temporary file is left behind"
    raw = sqlite3.connect(tmp_path / "data" / JOURNAL_FILENAME)
    try:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    finally:
        raw.close()
    assert {"meta", "entries"} <= tables


# --- a journal its owner made read-only --------------------------------------------------


def test_a_journal_made_read_only_by_its_owner_stays_read_only(tmp_path: Path) -> None:
    """Even root, who could write it anyway, leaves a 0400 journal as its owner set it."""
    with Journal(tmp_path) as journal:
        journal.save(MODULE, {"text": "kept as it is"})
    path = tmp_path / JOURNAL_FILENAME
    path.chmod(0o400)
    before = path.read_bytes()
    with Journal(tmp_path) as journal:
        assert isinstance(journal.read_only, JournalReadOnlyError)
        assert journal.latest(MODULE)["text"].value == "kept as it is"
        with pytest.raises(JournalReadOnlyError) as raised:
            journal.save(MODULE, {"text": "not saved"})
        message = str(raised.value)
        assert "read-only (mode 400)" in message and f"chmod u+w '{path}'" in message
        assert "keep it on screen" in message
        export_journal(journal, tmp_path / "copy.md")
    assert oct(path.stat().st_mode & 0o777) == oct(0o400)
    assert path.read_bytes() == before

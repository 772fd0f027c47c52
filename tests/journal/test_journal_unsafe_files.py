"""Does the journal refuse files planted where it lives, instead of writing through them?

In a data folder other accounts can write to (INTIMACY_COURSE_DATA pointing at a shared
folder), someone could put a symbolic link, or a file of their own, where the journal or
its ``-wal``/``-shm`` belong: the journal would then write a learner's answers into a
file of theirs, or over a file of the learner's.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from intimacy_course.journal import (
    JOURNAL_FILENAME,
    Journal,
    JournalNotWritableError,
    JournalUnsafeFileError,
    delete_journal,
)

MODULE = "02_acting_out"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the learner's that a planted link points at."""
    path = tmp_path / "elsewhere" / "notes.txt"
    path.parent.mkdir()
    path.write_text("my notes, not a journal\n")
    return path


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("existing", [True, False], ids=["existing-journal", "new-journal"])
def test_a_planted_link_is_refused_and_nothing_is_written_through_it(
    tmp_path: Path, victim: Path, suffix: str, existing: bool
) -> None:
    folder = tmp_path / "data"
    if existing:
        with Journal(folder) as journal:
            journal.save(MODULE, {"text": "before the link"})
    else:
        folder.mkdir(mode=0o700)
    link = folder / (JOURNAL_FILENAME + suffix)
    link.unlink(missing_ok=True)  # a journal replaced by a link, in the "" case
    link.symlink_to(victim)
    before = digest(victim)
    listing = sorted(p.name for p in folder.iterdir())
    with pytest.raises(JournalUnsafeFileError) as raised:
        Journal(folder)
    message = str(raised.value)
    assert str(link) in message and "symbolic link" in message and str(victim) in message
    assert f"rm '{link}'" in message
    assert digest(victim) == before
    assert sorted(p.name for p in folder.iterdir()) == listing, "nothing was created"
    assert link.is_symlink()


def test_a_dangling_link_as_the_journal_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = tmp_path / "would-be-created.sqlite3"
    (folder / JOURNAL_FILENAME).symlink_to(target)
    with pytest.raises(JournalUnsafeFileError, match="symbolic link"):
        Journal(folder)
    assert not target.exists()


def test_a_folder_with_the_journals_name_is_reported(tmp_path: Path) -> None:
    (tmp_path / JOURNAL_FILENAME).mkdir()
    with pytest.raises(JournalNotWritableError, match="a folder has the journal's file name"):
        Journal(tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another account needs root")
@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_companion_file_of_another_account_is_refused(tmp_path: Path, suffix: str) -> None:
    with Journal(tmp_path) as journal:
        journal.save(MODULE, {"text": "mine"})
    planted = tmp_path / (JOURNAL_FILENAME + suffix)
    planted.write_bytes(b"")
    planted.chmod(0o666)
    os.chown(planted, 65534, 65534)  # nobody
    with pytest.raises(JournalUnsafeFileError, match="belongs to another account"):
        Journal(tmp_path)
    assert planted.stat().st_size == 0, "nothing of the journal was written into it"


def test_delete_removes_planted_links_but_not_what_they_point_to(
    tmp_path: Path, victim: Path
) -> None:
    folder = tmp_path / "data"
    with Journal(folder) as journal:
        journal.save(MODULE, {"text": "soon gone"})
    (folder / (JOURNAL_FILENAME + "-wal")).symlink_to(victim)
    removed = delete_journal(folder)
    assert folder / (JOURNAL_FILENAME + "-wal") in removed
    assert victim.read_text() == "my notes, not a journal\n"
    assert not folder.exists()

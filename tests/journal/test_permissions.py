"""Can another account read the journal, and what does a learner see when they cannot write?

File modes mean nothing to root, and CI runs as root, so these tests act as a real
unprivileged account: ``intimacy-test`` (created as a system user without a home when it
is missing). Reading is tried with ``runuser ... cat``, as a person would; opening the
journal is tried in a forked child that drops to that account with ``os.setuid`` (the
course's Python lives under /root, which that account cannot enter).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from intimacy_course.journal import (
    JOURNAL_FILENAME,
    Journal,
    JournalNotWritableError,
    export_journal,
)
from tests.support import skip_or_fail
from tests.support.accounts import as_user, unprivileged_account

USER = "intimacy-test"
MODULE = "04_validation_vs_judgment"
SECRET = "something only I should read"


_unavailable = skip_or_fail


@pytest.fixture(scope="module")
def user() -> pwd.struct_passwd:
    """The unprivileged account, created when missing (needs root)."""
    return unprivileged_account(USER)


@pytest.fixture
def open_area() -> Iterator[Path]:
    """A folder every account may enter, so only the journal's own modes stand in the way.

    pytest's tmp_path lives under a 0700 folder, which would make these tests pass for
    the wrong reason.
    """
    if os.geteuid() != 0:
        _unavailable("these tests act as another account, which needs root")
    area = Path(tempfile.mkdtemp(prefix="journal-perm-", dir="/tmp"))
    area.chmod(0o755)
    try:
        yield area
    finally:
        shutil.rmtree(area, ignore_errors=True)


def cat_as(user: pwd.struct_passwd, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", user.pw_name, "--", "cat", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_another_account_cannot_read_the_journal_or_its_exports(
    user: pwd.struct_passwd, open_area: Path
) -> None:
    folder = open_area / "data"
    with Journal(folder) as journal:
        journal.save(MODULE, {"secret": SECRET})
        export = export_journal(journal, open_area / "export.md")
        for path in (journal.path, folder / (JOURNAL_FILENAME + "-wal"), export):
            result = cat_as(user, path)
            assert result.returncode != 0, f"{user.pw_name} could read {path}"
            assert "Permission denied" in result.stderr
            assert SECRET not in result.stdout
    listing = subprocess.run(
        ["runuser", "-u", user.pw_name, "--", "ls", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.returncode != 0 and "Permission denied" in listing.stderr


def test_the_files_stay_closed_even_in_a_folder_others_can_list(
    user: pwd.struct_passwd, open_area: Path
) -> None:
    """A shared INTIMACY_COURSE_DATA folder is left open (with a warning); the files are not."""
    (open_area / "other.txt").write_text("not the journal's")
    with pytest.warns(UserWarning), Journal(open_area) as journal:
        journal.save(MODULE, {"secret": SECRET})
        result = cat_as(user, journal.path)
    assert result.returncode != 0 and "Permission denied" in result.stderr


def test_a_folder_the_user_cannot_write_gives_a_clear_message(
    user: pwd.struct_passwd, open_area: Path
) -> None:
    locked = open_area / "locked"
    locked.mkdir(mode=0o755)  # owned by root: the test user may look but not write
    outcomes = {
        "existing folder": as_user(user, lambda: Journal(locked).count()),
        "folder to create": as_user(user, lambda: Journal(locked / "journal").count()),
    }
    for case, outcome in outcomes.items():
        assert outcome["uid"] == user.pw_uid, case
        assert outcome.get("error") == JournalNotWritableError.__name__, (case, outcome)
        message = outcome["message"]
        assert str(locked) in message, case
        assert "permission" in message.lower() and "INTIMACY_COURSE_DATA" in message, case
    assert list(locked.iterdir()) == []


def test_a_journal_file_the_user_cannot_write_gives_a_clear_message(
    user: pwd.struct_passwd, open_area: Path
) -> None:
    folder = open_area / "theirs"
    with Journal(folder) as journal:
        journal.save(MODULE, {"secret": SECRET})
    os.chown(folder, user.pw_uid, user.pw_gid)  # their folder, but a file they do not own
    outcome = as_user(user, lambda: Journal(folder).count())
    assert outcome.get("error") == JournalNotWritableError.__name__, outcome
    assert str(folder / JOURNAL_FILENAME) in outcome["message"]


def test_the_user_can_keep_their_own_journal(user: pwd.struct_passwd, open_area: Path) -> None:
    """The same account succeeds in a folder it owns: the faults above are about permissions."""
    home = open_area / "home"
    home.mkdir()
    os.chown(home, user.pw_uid, user.pw_gid)

    def save_and_count() -> list:
        with Journal(home / "data") as journal:
            journal.save(MODULE, {"secret": SECRET})
            return [journal.count(), oct(os.stat(journal.path).st_mode & 0o777)]

    assert as_user(user, save_and_count)["result"] == [1, "0o600"]

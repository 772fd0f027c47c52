"""A journal in a folder its owner cannot write: do earlier answers still show and export?

Root may write anywhere, so these tests act as an ordinary account (``intimacy-test``,
created when missing, as in test_journal_permissions.py), in a forked child that drops to
it. The read-only *file system* case is in test_journal_damage.py.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from intimacy_course.journal import JOURNAL_FILENAME, Journal, JournalError, export_journal
from tests.support import skip_or_fail
from tests.support.accounts import as_user, unprivileged_account

USER = "intimacy-test"
MODULE = "05_safe_reintegration"


unavailable = skip_or_fail


@pytest.fixture(scope="module")
def user() -> pwd.struct_passwd:
    return unprivileged_account(USER)


@pytest.fixture
def home(user: pwd.struct_passwd) -> Iterator[Path]:
    """A folder of the test account's own, outside root's private temporary folders."""
    if os.geteuid() != 0:
        unavailable("acting as another account needs root")
    area = Path(tempfile.mkdtemp(prefix="journal-ro-", dir="/tmp"))
    area.chmod(0o755)
    os.chown(area, user.pw_uid, user.pw_gid)
    try:
        yield area
    finally:
        for path in area.rglob("*"):
            if path.is_dir():
                path.chmod(0o700)
        shutil.rmtree(area, ignore_errors=True)


def save_some(folder: Path, keep_open: bool) -> Callable[[], object]:
    def action() -> object:
        journal = Journal(folder)
        journal._connection().execute("PRAGMA wal_autocheckpoint=0")
        for index in range(3):
            journal.save(MODULE, {"text": f"answer {index}", "scale": index + 1})
        count = journal.count()
        if not keep_open:
            journal.close()
        return count

    return action


def read_export_and_save(folder: Path, export_to: Path) -> Callable[[], object]:
    def action() -> object:
        with Journal(folder) as journal:
            shown = journal.latest(MODULE)["text"].value
            export_journal(journal, export_to)
            try:
                journal.save(MODULE, {"text": "one more"})
                saving = "saved"
            except JournalError as problem:
                saving = f"{type(problem).__name__}: {problem}"
            return {
                "shown": shown,
                "count": journal.count(),
                "saving": saving,
                "read_only": journal.read_only is not None,
            }

    return action


@pytest.mark.parametrize("left", ["closed cleanly", "killed", "killed, -shm gone"])
def test_a_read_only_folder_shows_exports_and_says_why_saving_cannot(
    user: pwd.struct_passwd, home: Path, left: str
) -> None:
    folder = home / "data"
    folder.mkdir(mode=0o700)
    os.chown(folder, user.pw_uid, user.pw_gid)
    made = as_user(
        user, save_some(folder, keep_open=left != "closed cleanly"), die=left != "closed cleanly"
    )
    assert made.get("result") == 6, made
    if "gone" in left:
        (folder / (JOURNAL_FILENAME + "-shm")).unlink()
    folder.chmod(0o500)  # the owner took away their own write permission
    files = sorted(p.name for p in folder.iterdir())
    export_to = home / "export.json"

    outcome = as_user(user, read_export_and_save(folder, export_to))

    assert "error" not in outcome, outcome
    result = outcome["result"]
    assert result["shown"] == "answer 2" and result["count"] == 6 and result["read_only"]
    assert result["saving"].startswith("JournalReadOnlyError"), result["saving"]
    assert f"you may not create files in its folder {folder}" in result["saving"]
    assert f"chmod u+w '{folder}'" in result["saving"]
    assert len(json.loads(export_to.read_text(encoding="utf-8"))["entries"]) == 6
    assert sorted(p.name for p in folder.iterdir()) == files

"""What does ``intimacy-course journal`` say about a journal it can read but not write?"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from intimacy_course.journal import JOURNAL_FILENAME, Journal, damaged_copies

COMMAND = str(Path(sys.executable).with_name("intimacy-course"))


def run(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INTIMACY_COURSE_DATA": str(data)}
    return subprocess.run(
        [COMMAND, "journal", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_a_read_only_journal_is_shown_and_exported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Journal(data) as journal:
        journal.save("01_attachment_injury", {"text": "kept", "scale": 2})
    (data / JOURNAL_FILENAME).chmod(0o400)
    where = run(data, "where")
    assert where.returncode == 0, where.stderr
    assert "Entries: 2" in where.stdout and "Status:  read-only" in where.stdout
    exported = run(data, "export", str(tmp_path / "copy.json"))
    assert exported.returncode == 0, exported.stderr
    entries = json.loads((tmp_path / "copy.json").read_text(encoding="utf-8"))["entries"]
    assert {entry["value"] for entry in entries} == {"kept", 2}
    assert (data / JOURNAL_FILENAME).stat().st_mode & 0o777 == 0o400


def test_an_empty_journal_file_is_reported_not_reused_silently(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / JOURNAL_FILENAME).write_bytes(b"")
    where = run(data, "where")
    assert where.returncode == 0, where.stderr
    assert "Note: The journal file" in where.stdout and "was empty (0 bytes)" in where.stdout
    assert "Entries: 0" in where.stdout
    assert [p.stat().st_size for p in damaged_copies(data)] == [0]

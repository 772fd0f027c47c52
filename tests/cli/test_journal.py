"""Does ``intimacy-course journal ...`` do what a learner at a terminal expects?

Each test runs the installed command in a subprocess with INTIMACY_COURSE_DATA in a
temporary folder; the typed confirmations are typed into a real pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from intimacy_course.journal import JOURNAL_FILENAME, Journal, damaged_copies

COMMAND = str(Path(sys.executable).with_name("intimacy-course"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "journal-data"


def run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "INTIMACY_COURSE_DATA": str(data)}
    return subprocess.run(
        [COMMAND, "journal", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def run_in_terminal(data: Path, *args: str, typed: str) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a pseudo-terminal and type ``typed``."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "INTIMACY_COURSE_DATA": str(data)}
    process = subprocess.Popen(
        [COMMAND, "journal", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
    )
    os.close(terminal)
    output, sent = b"", False
    while True:
        ready, _, _ = select.select([controller], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError(f"no output for 30 s; so far: {output!r}")
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the command exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not sent and b"to confirm" in output:
            os.write(controller, typed.encode() + b"\n")
            sent = True
    os.close(controller)
    return process.wait(timeout=30), output.decode("utf-8", "replace")


def save_some(data: Path) -> None:
    with Journal(data) as journal:
        journal.save("01_attachment_injury", {"what": "Trust returns slowly 🌱", "scale": 3})
        journal.save("01_attachment_injury", {"what": "Revised: slowly, and with care"})


def test_where_shows_folder_file_size_count_and_the_shared_login_reminder(data: Path) -> None:
    empty = run(data, "where")
    assert empty.returncode == 0
    assert str(data) in empty.stdout and "no journal yet" in empty.stdout
    assert not data.exists(), "`where` does not create anything"
    save_some(data)
    result = run(data, "where")
    assert result.returncode == 0, result.stderr
    assert f"Folder:  {data}" in result.stdout
    assert f"File:    {data / JOURNAL_FILENAME}" in result.stdout
    assert "Entries: 3" in result.stdout and "KB" in result.stdout
    assert "uses your login" in result.stdout and "administrators" in result.stdout


def test_export_writes_a_private_file_and_refuses_to_overwrite(data: Path, tmp_path: Path) -> None:
    save_some(data)
    target = tmp_path / "my journal.json"
    first = run(data, "export", str(target))
    assert first.returncode == 0, first.stderr
    assert "Exported 3 entries" in first.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    entries = json.loads(target.read_text(encoding="utf-8"))["entries"]
    assert next(e["value"] for e in entries) == "Trust returns slowly 🌱"

    target.write_text("earlier")
    again = run(data, "export", str(target))
    assert again.returncode == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    assert target.read_text() == "earlier"
    forced = run(data, "export", str(target), "--force")
    assert forced.returncode == 0 and "Trust returns" in target.read_text(encoding="utf-8")


def test_export_markdown_uses_the_prompt_questions_when_it_can(data: Path, tmp_path: Path) -> None:
    from intimacy_course.content.prompts import load_prompts

    prompts = load_prompts("01_attachment_injury")
    first = prompts.prompts[0]
    save_some(data)
    with Journal(data) as journal:
        journal.save("01_attachment_injury", {first.id: "An answer to a real prompt"})
    result = run(data, "export", str(tmp_path / "mine.md"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "mine.md").read_text(encoding="utf-8")
    assert f"## 01_attachment_injury: {prompts.title}" in text
    assert f"### {first.label}\n" in text and "> An answer to a real prompt" in text
    assert "### what\n" in text and "> Revised: slowly, and with care" in text


def test_export_without_a_journal_says_there_is_nothing(data: Path, tmp_path: Path) -> None:
    result = run(data, "export", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "nothing to export" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_delete_without_a_terminal_refuses_and_keeps_everything(data: Path) -> None:
    save_some(data)
    result = run(data, "delete", stdin="DELETE\n")
    assert result.returncode == 2
    assert "no terminal" in result.stderr and "--yes" in result.stderr
    assert "Traceback" not in result.stderr
    with Journal(data) as journal:
        assert journal.count() == 3


def test_delete_at_a_terminal_needs_the_typed_word(data: Path) -> None:
    save_some(data)
    code, output = run_in_terminal(data, "delete", typed="yes")
    assert code == 2 and "Cancelled" in output and "cannot be undone" in output
    assert (data / JOURNAL_FILENAME).exists()

    code, output = run_in_terminal(data, "delete", typed="DELETE")
    assert code == 0, output
    assert "Deleted" in output
    assert not data.exists()


def test_delete_yes_removes_journal_and_moved_aside_copies(data: Path) -> None:
    data.mkdir(mode=0o700)
    (data / JOURNAL_FILENAME).write_bytes(b"not a database at all")
    assert run(data, "recover", "--yes").returncode == 0
    save_some(data)
    (data / "unrelated.txt").write_text("stays")
    result = run(data, "delete", "--yes")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in data.iterdir()) == ["unrelated.txt"]


def test_a_damaged_journal_is_explained_and_recovered_only_when_confirmed(data: Path) -> None:
    data.mkdir(mode=0o700)
    (data / JOURNAL_FILENAME).write_bytes(os.urandom(8192))
    where = run(data, "where")
    assert where.returncode == 2
    assert "damaged" in where.stderr and "journal recover" in where.stderr
    assert "Traceback" not in where.stderr

    refused = run(data, "recover")
    assert refused.returncode == 2 and "no terminal" in refused.stderr
    assert damaged_copies(data) == []

    code, output = run_in_terminal(data, "recover", typed="MOVE")
    assert code == 0, output
    assert "Nothing is deleted" in output and "Moved the damaged journal to" in output
    assert len(damaged_copies(data)) == 1
    assert not (data / JOURNAL_FILENAME).exists()
    assert run(data, "where").returncode == 0


def test_recover_on_a_healthy_journal_changes_nothing(data: Path) -> None:
    save_some(data)
    result = run(data, "recover", "--yes")
    assert result.returncode == 0 and "nothing to recover" in result.stdout
    assert damaged_copies(data) == []


def test_a_data_folder_that_is_a_file_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (["where"], ["export", str(tmp_path / "out.json")]):
        result = run(blocker, *args)
        assert result.returncode == 2, args
        assert str(blocker) in result.stderr and "not a folder" in result.stderr, args
        assert "Traceback" not in result.stderr
    assert blocker.read_text() == "x"


def test_an_export_that_git_would_pick_up_is_flagged(data: Path, tmp_path: Path) -> None:
    save_some(data)
    clone = tmp_path / "some-repo"
    clone.mkdir()
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    (clone / ".gitignore").write_text("journal-export*\n")
    flagged = run(data, "export", str(clone / "notes.md"))
    assert flagged.returncode == 0 and "`git add` could pick it up" in flagged.stdout
    ignored = run(data, "export", str(clone / "journal-export.md"))
    assert ignored.returncode == 0 and "git add" not in ignored.stdout
    outside = run(data, "export", str(tmp_path / "elsewhere.md"))
    assert "git add" not in outside.stdout

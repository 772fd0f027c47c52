"""Does the journal keep every answer, every version, exactly as it was saved?"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intimacy_course.journal import (
    DATA_ENV,
    JOURNAL_FILENAME,
    SCHEMA_VERSION,
    Entry,
    Journal,
    JournalBusyError,
    JournalError,
    JournalValueError,
    default_journal_dir,
)

MODULE = "01_attachment_injury"


@pytest.fixture
def journal(tmp_path: Path):
    with Journal(tmp_path / "data") as opened:
        yield opened


def test_a_save_returns_one_entry_per_prompt_with_what_was_saved(journal: Journal) -> None:
    before = datetime.now(UTC)
    saved = journal.save(
        MODULE,
        {
            "what_i_learned": "Trust grows slowly.",
            "safety": 4,
            "feelings": ["sad", "hopeful"],
            "choice": "talk",
        },
    )
    assert [e.prompt_id for e in saved] == ["what_i_learned", "safety", "feelings", "choice"]
    assert [e.value for e in saved] == ["Trust grows slowly.", 4, ["sad", "hopeful"], "talk"]
    assert all(e.module == MODULE and e.version == 1 and e.schema_version == 1 for e in saved)
    assert saved[0].id < saved[1].id < saved[2].id < saved[3].id
    created = saved[0].created
    assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= created <= datetime.now(UTC)


def test_latest_gives_the_newest_version_of_each_prompt(journal: Journal) -> None:
    journal.save(MODULE, {"what_i_learned": "first", "safety": 2})
    journal.save(MODULE, {"what_i_learned": "second"})
    journal.save(MODULE, {"what_i_learned": "third"})
    journal.save("02_acting_out", {"what_i_learned": "other module"})
    latest = journal.latest(MODULE)
    assert {k: (v.value, v.version) for k, v in latest.items()} == {
        "what_i_learned": ("third", 3),
        "safety": (2, 1),
    }
    assert journal.latest("05_safe_reintegration") == {}


def test_an_edit_is_a_new_version_and_the_old_one_stays(journal: Journal) -> None:
    journal.save(MODULE, {"what_i_learned": "draft"})
    journal.save(MODULE, {"what_i_learned": "revised"})
    history = journal.history(MODULE, "what_i_learned")
    assert [(e.value, e.version) for e in history] == [("draft", 1), ("revised", 2)]
    assert journal.count() == 2


def test_history_filters_and_is_oldest_first(journal: Journal) -> None:
    journal.save(MODULE, {"a": 1, "b": 2})
    journal.save("02_acting_out", {"a": 3})
    journal.save(MODULE, {"a": 4})
    assert [e.value for e in journal.history()] == [1, 2, 3, 4]
    assert [e.value for e in journal.history(MODULE)] == [1, 2, 4]
    assert [e.value for e in journal.history(prompt_id="a")] == [1, 3, 4]
    assert [e.value for e in journal.history(MODULE, "a")] == [1, 4]


def test_answers_survive_closing_and_reopening(tmp_path: Path) -> None:
    text = "Line one\nשלום, עולם ✨ «quotes» \"double\" 'single' \t tab\u200f"
    with Journal(tmp_path) as first:
        saved = first.save(MODULE, {"what_i_learned": text, "feelings": []})
    with Journal(tmp_path) as again:
        assert again.history() == saved
        assert again.latest(MODULE)["what_i_learned"].value == text


@pytest.mark.parametrize("bad", [object(), {1, 2}, float("nan"), b"bytes", datetime.now()])
def test_a_value_that_is_not_json_names_the_prompt_and_saves_nothing(
    journal: Journal, bad: object
) -> None:
    journal.save(MODULE, {"kept": "earlier answer"})
    with pytest.raises(ValueError) as raised:
        journal.save(MODULE, {"fine": "ok", "broken_prompt": bad})
    assert isinstance(raised.value, JournalError)
    assert "broken_prompt" in str(raised.value) and "Nothing was saved" in str(raised.value)
    assert [e.prompt_id for e in journal.history()] == ["kept"]


@pytest.mark.parametrize(
    "module, answers",
    [
        ("", {"a": 1}),
        ("   ", {"a": 1}),
        (None, {"a": 1}),
        (MODULE, {"": 1}),
        (MODULE, {" a": 1}),
        (MODULE, {3: 1}),
    ],
)
def test_empty_or_malformed_ids_are_refused(journal: Journal, module, answers) -> None:
    with pytest.raises(JournalValueError) as raised:
        journal.save(module, answers)
    assert "Nothing was saved" in str(raised.value)
    assert journal.count() == 0


def test_answers_must_be_a_mapping(journal: Journal) -> None:
    with pytest.raises(JournalValueError, match="mapping"):
        journal.save(MODULE, [("a", 1)])  # type: ignore[arg-type]


def test_the_database_refuses_to_change_or_delete_a_saved_row(journal: Journal) -> None:
    journal.save(MODULE, {"a": "keep me"})
    raw = sqlite3.connect(journal.path)
    try:
        for statement in ("UPDATE entries SET value_json = '\"changed\"'", "DELETE FROM entries"):
            with pytest.raises(sqlite3.DatabaseError, match="never changed in place"):
                raw.execute(statement)
    finally:
        raw.close()
    assert journal.latest(MODULE)["a"].value == "keep me"


def test_the_schema_version_is_recorded_in_meta(journal: Journal) -> None:
    raw = sqlite3.connect(journal.path)
    try:
        (value,) = raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        (mode,) = raw.execute("PRAGMA journal_mode").fetchone()
    finally:
        raw.close()
    assert int(value) == SCHEMA_VERSION == 1
    assert mode == "wal"


def test_one_journal_can_be_used_from_several_threads(journal: Journal) -> None:
    """ipywidgets may call a form's handler from another thread than the one that opened it."""
    problems: list[BaseException] = []

    def save_some(tag: str) -> None:
        try:
            for index in range(25):
                journal.save(MODULE, {tag: index})
        except BaseException as problem:  # pragma: no cover - reported below
            problems.append(problem)

    threads = [threading.Thread(target=save_some, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert journal.count() == 100
    assert [e.version for e in journal.history(MODULE, "t2")] == list(range(1, 26))


def test_a_closed_journal_says_so(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.close()
    journal.close()
    with pytest.raises(JournalError, match="closed"):
        journal.count()


def test_entries_are_frozen(journal: Journal) -> None:
    (entry,) = journal.save(MODULE, {"a": 1})
    assert isinstance(entry, Entry)
    with pytest.raises(AttributeError):
        entry.value = 2  # type: ignore[misc]


def test_the_location_comes_from_the_environment_then_platformdirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repo: Path
) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "mine"))
    assert default_journal_dir() == tmp_path / "mine"
    with Journal() as journal:
        assert journal.path == tmp_path / "mine" / JOURNAL_FILENAME
    monkeypatch.delenv(DATA_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    default = default_journal_dir()
    assert default == tmp_path / "home" / ".local" / "share" / "intimacy-course"
    assert repo not in default.parents


def test_the_repository_ignores_journal_files(repo: Path, tmp_path: Path) -> None:
    """A journal or export a learner drops into the clone must never be committed."""
    import subprocess

    names = [
        JOURNAL_FILENAME,
        JOURNAL_FILENAME + "-wal",
        JOURNAL_FILENAME + "-shm",
        JOURNAL_FILENAME + ".damaged-20260101T000000",
        "workbook/journal-export.md",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(result.stdout.split()) == sorted(names), result.stderr


def test_a_journal_held_busy_too_long_says_to_save_again(tmp_path: Path) -> None:
    """Another notebook or command holding the write lock must not lose the answer on screen."""
    with Journal(tmp_path, busy_timeout=0.2) as journal:
        journal.save(MODULE, {"a": "before"})
        other = sqlite3.connect(journal.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(JournalBusyError) as raised:
                journal.save(MODULE, {"a": "while busy"})
            assert "Nothing was saved" in str(raised.value)
            assert "Save again" in str(raised.value)
        finally:
            other.execute("ROLLBACK")
            other.close()
        journal.save(MODULE, {"a": "after"})
        assert [e.value for e in journal.history()] == ["before", "after"]
        assert [e.version for e in journal.history()] == [1, 2]

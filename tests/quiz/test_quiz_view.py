"""Does clicking in the quiz store the answer at once, and does self-check mark what is on screen?

Widgets are driven in plain Python (set a value, click a button), as ipywidgets' own tests do.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from intimacy_course.quiz import practice_key, view
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.paper import COHORT, PRACTICE, make_paper
from intimacy_course.quiz.stored_answers import read_answers

BANK_FILE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "bank_v2" / "01_attachment_injury.toml"
)


@pytest.fixture
def bank():
    return load_bank(BANK_FILE)


@pytest.fixture(autouse=True)
def _quiet_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "display", lambda *a, **k: None)


def _control(box: widgets.VBox) -> Any:
    return box.children[1]


def _status(box: widgets.VBox) -> str:
    return box.children[2].value


def test_a_click_is_stored_at_once_and_survives_a_new_kernel(tmp_path: Path, bank) -> None:
    paper = make_paper(bank, PRACTICE)
    quiz = view.QuizView(paper, folder=tmp_path, student="alice")
    box = quiz.ask(1)
    radio = _control(box)
    assert isinstance(radio, widgets.RadioButtons) and radio.value is None
    assert "Not answered yet" in _status(box)
    radio.value = radio.options[1][1]
    assert "Saved at" in _status(box) and "do not need to save the notebook" in _status(box)
    stored = read_answers(tmp_path, bank.module)
    assert stored.choices == {"m1-o1-texts-when-late": radio.options[1][1]}
    again = view.QuizView(paper, folder=tmp_path, student="alice")  # a restarted kernel
    assert _control(again.ask(1)).value == radio.options[1][1]


def test_a_written_answer_is_stored_as_typed(tmp_path: Path, bank) -> None:
    quiz = view.QuizView(make_paper(bank, PRACTICE), folder=tmp_path, student="alice")
    box = quiz.ask(5)
    area = _control(box)
    assert isinstance(area, widgets.Textarea)
    area.value = "Early care can shape closeness; the choice was yours."
    assert read_answers(tmp_path, bank.module).texts == {"m1-o5-parent-story": area.value}


def test_a_full_disk_says_so_and_keeps_the_choice_on_screen(
    tmp_path: Path, bank, monkeypatch
) -> None:
    quiz = view.QuizView(make_paper(bank, PRACTICE), folder=tmp_path, student="alice")
    box = quiz.ask(1)

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(view, "write_answers", full)
    radio = _control(box)
    radio.value = radio.options[0][1]
    assert "Not saved: the disk is full" in _status(box)
    assert radio.value == radio.options[0][1]


def test_a_cohort_trainee_sees_their_own_draw(tmp_path: Path, bank) -> None:
    seed = b"s" * 32
    paper = make_paper(bank, COHORT, seed, ("alice", "bob"))
    shown = set()
    for student in ("alice", "bob"):
        quiz = view.QuizView(paper, folder=tmp_path, student=student)
        assert quiz.known and len(quiz.sheet.slots) == 3
        shown.add(tuple(s.item_id for s in quiz.sheet.slots))
    stranger = view.QuizView(paper, folder=tmp_path, student="mallory")
    assert not stranger.known


def test_self_check_marks_the_answers_on_screen_and_reveals_only_what_was_tried(
    tmp_path: Path,
    bank,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(practice_key, "practice_bank", lambda module: bank)
    quiz = view.QuizView(make_paper(bank, PRACTICE), folder=tmp_path, student="alice")
    radio = _control(quiz.ask(1))
    radio.value = radio.options[1][1]  # right
    results, page = practice_key.practice_marking(quiz, reveal=False)
    assert [r.score for r in results if r.item.auto] == [1.0, 0.0, 0.0, 0.0]
    assert "Not answered. The answer stays hidden" in page
    radio.value = radio.options[0][1]  # changed on screen, not saved anywhere else
    results, _ = practice_key.practice_marking(quiz, reveal=False)
    assert results[0].score == 0.0, "self-check marks what is on screen now"


def test_self_check_without_a_key_says_the_instructor_marks_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INTIMACY_COURSE_REPO", str(tmp_path))
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "course").mkdir()
    (tmp_path / "grading").mkdir()
    with pytest.raises(practice_key.PracticeKeyMissing, match="marked by your instructor"):
        practice_key.practice_bank("01_attachment_injury")

"""Can a self-learner mark their own quiz copy with `intimacy-course check`?

These are learners' OLDER copies (typed answers), made by release 0.1.0 from bank version 1:
they must keep working, marked against the version they were made from. Each check runs real
nbgrader (generate_assignment, autograde, generate_feedback) in a temporary course, sandboxed.
Clicked quizzes are checked in tests/grading/test_check_clicked.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.cli import main
from intimacy_course.grading.selfcheck import self_check
from intimacy_course.quiz.items import load_quiz
from tests.support.grading_courses import REPO, answered, cell

pytestmark = pytest.mark.slow

QUIZ = "01_attachment_injury"


@pytest.fixture(scope="module")
def items():
    return load_quiz(REPO / "grading" / "items" / "v1" / f"{QUIZ}.toml")


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory: pytest.TempPathFactory) -> dict:
    old = REPO / "tests" / "fixtures" / "release_0_1_0" / QUIZ / "quiz.ipynb"
    return json.loads(old.read_text(encoding="utf-8"))


def _write(folder: Path, nb: dict) -> Path:
    path = folder / QUIZ / "quiz.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _rows(output: str) -> dict[str, list[str]]:
    return {
        m.group(1): m.group(2).split(None, 3)
        for m in re.finditer(r"^(q\d+)\s+(.*)$", output, re.MULTILINE)
    }


def test_check_marks_a_correct_copy_right(tmp_path: Path, items, fresh_copy: dict) -> None:
    answers = {i.id: i.answer.upper() if i.autograded else "My own answer." for i in items.items}
    path = _write(tmp_path, answered(fresh_copy, answers))
    before = path.read_bytes()
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    run = subprocess.run(
        [sys.executable, "-m", "intimacy_course.cli", "check", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    rows = _rows(run.stdout)
    assert list(rows) == [i.id for i in items.items]
    for item in items.items:
        objective, points, score, result = rows[item.id]
        assert (int(objective), int(points)) == (item.objective, item.points)
        if item.autograded:
            assert (score, result) == (str(item.points), "right"), item.id
        else:
            assert (score, result) == ("-", "by hand"), item.id
    assert (
        f"Marked automatically: {items.autograded_points} of {items.autograded_points} points."
        in run.stdout
    )
    feedback = path.parent / "feedback" / "quiz.html"
    assert f"Feedback page: {feedback.resolve().as_uri()}" in run.stdout and feedback.exists()
    assert path.read_bytes() == before, "check only reads the learner's file"


def test_the_self_check_cell_explains_each_wrong_answer(
    tmp_path: Path,
    items,
    fresh_copy: dict,
    capsys: pytest.CaptureFixture[str],
) -> None:
    autograded = [i for i in items.items if i.autograded]
    wrong_letter, wrong_form, blank = autograded[0], autograded[1], autograded[2]
    answers = {i.id: i.answer for i in autograded}
    answers[wrong_letter.id] = next(k for k in wrong_letter.choices if k != wrong_letter.answer)
    answers[wrong_form.id] = "yes"
    answers[blank.id] = ""
    path = _write(tmp_path, answered(fresh_copy, answers))
    self_check(path)
    out = capsys.readouterr().out
    rows = _rows(out)
    assert rows[wrong_letter.id][2:] == ["0", "not right"]
    assert rows[wrong_form.id][2:] == ["0", "not right"]
    assert rows[blank.id][2:] == ["0", "not answered"]
    flat = " ".join(out.split())
    for item in (wrong_letter, wrong_form):
        assert " ".join(item.explanation.split())[:50] in flat, item.id
    assert " ".join(blank.explanation.split())[:50] not in flat, (
        "an unanswered item keeps its key hidden"
    )
    assert "the answer stays hidden" in flat
    assert "yes" in flat and (
        "can be read both ways" in flat
        or "not one of the options" in flat
        or "type only the letter" in flat
    )
    right = [i for i in autograded if i not in (wrong_letter, wrong_form, blank)]
    assert all(rows[i.id][3] == "right" for i in right)
    short = [i for i in items.items if not i.autograded]
    assert all(rows[i.id][2:] == ["0", "not answered"] for i in short), (
        "YOUR ANSWER HERE left as is"
    )
    assert f"Marked automatically: {len(right)} of {items.autograded_points} points." in out
    html = (path.parent / "feedback" / "quiz.html").read_text(encoding="utf-8")
    assert wrong_letter.explanation.split()[0] in html


def test_the_self_check_cell_is_inert_while_nbgrader_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for mode in ("autograde", "validate"):
        monkeypatch.setenv("NBGRADER_EXECUTION", mode)
        assert self_check(tmp_path / "does-not-exist.ipynb") is None
    assert capsys.readouterr().out == ""


def _cli_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 2
    return capsys.readouterr().err


def test_check_explains_a_wrong_path_a_folder_a_broken_file_and_a_stranger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_copy: dict
) -> None:
    assert "There is no file at" in _cli_error(["check", str(tmp_path / "nope.ipynb")], capsys)
    assert "is a folder" in _cli_error(["check", str(tmp_path)], capsys)
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    message = _cli_error(["check", str(broken)], capsys)
    assert (
        "cannot be read as a notebook: it is not valid JSON" in message
        and "intimacy-course setup" in message
    )
    empty = tmp_path / "empty.ipynb"
    empty.write_text("", encoding="utf-8")
    assert "the file is empty" in _cli_error(["check", str(empty)], capsys)
    stranger = tmp_path / "other.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), stranger)
    assert "not one of this course's quizzes" in _cli_error(["check", str(stranger)], capsys)
    assert cell(fresh_copy, "self_check")["metadata"]["nbgrader"]["locked"] is True

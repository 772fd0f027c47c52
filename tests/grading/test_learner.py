"""A learner's quiz copies: made by set-up when missing, never overwritten afterwards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from intimacy_course.grading.batch import release_all
from intimacy_course.grading.course import course_config, open_api, student_version
from intimacy_course.grading.learner import ensure_learner_copies
from intimacy_course.lab import setup as prepare
from intimacy_course.paths import MODULES, REPO_ENV
from tests.support.grading_courses import REPO


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minimal copy of the course (what set-up needs) that the tests may write into."""
    root = tmp_path / "clone"
    (root / "course").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "grading").mkdir()
    shutil.copy2(REPO / "grading" / "nbgrader_config.py", root / "grading")
    shutil.copytree(REPO / "grading" / "source", root / "grading" / "source")
    monkeypatch.setenv(REPO_ENV, str(root))
    return root


def _learner_step():  # the set-up step as registered in prepare.STEPS
    steps = [step for label, step in prepare.STEPS if "quiz" in label]
    assert len(steps) == 1, "one set-up step makes the quiz copies"
    return steps[0]


def test_setup_creates_every_missing_copy_from_the_student_version(clone: Path) -> None:
    created = _learner_step()()
    assert sorted(p.parent.name for p in created) == sorted(MODULES)
    for module in MODULES:
        copy = nbformat.read(clone / "my_work" / module / "quiz.ipynb", as_version=4)
        expected = student_version(
            clone / "grading" / "source" / module / "quiz.ipynb",
            config=course_config(clone / "grading", settings_from=clone / "grading"),
        )
        assert [c.source for c in copy.cells] == [c.source for c in expected.cells]
        assert "BEGIN SOLUTION" not in json.dumps(copy)


def test_a_copy_with_answers_survives_setup_twice_and_a_new_release(clone: Path) -> None:
    step = _learner_step()
    step()
    folder = clone / "my_work" / MODULES[0]
    answers = folder / "answers.json"
    answers.write_text('{"format": "intimacy-course answers", "answers": {"x": {"choice": "o1"}}}')
    before = (folder / "quiz.ipynb").read_bytes(), answers.read_bytes()
    assert step() == [] and step() == []
    api = open_api(course_config(clone / "grading", settings_from=clone / "grading"))
    assert release_all(api, [MODULES[0]], progress=lambda line: None)[0].released
    assert ((folder / "quiz.ipynb").read_bytes(), answers.read_bytes()) == before


def test_an_older_copy_is_kept_and_the_new_quiz_is_put_beside_it_with_a_note(clone: Path) -> None:
    old = REPO / "tests" / "fixtures" / "release_0_1_0" / MODULES[0] / "quiz.ipynb"
    folder = clone / "my_work" / MODULES[0]
    folder.mkdir(parents=True)
    shutil.copy2(old, folder / "quiz.ipynb")
    before = (folder / "quiz.ipynb").read_bytes()
    created = _learner_step()()
    assert folder / "quiz_v2.ipynb" in created
    assert (folder / "quiz.ipynb").read_bytes() == before
    assert "version 1" in (folder / "ABOUT_THESE_QUIZZES.md").read_text(encoding="utf-8")
    new = json.loads((folder / "quiz_v2.ipynb").read_text(encoding="utf-8"))
    assert "paper" in new["metadata"]["intimacy_course"]
    assert _learner_step()() == [], "nothing more is made on the next set-up"


def test_a_deleted_copy_comes_back_fresh_and_the_others_are_left_alone(tmp_path: Path) -> None:
    my_work = tmp_path / "my_work"
    ensure_learner_copies(my_work, REPO / "grading")
    gone = my_work / MODULES[1] / "quiz.ipynb"
    kept = my_work / MODULES[2] / "quiz.ipynb"
    gone.unlink()
    kept.write_text("my notes, not even a notebook", encoding="utf-8")
    assert ensure_learner_copies(my_work, REPO / "grading") == [gone]
    assert kept.read_text(encoding="utf-8") == "my notes, not even a notebook"
    assert not list(my_work.glob("*/.quiz.ipynb.new")), "no scratch files left behind"

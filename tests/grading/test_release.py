"""The committed quizzes with real nbgrader: they validate, grade right, and give nothing away.

One course (tests/fixtures/grading_courses.py) holds every source quiz in grading/source/,
released with generate_assignment; for each quiz the source itself (solutions as written)
and the untouched release are autograded.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.grading.course import QUIZ_FILE, course_config, student_version
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.notebook import build_quiz
from tests.support.grading_courses import REPO, read_autograded, real_course

# One worker builds this module's released and graded course (tests/support).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-real-course")]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> dict:
    built = real_course(tmp_path_factory)
    if not built["quizzes"]:
        pytest.skip("grading/source/ holds no quizzes yet")
    return built


def _grades(course: dict, student: str, quiz: str) -> dict[str, tuple[float, float]]:
    gradebook = course["api"].gradebook
    try:
        notebook = gradebook.find_submission_notebook("quiz", quiz, student)
        return {g.name: (g.score, g.max_score) for g in notebook.grades}
    finally:
        gradebook.close()


def test_every_quiz_is_released_with_the_header_first(course: dict) -> None:
    assert [r.quiz for r in course["releases"] if not r.released] == []
    for quiz in course["quizzes"]:
        nb = json.loads((course["root"] / "release" / quiz / QUIZ_FILE).read_text())
        assert nb["cells"][0]["metadata"]["nbgrader"]["grade_id"] == "quiz_header"
        header = "".join("".join(c["source"]) for c in nb["cells"][:2])
        assert "988" in header and "RAINN" in header, "the help-now section is in the header"


def test_a_source_quiz_passes_nbgrader_validate(course: dict) -> None:
    """An instructor's own check before releasing, on the first quiz: the five are built by
    one generator, and every released quiz is run unanswered by the blank submissions."""
    sources = [str(course["root"] / "source" / course["quizzes"][0] / QUIZ_FILE)]
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", *sources],
        cwd=course["root"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert output.count("Success! Your notebook passes all the tests.") == len(sources), output
    assert "VALIDATION FAILED" not in output


def test_every_quiz_autogrades_to_full_marks_with_every_right_answer_clicked(course: dict) -> None:
    for quiz in course["quizzes"]:
        grades = _grades(course, f"key-{quiz}", quiz)
        autograded = {name: v for name, v in grades.items() if name.startswith("mark_")}
        assert autograded, quiz
        assert {name: score for name, (score, _) in autograded.items()} == {
            name: maximum for name, (_, maximum) in autograded.items()
        }, quiz
        nb = read_autograded(course["root"], f"key-{quiz}", quiz)
        written = [
            c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("written_")
        ]
        assert written and all(
            "YOUR ANSWER" not in c.source and "box above" not in c.source for c in written
        )


def test_every_released_quiz_runs_unanswered_and_scores_zero(course: dict) -> None:
    for quiz in course["quizzes"]:
        outcome = course["outcomes"][(f"blank-{quiz}", quiz)]
        assert outcome.graded and outcome.score == 0, outcome
        assert outcome.to_grade_by_hand == 0, (
            "an untouched written answer scores 0, not 'needs grading'"
        )
        nb = read_autograded(course["root"], f"blank-{quiz}", quiz)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            assert cell.execution_count is not None, (quiz, grade_id)
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if grade_id.startswith("mark_"):
                assert [e.ename for e in errors] == ["NotAnswered"], (quiz, grade_id)
            else:
                assert errors == [], (quiz, grade_id, errors)
        self_check = [
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "self_check"
        ]
        assert self_check and self_check[0].outputs == [], (
            "the self-check stays inert under nbgrader"
        )


FORBIDDEN = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "HIDDEN TESTS",
    "MARK SCHEME",
    "assert ",
    "AUTOTEST",
    "hashlib",
    "sha256",
    "md5",
    '"correct"',
)


def _secrets(quiz: str) -> list[str]:
    bank = load_bank(REPO / "grading" / "items" / f"{quiz}.toml")
    secrets = [i.explanation for i in bank.items if i.explanation]
    secrets += [i.model_answer for i in bank.items if i.model_answer]
    secrets += [o.why for i in bank.items for o in i.options]
    secrets += [e.answer for i in bank.items for e in (*i.examples, *i.calibration) if e.answer]
    return secrets


def test_no_released_quiz_holds_a_key_explanation_or_oracle(course: dict) -> None:
    from nbgrader.utils import compute_checksum

    for quiz in course["quizzes"]:
        released = nbformat.read(course["root"] / "release" / quiz / QUIZ_FILE, as_version=4)
        secrets = _secrets(quiz)
        whole = " ".join(nbformat.writes(released).split())
        for word in FORBIDDEN:
            assert word not in whole, (quiz, word)
        for secret in secrets:
            assert " ".join(json.dumps(secret)[1:-1].split())[:60] not in whole, (quiz, secret[:40])
        for cell in released.cells:
            meta = cell.metadata.get("nbgrader", {})
            if "checksum" in meta:  # a checksum of hidden content would be an oracle
                assert meta["checksum"] == compute_checksum(cell), (quiz, meta["grade_id"])


def test_a_released_quiz_is_identical_whatever_the_key(course: dict, tmp_path: Path) -> None:
    """The strongest no-oracle check: change every secret, and the release does not change."""
    from intimacy_course.quiz.bank import Bank

    config = course_config(course["root"], settings_from=REPO / "grading")
    for quiz in course["quizzes"]:
        bank = load_bank(REPO / "grading" / "items" / f"{quiz}.toml")
        flipped_items = []
        for item in bank.items:
            other = (item.correct_index + 1) % len(item.options) if item.options else 0
            options = tuple(
                dataclasses.replace(o, correct=i == other, why="Changed.")
                for i, o in enumerate(item.options)
            )
            flipped_items.append(
                dataclasses.replace(
                    item, options=options, explanation="Changed.", model_answer="Changed."
                )
            )
        flipped = Bank(bank.module, bank.title, tuple(flipped_items), bank.path)
        versions = []
        for number, variant in enumerate((bank, flipped)):
            path = tmp_path / f"{quiz}-{number}.ipynb"
            nbformat.write(build_quiz(variant), path)
            versions.append(nbformat.writes(student_version(path, config=config)))
        assert versions[0] == versions[1], quiz


def test_the_learner_copy_is_what_generate_assignment_releases(course: dict) -> None:
    config = course_config(course["root"], settings_from=REPO / "grading")
    for quiz in course["quizzes"]:
        ours = student_version(course["root"] / "source" / quiz / QUIZ_FILE, config=config)
        theirs = nbformat.read(course["root"] / "release" / quiz / QUIZ_FILE, as_version=4)
        assert [(c.cell_type, c.source, c.metadata) for c in ours.cells] == [
            (c.cell_type, c.source, c.metadata) for c in theirs.cells
        ], quiz

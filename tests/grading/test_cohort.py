"""Does a cohort's batch grading give every trainee a fair score, whatever they handed in?

A synthetic cohort of the fixture quiz (tests/fixtures/quiz_items/), each submission built
from the released notebook, with the autograded score worked out by hand beforehand. The
batch is graded once with ``grade_all`` (real nbgrader autograde, short cell timeout) by two
worker processes sharing the SQLite gradebook, as ``intimacy-course grade --jobs 2`` does.
"""

from __future__ import annotations

import csv
import json

import pytest

from intimacy_course.grading.batch import find_submissions, grade_all
from intimacy_course.grading.folders import CourseFolders
from tests.support.grading_courses import (
    FIXTURE_QUIZ,
    TEST_TIMEOUT,
    answered,
    cached,
    cell,
    fixture_course,
    read_autograded,
    released,
    submit,
    without,
)

# One worker builds this module's graded cohort (tests/support/grading_courses.py).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-cohort")]

RIGHT = {"q1": "b", "q2": "c", "q3": "b", "q4": "false", "q5": "true"}
SHORT = {
    "q6": "Early care can teach us what to expect from closeness; it raises the odds, "
    "it does not decide, and patterns can change."
}


def _with(**changes: str) -> dict[str, str]:
    return {**RIGHT, **changes}


def _cohort(nb: dict) -> dict[str, tuple[object, int | None, int]]:
    """student -> (submission, expected autograded score or None if not gradable, hand points)."""
    code = lambda **cells: answered(answered(nb, RIGHT), cells, raw=True)  # noqa: E731
    edited_test = answered(nb, _with(q1="a"))
    cell(edited_test, "q1_test")["source"] = "pass  # nothing to check here"
    cell(edited_test, "q1_question")["source"] = "The answer to this question is a."
    cheat = answered(nb, _with(q4="true"))
    cell(cheat, "q4_test")["source"] = 'q4 = "false"'
    return {
        "all-right": (answered(nb, RIGHT), 5, 0),
        "all-right-with-essay": (answered(nb, {**RIGHT, **SHORT}), 5, 3),
        "partly-1": (answered(nb, _with(q3="a", q5="false")), 3, 0),
        "partly-2": (answered(nb, _with(q1="a", q4="true")), 3, 0),
        # Every forgiving reading of tests/quiz/test_answers.py at once: case, spaces,
        # brackets, quotes and one-letter true/false, end to end through the grader.
        "forgiving-forms": (
            answered(nb, {"q1": " B ", "q2": "c)", "q3": "'b'", "q4": "  FALSE ", "q5": "t"}),
            5,
            0,
        ),
        "python-values": (code(q4="q4 = False", q5="q5 = True", q1='q1 = "b".upper()'), 5, 0),
        "all-wrong": (
            answered(nb, {"q1": "a", "q2": "a", "q3": "a", "q4": "true", "q5": "false"}),
            0,
            0,
        ),
        "wrong-form": (
            answered(
                nb, {"q1": "yes", "q2": "b and c", "q3": "the second one", "q4": "yes", "q5": "no"}
            ),
            0,
            0,
        ),
        "not-a-string": (code(q1="q1 = 2", q4="q4 = 1"), 3, 0),
        "blank": (nb, 0, 0),
        "infinite-loop": (code(q2="while True:\n    pass\nq2 = 'c'"), 4, 0),
        "deleted-test-cell": (without(answered(nb, RIGHT), "q2_test"), 5, 0),
        "deleted-test-cell-wrong": (without(answered(nb, _with(q3="a")), "q3_test"), 4, 0),
        "edited-locked-cells": (edited_test, 4, 0),
        "rewrote-a-test": (cheat, 4, 0),
        "syntax-error": (code(q3='q3 = "b'), 4, 0),
        "deleted-answer-cell": (without(answered(nb, RIGHT), "q2_answer"), 4, 0),
        "deleted-answer-and-test-cell": (
            without(answered(nb, RIGHT), "q2_answer", "q2_test"),
            None,
            0,
        ),
        "empty-file": ("", None, 0),
        "invalid-json": ('{"cells": [', None, 0),
        "not-a-notebook": ('{"hello": "world"}', None, 0),
    }


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root, config, api = fixture_course(tmp_path_factory, "cohort")

    def build() -> dict:
        plan = _cohort(released(root, FIXTURE_QUIZ))
        for student, (content, _, _) in plan.items():
            submit(root, student, FIXTURE_QUIZ, content)
        lines: list[str] = []
        outcomes = grade_all(config, jobs=2, progress=lines.append)
        return {
            "root": root,
            "api": api,
            "plan": plan,
            "lines": lines,
            "outcomes": {o.student: o for o in outcomes},
            "order": [o.student for o in outcomes],
            "submitted": [student for student, _ in find_submissions(CourseFolders.of(api))],
        }

    return cached("cohort-graded", build)


def test_the_cohort_has_at_least_twenty_submissions(cohort: dict) -> None:
    assert len(cohort["plan"]) >= 20
    assert set(cohort["outcomes"]) == set(cohort["plan"])


def test_every_submission_gets_the_score_worked_out_by_hand(cohort: dict) -> None:
    """Graded in parallel, every trainee still gets their own score, reported in order."""
    assert cohort["order"] == cohort["submitted"], "reported in submission order"
    wrong = {}
    for student, (_, expected, hand) in cohort["plan"].items():
        outcome = cohort["outcomes"][student]
        got = (outcome.score, outcome.to_grade_by_hand) if outcome.graded else (None, 0)
        if got != (expected, hand):
            wrong[student] = {"expected": (expected, hand), "got": got, "problem": outcome.problem}
    assert wrong == {}


def test_unreadable_files_are_reported_and_the_batch_goes_on(cohort: dict) -> None:
    problems = {s: o.problem for s, o in cohort["outcomes"].items() if not o.graded}
    assert problems.keys() == {
        "empty-file",
        "invalid-json",
        "not-a-notebook",
        "deleted-answer-and-test-cell",
    }
    # nbgrader 0.9 itself fails on this one (it cannot restore a test cell whose answer cell
    # is gone); the batch goes on and the report says what to do
    assert "KeyError: 'q2_answer'" in problems["deleted-answer-and-test-cell"]
    assert "Copy the two cells back" in problems["deleted-answer-and-test-cell"]
    assert "empty" in problems["empty-file"]
    assert "not valid JSON" in problems["invalid-json"]
    assert "not a notebook" in problems["not-a-notebook"]
    summary = cohort["lines"][-5:]
    assert (
        summary[0]
        == f"Graded {len(cohort['plan']) - 4} of {len(cohort['plan'])} submissions. 4 could not be graded:"
    )
    with open(cohort["root"] / "reports" / "grading_log.csv", newline="") as handle:
        log = {row["student"]: row for row in csv.DictReader(handle)}
    assert log.keys() == cohort["plan"].keys()
    assert log["empty-file"]["graded"] == "False" and log["all-right"]["score"] == "5.0"


def test_progress_shows_one_numbered_line_per_submission(cohort: dict) -> None:
    total = len(cohort["plan"])
    lines = [line for line in cohort["lines"] if line.startswith("[")]
    assert len(lines) == total
    assert lines[0].startswith(f"[1/{total}] ")
    assert any(
        line.startswith("[") and f" all-right {FIXTURE_QUIZ}: 5/8 (" in line for line in lines
    )
    assert any(
        " all-right-with-essay " in line and ": 5/8, 3 to grade by hand (" in line for line in lines
    )


def test_the_infinite_loop_is_interrupted_and_only_its_item_scores_zero(cohort: dict) -> None:
    nb = read_autograded(cohort["root"], "infinite-loop", FIXTURE_QUIZ)
    errors = [o.ename for o in cell(nb, "q2_answer")["outputs"] if o.output_type == "error"]
    assert errors and errors[0] in ("CellTimeoutError", "KeyboardInterrupt")
    assert cohort["outcomes"]["infinite-loop"].seconds >= TEST_TIMEOUT


def test_deleted_and_edited_locked_cells_are_restored_from_the_source(cohort: dict) -> None:
    source = json.loads((cohort["root"] / "source" / FIXTURE_QUIZ / "quiz.ipynb").read_text())
    restored = read_autograded(cohort["root"], "deleted-test-cell", FIXTURE_QUIZ)
    assert "was missing from the submission" in cell(restored, "q2_test")["source"]
    edited = read_autograded(cohort["root"], "edited-locked-cells", FIXTURE_QUIZ)
    assert cell(edited, "q1_test")["source"] == "".join(cell(source, "q1_test")["source"])
    assert cell(edited, "q1_question")["source"] == "".join(cell(source, "q1_question")["source"])


def test_a_wrong_answer_gets_the_explanation_in_its_feedback(cohort: dict) -> None:
    nb = read_autograded(cohort["root"], "partly-1", FIXTURE_QUIZ)
    errors = [o for o in cell(nb, "q3_test")["outputs"] if o.output_type == "error"]
    assert errors[0].ename == "AssertionError"
    assert errors[0].evalue.startswith("The right answer is b) ")
    assert "Why:" in errors[0].evalue

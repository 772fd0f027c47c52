"""The committed quizzes with real nbgrader: they validate, grade right, and give nothing away.

One course (tests/fixtures/grading_courses.py) holds every source quiz in grading/source/,
released with generate_assignment; for each quiz the source itself (solutions as written)
and the untouched release are autograded.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from fixtures.grading_courses import REPO, read_autograded, real_course

from intimacy_course.content.objectives import learning_objectives
from intimacy_course.grading.course import QUIZ_FILE, course_config, student_version
from intimacy_course.quiz.build import build_quiz
from intimacy_course.quiz.items import load_quiz

pytestmark = pytest.mark.slow


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
        assert "988" in "".join(nb["cells"][0]["source"]), "the crisis line is in the header"


def test_every_source_quiz_passes_nbgrader_validate(course: dict) -> None:
    sources = [str(course["root"] / "source" / quiz / QUIZ_FILE) for quiz in course["quizzes"]]
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


def test_every_source_quiz_autogrades_to_full_marks(course: dict) -> None:
    for quiz in course["quizzes"]:
        grades = _grades(course, f"key-{quiz}", quiz)
        autograded = {name: v for name, v in grades.items() if name.endswith("_test")}
        assert autograded, quiz
        assert {name: score for name, (score, _) in autograded.items()} == {
            name: maximum for name, (_, maximum) in autograded.items()
        }, quiz


def test_every_released_quiz_runs_unanswered_and_scores_zero(course: dict) -> None:
    for quiz in course["quizzes"]:
        outcome = course["outcomes"][(f"blank-{quiz}", quiz)]
        assert outcome.graded and outcome.score == 0, outcome
        assert outcome.to_grade_by_hand == 0, (
            "an untouched YOUR ANSWER HERE scores 0, not 'needs grading'"
        )
        nb = read_autograded(course["root"], f"blank-{quiz}", quiz)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            assert cell.execution_count is not None, (quiz, grade_id)
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if grade_id.endswith("_test"):
                # only the hidden test fails, with the explanation; the visible check ran first
                assert [e.ename for e in errors] == ["AssertionError"], (quiz, grade_id)
                assert "not answered yet" in "".join(o.get("text", "") for o in cell.outputs)
            else:
                assert errors == [], (quiz, grade_id)
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
    "choice_answer",
    "true_false_answer",
)


def test_no_released_quiz_holds_a_solution_hidden_test_or_oracle(course: dict) -> None:
    from nbgrader.utils import compute_checksum

    for quiz in course["quizzes"]:
        released = nbformat.read(course["root"] / "release" / quiz / QUIZ_FILE, as_version=4)
        items = load_quiz(REPO / "grading" / "items" / f"{quiz}.toml")
        secrets = [i.explanation for i in items.items if i.explanation]
        secrets += [i.rubric for i in items.items if i.rubric]
        secrets += [i.model_answer for i in items.items if i.model_answer]
        for cell in released.cells:
            text = cell.source + "\n" + json.dumps(cell.metadata)
            for word in FORBIDDEN:
                assert word not in text, (quiz, word, cell.source[:80])
            for secret in secrets:
                assert " ".join(secret.split())[:60] not in " ".join(text.split()), (
                    quiz,
                    secret[:40],
                )
            meta = cell.metadata.get("nbgrader", {})
            if "checksum" in meta:  # a checksum of hidden content would be an oracle
                assert meta["checksum"] == compute_checksum(cell), (quiz, meta["grade_id"])
        for item in items.items:
            if not item.autograded:
                continue
            cells = {
                c.metadata["nbgrader"]["grade_id"]: c
                for c in released.cells
                if "nbgrader" in c.metadata
            }
            answer = cells[f"{item.id}_answer"].source
            assert f'{item.id} = ""' in answer and f'"{item.answer}"' not in answer
            # the visible check's only inputs are the item's name and its list of choices
            constants = {
                node.value
                for node in ast.walk(ast.parse(cells[f"{item.id}_test"].source))
                if isinstance(node, ast.Constant)
            }
            assert constants <= {item.id, "".join(item.choices)}, (quiz, item.id, constants)
        described = released.metadata["intimacy_course"]["items"]
        assert {key for entry in described for key in entry} <= {
            "id",
            "kind",
            "objective",
            "points",
            "options",
        }


def _other_key(item):  # a quiz item with every secret changed
    if item.kind == "multiple_choice":
        letters = list(item.options)
        other = letters[(letters.index(item.answer) + 1) % len(letters)]
        return dataclasses.replace(item, answer=other, explanation="Another explanation.")
    if item.kind == "true_false":
        return dataclasses.replace(
            item,
            answer="true" if item.answer == "false" else "false",
            explanation="Another explanation.",
        )
    return dataclasses.replace(item, rubric="Another rubric.", model_answer="Another model answer.")


def test_a_released_quiz_is_identical_whatever_the_key(course: dict, tmp_path: Path) -> None:
    """The strongest no-oracle check: change every answer, and the release does not change."""
    config = course_config(course["root"], settings_from=REPO / "grading")
    for quiz in course["quizzes"]:
        items = load_quiz(REPO / "grading" / "items" / f"{quiz}.toml")
        flipped = dataclasses.replace(items, items=tuple(_other_key(i) for i in items.items))
        objectives = learning_objectives(quiz)
        versions = []
        for number, variant in enumerate((items, flipped)):
            path = tmp_path / f"{quiz}-{number}.ipynb"
            nbformat.write(build_quiz(variant, objectives), path)
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

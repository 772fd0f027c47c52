"""Do the grading commands look where nbgrader looks when an instructor renames its folders?

nbgrader lets an instructor rename every course folder (``c.CourseDirectory.source_directory``
and friends) and change their layout (``directory_structure``). The course's wrappers ask
nbgrader for every path, so a renamed course is released, graded, given feedback and
reported on exactly like the default one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intimacy_course.grading.batch import feedback_all, find_submissions, grade_all, release_all
from intimacy_course.grading.course import CourseFolders, course_config, open_api, source_quizzes
from intimacy_course.grading.report import write_report
from intimacy_course.quiz.build import write_all
from tests.support.grading_courses import FIXTURE_ITEMS, FIXTURE_QUIZ, REPO, answered

RENAMED = {
    "source_directory": "quiz_sources",
    "release_directory": "to_trainees",
    "submitted_directory": "handed_in",
    "autograded_directory": "marked",
    "feedback_directory": "returned",
}


def test_folders_follow_a_changed_directory_structure(tmp_path: Path) -> None:
    config = course_config(
        tmp_path,
        settings_from=REPO / "grading",
        CourseDirectory={
            "directory_structure": "{nbgrader_step}/{assignment_id}/{student_id}",
            **RENAMED,
        },
    )
    folders = CourseFolders.from_config(config)
    assert folders.submitted("ana", "01_x") == tmp_path / "handed_in" / "01_x" / "ana"
    assert folders.source("01_x") == tmp_path / "quiz_sources" / "01_x"
    for student in ("ana", "bo-2"):
        (folders.submitted(student, "01_x")).mkdir(parents=True)
    (tmp_path / "handed_in" / "stray.txt").write_text("not a submission")
    assert folders.assignments("submitted") == [("ana", "01_x"), ("bo-2", "01_x")]


@pytest.mark.slow
def test_a_course_with_renamed_folders_goes_through_the_whole_cycle(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    write_all(items=FIXTURE_ITEMS, grading=generated)
    root = tmp_path / "course"
    shutil.copytree(generated / "source", root / RENAMED["source_directory"])
    config = course_config(
        root, settings_from=REPO / "grading", CourseDirectory=dict(RENAMED), Execute={"timeout": 10}
    )
    folders = CourseFolders.from_config(config)
    assert config.IncludeHeaderFooter.header == str(root / "quiz_sources" / "header.ipynb")
    api = open_api(config)
    assert source_quizzes(folders) == [FIXTURE_QUIZ]

    [release] = release_all(api, progress=lambda line: None)
    assert release.released and not release.problem
    assert (root / "to_trainees" / FIXTURE_QUIZ / "quiz.ipynb").exists()

    nb = json.loads(
        (root / "to_trainees" / FIXTURE_QUIZ / "quiz.ipynb").read_text(encoding="utf-8")
    )
    path = root / "handed_in" / "ana" / FIXTURE_QUIZ / "quiz.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(answered(nb, {"q1": "b", "q2": "a"})), encoding="utf-8")
    assert find_submissions(folders) == [("ana", FIXTURE_QUIZ)]

    [outcome] = grade_all(config, progress=lambda line: None, log_csv=tmp_path / "log.csv")
    assert outcome.graded, outcome.problem
    assert outcome.score == 1
    assert (root / "marked" / "ana" / FIXTURE_QUIZ / "quiz.ipynb").exists()

    assert feedback_all(api, progress=lambda line: None) == [("ana", FIXTURE_QUIZ, True)]
    assert (root / "returned" / "ana" / FIXTURE_QUIZ / "quiz.html").exists()

    report = write_report(api, tmp_path / "report")
    assert report.grades.loc["ana", FIXTURE_QUIZ] == 1
    assert not any(
        (root / name).exists()
        for name in ("source", "release", "submitted", "autograded", "feedback")
    )

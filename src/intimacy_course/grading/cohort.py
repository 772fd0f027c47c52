"""Cohort releases: every trainee draws one item per objective, options shuffled, from a seed.

``intimacy-course release --cohort`` rebuilds the course's source quizzes from the bank (the
course's own, or a private one named by ``INTIMACY_COURSE_BANK``) for the trainees in the
gradebook, with the instructor's private seed, and without a self-check. The released notebook
then holds every variant under opaque option ids and a draw table keyed by hashed account
names; the key stays in the bank and the seed, both out of trainees' reach. The grader
recomputes each trainee's draw from the seed (:mod:`intimacy_course.grading.autograde`).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from intimacy_course import settings
from intimacy_course.errors import CourseError
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.notebook import build_quiz
from intimacy_course.quiz.paper import COHORT


def bank_folder(course_root: Path) -> Path:
    """The bank a course is marked against: ``INTIMACY_COURSE_BANK``, else ``<course>/items``."""
    return settings.bank_override() or course_root / "items"


def cohort_sources(
    source_root: Path,
    bank_dir: Path,
    seed: bytes,
    students: list[str],
    quizzes: list[str] | None = None,
) -> list[str]:
    """Write each quiz's cohort source notebook for ``students``; return the quizzes written."""
    if not students:
        raise CourseError(
            "No trainees are in the gradebook yet, so no quiz can be drawn for anyone. Add them first "
            "(nbgrader db student add NAME, or --student NAME)."
        )
    written = []
    for path in sorted(bank_dir.glob("[0-9][0-9]_*.toml")):
        bank = load_bank(path)
        if quizzes and bank.module not in quizzes:
            continue
        target = source_root / bank.module / "quiz.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_quiz(bank, COHORT, seed, tuple(sorted(set(students)))), target)
        written.append(bank.module)
    if not written:
        raise CourseError(f"No bank files (NN_topic.toml) in {bank_dir}.")
    return written

"""The feedback page a trainee gets after grading, written for learners, not for graders.

nbgrader's own feedback shows hidden tests, tracebacks and mark schemes. For a clicked quiz,
this page replaces it at the same place (``feedback/<trainee>/<quiz>/quiz.html``), so
``release_feedback`` and ``intimacy-course feedback`` hand it out as usual. Verdicts come from
the same marking as grading: the instructor's bank, the trainee's recomputed draw and the
answers file of the submission; written answers show the instructor's score once there is one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intimacy_course.grading.autograde import source_paper
from intimacy_course.grading.folders import CourseFolders
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.feedback_page import render_feedback
from intimacy_course.quiz.marking import mark
from intimacy_course.quiz.paper import (
    COHORT,
    PRACTICE_SECRET,
    draw,
    fallback_sheet,
    practice_sheet,
    student_key,
)
from intimacy_course.quiz.seed import read_seed
from intimacy_course.quiz.stored_answers import read_answers


def _written_scores(api: Any, quiz: str, student: str) -> dict[int, float | None]:
    scores: dict[int, float | None] = {}
    try:
        notebook = api.gradebook.find_submission_notebook("quiz", quiz, student)
    except Exception:  # no gradebook entry: nothing marked yet
        return scores
    for grade in notebook.grades:
        if grade.name.startswith("written_"):
            scores[int(grade.name.split("_")[1])] = (
                None if grade.needs_manual_grade else grade.score
            )
    return scores


def write_learner_feedback(api: Any, student: str, quiz: str, bank_dir: Path) -> Path | None:
    """Write the learner's page for one graded clicked quiz; None for an older quiz."""
    folders = CourseFolders.of(api)
    try:
        source = json.loads(folders.source_quiz(quiz).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    paper = source_paper(source)
    if paper is None:
        return None
    bank = load_bank(bank_dir / f"{paper['module']}.toml")
    if paper.get("mode") == COHORT:
        secret = read_seed()
        known = student_key(bank.module, student) in paper.get("draws", {})
        sheet = draw(bank, secret, student) if known else fallback_sheet(bank, secret)
    else:
        secret, sheet = PRACTICE_SECRET, practice_sheet(bank)
    stored = read_answers(folders.autograded(student, quiz), bank.module)
    results = mark(bank, secret, sheet, stored)
    by_number = _written_scores(api, quiz, student)
    written = {r.item.id: by_number.get(r.number) for r in results if not r.item.auto}
    page = render_feedback(
        str(paper.get("title", quiz)), results, practice=False, written_scores=written
    )
    target = folders.feedback_page(student, quiz)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target

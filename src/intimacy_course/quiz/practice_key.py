"""The practice key: the public bank in the learner's clone, used only by self-check.

A practice quiz is marked against the bank it was built from. On a cohort's machines the bank
is out of trainees' reach, so there is nothing to find here and self-check says the quiz is
marked by the instructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from intimacy_course.quiz.bank import Bank, BankError, load_bank
from intimacy_course.quiz.feedback_page import render_feedback
from intimacy_course.quiz.marking import ItemResult, mark
from intimacy_course.quiz.paper import PRACTICE_SECRET

if TYPE_CHECKING:
    from intimacy_course.quiz.view import QuizView


class PracticeKeyMissing(Exception):
    """No practice bank here: the quiz is marked by an instructor."""


def practice_bank(module: str) -> Bank:
    from intimacy_course.paths import grading_dir

    try:
        path = grading_dir() / "items" / f"{module}.toml"
        return load_bank(path)
    except (FileNotFoundError, BankError) as error:
        raise PracticeKeyMissing(
            "This quiz is marked by your instructor: there is no answer key on this machine."
        ) from error


def practice_marking(view: QuizView, *, reveal: bool) -> tuple[list[ItemResult], str]:
    bank = practice_bank(view.paper["module"])
    results = mark(bank, PRACTICE_SECRET, view.sheet, view.answers())
    page = render_feedback(view.paper["title"], results, practice=True, reveal_unanswered=reveal)
    return results, page

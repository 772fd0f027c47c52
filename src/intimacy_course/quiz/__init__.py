"""The quizzes: the item bank, the nbgrader source notebooks built from it, reading answers.

Kept free of heavy imports: a learner's quiz copy imports
``intimacy_course.quiz_answers`` (a thin alias of :mod:`intimacy_course.quiz.answers`) in
every form-check cell, also while nbgrader runs the notebook under a cell timeout.
Imports ``content`` only.
"""

from typing import Any


def open_quiz(paper: dict[str, Any]) -> Any:
    """The quiz of a notebook (its set-up cell's one line): see :mod:`intimacy_course.quiz.view`.

    Imported lazily so that importing the package stays light for old quiz copies.
    """
    from intimacy_course.quiz.view import open_quiz as _open_quiz

    return _open_quiz(paper)

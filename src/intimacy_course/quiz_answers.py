"""Compatibility: the old home of :mod:`intimacy_course.quiz.answers`. Add nothing here.

Every quiz copy a learner made from an earlier release (``my_work/NN_topic/quiz.ipynb``,
never overwritten) imports the form checks from this path, and so do the hidden tests that
nbgrader restores at autograde. The names are the same objects as in the new module.
"""

from intimacy_course.quiz.answers import (
    Reading,
    check_choice,
    check_true_false,
    choice_answer,
    choice_message,
    read_choice,
    read_true_false,
    true_false_answer,
    true_false_message,
)

__all__ = [
    "Reading",
    "check_choice",
    "check_true_false",
    "choice_answer",
    "choice_message",
    "read_choice",
    "read_true_false",
    "true_false_answer",
    "true_false_message",
]

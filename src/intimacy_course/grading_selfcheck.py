"""Compatibility: the old home of :mod:`intimacy_course.grading.selfcheck`. Add nothing here.

The last cell of every quiz copy a learner made from an earlier release
(``my_work/NN_topic/quiz.ipynb``, never overwritten) runs
``from intimacy_course.grading_selfcheck import self_check``.
"""

from intimacy_course.grading.selfcheck import QUIZ_FILE, default_feedback_path, self_check

__all__ = ["QUIZ_FILE", "default_feedback_path", "self_check"]

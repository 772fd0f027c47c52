"""nbgrader behind the quizzes: the course folder, release, autograde, self-check, report.

Kept free of heavy imports: a learner's quiz copy imports
``intimacy_course.grading_selfcheck`` (a thin alias of
:mod:`intimacy_course.grading.selfcheck`) in its last cell. Imports ``quiz`` and
``content``; never the journal.
"""

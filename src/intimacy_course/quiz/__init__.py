"""The quizzes: the item bank, the nbgrader source notebooks built from it, reading answers.

Kept free of heavy imports: a learner's quiz copy imports
``intimacy_course.quiz_answers`` (a thin alias of :mod:`intimacy_course.quiz.answers`) in
every form-check cell, also while nbgrader runs the notebook under a cell timeout.
Imports ``content`` only.
"""

"""The learner's side of the journal: reflection forms (ipywidgets) and the progress dashboard.

Imports ``content`` (the prompts), ``journal`` (saving and reading answers) and ``figures``
(showing a plot with alternative text); nothing imports this package but the CLI and the
thin compatibility modules ``intimacy_course.forms`` and
``intimacy_course.progress``.
"""

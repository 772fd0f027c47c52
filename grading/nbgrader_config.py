"""nbgrader configuration of the course root, ``grading/``.

Read by ``nbgrader`` run inside ``grading/``, by formgrader in a JupyterLab started at the
repository root (through the root ``nbgrader_config.py``), and by the ``intimacy-course``
grading commands, which also load it for the temporary course behind ``check``.
Paths are built from this file's location, because nbgrader opens the header notebook
relative to the current directory, which differs between those three.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

_grading = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "healthy-intimacy"
# The gradebook is grading/gradebook.db: nbgrader's default, "gradebook.db" in the course root.

# A quiz runs in well under a second; 30 s only bites on an answer cell that never ends,
# and then nbgrader interrupts that cell, scores its item 0 and goes on. Do NOT set
# interrupt_on_timeout: setting it to False makes an infinite loop drop the whole submission.
c.Execute.timeout = 30

# Each answer cell reads `q1 = ""` on a line of its own, outside the solution region, so an
# unanswered quiz runs top to bottom and scores 0. The stub replaces the solution lines
# with a plain instruction instead of nbgrader's default `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {
    "python": "# Type your answer between the quotes above, then run this cell (Shift+Enter)."
}

# A written answer is typed in a box under its question and stored in the quiz's answers
# file; grading copies it into this cell, whose released text says so.
c.ClearSolutions.text_stub = (
    "*Your written answer goes in the box above this cell; it is copied here when the quiz "
    "is graded.*"
)

# A trainee who deletes a test cell gets it back at autograde and is graded fairly.
c.OverwriteCells.add_missing_cells = True

# Every released quiz starts with the same header: how to answer, self-check, where to get help.
c.IncludeHeaderFooter.header = os.path.join(_grading, "source", "header.ipynb")

# Quizzes are single notebooks; nothing else in an assignment folder is released.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Clicked quizzes are marked from their stored answers before any trainee code runs, and
# trainee code runs in a sandbox (bubblewrap; as nobody when graded by root). Installed here,
# so intimacy-course grade and check, formgrader and plain `nbgrader autograde` all get it.
from intimacy_course.grading.autograde import configure  # noqa: E402

configure(c, _grading)

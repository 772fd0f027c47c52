"""Root nbgrader configuration: lets formgrader find the course when JupyterLab starts here.

JupyterLab is started at the repository root, and nbgrader reads ``nbgrader_config.py``
from the folder the server starts in. This file only points nbgrader at the real course
root, ``grading/``, and loads that folder's own configuration.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

_here = os.path.dirname(os.path.abspath(__file__))
_grading = os.path.join(_here, "grading")

c.CourseDirectory.root = _grading
_course_config = os.path.join(_grading, "nbgrader_config.py")
if os.path.exists(_course_config):
    load_subconfig(_course_config)  # noqa: F821
    c.CourseDirectory.root = _grading

"""nbgrader settings every account on the course's JupyterHub shares.

Found through JUPYTER_CONFIG_PATH, which the hub sets for every server it starts
(deploy/jupyterhub/jupyterhub_config.py); the values come from the hub's settings file
through environment variables, so there is one place to change them.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

# The one folder instructors and trainees share (1777; nbgrader makes its inbound folder
# write-only for trainees, so nobody can list another person's submission).
c.Exchange.root = os.environ.get("INTIMACY_EXCHANGE_ROOT", "/srv/nbgrader/exchange")

# One course per cohort. Fetched quizzes land in ~/<course_id>/<quiz>/, so a trainee who
# later joins a second cohort keeps the two apart (nbgrader's "multiple classes" layout).
c.CourseDirectory.course_id = os.environ.get("INTIMACY_COURSE_ID", "healthy-intimacy")
c.Exchange.path_includes_course = True

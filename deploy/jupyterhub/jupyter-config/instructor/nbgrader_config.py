"""nbgrader settings for instructors on the course's JupyterHub.

nbgrader's "one class, one grader" pattern: formgrader runs inside the instructor's own
JupyterLab server, on a course folder inside the instructor's home (formgrader requires
the course folder to sit under the server's root, the home). The hub passes the folder,
the gradebook and the sharing mode as environment variables (see jupyterhub_config.py).

The course's own nbgrader settings (timeouts, restored cells...) live in the course
folder's nbgrader_config.py, copied from the clone's grading/ folder; they are loaded
here so that formgrader and the command line grade the same way.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

course_root = os.path.abspath(
    os.path.expanduser(os.environ.get("INTIMACY_COURSE_ROOT", "~/course"))
)
course_config = os.path.join(course_root, "nbgrader_config.py")
if os.path.isfile(course_config):
    load_subconfig(course_config)  # noqa: F821

# After the course's own file, so that a copied config cannot point elsewhere.
c.CourseDirectory.root = course_root
c.CourseDirectory.course_id = os.environ.get("INTIMACY_COURSE_ID", "healthy-intimacy")

# Empty: nbgrader's default SQLite gradebook (course_root/gradebook.db), right for one
# instructor. Set on the hub for several graders: a PostgreSQL URL (peer authentication
# over the local socket, no password).
gradebook_url = os.environ.get("INTIMACY_GRADEBOOK_URL", "").strip()
if gradebook_url:
    c.CourseDirectory.db_url = gradebook_url

# Several graders sharing one course folder: keep nbgrader's files group-writable.
if os.environ.get("INTIMACY_GROUPSHARED"):
    c.CourseDirectory.groupshared = True

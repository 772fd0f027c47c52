"""JupyterHub for a cohort of the course on one host (the Littlest JupyterHub's shape).

Who is who comes from Unix accounts and groups, because on one host they already decide
who can read which file:

- every person logs in with their own Unix account (PAM) and their JupyterLab runs *as
  that account* (LocalProcessSpawner, hub started as root), so a trainee's home, quiz
  copies and private journal are protected by ordinary file permissions;
- members of ``instructor_group`` get nbgrader's formgrader in their own server, working
  on their own course folder; members of ``trainee_group`` get the assignment list only,
  and a copy of the course that holds no answer key (the clone's ``grading/`` is readable
  by instructors only: ``cohort_setup.py protect-course``);
- quizzes travel through nbgrader's exchange folder (``exchange_root``), the one folder
  everybody shares.

Instructors are not hub admins and not the machine's administrators. Hub admins (if any)
and root can read every file on the machine, journals included; README.md says so.

Settings live in a small TOML file (``hub.example.toml`` documents every key), found at
``$INTIMACY_HUB_SETTINGS`` or ``/etc/intimacy-course/hub.toml``; the same file and the
same code serve production and the tests (``tests/hub``).

This file is run by JupyterHub, not imported by the course: it and ``hub_settings.py``
(shared with ``cohort_setup.py``) use the standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from hub_settings import group_exists, load_settings, role_environment  # noqa: E402

S = load_settings()
STATE_DIR = Path(str(S["state_dir"]))
USER_ENV = Path(str(S["user_env"]))

# --- where the hub and its proxy listen -------------------------------------------------
c.JupyterHub.bind_url = S["bind_url"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{S['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = list(S["proxy_command"])
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")

# --- who may log in ----------------------------------------------------------------------
# PAM checks the Unix password; membership of one of the two course groups decides who is
# allowed at all. No account is ever created by the hub.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {S["instructor_group"], S["trainee_group"]}
c.LocalAuthenticator.create_system_users = False
if S["admin_group"]:
    if group_exists(str(S["admin_group"])):
        c.PAMAuthenticator.admin_groups = {S["admin_group"]}
    else:
        # PAMAuthenticator fails every login when an admin group is missing: warn instead.
        print(f"[intimacy-course] admin_group {S['admin_group']!r} does not exist; no hub admins.")

# --- each person's server, run as their own Unix account --------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = int(S["start_timeout"])
c.Spawner.http_timeout = int(S["start_timeout"])
# Nothing from the hub's (root's) environment reaches a user's server: in particular no
# INTIMACY_COURSE_DATA, so every journal lands in its owner's home (platformdirs default,
# ~/.local/share/intimacy-course).
c.Spawner.env_keep = []


def environment_for(username: str) -> dict[str, str]:
    """The environment of one user's server, decided by their Unix groups at spawn time.

    hub_settings.role_environment builds it (cohort_setup.py runs commands as an
    instructor with the same one). Trainees' servers name the trainees' copy of the course
    as INTIMACY_COURSE_REPO, never the clone: the clone's grading/ holds the answer key and
    is readable by instructors only. Raises PermissionError for an account in neither
    course group.
    """
    return role_environment(S, username)


def set_role_environment(spawner) -> None:  # JupyterHub's Spawner
    spawner.environment = environment_for(spawner.user.name)


c.Spawner.pre_spawn_hook = set_role_environment

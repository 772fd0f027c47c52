"""The hub's settings file, read the same way by the hub and by the set-up script.

``jupyterhub_config.py`` (run by JupyterHub) and ``cohort_setup.py`` (run by the
administrator) must agree on group names, folders, the gradebook and the environment each
role's processes get; both read the one TOML file and build that environment through this
module. Standard library only: the hub's Python may not have the course installed.
"""

from __future__ import annotations

import grp
import os
import pwd
import tomllib
from pathlib import Path

SETTINGS_ENV = "INTIMACY_HUB_SETTINGS"
SETTINGS_DEFAULT = "/etc/intimacy-course/hub.toml"

#: Every setting and its default; ``hub.example.toml`` explains each one.
DEFAULTS: dict[str, object] = {
    "bind_url": "http://127.0.0.1:8000",
    "hub_port": 8081,
    "proxy_api_port": 8001,
    "state_dir": "/srv/jupyterhub",
    "proxy_command": ["configurable-http-proxy"],
    "course_repo": "/opt/intimacy-course",
    "trainee_copy": "/opt/intimacy-course-trainees",
    "user_env": "/opt/intimacy-course/venv",
    "course_id": "healthy-intimacy",
    "exchange_root": "/srv/nbgrader/exchange",
    "instructor_group": "course-instructors",
    "trainee_group": "course-trainees",
    "admin_group": "",
    "course_root": "~/course",
    "groupshared": False,
    "gradebook_url": "",
    "start_timeout": 120,
}


def settings_path() -> Path:
    """``$INTIMACY_HUB_SETTINGS``, else ``/etc/intimacy-course/hub.toml``."""
    return Path(os.environ.get(SETTINGS_ENV, SETTINGS_DEFAULT))


def load_settings(path: Path | None = None) -> dict[str, object]:
    """Read the settings file over the defaults.

    An unknown key is an error (a typo must not silently fall back to a default). A
    missing file means "all defaults", unless the path was given explicitly.
    """
    explicit = path is not None or SETTINGS_ENV in os.environ
    path = path or settings_path()
    settings = dict(DEFAULTS)
    if path.is_file():
        with path.open("rb") as handle:
            given = tomllib.load(handle)
        unknown = sorted(set(given) - set(DEFAULTS))
        if unknown:
            raise ValueError(
                f"{path}: unknown setting(s) {', '.join(unknown)}. "
                f"Known settings: {', '.join(sorted(DEFAULTS))}."
            )
        settings.update(given)
    elif explicit:
        raise FileNotFoundError(f"The hub settings file {path} does not exist.")
    return settings


def unix_groups(username: str) -> set[str]:
    """Names of the Unix groups a user belongs to (primary and supplementary)."""
    account = pwd.getpwnam(username)
    names = set()
    for gid in os.getgrouplist(username, account.pw_gid):
        try:
            names.add(grp.getgrgid(gid).gr_name)
        except KeyError:
            continue
    return names


def group_exists(name: str) -> bool:
    """Whether a Unix group of that name exists."""
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


#: The folder in every home that shows the course: for a trainee a link to the trainees' copy
#: (no answer key in it); for an instructor a folder of links to the clone's notebooks whose
#: ``grading`` is the instructor's own course folder (cohort_setup.py makes both).
COURSE_LINK = "intimacy-course"
#: Jupyter settings per role (formgrader for instructors, the assignment list for trainees).
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter-config"


def config_path(*roles: str) -> str:
    """JUPYTER_CONFIG_PATH for a role: its own folder first, then the common one."""
    return os.pathsep.join(str(JUPYTER_CONFIG / role) for role in (*roles, "common"))


def course_root_of(settings: dict[str, object], home: Path) -> Path:
    """An instructor's nbgrader course folder (``course_root``, ``~`` being their home)."""
    value = str(settings["course_root"])
    if value == "~" or value.startswith("~/"):
        return home / value[2:]
    return Path(value)


def instructor_workspace(home: Path) -> Path:
    """The instructor's course tree: the clone's notebooks, and their own ``grading``."""
    return home / COURSE_LINK


def role_environment(settings: dict[str, object], username: str) -> dict[str, str]:
    """The environment of one person's server (and of commands run as them), by role.

    Decided by the account's Unix groups when it is asked for. ``INTIMACY_COURSE_REPO``
    differs by role: a trainee's names the trainees' copy, which holds no answer key; an
    instructor's names their workspace, whose ``grading`` is their own course folder (so the
    ``intimacy-course release | grade | feedback | report`` commands work on it), or the
    clone when the account has no workspace yet. Instructors' grading refuses to run
    trainees' code without the sandbox.

    Raises PermissionError for an account in neither course group (for example a hub admin
    who is not teaching): JupyterHub shows the message on the spawn page.
    """
    groups = unix_groups(username)
    env = {
        "PATH": f"{Path(str(settings['user_env'])) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "INTIMACY_COURSE_ID": str(settings["course_id"]),
        "INTIMACY_EXCHANGE_ROOT": str(settings["exchange_root"]),
    }
    if settings["instructor_group"] in groups:
        home = Path(pwd.getpwnam(username).pw_dir)
        workspace = instructor_workspace(home)
        own = workspace.is_dir() and not workspace.is_symlink()
        env["JUPYTER_CONFIG_PATH"] = config_path("instructor")
        env["INTIMACY_COURSE_REPO"] = str(workspace if own else settings["course_repo"])
        env["INTIMACY_COURSE_ROOT"] = str(settings["course_root"])
        env["INTIMACY_COURSE_REQUIRE_SANDBOX"] = "1"
        env["INTIMACY_GROUPSHARED"] = "1" if settings["groupshared"] else ""
        if settings["gradebook_url"]:
            env["INTIMACY_GRADEBOOK_URL"] = str(settings["gradebook_url"])
    elif settings["trainee_group"] in groups:
        env["JUPYTER_CONFIG_PATH"] = config_path("trainee")
        env["INTIMACY_COURSE_REPO"] = str(settings["trainee_copy"])
    else:
        raise PermissionError(
            f"{username} is in neither {settings['instructor_group']} nor "
            f"{settings['trainee_group']}; ask the administrator to add the account to one of them."
        )
    return env

"""The hub's settings file, read the same way by the hub and by the set-up script.

``jupyterhub_config.py`` (run by JupyterHub) and ``cohort_setup.py`` (run by the
administrator) must agree on group names, folders and the gradebook; both read the one
TOML file through this module. Standard library only: the hub's Python may not have the
course installed.
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

"""Every environment variable the course's helpers read, read here and nowhere else.

Each variable has a name constant and a function that reads it at call time (so a test or
a notebook that sets the variable later is still heard). The README's "Environment
variables" table lists the same names; a test checks that no other module of the package
reads ``os.environ`` itself.

| variable | read by | meaning |
| --- | --- | --- |
| ``INTIMACY_COURSE_REPO`` | paths | the course clone, when it cannot be found from the current folder |
| ``INTIMACY_COURSE_DATA`` | journal | the folder of the private journal (default: the user data folder) |
| ``INTIMACY_COURSE_TOKEN`` | lab | the server's token (default: a new random one); never a command-line option |
| ``INTIMACY_COURSE_SEEDS`` | tests | the source articles (default: ``../shared/seeds``) |
| ``CI`` | tests | ``true`` on continuous integration: a missing tool fails instead of skipping |
| ``NBGRADER_EXECUTION`` | grading | set by nbgrader while it runs a quiz; the self-check cell then does nothing |
| ``JPY_SESSION_NAME`` | grading | set by JupyterLab: the notebook a kernel belongs to |
| ``INTIMACY_COURSE_SEED_FILE`` | grading | the instructor's private cohort seed |
|  |  | (default ``~/.config/intimacy-course/cohort-seed``) |
| ``INTIMACY_COURSE_BANK`` | grading | a private item bank folder for cohort releases (default: ``grading/items``) |
| ``INTIMACY_COURSE_REQUIRE_SANDBOX`` | grading | ``1``: refuse to autograde without the sandbox |
|  |  | (set on CI and by ``grade``) |
| ``INTIMACY_COURSE_SERVER_ROOT`` | quiz | set by ``intimacy-course lab``: the server's root folder, |
|  |  | for links to feedback pages |
| ``JUPYTERHUB_USER`` | quiz | set by JupyterHub: the trainee whose quiz draw a kernel shows |
| ``JUPYTERHUB_SERVICE_PREFIX`` | quiz | set by JupyterHub: the URL prefix of the trainee's server |
| ``JUPYTER_CONFIG_PATH`` | lab | Jupyter's extra settings folders; the course's own are put first |
| ``PATH`` | grading, lab | the environment's own ``bin`` folder is put first (nbgrader runs ``alembic``) |

This module imports nothing of ours, so every layer of the package may use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ENV = "INTIMACY_COURSE_REPO"
DATA_ENV = "INTIMACY_COURSE_DATA"
TOKEN_ENV = "INTIMACY_COURSE_TOKEN"
SEEDS_ENV = "INTIMACY_COURSE_SEEDS"
CI_ENV = "CI"
NBGRADER_EXECUTION_ENV = "NBGRADER_EXECUTION"
SESSION_ENV = "JPY_SESSION_NAME"
SEED_FILE_ENV = "INTIMACY_COURSE_SEED_FILE"
BANK_ENV = "INTIMACY_COURSE_BANK"
REQUIRE_SANDBOX_ENV = "INTIMACY_COURSE_REQUIRE_SANDBOX"
SERVER_ROOT_ENV = "INTIMACY_COURSE_SERVER_ROOT"
HUB_USER_ENV = "JUPYTERHUB_USER"
HUB_PREFIX_ENV = "JUPYTERHUB_SERVICE_PREFIX"

#: Every variable above, for the README check and for ``intimacy-course`` help texts.
ALL_VARIABLES: tuple[str, ...] = (
    REPO_ENV,
    DATA_ENV,
    TOKEN_ENV,
    SEEDS_ENV,
    CI_ENV,
    NBGRADER_EXECUTION_ENV,
    SESSION_ENV,
    SEED_FILE_ENV,
    BANK_ENV,
    REQUIRE_SANDBOX_ENV,
    SERVER_ROOT_ENV,
    HUB_USER_ENV,
    HUB_PREFIX_ENV,
    "JUPYTER_CONFIG_PATH",
    "PATH",
)


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def repo_override() -> str:
    """``$INTIMACY_COURSE_REPO`` as written (empty when unset)."""
    return os.environ.get(REPO_ENV, "")


def data_override() -> Path | None:
    """``$INTIMACY_COURSE_DATA`` as an absolute path, or None when unset or blank."""
    value = _text(DATA_ENV)
    return Path(value).expanduser().absolute() if value else None


def server_token() -> str | None:
    """``$INTIMACY_COURSE_TOKEN``, or None: the server then makes a random token."""
    return os.environ.get(TOKEN_ENV) or None


def seeds_override() -> Path | None:
    """``$INTIMACY_COURSE_SEEDS`` as a path, or None when unset."""
    value = _text(SEEDS_ENV)
    return Path(value) if value else None


def on_ci() -> bool:
    """True on continuous integration (``CI=true``), where a skipped check is a failure."""
    return os.environ.get(CI_ENV) == "true"


def under_nbgrader() -> bool:
    """True while nbgrader itself executes the notebook (autograde, validate)."""
    return bool(os.environ.get(NBGRADER_EXECUTION_ENV))


def notebook_session() -> str:
    """The notebook path JupyterLab gave this kernel, or an empty string."""
    return os.environ.get(SESSION_ENV, "")


def tools_bin() -> str:
    """This Python environment's ``bin`` folder (where ``alembic`` and ``jupyter`` live)."""
    return str(Path(sys.executable).parent)


def environment_with_tools() -> dict[str, str]:
    """A copy of the environment with this environment's ``bin`` folder first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([tools_bin(), env.get("PATH", "")])
    return env


def ensure_tools_on_path() -> None:
    """Put this environment's ``bin`` folder on this process's PATH, once."""
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if tools_bin() not in parts:
        os.environ["PATH"] = os.pathsep.join([tools_bin(), *[p for p in parts if p]])


def seed_file_override() -> Path | None:
    """``$INTIMACY_COURSE_SEED_FILE`` as a path, or None when unset."""
    value = _text(SEED_FILE_ENV)
    return Path(value).expanduser() if value else None


def bank_override() -> Path | None:
    """``$INTIMACY_COURSE_BANK``: a private bank folder, or None for the course's own."""
    value = _text(BANK_ENV)
    return Path(value).expanduser() if value else None


def sandbox_required() -> bool:
    """True when grading must refuse to run trainee code without the sandbox (and on CI)."""
    return _text(REQUIRE_SANDBOX_ENV) in ("1", "true", "yes") or on_ci()


def server_root() -> Path | None:
    """The folder ``intimacy-course lab`` serves, for links a kernel writes; None elsewhere."""
    value = _text(SERVER_ROOT_ENV)
    return Path(value) if value else None


def hub_user() -> str:
    """The JupyterHub user this kernel runs for, or an empty string off the hub."""
    return _text(HUB_USER_ENV)


def hub_prefix() -> str:
    """The URL prefix of this JupyterHub server ("/" off the hub)."""
    return _text(HUB_PREFIX_ENV) or "/"


def passed_to_sandbox(names: tuple[str, ...]) -> dict[str, str]:
    """The values of ``names`` that are set: the only variables a grading sandbox receives."""
    return {name: os.environ[name] for name in names if name in os.environ}


def jupyter_config_path() -> str:
    """``$JUPYTER_CONFIG_PATH`` as set (empty when unset)."""
    return os.environ.get("JUPYTER_CONFIG_PATH", "")

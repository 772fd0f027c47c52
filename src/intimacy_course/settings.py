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

#: Every variable above, for the README check and for ``intimacy-course`` help texts.
ALL_VARIABLES: tuple[str, ...] = (
    REPO_ENV,
    DATA_ENV,
    TOKEN_ENV,
    SEEDS_ENV,
    CI_ENV,
    NBGRADER_EXECUTION_ENV,
    SESSION_ENV,
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

"""Start JupyterLab for the course: the one code path behind ``make lab`` and the tests.

The server always listens on 127.0.0.1 and always asks for a token: reflections and
quizzes are private, and a notebook server can run any code, so it must never be open to
the network or to other people on the machine without the secret.

The token never appears on a command line: every account on the machine can read every
process's command line (``ps``), so it is handed to JupyterLab in its environment
(``JUPYTER_TOKEN``), which only the same account can read. Extra JupyterLab options that
would change the address or the token are refused before start-up.
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from intimacy_course import settings
from intimacy_course.errors import CourseError, PortInUseError
from intimacy_course.lab.modes import config_path_with, write_mode_config
from intimacy_course.paths import repo_root

START_NOTEBOOK = "course/00_start_here.ipynb"
DEFAULT_PORT = 8888
HOST = "127.0.0.1"
MAX_PORT = 65535
#: JupyterLab reads its token from this variable (jupyter_server's IdentityProvider).
JUPYTER_TOKEN_VARIABLE = "JUPYTER_TOKEN"

#: JupyterLab settings (the last part of a ``--Class.name`` option, or a bare ``--name``
#: flag) that would move the server off 127.0.0.1 and the printed port, or change or
#: weaken the token. ``intimacy-course lab -- ...`` refuses them, saying why.
ADDRESS_SETTINGS = frozenset(
    {
        "ip",
        "port",
        "port_retries",
        "sock",
        "sock_mode",
        "base_url",
        "allow_remote_access",
        "local_hostnames",
        "trust_xheaders",
        "custom_display_url",
    }
)
TOKEN_SETTINGS = frozenset(
    {
        "token",
        "password",
        "hashed_password",
        "password_required",
        "allow_password_change",
        "allow_unauthenticated_access",
        "identity_provider_class",
        "authorizer_class",
        "login_handler_class",
        "logout_handler_class",
        "disable_check_xsrf",
        "allow_origin",
        "allow_origin_pat",
        "allow_credentials",
        "tornado_settings",
        "cookie_secret",
        "cookie_secret_file",
        "token_file",
    }
)


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on ``host:port`` (False also when binding is forbidden)."""
    return _bind_problem(port, host) is None


def _bind_problem(port: int, host: str = HOST) -> OSError | None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as problem:
            return problem
    return None


def check_port(port: int) -> int:
    """``port`` if the course may listen on it; a CourseError saying why not otherwise."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= MAX_PORT:
        raise CourseError(
            f"{port!r} is not a port number: use a whole number from 1 to {MAX_PORT}, "
            "0 to let the computer pick a free port, or leave --port out."
        )
    return port


def refused_extra_arguments(extra_args: list[str]) -> list[tuple[str, str]]:
    """The extra JupyterLab options that change the address or the token, with reasons."""
    refused = []
    for argument in extra_args:
        if not argument.startswith("-"):
            continue
        name = argument.lstrip("-").split("=", 1)[0]
        setting = name.rsplit(".", 1)[-1].replace("-", "_").lower()
        if setting in ADDRESS_SETTINGS:
            refused.append(
                (
                    argument,
                    f"it would change where the server listens ({HOST}, "
                    "on the port printed at start-up); use --port to choose the port",
                )
            )
        elif setting in TOKEN_SETTINGS:
            refused.append(
                (
                    argument,
                    "it would change or weaken the secret token; to choose "
                    f"the token, set {settings.TOKEN_ENV} in the environment",
                )
            )
        elif setting in ("config", "generate_config"):
            refused.append(
                (
                    argument,
                    "a configuration file could change the address or the "
                    "token; pass the individual options you need instead",
                )
            )
    return refused


def check_extra_arguments(extra_args: list[str]) -> list[str]:
    """``extra_args`` unchanged, or a CourseError naming each refused option and why."""
    refused = refused_extra_arguments(extra_args)
    if refused:
        reasons = "; ".join(f"{argument}: {reason}" for argument, reason in refused)
        raise CourseError(
            f"Refused before start-up, nothing was started: {reasons}. The course server "
            f"always listens on {HOST} only and always asks for its secret token."
        )
    return extra_args


#: Shorter tokens are refused: the token is all that keeps other accounts out.
MIN_TOKEN_LENGTH = 16


def check_token(token: str | None) -> str | None:
    """``token`` if it is long enough to be secret (None: a random one will be made)."""
    if token is not None and (len(token) < MIN_TOKEN_LENGTH or token != token.strip()):
        raise CourseError(
            f"The token in {settings.TOKEN_ENV} is too short to keep other accounts out "
            f"(it needs {MIN_TOKEN_LENGTH} characters or more, without spaces at either "
            "end). Set a longer one, or unset the variable for a new random token."
        )
    return token


def running_as_root() -> bool:
    """True when this process runs as the administrator account (uid 0)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


ROOT_WARNING = (
    "Warning: the course is running as root, the administrator account: code run in its "
    "notebooks can change anything on this computer; start it from your own ordinary "
    "account instead."
)


def free_port(host: str = HOST) -> int:
    """A port that the operating system says is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class LabLaunch:
    """Everything needed to start the server and to tell the user where it is."""

    port: int
    token: str
    root: Path
    open_browser: bool = True
    extra_args: list[str] = field(default_factory=list)
    instructor: bool = False

    @property
    def url(self) -> str:
        """The address that opens the course at its first notebook, token included."""
        return f"http://{HOST}:{self.port}/lab/tree/{START_NOTEBOOK}?token={self.token}"

    def argv(self) -> list[str]:
        """The ``jupyter lab`` command line (without the token: see :meth:`env`)."""
        args = [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            f"--ServerApp.default_url=/lab/tree/{START_NOTEBOOK}",
            f"--ServerApp.open_browser={self.open_browser}",
            "--FileContentsManager.pre_save_hook=intimacy_course.lab.save_hook.strip_course_notebook",
            "--LabApp.custom_css=True",
        ]
        if running_as_root():
            args.append("--allow-root")
        return args + list(self.extra_args)

    def env(self) -> dict[str, str]:
        """The server's environment: this environment's ``bin`` first on PATH.

        nbgrader runs ``alembic`` as a subprocess when it opens a gradebook, so formgrader
        fails unless the environment's own ``bin`` folder is on PATH. Kernels learn the
        server's root folder, so a quiz can link its feedback page as ``/files/...``. The
        token travels here, in ``JUPYTER_TOKEN``: a process's environment can be read only
        by its own account, its command line by every account.
        """
        env = {**settings.environment_with_tools(), settings.SERVER_ROOT_ENV: str(self.root)}
        env["JUPYTER_CONFIG_PATH"] = config_path_with(write_mode_config(self.root, self.instructor))
        env.pop("JUPYTER_TOKEN_FILE", None)
        env[JUPYTER_TOKEN_VARIABLE] = self.token
        return env


def plan_lab(
    port: int | None = None,
    token: str | None = None,
    open_browser: bool = True,
    extra_args: list[str] | None = None,
    instructor: bool = False,
) -> LabLaunch:
    """Choose port and token. With no port given, 8888 if free, else any free port.

    Port 0 means "any free port": one is chosen here, so the address printed at start-up
    is the one the server listens on.
    """
    if port is None:
        port = DEFAULT_PORT if port_is_free(DEFAULT_PORT) else free_port()
    elif check_port(port) == 0:
        port = free_port()
    else:
        problem = _bind_problem(port)
        if problem is not None and problem.errno == errno.EACCES:
            raise CourseError(
                f"Port {port} is reserved for the administrator on this computer (ports "
                "below 1024 usually are). Choose a port from 1024 to 65535 with --port, or "
                "leave it out and a free port is picked for you."
            )
        if problem is not None:
            raise PortInUseError(
                f"Port {port} is already in use. Choose another with --port, or leave it out "
                "and a free port is picked for you."
            )
    check_extra_arguments(list(extra_args or []))
    return LabLaunch(
        port=port,
        token=check_token(token or settings.server_token()) or secrets.token_urlsafe(24),
        root=repo_root(),
        open_browser=open_browser,
        extra_args=list(extra_args or []),
        instructor=instructor,
    )


def run_lab(launch: LabLaunch) -> None:
    """Print where the course is, then become the JupyterLab process (never returns).

    Replacing this process with JupyterLab's means Ctrl-C and a terminating signal reach
    the server directly, so it always shuts its kernels down cleanly.
    """
    print("The course is starting. Open it in your browser at:", flush=True)
    print(f"    {launch.url}", flush=True)
    print("Stop the server with Ctrl-C (twice) in this terminal.", flush=True)
    sys.stdout.flush()
    os.chdir(launch.root)
    os.execve(sys.executable, launch.argv(), launch.env())

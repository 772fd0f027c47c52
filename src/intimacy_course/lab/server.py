"""Start JupyterLab for the course: the one code path behind ``make lab`` and the tests.

The server always listens on 127.0.0.1 and always asks for a token: reflections and
quizzes are private, and a notebook server can run any code, so it must never be open to
the network or to other people on the machine without the secret.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from intimacy_course import settings
from intimacy_course.errors import PortInUseError
from intimacy_course.paths import repo_root

START_NOTEBOOK = "course/00_start_here.ipynb"
DEFAULT_PORT = 8888
HOST = "127.0.0.1"


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


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

    @property
    def url(self) -> str:
        """The address that opens the course at its first notebook, token included."""
        return f"http://{HOST}:{self.port}/lab/tree/{START_NOTEBOOK}?token={self.token}"

    def argv(self) -> list[str]:
        """The ``jupyter lab`` command line."""
        args = [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--ServerApp.default_url=/lab/tree/{START_NOTEBOOK}",
            f"--ServerApp.open_browser={self.open_browser}",
            "--FileContentsManager.pre_save_hook=intimacy_course.lab.save_hook.strip_course_notebook",
            "--LabApp.custom_css=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        return args + list(self.extra_args)

    def env(self) -> dict[str, str]:
        """The server's environment: this environment's ``bin`` first on PATH.

        nbgrader runs ``alembic`` as a subprocess when it opens a gradebook, so formgrader
        fails unless the environment's own ``bin`` folder is on PATH.
        """
        return settings.environment_with_tools()


def plan_lab(
    port: int | None = None,
    token: str | None = None,
    open_browser: bool = True,
    extra_args: list[str] | None = None,
) -> LabLaunch:
    """Choose port and token. With no port given, 8888 if free, else any free port."""
    if port is None:
        port = DEFAULT_PORT if port_is_free(DEFAULT_PORT) else free_port()
    elif not port_is_free(port):
        raise PortInUseError(
            f"Port {port} is already in use. Choose another with --port, or leave it out "
            "and a free port is picked for you."
        )
    return LabLaunch(
        port=port,
        token=token or settings.server_token() or secrets.token_urlsafe(24),
        root=repo_root(),
        open_browser=open_browser,
        extra_args=list(extra_args or []),
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

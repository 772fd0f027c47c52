"""Start the course's JupyterLab for tests exactly as ``make lab`` does, and stop it cleanly.

The server is started through ``intimacy-course lab`` (the one code path behind
``make lab``), on a free port with a random token, in a private HOME with its own Jupyter
user folders and journal folder, so a test run never reads or writes a real user's
settings or private journal. It still serves the real repository: autosave is off and
checkpoint copies go to the private HOME, so tests never write into course files.
Used by tests/test_server.py and by the browser tests in tests/e2e/.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from intimacy_course.lab.server import free_port
from tests.support import REPO

VENV_BIN = Path(sys.executable).parent
COMMAND = VENV_BIN / "intimacy-course"

#: Folders of hand-written course files that a test must never change.
PROTECTED = ("course", "workbook", "grading/source")

#: JupyterLab user settings for the test user (the private JUPYTER_CONFIG_DIR).
#: - autosave off: the server serves the real repository; a notebook that autosaves after
#:   "run all" would write outputs into course/*.ipynb;
#: - no news or update pop-ups covering the page (the course sets these too);
#: - every cell rendered (no virtual windowing), so figures and the accessibility check see
#:   the whole notebook, not only what is scrolled into view.
USER_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def write_user_settings(settings_dir: Path, settings: dict[str, dict[str, object]]) -> None:
    """Write JupyterLab user settings files (``<package>/<plugin>.jupyterlab-settings``)."""
    for plugin_id, values in settings.items():
        package, plugin = plugin_id.split(":")
        path = settings_dir / package / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")


@dataclass
class LabServer:
    """A running course server: where it is, its secret, its process and its log."""

    port: int
    token: str
    home: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def journal_dir(self) -> Path:
        return Path(self.env["INTIMACY_COURSE_DATA"])

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    startup_seconds: float = 0.0

    def get(self, path: str, token: bool = True, timeout: float = 10) -> tuple[int, bytes]:
        """GET ``path``, with or without the token; returns (status, raw body)."""
        request = urllib.request.Request(self.base_url + path)
        if token:
            request.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, method: str, path: str, timeout: float = 10) -> tuple[int, object]:
        """Call the server's REST API with the token; returns (status, parsed JSON or None)."""
        request = urllib.request.Request(self.base_url + path, method=method)
        request.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
                return response.status, json.loads(body) if body.strip() else None
        except urllib.error.HTTPError as error:
            return error.code, None

    def shutdown_all_sessions(self) -> int:
        """Shut down every kernel session, so kernels from one test do not eat the next's CPU."""
        status, sessions = self.api("GET", "/api/sessions")
        if status != 200 or not isinstance(sessions, list):
            return 0
        for session in sessions:
            self.api("DELETE", f"/api/sessions/{session['id']}")
        return len(sessions)

    def saves_of_protected_files(self) -> list[str]:
        """Lines of the server log that record a save inside a protected course folder."""
        lines = []
        for line in self.log().splitlines():
            if "Saving file at" in line:
                saved = line.split("Saving file at", 1)[1].strip().lstrip("/")
                if any(saved.startswith(folder + "/") for folder in PROTECTED):
                    lines.append(line.strip())
        return lines


def server_env(home: Path) -> dict[str, str]:
    """The environment of a learner whose HOME, Jupyter folders and journal are all private."""
    env = dict(os.environ)
    for name in ("JUPYTER_PATH", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        # Only the per-user folders move; the environment's own share/jupyter (labextensions,
        # the nbgrader and widgets extensions) is still found through sys.prefix.
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        INTIMACY_COURSE_DATA=str(home / "journal-data"),
        PATH=os.pathsep.join([str(VENV_BIN), env.get("PATH", "")]),
        PYTHONUNBUFFERED="1",
    )
    env.pop("MPLBACKEND", None)  # the kernel must use the notebook's own inline backend
    return env


def start_lab(
    home: Path,
    log_path: Path,
    timeout: float = 60,
    port: int | None = None,
    token: str | None = None,
    instructor: bool = True,
) -> LabServer:
    """Start ``intimacy-course lab`` and wait until ``/api/status`` answers with the token.

    ``instructor`` (the default here, since most server tests reach formgrader) starts
    ``intimacy-course lab --instructor``; learners' servers are tested with it False.
    The token (default: a new random one) goes in the environment (INTIMACY_COURSE_TOKEN),
    never on a command line. With ``port=0`` the server picks a free port, read back from
    the address it prints.
    """
    env = server_env(home)
    write_user_settings(Path(env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings", USER_SETTINGS)
    checkpoints = home / "checkpoints"
    port = free_port() if port is None else port
    token = token or secrets.token_urlsafe(24)
    env["INTIMACY_COURSE_TOKEN"] = token
    argv = [
        str(COMMAND),
        "lab",
        "--no-browser",
        *(["--instructor"] if instructor else []),
        "--port",
        str(port),
        "--",
        "--LabApp.expose_app_in_browser=True",
        # JupyterLab makes a checkpoint copy of every notebook it opens, in a
        # .ipynb_checkpoints folder beside it: keep those out of the repository.
        f"--FileCheckpoints.checkpoint_dir={checkpoints}",
    ]
    log_file = open(log_path, "wb")  # noqa: SIM115 - the server writes to it until stopped
    process = subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: kernels are stopped with it
    )
    log_file.close()
    server = LabServer(
        port=port, token=token, home=home, process=process, log_path=log_path, env=env
    )
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(
                f"`{' '.join(argv[:2])} ...` exited with code {process.returncode} before "
                f"answering. Server log ({log_path}):\n{server.log()}"
            )
        if server.port == 0:
            printed = re.search(r"http://127\.0\.0\.1:(\d+)/lab", server.log())
            if printed is None:
                time.sleep(0.1)
                continue
            server.port = int(printed.group(1))
        try:
            status, _ = server.api("GET", "/api/status", timeout=2)
            if status == 200:
                server.startup_seconds = time.monotonic() - started
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    stop_lab(server)
    raise TimeoutError(
        f"JupyterLab did not answer /api/status within {timeout} s. "
        f"Server log ({log_path}):\n{server.log()}"
    )


def stop_lab(server: LabServer, grace: float = 15) -> None:
    """SIGTERM (JupyterLab then shuts its kernels down), then SIGKILL the group if needed."""
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    # Kernels left behind by a killed server are in the same process group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


class CommandLineWatch:
    """Reads /proc/*/cmdline of every process, over and over, in a background thread."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret
        self.sightings: list[str] = []
        self.scans = 0
        self.processes_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> CommandLineWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def scan(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                    command = handle.read()
            except OSError:  # the process ended meanwhile
                continue
            self.processes_seen.add(int(entry.name))
            if self.secret in command:
                self.sightings.append(command.replace(b"\0", b" ").decode(errors="replace"))
        self.scans += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.scan()
            time.sleep(0.02)


@dataclass
class WatchedStart:
    """What the watcher saw while the server started and ran one kernel."""

    watch: CommandLineWatch
    #: The status of the request that started a kernel (201 when it started).
    kernel_started: int = 0
    #: What `ps` listed while that kernel ran.
    ps_listing: str = ""

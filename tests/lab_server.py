"""Start the course's JupyterLab for tests exactly as ``make lab`` does, and stop it cleanly."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from intimacy_course.server import free_port

REPO = Path(__file__).resolve().parents[1]
COMMAND = str(Path(sys.executable).parent / "intimacy-course")


@dataclass
class RunningLab:
    """A server started by the tests: where it is, its secret and its process."""

    port: int
    token: str
    process: subprocess.Popen[str]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, token: bool = True, timeout: float = 10) -> tuple[int, bytes]:
        """GET a path on the server; returns (status, body) without raising on HTTP errors."""
        request = urllib.request.Request(self.base_url + path)
        if token:
            request.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_until_ready(lab: RunningLab, timeout: float = 90) -> float:
    """Poll /api/status with the token until it answers 200; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if lab.process.poll() is not None:
            raise RuntimeError(f"the server exited with {lab.process.returncode}:\n{lab.log()}")
        try:
            status, _ = lab.get("/api/status", timeout=2)
            if status == 200:
                return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"the server did not answer within {timeout} s:\n{lab.log()}")


def stop(lab: RunningLab, timeout: float = 30) -> int:
    """Ask the server to shut down (SIGTERM, as Ctrl-C would), then make sure it is gone."""
    if lab.process.poll() is None:
        lab.process.send_signal(signal.SIGTERM)
        try:
            lab.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            lab.process.kill()
            lab.process.wait()
    return lab.process.returncode


@contextmanager
def running_lab(workdir: Path, extra_jupyter_args: list[str] | None = None,
                env: dict[str, str] | None = None) -> Iterator[RunningLab]:
    """Run ``intimacy-course lab --no-browser`` on a free port with a fresh token.

    ``workdir`` holds the server's log; HOME and the journal come from the caller's
    environment (the test session points both at temporary folders).
    """
    port, token = free_port(), secrets.token_hex(16)
    log_path = workdir / "lab-server.log"
    argv = [COMMAND, "lab", "--no-browser", "--port", str(port), "--token", token]
    if extra_jupyter_args:
        argv += ["--", *extra_jupyter_args]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            argv, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})}, start_new_session=True,
        )
    lab = RunningLab(port=port, token=token, process=process, log_path=log_path)
    try:
        lab.startup_seconds = wait_until_ready(lab)  # type: ignore[attr-defined]
        yield lab
    finally:
        stop(lab)

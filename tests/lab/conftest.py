"""One instructor's course server for the lab tests, watched from before it starts.

Starting JupyterLab costs seconds, so the server tests, the token tests and the instructor's
mode test share one (``pytest.mark.xdist_group("lab-server")`` keeps them on one worker).
It is started as `make lab` would start it for an instructor, on port 0 (the server picks a
free port and prints it) and with a token handed over in the environment. A watcher reads
every process's command line from before start-up until the server has run a kernel, so
the token test can say whether the secret ever showed.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.support.lab_server import CommandLineWatch, LabServer, WatchedStart, start_lab, stop_lab


@pytest.fixture(scope="session")
def instructor_lab(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LabServer, WatchedStart]]:
    """`intimacy-course lab --instructor --port 0`, watched until it has run a kernel."""
    home = tmp_path_factory.mktemp("instructor-lab")
    token = secrets.token_urlsafe(24)
    watch = CommandLineWatch(token.encode()).start()
    server = start_lab(home, log_path=home / "lab-server.log", port=0, token=token)
    seen = WatchedStart(watch)
    try:
        status, kernel = server.api("POST", "/api/kernels")  # one more process to read
        seen.kernel_started = status
        if status == 201:
            try:
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline:
                    watch.scan()
                    time.sleep(0.05)
                seen.ps_listing = subprocess.run(
                    ["ps", "-eo", "args"], capture_output=True, text=True, check=False
                ).stdout
            finally:
                server.api("DELETE", f"/api/kernels/{kernel['id']}")
        watch.stop()  # the rest of the session does not pay for a busy watcher
        yield server, seen
    finally:
        watch.stop()
        stop_lab(server)

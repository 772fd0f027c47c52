"""Does the course server's secret stay off every command line, and is its address honest?

Any account on the machine can read any process's command line (``ps``, or
``/proc/*/cmdline``); with the server's token it could start a kernel as the learner and
read their journal. So the token must reach JupyterLab some other way (its environment),
and the test reads every process's command line, from start-up until the server has
started a kernel, looking for it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from intimacy_course.lab.server import (
    JUPYTER_TOKEN_VARIABLE,
    ROOT_WARNING,
    free_port,
    plan_lab,
)
from tests.support.lab_server import COMMAND, LabServer, WatchedStart

pytestmark = pytest.mark.xdist_group("lab-server")  # shares tests/lab/conftest.py's server


def test_the_token_is_on_no_command_line_while_the_server_runs(
    instructor_lab: tuple[LabServer, WatchedStart],
) -> None:
    server, seen = instructor_lab
    assert seen.kernel_started == 201, "the server started no kernel to watch"
    assert seen.watch.scans > 20 and len(seen.watch.processes_seen) > 3
    assert seen.watch.sightings == []
    assert seen.ps_listing and server.token not in seen.ps_listing
    assert server.get("/api/status")[0] == 200, "the token still works: it reached the server"
    assert server.get("/api/status", token=False)[0] in (401, 403)


def test_port_0_prints_the_port_the_server_listens_on(
    instructor_lab: tuple[LabServer, WatchedStart],
) -> None:
    server, _ = instructor_lab
    assert server.port != 0
    assert f"http://127.0.0.1:{server.port}/lab/tree/course/00_start_here.ipynb" in server.log()
    assert server.get("/api/status")[0] == 200


def test_the_launch_hands_the_token_over_in_the_environment() -> None:
    launch = plan_lab(port=0, open_browser=False)
    assert launch.port != 0
    assert launch.token not in " ".join(launch.argv())
    assert launch.env()[JUPYTER_TOKEN_VARIABLE] == launch.token and len(launch.token) >= 24
    assert "--ServerApp.ip=127.0.0.1" in launch.argv()


def run_lab_command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), "lab", "--no-browser", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_running_as_root_gives_one_clear_warning_line() -> None:
    with socket.socket() as busy:  # a taken port stops the command right after the warning
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_lab_command("--port", str(busy.getsockname()[1]))
    assert result.returncode != 0 and "already in use" in result.stderr
    lines = [line for line in result.stderr.splitlines() if "running as root" in line]
    if os.geteuid() == 0:
        assert lines == [ROOT_WARNING]
    else:
        assert lines == []


@pytest.mark.parametrize(
    "extra",
    [
        ["--ip=0.0.0.0"],
        ["--ServerApp.ip", "0.0.0.0"],
        ["--ServerApp.port=9999"],
        ["--IdentityProvider.token="],
        ["--ServerApp.token=guessable"],
        ["--PasswordIdentityProvider.hashed_password=x"],
        ["--ServerApp.allow_remote_access=True"],
        ["--config=/tmp/elsewhere.py"],
    ],
)
def test_extra_options_that_change_the_address_or_token_are_refused_before_start_up(
    extra: list[str],
) -> None:
    started = time.monotonic()
    result = run_lab_command("--port", str(free_port()), "--", *extra)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert f"Refused before start-up, nothing was started: {extra[0]}" in result.stderr
    assert "Set-up" not in result.stdout, "refused before the set-up steps run"
    assert time.monotonic() - started < 30

"""`make lab`'s server: private by default, serves the course, carries nbgrader's extensions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from intimacy_course import settings
from intimacy_course.lab.server import HOST, plan_lab
from tests.support.lab_server import COMMAND, LabServer, WatchedStart, start_lab, stop_lab

VENV_BIN = Path(sys.executable).parent


pytestmark = pytest.mark.xdist_group("lab-server")  # shares tests/lab/conftest.py's server


@pytest.fixture
def lab(instructor_lab: tuple[LabServer, WatchedStart]) -> LabServer:
    """The shared instructor's server (tests/lab/conftest.py)."""
    return instructor_lab[0]


def test_server_answers_its_status_api_with_the_token(lab: LabServer) -> None:
    status, body = lab.get("/api/status")
    assert status == 200
    assert "started" in json.loads(body)
    print(f"server answered /api/status after {lab.startup_seconds:.1f} s")


def test_server_refuses_requests_without_the_token(lab: LabServer) -> None:
    status, _ = lab.get("/api/contents/course", token=False)
    assert status == 403
    status, _ = lab.get("/api/status", token=False)
    assert status in (401, 403)


def test_server_listens_only_on_loopback(lab: LabServer) -> None:
    connections = (
        subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
        if Path("/usr/bin/ss").exists() or Path("/bin/ss").exists()
        else ""
    )
    if not connections:
        pytest.skip("`ss` is not available to list listening sockets")
    ours = [line for line in connections.splitlines() if f":{lab.port} " in line]
    assert ours, connections
    assert all(f"{HOST}:{lab.port}" in line for line in ours), ours


def test_server_serves_the_start_notebook(lab: LabServer) -> None:
    status, body = lab.get("/api/contents/course/00_start_here.ipynb")
    assert status == 200
    model = json.loads(body)
    assert model["type"] == "notebook"
    first_cell = model["content"]["cells"][0]["source"]
    assert first_cell.lstrip().startswith("#")
    status, page = lab.get("/lab/tree/course/00_start_here.ipynb")
    assert status == 200 and b"JupyterLab" in page


def test_the_printed_address_opens_the_start_notebook(lab: LabServer) -> None:
    log = lab.log()
    assert (
        f"http://127.0.0.1:{lab.port}/lab/tree/course/00_start_here.ipynb?token={lab.token}" in log
    )


def test_nbgrader_lab_extension_is_installed_and_enabled() -> None:
    listing = subprocess.run(
        [str(VENV_BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True
    )
    lines = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr).splitlines()
    nbgrader = [line for line in lines if "@jupyter/nbgrader" in line]
    assert nbgrader, "\n".join(lines)
    assert "enabled" in nbgrader[0] and "OK" in nbgrader[0], nbgrader[0]


def test_nbgrader_server_extensions_load(lab: LabServer) -> None:
    listing = subprocess.run(
        [str(VENV_BIN / "jupyter"), "server", "extension", "list"], capture_output=True, text=True
    )
    lines = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr).splitlines()
    for extension in (
        "nbgrader.server_extensions.formgrader",
        "nbgrader.server_extensions.assignment_list",
        "nbgrader.server_extensions.course_list",
        "nbgrader.server_extensions.validate_assignment",
    ):
        mentions = [line for line in lines if line.strip().startswith(extension)]
        assert any("enabled" in line for line in mentions), f"{extension} is not enabled"
        assert any(line.rstrip().endswith("OK") for line in mentions), f"{extension} fails to load"


def test_formgrader_through_the_server_sees_the_course_quizzes(lab: LabServer, repo: Path) -> None:
    sources = (
        sorted(
            p.name for p in (repo / "grading" / "source").iterdir() if (p / "quiz.ipynb").exists()
        )
        if (repo / "grading" / "source").exists()
        else []
    )
    if not sources:
        pytest.skip("no quiz sources in grading/source yet")
    status, body = lab.get("/formgrader/api/assignments", timeout=60)
    assert status == 200, body[:500]
    names = {assignment["name"] for assignment in json.loads(body)}
    assert set(sources) <= names, (sources, names)


def test_a_busy_port_gets_a_clear_message(lab: LabServer) -> None:
    result = subprocess.run(
        [str(COMMAND), "lab", "--no-browser", "--port", str(lab.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"Port {lab.port} is already in use" in result.stderr


def test_plan_lab_always_binds_loopback_with_a_token() -> None:
    launch = plan_lab(open_browser=False)
    argv = " ".join(launch.argv())
    assert "--ServerApp.ip=127.0.0.1" in argv
    assert launch.token not in argv, "the token is never on a command line"
    assert launch.env()["JUPYTER_TOKEN"] == launch.token and len(launch.token) >= 24


def test_server_stops_cleanly(tmp_path: Path) -> None:
    server = start_lab(tmp_path, log_path=tmp_path / "lab-server.log")
    stop_lab(server)
    assert server.process.returncode == 0, server.log()[-2000:]


def test_kernels_learn_the_server_root_for_feedback_links() -> None:
    """A quiz's kernel links its feedback page as /files/<path under the server's root>."""
    launch = plan_lab(open_browser=False)
    assert launch.env()[settings.SERVER_ROOT_ENV] == str(launch.root)

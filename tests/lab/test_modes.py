"""Does a learner's JupyterLab hide the instructor tools, and does the instructor's show them
without warnings? Does the course terminal find the course's commands?"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from intimacy_course.lab.modes import INSTRUCTOR_PLUGINS, write_mode_config
from tests.support.lab_server import LabServer, WatchedStart, start_lab, stop_lab

pytestmark = pytest.mark.xdist_group("lab-server")  # shares tests/lab/conftest.py's server


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    home = tmp_path_factory.mktemp("learner")
    server = start_lab(home, log_path=home / "lab.log", instructor=False)
    yield server
    stop_lab(server)


def _page_config(server: LabServer) -> dict:
    status, body = server.get("/lab", timeout=60)
    assert status == 200
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
        body.decode(),
        re.DOTALL,
    )
    assert match, "JupyterLab's page carries its page config"
    return json.loads(match.group(1))


def test_a_learner_sees_no_instructor_tools(learner_lab: LabServer) -> None:
    disabled = _page_config(learner_lab).get("disabledExtensions", [])
    for plugin in INSTRUCTOR_PLUGINS:
        assert plugin in disabled, plugin
    status, _ = learner_lab.get("/formgrader", timeout=30)
    assert status == 404, "formgrader is not served to a learner"
    assert "[C " not in learner_lab.log() and "Unwritable directory" not in learner_lab.log()
    journal = Path(learner_lab.env["INTIMACY_COURSE_DATA"])
    assert not journal.exists() or oct(journal.stat().st_mode & 0o777) == "0o700", (
        "the journal folder stays private"
    )
    assert (
        not journal.exists()
        or [p.name for p in journal.iterdir() if p.name.startswith("lab")] == []
    )


def test_the_instructors_lab_shows_formgrader_without_an_exchange_warning(
    instructor_lab: tuple[LabServer, WatchedStart],
) -> None:
    server, _ = instructor_lab
    disabled = _page_config(server).get("disabledExtensions", [])
    assert not [p for p in INSTRUCTOR_PLUGINS if p in disabled]
    status, body = server.get("/formgrader/api/assignments", timeout=60)
    assert status == 200, body[:300]
    status, body = server.get("/formgrader", timeout=60)
    assert status == 200 and b"does not exist" not in body
    assert "Unwritable directory" not in server.log()


def test_the_course_terminal_finds_intimacy_course_after_a_login_style_reset(
    tmp_path: Path,
) -> None:
    folder = write_mode_config(tmp_path, instructor=False)
    server_config = json.loads((folder / "jupyter_server_config.json").read_text())
    shell = server_config["ServerApp"]["terminado_settings"]["shell_command"]
    # Like Debian's /etc/profile, start from a PATH that knows nothing of the course.
    env = {"HOME": str(tmp_path), "PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": "dumb"}
    run = subprocess.run(
        [*shell, "-c", "command -v intimacy-course"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("/intimacy-course")
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
    assert "share" not in folder.parts, "kept out of the journal's folder"

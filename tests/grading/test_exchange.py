"""With an nbgrader exchange configured (a hub's shared folder), does the whole cycle run?

release -> trainee fetches and submits with the real `nbgrader` commands -> grade collects and
autogrades -> feedback is generated and released back through the exchange.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intimacy_course.grading.batch import feedback_all, grade_all, release_all
from intimacy_course.grading.course import exchange_configured, open_api
from tests.support.grading_courses import FIXTURE_QUIZ, answered, new_course

pytestmark = pytest.mark.slow


def _trainee(command: str, home: Path, exchange: Path) -> None:
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            command,
            FIXTURE_QUIZ,
            "--course",
            "healthy-intimacy",
            f"--Exchange.root={exchange}",
        ],
        cwd=home,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_release_collect_grade_and_feedback_through_an_exchange(tmp_path: Path) -> None:
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    root, config = new_course(tmp_path / "course", Exchange={"root": str(exchange)})
    assert exchange_configured(config)
    api = open_api(config)

    [released] = release_all(api, progress=lambda line: None)
    assert released.to_exchange and not released.problem
    assert (exchange / "healthy-intimacy" / "outbound" / FIXTURE_QUIZ / "quiz.ipynb").exists()

    home = tmp_path / "trainee"
    home.mkdir()
    _trainee("fetch_assignment", home, exchange)
    fetched = home / FIXTURE_QUIZ / "quiz.ipynb"
    nb = answered(json.loads(fetched.read_text()), {"q1": "b", "q2": "c", "q3": "a"})
    fetched.write_text(json.dumps(nb))
    _trainee("submit", home, exchange)

    lines: list[str] = []
    [outcome] = grade_all(config, progress=lines.append)
    assert outcome.graded and outcome.score == 2, (outcome, lines)
    assert (root / "submitted" / outcome.student / FIXTURE_QUIZ / "quiz.ipynb").exists()

    assert feedback_all(api, progress=lambda line: None) == [(outcome.student, FIXTURE_QUIZ, True)]
    assert list((exchange / "healthy-intimacy" / "feedback").glob("*.html"))

"""Is grading/ a course nbgrader and formgrader find, and does the grader see the rubric?"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intimacy_course.paths import MODULES
from tests.support.grading_courses import FIXTURE_QUIZ, REPO, small_cohort

# One worker builds the small graded cohort test_course and test_report share.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-small-cohort")]

_PROBE = """
import json
from nbgrader.apps.baseapp import NbGrader
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

def describe(config):
    course = CourseDirectory(config=config)
    return {"root": course.root, "course_id": course.course_id, "db_url": course.db_url,
            "header": config.IncludeHeaderFooter.header,
            "stub": config.ClearSolutions.code_stub["python"],
            "timeout": config.Execute.timeout,
            "add_missing_cells": config.OverwriteCells.add_missing_cells,
            "interrupt_set": "interrupt_on_timeout" in config.Execute,
            "assignments": sorted(NbGraderAPI(config=config).get_source_assignments())}

app = NbGrader()
app.load_config_file()
print(json.dumps({"nbgrader": describe(app.config), "formgrader": describe(FormgradeExtension().load_config())}))
"""


@pytest.mark.parametrize("start", ["repository root", "grading"])
def test_nbgrader_and_formgrader_find_the_course(start: str) -> None:
    cwd = REPO if start == "repository root" else REPO / "grading"
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    run = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    grading = REPO / "grading"
    for who in ("nbgrader", "formgrader"):
        course = seen[who]
        assert Path(course["root"]) == grading, who
        assert course["course_id"] == "healthy-intimacy"
        assert course["db_url"] == f"sqlite:///{grading / 'gradebook.db'}"
        assert Path(course["header"]) == grading / "source" / "header.ipynb"
        assert "raise" not in course["stub"], "an unanswered quiz must run top to bottom"
        assert course["add_missing_cells"] is True and course["interrupt_set"] is False
        assert course["timeout"] >= 10
        assert course["assignments"] == sorted(MODULES), "header.ipynb is not an assignment"


def test_formgrader_shows_the_rubric_above_the_trainees_answer(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Render an autograded submission the way formgrader's submission page does."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    root, _, _ = small_cohort(tmp_path_factory)
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {
        "assignment_id": FIXTURE_QUIZ,
        "notebook_id": "quiz",
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "",
        "student": "A",
        "last_name": None,
        "first_name": None,
        "notebook_path": "autograded/A/quiz.ipynb",
    }
    html, _ = HTMLExporter(config=config).from_filename(
        str(root / "autograded" / "A" / FIXTURE_QUIZ / "quiz.ipynb"), resources=resources
    )
    rubric = html.index("Rubric for the grader")
    assert "Full marks (3): explains working models" in html[rubric:]
    assert html.index("Student's task") < rubric < html.index("An answer.")

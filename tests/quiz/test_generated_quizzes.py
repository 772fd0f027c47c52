"""The generated quiz files: current with the bank, built the way nbgrader needs, and key-free
once released."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.grading.course import student_version
from intimacy_course.paths import MODULES
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.generate import expected_files, stale_files, write_all
from tests.support import REPO

FIXTURE_BANK = REPO / "tests" / "fixtures" / "bank_v2"


def test_generated_quiz_files_are_current() -> None:
    stale = [str(p.relative_to(REPO)) for p in stale_files()]
    assert stale == [], "run: .venv/bin/python -m intimacy_course.quiz_build"


def test_every_module_has_a_bank_a_source_quiz_and_a_calibration_set() -> None:
    for module in MODULES:
        assert load_bank(REPO / "grading" / "items" / f"{module}.toml").module == module
        assert (REPO / "grading" / "source" / module / "quiz.ipynb").exists()
        assert (REPO / "grading" / "facilitator" / "calibration" / f"{module}.md").exists()


def test_generated_files_survive_the_nbstripout_git_filter_unchanged() -> None:
    """Otherwise a fresh clone would hold different bytes and the 'current' test would fail."""
    paths = [str(path) for path in expected_files() if path.suffix == ".ipynb"]
    run = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--keep-id", "--dry-run", *paths],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "", "nbstripout would change these generated files"


def test_a_changed_bank_makes_its_quiz_stale_until_rebuilt(tmp_path: Path) -> None:
    items = tmp_path / "items"
    shutil.copytree(FIXTURE_BANK, items)
    grading = tmp_path / "grading"
    written = write_all(items, grading)
    assert sorted(p.relative_to(grading).as_posix() for p in written) == [
        "facilitator/calibration/01_attachment_injury.md",
        "rubrics/01_attachment_injury.md",
        "source/01_attachment_injury/quiz.ipynb",
        "source/header.ipynb",
    ]
    assert stale_files(items, grading) == []
    path = items / "01_attachment_injury.toml"
    path.write_text(path.read_text().replace("Attachment avoidance", "Avoidance of closeness"))
    assert stale_files(items, grading) == [
        grading / "source" / "01_attachment_injury" / "quiz.ipynb"
    ]


def _sources() -> list[Path]:
    return sorted((REPO / "grading" / "source").glob("*/quiz.ipynb"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.parent.name)
def test_each_question_is_shown_marked_and_locked(path: Path) -> None:
    bank = load_bank(REPO / "grading" / "items" / f"{path.parent.name}.toml")
    nb = nbformat.read(path, as_version=4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}
    questions = len(bank.items)
    for number in range(1, questions + 1):
        assert cells[f"question_{number}"].metadata["nbgrader"]["locked"] is True
        assert cells[f"question_{number}"].source == f"quiz.ask({number})"
    marks = [g for g in cells if g.startswith("mark_")]
    written = [g for g in cells if g.startswith("written_")]
    assert len(marks) == len(bank.auto_items) and len(written) == len(bank.short_answers)
    for grade_id in marks:
        meta = cells[grade_id].metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == 1 and not meta["solution"]
    for grade_id in written:
        meta = cells[grade_id].metadata["nbgrader"]
        assert meta["grade"] and meta["solution"] and not meta["locked"]
    assert list(cells)[-1] == "self_check"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not re.search(r"^\s*(def|class) ", cell.source, re.MULTILINE)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.parent.name)
def test_a_released_quiz_holds_no_key_model_answer_or_mark_scheme(path: Path) -> None:
    bank = load_bank(REPO / "grading" / "items" / f"{path.parent.name}.toml")
    released = json.dumps(student_version(path))
    for item in bank.items:
        for option in item.options:
            assert json.dumps(option.why)[1:-1] not in released
        if item.auto:
            assert json.dumps(item.explanation)[1:-1] not in released
        else:
            assert json.dumps(item.model_answer)[1:-1] not in released
            for sample in (*item.examples, *item.calibration):
                if sample.answer:
                    assert json.dumps(sample.answer)[1:-1] not in released
    assert "MARK SCHEME" not in released and '"correct"' not in released

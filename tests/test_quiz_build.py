"""The generated source quizzes: current with the items files, and built the way nbgrader needs."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.paths import MODULES
from intimacy_course.quiz.build import KERNELSPEC, expected_files, stale_files, write_all
from intimacy_course.quiz.items import load_quiz
from intimacy_course.content.objectives import learning_objectives

REPO = Path(__file__).resolve().parents[1]
FIXTURE_ITEMS = Path(__file__).resolve().parent / "fixtures" / "quiz_items"


def test_generated_source_quizzes_are_current() -> None:
    stale = [str(p.relative_to(REPO)) for p in stale_files()]
    assert stale == [], "run: .venv/bin/python -m intimacy_course.quiz_build"


def test_every_module_has_a_source_quiz() -> None:
    missing = [m for m in MODULES if not (REPO / "grading" / "source" / m / "quiz.ipynb").exists()]
    assert missing == []


def test_generated_files_survive_the_nbstripout_git_filter_unchanged() -> None:
    """Otherwise a fresh clone would hold different bytes and the 'current' test would fail."""
    paths = [str(path) for path in expected_files() if path.suffix == ".ipynb"]
    run = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--dry-run", *paths],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "", "nbstripout would change these generated files"


def test_a_changed_items_file_makes_its_quiz_stale_until_rebuilt(tmp_path: Path) -> None:
    items = tmp_path / "items"
    shutil.copytree(FIXTURE_ITEMS, items)
    grading = tmp_path / "grading"
    written = write_all(items, grading)
    assert sorted(p.relative_to(grading).as_posix() for p in written) == [
        "rubrics/01_attachment_injury.md", "source/01_attachment_injury/quiz.ipynb", "source/header.ipynb"]
    assert stale_files(items, grading) == []
    path = items / "01_attachment_injury.toml"
    path.write_text(path.read_text().replace("Adult attachment patterns cannot change.",
                                             "Adult attachment patterns never change."))
    assert stale_files(items, grading) == [grading / "source" / "01_attachment_injury" / "quiz.ipynb"]
    write_all(items, grading)
    assert stale_files(items, grading) == []


def _sources() -> list[Path]:
    return sorted((REPO / "grading" / "source").glob("*/quiz.ipynb"))


def _cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.parent.name)
def test_each_item_becomes_question_answer_and_hidden_test_cells(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    quiz = load_quiz(REPO / "grading" / "items" / f"{path.parent.name}.toml")
    objectives = learning_objectives(quiz.module) or {}
    cells = _cells(nb)
    assert nb.metadata["kernelspec"] == KERNELSPEC and nb.metadata["language_info"] == {"name": "python"}
    for item in quiz.items:
        question = cells[f"{item.id}_question"]
        meta = question.metadata["nbgrader"]
        assert meta["locked"] is True and question.cell_type == "markdown"
        line = f"Checks learning objective {item.objective}"
        assert line in question.source
        if item.objective in objectives:
            assert f"{line}: {objectives[item.objective]}" in question.source
        answer = cells[f"{item.id}_answer"]
        assert answer.metadata["nbgrader"]["solution"] is True
        if item.autograded:
            assert answer.source.splitlines()[1] == f'{item.id} = ""'
            assert f'{item.id} = "{item.answer}"' in answer.source.split("### BEGIN SOLUTION")[1]
            test = cells[f"{item.id}_test"]
            assert test.metadata["nbgrader"]["grade"] is True
            assert test.metadata["nbgrader"]["points"] == item.points
            visible, hidden = test.source.split("### BEGIN HIDDEN TESTS")
            assert "assert" not in visible and f'"{item.answer}"' not in visible
            assert f'== "{item.answer}"' in hidden and "Why:" in hidden
            ast.parse(test.source)  # the hidden test is valid Python
        else:
            assert meta["task"] is True and meta["points"] == 0
            scheme = question.source.split("=== BEGIN MARK SCHEME ===")[1].split("=== END MARK SCHEME ===")[0]
            assert " ".join(item.rubric.split()) in " ".join(scheme.split())
            assert answer.cell_type == "markdown"
            assert answer.metadata["nbgrader"]["grade"] is True
            assert answer.metadata["nbgrader"]["points"] == item.points
    assert list(cells)[-1] == "self_check"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.parent.name)
def test_quiz_notebooks_have_no_outputs_and_define_nothing(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not re.search(r"^\s*(def|class) ", cell.source, re.MULTILINE)

"""The quiz the cohort tests pass around, and how a trainee answers it.

The round trip uses the course's real first quiz (grading/source/01_attachment_injury)
when it exists; until then, a two-item nbgrader quiz built here. Answers come from the
instructor's source notebook (the text between ``### BEGIN SOLUTION`` and ``### END
SOLUTION``), so the same code answers any quiz: a trainee answers all items correctly, or
only the first half and leaves the rest as released.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import nbformat

from tests.hub.hubkit import REPO

REAL_ASSIGNMENT = "01_attachment_injury"
FIXTURE_ASSIGNMENT = "hub_check"
_BEGIN, _END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass
class Quiz:
    """A quiz as the instructor uploads it: files relative to the course folder."""

    assignment_id: str
    files: dict[str, str]
    source: dict  # the instructor's notebook, as JSON
    real: bool

    @property
    def notebook_name(self) -> str:
        return "quiz.ipynb"


def _nbgrader(
    grade_id: str, *, grade: bool, solution: bool, locked: bool, points: int | None = None
) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def fixture_notebook() -> nbformat.NotebookNode:
    """A two-item nbgrader quiz: each item is an answer cell and a 1-point test cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Hub check quiz\n\nSet each answer to the letter you choose.",
            metadata=_nbgrader("intro", grade=False, solution=False, locked=True),
        )
    ]
    for number, letter in ((1, "b"), (2, "d")):
        cells.append(
            nbformat.v4.new_code_cell(
                f"{_BEGIN}\nq{number} = {letter!r}\n{_END}",
                metadata=_nbgrader(f"q{number}_answer", grade=False, solution=True, locked=False),
            )
        )
        cells.append(
            nbformat.v4.new_code_cell(
                f"assert q{number} == {letter!r}",
                metadata=_nbgrader(
                    f"q{number}_check", grade=True, solution=False, locked=True, points=1
                ),
            )
        )
    nb.cells = cells
    return nb


def load_quiz() -> Quiz:
    """The real first quiz when the course has it, else the fixture quiz."""
    grading = REPO / "grading"
    real = grading / "source" / REAL_ASSIGNMENT / "quiz.ipynb"
    if real.is_file():
        files: dict[str, str] = {}
        config = grading / "nbgrader_config.py"
        if config.is_file():
            files["nbgrader_config.py"] = config.read_text(encoding="utf-8")
        for path in sorted((grading / "source").iterdir()):
            if path.is_file():  # e.g. a header notebook shared by every quiz
                files[f"source/{path.name}"] = path.read_text(encoding="utf-8")
        for path in sorted((grading / "source" / REAL_ASSIGNMENT).rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                files[str(path.relative_to(grading))] = path.read_text(encoding="utf-8")
        source = nbformat.read(real, as_version=4)
        return Quiz(REAL_ASSIGNMENT, files, source, real=True)
    notebook = fixture_notebook()
    text = nbformat.writes(notebook)
    return Quiz(
        FIXTURE_ASSIGNMENT,
        {f"source/{FIXTURE_ASSIGNMENT}/quiz.ipynb": text},
        nbformat.reads(text, as_version=4),
        real=False,
    )


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _text(source: object) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def answer_key(source: dict) -> dict[str, str]:
    """For every code answer cell: the instructor's solution, markers removed."""
    key = {}
    for cell in source["cells"]:
        meta = _meta(cell)
        if cell["cell_type"] == "code" and meta.get("solution"):
            lines = [
                line
                for line in _text(cell["source"]).splitlines()
                if line.strip() not in (_BEGIN, _END)
            ]
            key[meta["grade_id"]] = "\n".join(lines)
    return key


def auto_points(source: dict) -> float:
    """Points a fully correct submission earns from the autograder alone."""
    return float(
        sum(
            _meta(cell).get("points", 0)
            for cell in source["cells"]
            if cell["cell_type"] == "code"
            and _meta(cell).get("grade")
            and not _meta(cell).get("solution")
        )
    )


def answered(released: dict, key: dict[str, str], correct_items: int | None) -> dict:
    """A copy of the released notebook with the first ``correct_items`` answers filled in.

    ``None`` answers every item. Written answers (markdown answer cells) always get a short
    reflection, as a trainee would write; they wait for the instructor's hand grading.
    """
    notebook = copy.deepcopy(released)
    done = 0
    for cell in notebook["cells"]:
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        if cell["cell_type"] == "markdown":
            cell["source"] = (
                "I would slow down, name the hurt I heard, and ask what would "
                "help them feel safe enough to keep talking."
            )
        elif meta.get("grade_id") in key and (correct_items is None or done < correct_items):
            cell["source"] = key[meta["grade_id"]]
            done += 1
    return notebook

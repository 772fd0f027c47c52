"""Build a module's nbgrader source quiz from its bank: clicked questions, no code to edit.

The notebook carries its paper twice: in the hidden set-up cell, which the learner's kernel
runs to show the questions, and in the notebook's metadata, where the grader reads it from
the instructor's source copy (never from a submission). Cell roles live in nbgrader metadata
with readable grade ids: ``question_N`` shows question N, ``mark_N`` holds its verdict (1
point), ``written_N`` receives a written answer for hand marking, ``rubric_N`` holds the
criteria and, for graders only, the mark scheme.
"""

from __future__ import annotations

import pprint
from typing import Any

import nbformat
from nbformat import NotebookNode

from intimacy_course.quiz.bank import Bank, BankItem
from intimacy_course.quiz.paper import PRACTICE, make_paper, sheet_from_json

METADATA_KEY = "intimacy_course"


def _meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = True,
    task: bool = False,
    points: int | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": task,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _hidden(meta: dict[str, Any]) -> dict[str, Any]:
    return {**meta, "jupyter": {"source_hidden": True}}


def _intro(bank: Bank, mode: str, questions: int) -> str:
    how = (
        "Click the option you choose under each question; for a written question, type in the box. "
        "**Each answer is saved the moment you click or type**, in a file beside this quiz "
        "(`answers.json`). You do not need to save the notebook, and its *Save* or *Discard* "
        "buttons never touch your answers."
    )
    if mode == PRACTICE:
        after = (
            "When you are ready, use **Check my answers** at the end. It marks what is on screen, "
            "explains every question you answered, right or wrong, and keeps the answers to "
            "questions you skipped hidden unless you ask for them."
        )
    else:
        after = (
            "Your instructor marks this quiz after you submit it. Questions are drawn for you from "
            "a bank, so a classmate's quiz may differ from yours."
        )
    return (
        f"# {bank.title}\n\n{questions} questions. Run all cells first (menu **Run > Run All Cells**) "
        f"so the questions appear.\n\n{how}\n\n{after}"
    )


def _criteria(item: BankItem) -> str:
    return "\n".join(f"- **{c.name}** (1 point): {c.description}" for c in item.criteria)


def _mark_scheme(item: BankItem) -> str:
    examples = "\n\n".join(
        f"*Example scoring {e.score} of {item.points}* ({', '.join(e.met) or 'no criterion met'}):\n\n"
        f"> {e.answer or '(blank)'}\n\nWhy: {e.reason}"
        for e in sorted(item.examples, key=lambda e: -e.score)
    )
    return f"**Model answer:**\n\n> {item.model_answer}\n\n**Scored examples:**\n\n{examples}"


def build_quiz(
    bank: Bank, mode: str = PRACTICE, seed: bytes | None = None, students: tuple[str, ...] = ()
) -> NotebookNode:
    """The source notebook of ``bank`` for a practice or a cohort release."""
    paper = make_paper(bank, mode, seed, students)
    sheet = sheet_from_json(paper["default_sheet"])
    cells = [
        nbformat.v4.new_markdown_cell(
            _intro(bank, mode, len(sheet.slots)), metadata=_meta("intro")
        ),
        nbformat.v4.new_code_cell(
            "# Shows this quiz's questions. Nothing here needs changing.\n"
            "from intimacy_course.quiz import open_quiz\n\n"
            f"quiz = open_quiz({pprint.pformat(paper, width=100, sort_dicts=True)})",
            metadata=_hidden(_meta("setup")),
        ),
    ]
    for number, slot in enumerate(sheet.slots, start=1):
        cells.append(
            nbformat.v4.new_code_cell(
                f"quiz.ask({number})", metadata=_hidden(_meta(f"question_{number}"))
            )
        )
        item = bank.item(slot.item_id)
        if item.auto:
            cells.append(
                nbformat.v4.new_code_cell(
                    f"quiz.marked_later({number})",
                    metadata=_hidden(_meta(f"mark_{number}", grade=True, points=1)),
                )
            )
            continue
        cells.append(
            nbformat.v4.new_markdown_cell(
                item.model_answer,
                metadata=_meta(
                    f"written_{number}", grade=True, solution=True, locked=False, points=item.points
                ),
            )
        )
        cells.append(
            nbformat.v4.new_markdown_cell(
                f"**How question {number} is marked** ({item.points} points, one per criterion):"
                f"\n\n{_criteria(item)}\n\n"
                f"=== BEGIN MARK SCHEME ===\n\n{_mark_scheme(item)}\n\n=== END MARK SCHEME ===",
                metadata=_meta(f"rubric_{number}", task=True, points=0),
            )
        )
    if mode == PRACTICE:
        cells.append(
            nbformat.v4.new_markdown_cell(
                "## Check my answers\n\nThe button below marks the answers on screen now. It also writes a "
                "feedback page you can open in a new tab.",
                metadata=_meta("self_check_intro"),
            )
        )
        cells.append(
            nbformat.v4.new_code_cell("quiz.self_check()", metadata=_hidden(_meta("self_check")))
        )
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata[METADATA_KEY] = {"paper": paper}
    for index, cell in enumerate(nb.cells):
        cell.id = (
            f"{bank.module[:2]}-{cell.metadata['nbgrader']['grade_id'].replace('_', '-')}-{index}"
        )
    return nb

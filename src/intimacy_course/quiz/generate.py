"""Generate the course's quiz files from the item bank; a test keeps them current.

From ``grading/items/NN_topic.toml`` (bank version 2) this writes the practice source quiz
``grading/source/NN_topic/quiz.ipynb``, the header nbgrader puts in front of every released
quiz, the graders' rubric pages ``grading/rubrics/NN_topic.md`` and the calibration sets
``grading/facilitator/calibration/NN_topic.md``. Never edit those by hand: change the bank
and run ``python -m intimacy_course.quiz_build`` (``--check`` only reports stale files).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from intimacy_course.paths import grading_dir, repo_root
from intimacy_course.quiz.bank import Bank, BankItem, load_bank
from intimacy_course.quiz.notebook import build_quiz

HEADER_NAME = "header.ipynb"
HELP_FILE = Path("source_texts") / "help_now.md"

HEADER_TEXT = """# Before you start

This quiz checks your understanding of one module. It is for learning: there is no time
limit, and you can come back to it.

- **Answer by clicking.** Run all cells first (menu **Run > Run All Cells**). Under each
  question, choose one option with the mouse, or with the arrow keys after moving to the
  question with Tab. Written questions have a box to type in.
- **Your answers save themselves** the moment you click or type, in a file beside this quiz.
  You do not need to save the notebook, and its *Save* or *Discard* buttons never touch them.
- **No code to edit.** The cells only show the questions.

Some questions describe clients and partners in distress. If a question stirs something up,
it is fine to pause, skip it, or stop.
"""


def help_now_text(root: Path | None = None) -> str:
    """The course's one "If you need help now" section (source_texts/help_now.md)."""
    return ((root or repo_root()) / HELP_FILE).read_text(encoding="utf-8").strip()


def build_header(root: Path | None = None) -> NotebookNode:
    """The header notebook nbgrader prepends to every released quiz."""
    meta = {
        "nbgrader": {
            "grade": False,
            "grade_id": "quiz_header",
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
    }
    cells = [
        nbformat.v4.new_markdown_cell(HEADER_TEXT.strip(), metadata=meta),
        nbformat.v4.new_markdown_cell(
            help_now_text(root),
            metadata={"nbgrader": {**meta["nbgrader"], "grade_id": "quiz_help_now"}},
        ),
    ]
    for index, cell in enumerate(cells):
        cell.id = f"quiz-header-{index}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    return nb


def _written_items(bank: Bank) -> list[BankItem]:
    return list(bank.short_answers)


def rubrics_text(bank: Bank) -> str:
    """The written questions' rubrics, for graders who work outside formgrader."""
    lines = [
        f"# Rubrics: {bank.title}",
        "",
        f"Generated from `grading/items/{bank.module}.toml` by `python -m intimacy_course.quiz_build`; "
        "edit the bank, not this page. Formgrader shows the same rubric under each answer.",
        "One point per criterion: award it when the answer shows what the criterion names, "
        "however it is worded.",
    ]
    for item in _written_items(bank):
        lines += [
            "",
            f"## {item.title} (objective {item.objective}, {item.points} points)",
            "",
            f"**Question.** {item.stem}",
            "",
            "| criterion (1 point each) | what earns it |",
            "| --- | --- |",
        ]
        lines += [f"| {c.name} | {c.description} |" for c in item.criteria]
        lines += ["", f"**Model answer.** {item.model_answer}", "", "**Scored examples.**", ""]
        for example in sorted(item.examples, key=lambda e: -e.score):
            met = ", ".join(example.met) or "none"
            lines += [
                f"- **{example.score} of {item.points}** (met: {met}). {example.answer or '(blank)'}  ",
                f"  *Why:* {example.reason}",
            ]
    return "\n".join(lines) + "\n"


def calibration_text(bank: Bank) -> str:
    """The calibration sets graders mark independently before marking a cohort."""
    lines = [
        f"# Calibration set: {bank.title}",
        "",
        f"Generated from `grading/items/{bank.module}.toml`; edit the bank, not this page. "
        "Mark each answer yourself first (one point per criterion), then compare with the agreed "
        "score below and discuss any difference, as the module's facilitator guide describes.",
    ]
    for item in _written_items(bank):
        lines += [
            "",
            f"## {item.title} (objective {item.objective}, {item.points} points)",
            "",
            f"**Question.** {item.stem}",
            "",
            "**Criteria.**",
            "",
        ]
        lines += [f"- **{c.name}:** {c.description}" for c in item.criteria]
        for number, sample in enumerate(item.calibration, start=1):
            met = ", ".join(sample.met) or "none"
            lines += [
                "",
                f"### Sample answer {number}",
                "",
                f"> {sample.answer or '(blank)'}",
                "",
                f"**Agreed score: {sample.score} of {item.points}** (criteria met: {met}).",
                "",
                f"**Why.** {sample.reason}",
            ]
    return "\n".join(lines) + "\n"


def notebook_text(nb: NotebookNode) -> str:
    """Serialized as nbformat (and so the nbstripout git filter) writes it."""
    return nbformat.writes(nb) + "\n"


def bank_files(items: Path | None = None) -> list[Path]:
    folder = items or grading_dir() / "items"
    return sorted(folder.glob("[0-9][0-9]_*.toml"))


def expected_files(
    items: Path | None = None, grading: Path | None = None, root: Path | None = None
) -> dict[Path, str]:
    """Every generated file and its expected text."""
    grading = grading or grading_dir()
    files = {grading / "source" / HEADER_NAME: notebook_text(build_header(root))}
    for path in bank_files(items):
        bank = load_bank(path)
        files[grading / "source" / bank.module / "quiz.ipynb"] = notebook_text(build_quiz(bank))
        files[grading / "rubrics" / f"{bank.module}.md"] = rubrics_text(bank)
        files[grading / "facilitator" / "calibration" / f"{bank.module}.md"] = calibration_text(
            bank
        )
    return files


def stale_in(files: dict[Path, str]) -> list[Path]:
    """The generated files that are missing or differ from their expected text."""
    return [
        p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]


def write_stale(files: dict[Path, str]) -> list[Path]:
    """Write each missing or out-of-date file; return the paths written."""
    written = stale_in(files)
    for path in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
    return written


def stale_files(items: Path | None = None, grading: Path | None = None) -> list[Path]:
    return stale_in(expected_files(items, grading))


def write_all(items: Path | None = None, grading: Path | None = None) -> list[Path]:
    return write_stale(expected_files(items, grading))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m intimacy_course.quiz_build",
        description="Generate the quizzes, rubric pages and calibration sets from grading/items/.",
    )
    parser.add_argument(
        "--check", action="store_true", help="only report stale files; exit 1 if any"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    for path in write_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

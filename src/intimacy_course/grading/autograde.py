"""nbgrader steps that mark clicked quizzes from their stored answers, and run kernels safely.

Configured in the course's ``nbgrader_config.py`` (:func:`configure`), so the course's own
commands and plain ``nbgrader autograde`` (from a terminal or formgrader) all use them:

1. :class:`LoadStoredAnswers` runs first, while nbgrader sanitizes the submission and before
   any trainee code runs. It reads the submission's answers file, recomputes the trainee's
   sheet from the instructor's bank (and seed, for a cohort), marks every clicked question,
   and copies written answers into their hand-graded cells as escaped text.
2. :class:`SandboxedExecute` runs the notebook in the sandbox. A cell that ends or hangs its
   kernel costs only that cell: the kernel is restarted, the earlier locked cells replayed,
   the error recorded on the cell, and execution goes on.
3. :class:`MarkStoredAnswers` then writes each verdict, and what the trainee saw, into the
   notebook, replacing whatever the kernel printed there, so formgrader, the gradebook and
   feedback show a verdict no answer cell could change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Unicode

from intimacy_course import settings
from intimacy_course.grading.sandbox import SandboxKernelManager, sandbox_problem
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.marking import ItemResult, mark
from intimacy_course.quiz.paper import (
    COHORT,
    PRACTICE_SECRET,
    draw,
    fallback_sheet,
    practice_sheet,
    student_key,
)
from intimacy_course.quiz.stored_answers import read_answers
from intimacy_course.quiz.text import inline_html

METADATA_KEY = "intimacy_course"
_NUMBERED = re.compile(r"^(question|mark|written)_(\d+)$")


def grade_role(cell: NotebookNode) -> tuple[str, int] | None:
    """("question"|"mark"|"written", n) from a quiz cell's nbgrader grade id."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
    match = _NUMBERED.match(grade_id)
    return (match.group(1), int(match.group(2))) if match else None


def markdown_literal(text: str) -> str:
    """Trainee text as Markdown that renders exactly as typed: no markup, links or HTML."""
    escaped = []
    for char in text.replace("\r\n", "\n"):
        if char in "&<>":
            escaped.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[char])
        elif char in "\\`*_{}[]()#+-.!|~\"'=:$^@%":
            escaped.append("\\" + char)
        else:
            escaped.append(char)
    lines = "".join(escaped).split("\n")
    return "  \n".join(lines)


def _result_json(result: ItemResult) -> dict[str, Any]:
    return {
        "item": result.item.id,
        "kind": result.item.kind,
        "score": result.score,
        "shown": [[o.letter, o.text, o.correct] for o in result.options],
        "chosen": result.chosen.letter if result.chosen else None,
        "explanation": result.item.explanation,
        "why": result.chosen.why if result.chosen else "",
        "stem": result.item.stem,
        "title": result.item.title,
        "objective": result.item.objective,
    }


class QuizKeySettings(NbGraderPreprocessor):
    """Where the grader finds the key: the bank folder and, for cohorts, the private seed."""

    bank_dir = Unicode(
        "", help="Folder of the bank files (NN_topic.toml); default: <course root>/items"
    ).tag(config=True)
    seed_file = Unicode("", help="The instructor's private cohort seed file").tag(config=True)

    def course_root(self) -> Path:
        converter = getattr(self.parent, "parent", None)
        coursedir = getattr(converter, "coursedir", None)
        return Path(coursedir.root) if coursedir is not None else Path.cwd()

    def source_notebook(self, assignment: str, notebook: str) -> dict[str, Any] | None:
        """The instructor's source copy of a quiz (never the submission), or None."""
        converter = getattr(self.parent, "parent", None)
        coursedir = getattr(converter, "coursedir", None)
        if coursedir is None:
            return None
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        try:
            source = json.loads((folder / f"{notebook}.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return source if isinstance(source, dict) else None


def source_paper(source: dict[str, Any] | None) -> dict[str, Any] | None:
    paper = (source or {}).get("metadata", {}).get(METADATA_KEY, {}).get("paper")
    return paper if isinstance(paper, dict) else None


def _grade_id(cell: Any) -> str:  # a notebook cell as dict or NotebookNode
    return str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))


def restore_missing_cells(nb: NotebookNode, source: dict[str, Any], placeholder: str) -> list[str]:
    """Put back quiz cells a trainee deleted, each after the cell that precedes it in the source.

    nbgrader restores a deleted grade cell only after a grade or solution cell, and fails the
    whole submission otherwise. Only cells that hold no key come back: the code cells, and a
    deleted written-answer cell as its empty placeholder (never the source's model answer).
    """
    present = {_grade_id(cell) for cell in nb.cells}
    restored = []
    previous = ""
    for cell in source.get("cells", []):
        grade_id = _grade_id(cell)
        if not grade_id:
            continue
        keyless = cell.get("cell_type") == "code" or grade_id.startswith("written_")
        if grade_id not in present and keyless:
            copy = nbformat_cell(cell, placeholder if grade_id.startswith("written_") else None)
            at = next(
                (i + 1 for i, c in enumerate(nb.cells) if previous and _grade_id(c) == previous),
                len(nb.cells),
            )
            nb.cells.insert(at, copy)
            present.add(grade_id)
            restored.append(grade_id)
        previous = grade_id
    return restored


def nbformat_cell(cell: dict[str, Any], text: str | None) -> NotebookNode:
    from nbformat import from_dict

    copy = from_dict(json.loads(json.dumps(cell)))
    source = copy.get("source", "")
    copy.source = (
        text if text is not None else ("".join(source) if isinstance(source, list) else source)
    )
    if copy.cell_type == "code":
        copy.outputs, copy.execution_count = [], None
    copy.id = f"restored-{_grade_id(cell).replace('_', '-')}"
    return copy


class LoadStoredAnswers(QuizKeySettings):
    """Marks clicked questions from the submission's answers file, before any code runs."""

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        info = resources.get("nbgrader", {})
        source = self.source_notebook(info.get("assignment", ""), info.get("notebook", ""))
        paper = source_paper(source)
        if source is None or paper is None:
            return nb, resources  # not a clicked quiz: nbgrader's usual marking applies
        placeholder = (
            self.config.get("ClearSolutions", {}).get("text_stub", "") or "YOUR ANSWER HERE"
        )
        restored = restore_missing_cells(nb, source, str(placeholder))
        if restored:
            self.log.warning("Put back deleted quiz cells: %s", ", ".join(restored))
        student = str(info.get("student", ""))
        bank_dir = (
            Path(self.bank_dir)
            if self.bank_dir
            else settings.bank_override() or self.course_root() / "items"
        )
        bank = load_bank(bank_dir / f"{paper['module']}.toml")
        if paper.get("mode") == COHORT:
            from intimacy_course.quiz.seed import read_seed

            secret = read_seed(Path(self.seed_file) if self.seed_file else None)
            known = student_key(paper["module"], student) in paper.get("draws", {})
            sheet = draw(bank, secret, student) if known else fallback_sheet(bank, secret)
        else:
            secret, sheet = PRACTICE_SECRET, practice_sheet(bank)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        stored = read_answers(folder, paper["module"], paper.get("release", ""))
        results = mark(bank, secret, sheet, stored)
        by_number = {r.number: r for r in results}
        for cell in nb.cells:
            role = grade_role(cell)
            if role and role[0] == "written" and role[1] in by_number:
                text = by_number[role[1]].text
                if text.strip():
                    cell.source = markdown_literal(text)
        nb.metadata.setdefault(METADATA_KEY, {})["marked"] = {
            str(r.number): _result_json(r) for r in results
        }
        if stored.problem:
            nb.metadata[METADATA_KEY]["answers_problem"] = stored.problem
        return nb, resources


class SandboxedExecute(Execute):
    """nbgrader's Execute in the sandbox, where a dead or hung kernel costs only its own cell."""

    sandbox = Bool(True, help="Run trainee code in the bubblewrap sandbox").tag(config=True)
    require_sandbox = Bool(
        False,
        help="Refuse to grade when the sandbox cannot run (set by the course's commands and on CI)",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        problem = sandbox_problem()
        if self.sandbox and not problem:
            self.kernel_manager_class = SandboxKernelManager
        elif self.sandbox and (self.require_sandbox or settings.sandbox_required()):
            raise RuntimeError(
                f"The grading sandbox cannot run: {problem}. Install it, or grade with --no-sandbox."
            )
        elif self.sandbox:
            self.log.warning("Grading WITHOUT a sandbox: %s", problem)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        try:
            return super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as error:
            cell.outputs.append(
                NotebookNode(
                    output_type="error",
                    ename=type(error).__name__,
                    evalue="The kernel stopped while running this cell; it was restarted and grading went on.",
                    traceback=[f"{type(error).__name__}: this cell ended or hung the kernel."],
                )
            )
            self._restart_and_replay(index)
            return cell, resources

    def _restart_and_replay(self, index: int) -> None:
        assert self.km is not None
        run_sync(self.km.restart_kernel)(now=True)
        if self.kc is not None:
            self.kc.stop_channels()
        self.start_new_kernel_client()
        for position, earlier in enumerate(self.nb.cells[:index]):
            meta = earlier.get("metadata", {}).get("nbgrader", {})
            if earlier.cell_type == "code" and meta.get("locked") and not meta.get("solution"):
                kept = earlier.outputs
                try:
                    self.execute_cell(earlier, position, store_history=False)
                except (DeadKernelError, CellTimeoutError):
                    run_sync(self.km.restart_kernel)(now=True)
                    self.start_new_kernel_client()
                earlier.outputs = kept


def _verdict_outputs(entry: dict[str, Any]) -> list[NotebookNode]:
    chosen = entry.get("chosen")
    right = next((letter for letter, _, correct in entry["shown"] if correct), "")
    if chosen is None:
        return [
            NotebookNode(
                output_type="error",
                ename="NotAnswered",
                evalue="No answer was stored for this question.",
                traceback=["Not answered: no answer was stored for this question."],
            )
        ]
    if entry.get("score"):
        return [
            NotebookNode(
                output_type="stream",
                name="stdout",
                text=f"Right: the stored answer is {chosen}. {entry['explanation']}\n",
            )
        ]
    return [
        NotebookNode(
            output_type="error",
            ename="NotRight",
            evalue=f"The stored answer is {chosen}; the right answer is {right}.",
            traceback=[
                f"Not right: the stored answer is {chosen}; the right answer is {right}. {entry['explanation']}"
            ],
        )
    ]


def _shown_html(entry: dict[str, Any]) -> str:
    rows = []
    for letter, text, correct in entry["shown"]:
        marks = (["the trainee's answer"] if letter == entry.get("chosen") else []) + (
            ["right answer"] if correct else []
        )
        label = f" <em>({', '.join(marks)})</em>" if marks else ""
        prefix = "" if entry["kind"] == "true_false" else f"{letter}) "
        rows.append(f"<li>{prefix}{inline_html(text)}{label}</li>")
    return (
        f"<p><strong>{inline_html(entry['title'])}</strong> (objective {int(entry['objective'])})</p>"
        f"<p>{inline_html(entry['stem'])}</p><ul>{''.join(rows)}</ul>"
    )


class MarkStoredAnswers(NbGraderPreprocessor):
    """Writes the verdicts reached before execution into the notebook, over any kernel output."""

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        marked = nb.metadata.get(METADATA_KEY, {}).pop("marked", None)
        if not marked:
            return nb, resources
        for cell in nb.cells:
            role = grade_role(cell)
            if not role or str(role[1]) not in marked:
                continue
            entry = marked[str(role[1])]
            if entry["kind"] == "short_answer":
                continue
            if role[0] == "mark":
                cell.outputs = _verdict_outputs(entry)
            elif role[0] == "question":
                cell.outputs = [
                    NotebookNode(
                        output_type="display_data",
                        metadata={},
                        data={"text/html": _shown_html(entry), "text/plain": entry["title"]},
                    )
                ]
        return nb, resources


def configure(c: Any, course_root: str) -> None:
    """Install the steps above in an nbgrader configuration object ``c``."""
    from nbgrader.converters.autograde import Autograde

    sanitize = list(Autograde.sanitize_preprocessors.make_dynamic_default())
    autograde = list(Autograde.autograde_preprocessors.make_dynamic_default())
    execute_at = autograde.index(Execute)
    autograde[execute_at] = SandboxedExecute
    autograde.insert(execute_at + 1, MarkStoredAnswers)
    c.Autograde.sanitize_preprocessors = [LoadStoredAnswers, *sanitize]
    c.Autograde.autograde_preprocessors = autograde

"""``intimacy-course report``: grades for an LMS, and the item analysis nbgrader lacks.

Scores come from the nbgrader gradebook (so hand grades entered in formgrader count); the
option each trainee chose comes from their autograded notebook. Outputs in
``grading/reports/``:

- ``grades.csv``: one row per trainee, one column per quiz in ``grading/source/`` (total points,
  hand-marked points included once entered), plus ``total``. Blank means no graded submission.
- ``item_analysis.csv``: per quiz item: ``difficulty`` = mean score / points (for a 1-point
  item, the proportion who got it right); ``discrimination`` = corrected item-total
  correlation, the Pearson correlation between the item score and the trainee's total on the
  *other* items of that quiz (for a right/wrong item this is the point-biserial correlation),
  empty when either varies not at all; and for multiple-choice and true/false items how many
  trainees chose each option (``chosen_a`` ..., ``chosen_blank`` for no answer,
  ``chosen_other`` for an answer in a form that could not be read).
- ``item_statistics.png`` and ``score_distributions.png``.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pandas as pd

from intimacy_course.grading.course import QUIZ_NOTEBOOK, quiz_metadata, source_quizzes
from intimacy_course.grading.folders import CourseFolders
from intimacy_course.quiz.answers import read_choice, read_true_false

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from nbgrader.apps import NbGraderAPI

BLANK = "blank"
OTHER = "other"
NO_CELL = "other"


def assigned_value(source: str, name: str) -> tuple[bool, Any]:
    """The last constant assigned to ``name`` at top level of ``source``: (found, value)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False, None
    found, value = False, None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            if isinstance(node.value, ast.Constant):
                found, value = True, node.value.value
            else:
                found, value = False, None
    return found, value


def chosen_option(source: str | None, name: str, kind: str, letters: list[str]) -> str:
    """The option an answer cell's source chose: a letter, "true"/"false", "blank" or "other"."""
    if source is None:
        return NO_CELL
    found, raw = assigned_value(source, name)
    if not found:
        return OTHER
    reading = (
        read_choice(raw, "".join(letters)) if kind == "multiple_choice" else read_true_false(raw)
    )
    if reading.value is not None:
        return reading.value
    if isinstance(raw, str) and not raw.strip():
        return BLANK
    return OTHER


def _cells_by_id(path: Path) -> dict[str, Any]:
    nb = nbformat.read(path, as_version=4)
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def answer_key(source_notebook: Path) -> dict[str, str]:
    """The key as written in the source quiz's solution regions: {"q1": "b", ...}."""
    nb = nbformat.read(source_notebook, as_version=4)
    meta = quiz_metadata(nb) or {"items": []}
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    key = {}
    for item in meta["items"]:
        cell = cells.get(f"{item['id']}_answer")
        if cell is None or item["kind"] == "short_answer":
            continue
        region = cell.source.split("BEGIN SOLUTION", 1)[-1].split("### END SOLUTION", 1)[0]
        found, value = assigned_value("\n".join(region.splitlines()[1:]), item["id"])
        if found:
            key[item["id"]] = str(value)
    return key


@dataclass
class QuizData:
    """Everything the report needs about one quiz."""

    quiz: str
    items: list[dict[str, Any]]
    key: dict[str, str]
    scores: pd.DataFrame  # index student, columns item ids, values points scored
    choices: pd.DataFrame  # index student, columns autograded item ids, values chosen option
    max_points: float


def quiz_data(api: NbGraderAPI, quiz: str) -> QuizData:
    """Scores (from the gradebook) and chosen options (from autograded notebooks) of a quiz."""
    folders = CourseFolders.of(api)
    source = folders.source_quiz(quiz)
    meta = quiz_metadata(nbformat.read(source, as_version=4)) or {"items": []}
    items = meta["items"]
    score_rows: dict[str, dict[str, float]] = {}
    choice_rows: dict[str, dict[str, str]] = {}
    gradebook = api.gradebook
    try:
        for submission in gradebook.assignment_submissions(quiz):
            student = submission.student.id
            autograded = folders.autograded_quiz(student, quiz)
            if not autograded.exists():
                continue
            try:
                notebook = gradebook.find_submission_notebook(QUIZ_NOTEBOOK, quiz, student)
            except Exception:  # a submission whose notebook never got graded
                continue
            grades = {grade.name: float(grade.score) for grade in notebook.grades}
            row = {}
            for item in items:
                cell = (
                    f"{item['id']}_answer"
                    if item["kind"] == "short_answer"
                    else f"{item['id']}_test"
                )
                row[item["id"]] = grades.get(cell, 0.0)
            score_rows[student] = row
            cells = _cells_by_id(autograded)
            choice_rows[student] = {
                item["id"]: chosen_option(
                    cells[f"{item['id']}_answer"].source
                    if f"{item['id']}_answer" in cells
                    else None,
                    item["id"],
                    item["kind"],
                    item.get("options", []),
                )
                for item in items
                if item["kind"] != "short_answer"
            }
    finally:
        gradebook.close()
    ids = [item["id"] for item in items]
    scores = pd.DataFrame.from_dict(score_rows, orient="index", columns=ids).sort_index()
    auto_ids = [item["id"] for item in items if item["kind"] != "short_answer"]
    choices = pd.DataFrame.from_dict(choice_rows, orient="index", columns=auto_ids).sort_index()
    return QuizData(
        quiz,
        items,
        answer_key(source),
        scores,
        choices,
        float(sum(item["points"] for item in items)),
    )


def corrected_item_total(item: pd.Series, rest: pd.Series) -> float:
    """Pearson correlation of an item with the total of the other items; NaN when undefined."""
    if len(item) < 2 or item.std(ddof=0) == 0 or rest.std(ddof=0) == 0:
        return math.nan
    return float(item.corr(rest))


def item_statistics(data: QuizData) -> pd.DataFrame:
    """One row per item: difficulty, discrimination and (for choice items) option counts."""
    scores = data.scores
    total = scores.sum(axis=1)
    rows = []
    for item in data.items:
        name = item["id"]
        column = scores[name] if name in scores else pd.Series(dtype=float)
        row: dict[str, Any] = {
            "quiz": data.quiz,
            "item": name,
            "kind": item["kind"],
            "objective": item["objective"],
            "points": item["points"],
            "key": data.key.get(name, ""),
            "n": int(column.count()),
            "difficulty": float(column.mean() / item["points"]) if column.count() else math.nan,
            "discrimination": corrected_item_total(column, total - column)
            if column.count()
            else math.nan,
        }
        if item["kind"] != "short_answer":
            options = item.get("options") or ["true", "false"]
            chosen = data.choices[name] if name in data.choices else pd.Series(dtype=str)
            for option in [*options, BLANK, OTHER]:
                row[f"chosen_{option}"] = int((chosen == option).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def grades_table(
    all_data: list[QuizData], students: list[str], quizzes: list[str] | None = None
) -> pd.DataFrame:
    """One row per trainee, one column per quiz (blank: no graded submission), plus total."""
    table = pd.DataFrame(index=sorted(set(students)))
    table.index.name = "student_id"
    by_quiz = {data.quiz: data for data in all_data}
    quiz_columns = quizzes or [d.quiz for d in all_data]
    for quiz in quiz_columns:
        table[quiz] = by_quiz[quiz].scores.sum(axis=1) if quiz in by_quiz else math.nan
    table["total"] = table[quiz_columns].sum(axis=1, min_count=1) if quiz_columns else math.nan
    return table


def plot_item_statistics(stats: pd.DataFrame) -> Figure:
    """Difficulty and discrimination of every item, one panel per quiz."""
    from matplotlib.figure import Figure

    quizzes = list(dict.fromkeys(stats["quiz"]))
    fig = Figure(figsize=(9, 2.8 * max(1, len(quizzes))), layout="constrained")
    axes = fig.subplots(max(1, len(quizzes)), 1, squeeze=False)[:, 0]
    for ax, quiz in zip(axes, quizzes, strict=False):
        part = stats[stats["quiz"] == quiz]
        x = range(len(part))
        ax.bar(
            [i - 0.2 for i in x],
            part["difficulty"].fillna(0),
            width=0.4,
            color="#0072B2",
            label="difficulty (proportion of points scored)",
        )
        ax.bar(
            [i + 0.2 for i in x],
            part["discrimination"].fillna(0),
            width=0.4,
            color="#E69F00",
            label="discrimination (corrected item-total r)",
        )
        ax.axhline(0.2, color="#555555", linestyle=":", linewidth=1)
        ax.set_xticks(list(x), list(part["item"]), fontsize=10)
        ax.set_ylim(-1, 1.05)
        ax.set_ylabel("value", fontsize=10)
        ax.set_title(quiz, fontsize=11)
    axes[-1].legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    fig.suptitle("Item statistics (dotted line: discrimination 0.2, a common floor)", fontsize=12)
    return fig


def plot_score_distributions(all_data: list[QuizData]) -> Figure:
    """Histogram of total scores (percent of points) for each quiz."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(9, 2.5 * max(1, len(all_data))), layout="constrained")
    axes = fig.subplots(max(1, len(all_data)), 1, squeeze=False)[:, 0]
    for ax, data in zip(axes, all_data, strict=False):
        percent = (
            100 * data.scores.sum(axis=1) / data.max_points
            if data.max_points
            else pd.Series(dtype=float)
        )
        ax.hist(percent, bins=[i * 10 for i in range(11)], color="#009E73", edgecolor="white")
        ax.set_xlim(0, 100)
        ax.set_xlabel("score (% of points)", fontsize=10)
        ax.set_ylabel("trainees", fontsize=10)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"{data.quiz} (n = {len(percent)})", fontsize=11)
    fig.suptitle("Score distributions", fontsize=12)
    return fig


@dataclass
class Report:
    grades_csv: Path
    items_csv: Path
    plots: list[Path]
    grades: pd.DataFrame
    items: pd.DataFrame
    pending_hand_grading: int


def write_report(api: NbGraderAPI, out: Path | None = None) -> Report:
    """Write the grades CSV, the item analysis CSV and the plots; return what was written."""
    folders = CourseFolders.of(api)
    out = Path(out or folders.root / "reports")
    out.mkdir(parents=True, exist_ok=True)
    quizzes = source_quizzes(folders)
    all_data = [quiz_data(api, quiz) for quiz in quizzes]
    all_data = [d for d in all_data if not d.scores.empty]
    gradebook = api.gradebook
    try:
        students = [s.id for s in gradebook.students]
        pending = (
            sum(
                1
                for quiz in quizzes
                for sub in gradebook.assignment_submissions(quiz)
                for nb in sub.notebooks
                for g in nb.grades
                if g.needs_manual_grade
            )
            if all_data
            else 0
        )
    finally:
        gradebook.close()
    grades = grades_table(all_data, students, quizzes)
    stats = (
        pd.concat([item_statistics(d) for d in all_data], ignore_index=True)
        if all_data
        else pd.DataFrame()
    )
    grades_csv = out / "grades.csv"
    items_csv = out / "item_analysis.csv"
    grades.to_csv(grades_csv, float_format="%g")
    stats.to_csv(items_csv, index=False, float_format="%.4g")
    plots = []
    if all_data:
        for name, fig in (
            ("item_statistics.png", plot_item_statistics(stats)),
            ("score_distributions.png", plot_score_distributions(all_data)),
        ):
            fig.savefig(out / name, dpi=120)
            plots.append(out / name)
    return Report(grades_csv, items_csv, plots, grades, stats, pending)

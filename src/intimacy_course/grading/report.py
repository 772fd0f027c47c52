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
- ``reliability.csv``: per quiz, KR-20 over its automatically marked questions (for a cohort
  release each question is one objective slot, whichever variant a trainee drew).
- ``mastery.csv``: per quiz, learning objective and trainee, the share of that objective's
  points scored (``mastery``), and a ``(cohort)`` row per objective: the trainees' mean and
  ``mastered``, the share of trainees at or above :data:`MASTERY_LEVEL`.
- ``item_flags.csv``: items whose discrimination is below :data:`DISCRIMINATION_FLOOR`, and
  options that are wrong and that no trainee who saw them chose (``distractors.csv`` has the
  count behind each: per item variant and option, how many saw it and chose it).
- ``item_statistics.png`` and ``score_distributions.png``.

Clicked quizzes (bank version 2) are read from the grade cells ``mark_N`` (one point, marked
from the stored answers) and ``written_N`` (hand-marked); question N is ``qN`` in the report.
The option a trainee clicked is read from ``answers.json`` beside their autograded notebook and
named by the letter it had on their screen: the trainee's sheet comes from the instructor's
source copy of the quiz (its draw table, made from the private seed at release), never from
the submission. Older quizzes (bank version 1) are read as before.

:func:`compare_gradebooks` compares two graders who marked the same submissions in separate
gradebooks: per hand-marked question, exact and adjacent agreement and a quadratic-weighted
Cohen's kappa (``intimacy-course report --compare-with URL`` writes ``grader_agreement.csv``).
"""

from __future__ import annotations

import ast
import math
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pandas as pd

from intimacy_course import settings
from intimacy_course.errors import CourseError
from intimacy_course.grading.course import QUIZ_NOTEBOOK, quiz_metadata, source_quizzes
from intimacy_course.grading.folders import CourseFolders
from intimacy_course.quiz.answers import read_choice, read_true_false
from intimacy_course.quiz.bank import Bank, BankError, load_bank
from intimacy_course.quiz.paper import COHORT, Slot, sheet_for, sheet_from_json
from intimacy_course.quiz.stored_answers import read_answers

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from nbgrader.apps import NbGraderAPI

BLANK = "blank"
OTHER = "other"
NO_CELL = "other"
LETTERS = "abcd"
#: Discrimination below this flags an item (a common floor for classroom tests).
DISCRIMINATION_FLOOR = 0.2
#: A trainee has mastered an objective when they score at least this share of its points.
MASTERY_LEVEL = 0.8
COHORT_ROW = "(cohort)"
DISTRACTOR_COLUMNS = ["item", "variant", "option", "text", "correct", "seen", "chosen"]


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
    """Everything the report needs about one quiz.

    ``items`` are dicts with ``id``, ``kind``, ``objective``, ``points`` and, for clicked
    questions, ``options`` (the letters counted) and ``slot``. ``distractors`` has one row per
    item variant and option: ``item``, ``variant``, ``option``, ``text``, ``correct``,
    ``seen`` (trainees shown it) and ``chosen``; empty when the key could not be read.
    """

    quiz: str
    items: list[dict[str, Any]]
    key: dict[str, str]
    scores: pd.DataFrame  # index student, columns item ids, values points scored
    choices: pd.DataFrame  # index student, columns autograded item ids, values chosen option
    max_points: float
    distractors: pd.DataFrame | None = None

    @property
    def auto_ids(self) -> list[str]:
        return [item["id"] for item in self.items if item["kind"] != "short_answer"]


def quiz_data(api: NbGraderAPI, quiz: str) -> QuizData:
    """Scores (from the gradebook) and chosen options (from autograded notebooks) of a quiz."""
    folders = CourseFolders.of(api)
    source = folders.source_quiz(quiz)
    source_nb = nbformat.read(source, as_version=4)
    paper = source_nb.metadata.get("intimacy_course", {}).get("paper")
    if isinstance(paper, dict):
        return clicked_quiz_data(api, quiz, paper)
    meta = quiz_metadata(source_nb) or {"items": []}
    items = meta["items"]
    score_rows: dict[str, dict[str, float]] = {}
    choice_rows: dict[str, dict[str, str]] = {}
    for student, autograded, grades in _graded_submissions(api, folders, quiz):
        row = {}
        for item in items:
            cell = (
                f"{item['id']}_answer" if item["kind"] == "short_answer" else f"{item['id']}_test"
            )
            row[item["id"]] = grades.get(cell, 0.0)
        score_rows[student] = row
        cells = _cells_by_id(autograded)
        choice_rows[student] = {
            item["id"]: chosen_option(
                cells[f"{item['id']}_answer"].source if f"{item['id']}_answer" in cells else None,
                item["id"],
                item["kind"],
                item.get("options", []),
            )
            for item in items
            if item["kind"] != "short_answer"
        }
    ids = [item["id"] for item in items]
    scores = pd.DataFrame.from_dict(score_rows, orient="index", columns=ids).sort_index()
    auto_ids = [item["id"] for item in items if item["kind"] != "short_answer"]
    choices = pd.DataFrame.from_dict(choice_rows, orient="index", columns=auto_ids).sort_index()
    key = answer_key(source)
    return QuizData(
        quiz,
        items,
        key,
        scores,
        choices,
        float(sum(item["points"] for item in items)),
        v1_distractor_table(items, key, choices),
    )


def bank_folder(api: NbGraderAPI) -> Path:
    """Where the grader reads the key of clicked quizzes (as :mod:`..autograde` does)."""
    config = getattr(api, "config", None) or {}
    for section in ("LoadStoredAnswers", "QuizKeySettings"):
        configured = config.get(section, {}).get("bank_dir") if section in config else None
        if configured:
            return Path(configured)
    return settings.bank_override() or CourseFolders.of(api).root / "items"


def _paper_items(paper: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = paper.get("items")
    return items if isinstance(items, dict) else {}


def clicked_items(paper: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions of a clicked quiz, as the report lists them: q1, q2, ... by grade cell.

    A cohort's question N is one objective slot; its kind and options cover every variant.
    """
    items = _paper_items(paper)
    default = sheet_from_json(paper["default_sheet"])
    listed = []
    for number, slot in enumerate(default.slots, start=1):
        shown = items[slot.item_id]
        if shown["kind"] == "short_answer":
            listed.append(
                {
                    "id": f"q{number}",
                    "kind": "short_answer",
                    "objective": int(shown["objective"]),
                    "points": int(shown.get("points", 1)),
                    "slot": slot.slot,
                    "cell": f"written_{number}",
                }
            )
            continue
        variants = [
            item
            for item in items.values()
            if item["kind"] != "short_answer" and item["objective"] == shown["objective"]
        ]
        kinds = {item["kind"] for item in (variants if paper.get("mode") == COHORT else [shown])}
        options = (list(LETTERS) if "multiple_choice" in kinds else []) + (
            ["true", "false"] if "true_false" in kinds else []
        )
        listed.append(
            {
                "id": f"q{number}",
                "kind": shown["kind"] if len(kinds) == 1 else "mixed",
                "objective": int(shown["objective"]),
                "points": 1,
                "options": options,
                "slot": slot.slot,
                "cell": f"mark_{number}",
            }
        )
    return listed


def shown_label(paper_item: dict[str, Any], slot: Slot, option: str) -> str:
    """The label an option had on a trainee's screen: a-d, or "true"/"false"."""
    if paper_item["kind"] == "true_false":
        texts = {oid: text for oid, text in paper_item["options"]}
        return str(texts[option]).lower()
    return LETTERS[slot.option_ids.index(option)]


def authored_label(paper_item: dict[str, Any], option: str) -> str:
    """An option's label in the bank's own order (a-d), or "true"/"false"."""
    ids = [oid for oid, _ in paper_item["options"]]
    if paper_item["kind"] == "true_false":
        return str(paper_item["options"][ids.index(option)][1]).lower()
    return LETTERS[ids.index(option)]


def _read_bank(folder: Path, module: str) -> Bank | None:
    try:
        return load_bank(folder / f"{module}.toml")
    except BankError:
        return None


def _graded_submissions(
    api: NbGraderAPI, folders: CourseFolders, quiz: str
) -> Iterator[tuple[str, Path, dict[str, float]]]:
    """Each graded submission of ``quiz``: the trainee, their autograded notebook, their scores.

    Submissions without an autograded notebook, or never graded, are left out.
    """
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
            yield student, autograded, {grade.name: float(grade.score) for grade in notebook.grades}
    finally:
        gradebook.close()


def clicked_quiz_data(api: NbGraderAPI, quiz: str, paper: dict[str, Any]) -> QuizData:
    """Scores from the gradebook's ``mark_N``/``written_N`` cells, clicks from answers.json."""
    folders = CourseFolders.of(api)
    items = clicked_items(paper)
    paper_items = _paper_items(paper)
    bank = _read_bank(bank_folder(api), paper["module"])
    auto = [item for item in items if item["kind"] != "short_answer"]
    score_rows: dict[str, dict[str, float]] = {}
    choice_rows: dict[str, dict[str, str]] = {}
    picks: list[tuple[str, str, str]] = []  # (question, variant, authored label) per trainee
    seen: list[tuple[str, str]] = []  # (question, variant) per trainee
    for student, autograded, grades in _graded_submissions(api, folders, quiz):
        score_rows[student] = {item["id"]: grades.get(item["cell"], 0.0) for item in items}
        sheet, _ = sheet_for(paper, student)
        stored = read_answers(autograded.parent, paper["module"], paper.get("release", ""))
        row = {}
        for item in auto:
            slot = sheet.slots[int(item["id"][1:]) - 1]
            shown = paper_items.get(slot.item_id)
            seen.append((item["id"], slot.item_id))
            choice = stored.choices.get(slot.item_id)
            if choice is None:
                row[item["id"]] = BLANK
            elif shown is None or choice not in slot.option_ids:
                row[item["id"]] = OTHER
            else:
                row[item["id"]] = shown_label(shown, slot, choice)
                picks.append((item["id"], slot.item_id, authored_label(shown, choice)))
        choice_rows[student] = row
    ids = [item["id"] for item in items]
    scores = pd.DataFrame.from_dict(score_rows, orient="index", columns=ids).sort_index()
    choices = pd.DataFrame.from_dict(
        choice_rows, orient="index", columns=[item["id"] for item in auto]
    ).sort_index()
    key: dict[str, str] = {}
    distractors = None
    if bank is not None:
        default = sheet_from_json(paper["default_sheet"])
        for item in auto:
            if paper.get("mode") == COHORT:
                key[item["id"]] = "varies"
                continue
            slot = default.slots[int(item["id"][1:]) - 1]
            shown = paper_items[slot.item_id]
            right = shown["options"][bank.item(slot.item_id).correct_index][0]
            key[item["id"]] = shown_label(shown, slot, right)
        distractors = distractor_table(bank, seen, picks)
    return QuizData(
        quiz,
        items,
        key,
        scores,
        choices,
        float(sum(item["points"] for item in items)),
        distractors,
    )


def distractor_table(
    bank: Bank, seen: list[tuple[str, str]], picks: list[tuple[str, str, str]]
) -> pd.DataFrame:
    """Per question, item variant and option (bank order): how many saw it and chose it."""
    shown_to = Counter(seen)
    chosen = Counter(picks)
    rows = []
    for (question, variant), count in sorted(shown_to.items()):
        try:
            item = bank.item(variant)
        except KeyError:
            continue
        for index, option in enumerate(item.options):
            label = option.text.lower() if item.kind == "true_false" else LETTERS[index]
            rows.append(
                {
                    "item": question,
                    "variant": variant,
                    "option": label,
                    "text": option.text,
                    "correct": option.correct,
                    "seen": count,
                    "chosen": chosen[(question, variant, label)],
                }
            )
    return pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS)


def v1_distractor_table(
    items: list[dict[str, Any]], key: dict[str, str], choices: pd.DataFrame
) -> pd.DataFrame:
    """The same table for an older quiz: one variant per question, options a-e or true/false."""
    rows = []
    for item in items:
        if item["kind"] == "short_answer" or item["id"] not in key:
            continue
        column = choices[item["id"]] if item["id"] in choices else pd.Series(dtype=str)
        options = item.get("options") or ["true", "false"]
        for option in options:
            rows.append(
                {
                    "item": item["id"],
                    "variant": item["id"],
                    "option": option,
                    "text": "",
                    "correct": option == key[item["id"]],
                    "seen": len(column),
                    "chosen": int((column == option).sum()),
                }
            )
    return pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS)


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
            "slot": item.get("slot", ""),
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


def kr20(scores: pd.DataFrame) -> float:
    """Kuder-Richardson 20 of right/wrong item scores (rows trainees, columns items, 0 or 1).

    KR-20 = k / (k - 1) * (1 - sum(p_i * q_i) / var(X)), where k is the number of items, p_i
    the proportion right on item i, q_i = 1 - p_i, and var(X) the variance of the trainees'
    totals, both taken over the trainees present (divisor n). Undefined (NaN) with fewer than
    two items or trainees, or when every trainee has the same total.
    """
    data = scores.dropna().astype(float)
    trainees, k = data.shape
    if k < 2 or trainees < 2:
        return math.nan
    total_variance = float(data.sum(axis=1).var(ddof=0))
    if total_variance == 0:
        return math.nan
    p = data.mean(axis=0)
    return float(k / (k - 1) * (1 - float((p * (1 - p)).sum()) / total_variance))


def reliability_table(all_data: list[QuizData]) -> pd.DataFrame:
    """One row per quiz: KR-20 over its automatically marked questions (objective slots)."""
    rows = []
    for data in all_data:
        auto = [item for item in data.items if item["kind"] != "short_answer"]
        points = {item["id"]: item["points"] for item in auto}
        right = data.scores[[item["id"] for item in auto]].div(pd.Series(points))
        totals = right.sum(axis=1)
        rows.append(
            {
                "quiz": data.quiz,
                "items": len(auto),
                "trainees": len(right),
                "mean": float(totals.mean()) if len(right) else math.nan,
                "sd": float(totals.std(ddof=0)) if len(right) else math.nan,
                "kr20": kr20(right),
            }
        )
    return pd.DataFrame(rows, columns=["quiz", "items", "trainees", "mean", "sd", "kr20"])


def mastery_table(data: QuizData) -> pd.DataFrame:
    """Per learning objective: each trainee's share of its points, then the cohort's.

    A trainee row's ``mastered`` is 1 when ``mastery`` reaches :data:`MASTERY_LEVEL`, else 0;
    the cohort row's ``mastery`` is all points scored over all points possible (the trainees'
    mean, as every trainee has the same points per objective) and its ``mastered`` the share
    of trainees who mastered the objective. Ungraded hand-marked answers count as 0.
    """
    by_objective: dict[int, list[dict[str, Any]]] = {}
    for item in data.items:
        by_objective.setdefault(int(item["objective"]), []).append(item)
    rows = []
    for objective, items in sorted(by_objective.items()):
        ids = [item["id"] for item in items]
        possible = float(sum(item["points"] for item in items))
        scored = data.scores[ids].sum(axis=1)
        trainee_rows: list[dict[str, Any]] = [
            {
                "quiz": data.quiz,
                "objective": objective,
                "student": str(student),
                "scored": float(value),
                "possible": possible,
                "mastery": float(value) / possible if possible else math.nan,
            }
            for student, value in scored.items()
        ]
        for row in trainee_rows:
            row["mastered"] = float(row["mastery"] >= MASTERY_LEVEL)
        rows += trainee_rows
        if trainee_rows:
            total_possible = possible * len(trainee_rows)
            rows.append(
                {
                    "quiz": data.quiz,
                    "objective": objective,
                    "student": COHORT_ROW,
                    "scored": float(scored.sum()),
                    "possible": total_possible,
                    "mastery": float(scored.sum()) / total_possible if total_possible else math.nan,
                    "mastered": sum(r["mastered"] for r in trainee_rows) / len(trainee_rows),
                }
            )
    columns = ["quiz", "objective", "student", "scored", "possible", "mastery", "mastered"]
    return pd.DataFrame(rows, columns=columns)


def item_flags(stats: pd.DataFrame, distractors: pd.DataFrame) -> pd.DataFrame:
    """Items to look at again: discrimination under the floor; a wrong option nobody chose.

    ``stats`` is :func:`item_statistics`' table, ``distractors`` rows like
    :data:`DISTRACTOR_COLUMNS` plus ``quiz``. A distractor counts as unchosen only when at
    least one trainee was shown it.
    """
    rows = []
    for _, stat in stats.iterrows() if not stats.empty else []:
        value = stat["discrimination"]
        if not pd.isna(value) and value < DISCRIMINATION_FLOOR:
            rows.append(
                {
                    "quiz": stat["quiz"],
                    "item": stat["item"],
                    "variant": "",
                    "objective": stat["objective"],
                    "flag": "low discrimination",
                    "detail": f"discrimination {value:.2f} is below {DISCRIMINATION_FLOOR}",
                }
            )
    objectives = (
        {(row["quiz"], row["item"]): row["objective"] for _, row in stats.iterrows()}
        if not stats.empty
        else {}
    )
    unchosen = (
        distractors[(~distractors["correct"].astype(bool)) & (distractors["seen"] > 0)]
        if not distractors.empty
        else distractors
    )
    for _, row in unchosen.iterrows():
        if row["chosen"]:
            continue
        rows.append(
            {
                "quiz": row["quiz"],
                "item": row["item"],
                "variant": row["variant"] if row["variant"] != row["item"] else "",
                "objective": objectives.get((row["quiz"], row["item"]), ""),
                "flag": "distractor never chosen",
                "detail": f"option {row['option']} was chosen by none of the {row['seen']} "
                "trainees shown it",
            }
        )
    columns = ["quiz", "item", "variant", "objective", "flag", "detail"]
    order = {flag: n for n, flag in enumerate(("low discrimination", "distractor never chosen"))}
    rows.sort(key=lambda r: (r["quiz"], _question_order(r["item"]), order[r["flag"]]))
    return pd.DataFrame(rows, columns=columns)


def _question_order(name: str) -> tuple[int, str]:
    """q2 before q10; names that are not qN after them."""
    match = re.fullmatch(r"q(\d+)", str(name))
    return (int(match.group(1)), "") if match else (10**6, str(name))


# ----------------------------------------------------------------------- grader agreement


def weighted_kappa(
    first: Sequence[float], second: Sequence[float], categories: Sequence[float]
) -> float:
    """Cohen's kappa with quadratic weights for two graders' scores of the same answers.

    kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), where O is the table of observed
    proportions (first grader's score i, second's j), E = outer product of the two graders'
    marginal proportions (agreement expected by chance), and w_ij = (c_i - c_j)^2 /
    (c_max - c_min)^2 over the possible scores ``categories``. 1 is perfect agreement, 0 is
    chance. NaN when there are no pairs or chance alone predicts no disagreement.
    """
    if len(first) != len(second):
        raise ValueError("both graders must score the same answers")
    values = sorted({float(c) for c in categories} | {float(v) for v in (*first, *second)})
    n = len(first)
    if n == 0 or len(values) < 2:
        return math.nan
    index = {value: i for i, value in enumerate(values)}
    size = len(values)
    observed = [[0.0] * size for _ in range(size)]
    for a, b in zip(first, second, strict=True):
        observed[index[float(a)]][index[float(b)]] += 1 / n
    rows = [sum(line) for line in observed]
    cols = [sum(observed[i][j] for i in range(size)) for j in range(size)]
    spread = (values[-1] - values[0]) ** 2
    weight = [[(values[i] - values[j]) ** 2 / spread for j in range(size)] for i in range(size)]
    seen = sum(weight[i][j] * observed[i][j] for i in range(size) for j in range(size))
    chance = sum(weight[i][j] * rows[i] * cols[j] for i in range(size) for j in range(size))
    return math.nan if chance == 0 else 1 - seen / chance


def agreement_table(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Exact and adjacent agreement and weighted kappa per hand-marked question.

    ``first`` and ``second`` have columns quiz, item, student, score, max_score (one row per
    answer a grader marked). Only answers both graders marked are compared. Adjacent means
    within one point. A last row (quiz and item "all") pools every answer.
    """
    keys = ["quiz", "item", "student"]
    both = first.merge(second, on=keys, suffixes=("_1", "_2"))
    columns = ["quiz", "item", "max_score", "n", "exact", "adjacent", "kappa"]
    rows = []
    groups = [((quiz, item), part) for (quiz, item), part in both.groupby(["quiz", "item"])]
    if not both.empty:
        groups.append((("all", "all"), both))
    for (quiz, item), part in groups:
        gap = (part["score_1"] - part["score_2"]).abs()
        top = float(max(part["max_score_1"].max(), part["max_score_2"].max()))
        rows.append(
            {
                "quiz": quiz,
                "item": item,
                "max_score": top,
                "n": len(part),
                "exact": float((gap == 0).mean()),
                "adjacent": float((gap <= 1).mean()),
                "kappa": weighted_kappa(
                    list(part["score_1"]), list(part["score_2"]), range(int(top) + 1)
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


_HAND_CELL = re.compile(r"^(?:written_(\d+)|q(\d+)_answer)$")


def question_name(cell: str) -> str:
    """A grade cell's question: written_3 (clicked quiz) and q3_answer (older quiz) are q3."""
    match = _HAND_CELL.match(cell)
    return f"q{match.group(1) or match.group(2)}" if match else cell


def hand_marks(gradebook: Any) -> pd.DataFrame:
    """Every hand-marked score in an open nbgrader gradebook.

    Hand-marked means a markdown grade cell worth points (nbgrader marks only code cells
    itself) that a grader has scored; ungraded answers are left out.
    """
    rows = []
    for assignment in gradebook.assignments:
        for submission in gradebook.assignment_submissions(assignment.name):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    cell = grade.cell
                    hand_marked = cell.cell_type == "markdown" and (cell.max_score or 0) > 0
                    if not hand_marked or grade.manual_score is None:
                        continue
                    rows.append(
                        {
                            "quiz": assignment.name,
                            "item": question_name(grade.name),
                            "student": submission.student.id,
                            "score": float(grade.manual_score),
                            "max_score": float(cell.max_score),
                        }
                    )
    return pd.DataFrame(rows, columns=["quiz", "item", "student", "score", "max_score"])


def gradebook_url(place: str) -> str:
    """A database URL for a gradebook given as a URL or as the path of its SQLite file."""
    url = place if "://" in place else f"sqlite:///{Path(place).expanduser().resolve()}"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            raise CourseError(
                f"No gradebook at {path}: give the other grader's gradebook.db (or its "
                "sqlite:///... URL)."
            )
    return url


def read_hand_marks(place: str) -> pd.DataFrame:
    """:func:`hand_marks` of the gradebook at ``place`` (a URL or a SQLite file).

    nbgrader's Gradebook writes when it opens a database (a course row, missing tables), so a
    SQLite gradebook is read from a copy: the graders' own files are never changed.
    """
    from intimacy_course.grading.course import quiet_nbgrader

    url = gradebook_url(place)
    with tempfile.TemporaryDirectory(prefix="gradebook-") as scratch:
        if url.startswith("sqlite:///"):
            copy = Path(scratch) / "gradebook.db"
            shutil.copyfile(url.removeprefix("sqlite:///"), copy)
            url = f"sqlite:///{copy}"
        with quiet_nbgrader():
            from nbgrader.api import Gradebook

            gradebook = Gradebook(url)
        try:
            return hand_marks(gradebook)
        finally:
            gradebook.close()


def compare_gradebooks(first_url: str, second_url: str) -> pd.DataFrame:
    """:func:`agreement_table` of the hand marks in two gradebooks (URLs or SQLite paths)."""
    return agreement_table(read_hand_marks(first_url), read_hand_marks(second_url))


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
    reliability: pd.DataFrame = field(default_factory=pd.DataFrame)
    mastery: pd.DataFrame = field(default_factory=pd.DataFrame)
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)
    distractors: pd.DataFrame = field(default_factory=pd.DataFrame)
    agreement: pd.DataFrame | None = None
    files: dict[str, Path] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """Lines for the terminal: the new files, KR-20 per quiz, flags, grader agreement."""
        lines = [f"{what}: {path}" for what, path in self.files.items()]
        for _, row in self.reliability.iterrows():
            value = "undefined" if pd.isna(row["kr20"]) else f"{row['kr20']:.2f}"
            lines.append(
                f"KR-20 {row['quiz']}: {value} ({row['items']} clicked questions, "
                f"{row['trainees']} trainees)"
            )
        if not self.flags.empty:
            lines.append(f"Items flagged for review: {len(self.flags)} (see item_flags.csv).")
        if self.agreement is not None:
            if self.agreement.empty:
                lines.append("Grader agreement: no answer was hand-marked in both gradebooks.")
            for _, row in self.agreement.iterrows():
                kappa = "undefined" if pd.isna(row["kappa"]) else f"{row['kappa']:.2f}"
                lines.append(
                    f"Agreement {row['quiz']} {row['item']}: n {row['n']}, exact "
                    f"{row['exact']:.0%}, within 1 point {row['adjacent']:.0%}, weighted kappa "
                    f"{kappa}"
                )
        return lines


def write_report(
    api: NbGraderAPI, out: Path | None = None, compare_with: str | None = None
) -> Report:
    """Write the grades CSV, the item analysis CSV and the plots; return what was written.

    Also writes reliability, mastery, item flags and distractor counts; with
    ``compare_with`` (another grader's gradebook, a URL or a SQLite file), the agreement of
    that grader's hand marks with this course's.
    """
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
    reliability = reliability_table(all_data)
    mastery = (
        pd.concat([mastery_table(d) for d in all_data], ignore_index=True)
        if all_data
        else mastery_table(QuizData("", [], {}, pd.DataFrame(), pd.DataFrame(), 0.0))
    )
    distractors = pd.concat(
        [pd.DataFrame(columns=["quiz", *DISTRACTOR_COLUMNS])]
        + [
            d.distractors.assign(quiz=d.quiz)[["quiz", *DISTRACTOR_COLUMNS]]
            for d in all_data
            if d.distractors is not None and not d.distractors.empty
        ],
        ignore_index=True,
    )
    flags = item_flags(stats, distractors)
    files = {
        "Reliability (KR-20 per quiz)": out / "reliability.csv",
        "Mastery per objective": out / "mastery.csv",
        "Items flagged for review": out / "item_flags.csv",
        "Option choices per item variant": out / "distractors.csv",
    }
    for table, path in zip((reliability, mastery, flags, distractors), files.values(), strict=True):
        table.to_csv(path, index=False, float_format="%.4g")
    agreement = None
    if compare_with:
        agreement = compare_gradebooks(api.coursedir.db_url, compare_with)
        files["Grader agreement"] = out / "grader_agreement.csv"
        agreement.to_csv(files["Grader agreement"], index=False, float_format="%.4g")
    plots = []
    if all_data:
        for name, fig in (
            ("item_statistics.png", plot_item_statistics(stats)),
            ("score_distributions.png", plot_score_distributions(all_data)),
        ):
            fig.savefig(out / name, dpi=120)
            plots.append(out / name)
    return Report(
        grades_csv,
        items_csv,
        plots,
        grades,
        stats,
        pending,
        reliability,
        mastery,
        flags,
        distractors,
        agreement,
        files,
    )

"""``intimacy-course check PATH``: a self-learner marks one quiz copy, no instructor needed.

The copy is graded by nbgrader itself in a throwaway course: the quiz's source is copied to a
temporary folder, ``generate_assignment`` builds its gradebook, the learner's notebook is
autograded as a submission and ``generate_feedback`` writes the feedback page, which is kept
in a ``feedback/`` folder next to the quiz copy. The learner's own file is only read.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from intimacy_course.errors import CourseError
from intimacy_course.grading.course import (
    QUIZ_FILE,
    QUIZ_NOTEBOOK,
    course_config,
    open_api,
    quiet_nbgrader,
    quiz_metadata,
    read_notebook_json,
)
from intimacy_course.grading.folders import CourseFolders
from intimacy_course.grading.processes import descendants, end_descendants
from intimacy_course.grading.selfcheck import default_feedback_path
from intimacy_course.paths import MODULES, grading_dir

LEARNER_ID = "me"

#: Set by ``intimacy-course check`` when a terminating signal arrives: nbgrader's API swallows
#: exceptions raised inside it, so the check looks here after each step and stops cleanly.
STOP = threading.Event()


def stop_if_asked() -> None:
    """Raise KeyboardInterrupt when a stop was asked for, so ``with`` blocks clean up."""
    if STOP.is_set():
        raise KeyboardInterrupt("stopped")


class QuizCheckError(CourseError, ValueError):
    """The file cannot be checked; the message says why and what to do."""


@dataclass
class ItemResult:
    item: str
    kind: str
    objective: int
    points: float
    score: float | None  # None: waits for hand marking
    status: str  # right | not right | not answered | by hand | not marked
    explanation: str = ""


@dataclass
class CheckResult:
    quiz: str
    title: str
    items: list[ItemResult] = field(default_factory=list)
    feedback: Path | None = None

    @property
    def autograded_score(self) -> float:
        return sum(i.score or 0 for i in self.items if i.kind != "short_answer")

    @property
    def autograded_points(self) -> float:
        return sum(i.points for i in self.items if i.kind != "short_answer")

    @property
    def hand_points(self) -> float:
        return sum(i.points for i in self.items if i.kind == "short_answer")


def identify_quiz(path: Path) -> tuple[str, dict[str, Any]]:
    """Which quiz ``path`` is a copy of, and its description; QuizCheckError if none."""
    path = Path(path)
    if not path.exists():
        raise QuizCheckError(
            f"There is no file at {path}. Check the path: your quiz copies are "
            f"my_work/NN_topic/{QUIZ_FILE} in the course folder (for example "
            "my_work/01_attachment_injury/quiz.ipynb); run `intimacy-course setup` to make missing ones."
        )
    if path.is_dir():
        raise QuizCheckError(
            f"{path} is a folder. Give the path of the quiz notebook, e.g. {path / QUIZ_FILE}."
        )
    try:
        data = read_notebook_json(path)
    except ValueError as problem:
        raise QuizCheckError(
            f"{path} cannot be read as a notebook: {problem}. If you edited it outside "
            "Jupyter, undo that edit; or rename the file and run `intimacy-course setup` to get "
            "a fresh copy of the quiz."
        ) from problem
    meta = quiz_metadata(data)
    if meta is None:
        ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in data["cells"]}
        if path.parent.name in MODULES and "q1_answer" in ids:
            meta = quiz_metadata(legacy_source(path.parent.name, grading_dir()))
    if meta is None:
        raise QuizCheckError(
            f"{path} is a notebook but not one of this course's quizzes (it has no quiz "
            f"questions). Quiz copies are my_work/NN_topic/{QUIZ_FILE}."
        )
    return meta["quiz"], meta


def _cell_outputs(nb: Any, grade_id: str) -> tuple[str, str, str]:
    """(printed text, error name, error message) of the cell with ``grade_id``."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id:
            continue
        text = "".join(
            o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"
        )
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return text.strip(), output.get("ename", ""), output.get("evalue", "")
        return text.strip(), "", ""
    return "", "", ""


def _item_results(api: Any, quiz: str, meta: dict[str, Any], autograded: Path) -> list[ItemResult]:
    nb = nbformat.read(autograded, as_version=4)
    gradebook = api.gradebook
    try:
        notebook = gradebook.find_submission_notebook(QUIZ_NOTEBOOK, quiz, LEARNER_ID)
        grades = {grade.name: grade for grade in notebook.grades}
        results = []
        for item in meta["items"]:
            kind, name = item["kind"], item["id"]
            if kind == "short_answer":
                grade = grades.get(f"{name}_answer")
                if grade is not None and not grade.needs_manual_grade and grade.auto_score == 0:
                    results.append(
                        ItemResult(
                            name,
                            kind,
                            item["objective"],
                            item["points"],
                            0.0,
                            "not answered",
                            "The answer cell still says YOUR ANSWER HERE.",
                        )
                    )
                else:
                    results.append(
                        ItemResult(
                            name,
                            kind,
                            item["objective"],
                            item["points"],
                            None,
                            "by hand",
                            "Marked by hand: compare your answer with the rubric "
                            "and model answer on the feedback page.",
                        )
                    )
                continue
            grade = grades.get(f"{name}_test")
            score = float(grade.score) if grade is not None else 0.0
            printed, ename, evalue = _cell_outputs(nb, f"{name}_test")
            if score >= item["points"]:
                results.append(
                    ItemResult(name, kind, item["objective"], item["points"], score, "right")
                )
                continue
            if ename == "AssertionError":
                blank = "not answered yet" in printed or "no answer to read" in printed
                status = "not answered" if blank else "not right"
                note = evalue
                if printed and ("reads as" not in printed):
                    note = f"{printed} {evalue}"
            else:
                status = "not marked"
                note = (
                    f"The test could not run ({ename or 'no result'}: {evalue}). {printed}".strip()
                )
            results.append(
                ItemResult(name, kind, item["objective"], item["points"], score, status, note)
            )
        return results
    finally:
        gradebook.close()


def _grading_problem(result: dict[str, Any]) -> str:
    """The lines of nbgrader's answer that say what went wrong (its errors, else its last words)."""
    log = str(result.get("log") or "")
    errors = [
        line.strip() for line in log.splitlines() if "[ERROR]" in line and "Please see" not in line
    ]
    return " ".join(errors[:3])[-600:] if errors else str(result.get("error") or log)[-400:]


def bank_directory(grading: Path) -> Path:
    """The bank a practice quiz is marked against: a private bank if configured, else grading/items."""
    from intimacy_course import settings

    return settings.bank_override() or grading / "items"


def legacy_source(quiz: str, grading: Path) -> Any:  # an nbformat notebook
    """The version-1 source quiz of ``quiz``, built from ``grading/items/v1`` for old copies."""
    from intimacy_course.quiz.build import build_quiz as build_v1
    from intimacy_course.quiz.build import learning_objectives
    from intimacy_course.quiz.items import ItemsError, load_quiz

    items = grading / "items" / "v1" / f"{quiz}.toml"
    try:
        v1 = load_quiz(items)
    except (ItemsError, OSError) as error:
        raise QuizCheckError(
            f"The course has no version-1 quiz for {quiz} ({items}): {error}"
        ) from None
    return build_v1(v1, learning_objectives(v1.module, None))


def check_quiz(
    path: Path,
    feedback_path: Path | None = None,
    grading: Path | None = None,
    timeout: int | None = None,
    reveal: bool = False,
) -> CheckResult:
    """Mark one quiz copy and describe each item's result.

    A clicked quiz is marked from its answers file at once (:mod:`.clicked_check`). An older
    copy, made from bank version 1, is graded by nbgrader in a temporary course built from
    that version (``grading/items/v1``), so it is marked against what it was made from.
    """
    path = Path(path)
    grading = Path(grading or grading_dir())
    if path.is_file():
        try:
            data = read_notebook_json(path)
        except ValueError:
            data = {}
        from intimacy_course.grading.clicked_check import (
            ClickedCheckError,
            check_clicked,
            clicked_paper,
        )

        paper = clicked_paper(data) if isinstance(data, dict) else None
        if paper is not None:
            try:
                result, _ = check_clicked(
                    path, paper, bank_directory(grading), reveal=reveal, feedback_path=feedback_path
                )
            except ClickedCheckError as error:
                raise QuizCheckError(str(error)) from None
            return result
    quiz, meta = identify_quiz(path)
    overrides: dict[str, dict[str, Any]] = {"Execute": {"timeout": timeout}} if timeout else {}
    # Older copies were released with nbgrader's own placeholder for written answers.
    overrides["ClearSolutions"] = {"text_stub": "YOUR ANSWER HERE"}
    already_running = set(descendants())
    with tempfile.TemporaryDirectory(prefix="intimacy-check-") as scratch_name:
        try:
            return _grade_in_scratch_course(
                Path(scratch_name), path, quiz, meta, grading, overrides, feedback_path
            )
        except KeyboardInterrupt:
            # Stopped half-way: a kernel still starting would outlive its folder (processes.py).
            end_descendants(keep=already_running)
            raise


def _grade_in_scratch_course(
    scratch: Path,
    path: Path,
    quiz: str,
    meta: dict[str, Any],
    grading: Path,
    overrides: dict[str, dict[str, Any]],
    feedback_path: Path | None,
) -> CheckResult:
    """Grade an older copy with nbgrader in a temporary course built from bank version 1."""
    course = CourseFolders.from_config(course_config(grading, settings_from=grading))
    source = legacy_source(quiz, grading)
    # The scratch course uses the course's own settings, folder names included.
    folders = CourseFolders.from_config(course_config(scratch, settings_from=grading))
    folders.source(quiz).mkdir(parents=True)
    nbformat.write(source, folders.source_quiz(quiz))
    if course.header.exists():
        shutil.copy2(course.header, folders.header)
    config = course_config(scratch, settings_from=grading, **overrides)
    api = open_api(config)
    with quiet_nbgrader():
        made = api.generate_assignment(quiz, force=True, create=True)
    stop_if_asked()
    if not made["success"]:
        raise QuizCheckError(
            f"nbgrader could not prepare the quiz {quiz}: {made.get('error', '')[-300:]}"
        )
    folders.submitted(LEARNER_ID, quiz).mkdir(parents=True)
    shutil.copyfile(path, folders.submitted_quiz(LEARNER_ID, quiz))
    with quiet_nbgrader():
        graded = api.autograde(quiz, LEARNER_ID, force=True, create=True)
    stop_if_asked()
    if not graded["success"]:
        raise QuizCheckError(f"nbgrader could not grade {path}: {_grading_problem(graded)}")
    from intimacy_course.grading.batch import settle_rubric_cells

    with quiet_nbgrader():
        settle_rubric_cells(api, quiz, LEARNER_ID)
        feedback = api.generate_feedback(quiz, LEARNER_ID, force=True)
    result = CheckResult(quiz=quiz, title=meta.get("title", quiz))
    result.items = _item_results(api, quiz, meta, folders.autograded_quiz(LEARNER_ID, quiz))
    html = folders.feedback_page(LEARNER_ID, quiz)
    if feedback["success"] and html.exists():
        target = Path(feedback_path) if feedback_path else default_feedback_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(html, target)
        result.feedback = target
    return result


def _points(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def format_result(result: CheckResult, width: int = 100, reveal: bool = False) -> str:
    """The per-item table printed by ``check``."""
    lines = [
        result.title,
        f"Marked automatically: {_points(result.autograded_score)} of {_points(result.autograded_points)} points."
        + (
            f" Marked by hand: {_points(result.hand_points)} points (not scored here)."
            if result.hand_points
            else ""
        ),
        "",
        f"{'item':<5} {'objective':>9} {'points':>6} {'score':>5}  result",
    ]
    for item in result.items:
        lines.append(
            f"{item.item:<5} {item.objective:>9} {_points(item.points):>6} "
            f"{_points(item.score):>5}  {item.status}"
        )
        if item.status == "not answered" and item.kind != "short_answer" and not reveal:
            lines.append("      (the answer stays hidden; add --show-answers to see it)")
        elif item.explanation:
            lines += textwrap.wrap(
                item.explanation, width=width, initial_indent="      ", subsequent_indent="      "
            )
    lines.append("")
    if result.feedback:
        lines.append(f"Feedback page: {Path(result.feedback).resolve().as_uri()}")
    else:
        lines.append("No feedback page could be written.")
    return "\n".join(lines)

"""The instructor's batch steps: release every quiz, autograde every submission, feedback.

One broken submission must never stop a cohort's grading: each submission is graded on its
own, its outcome (score, time, or the reason it could not be graded) is recorded, printed as
one progress line and written to ``grading/reports/grading_log.csv``. Unreadable files (empty,
not JSON) are reported without handing them to nbgrader.

Parallel grading (``jobs > 1``) runs whole submissions in separate processes against the one
SQLite gradebook. Each process writes only its own trainees' rows, students are created
beforehand, and a submission that still meets a locked database is graded again serially at
the end. ``benchmarks/grading.py`` measures whether it pays on a given machine.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intimacy_course.grading.course import (
    QUIZ_FILE,
    QUIZ_NOTEBOOK,
    exchange_configured,
    open_api,
    quiet_nbgrader,
    read_notebook_json,
    source_quizzes,
)
from intimacy_course.grading.folders import CourseFolders

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

Progress = Callable[[str], None]
LOCKED_DATABASE = "database is locked"


@dataclass
class Outcome:
    """What happened to one submission."""

    student: str
    quiz: str
    graded: bool
    score: float | None = None
    max_score: float | None = None
    to_grade_by_hand: float = 0.0
    seconds: float = 0.0
    problem: str = ""

    def line(self, number: int, total: int) -> str:
        head = f"[{number}/{total}] {self.student} {self.quiz}:"
        if not self.graded:
            return f"{head} NOT GRADED: {self.problem} ({self.seconds:.1f} s)"
        score = f"{_number(self.score)}/{_number(self.max_score)}"
        hand = (
            f", {_number(self.to_grade_by_hand)} to grade by hand" if self.to_grade_by_hand else ""
        )
        return f"{head} {score}{hand} ({self.seconds:.1f} s)"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass
class ReleaseResult:
    quiz: str
    released: bool
    to_exchange: bool = False
    problem: str = ""
    details: list[str] = field(default_factory=list)


_EXCEPTION_LINE = re.compile(r"^([\w.]+(?:Error|Exception|Interrupt|Exit)):\s*(.*)$")


def _failure_reason(result: dict[str, Any]) -> str:
    """The most telling line of a failed nbgrader run: its root exception, if any."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    causes = [
        line for line in lines if _EXCEPTION_LINE.match(line) and "NbGraderException" not in line
    ]
    if causes:
        return causes[-1][:300]
    errors = [line.removeprefix("[ERROR] ") for line in lines if line.startswith("[ERROR]")]
    if errors:
        return errors[0][:300]
    return lines[-1][:300] if lines else "nbgrader failed without a message"


_MISSING_CELL = re.compile(r"KeyError: '(q\d+)_(answer|test|question)'")


def _explain(reason: str) -> str:
    """Add what to do to nbgrader failures that have a known cause."""
    missing = _MISSING_CELL.search(reason)
    if missing:
        return (
            f"{reason}: both the answer cell and the test cell of question {missing.group(1)} "
            "were deleted, and nbgrader 0.9 cannot restore a test cell whose answer cell is "
            "gone. Copy the two cells back from the released quiz into the submission, then "
            "grade again."
        )
    return reason


def _shown(folders: CourseFolders, folder: Path) -> str:
    """A course folder as a person would name it: ``grading/release/``."""
    return f"{folders.root.name}/{folder.relative_to(folders.root).as_posix()}/"


def release_all(
    api: NbGraderAPI, quizzes: list[str] | None = None, progress: Progress = print
) -> list[ReleaseResult]:
    """``generate_assignment`` for every quiz, and ``release_assignment`` with an exchange."""
    folders = CourseFolders.of(api)
    quizzes = quizzes or source_quizzes(folders)
    release_folder = _shown(folders, folders.release())
    to_exchange = exchange_configured(api.config)
    results = []
    for number, quiz in enumerate(quizzes, start=1):
        started = time.perf_counter()
        with quiet_nbgrader():
            made = api.generate_assignment(quiz, force=True, create=True)
        result = ReleaseResult(quiz, bool(made["success"]))
        if not made["success"]:
            result.problem = _failure_reason(made)
        elif to_exchange:
            with quiet_nbgrader():
                sent = api.release_assignment(quiz)
            result.to_exchange = bool(sent["success"])
            if not sent["success"]:
                result.problem = (
                    f"released to {release_folder} but not to the exchange: "
                    + _failure_reason(sent)
                )
        seconds = time.perf_counter() - started
        where = release_folder + (" and the exchange" if result.to_exchange else "")
        status = (
            f"released to {where}"
            if result.released and not result.problem
            else f"FAILED: {result.problem}"
        )
        progress(f"[{number}/{len(quizzes)}] {quiz}: {status} ({seconds:.1f} s)")
        results.append(result)
    return results


def find_submissions(folders: CourseFolders) -> list[tuple[str, str]]:
    """(student, quiz) for every submission folder of a known quiz, wherever nbgrader's
    settings put submissions (``submitted/<student>/<quiz>/`` by default)."""
    known = set(source_quizzes(folders))
    return [(student, quiz) for student, quiz in folders.assignments("submitted") if quiz in known]


def settle_rubric_cells(api: NbGraderAPI, quiz: str, student: str) -> None:
    """Clear "needs manual grade" on the 0-point rubric task cells of one submission.

    The rubric lives in a 0-point task cell (the only place nbgrader keeps a mark scheme);
    nbgrader flags every task cell for hand grading, which would leave every submission
    "needing grading" until someone scored 0 out of 0. The points sit on the answer cell.
    """
    gradebook = api.gradebook
    try:
        notebook = gradebook.find_submission_notebook(QUIZ_NOTEBOOK, quiz, student)
        changed = False
        for grade in notebook.grades:
            if (
                grade.cell_type == "markdown"
                and grade.max_score == 0
                and grade.needs_manual_grade
                and grade.name.endswith("_question")
            ):
                grade.needs_manual_grade = False
                changed = True
        if changed:
            gradebook.db.commit()
    finally:
        gradebook.close()


def _scores(api: NbGraderAPI, quiz: str, student: str) -> tuple[float, float, float]:
    gradebook = api.gradebook
    try:
        notebook = gradebook.find_submission_notebook(QUIZ_NOTEBOOK, quiz, student)
        score = sum(grade.score for grade in notebook.grades)
        maximum = sum(grade.max_score for grade in notebook.grades)
        by_hand = sum(g.max_score for g in notebook.grades if g.needs_manual_grade)
        return score, maximum, by_hand
    finally:
        gradebook.close()


def grade_submission(api: NbGraderAPI, student: str, quiz: str) -> Outcome:
    """Autograde one submission; never raises for a problem in the submission itself."""
    started = time.perf_counter()
    outcome = Outcome(student=student, quiz=quiz, graded=False)
    notebook = CourseFolders.of(api).submitted_quiz(student, quiz)
    try:
        if not notebook.exists():
            outcome.problem = f"no {QUIZ_FILE} in the submission folder"
            return outcome
        try:
            read_notebook_json(notebook)
        except ValueError as problem:
            outcome.problem = f"{QUIZ_FILE} cannot be read: {problem}"
            return outcome
        with quiet_nbgrader():
            result = api.autograde(quiz, student, force=True, create=True)
        if not result["success"]:
            outcome.problem = _explain(_failure_reason(result))
            return outcome
        with quiet_nbgrader():
            settle_rubric_cells(api, quiz, student)
            outcome.score, outcome.max_score, outcome.to_grade_by_hand = _scores(api, quiz, student)
        outcome.graded = True
        return outcome
    except Exception as problem:  # one submission must not stop the batch
        outcome.problem = f"{type(problem).__name__}: {problem}"[:300]
        return outcome
    finally:
        outcome.seconds = time.perf_counter() - started


def _ensure_in_gradebook(
    api: NbGraderAPI, quizzes: set[str], students: set[str], progress: Progress
) -> None:
    """Make sure each quiz was generated into this gradebook and each student exists."""
    from nbgrader.api import MissingEntry

    gradebook = api.gradebook
    try:
        missing = []
        for quiz in sorted(quizzes):
            try:
                gradebook.find_assignment(quiz)
            except MissingEntry:
                missing.append(quiz)
        for student in sorted(students):
            gradebook.update_or_create_student(student)
    finally:
        gradebook.close()
    for quiz in missing:
        progress(f"{quiz} is not in the gradebook yet: generating it first.")
        with quiet_nbgrader():
            api.generate_assignment(quiz, force=True, create=True)


# Worker-process state for parallel grading: one API per process, built once.
_WORKER: dict[str, Any] = {}


def _worker_start(config: Config) -> None:
    _WORKER["api"] = open_api(config)


def _worker_grade(student: str, quiz: str) -> Outcome:
    return grade_submission(_WORKER["api"], student, quiz)


def grade_all(
    config: Config,
    jobs: int = 1,
    progress: Progress = print,
    submissions: list[tuple[str, str]] | None = None,
    log_csv: Path | None = None,
) -> list[Outcome]:
    """Collect (with an exchange) and autograde every submission; return every outcome."""
    api = open_api(config)
    folders = CourseFolders.of(api)
    if exchange_configured(config):
        for quiz in source_quizzes(folders):
            with quiet_nbgrader():
                collected = api.collect(quiz)
            if not collected["success"]:
                progress(f"collect {quiz}: FAILED: {_failure_reason(collected)}")
    todo = submissions if submissions is not None else find_submissions(folders)
    total = len(todo)
    if not total:
        example = folders.submitted_quiz("<trainee>", "<quiz>").relative_to(folders.root)
        progress(f"No submissions found in {folders.root} (expected {example.as_posix()}).")
        return []
    _ensure_in_gradebook(api, {q for _, q in todo}, {s for s, _ in todo}, progress)
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress(outcome.line(len(outcomes), total))

    if jobs <= 1 or total == 1:
        for student, quiz in todo:
            report(grade_submission(api, student, quiz))
    else:
        retry = []
        context = get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_worker_start, initargs=(config,)
        ) as pool:
            futures = [pool.submit(_worker_grade, s, q) for s, q in todo]
            for future in as_completed(futures):
                outcome = future.result()
                if not outcome.graded and LOCKED_DATABASE in outcome.problem:
                    retry.append(outcome)
                    continue
                report(outcome)
        for retried in retry:
            report(grade_submission(api, retried.student, retried.quiz))
        order = {key: index for index, key in enumerate(todo)}
        outcomes.sort(key=lambda o: order[(o.student, o.quiz)])
    write_log(outcomes, log_csv or folders.root / "reports" / "grading_log.csv")
    failed = [o for o in outcomes if not o.graded]
    graded = total - len(failed)
    progress(
        f"Graded {graded} of {total} submissions."
        + (f" {len(failed)} could not be graded:" if failed else "")
    )
    for outcome in failed:
        progress(f"  {outcome.student} {outcome.quiz}: {outcome.problem}")
    return outcomes


def write_log(outcomes: list[Outcome], path: Path) -> Path:
    """One row per submission: who, which quiz, score, time, and any problem."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(Outcome.__dataclass_fields__)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for outcome in outcomes:
            row = asdict(outcome)
            row["seconds"] = f"{outcome.seconds:.2f}"
            writer.writerow(row)
    return path


def feedback_all(api: NbGraderAPI, progress: Progress = print) -> list[tuple[str, str, bool]]:
    """``generate_feedback`` for every autograded submission (and release it via an exchange)."""
    from intimacy_course.grading.cohort import bank_folder
    from intimacy_course.grading.learner_feedback import write_learner_feedback

    folders = CourseFolders.of(api)
    known = set(source_quizzes(folders))
    todo = [(student, quiz) for student, quiz in folders.assignments("autograded") if quiz in known]
    to_exchange = exchange_configured(api.config)
    results = []
    for number, (student, quiz) in enumerate(todo, start=1):
        started = time.perf_counter()
        with quiet_nbgrader():
            made = api.generate_feedback(quiz, student, force=True)
            if made["success"]:
                # A clicked quiz gets the learners' page in place of nbgrader's raw one.
                write_learner_feedback(api, student, quiz, bank_folder(folders.root))
            if made["success"] and to_exchange:
                made = api.release_feedback(quiz, student)
        seconds = time.perf_counter() - started
        status = "feedback ready" if made["success"] else f"FAILED: {_failure_reason(made)}"
        progress(f"[{number}/{len(todo)}] {student} {quiz}: {status} ({seconds:.1f} s)")
        results.append((student, quiz, bool(made["success"])))
    return results

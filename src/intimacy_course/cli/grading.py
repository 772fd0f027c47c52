"""``intimacy-course check | release | grade | feedback | report``: quizzes and grading.

``check`` is for self-learners (one quiz copy, a temporary course). The other four are the
instructor's course cycle on ``grading/``; grading/README.md lists the plain nbgrader and
formgrader steps behind each of them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intimacy_course.errors import CourseError

if TYPE_CHECKING:
    from traitlets.config import Config


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the quiz and grading subcommands."""
    check = subparsers.add_parser(
        "check", help="mark one of your quiz copies on this computer and explain each answer"
    )
    check.add_argument(
        "path", type=Path, help="the quiz notebook, e.g. my_work/01_attachment_injury/quiz.ipynb"
    )
    check.add_argument(
        "--feedback",
        type=Path,
        default=None,
        help="where to write the feedback page (default: feedback/ next to the quiz)",
    )
    check.add_argument(
        "--timeout", type=int, default=None, help="seconds a cell may run (default: course setting)"
    )
    check.add_argument(
        "--show-answers",
        action="store_true",
        help="also show the answers to questions you have not answered",
    )
    check.set_defaults(handler=_check)

    release = subparsers.add_parser(
        "release",
        help="instructor: build the student version of every quiz (and release it via an exchange)",
    )
    release.add_argument("quizzes", nargs="*", help="only these quizzes (default: all)")
    release.add_argument(
        "--cohort",
        action="store_true",
        help="a graded class: one item per objective and shuffled options per trainee "
        "(from your private seed), and no self-check",
    )
    release.add_argument(
        "--student",
        action="append",
        default=[],
        metavar="NAME",
        help="with --cohort: also draw for this trainee (the gradebook's trainees always are)",
    )
    release.add_argument(
        "--new-seed",
        action="store_true",
        help="with --cohort: create your private seed file first (never overwrites one)",
    )
    release.set_defaults(handler=_release)

    grade = subparsers.add_parser(
        "grade", help="instructor: autograde every submission in grading/submitted/, with progress"
    )
    grade.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="grade this many submissions at once (default 1; see grading/README.md)",
    )
    grade.add_argument(
        "--timeout", type=int, default=None, help="seconds a cell may run (default: course setting)"
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run trainees' code WITHOUT the sandbox (only if you trust every submission)",
    )
    grade.set_defaults(handler=_grade)

    feedback = subparsers.add_parser(
        "feedback", help="instructor: write feedback pages for every graded submission"
    )
    feedback.set_defaults(handler=_feedback)

    report = subparsers.add_parser(
        "report", help="instructor: grades CSV, item analysis CSV and plots in grading/reports/"
    )
    report.add_argument(
        "--out", type=Path, default=None, help="folder for the report (default grading/reports/)"
    )
    report.add_argument(
        "--compare-with",
        default=None,
        metavar="GRADEBOOK",
        help="another grader's gradebook (gradebook.db or a sqlite:/// URL) who hand-marked the "
        "same answers: write their agreement with this course's marks (exact, within 1 point, "
        "weighted kappa)",
    )
    report.set_defaults(handler=_report)


def _check(args: argparse.Namespace) -> int:
    from intimacy_course.grading.check import QuizCheckError, check_quiz, format_result

    if args.timeout is not None and args.timeout < 1:
        raise CourseError(
            "--timeout must be 1 second or more (it limits how long one cell may run)."
        )
    if args.feedback is not None:
        _check_feedback_target(args.feedback)
    if args.path.is_file():
        try:
            with args.path.open("rb"):
                pass
        except OSError as error:
            raise CourseError(
                f"{args.path} cannot be read ({error.strerror}). Check its permissions "
                "(ls -l), or make a fresh copy with `intimacy-course setup`."
            ) from None
    _stop_cleanly_on_signals()
    try:
        result = check_quiz(
            args.path, feedback_path=args.feedback, timeout=args.timeout, reveal=args.show_answers
        )
    except QuizCheckError as problem:
        raise CourseError(str(problem)) from problem
    print(format_result(result, reveal=args.show_answers))
    return 0


class Stopped(KeyboardInterrupt):
    """A terminating signal, raised where the program is, so that cleanup code runs."""


def _stop_cleanly_on_signals() -> None:
    """Turn SIGTERM, SIGHUP and Ctrl-C (SIGINT) into one exception, and remember the stop.

    ``check`` grades an older copy in a temporary course (holding a copy of that quiz's key)
    with a kernel of its own; unwinding through ``with`` blocks stops the kernel and removes
    the course, where the default action of these signals would leave both behind.
    """
    import signal

    from intimacy_course.grading.check import STOP

    def stop(number: int, _frame: object) -> None:
        STOP.set()
        raise Stopped(f"stopped by signal {number}")

    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        signal.signal(getattr(signal, name), stop)


def _check_feedback_target(target: Path) -> None:
    """--feedback names the page to write: an .html file in a folder that exists."""
    if target.is_dir() or str(target).endswith("/"):
        raise CourseError(
            f"--feedback {target} is a folder. Give the page's file name, e.g. {target / 'quiz.html'}."
        )
    if not target.parent.is_dir():
        raise CourseError(
            f"--feedback {target}: the folder {target.parent} is missing. Create it first, or "
            "leave --feedback out to write the page beside the quiz."
        )
    if target.suffix.lower() not in (".html", ".htm"):
        raise CourseError(
            f"--feedback {target} does not end in .html; choose a name like feedback.html "
            "(an existing file of another kind is never overwritten)."
        )


def _course(timeout: int | None = None) -> Config:
    from intimacy_course.grading.course import CourseFolders, course_config
    from intimacy_course.paths import grading_dir

    overrides = {"Execute": {"timeout": timeout}} if timeout else {}
    config = course_config(grading_dir(), None, **overrides)
    source = CourseFolders.from_config(config).source()
    if not source.is_dir():
        raise CourseError(f"{source} is missing: this is not a complete course clone.")
    return config


def _release(args: argparse.Namespace) -> int:
    from intimacy_course.grading.batch import release_all
    from intimacy_course.grading.course import CourseFolders, open_api, source_quizzes

    api = open_api(_course())
    folders = CourseFolders.of(api)
    known = source_quizzes(folders)
    unknown = [q for q in args.quizzes if q not in known]
    if unknown:
        raise CourseError(f"No such quiz: {', '.join(unknown)}. Quizzes: {', '.join(known)}.")
    if args.cohort:
        _prepare_cohort(api, folders, args)
    elif args.student or args.new_seed:
        raise CourseError("--student and --new-seed go with --cohort.")
    results = release_all(api, args.quizzes or None)
    return 0 if all(r.released and not r.problem for r in results) else 1


def _prepare_cohort(api: Any, folders: Any, args: argparse.Namespace) -> None:
    from intimacy_course.grading.cohort import bank_folder, cohort_sources
    from intimacy_course.quiz.seed import create_seed, default_seed_path, read_seed

    if args.new_seed:
        print(f"New private seed: {create_seed()} (keep it; never share or commit it)")
    seed = read_seed(default_seed_path())
    students = sorted({s.id for s in api.gradebook.students} | set(args.student))
    bank = bank_folder(folders.root)
    written = cohort_sources(folders.source(), bank, seed, students, args.quizzes or None)
    print(f"Cohort quizzes drawn for {len(students)} trainees from {bank}: {', '.join(written)}")


def _grade(args: argparse.Namespace) -> int:
    from intimacy_course.grading.batch import grade_all
    from intimacy_course.grading.sandbox import sandbox_problem

    if args.jobs < 1:
        raise CourseError("--jobs must be 1 or more.")
    if args.timeout is not None and args.timeout < 1:
        raise CourseError("--timeout must be 1 second or more.")
    config = _course(args.timeout)
    if args.no_sandbox:
        config.SandboxedExecute.sandbox = False
        print("Grading WITHOUT the sandbox: trainees' code runs with your rights.")
    else:
        problem = sandbox_problem()
        if problem:
            raise CourseError(
                f"The grading sandbox cannot run here: {problem}. Install it (Debian: apt-get install "
                "bubblewrap), or, only if you trust every submission, grade with --no-sandbox."
            )
        config.SandboxedExecute.require_sandbox = True
    outcomes = grade_all(config, jobs=args.jobs)
    return 0 if all(o.graded for o in outcomes) else 1


def _feedback(args: argparse.Namespace) -> int:
    from intimacy_course.grading.batch import feedback_all
    from intimacy_course.grading.course import open_api

    results = feedback_all(open_api(_course()))
    if not results:
        print("No graded submissions yet: run `intimacy-course grade` first.")
    return 0 if all(ok for _, _, ok in results) else 1


def _report(args: argparse.Namespace) -> int:
    from intimacy_course.grading.course import open_api
    from intimacy_course.grading.report import write_report

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise CourseError(f"--out {args.out} is a file. Give a folder for the report files.")
    report = write_report(open_api(_course()), args.out, compare_with=args.compare_with)
    print(f"Grades (one row per trainee, one column per quiz): {report.grades_csv}")
    print(f"Item analysis: {report.items_csv}")
    for plot in report.plots:
        print(f"Plot: {plot}")
    for line in report.summary():  # reliability, mastery, flags, grader agreement
        print(line)
    waiting = report.pending_hand_grading
    if waiting:
        print(
            f"Answers waiting for hand grading in formgrader: {waiting} (counted as 0 until graded)."
        )
    return 0

"""Benchmark: grading clicked quizzes, with and without the sandbox, and self-check.

Builds a throwaway nbgrader course from the committed Module 1 quiz and bank, releases it,
hands in N synthetic submissions (a fixed random mix of right, wrong and skipped clicks and
written answers, stored in answers.json as the widgets store them) and grades them with
``intimacy-course grade``'s own code twice, each in a fresh copy of the course: with the
sandbox (the default) and without it. Both runs must give every trainee the same score.
It then times self-check of one answered quiz against a bare ``nbgrader autograde`` of the
same notebook under the course's own configuration (sandbox included).

Figures are ratios against a floor measured in the same run: the sandbox's cost is
sandboxed / unsandboxed seconds per submission (goal: at most 1.25), self-check's is
self-check / bare autograde (goal: at most 1.2).

    .venv/bin/python benchmarks/grading.py [--students 30] [--quiz 01_attachment_injury]

Prints a summary and writes benchmarks/results/grading.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "grading.json"


def _make_course(root: Path, quiz: str) -> None:
    (root / "source" / quiz).mkdir(parents=True)
    shutil.copy2(
        REPO / "grading" / "source" / quiz / "quiz.ipynb", root / "source" / quiz / "quiz.ipynb"
    )
    shutil.copy2(REPO / "grading" / "source" / "header.ipynb", root / "source" / "header.ipynb")
    (root / "items").mkdir()
    shutil.copy2(REPO / "grading" / "items" / f"{quiz}.toml", root / "items")


def _answers(quiz: str, rng: random.Random):
    from intimacy_course.quiz.bank import load_bank
    from intimacy_course.quiz.paper import PRACTICE_SECRET, option_id, right_option_id
    from intimacy_course.quiz.stored_answers import StoredAnswers

    bank = load_bank(REPO / "grading" / "items" / f"{quiz}.toml")
    stored = StoredAnswers(module=bank.module, release="")
    ability = rng.random()
    for item in bank.items:
        if not item.auto:
            if rng.random() < 0.8:
                stored.texts[item.id] = "A short answer in my own words."
            continue
        roll = rng.random()
        if roll < 0.3 + 0.6 * ability:
            stored.choices[item.id] = right_option_id(PRACTICE_SECRET, item)
        elif roll < 0.95:
            wrong = rng.choice([i for i in range(len(item.options)) if i != item.correct_index])
            stored.choices[item.id] = option_id(PRACTICE_SECRET, item, wrong)
    return stored


def _submit(root: Path, quiz: str, students: int, seed: int = 2026) -> None:
    from intimacy_course.quiz.stored_answers import write_answers

    rng = random.Random(seed)
    released = root / "release" / quiz / "quiz.ipynb"
    for number in range(students):
        folder = root / "submitted" / f"trainee{number:03d}" / quiz
        folder.mkdir(parents=True)
        shutil.copy2(released, folder / "quiz.ipynb")
        write_answers(folder, _answers(quiz, rng))


def _grade(root: Path, quiz: str, students: int, sandbox: bool) -> dict:
    from intimacy_course.grading.batch import grade_all, release_all
    from intimacy_course.grading.course import course_config, open_api

    _make_course(root, quiz)
    config = course_config(root, settings_from=REPO / "grading")
    release_all(open_api(config), progress=lambda line: None)
    _submit(root, quiz, students)
    config.SandboxedExecute.sandbox = sandbox
    config.SandboxedExecute.require_sandbox = sandbox
    started = time.perf_counter()
    outcomes = grade_all(config, progress=lambda line: None)
    wall = time.perf_counter() - started
    return {
        "sandbox": sandbox,
        "submissions": len(outcomes),
        "graded": sum(o.graded for o in outcomes),
        "wall_seconds": round(wall, 2),
        "seconds_per_submission": round(wall / max(1, len(outcomes)), 3),
        "scores": {o.student: o.score for o in sorted(outcomes, key=lambda o: o.student)},
        "load_average_after": os.getloadavg(),
    }


def _self_check_against_autograde(root: Path, quiz: str, repeats: int = 3) -> dict:
    """Median seconds: `intimacy-course check` on one answered copy vs `nbgrader autograde` of it."""
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    copy = root / "learner" / quiz / "quiz.ipynb"
    copy.parent.mkdir(parents=True)
    shutil.copy2(root / "release" / quiz / "quiz.ipynb", copy)
    shutil.copy2(root / "submitted" / "trainee000" / quiz / "answers.json", copy.parent)
    check_times, autograde_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "intimacy_course.cli", "check", str(copy)],
            env=env,
            check=True,
            capture_output=True,
        )
        check_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "autograde",
                quiz,
                "--student",
                "trainee000",
                "--force",
                f"--CourseDirectory.root={root}",
            ],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        autograde_times.append(time.perf_counter() - started)
    check = sorted(check_times)[repeats // 2]
    autograde = sorted(autograde_times)[repeats // 2]
    return {
        "self_check_seconds": round(check, 2),
        "bare_autograde_seconds": round(autograde, 2),
        "ratio": round(check / autograde, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--quiz", default="01_attachment_injury")
    args = parser.parse_args()
    os.environ["PATH"] = os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
    )

    import nbgrader

    result: dict = {
        "benchmark": "grade clicked quizzes with and without the sandbox; self-check vs autograde",
        "quiz": args.quiz,
        "students": args.students,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "nbgrader": nbgrader.__version__,
            "load_average_before": os.getloadavg(),
        },
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as scratch:
        for sandbox in (False, True):
            label = "with" if sandbox else "without"
            print(f"Grading {args.students} submissions {label} the sandbox ...", flush=True)
            run = _grade(Path(scratch) / label, args.quiz, args.students, sandbox)
            print(
                f"  {label} sandbox: {run['wall_seconds']} s, {run['seconds_per_submission']} s per submission, "
                f"{run['graded']}/{run['submissions']} graded",
                flush=True,
            )
            result["runs"].append(run)
        bare, boxed = result["runs"]
        result["same_scores"] = bare["scores"] == boxed["scores"]
        result["sandbox_cost_ratio"] = round(
            boxed["seconds_per_submission"] / bare["seconds_per_submission"], 2
        )
        print(
            f"Sandbox cost: {result['sandbox_cost_ratio']}x (goal <= 1.25); same scores: {result['same_scores']}"
        )
        result["self_check"] = _self_check_against_autograde(Path(scratch) / "with", args.quiz)
        sc = result["self_check"]
        print(
            f"Self-check {sc['self_check_seconds']} s vs bare autograde {sc['bare_autograde_seconds']} s: "
            f"{sc['ratio']}x (goal <= 1.2)"
        )
        from intimacy_course.grading.course import course_config, open_api
        from intimacy_course.grading.report import write_report

        api = open_api(course_config(Path(scratch) / "with", settings_from=REPO / "grading"))
        report = write_report(api, Path(scratch) / "report")
        result["kr20"] = report.reliability.to_dict(orient="records")
        print(f"Reliability on this cohort: {result['kr20']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS}")
    return 0 if result["same_scores"] else 1


if __name__ == "__main__":
    sys.exit(main())

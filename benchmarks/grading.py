"""Benchmark: autograde a cohort of 50 submissions of one quiz, serially and in parallel.

Builds a throwaway nbgrader course from the committed Module 1 quiz, releases it, hands in
50 synthetic submissions (a fixed random mix of right, wrong, blank and oddly formatted
answers), and grades them with ``intimacy-course grade``'s own code: once serially, and once
with one worker process per core in a fresh copy of the course. It checks that both runs give
every trainee the same score, and reports wall time and seconds per submission.

    .venv/bin/python benchmarks/grading.py [--students 50] [--jobs N] [--quiz 01_attachment_injury]

Prints a summary and writes benchmarks/results/grading.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "grading.json"


def _answers(meta: dict, key: dict[str, str], rng: random.Random) -> dict[str, str]:
    """One trainee's typed answers: mostly right, some wrong, blank or differently written."""
    typed = {}
    for item in meta["items"]:
        if item["kind"] == "short_answer":
            typed[item["id"]] = "" if rng.random() < 0.2 else "A short answer in my own words."
            continue
        choices = item.get("options") or ["true", "false"]
        roll = rng.random()
        if roll < 0.6:
            answer = key[item["id"]]
        elif roll < 0.85:
            answer = rng.choice([c for c in choices if c != key[item["id"]]])
        elif roll < 0.95:
            answer = ""
        else:
            answer = "I am not sure"
        typed[item["id"]] = (
            rng.choice([answer, answer.upper(), f" ({answer}) "]) if answer else answer
        )
    return typed


def _make_course(root: Path, quiz: str) -> None:
    (root / "source" / quiz).mkdir(parents=True)
    shutil.copy2(
        REPO / "grading" / "source" / quiz / "quiz.ipynb", root / "source" / quiz / "quiz.ipynb"
    )
    shutil.copy2(REPO / "grading" / "source" / "header.ipynb", root / "source" / "header.ipynb")


def _submit(root: Path, quiz: str, students: int, seed: int = 2026) -> None:
    from intimacy_course.grading.report import answer_key

    released = json.loads((root / "release" / quiz / "quiz.ipynb").read_text(encoding="utf-8"))
    meta = released["metadata"]["intimacy_course"]
    key = answer_key(root / "source" / quiz / "quiz.ipynb")
    rng = random.Random(seed)
    for number in range(1, students + 1):
        nb = json.loads(json.dumps(released))
        typed = _answers(meta, key, rng)
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            name = grade_id.removesuffix("_answer")
            if grade_id.endswith("_answer") and typed.get(name):
                if cell["cell_type"] == "markdown":
                    cell["source"] = typed[name]
                else:
                    cell["source"] = f"{name} = {json.dumps(typed[name])}"
        folder = root / "submitted" / f"trainee-{number:03d}" / quiz
        folder.mkdir(parents=True)
        (folder / "quiz.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def _cpu_seconds() -> float:
    """CPU time of this process and every finished child (kernels, worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(root: Path, quiz: str, students: int, jobs: int) -> dict:
    from intimacy_course.grading.batch import grade_all, release_all
    from intimacy_course.grading.course import course_config, open_api

    _make_course(root, quiz)
    config = course_config(root, settings_from=REPO / "grading")
    release_all(open_api(config), progress=lambda line: None)
    _submit(root, quiz, students)
    lines: list[str] = []
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    outcomes = grade_all(config, jobs=jobs, progress=lines.append)
    wall = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    failed = [o for o in outcomes if not o.graded]
    return {
        "jobs": jobs,
        "submissions": len(outcomes),
        "graded": len(outcomes) - len(failed),
        "failed": [f"{o.student}: {o.problem}" for o in failed],
        "wall_seconds": round(wall, 2),
        "seconds_per_submission": round(wall / max(1, len(outcomes)), 3),
        "cpu_seconds_per_submission": round(cpu / max(1, len(outcomes)), 3),
        "median_submission_seconds": round(
            sorted(o.seconds for o in outcomes)[len(outcomes) // 2], 3
        ),
        "scores": {o.student: o.score for o in outcomes},
        "load_average_after": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--quiz", default="01_attachment_injury")
    args = parser.parse_args()
    os.environ["PATH"] = os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
    )

    import nbgrader

    result: dict = {
        "benchmark": "autograde one quiz for a cohort",
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
        for jobs in (1, args.jobs) if args.jobs > 1 else (1,):
            print(f"Grading {args.students} submissions with jobs={jobs} ...", flush=True)
            run = _run(Path(scratch) / f"jobs-{jobs}", args.quiz, args.students, jobs)
            print(
                f"  jobs={jobs}: {run['wall_seconds']} s wall, {run['seconds_per_submission']} s per "
                f"submission ({run['cpu_seconds_per_submission']} CPU s), "
                f"{run['graded']}/{run['submissions']} graded",
                flush=True,
            )
            result["runs"].append(run)
    if len(result["runs"]) == 2:
        serial, parallel = result["runs"]
        result["same_scores"] = serial["scores"] == parallel["scores"]
        result["speedup"] = round(serial["wall_seconds"] / parallel["wall_seconds"], 2)
        print(
            f"Parallel speed-up: {result['speedup']}x; same scores as serial: {result['same_scores']}"
        )
    for run in result["runs"]:
        run["scores"] = dict(sorted(run["scores"].items()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long do the course's processes take to start? Each against Python's own start-up.

    .venv/bin/python benchmarks/startup.py [--repeat 7]

Every command of the course, every notebook kernel that opens a quiz and every grading
step starts a Python process, so a slow import is paid hundreds of times a day (and in
every test). One dependency once made ``import nbformat`` cost 1.7 s (jsonschema 4.25
compiling an IRI grammar on import); this benchmark shows such a change at once.

Measured, the median of ``--repeat`` runs each, wall time:

- the floor: ``python -c pass`` (the interpreter alone, with site-packages);
- ``import nbformat`` (everything that reads a notebook);
- ``import nbgrader.apps`` (the grading commands);
- ``intimacy-course --help`` (the command line);
- a refused command, ``intimacy-course check --timeout 0 x`` (bad input must answer fast);
- ``import intimacy_course.quiz.view`` (what a quiz notebook's first cell imports).

Prints each as seconds and as a ratio to the floor measured in the same run, and writes
the figures as JSON to benchmarks/results/startup.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "startup.json"
COMMAND = Path(sys.executable).parent / "intimacy-course"

CASES: dict[str, list[str]] = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "import nbformat": [sys.executable, "-c", "import nbformat"],
    "import nbgrader.apps": [sys.executable, "-c", "import nbgrader.apps"],
    "intimacy-course --help": [str(COMMAND), "--help"],
    "intimacy-course check --timeout 0 (refused)": [str(COMMAND), "check", "--timeout", "0", "x"],
    "import intimacy_course.quiz.view": [sys.executable, "-c", "import intimacy_course.quiz.view"],
}


def clean_environment() -> dict[str, str]:
    """This environment without coverage's start-up hook, so a test run does not skew it."""
    env = dict(os.environ)
    for name in ("COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG"):
        env.pop(name, None)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def seconds_to_run(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=False)
    return time.perf_counter() - began


def measure(repeat: int) -> dict[str, float]:
    env = clean_environment()
    medians = {}
    for number, (name, argv) in enumerate(CASES.items(), start=1):
        seconds_to_run(argv, env)  # warm the file cache
        runs = [seconds_to_run(argv, env) for _ in range(repeat)]
        medians[name] = statistics.median(runs)
        print(f"[{number}/{len(CASES)}] {name}: {medians[name]:.3f} s", file=sys.stderr)
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per case (median kept)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if not COMMAND.exists():
        print(f"{COMMAND} is missing: run `make setup` first.", file=sys.stderr)
        return 2
    medians = measure(args.repeat)
    floor = next(iter(medians.values()))
    print(f"\n{'process':48} {'seconds':>8} {'x floor':>8}")
    for name, value in medians.items():
        print(f"{name:48} {value:8.3f} {value / floor:8.1f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "load": os.getloadavg()[0],
                "repeat": args.repeat,
                "seconds": medians,
                "ratio_to_floor": {name: value / floor for name, value in medians.items()},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nWritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

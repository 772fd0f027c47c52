"""Soak the journal: the suite's fault trials, by the hundred. Goal: 0 lost, 0 falsely damaged.

    .venv/bin/python benchmarks/journal_faults.py [--kill 500] [--full-disk 20] [--seed 1]

Runs ``tests/journal/fault_trials.py`` (the same trials the suite runs, more of them):

- ``--kill`` trials: a worker saving answers of a few words to 100 KB is SIGKILLed at a
  random moment or just inside a checkpoint; then the journal must open and hold every
  save the worker saw acknowledged.
- ``--full-disk`` rounds, each in a private 1 MB tmpfs: save until the disk is full, kill
  a worker while it fills the disk, fill it completely; the journal must stay readable
  and exportable, say "full", and lose nothing. Skipped, with the reason, when this
  machine cannot mount a tmpfs (neither root nor ``unshare -Urm``).

Prints trials, lost saves and falsely damaged journals, and writes the figures as JSON to
benchmarks/results/journal_faults.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIALS = ROOT / "tests" / "journal" / "fault_trials.py"
RESULTS = Path(__file__).resolve().parent / "results" / "journal_faults.json"


def run(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(TRIALS), *args], capture_output=True, text=True, check=False
    )
    if done.returncode not in (0, 3):
        raise SystemExit(f"fault trials failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kill", type=int, default=500, help="kill trials (default 500)")
    parser.add_argument("--full-disk", type=int, default=20, help="full-disk rounds (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.monotonic()
    kill: dict = {
        "trials": 0,
        "lost": 0,
        "falsely_damaged": 0,
        "unopenable": 0,
        "killed_in_checkpoint": 0,
        "acknowledged_saves": 0,
        "problems": [],
    }
    batch = 100  # a fresh set of journals every hundred trials, so files do not grow forever
    for first in range(0, args.kill, batch):
        part = run(
            "kill",
            "--trials",
            str(min(batch, args.kill - first)),
            "--seed",
            str(args.seed * 1000 + first // batch),
        )
        for key in (
            "trials",
            "lost",
            "falsely_damaged",
            "unopenable",
            "killed_in_checkpoint",
            "acknowledged_saves",
        ):
            kill[key] += part[key]
        kill["problems"] += part["problems"]
        print(f"  kill trials: {kill['trials']}/{args.kill}", flush=True)

    full = {
        "rounds": 0,
        "lost": 0,
        "falsely_damaged": 0,
        "unopenable": 0,
        "said_disk_full": 0,
        "acknowledged_saves": 0,
        "skipped": "",
    }
    if args.full_disk:
        result = run("full-disk", "--rounds", str(args.full_disk), "--seed", str(args.seed))
        if "unavailable" in result:
            full["skipped"] = result["unavailable"]
        for trial in result.get("rounds", []):
            full["rounds"] += 1
            full["acknowledged_saves"] += trial["acknowledged_saves"]
            full["said_disk_full"] += int(trial["disk_full_said"])
            killed = trial["killed_while_full"]
            full["lost"] += (
                trial["lost"]
                + killed["lost"]
                + trial["lost_when_completely_full"]
                + trial["lost_at_end"]
            )
            full["falsely_damaged"] += int(trial["damaged"]) + int(killed["damaged"])
            full["unopenable"] += int(bool(trial["unopenable"])) + int(bool(killed["unopenable"]))

    seconds = round(time.monotonic() - started, 1)
    print()
    print(f"{'trials':<34}{'count':>8}{'lost':>8}{'falsely damaged':>17}{'unopenable':>12}")
    print(
        f"{'SIGKILL while saving/checkpointing':<34}{kill['trials']:>8}{kill['lost']:>8}"
        f"{kill['falsely_damaged']:>17}{kill['unopenable']:>12}"
    )
    if full["skipped"]:
        print(f"full disk: skipped ({full['skipped']})")
    else:
        print(
            f"{'full disk (1 MB tmpfs)':<34}{full['rounds']:>8}{full['lost']:>8}"
            f"{full['falsely_damaged']:>17}{full['unopenable']:>12}"
        )
    total = kill["trials"] + full["rounds"]
    lost = kill["lost"] + full["lost"]
    damaged = kill["falsely_damaged"] + full["falsely_damaged"]
    print(
        f"{'total':<34}{total:>8}{lost:>8}{damaged:>17}"
        f"{kill['unopenable'] + full['unopenable']:>12}"
    )
    print(
        f"\n{kill['killed_in_checkpoint']} kills landed inside a checkpoint; "
        f"{kill['acknowledged_saves'] + full['acknowledged_saves']} acknowledged saves "
        f"checked; {full['said_disk_full']}/{full['rounds']} full disks said so; {seconds} s."
    )
    for problem in kill["problems"][:5]:
        print("problem:", problem)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "platform": platform.platform()},
                "kill": kill,
                "full_disk": full,
                "total": {"trials": total, "lost": lost, "falsely_damaged": damaged},
                "seconds": seconds,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 1 if lost or damaged else 0


if __name__ == "__main__":
    sys.exit(main())

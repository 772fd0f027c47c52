"""Set up the course's Python environment in phases, with a progress bar and pip's output in a log.

Run by ``make lab`` and ``make test`` (standard library only: it runs before anything is
installed)::

    python3 tools/install.py .venv             # what the course needs (make lab)
    python3 tools/install.py .venv --extra test  # plus the test tools (make test)

pip's full output goes to ``<venv>/install.log``; the screen shows four phases and, while
packages are fetched and installed, one progress line. When pip fails, the last lines of
the log are shown with its path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_REQUIREMENT = re.compile(r"^(Collecting|Requirement already satisfied:|Using cached|Processing) ")
_INSTALLING = re.compile(r"^Installing collected packages: (.*)$")
_BAR_WIDTH = 30


def say(message: str) -> None:
    print(message, flush=True)


def progress(done: int, total: int, what: str) -> None:
    """One line that rewrites itself on a terminal; elsewhere a line every 25 packages."""
    total = max(total, done, 1)
    filled = round(_BAR_WIDTH * done / total)
    line = f"    [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} {what}"
    if sys.stdout.isatty():
        width = shutil.get_terminal_size((100, 20)).columns
        print("\r" + line[: width - 1].ljust(width - 1), end="", flush=True)
    elif done % 25 == 0:  # a log or CI: a line now and then instead of a moving bar
        print(line, flush=True)


def expected_packages() -> int:
    """About how many packages an install touches: the pins in constraints.txt."""
    constraints = ROOT / "constraints.txt"
    if not constraints.exists():
        return 100
    lines = constraints.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if "==" in line and not line.startswith("#"))


def run_pip(python: Path, args: Sequence[str], log: Path, what: str) -> None:
    """Run ``python -m pip args``, its output appended to ``log``, with a progress line."""
    command = [str(python), "-m", "pip", *args, "--progress-bar", "off"]
    total, seen = expected_packages(), 0
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n$ {' '.join(command)}\n")
        handle.flush()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:
            handle.write(line)
            if _REQUIREMENT.match(line):
                seen += 1
                progress(seen, total, what)
            installing = _INSTALLING.match(line.strip())
            if installing:
                count = len(installing.group(1).split(", "))
                progress(total, total, what)
                if sys.stdout.isatty():
                    print()
                say(f"    installing {count} packages ...")
        code = process.wait()
    if sys.stdout.isatty() and seen:
        print()
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        say("\n".join(tail))
        say(f"pip failed (exit {code}). The full output is in {log}.")
        sys.exit(code)
    say(f"    done in {time.monotonic() - started:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venv", type=Path, help="the environment's folder, e.g. .venv")
    parser.add_argument(
        "--extra", default="", help="an optional group of pyproject.toml, e.g. test"
    )
    args = parser.parse_args(argv)
    folder = args.venv if args.venv.is_absolute() else ROOT / args.venv
    python = folder / "bin" / "python"
    log = folder / "install.log"
    target = f".[{args.extra}]" if args.extra else "."

    say(f"[1/4] Python environment in {folder.name}/")
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(folder)
        say("    created")
    else:
        say("    already there")
    log.write_text(f"Course set-up log, {time.strftime('%Y-%m-%d %H:%M:%S')}\n", encoding="utf-8")
    say(f"[2/4] Updating pip (log: {log.relative_to(ROOT) if log.is_relative_to(ROOT) else log})")
    run_pip(python, ["install", "--upgrade", "pip"], log, "pip")
    what = "the course and the test tools" if args.extra == "test" else "the course"
    say(f"[3/4] Fetching and installing {what} (first time: a minute or two)")
    run_pip(python, ["install", "-c", "constraints.txt", "-e", target], log, "packages")
    say("[4/4] Checking the installation")
    check = subprocess.run(
        [str(python), "-c", "import intimacy_course, ipywidgets, jupyterlab"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        say(check.stderr.strip())
        say(f"The course does not import. The full pip output is in {log}.")
        return 1
    say("    ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())

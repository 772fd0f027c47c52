"""Does every command the README and the notebooks tell people to type work as written?

The notebooks send learners to JupyterLab's terminal, where the course's shell start-up file
puts the environment's commands on PATH; the README's commands are typed in a fresh shell in the
clone, so they name `.venv/bin/...` or `make`. Each documented command is run with `--help`
(never for real) in the shell it is meant for, starting from a PATH that knows nothing of the
course, as Debian's login profile leaves it.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from intimacy_course.lab.modes import write_mode_config
from tests.support import REPO

FRESH_PATH = "/usr/local/bin:/usr/bin:/bin"
_INLINE = re.compile(r"`((?:\.venv/bin/)?intimacy-course [^`]+)`")


def _notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _commands(text: str) -> set[str]:
    found = {m.group(1) for m in _INLINE.finditer(text)}
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        if "conda activate" in block:
            continue  # typed inside the conda environment, where the command is on PATH
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(("intimacy-course ", ".venv/bin/intimacy-course ")):
                found.add(line)
    return found


def _help_form(command: str) -> list[str]:
    """The command's program and subcommand(s), asked for help: nothing is changed."""
    words = shlex.split(command.replace("PATH", "x").replace("[", "").replace("]", ""))
    kept = [words[0]]
    for word in words[1:]:
        if word.startswith("-") or "/" in word or "." in word:
            break
        kept.append(word)
    return [*kept, "--help"]


NOTEBOOKS = sorted([*REPO.glob("course/*.ipynb"), *REPO.glob("workbook/*.ipynb")])
NOTEBOOK_COMMANDS = sorted({c for nb in NOTEBOOKS for c in _commands(_notebook_text(nb))})
README_COMMANDS = sorted(_commands((REPO / "README.md").read_text(encoding="utf-8")))


def test_the_documents_name_commands_at_all() -> None:
    assert len(NOTEBOOK_COMMANDS) >= 3 and len(README_COMMANDS) >= 3


@pytest.mark.parametrize("command", NOTEBOOK_COMMANDS)
def test_a_notebook_command_works_in_the_course_terminal(command: str, tmp_path: Path) -> None:
    folder = write_mode_config(tmp_path, instructor=False)
    shell = json.loads((folder / "jupyter_server_config.json").read_text())["ServerApp"][
        "terminado_settings"
    ]["shell_command"]
    line = " ".join(shlex.quote(w) for w in _help_form(command))
    env = {"HOME": str(tmp_path), "PATH": FRESH_PATH, "TERM": "dumb"}
    run = subprocess.run(
        [*shell, "-c", line], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, (command, run.stderr[-500:])


@pytest.mark.parametrize("command", README_COMMANDS)
def test_a_readme_command_works_in_a_fresh_shell_and_in_the_course_terminal(
    command: str, tmp_path: Path
) -> None:
    words = _help_form(command)
    assert words[0] != "intimacy-course", f"a fresh shell cannot find it: write .venv/bin/{command}"
    env = {"HOME": str(tmp_path), "PATH": FRESH_PATH, "TERM": "dumb"}
    run = subprocess.run(words, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, (command, run.stderr[-500:])
    folder = write_mode_config(tmp_path, instructor=False)
    shell = json.loads((folder / "jupyter_server_config.json").read_text())["ServerApp"][
        "terminado_settings"
    ]["shell_command"]
    line = " ".join(shlex.quote(w) for w in words)
    run = subprocess.run(
        [*shell, "-c", line], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, (command, run.stderr[-500:])

"""Browser-test helpers around the course server: protected folders and repository checks.

The server itself is started and stopped by tests/lab_server.py, shared with
tests/test_server.py, the same way ``make lab`` starts it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.lab_server import (  # noqa: F401 - re-exported for the browser tests
    COMMAND,
    PROTECTED,
    REPO,
    VENV_BIN,
    LabServer,
    start_lab,
    stop_lab,
)


def checkpoint_files() -> set[Path]:
    """JupyterLab checkpoint copies inside the repository's course, workbook and my_work."""
    found: set[Path] = set()
    for folder in (*PROTECTED, "my_work"):
        found.update((REPO / folder).glob("**/.ipynb_checkpoints/*"))
    return found


def git_status(paths: tuple[str, ...] = PROTECTED) -> str:
    """``git status --porcelain`` of the hand-written course folders ('' outside git)."""
    if not (REPO / ".git").exists():
        return ""
    result = subprocess.run(
        ["git", "status", "--porcelain", "--", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout


def require(path: str) -> Path:
    """The repository file ``path``; skips the test when that part of the course is not built."""
    full = REPO / path
    if not full.exists():
        pytest.skip(f"{path} is not built yet")
    return full

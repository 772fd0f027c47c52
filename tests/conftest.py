"""Shared fixtures: every test runs with HOME and the journal in temporary folders.

A test must never read or write the real user's journal or Jupyter settings, so HOME,
the journal location and Jupyter's per-user folders are redirected for the whole session.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support import REPO, seeds_dir, skip_or_fail

VENV_BIN = str(Path(sys.executable).parent)


@pytest.fixture(scope="session", autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point HOME, the journal and Jupyter's user folders at a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    os.environ["HOME"] = str(home)
    os.environ["INTIMACY_COURSE_DATA"] = str(home / "journal-data")
    os.environ["JUPYTER_CONFIG_DIR"] = str(home / ".jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(home / ".jupyter-runtime")
    os.environ["IPYTHONDIR"] = str(home / ".ipython")
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PATH"] = os.pathsep.join([VENV_BIN, os.environ.get("PATH", "")])
    # Processes the tests start (CLI, kernels, grading workers) write their coverage data
    # next to the main run's, wherever their working folder is.
    os.environ.setdefault("INTIMACY_COVERAGE_DIR", str(REPO))


@pytest.fixture
def repo() -> Path:
    """The root of the course clone under test."""
    return REPO


@pytest.fixture
def seeds() -> Path:
    """The seed articles; skips when absent, except on CI where absence is a failure."""
    path = seeds_dir()
    if path is None:
        skip_or_fail(
            "Source articles not found (set INTIMACY_COURSE_SEEDS or place ../shared/seeds)."
        )
    assert path is not None
    return path

"""Shared fixtures: every test runs with HOME and the journal in temporary folders.

A test must never read or write the real user's journal or Jupyter settings, so HOME,
the journal location and Jupyter's per-user folders are redirected for the whole session.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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


def seeds_dir() -> Path | None:
    """The source articles (DESIGN.md Contracts): INTIMACY_COURSE_SEEDS, else ../shared/seeds."""
    env = os.environ.get("INTIMACY_COURSE_SEEDS")
    path = Path(env) if env else REPO.parent / "shared" / "seeds"
    return path if path.is_dir() and any(path.glob("*.txt")) else None


@pytest.fixture
def seeds() -> Path:
    """The seed articles; skips when absent, except on CI where absence is a failure."""
    path = seeds_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("The source articles are missing on CI: set INTIMACY_COURSE_SEEDS.")
        pytest.skip(
            "Source articles not found (set INTIMACY_COURSE_SEEDS or place ../shared/seeds)."
        )
    return path


#: Test folders whose tests share one expensive session fixture (a JupyterLab server and a
#: browser, a JupyterHub with its users, a prepared nbgrader course). With pytest-xdist's
#: ``--dist loadgroup`` each group runs on one worker, so the fixture is built once.
_SHARED_FIXTURE_GROUPS = {"e2e": "e2e", "hub": "hub"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep tests that share a session-wide server on the same xdist worker."""
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(REPO / "tests")
        group = _SHARED_FIXTURE_GROUPS.get(relative.parts[0]) if len(relative.parts) > 1 else None
        if group is None and relative.name.startswith("test_grading_"):
            group = "grading"
        if group:
            item.add_marker(pytest.mark.xdist_group(group))

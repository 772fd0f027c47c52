"""Do the tests that share one expensive server or course really run on one worker?

``--dist loadgroup`` sends every test marked ``xdist_group(name)`` to the same worker, so a
session fixture (a JupyterLab and browser, a JupyterHub with its accounts, a graded course)
is built once. When the grouping silently stops working, as it did with pytest 9.2 and
pytest-xdist 3.8, each worker builds its own copy: the suite still passes but takes twice as
long, and two hubs fight over the same accounts. These tests catch that.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.support import REPO

#: Test folders whose every module uses one session-wide server, and that server's group.
SHARED_SERVER_GROUPS = {"e2e": "e2e", "hub": "hub"}
#: Modules in those folders that start no server.
NO_SERVER = {"tests/hub/test_deploy_files.py"}
#: Session fixtures that hold a server, and the group of every module that asks for one.
SHARED_FIXTURE_GROUPS = {"instructor_lab": "lab-server"}


def _declared_groups(module: Path) -> set[str]:
    """The ``xdist_group`` names in a test module's ``pytestmark``."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    groups: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            for call in ast.walk(node.value):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "xdist_group"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    groups.add(str(call.args[0].value))
    return groups


def test_every_module_that_shares_a_server_names_its_group() -> None:
    missing = {}
    for folder, group in SHARED_SERVER_GROUPS.items():
        for module in sorted((REPO / "tests" / folder).glob("test_*.py")):
            name = module.relative_to(REPO).as_posix()
            if name not in NO_SERVER and group not in _declared_groups(module):
                missing[name] = group
    for module in sorted((REPO / "tests").rglob("test_*.py")):
        if module == Path(__file__):
            continue
        text = module.read_text(encoding="utf-8")
        for fixture, group in SHARED_FIXTURE_GROUPS.items():
            if re.search(rf"\b{fixture}\b", text) and group not in _declared_groups(module):
                missing[module.relative_to(REPO).as_posix()] = group
    assert missing == {}, "add pytest.mark.xdist_group(...) to these modules' pytestmark"


def test_the_configured_run_sends_each_group_to_one_worker(tmp_path: Path) -> None:
    """A small suite run with the project's own pytest options: groups stay together."""
    addopts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"
    ]["ini_options"]["addopts"]
    assert "--dist loadgroup" in addopts and "-n 2" in addopts
    (tmp_path / "pytest.ini").write_text(f"[pytest]\naddopts = {addopts}\n", encoding="utf-8")
    for group in ("server", "course"):
        (tmp_path / f"test_{group}.py").write_text(
            "import pytest\n"
            f"pytestmark = pytest.mark.xdist_group({group!r})\n"
            "@pytest.mark.parametrize('n', range(6))\n"
            "def test_one(n):\n    pass\n",
            encoding="utf-8",
        )
    (tmp_path / "test_free.py").write_text(
        "import pytest\n@pytest.mark.parametrize('n', range(6))\ndef test_one(n):\n    pass\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-p", "no:cov"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    workers: dict[str, set[str]] = {}
    for worker, module in re.findall(r"\[(gw\d+)\].*? PASSED (test_\w+)\.py", done.stdout):
        workers.setdefault(module, set()).add(worker)
    assert set(workers) == {"test_server", "test_course", "test_free"}, done.stdout[-2000:]
    assert len(workers["test_server"]) == 1, workers
    assert len(workers["test_course"]) == 1, workers

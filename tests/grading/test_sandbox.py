"""What can trainee code see and do inside the grading sandbox?

A kernel is started with the sandbox's kernel manager, exactly as autograde starts it, and
runs probes a hostile trainee would try. Each probe must find nothing to use.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from intimacy_course.grading.sandbox import SandboxKernelManager, sandbox_command, sandbox_problem
from tests.support import REPO, skip_or_fail

pytestmark = pytest.mark.xdist_group("sandbox")


@pytest.fixture(scope="module", autouse=True)
def _needs_the_sandbox() -> None:
    problem = sandbox_problem()
    if problem:
        skip_or_fail(f"the grading sandbox cannot run here: {problem}")


def _run(cells: list[str], folder: Path, env: dict[str, str] | None = None) -> list[str]:
    """Run ``cells`` in a sandboxed kernel started in ``folder``; each cell's text or error."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    boxes: list[Path] = []

    class Recording(SandboxKernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            boxes.append(self._box)

    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        client = NotebookClient(
            nb,
            timeout=20,
            kernel_name="python3",
            allow_errors=True,
            kernel_manager_class=Recording,
            resources={"metadata": {"path": str(folder)}},
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert boxes and not [box for box in boxes if box.exists()], "the sandbox's folder is removed"
    results = []
    for cell in nb.cells:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [o.ename for o in cell.outputs if o.output_type == "error"]
        results.append(text.strip() if not errors else "ERROR " + errors[0])
    return results


def test_trainee_code_sees_no_course_files_no_other_submissions_and_no_home(tmp_path: Path) -> None:
    submission = tmp_path / "submitted" / "ana" / "quiz"
    submission.mkdir(parents=True)
    (submission / "answers.json").write_text("{}", encoding="utf-8")
    (submission / "notes.txt").write_text("not carried in", encoding="utf-8")
    other = tmp_path / "submitted" / "bo" / "quiz"
    other.mkdir(parents=True)
    (other / "answers.json").write_text("{}", encoding="utf-8")
    secret = tmp_path / "gradebook.db"
    secret.write_text("grades", encoding="utf-8")
    out = _run(
        [
            "import os; print(sorted(os.listdir('.')))",
            f"print(os.path.exists({str(secret)!r}), os.path.exists({str(other)!r}))",
            f"print(os.path.exists({str(REPO / 'grading' / 'items')!r}), "
            f"os.path.exists({str(REPO / 'grading' / 'source')!r}))",
            "print(os.path.exists(os.path.expanduser('~root')), sorted(os.listdir('/')))",
            "open('answers.json', 'w')",
        ],
        submission,
    )
    assert out[0] == "['answers.json']", "only the stored answers are carried in"
    assert out[1] == "False False"
    assert out[2] == "False False", "no bank and no source quizzes"
    assert "home" not in out[3]
    assert out[4].startswith("ERROR"), "the carried answers are read-only"


def test_trainee_code_runs_unprivileged_without_network_or_secrets(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    threading.Thread(target=lambda: listener.accept(), daemon=True).start()
    out = _run(
        [
            "import os; print(os.getuid() != 0, os.getgid() != 0)",
            f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)",
            "import os; print(sorted(k for k in os.environ if 'TOKEN' in k or 'SECRET' in k))",
            "import intimacy_course; print(intimacy_course.__file__)",
        ],
        tmp_path,
        env={"JUPYTERHUB_API_TOKEN": "hub-secret", "MY_SECRET": "x"},
    )
    listener.close()
    assert out[0] == "True True"
    assert out[1].startswith("ERROR"), "no network, not even the grader's loopback"
    assert out[2] == "[]", "no token or secret reaches the kernel"
    assert out[3].endswith("intimacy_course/__init__.py")


def test_the_sandbox_limits_memory(tmp_path: Path) -> None:
    out = _run(["x = bytearray(6 * 1024**3)"], tmp_path)
    assert out[0] == "ERROR MemoryError"


def test_as_root_the_kernel_drops_to_nobody_before_it_starts() -> None:
    command = sandbox_command(["python"], Path("/tmp/s"), Path("/tmp/w"))
    if os.geteuid() == 0:
        assert "setpriv" in command and "--reuid=65534" in command
        assert command.index("setpriv") > command.index("bwrap"), (
            "bwrap mounts as root, then the kernel drops"
        )
    assert "--clearenv" in command
    assert "--unshare-net" in command or "--unshare-all" in command

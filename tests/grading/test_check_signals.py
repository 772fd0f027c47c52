"""Does `check` clean up when it is stopped: no kernel left running, no temporary course left?

An older (release 0.1.0) copy is checked the slow way, in a temporary nbgrader course that
holds a copy of its quiz and key, with a sandboxed kernel. The command is stopped while it
grades, by SIGTERM, SIGHUP and Ctrl-C (SIGINT) in turn.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import FIXTURES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("check_signals")]

QUIZ = "01_attachment_injury"


def _kernels_of(ancestor: int) -> list[int]:
    """Kernel processes descending from ``ancestor`` (nbclient starts each in its own session)."""
    parents: dict[int, int] = {}
    kernels = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            )
            if b"ipykernel" in (entry / "cmdline").read_bytes():
                kernels.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue

    def descends(pid: int) -> bool:
        seen = 0
        while pid > 1 and seen < 64:
            if pid == ancestor:
                return True
            pid, seen = parents.get(pid, 0), seen + 1
        return False

    return [pid for pid in kernels if descends(pid)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_check_stops_its_kernel_and_removes_its_temporary_course(
    signal_number: int, tmp_path: Path
) -> None:
    copy = tmp_path / QUIZ / "quiz.ipynb"
    copy.parent.mkdir()
    shutil.copy(FIXTURES / "release_0_1_0" / QUIZ / "quiz.ipynb", copy)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(scratch),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "intimacy_course.cli", "check", str(copy)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _kernels_of(process.pid):
        if process.poll() is not None:
            pytest.fail(
                f"check ended before its kernel started: {process.stderr.read().decode()[-800:]}"
            )
        time.sleep(0.2)
    kernels = _kernels_of(process.pid)
    assert list(scratch.glob("intimacy-check-*")), "the temporary course exists while grading"
    process.send_signal(signal_number)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert b"Traceback" not in err, err.decode()[-800:]
    assert not list(scratch.glob("intimacy-check-*")), (
        "the temporary course (with the key) is removed"
    )
    assert b"Stopped" in err
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and [p for p in kernels if _alive(p)]:
        time.sleep(0.2)
    assert [p for p in kernels if _alive(p)] == [], "no kernel is left running"

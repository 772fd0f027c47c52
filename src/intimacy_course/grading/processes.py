"""Ending the processes a grading step started, when it is stopped half-way.

When ``intimacy-course check`` is stopped (Ctrl-C, SIGTERM, SIGHUP) while nbgrader is still
starting a kernel, the kernel's manager may not know of the process yet, so nothing stops
it. The check then removes its temporary course (the kernel's working folder) and the
kernel, still starting, fails on its missing folder and prints a traceback into the
learner's terminal after "Stopped.". Ending every process this one started, before the
folder goes, leaves nothing behind and nothing printed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process visible in /proc (Linux); {} elsewhere."""
    parents: dict[int, int] = {}
    if not PROC.is_dir():
        return parents
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:  # it ended meanwhile
            continue
        # The command name (in parentheses) may hold spaces; the fields after it do not.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1].isdigit():
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int | None = None) -> list[int]:
    """Every running process started by ``pid`` (default: this one), children first."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        current = todo.pop(0)
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def end_descendants(keep: set[int] | frozenset[int] = frozenset(), wait: float = 5.0) -> int:
    """SIGKILL every process this one started except ``keep`` (and theirs); return how many.

    ``keep`` is what was already running before the step began (``set(descendants())``),
    so a step run inside a longer-lived process (a kernel, a test worker) ends only what
    it started itself."""
    kept = set(keep)
    for pid in list(kept):
        kept.update(descendants(pid))
    ended = [pid for pid in descendants() if pid not in kept]
    for pid in ended:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + wait
    for pid in ended:
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not our child (a grandchild), or reaped already
                if not (PROC / str(pid)).exists():
                    break
                time.sleep(0.02)
                continue
            if done:
                break
            time.sleep(0.02)
    return len(ended)

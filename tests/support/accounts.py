"""A real unprivileged account for tests where file modes must bind (root ignores them).

Used by the journal's permission tests: the account is created when missing (which needs
root), and ``as_user`` runs a piece of Python in a forked child that has become it.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
from collections.abc import Callable

from tests.support import skip_or_fail

TEST_USER = "intimacy-test"


def unprivileged_account(name: str = TEST_USER) -> pwd.struct_passwd:
    """The unprivileged account ``name``, created when missing; skip (fail on CI) if impossible."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    if os.geteuid() != 0:
        skip_or_fail(f"needs root to create the user {name!r}, or that user to exist")
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        check=False,
    )
    try:  # another test process may have created it at the same moment
        return pwd.getpwnam(name)
    except KeyError:
        skip_or_fail(f"could not create the user {name!r}: {result.stderr.strip()}")
        raise


def as_user(user: pwd.struct_passwd, action: Callable[[], object], die: bool = False) -> dict:
    """Run ``action`` in a forked child that has become ``user``; return what happened.

    The result is ``{"uid": ..., "result": ...}`` or ``{"uid": ..., "error": name,
    "message": text}``. With ``die``, the child SIGKILLs itself after reporting, as a crash
    would end a process that still holds files open.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            outcome = {"uid": os.getuid(), "result": action()}
        except BaseException as problem:
            outcome = {"uid": os.getuid(), "error": type(problem).__name__, "message": str(problem)}
        os.write(write_end, json.dumps(outcome, default=str).encode())
        if die:
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)

"""A sandbox for trainee code: every autograded kernel runs in bubblewrap, as nobody.

nbgrader runs a submission's code with the grader's rights. Here the kernel instead starts in
a fresh mount namespace (bubblewrap) that shows only the read-only Python environment, the
course's package code and a throwaway working folder holding the submission's stored answers:
no course source or items, no gradebook, no other submissions, no home folders. It has no
network (ZeroMQ's ``ipc`` transport over a socket folder bound into the sandbox replaces TCP),
an allow-list of environment variables, and limits on memory, processes and CPU time. Started
by root, the kernel also drops to the unprivileged ``nobody`` identity (``setpriv``), because
root inside a namespace keeps root's power over every file it can see; started by an ordinary
account, the account's own identity is already unprivileged.

The kernel manager plugs into nbgrader through :class:`~intimacy_course.grading.autograde.SandboxedExecute`,
configured in the course's ``nbgrader_config.py``, so ``intimacy-course grade``, ``check`` and
plain ``nbgrader autograde`` (terminal or formgrader) all get it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from intimacy_course import settings

NOBODY = 65534
#: Environment variables the kernel may see; everything else (tokens included) is dropped.
ALLOWED_ENV = ("LANG", "LC_ALL", "TZ", "NBGRADER_EXECUTION")
MEMORY_BYTES = 4 * 1024**3
MAX_PROCESSES = 64
CPU_SECONDS = 300
#: Files of the submission folder copied into the sandbox's working folder.
CARRIED_FILES = ("answers.json",)


class SandboxUnavailable(RuntimeError):
    """bubblewrap (or setpriv, as root) is missing or cannot start here."""


def sandbox_problem() -> str:
    """Why the sandbox cannot run here, or "" when it can."""
    for tool in ("bwrap", "prlimit") + (("setpriv",) if os.geteuid() == 0 else ()):
        if shutil.which(tool) is None:
            package = {"bwrap": "bubblewrap"}.get(tool, "util-linux")
            return f"'{tool}' is not installed (Debian package {package})"
    return ""


def package_root() -> Path:
    """The folder holding the ``intimacy_course`` package, bound read-only into the sandbox."""
    import intimacy_course

    return Path(intimacy_course.__file__).resolve().parent.parent


def _parents(paths: Iterable[str]) -> list[str]:
    seen = {"/", "/tmp", "/proc", "/dev"}
    args: list[str] = []
    for path in paths:
        for parent in reversed(Path(path).parents):
            if str(parent) not in seen:
                seen.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def sandbox_command(command: list[str], socket_dir: Path, work_dir: Path) -> list[str]:
    """Wrap a kernel's command line in bubblewrap, setpriv (as root) and prlimit."""
    as_root = os.geteuid() == 0
    read_only = []
    for path in (
        "/usr",
        "/etc/ld.so.cache",
        "/etc/localtime",
        sys.prefix,
        sys.base_prefix,
        str(package_root()),
    ):
        if os.path.exists(path):
            real = os.path.realpath(path)
            if real not in read_only:
                read_only.append(real)
    mounts: list[tuple[str, str, str]] = [("--ro-bind", p, p) for p in read_only]
    mounts += [("--bind", str(socket_dir), str(socket_dir)), ("--ro-bind", str(work_dir), "/quiz")]
    env = {
        "PATH": f"{sys.prefix}/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "USER": "trainee",
        "LOGNAME": "trainee",
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
    }
    env.update(settings.passed_to_sandbox(ALLOWED_ENV))
    args = ["bwrap"]
    if as_root:
        # No user namespace: setpriv below then drops to a real unprivileged identity.
        args += [
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--unshare-cgroup-try",
        ]
    else:
        args += ["--unshare-all"]
    args += ["--die-with-parent", "--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "01777", "--tmpfs", "/tmp"]
    for link, target in (
        ("/lib", "usr/lib"),
        ("/lib64", "usr/lib64"),
        ("/bin", "usr/bin"),
        ("/sbin", "usr/sbin"),
    ):
        args += ["--symlink", target, link]
    args += _parents(dest for _, _, dest in mounts)
    for flag, source, dest in mounts:
        args += [flag, source, dest]
    args += ["--chdir", "/quiz"]
    if as_root:
        args += [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
        ]
    limits = [f"--as={MEMORY_BYTES}", f"--cpu={CPU_SECONDS}"]
    if as_root:
        limits.append(f"--nproc={MAX_PROCESSES}")
    return [*args, "prlimit", *limits, "--", *command]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside :func:`sandbox_command`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        problem = sandbox_problem()
        if problem:
            raise SandboxUnavailable(problem)
        # Short paths: a Unix socket's path must stay under about 100 bytes, and TMPDIR can be long.
        base = "/tmp" if os.access("/tmp", os.W_OK | os.X_OK) else None
        self._box = Path(tempfile.mkdtemp(prefix="ic-sandbox-", dir=base))
        self._box.chmod(0o711)
        # Removed at shutdown; also when this manager is collected or the grader exits, so a
        # kernel that never started, or a grader stopped mid-way, leaves no folder behind.
        self._remove_box = weakref.finalize(self, shutil.rmtree, str(self._box), True)
        self._sockets = self._box / "s"
        self._work = self._box / "work"
        for folder in (self._sockets, self._work):
            folder.mkdir(mode=0o700)
            if os.geteuid() == 0:
                os.chown(folder, NOBODY, NOBODY)
        self.transport = "ipc"
        self.ip = str(self._sockets / "k")
        self.connection_file = str(self._sockets / "connection.json")

    def write_connection_file(self, **kwargs: Any) -> None:
        super().write_connection_file(**kwargs)
        if os.geteuid() == 0:
            os.chown(self.connection_file, NOBODY, NOBODY)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return sandbox_command(
            super().format_kernel_cmd(extra_arguments), self._sockets, self._work
        )

    async def _async_pre_start_kernel(self, **kwargs: Any) -> tuple[list[str], dict[str, Any]]:
        # Only the stored answers travel in; a submitted package folder cannot shadow ours.
        origin = kwargs.get("cwd")
        for name in CARRIED_FILES:
            source = Path(origin) / name if origin else None
            if source and source.is_file() and not source.is_symlink():
                target = self._work / name
                shutil.copyfile(source, target)
                target.chmod(0o444)
        command, launch = await super()._async_pre_start_kernel(**kwargs)
        # The kernel, started outside Jupyter's runtime folder, would print a connection banner.
        launch["stdout"] = subprocess.DEVNULL
        return command, launch

    async def _async_interrupt_kernel(self) -> None:
        # A signal would reach bubblewrap and end the whole sandbox: ask the kernel instead.
        if self.has_kernel:
            message = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, message)

    interrupt_kernel = run_sync(_async_interrupt_kernel)  # type: ignore[assignment]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._box, ignore_errors=True)

"""Drive a real cohort from the tests: the hub process, PostgreSQL, and each person's server.

Everything a person does goes through the hub's public URL (configurable-http-proxy), with
that person's own API token: the hub's REST API to get a token (PAM password) and start a
server, then the single-user server's own APIs behind the proxy -- the contents API (what
JupyterLab uses to open and save files), nbgrader's assignment list API (the trainee's
Assignments tab), formgrader's API (the instructor's formgrader page) and the kernels API
(a notebook cell). Only the permission checks run directly on the machine, with
``runuser -u NAME``, because "can this account read that file" is a question for the
kernel, not for the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import requests

from tests.support import REPO, skip_or_fail

DEPLOY = REPO / "deploy" / "jupyterhub"
VENV = Path(sys.prefix)
VENV_BIN = Path(sys.executable).parent
HUB_NODE = VENV / "hub-node"
CHP = HUB_NODE / "node_modules" / ".bin" / "configurable-http-proxy"
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
TEST_ACCOUNT_COMMENT = "intimacy-course hub test"

#: Figures measured while the tests run; conftest prints them at the end of the session.
TIMINGS: dict[str, float] = {}
MEMORY_MB: dict[str, float] = {}
COUNTS: dict[str, int] = {}


def resident_mb(uid: int) -> float:
    """Resident memory of every process of one account, in MB (for sizing a host)."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total_kb / 1024


unavailable = skip_or_fail


def load_deploy_module(name: str) -> ModuleType:
    """Import ``deploy/jupyterhub/<name>.py`` by its path (the folder is no package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DEPLOY / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_cohort_setup() -> ModuleType:
    """The administrator's set-up script, deploy/jupyterhub/cohort_setup.py, with the
    ``hub_settings`` module it imports loaded first from the same folder."""
    load_deploy_module("hub_settings")
    return load_deploy_module("cohort_setup")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Call ``check`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except (requests.RequestException, OSError) as problem:
            last_error = problem
            result = None
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what} ({last_error})")


def run_as(user: str, *command: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run a command as another Unix account, the way that account would."""
    return subprocess.run(
        ["runuser", "-u", user, "--", *command],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        cwd="/",
    )


def kill_processes_of(uids: set[int]) -> list[int]:
    """Stop, by process id, whatever is still running under the given test accounts."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid in uids:
                found.append(int(entry.name))
        except FileNotFoundError:
            continue
    for pid in found:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for pid in found:
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return found


# --- the course clone the hub serves ---------------------------------------------------------


def copy_clone(repo: Path, target: Path) -> Path:
    """A clone of the course as an administrator would have it: what git knows, and .git.

    Files git tracks or would track (``git ls-files --cached --others --exclude-standard``)
    are copied from the working tree, so the copy matches the package the users' servers
    run; git-ignored files (.venv, gradebooks, my_work ...) are left out, as a fresh clone
    lacks them. The copy's ``.git`` holds the history, answer key included.
    """
    import shutil

    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    target.mkdir(parents=True)
    target.parent.chmod(0o755)
    for name in filter(None, listed.split("\0")):
        source = repo / name
        if not source.is_file() or source.is_symlink():
            continue  # deleted in the working tree, or a link
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    shutil.copytree(repo / ".git", target / ".git", symlinks=True)
    for folder, subfolders, files in os.walk(target):
        for name in (*subfolders, *files):
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    target.chmod(0o755)
    return target


# --- the environment every user's server runs from ------------------------------------------


def usable_by_others(python: Path, env: dict[str, str] | None = None) -> bool:
    """Whether an unprivileged account can run this interpreter, as this same Python build,
    and import the course.

    The version check matters: a venv whose interpreter is a *copy* of a shared pyenv build
    runs for another account too, but its run path into /root is closed to that account, so
    the loader falls back to Debian's libpython 3.11.2, with which nbgrader's feedback fails.
    """
    settings = [f"{name}={value}" for name, value in (env or {}).items()]
    probe = f"import sys, intimacy_course, soupsieve; sys.exit(sys.version != {sys.version!r})"
    result = run_as("nobody", "env", *settings, str(python), "-c", probe)
    return result.returncode == 0


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        import shutil

        shutil.copy2(source, target)


def shared_interpreter(target: Path) -> tuple[Path, dict[str, str]]:
    """The tests' own Python (same build, same version), where every account can run it.

    A pyenv Python under /root cannot be entered by other accounts. The standard library
    is hard-linked (no copy, same file system) or copied; the small executable is copied.
    A shared build finds libpython through an absolute run path into /root: the copy's run
    path is rewritten to ``$ORIGIN/../lib`` (the grading sandbox clears the environment, so
    LD_LIBRARY_PATH would not reach a sandboxed kernel). Only if that is not possible does
    the copy's lib folder go on LD_LIBRARY_PATH for every process of the users' servers.
    """
    import shutil

    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (target / "bin").mkdir(parents=True, exist_ok=True)
    (target / "lib").mkdir(exist_ok=True)
    executable = target / "bin" / version
    shutil.copy2(os.path.realpath(sys.executable), executable)
    shared_libs = list((base / "lib").glob("libpython*.so*"))
    for library in shared_libs:
        _link_or_copy(str(library), str(target / "lib" / library.name))
    shutil.copytree(
        base / "lib" / version,
        target / "lib" / version,
        symlinks=True,
        ignore=shutil.ignore_patterns("site-packages", "test"),
        copy_function=_link_or_copy,
        dirs_exist_ok=True,
    )
    (target / "lib" / version / "site-packages").mkdir(exist_ok=True)
    if not shared_libs or _relative_run_path(executable, base / "lib"):
        return executable, {}
    return executable, {"LD_LIBRARY_PATH": str(target / "lib")}


def _relative_run_path(executable: Path, old: Path) -> bool:
    """Rewrite the executable's run path ``old`` to ``$ORIGIN/../lib``, in place.

    The run path is a NUL-terminated string in the ELF file's string table; a shorter one
    fits in its place, padded with NULs. Done only when the old string occurs exactly once.
    """
    data = executable.read_bytes()
    before = b"\0" + str(old).encode() + b"\0"
    after = b"\0$ORIGIN/../lib"
    if data.count(before) != 1 or len(after) > len(before) - 1:
        return False
    executable.write_bytes(data.replace(before, after.ljust(len(before), b"\0")))
    check = run_as("nobody", "env", "-i", str(executable), "-c", "import sys")
    return check.returncode == 0


def build_user_env(target: Path) -> tuple[Path, dict[str, str]]:
    """The Python environment the users' servers run from, readable by every account.

    Returns the environment's folder and the variables its processes need. In production
    this is a plain virtualenv under /opt, made with a Python every account can run
    (README.md, "Install"). Here the course is already installed in .venv, whose
    interpreter may sit where other accounts cannot enter (pyenv under /root). Then this
    makes a venv from :func:`shared_interpreter` holding .venv's packages as hard links
    (the grading sandbox shows a kernel only its own environment, so a ``.pth`` file
    pointing at .venv would not do), with .venv's commands re-pointed at it: the same
    Python and the same packages, in a few seconds and without downloading anything.

    Not Debian's /usr/bin/python3: it is 3.11.2, and the pinned soupsieve needs 3.11.5
    (nbgrader's feedback then fails on a CSS selector).
    """
    if usable_by_others(Path(sys.executable)):
        return VENV, {}
    python, env = shared_interpreter(target.parent / "python")
    subprocess.run(
        [str(python), "-m", "venv", "--without-pip", str(target)],
        check=True,
        env={**os.environ, **env},
    )
    site_packages = next((VENV / "lib").glob("python3*/site-packages"))
    target_site = next((target / "lib").glob("python3*/site-packages"))
    import shutil

    shutil.copytree(
        site_packages,
        target_site,
        symlinks=True,
        copy_function=_link_or_copy,
        dirs_exist_ok=True,
    )
    shebangs = {f"#!{VENV_BIN / 'python3'}", f"#!{VENV_BIN / 'python'}"}
    for script in VENV_BIN.iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        try:
            text = script.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        first, _, rest = text.partition("\n")
        if first.strip() in shebangs:
            copy = target / "bin" / script.name
            copy.write_text(f"#!{target / 'bin' / 'python3'}\n{rest}", encoding="utf-8")
            copy.chmod(0o755)
    for part in ("share/jupyter", "etc/jupyter"):
        link = target / part
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(VENV / part)
    if not usable_by_others(target / "bin" / "python3", env):
        raise RuntimeError(f"The users' environment {target} does not work for other accounts.")
    return target, env


# --- processes ------------------------------------------------------------------------------


@dataclass
class HubProcess:
    """A real JupyterHub (and the proxy it starts), configured by deploy/jupyterhub."""

    state_dir: Path
    settings_path: Path
    settings: dict[str, object]
    service_token: str
    user_env_vars: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    starts: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.settings["bind_url"]).rstrip("/")

    def write_files(self) -> Path:
        """The settings file (production's format) and a wrapper config for the tests.

        The wrapper adds only (1) a service account for the tests with the scopes to create
        hub users and stop servers (it cannot open anyone's server or files) and (2) the
        variables the tests' copy of Python needs in every server (see build_user_env).
        """
        lines = []
        for key, value in self.settings.items():
            lines.append(f"{key} = {json.dumps(value)}")
        self.settings_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        wrapper = self.state_dir / "test_jupyterhub_config.py"
        wrapper.write_text(
            "import os\n"
            "c = get_config()\n"
            f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
            "c.JupyterHub.services = [{'name': 'cohort-test',"
            " 'api_token': os.environ['COHORT_TEST_SERVICE_TOKEN']}]\n"
            "c.JupyterHub.load_roles = [{'name': 'cohort-test-admin',"
            " 'scopes': ['admin:users', 'admin:servers', 'read:users'],"
            " 'services': ['cohort-test']}]\n"
            f"_test_vars = {self.user_env_vars!r}\n"
            "_role_hook = c.Spawner.pre_spawn_hook\n"
            "def _with_test_vars(spawner):\n"
            "    _role_hook(spawner)\n"
            "    spawner.environment.update(_test_vars)\n"
            "c.Spawner.pre_spawn_hook = _with_test_vars\n",
            encoding="utf-8",
        )
        return wrapper

    def start(self, timeout: float = 90) -> float:
        """Start the hub; return the seconds until its API answered through the proxy."""
        self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        wrapper = self.write_files()
        self.log_path = self.state_dir / f"jupyterhub-{len(self.starts) + 1}.log"
        env = {
            "PATH": f"{VENV_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.state_dir),
            "LANG": "C.UTF-8",
            "INTIMACY_HUB_SETTINGS": str(self.settings_path),
            "COHORT_TEST_SERVICE_TOKEN": self.service_token,
        }
        began = time.monotonic()
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "jupyterhub"), "-f", str(wrapper)],
                cwd=self.state_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=0o077,  # as the systemd unit sets it: new files private by default
            )

        def answering() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited early; log:\n{self.log_tail()}")
            return requests.get(f"{self.url}/hub/api", timeout=5).status_code == 200

        wait_for(answering, timeout, "the hub's API through the proxy")
        elapsed = time.monotonic() - began
        self.starts.append(elapsed)
        return elapsed

    def stop(self) -> None:
        """Stop the hub by its process id; it stops the proxy and the users' servers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        pid_file = self.state_dir / "jupyterhub-proxy.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        self.proc = None

    def restart(self, **changes: object) -> float:
        self.stop()
        self.settings.update(changes)
        return self.start()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path or not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A hub API call as the tests' service account."""
        return requests.request(
            method,
            f"{self.url}/hub/api/{path.lstrip('/')}",
            headers={"Authorization": f"token {self.service_token}"},
            timeout=30,
            **kwargs,
        )


@dataclass
class Postgres:
    """A private PostgreSQL server: its own data folder, socket folder and port; no TCP."""

    base: Path
    bindir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "run"

    def _as_postgres(self) -> dict[str, Any]:
        account = pwd.getpwnam("postgres")
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [], "cwd": "/"}

    def start(self, timeout: float = 60) -> float:
        began = time.monotonic()
        account = pwd.getpwnam("postgres")
        for folder, mode in ((self.base, 0o755), (self.data, 0o700), (self.socket_dir, 0o755)):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, account.pw_uid, account.pw_gid)
            folder.chmod(mode)
        subprocess.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth-local=peer",
                "--auth-host=reject",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            check=True,
            capture_output=True,
            **self._as_postgres(),
        )
        log = (self.base / "postgres.log").open("wb")
        self.proc = subprocess.Popen(
            [
                str(self.bindir / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.socket_dir),
                "-c",
                "listen_addresses=",
                # a throw-away server: durability is not what is being tested
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            **self._as_postgres(),
        )
        wait_for(
            lambda: (
                subprocess.run(
                    [
                        str(self.bindir / "pg_isready"),
                        "-h",
                        str(self.socket_dir),
                        "-p",
                        str(self.port),
                    ],
                    capture_output=True,
                ).returncode
                == 0
            ),
            timeout,
            "PostgreSQL to accept connections",
        )
        return time.monotonic() - began

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.socket_dir),
                "-p",
                str(self.port),
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
            **self._as_postgres(),
        )
        return result.stdout.strip()

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


# --- one person, through the hub --------------------------------------------------------------


@dataclass
class Person:
    """A cohort member acting through the hub with their own password and token."""

    name: str
    role: str
    password: str
    home: Path
    hub_url: str
    token: str = ""

    # -- the hub's REST API

    def request_token(self) -> requests.Response:
        """Ask the hub for an API token with the Unix password (checked by PAM)."""
        return requests.post(
            f"{self.hub_url}/hub/api/users/{self.name}/tokens",
            json={
                "auth": {"username": self.name, "password": self.password},
                "note": "cohort test",
                "expires_in": 3600,
            },
            timeout=60,
        )

    def log_in(self) -> None:
        response = self.request_token()
        response.raise_for_status()
        self.token = response.json()["token"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method,
            f"{self.hub_url}/hub/api/{path.lstrip('/')}",
            headers=self.headers,
            timeout=30,
            **kwargs,
        )

    def request_server(self) -> None:
        """Ask the hub to start this person's server (it answers before the server is up)."""
        response = self.hub_api("POST", f"users/{self.name}/server")
        if response.status_code not in (201, 202, 400):  # 400: already running
            response.raise_for_status()

    def wait_for_server(self, timeout: float = 180) -> None:
        def ready() -> bool:
            model = self.hub_api("GET", f"users/{self.name}").json()
            server = model.get("servers", {}).get("")
            return bool(server and server.get("ready"))

        wait_for(ready, timeout, f"{self.name}'s server to be ready", interval=0.5)
        wait_for(
            lambda: self.get("api/status").status_code == 200,
            30,
            f"{self.name}'s server through the proxy",
        )

    def start_server(self, timeout: float = 180) -> float:
        """Start this person's server through the hub; return seconds until it answers."""
        began = time.monotonic()
        self.request_server()
        self.wait_for_server(timeout)
        return time.monotonic() - began

    # -- the single-user server behind the proxy

    def url(self, path: str) -> str:
        return f"{self.hub_url}/user/{self.name}/{path.lstrip('/')}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.get(self.url(path), headers=self.headers, timeout=120, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(self.url(path), headers=self.headers, timeout=300, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.put(self.url(path), headers=self.headers, timeout=120, **kwargs)

    def ok_json(self, response: requests.Response) -> Any:
        assert response.status_code < 300, (
            f"{self.name}: {response.request.method} {response.url} -> "
            f"{response.status_code}: {response.text[:800]}"
        )
        return response.json()

    # contents API (what JupyterLab uses to open, save and upload)

    def read_notebook(self, path: str) -> dict:
        return self.ok_json(self.get(f"api/contents/{path}", params={"content": 1}))["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        self.ok_json(
            self.put(
                f"api/contents/{path}",
                json={"type": "notebook", "format": "json", "content": notebook},
            )
        )

    def upload_text(self, path: str, text: str) -> None:
        self.ok_json(
            self.put(
                f"api/contents/{path}", json={"type": "file", "format": "text", "content": text}
            )
        )

    def make_folder(self, path: str) -> None:
        response = self.get(f"api/contents/{path}", params={"content": 0})
        if response.status_code == 404:
            self.ok_json(self.put(f"api/contents/{path}", json={"type": "directory"}))

    def list_folder(self, path: str) -> list[str]:
        return [
            item["name"]
            for item in self.ok_json(self.get(f"api/contents/{path}", params={"content": 1}))[
                "content"
            ]
        ]

    # nbgrader's assignment list (the trainee's Assignments tab)

    def assignments(self, course_id: str) -> list[dict]:
        result = self.ok_json(self.get("assignments", params={"course_id": course_id}))
        assert result["success"], result
        return result["value"]

    def assignment_action(self, action: str, course_id: str, assignment_id: str) -> dict:
        return self.ok_json(
            self.post(
                f"assignments/{action}",
                data={"course_id": course_id, "assignment_id": assignment_id},
            )
        )

    # formgrader's API (the instructor's formgrader page)

    def formgrader(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(
            method,
            self.url(f"formgrader/api/{path.lstrip('/')}"),
            headers=self.headers,
            timeout=600,
            **kwargs,
        )
        return self.ok_json(response)

    # kernels API (a notebook cell)

    def run_code(self, code: str, timeout: float = 120) -> str:
        """Run code in a fresh kernel on this person's server; return its printed output."""
        kernel = self.ok_json(self.post("api/kernels", json={"name": "python3"}))
        try:
            ws_url = self.url(f"api/kernels/{kernel['id']}/channels").replace("http", "ws", 1)
            # A fresh thread has no event loop of its own, even when the calling thread
            # runs one (Playwright's sync API keeps a loop running in the browser tests,
            # which may share this pytest worker).
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(
                    asyncio.run, _execute(ws_url, self.headers, code, timeout)
                ).result()
        finally:
            requests.delete(
                self.url(f"api/kernels/{kernel['id']}"), headers=self.headers, timeout=30
            )


async def _execute(ws_url: str, headers: dict[str, str], code: str, timeout: float) -> str:
    """Send one execute_request over the kernel's websocket; collect output until idle."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    connection = await asyncio.wait_for(
        websocket_connect(HTTPRequest(ws_url, headers=headers)), timeout
    )
    msg_id = uuid.uuid4().hex
    message = {
        "header": {
            "msg_id": msg_id,
            "username": "cohort-test",
            "session": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "buffers": [],
        "channel": "shell",
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
    }
    await connection.write_message(json.dumps(message))
    output: list[str] = []
    status = None
    idle = False
    try:
        while status is None or not idle:
            raw = await asyncio.wait_for(connection.read_message(), timeout)
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["msg_type"]
            if kind == "stream":
                output.append(reply["content"]["text"])
            elif kind == "error":
                output.append("\n".join(reply["content"]["traceback"]))
            elif kind == "execute_reply":
                status = reply["content"]["status"]
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                idle = True
    finally:
        connection.close()
    text = "".join(output)
    if status != "ok":
        raise RuntimeError(f"code failed in the kernel:\n{text}")
    return text

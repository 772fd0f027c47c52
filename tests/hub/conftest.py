"""A throw-away cohort on this machine: Unix accounts, a real JupyterHub, a real PostgreSQL.

Built with the administrator's own tools (deploy/jupyterhub/cohort_setup.py) and the
production hub configuration (deploy/jupyterhub/jupyterhub_config.py) with a settings file
pointing at temporary folders and free ports. Everything is started and stopped here:
accounts, homes, the exchange, the hub, its proxy, the users' servers and PostgreSQL.

The course clone the hub serves is a copy of this working tree (files git knows of, and
.git), made and protected the way the guide tells an administrator (``cohort_setup.py
protect-course``): its answer key readable by instructors only, and a trainees' copy of the
course without it.

When the machine cannot host this (not root, no useradd, no Node/npm, no PostgreSQL), the
tests skip and say why, except when ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hub.hubkit import (
    CHP,
    COUNTS,
    HUB_NODE,
    MEMORY_MB,
    PG_BIN_CANDIDATES,
    REPO,
    TEST_ACCOUNT_COMMENT,
    TIMINGS,
    HubProcess,
    Person,
    Postgres,
    build_user_env,
    copy_clone,
    free_port,
    kill_processes_of,
    load_cohort_setup,
    resident_mb,
    unavailable,
)

TIMINGS_FILE = REPO / "test-artifacts" / "hub-timings.json"
TMP_PREFIX = "intimacy-hub-"


def pytest_terminal_summary(terminalreporter) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("cohort on JupyterHub: measured")
    for name, seconds in TIMINGS.items():
        terminalreporter.write_line(f"{name:<56} {seconds:7.1f} s")
    for name, megabytes in MEMORY_MB.items():
        terminalreporter.write_line(f"{name:<56} {megabytes:7.0f} MB")
    for name, count in COUNTS.items():
        terminalreporter.write_line(f"{name:<56} {count:7d}")
    load = os.getloadavg()[0]
    label = f"load average (1 min) at the end, {os.cpu_count()} cores"
    terminalreporter.write_line(f"{label:<56} {load:7.1f}")
    TIMINGS_FILE.parent.mkdir(exist_ok=True)
    TIMINGS_FILE.write_text(
        json.dumps(
            {
                "seconds": TIMINGS,
                "resident_mb": MEMORY_MB,
                "counts": COUNTS,
                "load_average_1min": load,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def hub_machine() -> None:
    """Check that this machine can host a cohort; skip (or fail on CI) when it cannot."""
    problems = []
    if os.geteuid() != 0:
        problems.append(
            "not running as root (the hub must be root to start each person's "
            "server as their own account, and the set-up creates accounts)"
        )
    missing = [
        tool
        for tool in ("useradd", "userdel", "usermod", "groupadd", "groupdel", "chpasswd", "runuser")
        if not shutil.which(tool)
    ]
    if missing:
        problems.append(f"missing account tools: {', '.join(missing)}")
    if not (shutil.which("node") and shutil.which("npm")):
        problems.append(
            "Node.js and npm are needed for configurable-http-proxy (apt-get install npm)"
        )
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        problems.append("no 'nobody' account to test file access with")
    if problems:
        unavailable("; ".join(problems))


@pytest.fixture(scope="session")
def proxy_command(hub_machine: None) -> list[str]:
    """configurable-http-proxy from the npm registry, installed into .venv when missing."""
    if not CHP.exists():
        result = subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(HUB_NODE),
                "--no-audit",
                "--no-fund",
                "configurable-http-proxy@4",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not CHP.exists():
            unavailable(
                f"could not install configurable-http-proxy from npm: "
                f"{result.stderr.strip()[-500:]}"
            )
    return [str(CHP)]


@pytest.fixture(scope="session")
def cohort_base(hub_machine: None):
    """A temporary folder every test account can enter (pytest's own tmp is root-only)."""
    _clean_stale_runs()
    base = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir="/tmp"))
    base.chmod(0o755)
    (base / "pytest.pid").write_text(str(os.getpid()), encoding="utf-8")
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def user_env(cohort_base: Path) -> tuple[Path, dict[str, str]]:
    """The users' Python environment and the variables its processes need."""
    try:
        return build_user_env(cohort_base / "user-env")
    except RuntimeError as problem:
        unavailable(str(problem))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _clean_stale_runs() -> None:
    """Stop what a killed earlier run left running (hub, proxy, PostgreSQL), by process id.

    A run's folder records the pytest process that made it; when that process is gone, the
    processes whose command line names the folder, and the proxy whose pid file is in it,
    are stopped, and the folder is removed.
    """
    for base in Path("/tmp").glob(f"{TMP_PREFIX}*"):
        try:
            owner = int((base / "pytest.pid").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        pids = []
        proxy_pid = base / "hub-state" / "jupyterhub-proxy.pid"
        if proxy_pid.exists():
            pids.append(int(proxy_pid.read_text().strip() or 0))
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if str(base).encode() in (entry / "cmdline").read_bytes():
                        pids.append(int(entry.name))
                except OSError:
                    continue
        for pid in [p for p in pids if p > 1]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
        time.sleep(1)
        shutil.rmtree(base, ignore_errors=True)


def _remove_leftovers(setup) -> None:
    """Remove accounts an interrupted earlier run left behind (its process is gone)."""
    for account in pwd.getpwall():
        comment = account.pw_gecos
        if not comment.startswith(TEST_ACCOUNT_COMMENT + " pid="):
            continue
        pid = int(comment.rsplit("=", 1)[1])
        try:
            os.kill(pid, 0)
            continue  # that run is still going
        except ProcessLookupError:
            pass
        kill_processes_of({account.pw_uid})
        setup.remove_account(account.pw_name)
        tag = account.pw_name.split("-", 1)[0]
        for group in (f"{tag}-instructors", f"{tag}-trainees"):
            subprocess.run(["groupdel", group], capture_output=True)
        home = Path(account.pw_dir)
        if str(home).startswith(f"/tmp/{TMP_PREFIX}"):
            shutil.rmtree(home, ignore_errors=True)


@dataclass
class Cohort:
    """The running cohort: the hub, the accounts, and the administrator's settings."""

    hub: HubProcess
    base: Path
    settings: dict[str, object]
    instructor: Person
    trainees: list[Person]
    setup: object  # the cohort_setup module
    extra: list[Person] = field(default_factory=list)

    @property
    def everyone(self) -> list[Person]:
        return [self.instructor, *self.trainees, *self.extra]

    @property
    def exchange(self) -> Path:
        return Path(str(self.settings["exchange_root"]))

    @property
    def course_id(self) -> str:
        return str(self.settings["course_id"])

    @property
    def clone(self) -> Path:
        """The course clone the hub serves (instructors only, but for the package)."""
        return Path(str(self.settings["course_repo"]))

    @property
    def trainee_copy(self) -> Path:
        """The trainees' copy of the course: no answer key."""
        return Path(str(self.settings["trainee_copy"]))

    def add_person(self, name: str, role: str) -> Person:
        password = secrets.token_urlsafe(16)
        home = self.setup.add_account(
            name,
            role,
            self.settings,
            home=self.base / "home" / name,
            password=password,
            comment=f"{TEST_ACCOUNT_COMMENT} pid={os.getpid()}",
        )
        return Person(name, role, password, home, self.hub.url)


@pytest.fixture(scope="session")
def cohort(
    hub_machine: None,
    cohort_base: Path,
    user_env: tuple[Path, dict[str, str]],
    proxy_command: list[str],
):
    """One instructor and two trainees, each with a Unix account and a running server."""
    setup = load_cohort_setup()
    _remove_leftovers(setup)
    tag = f"ic{os.getpid() % 100000}"
    settings: dict[str, object] = {
        "bind_url": f"http://127.0.0.1:{free_port()}",
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "state_dir": str(cohort_base / "hub-state"),
        "proxy_command": proxy_command,
        "course_repo": str(cohort_base / "opt" / "intimacy-course"),
        "trainee_copy": str(cohort_base / "opt" / "intimacy-course-trainees"),
        "user_env": str(user_env[0]),
        "course_id": "healthy-intimacy",
        "exchange_root": str(cohort_base / "srv" / "nbgrader" / "exchange"),
        "instructor_group": f"{tag}-instructors",
        "trainee_group": f"{tag}-trainees",
        "admin_group": "",
        "course_root": "~/course",
        "groupshared": False,
        "gradebook_url": "",
        "start_timeout": 150,
    }
    hub = HubProcess(
        state_dir=cohort_base / "hub-state",
        settings_path=cohort_base / "hub.toml",
        settings=settings,
        service_token=secrets.token_hex(32),
        user_env_vars=user_env[1],
    )
    cohort = Cohort(hub, cohort_base, settings, None, [], setup)  # type: ignore[arg-type]
    try:
        began = time.monotonic()
        copy_clone(REPO, cohort.clone)
        setup.protect_course(settings)
        TIMINGS["copy the clone, lock its key, make the trainees' copy"] = time.monotonic() - began
        cohort.instructor = cohort.add_person(f"{tag}-instructor", "instructor")
        cohort.trainees = [cohort.add_person(f"{tag}-trainee{n}", "trainee") for n in (1, 2)]
        setup.prepare_exchange(settings, owner=cohort.instructor.name)
        TIMINGS["hub start (cold), until its API answers"] = hub.start()
        response = hub.admin("POST", "users", json={"usernames": [p.name for p in cohort.everyone]})
        assert response.status_code in (201, 409), response.text
        for person in cohort.everyone:
            person.log_in()
        began = time.monotonic()
        for person in cohort.everyone:  # all at once, as at the start of a class
            person.request_server()
        for person in cohort.everyone:
            person.wait_for_server()
        TIMINGS["start three servers at once, until all answer"] = time.monotonic() - began
        for person in cohort.everyone:
            MEMORY_MB[f"idle server of the {person.role} (all its processes)"] = resident_mb(
                pwd.getpwnam(person.name).pw_uid
            )
        yield cohort
    finally:
        hub.stop()
        accounts = []
        for person in cohort.everyone:
            if person is None:
                continue
            with contextlib.suppress(KeyError):
                accounts.append(pwd.getpwnam(person.name))
        kill_processes_of({account.pw_uid for account in accounts})
        for account in accounts:
            setup.remove_account(account.pw_name)
        for group in (settings["instructor_group"], settings["trainee_group"]):
            subprocess.run(["groupdel", str(group)], capture_output=True)


@pytest.fixture(scope="session")
def postgres(hub_machine: None, cohort_base: Path):
    """A private PostgreSQL server (Debian's package), run as the postgres account."""
    bindir = next((path for path in PG_BIN_CANDIDATES if (path / "postgres").exists()), None)
    if bindir is None:
        unavailable("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("there is no 'postgres' account (apt-get install postgresql)")
    server = Postgres(cohort_base / "postgres", bindir)
    try:
        TIMINGS["PostgreSQL initdb + start"] = server.start()
        yield server
    finally:
        server.stop()

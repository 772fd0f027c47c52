#!/usr/bin/env python3
"""Set up a host for a cohort: the exchange, accounts, and (optionally) a shared gradebook.

Run as root, with any Python 3.11+ (standard library only), after copying
``hub.example.toml`` to ``/etc/intimacy-course/hub.toml``::

    sudo python3 cohort_setup.py exchange --owner alice          # once per cohort
    sudo python3 cohort_setup.py add-user alice --role instructor
    sudo python3 cohort_setup.py add-user sam --role trainee      # then: sudo passwd sam
    sudo python3 cohort_setup.py gradebook-db alice bob           # several graders only
    sudo python3 cohort_setup.py shared-course /srv/nbgrader/courses/healthy-intimacy alice bob \\
        --adopt /home/alice/course                                 # several graders only

Each step checks before it changes anything, so running it twice is harmless. The tests
in ``tests/hub`` call these same functions to build their throw-away cohort, so what the
guide tells an administrator to run is what was tested.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_settings import group_exists, load_settings

ROLES = ("instructor", "trainee")
#: The link in every home to the course clone (read-only), for the file browser.
COURSE_LINK = "intimacy-course"
_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
#: PostgreSQL group role that owns the gradebook; each grader acts as it (see below).
GRADERS_ROLE = "course_graders"


class SetupError(Exception):
    """Something the administrator has to fix; the message says what."""


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise SetupError(
            f"{name!r} is not a safe account name: use lower-case letters, digits, '-' "
            "or '_', starting with a letter, at most 32 characters."
        )
    return name


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout}")
    return result


def ensure_group(name: str) -> None:
    """Create a Unix group unless it exists."""
    if not group_exists(name):
        _run(["groupadd", _check_name(name)])


def role_group(settings: dict[str, object], role: str) -> str:
    if role not in ROLES:
        raise SetupError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    return str(settings[f"{role}_group"])


def add_account(
    name: str,
    role: str,
    settings: dict[str, object],
    home: Path | None = None,
    password: str | None = None,
    comment: str = "intimacy-course cohort",
) -> Path:
    """Create (or complete) a person's Unix account for the course; return their home.

    The home is made 0700: Debian's ``useradd`` creates world-readable homes by default,
    and a trainee's home holds their quiz answers and private journal. The account joins
    the role's group, which is what the hub checks at login and at every server start.
    ``~/intimacy-course`` links to the shared, read-only clone, so the course's notebooks
    appear in the person's file browser. A password is set only when given (tests);
    otherwise run ``passwd NAME``.
    """
    _check_name(name)
    group = role_group(settings, role)
    ensure_group(group)
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        command = ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", comment]
        if home is not None:
            home.parent.mkdir(parents=True, exist_ok=True)
            command += ["--home-dir", str(home)]
        _run([*command, "--groups", group, name])
        account = pwd.getpwnam(name)
    else:
        _run(["usermod", "--append", "--groups", group, name])
    home_dir = Path(account.pw_dir)
    home_dir.mkdir(mode=0o700, exist_ok=True)
    os.chown(home_dir, account.pw_uid, account.pw_gid)
    home_dir.chmod(0o700)
    clone = Path(str(settings["course_repo"]))
    link = home_dir / COURSE_LINK
    if clone.is_dir() and not link.is_symlink() and not link.exists():
        link.symlink_to(clone)
        os.lchown(link, account.pw_uid, account.pw_gid)
    if password is not None:
        _run(["chpasswd"], input=f"{name}:{password}\n")
    return home_dir


def remove_account(name: str, remove_home: bool = False) -> None:
    """Delete a Unix account (its running processes must have stopped)."""
    _check_name(name)
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    _run(["userdel", *(["--remove"] if remove_home else []), name])


def prepare_exchange(settings: dict[str, object], owner: str) -> Path:
    """Create the exchange root (1777) and the cohort's course folder owned by ``owner``.

    nbgrader needs a root everybody can write to (it documents ``chmod ugo+rw``); the
    sticky bit, as on /tmp, stops anyone from renaming or deleting a folder they do not
    own. The course folder is created here, owned by the releasing instructor, so that no
    trainee can claim the course's name before the first release.
    """
    root = Path(str(settings["exchange_root"]))
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o1777)
    account = pwd.getpwnam(_check_name(owner))
    course = root / str(settings["course_id"])
    course.mkdir(exist_ok=True)
    if settings["groupshared"]:
        import grp

        gid = grp.getgrnam(str(settings["instructor_group"])).gr_gid
        os.chown(course, account.pw_uid, gid)
        course.chmod(0o2775)
    else:
        os.chown(course, account.pw_uid, account.pw_gid)
        course.chmod(0o755)
    return course


def prepare_shared_course(
    path: Path,
    settings: dict[str, object],
    graders: list[str],
    adopt: Path | None = None,
    link_name: str = "course",
) -> Path:
    """A course folder several graders share: group-owned, setgid, linked from their homes.

    ``adopt`` moves an instructor's existing course folder there first (for a cohort that
    outgrows one grader). Everything inside becomes owned by the instructors' group and
    group-writable, folders setgid so new files keep the group; the folder itself is 2770,
    closed to everybody else. formgrader only works on a course folder inside the
    server's root (the home), so each grader gets ``~/course`` as a link to it. Use with
    ``groupshared = true`` (nbgrader then keeps its files group-writable) and a
    PostgreSQL gradebook in the hub settings.
    """
    import grp

    gid = grp.getgrnam(str(settings["instructor_group"])).gr_gid
    if adopt is not None and adopt.is_dir() and not adopt.is_symlink():
        if path.exists():
            raise SetupError(f"{path} exists already; cannot move {adopt} there.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(adopt), str(path))
    path.mkdir(parents=True, exist_ok=True)
    for folder, _subfolders, files in os.walk(path):
        for name in files:
            file = Path(folder, name)
            os.chown(file, -1, gid)
            file.chmod(file.stat().st_mode | 0o060)
        current = Path(folder)
        os.chown(current, -1, gid)
        current.chmod(current.stat().st_mode | 0o2070)
    os.chown(path, 0, gid)
    path.chmod(0o2770)
    for name in graders:
        account = pwd.getpwnam(_check_name(name))
        link = Path(account.pw_dir) / link_name
        if not link.is_symlink():
            if link.exists():
                raise SetupError(f"{link} exists and is not a link; move it aside first.")
            link.symlink_to(path)
            os.lchown(link, account.pw_uid, account.pw_gid)
    return path


def _quote_ident(name: str) -> str:
    return '"' + _check_name(name) + '"'


def gradebook_sql(database: str, graders: list[str]) -> str:
    """The SQL that creates the shared gradebook database and one login role per grader.

    Graders log in as themselves over the local socket (peer authentication: PostgreSQL
    asks the kernel who is calling, so there is no password to store or leak) and then
    act as the group role that owns every table (``ALTER ROLE ... SET role``), so a second
    grader can write the tables the first one created. Trainees have no role at all.
    """
    lines = [
        "\\set ON_ERROR_STOP on",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{GRADERS_ROLE}') THEN CREATE ROLE {GRADERS_ROLE} NOLOGIN; END IF; END $$;",
        f"SELECT 'CREATE DATABASE {_quote_ident(database)} OWNER {GRADERS_ROLE}' "
        f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{database}')\\gexec",
    ]
    for name in graders:
        ident = _quote_ident(name)
        lines += [
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{name}') THEN CREATE ROLE {ident} LOGIN; END IF; END $$;",
            f"GRANT {GRADERS_ROLE} TO {ident};",
            f"ALTER ROLE {ident} SET role = '{GRADERS_ROLE}';",
        ]
    return "\n".join(lines) + "\n"


def prepare_gradebook_database(
    graders: list[str],
    database: str = "intimacy_gradebook",
    host: str = "/var/run/postgresql",
    port: int = 5432,
    psql: str = "psql",
) -> str:
    """Create the gradebook database and grader roles; return the hub's ``gradebook_url``.

    Runs ``psql`` as the ``postgres`` account over the local socket.
    """
    _check_name(database)
    _run(
        [psql, "-X", "-q", "-h", host, "-p", str(port), "-d", "postgres"],
        input=gradebook_sql(database, graders),
        user="postgres",
        group="postgres",
        extra_groups=[],
        cwd="/",
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
    )
    return gradebook_url(database, host, port)


def gradebook_url(database: str, host: str = "/var/run/postgresql", port: int = 5432) -> str:
    """nbgrader's ``db_url`` for the shared gradebook: local socket, no user, no password."""
    url = f"postgresql+psycopg2:///{database}?host={host}"
    return url if port == 5432 else f"{url}&port={port}"


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", type=Path, help="hub settings file (default: the hub's)")
    sub = parser.add_subparsers(dest="command", required=True)

    exchange = sub.add_parser("exchange", help="create the exchange and the course folder in it")
    exchange.add_argument("--owner", required=True, help="the instructor who releases quizzes")

    add = sub.add_parser("add-user", help="create an account for an instructor or a trainee")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)

    db = sub.add_parser("gradebook-db", help="PostgreSQL gradebook for several graders")
    db.add_argument("graders", nargs="+")
    db.add_argument("--database", default="intimacy_gradebook")
    db.add_argument("--host", default="/var/run/postgresql", help="socket folder")
    db.add_argument("--port", type=int, default=5432)
    db.add_argument("--psql", default="psql")

    shared = sub.add_parser("shared-course", help="a course folder several graders share")
    shared.add_argument("path", type=Path)
    shared.add_argument("graders", nargs="+")
    shared.add_argument("--adopt", type=Path, help="move this existing course folder there first")

    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("Run this as root (sudo): it creates accounts and folders.", file=sys.stderr)
        return 2
    try:
        settings = load_settings(args.settings)
        if args.command == "exchange":
            print(f"Exchange ready: {prepare_exchange(settings, args.owner)}")
        elif args.command == "add-user":
            home = add_account(args.name, args.role, settings)
            print(
                f"{args.name}: {args.role}, home {home} (0700). Set a password: passwd {args.name}"
            )
        elif args.command == "gradebook-db":
            if not shutil.which(args.psql):
                raise SetupError(f"{args.psql} not found: apt-get install postgresql")
            url = prepare_gradebook_database(
                args.graders, args.database, args.host, args.port, args.psql
            )
            print(f'Gradebook ready. In the hub settings: gradebook_url = "{url}"')
        elif args.command == "shared-course":
            path = prepare_shared_course(args.path, settings, args.graders, args.adopt)
            print(f"Shared course folder ready: {path}. In the hub settings: groupshared = true")
    except (SetupError, OSError, ValueError, KeyError) as problem:
        print(f"cohort_setup: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())

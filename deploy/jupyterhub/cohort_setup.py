#!/usr/bin/env python3
"""Set up a host for a cohort: the key locked away, accounts, the exchange, releases.

Run as root, with any Python 3.11+ (standard library only), after copying
``hub.example.toml`` to ``/etc/intimacy-course/hub.toml``::

    sudo python3 cohort_setup.py protect-course                   # after cloning, after each pull
    sudo python3 cohort_setup.py exchange --owner alice          # once per cohort
    sudo python3 cohort_setup.py add-user alice --role instructor
    sudo python3 cohort_setup.py add-user sam --role trainee      # then: sudo passwd sam
    sudo python3 cohort_setup.py release-cohort --instructor alice  # the cohort's quizzes
    sudo python3 cohort_setup.py gradebook-db alice bob           # several graders only
    sudo python3 cohort_setup.py shared-course /srv/nbgrader/courses/healthy-intimacy alice bob \\
        --adopt /home/alice/course                                 # several graders only

Each step checks before it changes anything, so running it twice is harmless. The tests
in ``tests/hub`` call these same functions to build their throw-away cohort, so what the
guide tells an administrator to run is what was tested.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_settings import (
    COURSE_LINK,
    course_root_of,
    group_exists,
    instructor_workspace,
    load_settings,
    role_environment,
    unix_groups,
)

ROLES = ("instructor", "trainee")
#: Entries of the clone that every person's server needs: the package, its environment, the
#: Jupyter settings in deploy/, and files that say what the project is. protect-course closes
#: everything else (grading/ with the answer key, .git/ with its history, tests/ ...) to
#: everybody but the instructors' group.
OPEN_ENTRIES = (
    "src",
    "venv",
    "deploy",
    "hub-node",
    "pyproject.toml",
    "constraints.txt",
    "README.md",
    "LICENSE",
    "LICENSE-CONTENT",
)
#: What the trainees' copy holds: the teaching notebooks, the workbook and the sources. Its
#: grading/ folder holds one note and nothing else: quizzes reach trainees through nbgrader's
#: exchange, and the answer key stays with the instructors.
TRAINEE_ENTRIES = (
    "course",
    "workbook",
    "source_texts",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "LICENSE-CONTENT",
)
TRAINEE_GRADING_NOTE = """# Quizzes

Your quizzes reach you through JupyterLab's Assignments tab (Nbgrader > Assignment List):
fetch a quiz, answer it by clicking, then submit it. Your instructor marks it and returns
feedback the same way.

This copy of the course holds no quiz answers: the question bank and the marking material
stay with the instructors.
"""
#: Links in an instructor's workspace (~/intimacy-course) to the clone; its grading/ is theirs.
WORKSPACE_ENTRIES = ("course", "workbook", "source_texts", "pyproject.toml", "README.md")
#: Made by nbgrader and the course's commands: never copied into a new course folder.
COURSE_RUNTIME = (
    "gradebook.db",
    "*.db",
    "release",
    "submitted",
    "autograded",
    "feedback",
    "reports",
    "exchange",
    "outbound",
    "__pycache__",
    ".ipynb_checkpoints",
)
#: Never copied anywhere by the set-up.
_NEVER_COPIED = ("__pycache__", ".ipynb_checkpoints", "*.pyc")
#: Where the course's commands keep an instructor's private cohort seed (in their home).
SEED_PATH = Path(".config") / "intimacy-course" / "cohort-seed"
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

    ``~/intimacy-course`` shows the course in the file browser. For a trainee it links to
    the trainees' copy (made by :func:`protect_course`; it holds no answer key). For an
    instructor it is a folder of links to the clone's notebooks, whose ``grading`` is the
    instructor's own course folder (``~/course``, copied from the clone's ``grading/`` when
    missing), so the course's commands work on that folder. A password is set only when
    given (tests); otherwise run ``passwd NAME``.
    """
    _check_name(name)
    group = role_group(settings, role)
    ensure_group(group)
    if role == "trainee" and not Path(str(settings["trainee_copy"])).is_dir():
        raise SetupError(
            f"The trainees' copy of the course ({settings['trainee_copy']}) does not exist yet: "
            "run `cohort_setup.py protect-course` first."
        )
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
    if role == "trainee":
        _point_link(home_dir / COURSE_LINK, Path(str(settings["trainee_copy"])), account)
    else:
        clone = Path(str(settings["course_repo"]))
        course = course_root_of(settings, home_dir)
        if course.is_relative_to(home_dir) and not (course.exists() or course.is_symlink()):
            copy_course_folder(clone / "grading", course, account)
        make_workspace(home_dir, clone, course, account)
    if password is not None:
        _run(["chpasswd"], input=f"{name}:{password}\n")
    return home_dir


def _point_link(link: Path, target: Path, account: pwd.struct_passwd) -> None:
    """Make ``link`` a symbolic link to ``target`` (replacing a link elsewhere, never a file)."""
    if link.is_symlink():
        if Path(os.readlink(link)) == target:
            return
        link.unlink()
    elif link.exists():
        return  # a real file or folder of the person's own: left alone
    link.symlink_to(target)
    os.lchown(link, account.pw_uid, account.pw_gid)


def copy_course_folder(grading: Path, course: Path, account: pwd.struct_passwd) -> Path:
    """A new course folder for an instructor: the clone's ``grading/`` without runtime files.

    It holds the bank, the source quizzes, the rubrics and the facilitator guide (the
    answer key): it lives in the instructor's home (0700) and belongs to them.
    """
    if not grading.is_dir():
        raise SetupError(f"{grading} is missing: is course_repo a clone of the course?")
    shutil.copytree(grading, course, symlinks=True, ignore=shutil.ignore_patterns(*COURSE_RUNTIME))
    for folder, _subfolders, files in os.walk(course):
        for path in (Path(folder), *(Path(folder, name) for name in files)):
            os.lchown(path, account.pw_uid, account.pw_gid)
            if not path.is_symlink():
                path.chmod(
                    stat.S_IMODE(path.stat().st_mode) | 0o600 | (0o100 if path.is_dir() else 0)
                )
    course.chmod(0o700)
    return course


def make_workspace(home: Path, clone: Path, course: Path, account: pwd.struct_passwd) -> Path:
    """An instructor's ``~/intimacy-course``: links to the clone, and ``grading`` to their course.

    The hub names this folder in the instructor's INTIMACY_COURSE_REPO, so notebooks find the
    course's notebooks and workbook, and ``intimacy-course release | grade | feedback |
    report`` work on the instructor's own course folder. An older link to the clone is
    replaced.
    """
    workspace = instructor_workspace(home)
    if workspace.is_symlink():
        workspace.unlink()
    if not workspace.exists():
        workspace.mkdir(mode=0o755)
        os.chown(workspace, account.pw_uid, account.pw_gid)
    for name in WORKSPACE_ENTRIES:
        if (clone / name).exists():
            _point_link(workspace / name, clone / name, account)
    _point_link(workspace / "grading", course, account)
    return workspace


def remove_account(name: str, remove_home: bool = False) -> None:
    """Delete a Unix account (its running processes must have stopped)."""
    _check_name(name)
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    _run(["userdel", *(["--remove"] if remove_home else []), name])


def _open_entries(settings: dict[str, object]) -> set[str]:
    """Names of the clone's entries that stay readable: OPEN_ENTRIES and the users' venv."""
    clone = Path(str(settings["course_repo"])).resolve()
    names = set(OPEN_ENTRIES)
    user_env = Path(str(settings["user_env"])).resolve()
    if user_env.is_relative_to(clone) and user_env != clone:
        names.add(user_env.relative_to(clone).parts[0])
    return names


def _close_to_group(top: Path, gid: int) -> None:
    """Give ``top`` and everything in it to group ``gid``: group may read, others nothing."""
    paths = [top]
    if top.is_dir() and not top.is_symlink():
        for folder, subfolders, files in os.walk(top):
            paths += [Path(folder, name) for name in (*subfolders, *files)]
    for path in paths:
        info = os.lstat(path)
        os.lchown(path, -1, gid)
        if stat.S_ISLNK(info.st_mode):
            continue  # a link has no permissions of its own; its target is handled itself
        mode = stat.S_IMODE(info.st_mode) & ~0o027 | 0o040
        if stat.S_ISDIR(info.st_mode) or mode & 0o100:
            mode |= 0o010
        os.chmod(path, mode)


def lock_clone(settings: dict[str, object]) -> list[Path]:
    """Close the clone to everybody but instructors, except what every server needs.

    The clone holds the answer key: ``grading/`` (the bank, the source quizzes, rubrics, the
    facilitator guide with calibration sets, any gradebook) and ``.git/`` (the same in its
    history). Every entry not in OPEN_ENTRIES (nor the users' venv) becomes group-owned by
    the instructors' group, readable by it, with no permission for anyone else. The clone's
    top folder stays passable, so every server can run the package in ``src/``.
    """
    clone = Path(str(settings["course_repo"]))
    if not (clone / "grading").is_dir():
        raise SetupError(f"{clone} is not a clone of the course (it has no grading/ folder).")
    group = str(settings["instructor_group"])
    ensure_group(group)
    gid = grp.getgrnam(group).gr_gid
    clone.chmod(stat.S_IMODE(clone.stat().st_mode) & ~0o022 | 0o755)
    keep = _open_entries(settings)
    locked = []
    for entry in sorted(clone.iterdir()):
        if entry.name not in keep:
            _close_to_group(entry, gid)
            locked.append(entry)
    return locked


def _copy_files(source: Path, target: Path) -> int:
    """Copy regular files and folders only (never a symbolic link): 0644 files, 0755 folders."""
    count = 0
    if source.is_symlink():
        return 0
    if source.is_file():
        shutil.copyfile(source, target)
        target.chmod(0o644)
        return 1
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    ignored = shutil.ignore_patterns(*_NEVER_COPIED)(str(source), os.listdir(source))
    for child in sorted(source.iterdir()):
        if child.name not in ignored:
            count += _copy_files(child, target / child.name)
    return count


def make_trainee_copy(settings: dict[str, object]) -> Path:
    """The trainees' copy of the course: TRAINEE_ENTRIES from the clone, and no answer key.

    Made beside the old copy and swapped in, so running servers never see half a copy.
    Symbolic links are not copied (one could point into ``grading/``). Everyone may read the
    copy; nobody but root may change it.
    """
    clone = Path(str(settings["course_repo"])).resolve()
    target = Path(str(settings["trainee_copy"]))
    if target.resolve().is_relative_to(clone):
        raise SetupError(f"trainee_copy ({target}) must lie outside the clone ({clone}).")
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir(mode=0o755)
    staging.chmod(0o755)
    for name in TRAINEE_ENTRIES:
        if (clone / name).exists():
            _copy_files(clone / name, staging / name)
    (staging / "grading").mkdir(mode=0o755)
    (staging / "grading").chmod(0o755)
    note = staging / "grading" / "README.md"
    note.write_text(TRAINEE_GRADING_NOTE, encoding="utf-8")
    note.chmod(0o644)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def protect_course(settings: dict[str, object]) -> tuple[list[Path], Path]:
    """Lock the clone's key away from trainees and (re)make the trainees' copy.

    Run after cloning and after every ``git pull`` (new files arrive readable by everyone).
    Returns the clone's entries closed to non-instructors and the trainees' copy.
    """
    locked = lock_clone(settings)
    return locked, make_trainee_copy(settings)


def key_exposures(settings: dict[str, object]) -> list[str]:
    """What protect-course would still have to fix, each as a sentence (empty: nothing)."""
    clone = Path(str(settings["course_repo"]))
    problems = []
    try:
        gid = grp.getgrnam(str(settings["instructor_group"])).gr_gid
    except KeyError:
        return [f"the group {settings['instructor_group']} does not exist"]
    keep = _open_entries(settings)
    for entry in sorted(clone.iterdir()) if clone.is_dir() else []:
        if entry.name in keep:
            continue
        paths = [entry]
        if entry.is_dir() and not entry.is_symlink():
            for folder, subfolders, files in os.walk(entry):
                paths += [Path(folder, name) for name in (*subfolders, *files)]
        for path in paths:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                continue
            if info.st_mode & 0o007 or info.st_gid != gid:
                problems.append(f"{path} is readable by others or not in the instructors' group")
    copy = Path(str(settings["trainee_copy"]))
    if not copy.is_dir():
        problems.append(f"the trainees' copy {copy} does not exist")
    else:
        extra = sorted(
            path.name
            for path in copy.iterdir()
            if path.name not in TRAINEE_ENTRIES and path.name != "grading"
        )
        extra += [
            f"grading/{p.name}" for p in (copy / "grading").iterdir() if p.name != "README.md"
        ]
        problems += [f"the trainees' copy holds {name}" for name in extra]
    return problems


def _account_env(settings: dict[str, object], account: pwd.struct_passwd) -> dict[str, str]:
    env = role_environment(settings, account.pw_name)
    env.update(HOME=account.pw_dir, USER=account.pw_name, LOGNAME=account.pw_name)
    return env


def _run_as(
    account: pwd.struct_passwd, command: list[str], **kwargs
) -> subprocess.CompletedProcess:
    """Run a command as ``account`` (its own groups, umask 077), as its server would."""
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=os.getgrouplist(account.pw_name, account.pw_gid),
        umask=0o077,
        **kwargs,
    )


def sandbox_problem_for(name: str) -> str:
    """Why trainees' code could not be sandboxed when this account grades; '' when it can.

    The course's grading runs each submission's kernel in bubblewrap. As an ordinary account
    that needs unprivileged user namespaces, which some systems switch off (Ubuntu 24.04 and
    later through AppArmor: kernel.apparmor_restrict_unprivileged_userns; others through
    kernel.unprivileged_userns_clone or user.max_user_namespaces).
    """
    for tool, package in (("bwrap", "bubblewrap"), ("prlimit", "util-linux")):
        if shutil.which(tool) is None:
            return f"'{tool}' is not installed (apt-get install {package})"
    account = pwd.getpwnam(_check_name(name))
    result = _run_as(
        account,
        [
            shutil.which("bwrap") or "bwrap",
            "--unshare-all",
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "true",
        ],
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    if result.returncode != 0:
        return (
            f"bubblewrap does not start for {name} ({result.stderr.strip()[:200]}): "
            "unprivileged user namespaces are probably switched off on this machine"
        )
    return ""


def trainees(settings: dict[str, object]) -> list[str]:
    """Every account in the trainees' group (as a supplementary or a primary group)."""
    group = grp.getgrnam(str(settings["trainee_group"]))
    names = set(group.gr_mem)
    names.update(a.pw_name for a in pwd.getpwall() if a.pw_gid == group.gr_gid)
    return sorted(names)


def release_cohort(
    settings: dict[str, object],
    instructor: str,
    students: list[str] | None = None,
    quizzes: list[str] | None = None,
    to_exchange: bool = True,
) -> str:
    """Release the cohort's quizzes from an instructor's course folder; return what was said.

    Runs, as the instructor and with their server's environment,
    ``intimacy-course release --cohort`` (with ``--new-seed`` when they have no seed yet):
    their course's source quizzes are drawn afresh from the bank in their course folder,
    one variant per objective and shuffled options per trainee, with no self-check; then
    ``nbgrader release_assignment`` puts each quiz in the exchange. ``students`` defaults
    to every member of the trainees' group.
    """
    account = pwd.getpwnam(_check_name(instructor))
    if str(settings["instructor_group"]) not in unix_groups(instructor):
        raise SetupError(f"{instructor} is not in the instructors' group.")
    env = _account_env(settings, account)
    home = Path(account.pw_dir)
    tools = Path(str(settings["user_env"])) / "bin"
    command = [str(tools / "intimacy-course"), "release", "--cohort"]
    if not (home / SEED_PATH).exists():
        command.append("--new-seed")
    for student in trainees(settings) if students is None else students:
        command += ["--student", _check_name(student)]
    command += list(quizzes or [])
    said = _run_as(account, command, cwd=home, env=env)
    if said.returncode != 0:
        raise SetupError(f"release --cohort failed: {(said.stderr or said.stdout).strip()[-1500:]}")
    output = said.stdout
    if to_exchange:
        course = course_root_of(settings, home)
        names = quizzes or sorted(p.parent.name for p in (course / "source").glob("*/quiz.ipynb"))
        for quiz in names:
            sent = _run_as(
                account,
                [str(tools / "nbgrader"), "release_assignment", quiz, "--force"],
                cwd=course,
                env=env,
            )
            if sent.returncode != 0:
                raise SetupError(
                    f"nbgrader release_assignment {quiz} failed: {sent.stderr.strip()[-1500:]}"
                )
            output += f"{quiz}: released to the exchange\n"
    return output


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
    seed_from: str | None = None,
) -> Path:
    """A course folder several graders share: group-owned, setgid, linked from their homes.

    ``adopt`` moves an instructor's existing course folder there first (for a cohort that
    outgrows one grader). Everything inside becomes owned by the instructors' group and
    group-writable, folders setgid so new files keep the group; the folder itself is 2770,
    closed to everybody else. formgrader only works on a course folder inside the
    server's root (the home), so each grader gets ``~/course`` as a link to it. Use with
    ``groupshared = true`` (nbgrader then keeps its files group-writable) and a
    PostgreSQL gradebook in the hub settings.

    A grader's own ``~/course`` that holds no work yet (the copy ``add-user`` made) is moved
    aside to ``~/course.unused``. ``seed_from`` names the instructor whose private cohort
    seed the graders need (grading recomputes each trainee's questions from it): each grader
    without a seed gets a copy, 0600, their own.
    """
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
            if link.exists() and _untouched_course(link):
                link.rename(_free_name(link.with_name(f"{link_name}.unused")))
            if link.exists():
                raise SetupError(f"{link} exists and is not a link; move it aside first.")
            link.symlink_to(path)
            os.lchown(link, account.pw_uid, account.pw_gid)
    if seed_from is not None:
        share_seed(seed_from, graders)
    return path


def _untouched_course(folder: Path) -> bool:
    """A course folder nobody has released, collected or graded in yet."""
    return folder.is_dir() and not any(
        (folder / name).exists()
        for name in ("gradebook.db", "release", "submitted", "autograded", "feedback")
    )


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{path.name}.{number}")
    return candidate


def share_seed(owner: str, graders: list[str]) -> list[Path]:
    """Copy ``owner``'s private cohort seed to each grader who has none (0600, theirs)."""
    source = Path(pwd.getpwnam(_check_name(owner)).pw_dir) / SEED_PATH
    if not source.is_file():
        raise SetupError(f"{owner} has no cohort seed ({source}) to share yet.")
    copied = []
    for name in graders:
        account = pwd.getpwnam(_check_name(name))
        target = Path(account.pw_dir) / SEED_PATH
        if target.exists() or account.pw_name == owner:
            continue
        for folder in reversed([*target.relative_to(account.pw_dir).parents][:-1]):
            made = Path(account.pw_dir) / folder
            if not made.exists():
                made.mkdir(mode=0o700)
                os.chown(made, account.pw_uid, account.pw_gid)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.chown(target, account.pw_uid, account.pw_gid)
        copied.append(target)
    return copied


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

    protect = sub.add_parser(
        "protect-course",
        help="close the clone's answer key to all but instructors; make the trainees' copy",
    )
    protect.add_argument(
        "--check", action="store_true", help="only say what is still exposed (exit 1 if anything)"
    )

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
    shared.add_argument(
        "--seed-from", metavar="NAME", help="copy this instructor's cohort seed to the graders"
    )

    release = sub.add_parser(
        "release-cohort",
        help="draw the cohort's quizzes in an instructor's course folder and release them",
    )
    release.add_argument("quizzes", nargs="*", help="only these quizzes (default: all)")
    release.add_argument("--instructor", required=True, help="whose course folder and seed")
    release.add_argument(
        "--student",
        action="append",
        metavar="NAME",
        help="draw for these trainees (default: every member of the trainees' group)",
    )
    release.add_argument(
        "--no-exchange", action="store_true", help="build the quizzes but do not release them"
    )

    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("Run this as root (sudo): it creates accounts and folders.", file=sys.stderr)
        return 2
    try:
        settings = load_settings(args.settings)
        if args.command == "protect-course":
            if not args.check:
                locked, copy = protect_course(settings)
                names = ", ".join(path.name for path in locked)
                print(f"Readable by {settings['instructor_group']} only: {names}.")
                print(f"Trainees' copy (no answer key): {copy}")
            problems = key_exposures(settings)
            for problem in problems:
                print(f"exposed: {problem}")
            if args.check and not problems:
                print("Nothing of the answer key is readable by trainees.")
            return 1 if problems else 0
        if args.command == "release-cohort":
            print(
                release_cohort(
                    settings, args.instructor, args.student, args.quizzes, not args.no_exchange
                ),
                end="",
            )
            return 0
        if args.command == "exchange":
            print(f"Exchange ready: {prepare_exchange(settings, args.owner)}")
        elif args.command == "add-user":
            home = add_account(args.name, args.role, settings)
            print(
                f"{args.name}: {args.role}, home {home} (0700). Set a password: passwd {args.name}"
            )
            if args.role == "instructor":
                print(f"Course folder: {course_root_of(settings, home)}")
                problem = sandbox_problem_for(args.name)
                if problem:
                    print(
                        f"WARNING: {problem}. Grading refuses to run trainees' code without "
                        "its sandbox; see README.md, 'The grading sandbox'.",
                        file=sys.stderr,
                    )
        elif args.command == "gradebook-db":
            if not shutil.which(args.psql):
                raise SetupError(f"{args.psql} not found: apt-get install postgresql")
            url = prepare_gradebook_database(
                args.graders, args.database, args.host, args.port, args.psql
            )
            print(f'Gradebook ready. In the hub settings: gradebook_url = "{url}"')
        elif args.command == "shared-course":
            path = prepare_shared_course(
                args.path, settings, args.graders, args.adopt, seed_from=args.seed_from
            )
            print(f"Shared course folder ready: {path}. In the hub settings: groupshared = true")
    except (SetupError, OSError, ValueError, KeyError) as problem:
        print(f"cohort_setup: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())

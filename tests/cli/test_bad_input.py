"""Does every bad input get a message that says what to do, and never a traceback?

One table of bad inputs, each run through the real ``intimacy-course`` command in a
subprocess: paths that are folders, files, missing or unreadable; out-of-range numbers;
options that would open the server up; environment variables pointing at the wrong kind
of thing. Every row must end with a non-zero exit status, no "Traceback" anywhere in the
output, and a message that names the problem (``expect``) and says what to do (a verb of
advice).

Permission cases need an account that file modes bind. Root is not bound by them, so as
root those rows run inside ``unshare -r`` (a user namespace in which root has no power
over files of unmapped owners) on files given to an unmapped owner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import REPO, skip_or_fail

COMMAND = str(Path(sys.executable).with_name("intimacy-course"))
#: A message must advise: at least one of these verbs (or "--help", or a flag to add).
ADVICE = re.compile(
    r"\b(use|set|unset|choose|check|run|give|create|remove|point|make|try|fix|add|free|"
    r"leave|update|pass|rename|undo|ask|move|must be)\b",
    re.IGNORECASE,
)
#: An owner that exists in no user namespace map: inside ``unshare -r`` root cannot pass it.
UNMAPPED = 12345
QUIZ_COPY = REPO / "tests" / "fixtures" / "release_0_1_0" / "01_attachment_injury" / "quiz.ipynb"


@dataclass
class Case:
    """One bad input: the command line, its environment, and what the message must say."""

    id: str
    argv: list[str]
    expect: str  # a regular expression the output must match (case-insensitive)
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    unprivileged: bool = False  # run as an account file modes bind (unshare -r as root)
    marks: tuple = ()


def _file(tmp: Path) -> None:
    (tmp / "a-file").write_text("not a folder\n")


def _journal(tmp: Path) -> None:
    from intimacy_course.journal import Journal

    with Journal(tmp / "data") as journal:
        journal.save("01_attachment_injury", {"text": "saved before"})


def _damaged(tmp: Path) -> None:
    (tmp / "data").mkdir()
    (tmp / "data" / "journal.sqlite3").write_bytes(os.urandom(8192))


def _journal_link(suffix: str) -> Callable[[Path], None]:
    def prepare(tmp: Path) -> None:
        _journal(tmp)
        (tmp / "victim").write_text("mine\n")
        link = tmp / "data" / f"journal.sqlite3{suffix}"
        link.unlink(missing_ok=True)
        link.symlink_to(tmp / "victim")

    return prepare


def _journal_folder_as_file_name(tmp: Path) -> None:
    (tmp / "data" / "journal.sqlite3").mkdir(parents=True)


def _export_target_exists(tmp: Path) -> None:
    _journal(tmp)
    (tmp / "out.json").write_text("{}")


def _export_target_link(tmp: Path) -> None:
    _journal(tmp)
    (tmp / "elsewhere.json").write_text("{}")
    (tmp / "out.json").symlink_to(tmp / "elsewhere.json")


def _locked_folder(tmp: Path) -> None:
    _journal(tmp)
    locked = tmp / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:
        os.chown(locked, UNMAPPED, UNMAPPED)


def _unreadable_journal(tmp: Path) -> None:
    _journal(tmp)
    path = tmp / "data" / "journal.sqlite3"
    path.chmod(0)
    if os.geteuid() == 0:
        os.chown(path, UNMAPPED, UNMAPPED)


def _busy_port(tmp: Path) -> None:
    pass  # the port is opened by the test itself (see test_bad_input)


def _not_a_clone(tmp: Path) -> None:
    (tmp / "not-a-clone").mkdir()


def _notebook(cells: object = None, metadata: object = None) -> Callable[[Path], None]:
    def prepare(tmp: Path) -> None:
        data = json.loads(QUIZ_COPY.read_text(encoding="utf-8"))
        if cells is not None:
            data["cells"] = cells
        if metadata is not None:
            data["metadata"] = metadata
        (tmp / "quiz.ipynb").write_text(json.dumps(data), encoding="utf-8")

    return prepare


def _unreadable_notebook(tmp: Path) -> None:
    _notebook()(tmp)
    path = tmp / "quiz.ipynb"
    path.chmod(0)
    if os.geteuid() == 0:
        os.chown(path, UNMAPPED, UNMAPPED)


def _garbage_notebook(tmp: Path) -> None:
    (tmp / "quiz.ipynb").write_bytes(os.urandom(4096))


def _quiz_and_file(tmp: Path) -> None:
    _notebook()(tmp)
    _file(tmp)


DATA_FILE = {"INTIMACY_COURSE_DATA": "{tmp}/a-file"}
DATA_IN_FILE = {"INTIMACY_COURSE_DATA": "{tmp}/a-file/journal"}
NOT_A_CLONE = {"INTIMACY_COURSE_REPO": "{tmp}/not-a-clone"}
ADDRESS = "change where the server listens"
TOKEN = "change or weaken the secret token"

CASES: list[Case] = [
    # --- journal: INTIMACY_COURSE_DATA pointing at the wrong kind of thing -----------------
    Case("data-is-file/where", ["journal", "where"], "is a file, not a folder", DATA_FILE, _file),
    Case(
        "data-is-file/export",
        ["journal", "export", "{tmp}/x.json"],
        "is a file, not a folder",
        DATA_FILE,
        _file,
    ),
    Case(
        "data-is-file/delete",
        ["journal", "delete", "--yes"],
        "is a file, not a folder",
        DATA_FILE,
        _file,
    ),
    Case(
        "data-is-file/recover",
        ["journal", "recover", "--yes"],
        "is a file, not a folder",
        DATA_FILE,
        _file,
    ),
    Case(
        "data-inside-file/where", ["journal", "where"], "can never be created", DATA_IN_FILE, _file
    ),
    Case(
        "data-inside-file/export",
        ["journal", "export", "{tmp}/x.json"],
        "can never be created",
        DATA_IN_FILE,
        _file,
    ),
    # --- journal: the journal itself is not what it should be ------------------------------
    Case(
        "journal-damaged/where", ["journal", "where"], "damaged.*journal recover", prepare=_damaged
    ),
    Case(
        "journal-damaged/export",
        ["journal", "export", "{tmp}/x.json"],
        "journal recover",
        prepare=_damaged,
    ),
    Case("journal-is-link/where", ["journal", "where"], "symbolic link", prepare=_journal_link("")),
    Case(
        "journal-is-link/export",
        ["journal", "export", "{tmp}/x.json"],
        "symbolic link",
        prepare=_journal_link(""),
    ),
    Case(
        "journal-is-link/recover",
        ["journal", "recover", "--yes"],
        "symbolic link",
        prepare=_journal_link(""),
    ),
    Case(
        "wal-is-link/export",
        ["journal", "export", "{tmp}/x.json"],
        "symbolic link",
        prepare=_journal_link("-wal"),
    ),
    Case("shm-is-link/where", ["journal", "where"], "symbolic link", prepare=_journal_link("-shm")),
    Case(
        "journal-is-folder/where",
        ["journal", "where"],
        "a folder has the journal's file name",
        prepare=_journal_folder_as_file_name,
    ),
    Case(
        "journal-unreadable/export",
        ["journal", "export", "{tmp}/x.json"],
        "permission to read",
        prepare=_unreadable_journal,
        unprivileged=True,
    ),
    Case("no-journal/export", ["journal", "export", "{tmp}/x.json"], "nothing to export"),
    # --- journal export: PATH ----------------------------------------------------------------
    Case("export-to-folder", ["journal", "export", "{tmp}"], "that is a folder", prepare=_journal),
    Case(
        "export-to-missing-folder",
        ["journal", "export", "{tmp}/missing/x.json"],
        "does not exist",
        prepare=_journal,
    ),
    Case(
        "export-inside-file",
        ["journal", "export", "{tmp}/a-file/x.json"],
        "is a file, not a folder",
        prepare=lambda tmp: (_journal(tmp), _file(tmp)),
    ),
    Case(
        "export-unknown-format",
        ["journal", "export", "{tmp}/x.txt"],
        r"\.csv.*\.json.*\.md",
        prepare=_journal,
    ),
    Case(
        "export-exists",
        ["journal", "export", "{tmp}/out.json"],
        "already exists.*--force",
        prepare=_export_target_exists,
    ),
    Case(
        "export-over-device",
        ["journal", "export", "/dev/null", "--force"],
        "format",
        prepare=_journal,
    ),
    Case(
        "export-over-pipe",
        ["journal", "export", "{tmp}/pipe.json", "--force"],
        "not an ordinary file",
        prepare=lambda tmp: (_journal(tmp), os.mkfifo(tmp / "pipe.json")),
    ),
    Case(
        "export-over-link",
        ["journal", "export", "{tmp}/out.json", "--force"],
        "symbolic link",
        prepare=_export_target_link,
    ),
    Case(
        "export-no-permission",
        ["journal", "export", "{tmp}/locked/x.json"],
        "permission",
        prepare=_locked_folder,
        unprivileged=True,
    ),
    Case("export-no-path", ["journal", "export"], "required.*PATH"),
    Case("journal-unknown-action", ["journal", "rewrite"], "invalid choice"),
    Case("delete-without-terminal", ["journal", "delete"], "--yes", prepare=_journal),
    # --- lab: numbers, the token, the address --------------------------------------------------
    Case("port-too-big", ["lab", "--no-browser", "--port", "70000"], "out of range"),
    Case("port-65536", ["lab", "--no-browser", "--port", "65536"], "out of range"),
    Case("port-negative", ["lab", "--no-browser", "--port", "-5"], "out of range"),
    Case("port-not-a-number", ["lab", "--no-browser", "--port", "eighty"], "not a port number"),
    Case("port-busy", ["lab", "--no-browser", "--port", "{busy_port}"], "already in use"),
    Case("port-privileged", ["lab", "--no-browser", "--port", "80"], "reserved", unprivileged=True),
    Case(
        "token-on-command-line",
        ["lab", "--no-browser", "--token", "x" * 32],
        "INTIMACY_COURSE_TOKEN",
    ),
    Case("token-too-short", ["lab", "--no-browser"], "too short", {"INTIMACY_COURSE_TOKEN": "abc"}),
    Case("extra-ip", ["lab", "--no-browser", "--", "--ip=0.0.0.0"], ADDRESS),
    Case("extra-serverapp-ip", ["lab", "--no-browser", "--", "--ServerApp.ip", "0.0.0.0"], ADDRESS),
    Case("extra-port", ["lab", "--no-browser", "--", "--ServerApp.port=1"], ADDRESS),
    Case(
        "extra-remote", ["lab", "--no-browser", "--", "--ServerApp.allow_remote_access=1"], ADDRESS
    ),
    Case("extra-token", ["lab", "--no-browser", "--", "--IdentityProvider.token="], TOKEN),
    Case("extra-password", ["lab", "--no-browser", "--", "--ServerApp.password=x"], TOKEN),
    Case("extra-config", ["lab", "--no-browser", "--", "--config=/tmp/x.py"], "configuration file"),
    Case("lab-unknown-option", ["lab", "--no-such-option"], "unrecognized arguments"),
    # --- INTIMACY_COURSE_REPO pointing at the wrong kind of thing ------------------------------
    Case("repo-not-a-clone/lab", ["lab", "--no-browser"], "not a clone", NOT_A_CLONE, _not_a_clone),
    Case(
        "repo-is-file/lab",
        ["lab", "--no-browser"],
        "not a clone",
        {"INTIMACY_COURSE_REPO": "{tmp}/a-file"},
        _file,
    ),
    Case("repo-missing/setup", ["setup"], "not a clone", {"INTIMACY_COURSE_REPO": "{tmp}/missing"}),
    Case(
        "repo-not-a-clone/check",
        ["check", "{tmp}/quiz.ipynb"],
        "not a clone",
        NOT_A_CLONE,
        lambda tmp: (_not_a_clone(tmp), _notebook()(tmp)),
    ),
    # --- grading commands (the lead's): wrong-shaped and unreadable quizzes, paths, numbers ------
    Case(
        "check-cells-wrong-type",
        ["check", "{tmp}/quiz.ipynb"],
        "quiz|notebook",
        prepare=_notebook(cells={"not": "a list"}),
        marks=(pytest.mark.slow,),
    ),
    Case(
        "check-metadata-wrong-type",
        ["check", "{tmp}/quiz.ipynb"],
        "quiz|notebook",
        prepare=_notebook(metadata=["not", "a", "mapping"]),
    ),
    Case(
        "check-unreadable",
        ["check", "{tmp}/quiz.ipynb"],
        "permission|read",
        prepare=_unreadable_notebook,
        unprivileged=True,
    ),
    Case(
        "check-not-json", ["check", "{tmp}/quiz.ipynb"], "cannot be read", prepare=_garbage_notebook
    ),
    Case("check-folder", ["check", "{tmp}"], "is a folder"),
    Case("check-missing", ["check", "{tmp}/missing.ipynb"], "no file"),
    Case(
        "check-feedback-is-file",
        ["check", "{tmp}/quiz.ipynb", "--feedback", "{tmp}/a-file"],
        "a-file",
        prepare=_quiz_and_file,
        marks=(pytest.mark.slow,),
    ),
    Case(
        "check-feedback-missing-folder",
        ["check", "{tmp}/quiz.ipynb", "--feedback", "{tmp}/missing/deeper/"],
        "missing",
        prepare=_notebook(),
        marks=(pytest.mark.slow,),
    ),
    Case(
        "check-timeout-0",
        ["check", "{tmp}/quiz.ipynb", "--timeout", "0"],
        "timeout",
        prepare=_notebook(),
        marks=(pytest.mark.slow,),
    ),
    Case(
        "check-timeout-negative",
        ["check", "{tmp}/quiz.ipynb", "--timeout", "-1"],
        "timeout",
        prepare=_notebook(),
        marks=(pytest.mark.slow,),
    ),
    Case("report-out-is-file", ["report", "--out", "{tmp}/a-file"], "a-file", prepare=_file),
    Case("grade-jobs-0", ["grade", "--jobs", "0"], "--jobs"),
]


def unprivileged_prefix() -> list[str]:
    """How to run a command so that file modes bind it (empty when they already do)."""
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-r", "true"], check=False).returncode:
        skip_or_fail("as root, permission cases need `unshare -r` (util-linux), which fails here")
    return [str(unshare), "-r", "--"]


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.id, marks=case.marks) for case in CASES]
)
def test_bad_input_gets_a_message_and_a_non_zero_exit(case: Case, tmp_path: Path) -> None:
    tmp = tmp_path / "place"
    tmp.mkdir()
    env = {**os.environ, "INTIMACY_COURSE_DATA": str(tmp / "data"), "PYTHONWARNINGS": "ignore"}
    env.pop("INTIMACY_COURSE_TOKEN", None)
    env.pop("INTIMACY_COURSE_REPO", None)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        values = {"tmp": str(tmp), "busy_port": str(busy.getsockname()[1])}
        env.update({name: fill(value, values) for name, value in case.env.items()})
        if case.prepare:
            case.prepare(tmp)
        prefix = unprivileged_prefix() if case.unprivileged else []
        result = subprocess.run(
            [*prefix, COMMAND, *(fill(arg, values) for arg in case.argv)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
            stdin=subprocess.DEVNULL,
            timeout=300,
            check=False,
        )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode != 0, f"exit status 0 for a bad input; output:\n{output}"
    assert re.search(case.expect, output, re.IGNORECASE | re.DOTALL), output
    assert ADVICE.search(result.stderr) or ADVICE.search(output), f"no advice in:\n{output}"


def test_the_table_is_wide() -> None:
    """The closing note of issue 11 reports this count."""
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES), "ids are unique"

"""Where the journal lives on disk, who may read it, and the whole-file operations.

The journal holds a learner's most private writing, so its files are created private from
the first byte (a umask of 0o077 around every creation, then a chmod to be sure) rather
than tightened afterwards. This module also owns the two operations that act on whole
files, never on rows: moving a damaged journal aside (``recover_damaged``) and deleting
every trace of the journal (``delete_journal``).

Folder policy: a folder the course creates is 0700. A folder that already exists with
looser permissions is tightened to 0700 when it belongs to the user and holds nothing but
journal files (it is ours); otherwise, for example when INTIMACY_COURSE_DATA points at a
folder the user shares with other things, it is left alone and a
:class:`JournalPermissionWarning` says so. The journal files themselves are 0600 either way.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import platformdirs

from intimacy_course import settings
from intimacy_course.journal.errors import (
    JournalDamagedError,
    JournalError,
    JournalNotWritableError,
    JournalPermissionWarning,
)

JOURNAL_FILENAME = "journal.sqlite3"
DATA_ENV = settings.DATA_ENV
APP_NAME = "intimacy-course"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
#: SQLite's companion files; ``-journal`` only appears if someone turned WAL off.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
DAMAGED_MARKER = ".damaged-"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_HEADER_SIZE = 100
_DAMAGED_NAME = re.compile(
    re.escape(JOURNAL_FILENAME + DAMAGED_MARKER) + r"\d{8}T\d{6}(-\d+)?(-wal|-shm|-journal)?$"
)
_umask_lock = threading.Lock()


def default_journal_dir() -> Path:
    """``$INTIMACY_COURSE_DATA`` if set, else the platform's per-user data folder.

    The default is outside any clone of the course (for example
    ``~/.local/share/intimacy-course`` on Linux), so a journal never lands in git.
    """
    chosen = settings.data_override()
    if chosen is not None:
        return chosen
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def journal_path(folder: Path | None = None) -> Path:
    """The database file inside ``folder`` (default: :func:`default_journal_dir`)."""
    return Path(folder or default_journal_dir()) / JOURNAL_FILENAME


def side_files(path: Path) -> list[Path]:
    """SQLite's companion files of ``path`` (they may or may not exist)."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Create files and folders inside this block with no group or other permissions.

    The umask is process-wide, so a lock keeps two threads of one kernel from restoring
    each other's value in the wrong order.
    """
    with _umask_lock:
        previous = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(previous)


def ensure_private_folder(folder: Path) -> Path:
    """Create ``folder`` as 0700 if missing, and apply the folder policy if it exists."""
    folder = Path(folder)
    try:
        with private_umask():
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except FileExistsError as problem:
        raise JournalNotWritableError(folder, "a file, not a folder, has that name") from problem
    except OSError as problem:
        raise JournalNotWritableError(
            folder, f"the folder could not be created: {_describe(problem)}"
        ) from problem
    if not folder.is_dir():
        raise JournalNotWritableError(folder, "it is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise JournalNotWritableError(folder, "you do not have permission to write in this folder")
    _apply_folder_policy(folder)
    return folder


def _apply_folder_policy(folder: Path) -> None:
    info = folder.stat()
    if stat.S_IMODE(info.st_mode) & 0o077 == 0:
        return
    mine = info.st_uid == os.getuid()
    only_journal = all(_is_journal_file(p) for p in folder.iterdir())
    if mine and only_journal:
        try:
            folder.chmod(FOLDER_MODE)
            return
        except OSError:
            pass
    reason = "belongs to another account" if not mine else "also holds other files"
    warnings.warn(
        JournalPermissionWarning(
            f"The journal folder {folder} can be opened by other accounts on this computer "
            f"(mode {stat.S_IMODE(info.st_mode):o}). It {reason}, so the course left it as "
            "it is; your journal files themselves are readable only by you. To close the "
            f"folder too, run: chmod 700 '{folder}'"
        ),
        stacklevel=4,
    )


def folder_is_private(folder: Path) -> bool:
    """True when no other account may enter or list ``folder``."""
    return stat.S_IMODE(Path(folder).stat().st_mode) & 0o077 == 0


def _is_journal_file(path: Path) -> bool:
    name = path.name
    if name == JOURNAL_FILENAME or name in {JOURNAL_FILENAME + s for s in SIDE_SUFFIXES}:
        return True
    return bool(_DAMAGED_NAME.match(name))


def secure_files(path: Path) -> None:
    """chmod the database and whichever companion files exist to 0600."""
    for candidate in (path, *side_files(path)):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(candidate.stat().st_mode) != FILE_MODE:
                candidate.chmod(FILE_MODE)


def check_header(path: Path) -> bool:
    """Look at the file's first bytes before SQLite touches it.

    Returns ``False`` for a missing or empty file (a new journal will be made there) and
    ``True`` for something that starts like an SQLite database. Raises
    :class:`JournalDamagedError` for anything else, so a file that is not ours is never
    handed to SQLite, which might otherwise try to write to it.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(_SQLITE_HEADER_SIZE)
    except FileNotFoundError:
        return False
    except IsADirectoryError as problem:
        raise JournalNotWritableError(path, "a folder has the journal's file name") from problem
    except PermissionError as problem:
        raise JournalNotWritableError(path, "you do not have permission to read it") from problem
    if not header:
        return False
    if not header.startswith(_SQLITE_MAGIC):
        raise JournalDamagedError(path, "it does not start like an SQLite database")
    if len(header) < _SQLITE_HEADER_SIZE:
        raise JournalDamagedError(path, "it is cut short, shorter than a database header")
    page_size = int.from_bytes(header[16:18], "big") or 65536
    declared_pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    actual = path.stat().st_size
    if counter_valid and declared_pages and actual < declared_pages * page_size:
        raise JournalDamagedError(
            path, f"it is cut short: {actual} bytes of the {declared_pages * page_size} it declares"
        )
    return True


def _timestamp() -> str:
    """Local time, which is what the learner will recognise in a file listing."""
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def damaged_copies(folder: Path | None = None) -> list[Path]:
    """Moved-aside copies made by :func:`recover_damaged` (with their companion files)."""
    folder = Path(folder or default_journal_dir())
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _DAMAGED_NAME.match(p.name))


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its companion files) to a timestamped copy; never overwrite.

    The companion files keep SQLite's naming (``<copy>-wal``), so opening the copy with
    any SQLite tool also reads the changes its write-ahead log still holds.
    """
    stamp = _timestamp()
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        target = path.with_name(f"{path.name}{DAMAGED_MARKER}{stamp}{suffix}")
        targets = [target, *side_files(target)]
        if not any(t.exists() for t in targets):
            break
    else:  # pragma: no cover - a thousand recoveries in one second
        raise JournalError(f"Could not find a free name to move {path} aside; nothing was moved.")
    try:
        for source, destination in zip((path, *side_files(path)), targets):
            if source.exists():
                os.rename(source, destination)
                destination.chmod(FILE_MODE)
    except OSError as problem:
        raise JournalNotWritableError(path.parent, _describe(problem)) from problem
    return target


def delete_journal(folder: Path | None = None) -> list[Path]:
    """Remove the journal, its ``-wal``/``-shm`` and every moved-aside copy.

    Touches nothing else in the folder; removes the folder itself only if that leaves it
    empty. Returns what was removed. Callers confirm with the user first: this cannot be
    undone. Close any open :class:`~intimacy_course.journal.Journal` (and the notebooks'
    kernels) before calling it.
    """
    folder = Path(folder or default_journal_dir())
    path = folder / JOURNAL_FILENAME
    targets = [p for p in (path, *side_files(path)) if p.exists()] + damaged_copies(folder)
    removed: list[Path] = []
    try:
        for target in targets:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
                removed.append(target)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            removed.append(folder)
    except OSError as problem:
        raise JournalNotWritableError(
            folder, f"{_describe(problem)}; removed so far: {len(removed)} file(s)"
        ) from problem
    return removed


def _describe(problem: OSError) -> str:
    return problem.strerror.lower() if problem.strerror else str(problem)

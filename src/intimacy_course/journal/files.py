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
import dataclasses
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
    JournalError,
    JournalNotWritableError,
    JournalPermissionWarning,
    JournalUnsafeFileError,
)

JOURNAL_FILENAME = "journal.sqlite3"
DATA_ENV = settings.DATA_ENV
APP_NAME = "intimacy-course"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
#: SQLite's companion files; ``-journal`` only appears if someone turned WAL off.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
DAMAGED_MARKER = ".damaged-"
#: An empty (zero-byte) journal file is kept aside under this marker, never reused silently.
EMPTY_MARKER = ".empty-"
#: A new journal is built under a hidden temporary name and linked into place when complete.
NEW_PREFIX = f".{JOURNAL_FILENAME}.new-"
_DAMAGED_NAME = re.compile(
    re.escape(JOURNAL_FILENAME) + r"\.(damaged|empty)-\d{8}T\d{6}(-\d+)?(-wal|-shm|-journal)?$"
)
_NEW_NAME = re.compile(re.escape(NEW_PREFIX) + r"(\d+)-[0-9a-f]+(-wal|-shm|-journal)?$")
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
    return bool(_DAMAGED_NAME.match(name) or _NEW_NAME.match(name))


def secure_files(path: Path) -> None:
    """Take group and other permissions off the database and its companion files.

    Only ever removes permissions: a journal its owner made read-only (0400) stays
    read-only. Links are never followed (``inspect_files`` refuses them anyway), and a
    file system that refuses the change (read-only) is left as it is.
    """
    for candidate in (path, *side_files(path)):
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != _my_uid(info.st_uid):
            continue
        current = stat.S_IMODE(info.st_mode)
        if current & 0o077:
            with contextlib.suppress(OSError):
                os.chmod(candidate, current & ~0o077 & 0o777)


@dataclasses.dataclass(frozen=True)
class FileState:
    """What is on disk where the journal lives, found without following any link."""

    size: int | None  # the database's size in bytes; None when there is no database yet
    log_size: int  # bytes in the -wal (or a leftover -journal) file: changes not yet merged
    identity: tuple[int, int] | None  # (device, inode) of the database, to spot a swap


def inspect_files(path: Path) -> FileState:
    """Check the journal and its ``-wal``/``-shm``/``-journal`` before SQLite opens them.

    Raises :class:`JournalUnsafeFileError` for a symbolic link, anything that is not a
    regular file, or a file owned by another account (such files can be planted in a
    shared folder to read or overwrite the journal; the kernel's protected_hardlinks
    setting keeps others from hard-linking the learner's own files), and
    :class:`JournalNotWritableError` for a journal the user may not read. Never follows
    a link and never writes.
    """
    size: int | None = None
    log_size = 0
    identity: tuple[int, int] | None = None
    for candidate in (path, *side_files(path)):
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:
            continue
        except OSError as problem:
            raise JournalNotWritableError(candidate, _describe(problem)) from problem
        if stat.S_ISLNK(info.st_mode):
            try:
                target = os.readlink(candidate)
            except OSError:
                target = "somewhere else"
            raise JournalUnsafeFileError(candidate, f"it is a symbolic link (to {target})")
        if stat.S_ISDIR(info.st_mode) and candidate == path:
            raise JournalNotWritableError(path, "a folder has the journal's file name")
        if not stat.S_ISREG(info.st_mode):
            raise JournalUnsafeFileError(candidate, "it is not a regular file")
        if candidate == path and not os.access(path, os.R_OK):
            raise JournalNotWritableError(path, "you do not have permission to read it")
        if info.st_uid != _my_uid(info.st_uid):
            raise JournalUnsafeFileError(
                candidate, f"it belongs to another account (user id {info.st_uid})"
            )
        if candidate == path:
            size = info.st_size
            identity = (info.st_dev, info.st_ino)
        elif not candidate.name.endswith("-shm"):
            log_size += info.st_size
    return FileState(size=size, log_size=log_size, identity=identity)


def identity_of(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path`` itself (a link is not followed), or None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def write_blocker(path: Path) -> tuple[str, str] | None:
    """Why saving into an existing journal at ``path`` is impossible, or None if it is not.

    Returns (what is wrong, what to do). A journal its owner made read-only stays that
    way: the course never adds the write permission back, even when running as root
    (who could write regardless).
    """
    folder = path.parent
    try:
        read_only_fs = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        read_only_fs = False
    if read_only_fs:
        return (
            "the disk or folder it is on is mounted read-only",
            "To save again, make that disk writable (ask whoever manages this computer), "
            "or copy the journal's folder to a place you can write and set "
            "INTIMACY_COURSE_DATA to the copy.",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"you may not create files in its folder {folder} (SQLite adds its -wal and "
            "-shm files there while saving)",
            f"To save again, make the folder writable for you (`chmod u+w '{folder}'` if "
            "it is yours), or set INTIMACY_COURSE_DATA to a folder you own.",
        )
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
    except OSError:
        return None
    if not mode & stat.S_IWUSR:
        return (
            f"the file is read-only (mode {mode:o}), which is how its owner left it, so "
            "the course keeps it that way",
            f"To save again, make it writable yourself: chmod u+w '{path}'",
        )
    if not os.access(path, os.W_OK):
        return (
            "you do not have permission to write the file",
            "Check who owns it (`ls -l` on it), or set INTIMACY_COURSE_DATA to a folder you own.",
        )
    return None


def _my_uid(fallback: int) -> int:
    """This process's user id; ``fallback`` where there are none (Windows): no owner check."""
    return os.geteuid() if hasattr(os, "geteuid") else fallback


def stale_new_files(folder: Path) -> list[Path]:
    """Temporary files of a new journal whose creating process is gone (killed midway)."""
    stale = []
    with contextlib.suppress(OSError):
        for candidate in folder.iterdir():
            match = _NEW_NAME.match(candidate.name)
            if match and not _process_alive(int(match.group(1))):
                stale.append(candidate)
    return stale


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _timestamp() -> str:
    """Local time, which is what the learner will recognise in a file listing."""
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def damaged_copies(folder: Path | None = None) -> list[Path]:
    """Moved-aside copies (damaged or empty journals), with their companion files."""
    folder = Path(folder or default_journal_dir())
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _DAMAGED_NAME.match(p.name))


def move_aside(path: Path, marker: str = DAMAGED_MARKER) -> Path:
    """Rename ``path`` (and its companion files) to a timestamped copy; never overwrite.

    The companion files keep SQLite's naming (``<copy>-wal``), so opening the copy with
    any SQLite tool also reads the changes its write-ahead log still holds. The copies
    lose any group or other permissions; the owner's own bits are kept.
    """
    stamp = _timestamp()
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        target = path.with_name(f"{path.name}{marker}{stamp}{suffix}")
        targets = [target, *side_files(target)]
        if not any(os.path.lexists(t) for t in targets):
            break
    else:  # pragma: no cover - a thousand recoveries in one second
        raise JournalError(f"Could not find a free name to move {path} aside; nothing was moved.")
    try:
        for source, destination in zip((path, *side_files(path)), targets, strict=True):
            if os.path.lexists(source):
                os.rename(source, destination)
        secure_files(target)
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
    targets = [p for p in (path, *side_files(path)) if os.path.lexists(p)]
    targets += damaged_copies(folder) + stale_new_files(folder)
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

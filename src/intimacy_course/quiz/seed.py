"""The instructor's private cohort seed: decides each trainee's variants and option order.

It lives outside the repository (default ``~/.config/intimacy-course/cohort-seed``, mode 0600)
so that no trainee, and no clone, can recompute another trainee's draw or the option ids.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from intimacy_course import settings
from intimacy_course.errors import CourseError


class SeedError(CourseError):
    """The seed file is missing, unreadable or readable by other accounts."""


def default_seed_path() -> Path:
    return (
        settings.seed_file_override() or Path.home() / ".config" / "intimacy-course" / "cohort-seed"
    )


def read_seed(path: Path | None = None) -> bytes:
    path = path or default_seed_path()
    try:
        mode = path.stat().st_mode
        data = path.read_bytes().strip()
    except OSError as error:
        raise SeedError(
            f"The cohort seed {path} cannot be read ({error.strerror}). Create one with "
            "'intimacy-course release --cohort --new-seed'."
        ) from None
    if mode & 0o077:
        raise SeedError(
            f"The cohort seed {path} is readable by other accounts; run: chmod 600 {path}"
        )
    if len(data) < 16:
        raise SeedError(f"The cohort seed {path} is too short; make a new one with --new-seed.")
    return data


def create_seed(path: Path | None = None) -> Path:
    path = path or default_seed_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        raise SeedError(f"A cohort seed already exists at {path}; it is never overwritten.")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")
    return path

"""Reading and checking the course's TOML data files: the one validator every loader uses.

Prompt files, quiz items files, the bibliography and the claims files are written by hand,
often by people who have never seen TOML. Every loader reads its file with
:func:`read_toml` and checks each table with :class:`Fields`, so a mistake is reported the
same way everywhere: ``<file>, <entry>: field '<name>' <what is wrong and what to write>``,
raised as the loader's own :class:`~intimacy_course.errors.CourseError` subclass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from intimacy_course.errors import CourseError


def read_toml(
    path: Path,
    error: type[CourseError],
    *,
    label: str | None = None,
    missing: str = "the file is missing.",
) -> dict[str, Any]:
    """Parse the TOML file at ``path``; any problem raises ``error`` naming the file.

    ``label`` is how messages name the file (default: its path); ``missing`` is what to say
    when it does not exist (for example how to restore it).
    """
    path = Path(path)
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{label}: {missing}") from None
    except OSError as problem:
        raise error(f"{label}: cannot read the file ({problem}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise error(
            f"{label}: the file is not valid UTF-8 text (byte {problem.start}). Save it "
            "again as UTF-8."
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(
            f"{label}: this is not valid TOML: {problem}. Fix the syntax on that line "
            "(a missing quote, bracket or '=' is the usual cause)."
        ) from None


class Fields:
    """Checks the fields of one TOML table; every failure names ``where`` and the field."""

    def __init__(self, table: Mapping[str, Any], where: str, error: type[CourseError]) -> None:
        self.table = table
        self.where = where
        self.error = error

    def fail(self, key: str, problem: str) -> NoReturn:
        """Raise the loader's error: ``<where>: field '<key>' <problem>``."""
        raise self.error(f"{self.where}: field '{key}' {problem}")

    def only(self, allowed: Iterable[str], hint: Callable[[str], str] | None = None) -> None:
        """Refuse a field outside ``allowed``; ``hint(key)`` says what is wrong with it."""
        known = set(allowed)
        for key in self.table:
            if key not in known:
                self.fail(
                    key,
                    hint(key)
                    if hint
                    else (
                        f"is not a known field here (a typo?). Known: {', '.join(sorted(known))}."
                    ),
                )

    def require(self, keys: Iterable[str], problem: str = "is missing.") -> None:
        """Refuse a table that lacks any of ``keys``."""
        for key in keys:
            if key not in self.table:
                self.fail(key, problem)

    def text(self, key: str, *, required: bool = True) -> str:
        """Text in quotes, stripped; ``""`` for an optional field left out."""
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(key, f'is missing. Add {key} = "...".')
            return ""
        if not isinstance(value, str):
            self.fail(key, "must be text in quotes.")
        value = value.strip()
        if required and not value:
            self.fail(key, "must be non-empty text; it is empty. Write the text to show.")
        return value

    def integer(self, key: str) -> int:
        """A whole number written without quotes."""
        value = self.table.get(key)
        if value is None:
            self.fail(key, f"is missing. Add {key} = a whole number.")
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, without quotes (not {value!r}).")
        return value

    def positive_int(self, key: str, default: int | None = None) -> int:
        """A whole number of at least 1; ``default`` when the field is left out (if given)."""
        if default is not None and key not in self.table:
            return default
        value = self.integer(key)
        if value < 1:
            self.fail(key, f"must be a whole number of at least 1, not {value}.")
        return value

    def boolean(self, key: str, default: bool | None = None) -> bool:
        """``true`` or ``false`` without quotes; ``default`` when left out (if given)."""
        value = self.table.get(key)
        if value is None and default is not None:
            return default
        if value is None:
            self.fail(key, f"is missing. Add {key} = true or {key} = false.")
        if not isinstance(value, bool):
            self.fail(key, "must be true or false, without quotes.")
        return value

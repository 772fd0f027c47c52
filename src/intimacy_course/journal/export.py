"""Export the journal to CSV, JSON or Markdown, privately and without replacing files.

An export is the learner taking their writing with them, so it must hold every version
exactly as saved (any script, emoji, right-to-left text, line breaks, commas and quotes),
be UTF-8, and be as private as the journal: files are created 0600 from the first byte.
An existing file is never replaced unless the caller asks; a replacement is written to a
temporary file first and renamed over the old one, so a failed export never leaves half
a file where a good one was.

Formats (chosen by the file's suffix):

- ``.json``: ``{"format": "intimacy-course-journal", "format_version": 1, "exported": ...,
  "entries": [{id, module, prompt_id, version, created, schema_version, value}, ...]}``;
  ``value`` is the saved JSON value itself. The exact round-trip format.
- ``.csv``: one row per entry; ``answer`` is readable text (a checklist joined with "; ")
  and ``value_json`` holds the exact saved value. Written with a byte-order mark
  (``utf-8-sig``) so spreadsheet programs detect UTF-8; Python reads it with the same codec.
- ``.md``: a personal journal to read, grouped by module then prompt, every version
  with its date and time (UTC).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from intimacy_course.journal.errors import (
    JournalError,
    JournalExportExistsError,
    JournalExportNotWritableError,
)
from intimacy_course.journal.files import FILE_MODE, private_umask
from intimacy_course.journal.store import Entry, Journal

EXPORT_FORMAT = "intimacy-course-journal"
EXPORT_FORMAT_VERSION = 1
CSV_COLUMNS = (
    "id",
    "module",
    "prompt_id",
    "version",
    "created",
    "schema_version",
    "answer",
    "value_json",
)

#: Optional human titles for prompts, keyed by (module, prompt id); used by Markdown.
Labels = Mapping[tuple[str, str], str]


class Names(NamedTuple):
    """Readable names for the Markdown export; ids are used where a name is missing."""

    labels: Labels
    module_titles: Mapping[str, str]


def export_journal(
    journal: Journal,
    path: Path,
    *,
    overwrite: bool = False,
    labels: Labels | None = None,
    module_titles: Mapping[str, str] | None = None,
) -> Path:
    """Write every entry of ``journal`` to ``path`` (format from its suffix); return it.

    Refuses to replace an existing file unless ``overwrite`` is true
    (JournalExportExistsError). The file is readable and writable by its owner only.
    ``labels`` and ``module_titles`` only make the Markdown friendlier (prompt questions
    and module titles instead of ids); CSV and JSON always carry the ids.
    """
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise JournalExportNotWritableError(
            path,
            "that is a folder; give a file name inside it, such as "
            f"'{path / ('journal-export' + path.suffix.lower())}'",
        )
    renderer = _RENDERERS.get(path.suffix.lower())
    if renderer is None:
        raise JournalError(
            f"Cannot tell which format to export from the name {path.name!r}. Choose a "
            "file name ending in .csv (spreadsheets), .json (exact copy) or .md (to read)."
        )
    if path.parent.exists() and not path.parent.is_dir():
        raise JournalExportNotWritableError(
            path, f"{path.parent} is a file, not a folder; choose a file name in a folder"
        )
    if not path.parent.is_dir():
        raise JournalExportNotWritableError(
            path,
            f"the folder {path.parent} does not exist; create it first or choose another place",
        )
    if path.is_symlink():
        raise JournalExportNotWritableError(
            path,
            "it is a symbolic link, and an export never writes through one; choose "
            "the file it points to, or another name",
        )
    if os.path.lexists(path) and not path.is_file():
        raise JournalExportNotWritableError(
            path, "it is not an ordinary file (a device or a pipe); choose a file name"
        )
    if os.path.lexists(path) and not overwrite:
        raise JournalExportExistsError(path)
    entries = journal.history()
    names = Names(labels or {}, module_titles or {})
    data = renderer(entries, names).encode("utf-8")
    try:
        if overwrite:
            _replace(path, data)
        else:
            _create(path, data)
    except FileExistsError as problem:
        raise JournalExportExistsError(path) from problem
    except OSError as problem:
        reason = problem.strerror.lower() if problem.strerror else str(problem)
        if problem.errno == errno.ENOSPC:
            reason = (
                "the disk there is full; nothing was written. Choose a place on "
                "another disk, or free some space and try again"
            )
        raise JournalExportNotWritableError(path, reason) from problem
    return path


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` exclusively (O_EXCL), so a file that appears meanwhile is kept."""
    with private_umask():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, FILE_MODE)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def _replace(path: Path, data: bytes) -> None:
    with private_umask():
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _record(entry: Entry) -> dict[str, object]:
    return {
        "id": entry.id,
        "module": entry.module,
        "prompt_id": entry.prompt_id,
        "version": entry.version,
        "created": entry.created.isoformat(),
        "schema_version": entry.schema_version,
        "value": entry.value,
    }


def _render_json(entries: Iterable[Entry], names: Names) -> str:
    document = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported": datetime.now(UTC).isoformat(),
        "entries": [_record(entry) for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def readable_answer(value: object) -> str:
    """An answer as a person would write it: lists joined with "; ", numbers as text."""
    if isinstance(value, list):
        return "; ".join(readable_answer(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _render_csv(entries: Iterable[Entry], names: Names) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                entry.id,
                entry.module,
                entry.prompt_id,
                entry.version,
                entry.created.isoformat(),
                entry.schema_version,
                readable_answer(entry.value),
                json.dumps(entry.value, ensure_ascii=False),
            ]
        )
    return buffer.getvalue()


def _when(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _markdown_answer(value: object) -> list[str]:
    if isinstance(value, list):
        return [f"- {readable_answer(item)}" for item in value] or ["*(nothing ticked)*"]
    if isinstance(value, str):
        text = value.strip("\n")
        if not text.strip():
            return ["*(left empty)*"]
        # A block quote keeps the learner's own line breaks and sets their words apart.
        return [f"> {line}" if line.strip() else ">" for line in text.splitlines()]
    return [readable_answer(value)]


def _render_markdown(entries: Iterable[Entry], names: Names) -> str:
    grouped: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        grouped.setdefault(entry.module, {}).setdefault(entry.prompt_id, []).append(entry)
    lines = [
        "# My reflection journal",
        "",
        f"Exported on {_when(datetime.now(UTC))}. This is private writing: keep "
        "this file somewhere only you can open. Every saved version is listed, oldest first.",
    ]
    if not grouped:
        lines += ["", "*The journal is empty: nothing has been saved yet.*"]
    for module in sorted(grouped):
        heading = names.module_titles.get(module)
        lines += ["", f"## {module}: {heading}" if heading else f"## {module}"]
        for prompt_id, versions in grouped[module].items():
            title = names.labels.get((module, prompt_id), prompt_id)
            lines += ["", f"### {title}"]
            for entry in versions:
                lines += ["", f"**Version {entry.version}**, {_when(entry.created)}", ""]
                lines += _markdown_answer(entry.value)
    return "\n".join(lines) + "\n"


_RENDERERS: dict[str, Callable[[Iterable[Entry], Names], str]] = {
    ".json": _render_json,
    ".csv": _render_csv,
    ".md": _render_markdown,
    ".markdown": _render_markdown,
}

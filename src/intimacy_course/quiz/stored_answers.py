"""The answers file: where a clicked quiz keeps its answers, beside the quiz notebook.

nbgrader cannot grade widget state, and a kernel cannot make JupyterLab save a notebook, so
every click or edit is written at once to ``answers.json`` in the quiz's folder. nbgrader's
release, fetch, submit and collect copy the whole assignment folder, so the file travels
with the notebook; the grader reads it before any trainee code runs. It is written atomically
(a temporary file, flushed, then renamed) with mode 0600, so a crash leaves the old or the new
file, never half of one, and other accounts cannot read a trainee's answers.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ANSWERS_FILE = "answers.json"
FORMAT = "intimacy-course answers"
MAX_TEXT = 20_000


@dataclass
class StoredAnswers:
    """A trainee's answers to one quiz: a choice (an option id) or a text per item id."""

    module: str
    release: str
    choices: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        answers: dict[str, Any] = {item: {"choice": value} for item, value in self.choices.items()}
        answers.update({item: {"text": value} for item, value in self.texts.items()})
        return {
            "format": FORMAT,
            "version": 1,
            "module": self.module,
            "release": self.release,
            "saved": datetime.now(UTC).isoformat(timespec="seconds"),
            "answers": answers,
        }


def answers_path(folder: Path) -> Path:
    return folder / ANSWERS_FILE


def read_answers(folder: Path, module: str, release: str = "") -> StoredAnswers:
    """Read the answers in ``folder``; a missing or unreadable file reads as no answers.

    Whatever the file holds is data: only strings are kept, texts are cut to
    :data:`MAX_TEXT` characters, and anything else is ignored, with ``problem`` saying why.
    """
    stored = StoredAnswers(module=module, release=release)
    path = answers_path(folder)
    if not path.exists():
        return stored
    try:
        if path.is_symlink() or not path.is_file():
            raise ValueError("it is not a plain file")
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError("it is not a quiz answers file")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        stored.problem = (
            f"The answers file {path} could not be read ({error}); it counts as no answers."
        )
        return stored
    if isinstance(raw.get("release"), str):
        stored.release = raw["release"]
    answers = raw.get("answers")
    for item, value in answers.items() if isinstance(answers, dict) else []:
        if not isinstance(item, str) or not isinstance(value, dict):
            continue
        if isinstance(value.get("choice"), str):
            stored.choices[item] = value["choice"]
        elif isinstance(value.get("text"), str):
            stored.texts[item] = value["text"][:MAX_TEXT]
    return stored


def write_answers(folder: Path, stored: StoredAnswers) -> None:
    """Write ``stored`` atomically with mode 0600; raises OSError (disk full, read-only) as is."""
    path = answers_path(folder)
    data = json.dumps(stored.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
    handle, temporary = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

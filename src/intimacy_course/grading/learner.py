"""The learner's own quiz copies, ``my_work/NN_topic/quiz.ipynb``: made once, never replaced.

A self-learner answers in these copies; the module notebooks link to them. Set-up creates a
copy only when none exists, so answers survive a second ``make lab``, a ``git pull`` with new
quiz versions and a new release. To start a quiz afresh, a learner deletes (or renames)
their copy and runs set-up again.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from intimacy_course.grading.course import (
    QUIZ_FILE,
    CourseFolders,
    course_config,
    source_quizzes,
    student_version,
)
from intimacy_course.paths import MODULES, grading_dir, my_work_dir

NEW_QUIZ_FILE = "quiz_v2.ipynb"
NOTE_FILE = "ABOUT_THESE_QUIZZES.md"
NOTE_TEXT = """# Two quiz files in this folder

`quiz.ipynb` is your earlier copy, made from version 1 of the question bank, where answers were
typed into code cells. It is kept exactly as you left it, and it still works: its self-check,
and `intimacy-course check quiz.ipynb`, mark it against version 1.

`quiz_v2.ipynb` is the new quiz, made from version 2 of the bank: you answer by clicking, each
answer is saved at once, and its questions are new. Use it for your next attempt.
"""


def _is_clicked(path: Path) -> bool:
    """True when the copy at ``path`` is a clicked quiz (bank version 2)."""
    try:
        import json

        data = json.loads(path.read_text(encoding="utf-8"))
        return "paper" in data.get("metadata", {}).get("intimacy_course", {})
    except (OSError, ValueError, AttributeError):
        return True  # unreadable: leave it alone and add nothing beside it


def learner_copy_path(module: str, my_work: Path | None = None) -> Path:
    """The learner's copy of ``module``'s quiz; beside an older copy, the new one."""
    folder = (my_work or my_work_dir()) / module
    existing = folder / QUIZ_FILE
    if existing.exists() and not _is_clicked(existing):
        return folder / NEW_QUIZ_FILE
    return existing


def ensure_learner_copies(my_work: Path | None = None, grading: Path | None = None) -> list[Path]:
    """Create every missing learner copy from the student version; return those created.

    An existing file is never opened for writing, whatever it holds. The copy is written to
    a temporary name first and then linked into place without replacing anything, so two
    set-ups running at once cannot clobber each other either.
    """
    if all(learner_copy_path(m, my_work).exists() for m in MODULES):
        return []  # the usual case, decided without the seconds it takes to import nbgrader
    grading = grading or grading_dir()
    config = course_config(grading, settings_from=grading)
    folders = CourseFolders.from_config(config)
    missing = [m for m in source_quizzes(folders) if not learner_copy_path(m, my_work).exists()]
    created = []
    for module in missing:
        target = learner_copy_path(module, my_work)
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = student_version(folders.source_quiz(module), config=config)
        scratch = target.with_name(f".{target.name}.new")
        nbformat.write(nb, scratch)
        try:
            os.link(scratch, target)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: exclusive create instead
            try:
                with open(target, "x", encoding="utf-8") as handle:
                    handle.write(scratch.read_text(encoding="utf-8"))
            except FileExistsError:
                continue
        finally:
            scratch.unlink(missing_ok=True)
        created.append(target)
        if target.name == NEW_QUIZ_FILE:
            note = target.parent / NOTE_FILE
            if not note.exists():
                note.write_text(NOTE_TEXT, encoding="utf-8")
    return created


def prepare_learner_copies() -> list[Path]:
    """Set-up step: make missing quiz copies and say which were made."""
    created = ensure_learner_copies()
    for path in created:
        print(f"    new quiz copy: {path}")
    return created

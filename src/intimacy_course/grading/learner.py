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


def learner_copy_path(module: str, my_work: Path | None = None) -> Path:
    return (my_work or my_work_dir()) / module / QUIZ_FILE


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
    return created


def prepare_learner_copies() -> list[Path]:
    """Set-up step: make missing quiz copies and say which were made."""
    created = ensure_learner_copies()
    for path in created:
        print(f"    new quiz copy: {path}")
    return created

"""Where the course's folders are, found once so that every part agrees.

Notebooks run with their own folder as the working directory (``course/``, ``workbook/``),
the command line runs wherever the user is, and tests run from temporary folders. Finding
the repository by a marker file rather than by the current directory lets all of them
reach the same prompts, sources and quizzes.
"""

from __future__ import annotations

from pathlib import Path

from intimacy_course import settings
from intimacy_course.errors import CourseNotFoundError

#: Environment variable that points the helpers at a clone when auto-detection cannot.
REPO_ENV = settings.REPO_ENV

_MARKERS = ("pyproject.toml", "course", "grading")


def _looks_like_repo(path: Path) -> bool:
    return all((path / marker).exists() for marker in _MARKERS)


def repo_root(start: Path | None = None) -> Path:
    """Return the root of the course clone.

    Looks at ``INTIMACY_COURSE_REPO`` first, then walks up from ``start`` (default: the
    current directory), then from this file's location (an editable install lives inside
    the clone). Raises ``CourseNotFoundError`` (a FileNotFoundError) with advice when none of these is a clone.
    """
    env = settings.repo_override()
    if env:
        candidate = Path(env).expanduser().resolve()
        if _looks_like_repo(candidate):
            return candidate
        raise CourseNotFoundError(
            f"{REPO_ENV}={env} is not a clone of the course (it lacks pyproject.toml, "
            "course/ or grading/). Fix or unset the variable."
        )
    for origin in (start or Path.cwd(), Path(__file__).resolve()):
        origin = origin.resolve()
        for candidate in (origin, *origin.parents):
            if _looks_like_repo(candidate):
                return candidate
    raise CourseNotFoundError(
        "Could not find the course folder. Run this inside your clone of the course, "
        f"or set {REPO_ENV} to its path."
    )


def course_dir() -> Path:
    """The teaching notebooks, ``course/``."""
    return repo_root() / "course"


def workbook_dir() -> Path:
    """The reflection notebooks and their prompt files, ``workbook/``."""
    return repo_root() / "workbook"


def source_texts_dir() -> Path:
    """The bibliography and the paraphrased claims, ``source_texts/``."""
    return repo_root() / "source_texts"


def grading_dir() -> Path:
    """The nbgrader course root, ``grading/``."""
    return repo_root() / "grading"


def my_work_dir() -> Path:
    """The learner's own git-ignored working copies, ``my_work/``."""
    return repo_root() / "my_work"


#: The five teaching modules, in order, as ``NN_topic`` names (DESIGN.md, Contracts).
MODULES: tuple[str, ...] = (
    "01_attachment_injury",
    "02_acting_out",
    "03_dopamine_and_numbing",
    "04_validation_vs_judgment",
    "05_safe_reintegration",
)

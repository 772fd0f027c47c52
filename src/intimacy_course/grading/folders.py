"""Where nbgrader keeps each kind of file in a course, asked of nbgrader itself.

An instructor may rename nbgrader's folders (``c.CourseDirectory.submitted_directory =
"handed_in"``) or their layout (``c.CourseDirectory.directory_structure``). The course's
wrappers must then look where nbgrader looks, so no folder name is ever joined by hand:
every path comes from :meth:`nbgrader.coursedir.CourseDirectory.format_path` and the
configured ``*_directory`` names.

Importing nbgrader takes seconds, so this module imports it only when a
:class:`CourseFolders` is made from a configuration.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

#: The notebook every quiz assignment holds, and the header prepended to each at release.
QUIZ_NOTEBOOK = "quiz"
QUIZ_FILE = f"{QUIZ_NOTEBOOK}.ipynb"
HEADER_FILE = "header.ipynb"
#: nbgrader's placeholder for "no student" in the source and release steps.
_NO_STUDENT = "."


class CourseFolders:
    """The folders of one nbgrader course, as its configuration names them."""

    def __init__(self, coursedir: CourseDirectory) -> None:
        self.coursedir = coursedir

    @classmethod
    def from_config(cls, config: Config) -> CourseFolders:
        """The folders of the course ``config`` describes (its ``CourseDirectory`` settings)."""
        from intimacy_course.grading.course import quiet_nbgrader

        with quiet_nbgrader():
            from nbgrader.coursedir import CourseDirectory

            return cls(CourseDirectory(config=config))

    @classmethod
    def of(cls, api: Any) -> CourseFolders:
        """The folders an ``NbGraderAPI`` works in."""
        return cls(api.coursedir)

    @property
    def root(self) -> Path:
        return Path(self.coursedir.root)

    def _path(self, step: str, student: str, quiz: str) -> Path:
        return Path(self.coursedir.format_path(step, student, quiz))

    def source(self, quiz: str = "") -> Path:
        """``source/<quiz>/`` (or the source folder itself without a quiz)."""
        return self._path(self.coursedir.source_directory, _NO_STUDENT, quiz)

    def release(self, quiz: str = "") -> Path:
        return self._path(self.coursedir.release_directory, _NO_STUDENT, quiz)

    def submitted(self, student: str, quiz: str) -> Path:
        return self._path(self.coursedir.submitted_directory, student, quiz)

    def autograded(self, student: str, quiz: str) -> Path:
        return self._path(self.coursedir.autograded_directory, student, quiz)

    def feedback(self, student: str, quiz: str) -> Path:
        return self._path(self.coursedir.feedback_directory, student, quiz)

    @property
    def header(self) -> Path:
        """The header notebook in the source folder."""
        return self.source() / HEADER_FILE

    def source_quiz(self, quiz: str) -> Path:
        return self.source(quiz) / QUIZ_FILE

    def submitted_quiz(self, student: str, quiz: str) -> Path:
        return self.submitted(student, quiz) / QUIZ_FILE

    def autograded_quiz(self, student: str, quiz: str) -> Path:
        return self.autograded(student, quiz) / QUIZ_FILE

    def feedback_page(self, student: str, quiz: str) -> Path:
        return self.feedback(student, quiz) / f"{QUIZ_NOTEBOOK}.html"

    def quizzes_in_source(self) -> list[str]:
        """Names of the assignments in the source folder that hold a quiz notebook."""
        return sorted(folder.parent.name for folder in self.source().glob(f"*/{QUIZ_FILE}"))

    def assignments(self, step: str) -> list[tuple[str, str]]:
        """(student, quiz) for every folder of nbgrader step ``step``, e.g. ``"submitted"``.

        ``step`` is the kind of folder (``submitted``, ``autograded``, ``feedback``); its
        configured name and the configured layout decide where to look.
        """
        directory = getattr(self.coursedir, f"{step}_directory")
        pattern = self.coursedir.format_path(directory, "*", "*")
        matcher = re.compile(
            self.coursedir.format_path(
                directory, "(?P<student_id>[^/]+)", "(?P<assignment_id>[^/]+)", escape=True
            )
            + "$"
        )
        found = []
        for name in sorted(glob.glob(pattern)):
            match = matcher.match(name)
            if match and Path(name).is_dir():
                found.append((match.group("student_id"), match.group("assignment_id")))
        return found

"""The one base class for every problem a user of the course can fix themselves.

Every error the helpers raise for a user (a learner, an instructor, a writer editing a data
file) subclasses :class:`CourseError`, and its ``str()`` says what is wrong and what to do.
The ``intimacy-course`` command prints such an error on one line without a traceback; the
forms show it in their status line. Anything that is *not* a ``CourseError`` is a bug.

This module imports nothing of ours, so every layer of the package may use it.
"""

from __future__ import annotations


class CourseError(Exception):
    """A problem the user can fix; its message says what to do. Printed without a traceback."""


class CourseNotFoundError(CourseError, FileNotFoundError):
    """The course clone (or one of its folders) cannot be found."""


class PortInUseError(CourseError, OSError):
    """The port asked for the course server is taken."""

"""Compatibility: ``python -m intimacy_course.quiz_build [--check]``. Add nothing here.

The generated rubric pages and the instructor's guide name this command; the code lives
in :mod:`intimacy_course.quiz.generate` (bank version 2).
"""

import sys

from intimacy_course.quiz.generate import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())

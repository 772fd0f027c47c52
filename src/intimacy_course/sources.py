"""Compatibility: ``python -m intimacy_course.sources update|check``. Add nothing here.

Every module's generated References cell, and source_texts/README.md, name this command;
the code lives in :mod:`intimacy_course.content.citations`.
"""

import sys

from intimacy_course.content.citations import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())

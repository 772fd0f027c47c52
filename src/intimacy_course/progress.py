"""Compatibility: the dashboard's import path in ``workbook/06_my_progress.ipynb``. Add nothing here.

The notebook runs ``from intimacy_course.progress import show_progress``; the dashboard
lives in :mod:`intimacy_course.reflection.dashboard`.
"""

from intimacy_course.reflection.dashboard import (
    completion,
    draw_dashboard,
    entries_frame,
    entries_per_module,
    ratings_over_time,
    show_progress,
)

__all__ = [
    "completion",
    "draw_dashboard",
    "entries_frame",
    "entries_per_module",
    "ratings_over_time",
    "show_progress",
]

"""The course's data files, loaded and checked: prompts, objectives, bibliography and claims.

Writers change these files without touching Python, so every loader reports a mistake with
the file, the entry and the field, and says what to change. The TOML checks they share live
in :mod:`intimacy_course.content.toml`. Imports only ``errors``, ``settings`` and ``paths``.
"""

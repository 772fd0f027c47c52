"""Helpers for the Healthy Intimacy course: journal, forms, figures, sources and grading.

The notebooks import from here so that they stay readable prose: every piece of logic a
notebook needs lives in one small module with one responsibility.
"""

# The one place the version is written: pyproject.toml reads it, CHANGELOG.md describes it.
__version__ = "0.1.0"

"""What several test folders share: the repository's location and the "skip, or fail on CI" rule.

Tests import from here (``from tests.support import REPO, skip_or_fail``); nothing adds a
folder to ``sys.path``. Larger shared helpers live in the modules beside this one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intimacy_course import settings

#: The root of the course clone under test.
REPO = Path(__file__).resolve().parents[2]
#: Data the tests read: fixture item banks, a quiz copy from an old release.
FIXTURES = REPO / "tests" / "fixtures"


def seeds_dir() -> Path | None:
    """The source articles (DESIGN.md Contracts): INTIMACY_COURSE_SEEDS, else ../shared/seeds."""
    path = settings.seeds_override() or REPO.parent / "shared" / "seeds"
    return path if path.is_dir() and any(path.glob("*.txt")) else None


def skip_or_fail(reason: str) -> None:
    """Skip this test with ``reason``; on CI (``CI=true``) fail instead.

    For a tool or file this machine lacks: a developer without it still gets a green run,
    but CI, which must run every test, says what is missing.
    """
    if settings.on_ci():
        pytest.fail(f"This test must run on CI, but: {reason}")
    pytest.skip(reason)

"""Saving only once the answers typed last have reached the kernel.

ipywidgets sends at most one update per widget at a time: while one is on its way, the
newest value waits in the browser until the kernel has answered. A button's click is a
message of its own and does not wait. So a learner who types quickly and presses Save at
once can have the click reach the kernel before the last few characters, and the journal
would keep "... after pressing En" while the screen shows "Enter" (seen in journey 7).
The save therefore runs once the inputs have been quiet for a moment (``QUIET`` seconds,
never later than ``LONGEST``), which gives the waiting value time to arrive first.

Only a click that came from the browser waits. A click made by code (``button.click()`` in
a cell, a test, a script) has nothing in flight, and runs at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

#: How long the inputs must be still before a save runs (a few round trips to the kernel).
QUIET = 0.3
#: A save never waits longer than this after the click, however busy the inputs are.
LONGEST = 3.0


class SettledAction:
    """Runs an action once the observed inputs have been still for ``quiet`` seconds."""

    def __init__(
        self, action: Callable[[], object], quiet: float = QUIET, longest: float = LONGEST
    ):
        self.action = action
        self.quiet = quiet
        self.longest = longest
        self.last_change = 0.0
        self.pending = False

    def touched(self, _change: Any = None) -> None:
        """Observer for every input's ``value``: an answer just changed."""
        self.last_change = time.monotonic()

    def request(self) -> None:
        """Run the action once the inputs are still, if the click came from the browser;
        else at once. A second request while one waits is the same request (a double click
        saves once)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or not handling_a_browser_message():
            self.action()
            return
        if self.pending:
            return
        self.pending = True
        asked = time.monotonic()

        def attempt() -> None:
            now = time.monotonic()
            still_for = now - self.last_change
            if still_for >= self.quiet or now - asked >= self.longest:
                self.pending = False
                self.action()
            else:
                loop.call_later(self.quiet - still_for, attempt)

        loop.call_later(self.quiet, attempt)


def handling_a_browser_message() -> bool:
    """Is the kernel handling a widget message from the browser (not running a cell)?"""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent()
    except Exception:  # an older or different kernel: behave as before
        return False
    return bool(parent) and parent.get("header", {}).get("msg_type") == "comm_msg"

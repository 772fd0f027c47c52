"""Does Save wait for the answer typed last, so the journal keeps what the screen shows?"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from intimacy_course.reflection import settle
from intimacy_course.reflection.settle import SettledAction


def run_in_a_fresh_loop(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """asyncio.run in a thread of its own: a loop another test left running in this thread
    (nbclient runs notebooks in-process) must not stop this one."""
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(asyncio.run(main()))
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results[0]


@pytest.fixture
def from_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the kernel were handling the Save button's message from the browser."""
    monkeypatch.setattr(settle, "handling_a_browser_message", lambda: True)


def test_without_a_kernel_loop_the_save_runs_at_once() -> None:
    runs: list[float] = []
    SettledAction(lambda: runs.append(time.monotonic())).request()
    assert len(runs) == 1


def test_a_click_made_by_code_in_a_kernel_runs_at_once() -> None:
    runs: list[int] = []

    async def cell() -> None:
        SettledAction(lambda: runs.append(1)).request()
        assert runs == [1], "a cell that clicks Save reads the result in its next line"

    run_in_a_fresh_loop(cell)


def test_a_late_keystroke_arrives_before_the_save_and_a_double_click_saves_once(
    from_the_browser: None,
) -> None:
    """The click comes first; the last characters arrive 0.15 s later, as ipywidgets sends
    a held-back value only after the kernel answered the previous one."""
    text = {"value": "... after pressing En"}
    saved: list[str] = []

    async def learner() -> None:
        action = SettledAction(lambda: saved.append(text["value"]), quiet=0.3, longest=2)
        action.touched()
        action.request()  # Save pressed right after typing
        action.request()  # and pressed again
        await asyncio.sleep(0.15)
        text["value"] = "... after pressing Enter"  # the held-back update reaches the kernel
        action.touched()
        await asyncio.sleep(0.8)

    run_in_a_fresh_loop(learner)
    assert saved == ["... after pressing Enter"]


def test_inputs_that_never_settle_still_save_in_the_end(from_the_browser: None) -> None:
    saved: list[float] = []

    async def busy() -> float:
        action = SettledAction(lambda: saved.append(time.monotonic()), quiet=0.1, longest=0.4)
        began = time.monotonic()
        action.request()
        while time.monotonic() - began < 0.8:
            action.touched()
            await asyncio.sleep(0.02)
        return began

    began = run_in_a_fresh_loop(busy)
    assert len(saved) == 1 and 0.35 <= saved[0] - began <= 0.7

"""Fixtures for the browser journeys: one course server, Debian's Chromium, a page per test.

- ``lab_server`` (session): ``intimacy-course lab`` on a free port with a random token, a
  private HOME and journal; stopped after the tests; afterwards it checks that no
  hand-written course file was saved or changed by the session.
- ``browser`` (session): Chromium from /usr/bin/chromium (never a downloaded browser).
- ``lab_page`` (per test): a new browser context and page; on failure a screenshot goes to
  test-artifacts/e2e/<test>.png.
- ``axe_js`` (session): axe-core from npm for the accessibility checks.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from intimacy_course import settings
from tests.e2e.e2e_axe import ensure_axe
from tests.e2e.e2e_server import (
    REPO,
    LabServer,
    checkpoint_files,
    git_status,
    start_lab,
    stop_lab,
)
from tests.support import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "e2e"

#: (test id, seconds) of every journey, printed at the end of the run.
JOURNEY_TIMES: list[tuple[str, float, str]] = []


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can tell that the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Measure each journey's wall time (the test body, without server start-up)."""
    started = time.monotonic()
    outcome = yield
    seconds = time.monotonic() - started
    if item.get_closest_marker("e2e") is not None:
        status = "failed" if outcome.excinfo is not None else "passed"
        if status == "failed" and item.get_closest_marker("xfail") is not None:
            status = "xfail"
        JOURNEY_TIMES.append((item.nodeid.split("::")[-1], seconds, status))
        print(f"\n[time] {item.nodeid.split('::')[-1]}: {seconds:.1f} s ({status})")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if JOURNEY_TIMES:
        terminalreporter.section("browser journeys: wall time")
        for name, seconds, status in JOURNEY_TIMES:
            terminalreporter.write_line(f"{seconds:7.1f} s  {status:7s} {name}")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; its absence skips the journeys, except on CI where it fails."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(.ci/run does: apt-get install -y chromium)"
        )
        skip_or_fail(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def lab_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: Path
) -> Iterator[LabServer]:
    """The course server, started the way ``make lab`` starts it, for the whole session."""
    home = tmp_path_factory.mktemp("e2e-home")
    before = git_status()
    checkpoints_before = checkpoint_files()
    started = time.monotonic()
    server = start_lab(home, log_path=home / "jupyterlab.log")
    print(
        f"\n[server] {server.base_url} answered after {time.monotonic() - started:.1f} s "
        f"(log: {server.log_path})"
    )
    try:
        yield server
    finally:
        stop_lab(server)
    saves = server.saves_of_protected_files()
    after = git_status()
    new_checkpoints = sorted(checkpoint_files() - checkpoints_before)
    problems = []
    if saves:
        problems.append("the browser session SAVED course files:\n" + "\n".join(saves))
    if new_checkpoints:
        problems.append(
            "JupyterLab checkpoint copies appeared in the repository:\n"
            + "\n".join(map(str, new_checkpoints))
        )
    if after != before:
        changed = (
            f"`git status --porcelain course workbook grading/source` changed during "
            f"the browser session.\nbefore:\n{before}\nafter:\n{after}"
        )
        if settings.on_ci():
            problems.append(changed)
        else:  # on a shared working tree, other people's edits land here too
            warnings.warn(
                changed + "\n(not a failure outside CI: the server logged no save of "
                "these files, so someone else may be editing the tree)",
                stacklevel=1,
            )
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    """One headless Chromium for the session (each test gets its own context)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


@pytest.fixture
def lab_page(browser, lab_server: LabServer, request: pytest.FixtureRequest):
    """A fresh browser context and page; a screenshot on failure; kernels shut down after."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    messages: list[str] = []
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / f"{_artifact_name(request.node.nodeid)}.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
                print(f"\n[screenshot] {shot}")
            except Exception as error:  # a screenshot must not hide the failure
                print(f"\n[screenshot] could not be taken: {error}")
            if messages:
                print("\n".join(messages[:20]))
        context.close()
        lab_server.shutdown_all_sessions()


@pytest.fixture
def workspace(request: pytest.FixtureRequest) -> str:
    """A JupyterLab workspace name of this test's own, so no test reopens another's tabs."""
    return "e2e-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:60]


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's script, installed with npm from tests/e2e/package-lock.json when missing."""
    return ensure_axe()

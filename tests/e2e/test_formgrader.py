"""Journey 6: the instructor opens formgrader inside the same JupyterLab and sees the quizzes."""

from __future__ import annotations

import re

import pytest

from intimacy_course.paths import MODULES
from tests.e2e.e2e_axe import AXE_JS, axe_document, describe
from tests.e2e.e2e_server import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]  # one JupyterLab and browser

GRADEBOOK = REPO / "grading" / "gradebook.db"


def axe_js_path():
    """axe-core when installed (the accessibility tests install it); None otherwise."""
    return AXE_JS if AXE_JS.exists() else None


@pytest.fixture
def gradebook_left_as_found():
    """Formgrader creates grading/gradebook.db (git-ignored) when it first opens the course;
    remove it again when this test was the one that created it."""
    existed = GRADEBOOK.exists()
    yield
    if not existed and GRADEBOOK.exists():
        for suffix in ("", "-journal", "-wal", "-shm"):
            GRADEBOOK.with_name(GRADEBOOK.name + suffix).unlink(missing_ok=True)


def test_journey_6_formgrader_opens_in_jupyterlab_and_lists_the_quizzes(
    lab_page, lab_server, workspace, gradebook_left_as_found
):
    built = [
        module
        for module in MODULES
        if (REPO / "grading" / "source" / module / "quiz.ipynb").exists()
    ]
    if not built:
        pytest.skip("grading/source/NN_topic/quiz.ipynb not built yet")
    missing = sorted(set(MODULES) - set(built))
    if missing:
        print(f"[formgrader] quizzes not built yet (not expected in the list): {missing}")

    lab_page.goto(f"{lab_server.base_url}/lab/workspaces/{workspace}?token={lab_server.token}")
    lab_page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell)")
    lab_page.locator("#jp-menu-panel .lm-MenuBar-item", has_text="Nbgrader").click()
    lab_page.locator(
        ".lm-Menu:visible .lm-Menu-item", has_text=re.compile(r"^\s*Formgrader\s*$")
    ).click()

    formgrader = lab_page.frame_locator("#jp-main-dock-panel iframe").first
    names = formgrader.locator("td.name a")
    names.first.wait_for(timeout=60_000)
    lab_page.wait_for_function(
        """(count) => Array.from(document.querySelectorAll('#jp-main-dock-panel iframe'))
             .some(f => f.contentDocument &&
                        f.contentDocument.querySelectorAll('td.name a').length >= count)""",
        arg=len(built),
        timeout=30_000,
    )
    listed = sorted(text.strip() for text in names.all_inner_texts())
    print(f"[formgrader] listed: {listed}")
    assert set(built) <= set(listed), f"formgrader lists {listed}, expected {built}"

    # Formgrader is nbgrader's own page, with none of the course's prose: its findings are
    # printed for the record, not failed on.
    frame = next((f for f in lab_page.frames if "/formgrader" in f.url), None)
    if frame is not None and axe_js_path() is not None:
        result = axe_document(frame, axe_js_path())
        print(
            f"[axe, not failed on] nbgrader formgrader: {len(result['violations'])} rule(s) "
            f"violated\n{describe(result['violations'])}"
        )

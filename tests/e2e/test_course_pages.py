"""Journeys 1 and 2: a learner opens the course in JupyterLab, runs it and reads it.

Each journey asserts what the learner sees: no error boxes, the figures drawn with their
alternative text, the link to the module's reflection opening it inside JupyterLab, and no
serious accessibility finding (axe-core, WCAG 2 A and AA) in what the course put on the page.
"""

from __future__ import annotations

import pytest

from tests.e2e.e2e_axe import assert_accessible, axe_notebook
from tests.e2e.e2e_lab import (
    current_path,
    error_outputs,
    open_notebook,
    open_tab_titles,
    run_all,
    shown_figures,
    stderr_notes,
)
from tests.e2e.e2e_server import require

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]  # one JupyterLab and browser

START_HERE = "course/00_start_here.ipynb"
MODULE = "01_attachment_injury"
MODULE_PATH = f"course/{MODULE}.ipynb"
REFLECTION_PATH = f"workbook/{MODULE}_reflection.ipynb"
JUPYTERLAB_PLACEHOLDER_ALT = "Image"


def assert_no_error_output(page, where: str) -> None:
    for note in stderr_notes(page):
        print(f"[stderr, not an error] {where}: {note}")
    problems = error_outputs(page)
    assert not problems, f"{where} shows error output:\n" + "\n".join(map(str, problems))


def assert_figures_shown(page, minimum: int, where: str) -> list[dict]:
    figures = shown_figures(page, minimum)
    assert len(figures) >= minimum, f"{where}: expected at least {minimum} figures, saw {figures}"
    for figure in figures:
        alt = (figure["alt"] or "").strip()
        # JupyterLab fills in alt="Image" for an <img> that has none, so that placeholder
        # counts as missing; real alternative text says what the figure shows.
        assert alt and alt != JUPYTERLAB_PLACEHOLDER_ALT and len(alt.split()) >= 3, (
            f"{where}: a figure has no real alternative text: {figure}"
        )
        assert figure["naturalWidth"] > 0, f"{where}: a figure did not load: {figure}"
    return figures


def test_journey_1_start_here_runs_and_shows_the_course_map(
    lab_page, lab_server, workspace, axe_js
):
    require(START_HERE)
    open_notebook(lab_page, lab_server, START_HERE, workspace)
    seconds = run_all(lab_page)
    print(f"[run all] {START_HERE}: {seconds:.1f} s")

    assert_no_error_output(lab_page, START_HERE)
    figures = assert_figures_shown(lab_page, 1, START_HERE)
    print(f"[figures] {START_HERE}: " + "; ".join(f["alt"][:80] for f in figures))
    course_map = lab_page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) figure.course-figure img"
    ).first
    assert course_map.is_visible()
    assert_accessible(axe_notebook(lab_page, axe_js), START_HERE)


def test_journey_2_module_runs_shows_figures_and_links_to_its_reflection(
    lab_page, lab_server, workspace, axe_js
):
    require(MODULE_PATH)
    open_notebook(lab_page, lab_server, MODULE_PATH, workspace)
    seconds = run_all(lab_page)
    print(f"[run all] {MODULE_PATH}: {seconds:.1f} s")

    assert_no_error_output(lab_page, MODULE_PATH)
    figures = assert_figures_shown(lab_page, 2, MODULE_PATH)
    print(f"[figures] {MODULE_PATH}: {len(figures)} shown")
    assert_accessible(axe_notebook(lab_page, axe_js), MODULE_PATH)

    link = lab_page.locator(
        f".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown "
        f'a[href*="{MODULE}_reflection.ipynb"]'
    ).first
    assert link.count() == 1, f"{MODULE_PATH} has no link to {REFLECTION_PATH}"
    require(REFLECTION_PATH)  # the link's target is another part of the course
    pages_before = len(lab_page.context.pages)
    link.click()
    lab_page.wait_for_function(
        "(path) => { const w = window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.context && w.context.path === path); }",
        arg=REFLECTION_PATH,
        timeout=30_000,
    )
    assert current_path(lab_page) == REFLECTION_PATH
    titles = " | ".join(open_tab_titles(lab_page))
    assert f"{MODULE}_reflection.ipynb" in titles, f"tabs open: {titles}"
    assert f"{MODULE}.ipynb" in titles, f"the module's own tab closed; tabs open: {titles}"
    assert len(lab_page.context.pages) == pages_before, "the link opened a browser window"

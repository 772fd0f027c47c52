"""Journey 7: "save" means one thing. After a reflection is saved, the notebook's own
Save/Discard question cannot lose it, and the form says so before anyone asks.

What JupyterLab does (seen here, JupyterLab 4.6): a notebook counts as changed as soon as
its kernel starts (the kernel's language details go into the notebook's metadata) and
whenever a cell runs (outputs, execution counts); a click or keystroke in a widget alone
changes nothing in the notebook (widget state is never saved). So closing a workbook page
after running it always asks "Save changes ... before closing?" with Cancel, Discard and
Save, whatever the form did. The kernel cannot clear that flag, so the form's status line
says, after every save, that the notebook's own Save or Discard does not change the answers.

The learner here saves a reflection, reads that line, closes the tab and picks the feared
"Discard"; the journal still holds every answer, and the reopened page shows them. The
progress page then draws one day of data without a warning on the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from intimacy_course.reflection.form import NOTEBOOK_SAVE_NOTE
from tests.e2e.e2e_forms import (
    current_form,
    fill,
    form_prompts,
    journal_latest,
    shown_value,
    status_text,
)
from tests.e2e.e2e_lab import current_path, error_outputs, open_notebook, run_all
from tests.e2e.e2e_server import REPO, require

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]  # one JupyterLab and browser

MODULE = "05_safe_reintegration"  # journeys 3 and 4 use modules 1 and 2
PATH = f"workbook/{MODULE}_reflection.ipynb"
PROGRESS = "workbook/06_my_progress.ipynb"
ARTIFACTS = REPO / "test-artifacts" / "e2e"

_DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"


def test_journey_7_discard_after_saving_a_reflection_loses_nothing(lab_page, lab_server, workspace):
    require(PATH)
    open_notebook(lab_page, lab_server, PATH, workspace)
    run_all(lab_page)
    problems = error_outputs(lab_page)
    assert not problems, f"{PATH} shows error output:\n" + "\n".join(map(str, problems))
    form = current_form(lab_page)
    answers = {
        prompt.id: fill(lab_page, form, prompt, round_="Kept") for prompt in form_prompts(lab_page)
    }
    form.locator(".reflection-save button, button.reflection-save").first.click()
    form.locator(".reflection-status .reflection-status-ok").wait_for(timeout=30_000)
    message = status_text(form)
    print(f"[status] {message}")
    assert message.startswith("\u2714 Saved") and NOTEBOOK_SAVE_NOTE in message, message
    assert journal_latest(lab_server.journal_dir, MODULE) == answers
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    form.locator(".reflection-status").screenshot(path=str(ARTIFACTS / "reflection-saved.png"))

    dirty = lab_page.evaluate(_DIRTY)
    print(f"[jupyterlab] notebook marked as changed after the form saved: {dirty}")

    # Close the tab as a learner does; if JupyterLab asks, choose the feared "Discard".
    lab_page.locator(
        "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon"
    ).click()
    dialog = lab_page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=5_000)
        asked = dialog.inner_text()
    except PlaywrightTimeoutError:  # no dialog is an outcome too
        asked = ""
    print(f"[close] dialog: {asked or 'none'}")
    if asked:
        assert "Save changes" in asked, asked
        dialog.get_by_role("button", name="Discard").click()
        dialog.wait_for(state="detached", timeout=10_000)
    lab_page.wait_for_function(
        "(path) => !Array.from(window.jupyterapp.shell.widgets('main'))"
        ".some(w => w.context && w.context.path === path)",
        arg=PATH,
        timeout=10_000,
    )
    assert dirty == bool(asked), "JupyterLab asked although nothing was changed, or the reverse"
    assert journal_latest(lab_server.journal_dir, MODULE) == answers, (
        "Discard lost answers the form had saved"
    )

    # Back to the page: the answers come back from the journal.
    lab_server.shutdown_all_sessions()
    open_notebook(lab_page, lab_server, PATH, workspace)
    assert current_path(lab_page) == PATH
    run_all(lab_page)
    form = current_form(lab_page)
    for prompt in form_prompts(lab_page):
        assert shown_value(form, prompt) == answers[prompt.id], (
            f"after Discard and reopening, question {prompt.id} shows "
            f"{shown_value(form, prompt)!r}; saved was {answers[prompt.id]!r}"
        )

    # The progress page, with one day of entries: a chart, and no warning box.
    require(PROGRESS)
    open_notebook(lab_page, lab_server, PROGRESS, workspace)
    run_all(lab_page)
    dashboard = lab_page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .progress-dashboard")
    dashboard.locator("img").first.wait_for(timeout=60_000)
    warnings_shown = dashboard.locator(
        '[data-mime-type="application/vnd.jupyter.stderr"]'
    ).all_inner_texts()
    assert not warnings_shown, "the progress page shows a warning:\n" + "\n".join(warnings_shown)
    notes = dashboard.locator(".progress-message").all_inner_texts()
    print(f"[progress] notes above the charts: {notes or 'none'}")
    dashboard.scroll_into_view_if_needed()
    dashboard.screenshot(path=str(ARTIFACTS / "progress-one-day.png"))
    assert not error_outputs(lab_page)

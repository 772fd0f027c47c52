"""Journeys 3 and 4: a learner writes a reflection in the workbook and keeps it.

3. Fill every question by typing and clicking, save: the status line confirms; after the
   kernel is gone and the page is reloaded and run again, the answers are back in the form
   (they came from the journal, not from the kernel), and the journal file holds them.
4. Type an answer over the length limit and save: a clear message, and nothing typed is
   lost.

Both forms are also checked for accessibility once filled in (with the saved status, and
with the error messages showing): no serious axe-core finding, and every input named after
its question or option, as a screen reader finds it.
"""

from __future__ import annotations

import tomllib

import pytest

from tests.e2e.e2e_axe import assert_accessible, axe_notebook
from tests.e2e.e2e_forms import (
    current_form,
    fill,
    form_prompts,
    journal_latest,
    prompt_input,
    shown_value,
    status_text,
    unnamed_inputs,
)
from tests.e2e.e2e_lab import error_outputs, open_notebook, run_all, wait_for_notebook
from tests.e2e.e2e_server import require
from tests.support import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]  # one JupyterLab and browser

SAVE_MODULE = "01_attachment_injury"
INVALID_MODULE = "02_acting_out"  # has a required free-text answer and radio buttons


def reflection_path(module: str) -> str:
    return f"workbook/{module}_reflection.ipynb"


def open_and_run(page, server, path: str, workspace: str):
    open_notebook(page, server, path, workspace)
    return run_and_find_form(page, path)


def run_and_find_form(page, path: str):
    run_all(page)
    problems = error_outputs(page)
    assert not problems, f"{path} shows error output:\n" + "\n".join(map(str, problems))
    return current_form(page)


def assert_form_accessible(page, form, axe_js, where: str) -> None:
    assert_accessible(axe_notebook(page, axe_js), where)
    unnamed = unnamed_inputs(page, form)
    assert not unnamed, f"inputs without an accessible name in {where}:\n" + "\n".join(unnamed)


def test_journey_3_reflection_is_saved_and_comes_back_after_reload(
    lab_page, lab_server, workspace, axe_js
):
    path = reflection_path(SAVE_MODULE)
    require(path)
    form = open_and_run(lab_page, lab_server, path, workspace)
    prompts = form_prompts(lab_page)
    kinds = sorted({p.kind for p in prompts})
    print(f"[form] {path}: {len(prompts)} questions, kinds {kinds}")
    assert prompts, "the reflection form shows no questions"

    answers = {prompt.id: fill(lab_page, form, prompt) for prompt in prompts}
    form.locator(".reflection-save button, button.reflection-save").first.click()
    lab_page.wait_for_function(
        """(id) => { const el = document.getElementById(id).querySelector('.reflection-status');
                     return el && /Saved/.test(el.innerText); }""",
        arg=lab_page.evaluate("() => window.jupyterapp.shell.currentWidget.id"),
        timeout=30_000,
    )
    print(f"[status] {status_text(form)}")
    assert status_text(form).startswith("\u2714 Saved"), status_text(form)
    assert_form_accessible(lab_page, form, axe_js, f"{path} (saved)")

    saved = journal_latest(lab_server.journal_dir, SAVE_MODULE)
    assert saved == answers, f"journal holds {saved}, the learner gave {answers}"

    # The kernel goes away, the page is reloaded: only the journal can bring answers back.
    lab_server.shutdown_all_sessions()
    print(f"[reload] {lab_page.url}")
    lab_page.reload()
    wait_for_notebook(lab_page, path)
    form = run_and_find_form(lab_page, path)
    for prompt in form_prompts(lab_page):
        assert shown_value(form, prompt) == answers[prompt.id], (
            f"after reloading, question {prompt.id} shows {shown_value(form, prompt)!r}, "
            f"saved was {answers[prompt.id]!r}"
        )
    assert "Showing your answers last saved" in status_text(form), status_text(form)


def test_journey_4_invalid_reflection_explains_and_keeps_what_was_typed(
    lab_page, lab_server, workspace, axe_js
):
    path = reflection_path(INVALID_MODULE)
    require(path)
    form = open_and_run(lab_page, lab_server, path, workspace)
    prompts = form_prompts(lab_page)
    # Every question is optional (nobody must answer a personal question), so the invalid
    # answer here is one that is too long to keep.
    limits = {
        entry["id"]: entry.get("max_chars", 0)
        for entry in tomllib.loads(
            (REPO / "workbook" / "prompts" / f"{INVALID_MODULE}.toml").read_text(encoding="utf-8")
        )["prompt"]
    }
    long_text = [p for p in prompts if p.kind == "free_text" and limits.get(p.id)]
    assert long_text, f"{path} has no written answer with a length limit"
    too_long = long_text[0]

    typed = {}
    for prompt in prompts:
        if prompt.id != too_long.id:
            typed[prompt.id] = fill(lab_page, form, prompt, round_="Invalid")
    over = "A long answer. " * (limits[too_long.id] // 15 + 5)
    prompt_input(form, too_long).locator("textarea").fill(over)
    typed[too_long.id] = over
    form.locator(".reflection-save button, button.reflection-save").first.click()
    form.locator(".reflection-status .reflection-status-error").wait_for(timeout=30_000)

    message = status_text(form)
    print(f"[status] {message}")
    assert "Not saved" in message and "still here" in message, message
    box = form.locator(".reflection-prompt").nth([p.id for p in prompts].index(too_long.id))
    assert "over the limit" in box.locator(".reflection-error").inner_text(), (
        "the too-long answer shows no message of its own"
    )
    for prompt in prompts:
        if prompt.id in typed:
            assert shown_value(form, prompt) == typed[prompt.id], (
                f"question {prompt.id} lost what was typed"
            )
    assert journal_latest(lab_server.journal_dir, INVALID_MODULE) == {}, (
        "an invalid reflection was written to the journal"
    )
    assert_form_accessible(lab_page, form, axe_js, f"{path} (error messages showing)")

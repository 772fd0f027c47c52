"""Journey 5: a learner answers their own quiz copy, saves it and checks it themselves.

The copy is ``my_work/01_attachment_injury/quiz.ipynb``, made by ``intimacy-course setup``
as for a new learner. A learner's real copy may live there: it is set aside before the
journey and put back, untouched, after it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib

import pytest
from e2e_lab import cell_report, error_outputs, open_notebook
from e2e_server import REPO, VENV_BIN, LabServer, require

pytestmark = pytest.mark.e2e

MODULE = "01_attachment_injury"
QUIZ = f"my_work/{MODULE}/quiz.ipynb"
ITEMS = REPO / "grading" / "items" / f"{MODULE}.toml"
SELF_CHECK_TIMEOUT_S = 240


@pytest.fixture
def learner_quiz_folder(lab_server: LabServer):
    """A fresh learner copy made by ``intimacy-course setup``; any existing one comes back after.

    A learner's own folder is renamed aside inside my_work/ (same file system, so the
    rename is atomic and the work is never outside the clone, even if the run is killed),
    set-up makes a new copy as it does for a new learner, and afterwards the journey's
    folder is deleted and the learner's folder renamed back.
    """
    folder = REPO / "my_work" / MODULE
    aside = folder.with_name(f".e2e-aside-{MODULE}-{os.getpid()}")
    had_own = folder.exists()
    if had_own:
        folder.rename(aside)
        print(f"\n[my_work] the existing {folder.name} is kept aside as {aside.name} meanwhile")
    try:
        setup = subprocess.run(
            [str(VENV_BIN / "intimacy-course"), "setup"],
            cwd=REPO,
            env=lab_server.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert setup.returncode == 0, (
            f"intimacy-course setup failed:\n{setup.stdout}\n{setup.stderr}"
        )
        require(QUIZ)
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder)
        if had_own:
            aside.rename(folder)


def learner_answers() -> dict[str, tuple[str, str]]:
    """item id -> (what the learner types, the status the self-check should report).

    Every item right except the second, which gets a wrong option; the free-text item is
    marked by hand."""
    items = tomllib.loads(ITEMS.read_text(encoding="utf-8"))["item"]
    answers = {}
    for number, item in enumerate(items):
        if item["kind"] == "short_answer":
            text = (
                "A client's story about their parents explains part of the pattern; "
                "it leaves out choice, mood and culture."
            )
            answers[item["id"]] = (text, "by hand")
        elif number == 1 and item["kind"] == "multiple_choice":
            wrong = next(letter for letter in item["options"] if letter != item["answer"])
            answers[item["id"]] = (wrong, "not right")
        else:
            answers[item["id"]] = (item["answer"], "right")
    return answers


def cell_index(page, grade_id: str) -> int:
    index = page.evaluate(
        """(gradeId) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
             c => ((c.model.getMetadata('nbgrader') || {}).grade_id) === gradeId)""",
        grade_id,
    )
    assert index >= 0, f"the quiz has no cell {grade_id}"
    return index


def type_into_cell(page, index: int, text: str, markdown: bool) -> None:
    """Click into a cell's editor, select everything, type the answer (as a learner would)."""
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    if markdown:
        cell.locator(".jp-MarkdownOutput").dblclick()  # a rendered answer opens for editing
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # back to command mode, the cell stays as typed


def test_journey_5_quiz_answered_saved_and_self_checked(
    lab_page, lab_server, workspace, learner_quiz_folder
):
    if not ITEMS.exists():
        pytest.skip(f"{ITEMS.relative_to(REPO)} is not built yet")
    answers = learner_answers()
    open_notebook(lab_page, lab_server, QUIZ, workspace)

    for item_id, (answer, _status) in answers.items():
        index = cell_index(lab_page, f"{item_id}_answer")
        cell_type = lab_page.evaluate(
            "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.type", index
        )
        if cell_type == "markdown":
            type_into_cell(lab_page, index, answer, markdown=True)
        else:
            type_into_cell(lab_page, index, f'{item_id} = "{answer}"', markdown=False)

    lab_page.keyboard.press("Control+s")
    lab_page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    saved = json.loads((REPO / QUIZ).read_text(encoding="utf-8"))
    saved_sources = {
        c["metadata"].get("nbgrader", {}).get("grade_id"): "".join(c["source"])
        for c in saved["cells"]
    }
    for item_id, (answer, _status) in answers.items():
        assert answer in saved_sources[f"{item_id}_answer"], (
            f"the saved quiz does not hold the answer typed for {item_id}"
        )

    check = cell_index(lab_page, "self_check")
    cell = lab_page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(
        check
    )
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea").click()
    lab_page.keyboard.press("Shift+Enter")
    lab_page.wait_for_function(
        """(i) => { const w = window.jupyterapp.shell.currentWidget;
                    const cell = w.content.widgets[i];
                    const kernel = w.sessionContext.session.kernel;
                    return cell.model.executionCount !== null && kernel.status === 'idle' &&
                           !cell.node.querySelector('.jp-InputPrompt').textContent.includes('*'); }""",
        arg=check,
        timeout=SELF_CHECK_TIMEOUT_S * 1000,
        polling=500,
    )

    problems = error_outputs(lab_page)
    assert not problems, "the quiz shows error output:\n" + "\n".join(map(str, problems))
    shown = cell.locator(".jp-OutputArea").inner_text()
    print(f"[self-check output]\n{shown}")
    for item_id, (_answer, status) in answers.items():
        line = re.search(rf"^{item_id}\s+.*$", shown, flags=re.MULTILINE)
        assert line, f"the self-check shows no result for {item_id}:\n{shown}"
        assert line.group(0).rstrip().endswith(status), (
            f"{item_id}: expected '{status}', the learner sees '{line.group(0).strip()}'"
        )
    auto = [s for _a, s in answers.values() if s != "by hand"]
    right = sum(1 for s in auto if s == "right")
    assert f"Marked automatically: {right} of {len(auto)} points" in shown, shown
    assert cell_report(lab_page)[check]["executionCount"] is not None

"""Do workbook notebooks keep reflections out of the notebook file? And are they well formed?

How the privacy test reasons (real kernel, real widgets, real journal):

A learner's words must sit somewhere while they type: in the browser's widget models and
in the kernel's widget objects. Any tool that saves widget state therefore saves them.
nbclient's ``store_widget_state=True`` does exactly what JupyterLab does with its setting
``saveState: true``: it writes every widget model's state into the notebook's metadata
(``metadata.widgets``). So the test runs the strongest case and first checks that the
typed answers really are in that recorded widget state: proof that they went through the
widgets, not around them. No form design can avoid that, which is why set-up turns
JupyterLab's ``saveState`` off (checked here through the real set-up function).

What a learner's JupyterLab then writes to disk is the notebook *without* widget state:
cell sources, cell outputs and ordinary metadata. Outputs are the real risk, because they
are saved whatever the widget setting says: a widget's default plain-text output is its
repr, which spells out its values (IPython keeps the first 110 characters, enough for the
start of an answer, e.g. ``Textarea(value='...``). So the test removes only
``metadata.widgets`` (what ``saveState: false`` leaves out), saves the executed notebook
with nbformat as JupyterLab would, and asserts that none of the answers appear anywhere in
the file, including after the form is opened a second time and filled from the journal,
while the journal holds every one of them. The answers reach the kernel from a file named
in an environment variable, so the injected cells' own source holds none of them.

The dashboard is checked the same way: its table and figure must exist in widget state
and nowhere in the saved file.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import nbformat
import pytest

from intimacy_course.journal import Journal
from intimacy_course.lab.setup import write_lab_overrides
from intimacy_course.paths import MODULES
from tests.support import REPO
from tests.support.notebooks import run_notebook

WORKBOOK = REPO / "workbook"
STANDARD_KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}
REFLECTIONS = {module: WORKBOOK / f"{module}_reflection.ipynb" for module in MODULES}
PROGRESS = WORKBOOK / "06_my_progress.ipynb"

ANSWERS = {
    "how_settled": 3,
    "comfort_when_young": "My aunt Zofia hummed while plaiting my hair (marker QX-4417).",
    "pulling_away": (
        'It protected me from being laughed at.\nSecond line: "the café" — ÉCLAIR-8832'
    ),
    "what_attachment_misses": "Shift work, grief and faith: MARKER-LIGHTHOUSE-2209",
    "conditions_wanted": ["Being comforted when upset"],
}
TYPING_CELL = """\
import json, os
from pathlib import Path
typed = json.loads(Path(os.environ["WORKBOOK_TEST_ANSWERS"]).read_text(encoding="utf-8"))
form.input_widget("what_attachment_misses").value = typed.pop("what_attachment_misses")
assert form.fill(typed), form.status_text
form.save_button.click()
print(form.status_text)
"""
REOPEN_CELL = """\
form_again = reflection_form("01_attachment_injury")
print("reopened shows the saved answers:", form_again.values() == form.values())
"""


def secret_fragments() -> list[str]:
    """Every way an answer could be spelled inside a saved .ipynb (raw, JSON-escaped)."""
    fragments: list[str] = []
    for value in ANSWERS.values():
        if not isinstance(value, str):
            continue
        for piece in [value, *value.splitlines()]:
            fragments += [
                piece,
                json.dumps(piece)[1:-1],
                json.dumps(piece, ensure_ascii=False)[1:-1],
            ]
    fragments += ["QX-4417", "ÉCLAIR-8832", "MARKER-LIGHTHOUSE-2209", "Zofia"]
    return sorted(set(fragments))


def execute(notebook: nbformat.NotebookNode, folder: Path) -> None:
    run_notebook(notebook, folder, store_widget_state=True)


def save_as_jupyterlab_does(notebook: nbformat.NotebookNode, path: Path) -> str:
    """Write the notebook as JupyterLab does with ``saveState: false``: no widget state."""
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return path.read_text(encoding="utf-8")


def cell_text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "")
        if output.get("output_type") == "stream"
        else json.dumps(output.get("data", {}))
        for output in cell.get("outputs", [])
    )


def test_setup_turns_off_saving_widget_state(tmp_path: Path) -> None:
    settings = json.loads(write_lab_overrides(tmp_path).read_text(encoding="utf-8"))
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is False


@pytest.mark.slow
def test_typed_answers_reach_the_journal_and_never_the_saved_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_folder = tmp_path / "journal"
    answers_file = tmp_path / "typed.json"
    answers_file.write_text(json.dumps(ANSWERS, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("INTIMACY_COURSE_DATA", str(journal_folder))
    monkeypatch.setenv("WORKBOOK_TEST_ANSWERS", str(answers_file))

    notebook = nbformat.read(REFLECTIONS["01_attachment_injury"], as_version=4)
    form_index = next(i for i, c in enumerate(notebook.cells) if "reflection_form(" in c.source)
    notebook.cells.insert(form_index + 1, nbformat.v4.new_code_cell(TYPING_CELL))
    notebook.cells.insert(form_index + 2, nbformat.v4.new_code_cell(REOPEN_CELL))
    execute(notebook, WORKBOOK)

    typed_output = cell_text(notebook.cells[form_index + 1])
    assert re.search(r"Saved 5 answers at \d\d:\d\d \(version 1\)", typed_output), typed_output
    assert "reopened shows the saved answers: True" in cell_text(notebook.cells[form_index + 2])

    # The strongest case really captured the answers: they went through the widgets.
    widget_state = json.dumps(notebook.metadata["widgets"], ensure_ascii=False)
    assert ANSWERS["what_attachment_misses"] in widget_state
    assert json.dumps(ANSWERS["pulling_away"], ensure_ascii=False)[1:-1] in widget_state

    saved = save_as_jupyterlab_does(notebook, tmp_path / "saved.ipynb")
    leaked = [fragment for fragment in secret_fragments() if fragment in saved]
    assert not leaked, f"answers found in the saved notebook: {leaked}"
    assert "Reflection form: Attachment injury" in saved  # the form was displayed

    with Journal(journal_folder) as journal:
        kept = {pid: entry.value for pid, entry in journal.latest("01_attachment_injury").items()}
    assert kept == ANSWERS


@pytest.mark.slow
def test_the_dashboard_is_shown_but_never_saved_into_the_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_folder = tmp_path / "journal"
    with Journal(journal_folder) as journal:
        journal.save("01_attachment_injury", {"how_settled": 2, "what_attachment_misses": "x"})
        journal.save("01_attachment_injury", {"how_settled": 4})
    monkeypatch.setenv("INTIMACY_COURSE_DATA", str(journal_folder))
    notebook = nbformat.read(PROGRESS, as_version=4)
    execute(notebook, WORKBOOK)

    widget_state = json.dumps(notebook.metadata["widgets"])
    assert "progress-summary" in widget_state and "course-figure" in widget_state
    assert "1. Attachment injury: 3 entries, 2 of 5 questions answered" in widget_state

    saved = save_as_jupyterlab_does(notebook, tmp_path / "saved.ipynb")
    for private in ("progress-summary", "course-figure", "image/png", "3 entries", "2 of 5"):
        assert private not in saved
    assert "Your progress dashboard" in saved


# --- the shipped workbook notebooks ----------------------------------------------------


def read_cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


@pytest.mark.parametrize("module", MODULES)
def test_reflection_notebook_has_the_agreed_shape(module: str) -> None:
    cells = read_cells(REFLECTIONS[module])
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    code = [c.source for c in cells if c.cell_type == "code"]
    assert cells[0].source.startswith("# Reflection ")
    assert f"](../course/{module}.ipynb)" in cells[0].source
    safe = next(c.source for c in cells if c.source.startswith("## Go only as deep as feels safe"))
    assert re.search(r"^1\. .+\n2\. .+\n3\. .+\n4\. ", safe, re.MULTILINE)  # numbered steps
    assert "stop at any time" in safe
    form_line = f'form = reflection_form("{module}")'
    assert code == [f"from intimacy_course.forms import reflection_form\n{form_line}"]
    assert "intimacy-course journal where" in markdown and "shared login" in markdown
    assert f"../my_work/{module}/quiz.ipynb" in markdown
    assert "988" in markdown and "116 123" in markdown and "1-800-799-7233" in markdown
    assert "findahelpline.com" in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings.index("## What to do next") < headings.index("## If you need help now")


def test_reflection_pages_link_onwards_in_course_order() -> None:
    for current, following in pairwise(MODULES):
        text = "\n".join(c.source for c in read_cells(REFLECTIONS[current]))
        assert f"../course/{following}.ipynb" in text
    last = "\n".join(c.source for c in read_cells(REFLECTIONS[MODULES[-1]]))
    assert "06_my_progress.ipynb" in last


def test_progress_notebook_calls_the_dashboard_in_one_cell() -> None:
    cells = read_cells(PROGRESS)
    code = [c.source for c in cells if c.cell_type == "code"]
    assert code == ["from intimacy_course.progress import show_progress\nshow_progress()"]
    assert cells[0].source.startswith("# My progress")
    assert "not saved into this notebook" in "\n".join(c.source for c in cells)


@pytest.mark.parametrize("path", [*REFLECTIONS.values(), PROGRESS], ids=lambda p: p.name)
def test_workbook_notebook_is_clean_plain_and_standard(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec == STANDARD_KERNELSPEC
    assert notebook.metadata.language_info == {"name": "python"}
    assert "widgets" not in notebook.metadata
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not re.search(r"^\s*(def|class)\s", cell.source, re.MULTILINE)

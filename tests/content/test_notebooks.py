"""Every course and workbook notebook runs top to bottom, and ships clean.

A trainee's first experience must not be a traceback, and a committed notebook must not
carry someone's outputs (which could hold private answers) or an odd kernel name.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.support.notebook_files import REPO, committed_notebooks, shipped_notebooks
from tests.support.notebooks import error_outputs, run_notebook

STANDARD_KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO)) for p in paths]


def test_the_course_ships_its_notebooks() -> None:
    names = {p.name for p in shipped_notebooks()}
    assert "00_start_here.ipynb" in names


@pytest.mark.parametrize("path", committed_notebooks(), ids=_ids(committed_notebooks()))
def test_notebook_is_committed_without_outputs_and_with_the_standard_kernel(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        index
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"cells {dirty} have outputs or execution counts; clear them before committing"
    )
    assert notebook["metadata"].get("kernelspec") == STANDARD_KERNELSPEC


def widget_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """Errors that widgets swallowed: tracebacks and stderr inside Output widgets, and form
    status lines that report an error. A reflection form and the progress dashboard turn
    every exception into such widget output instead of failing their cell."""
    state = notebook.metadata.get("widgets", {})
    models = state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    problems = []
    for model in models.values():
        fields = model.get("state", {})
        for output in fields.get("outputs", []) or []:
            if output.get("output_type") == "error" or output.get("name") == "stderr":
                problems.append(json.dumps(output)[:2000])
        if "reflection-status-error" in str(fields.get("value", "")):
            problems.append(str(fields["value"])[:2000])
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("path", shipped_notebooks(), ids=_ids(shipped_notebooks()))
def test_notebook_executes_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run it as a learner would, with its own folder as working directory and a fresh journal.

    A cell must not fail, and neither may a widget: an exception inside a reflection form or
    the dashboard shows in the widget, not as a cell error, so widget outputs are read too.
    """
    monkeypatch.setenv("INTIMACY_COURSE_DATA", str(tmp_path / "journal"))
    notebook = nbformat.read(path, as_version=4)
    run_notebook(notebook, path.parent, store_widget_state=True)
    assert not error_outputs(notebook), error_outputs(notebook)
    assert not widget_problems(notebook), widget_problems(notebook)

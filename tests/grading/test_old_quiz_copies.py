"""Does a quiz copy made by an earlier release still run against this version of the package?

A learner's copy in ``my_work/`` is never overwritten, so the import lines written into it
by the release that made it must keep working after every upgrade. The fixture
``tests/fixtures/release_0_1_0/`` is a copy made by release 0.1.0 (flat modules), kept
byte-for-byte as that release wrote it.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from tests.support import REPO
from tests.support.notebooks import run_notebook

RELEASE_0_1_0 = (
    REPO / "tests" / "fixtures" / "release_0_1_0" / "01_attachment_injury" / "quiz.ipynb"
)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """Every ``from intimacy_course... import ...`` in the notebook's code cells."""
    found = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        source = "\n".join(line for line in source.splitlines() if not line.startswith("%"))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "intimacy_course"
            ):
                found.append((node.module or "", [alias.name for alias in node.names]))
    return found


def test_every_name_an_old_copy_imports_still_exists() -> None:
    imports = _imports(RELEASE_0_1_0)
    modules = {module for module, _ in imports}
    assert modules == {"intimacy_course.quiz_answers", "intimacy_course.grading_selfcheck"}
    for module, names in imports:
        namespace: dict[str, object] = {}
        exec(f"from {module} import {', '.join(names)}", namespace)  # raises if gone
        assert set(names) <= set(namespace), (module, names)


@pytest.mark.slow
def test_an_old_copy_runs_and_marks_itself_with_this_package(tmp_path: Path) -> None:
    """Answer the 0.1.0 copy, run it top to bottom as a learner would: no cell fails, the
    form checks read the answers and the self-check cell marks the copy with nbgrader."""
    copy = tmp_path / "my_work" / "01_attachment_injury" / "quiz.ipynb"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(RELEASE_0_1_0, copy)
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("_answer") and cell.cell_type == "code":
            name = grade_id.removesuffix("_answer")
            cell.source = cell.source.replace(f'{name} = ""', f'{name} = "a"', 1)
        elif grade_id.endswith("_answer"):
            cell.source = "My own answer, in my own words."
    nbformat.write(nb, copy)

    run_notebook(nb, copy.parent, timeout=300)

    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors, errors
    printed = [
        "".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"
    ]
    form_checks = [text for text in printed if text.startswith("Question ")]
    assert form_checks and all(
        'reads as "' in text or "is not true or false" in text for text in form_checks
    ), form_checks
    report = printed[-1]
    assert "Marked automatically:" in report, report
    assert "q1 " in report and "Feedback page:" in report, report
    assert (copy.parent / "feedback" / "quiz.html").exists()

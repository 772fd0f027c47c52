"""Keep the course's own notebooks output-free when JupyterLab saves them.

A learner runs ``course/`` and ``workbook/`` notebooks in place. If JupyterLab saved
their outputs and kernel metadata, the clone would look modified and ``git pull`` would
refuse to bring a new version of the course. The nbstripout git filter hides outputs from
``git diff``, but git still sees a file whose size changed. Stripping outputs (and the
metadata a kernel run adds) before the file is written keeps a notebook the learner only
ran byte-for-byte identical to the committed one; edits a learner makes to the text are
kept as their own changes. Quiz copies in ``my_work/`` are the learner's and keep outputs.
"""

from __future__ import annotations

from typing import Any

#: Folders whose notebooks belong to the course and are tracked by git.
COURSE_FOLDERS: tuple[str, ...] = ("course/", "workbook/")

STANDARD_KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}

#: Cell metadata a run or a click adds, which says nothing about the lesson.
_RUN_CELL_METADATA = ("execution", "scrolled", "collapsed", "trusted", "ExecuteTime")


def is_course_notebook(path: str) -> bool:
    """True for a notebook under ``course/`` or ``workbook/`` (server-relative path)."""
    path = path.lstrip("/")
    return path.endswith(".ipynb") and path.startswith(COURSE_FOLDERS)


def strip_run_state(notebook: dict[str, Any]) -> dict[str, Any]:
    """Remove outputs, execution counts and run-only metadata, in place; return it."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata", {})
        for key in _RUN_CELL_METADATA:
            metadata.pop(key, None)
    metadata = notebook.setdefault("metadata", {})
    metadata.pop("widgets", None)
    metadata["kernelspec"] = dict(STANDARD_KERNELSPEC)
    metadata["language_info"] = {"name": "python"}
    return notebook


def strip_course_notebook(
    model: dict[str, Any], path: str, contents_manager: Any = None, **kwargs: Any
) -> None:
    """Jupyter server pre-save hook: strip run state from the course's own notebooks."""
    if model.get("type") == "notebook" and is_course_notebook(path) and model.get("content"):
        strip_run_state(model["content"])

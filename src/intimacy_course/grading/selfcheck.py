"""The self-check cell at the end of a learner's quiz copy.

Kept apart from the grading code and free of heavy imports: the cell also runs (and must
return at once) every time nbgrader executes the notebook, where a slow import would eat
into the cell timeout. The actual check runs as ``intimacy-course check`` in a subprocess,
so nbgrader never starts inside the learner's kernel.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from intimacy_course import settings

QUIZ_FILE = "quiz.ipynb"


def default_feedback_path(path: Path) -> Path:
    """Where ``check`` keeps the feedback page: ``feedback/<name>.html`` next to the quiz."""
    return Path(path).resolve().parent / "feedback" / f"{Path(path).stem}.html"


def _own_notebook() -> Path:
    """The notebook this kernel belongs to (JupyterLab tells the kernel), else ./quiz.ipynb."""
    session = settings.notebook_session()
    if session.endswith(".ipynb") and Path(session).exists():
        return Path(session)
    return Path.cwd() / QUIZ_FILE


def self_check(path: Path | None = None) -> None:
    """Run from the last cell of a quiz copy: check the saved notebook, print the results.

    Does nothing while nbgrader itself executes the notebook (autograde, validate), which it
    signals with NBGRADER_EXECUTION; otherwise grading would start grading again.
    """
    if settings.under_nbgrader():
        return
    notebook = Path(path) if path else _own_notebook()
    print(
        f"Marking a copy of the saved notebook {notebook.name} (this takes about half a minute)...",
        flush=True,
    )
    run = subprocess.run(
        [sys.executable, "-m", "intimacy_course.cli", "check", str(notebook)],
        capture_output=True,
        text=True,
        env=settings.environment_with_tools(),
    )
    print(run.stdout.rstrip())
    if run.returncode:
        print(run.stderr.strip()[-2000:])
        return
    feedback = default_feedback_path(notebook)
    if feedback.exists():
        try:
            from IPython.display import Markdown, display

            relative = feedback.relative_to(notebook.resolve().parent)
            display(Markdown(f"[Open your feedback page]({relative.as_posix()})"))
        except (ImportError, ValueError):
            pass

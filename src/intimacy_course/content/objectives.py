"""Read a module's learning objectives from its notebook, so quiz items can name them.

Each module notebook has a ``## Learning objectives`` section with a numbered list, and the
items files refer to objectives by number (CONTENT.md). Reading the text from the module
itself keeps the quiz's "Checks learning objective 2: ..." line in step with the wording
the learner actually read.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from intimacy_course.paths import course_dir

_HEADING = re.compile(r"^##\s+Learning objectives\s*$", re.IGNORECASE | re.MULTILINE)
_NEXT_HEADING = re.compile(r"^#{1,2}\s", re.MULTILINE)
_NUMBERED = re.compile(r"^\s{0,3}(\d+)[.)]\s+(.*\S)\s*$")


def module_notebook(module: str, root: Path | None = None) -> Path:
    """The teaching notebook of ``module``, ``course/NN_topic.ipynb``."""
    return (root or course_dir()) / f"{module}.ipynb"


def _section_text(notebook: Path) -> str | None:
    nb = nbformat.read(notebook, as_version=4)
    collected: list[str] = []
    inside = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if not inside:
            match = _HEADING.search(source)
            if not match:
                continue
            inside = True
            source = source[match.end() :]
        following = _NEXT_HEADING.search(source)
        if following:
            collected.append(source[: following.start()])
            break
        collected.append(source)
    return "\n".join(collected) if inside else None


def parse_objectives(text: str) -> dict[int, str]:
    """Numbered list items in ``text`` as {number: text}; continuation lines are joined."""
    objectives: dict[int, str] = {}
    current: int | None = None
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match:
            current = int(match.group(1))
            objectives[current] = match.group(2)
        elif current is not None and line.strip() and line.startswith((" ", "\t")):
            objectives[current] += " " + line.strip()
        elif not line.strip():
            continue
        else:
            current = None
    return objectives


def learning_objectives(module: str, root: Path | None = None) -> dict[int, str] | None:
    """The module's numbered objectives, or None when the notebook or its section is missing."""
    notebook = module_notebook(module, root)
    if not notebook.exists():
        return None
    text = _section_text(notebook)
    if text is None:
        return None
    return parse_objectives(text)

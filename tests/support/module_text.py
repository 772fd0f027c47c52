"""Reading the course's module notebooks as a learner would: headings, prose, code.

Shared by the structure, readability and sources tests so that "the teaching prose of a
module" means the same thing in each: every markdown cell except the generated ones (the
References cell, and the "If you need help now" and "Find support" blocks generated from
source_texts/ by :mod:`intimacy_course.content.help_now`), with markdown syntax and citation
keys removed. Generated text is the same on every page and is not the module's teaching, so
it counts towards neither the 1,500-3,000 word range nor the reading grade.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from intimacy_course import paths
from intimacy_course.content.help_now import is_generated_cell
from tests.support import REPO

COURSE = REPO / "course"
START_HERE = "00_start_here"

#: The five modules and, where relevant, the start page, as (name, path) pairs.
MODULE_NOTEBOOKS = {name: COURSE / f"{name}.ipynb" for name in paths.MODULES}
ALL_COURSE_NOTEBOOKS = {START_HERE: COURSE / f"{START_HERE}.ipynb", **MODULE_NOTEBOOKS}

_NOT_PROSE_HEADINGS = ("## References", "## If you need help now")
_CITATION = re.compile(r"\s*\[(?:R\d|S\d|C\d)[^\[\]\n]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*")


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` (nbformat v4)."""
    return nbformat.read(str(path), as_version=4)


def markdown_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def sections(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Markdown under each level-2 heading (up to the next one), keyed by heading text."""
    found: dict[str, str] = {}
    current: str | None = None
    for source in markdown_cells(notebook):
        for line in source.splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                found[current] = ""
            elif current is not None:
                found[current] += line + "\n"
    return found


def plain_text(markdown: str) -> str:
    """Markdown as plain sentences: no citation keys, link targets, emphasis or list marks.

    Headings, list items and table rows become sentences of their own (a full stop is added
    when they have none), so that readability formulas do not see one endless sentence.
    """
    text = _CITATION.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"[*_]{1,3}([^*_\n]+)[*_]{1,3}", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)", "", line).strip()
        line = line.strip("|").replace("|", ". ")
        if not line or set(line) <= set("-: ."):
            lines.append("")
            continue
        if not re.search(r"[.!?:;\"')]$", line):
            line += "."
        lines.append(line)
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def teaching_markdown(notebook: nbformat.NotebookNode) -> str:
    """All markdown except the References cell and the generated help and support blocks."""
    return "\n\n".join(
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        and not is_generated_cell(cell)
        and not cell.source.lstrip().startswith(_NOT_PROSE_HEADINGS)
    )


def teaching_prose(notebook: nbformat.NotebookNode) -> str:
    """The module's teaching as plain text (see :func:`plain_text`)."""
    return plain_text(teaching_markdown(notebook))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))

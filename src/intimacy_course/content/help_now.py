"""The course's one "If you need help now" section and one "Find support" list, kept current.

Crisis help must say the same thing on every page: a learner who meets 988 in one module and
an older list in the next cannot tell which to trust. So each text has one source file, and
every place that shows it is generated from that file and checked by a test:

=================================  ===========================================================
``source_texts/help_now.md``       the last cell of every course notebook (``course/*.ipynb``)
                                   and of every workbook notebook (``workbook/*.ipynb``; added
                                   at the end where missing); the block between
                                   ``<!-- help-now -->`` and ``<!-- /help-now -->`` in every
                                   facilitator guide (``grading/facilitator/NN_topic.md``),
                                   its heading one level below the guide's heading above it;
                                   the same markers in ``README.md``, under its title;
                                   the quiz header (built by :mod:`intimacy_course.quiz.generate`
                                   from the same file); the reflection form's check-in panel.
``source_texts/finding_support.md`` a cell of its own at the end of each course notebook's
                                   "Next steps" (on the start page, "Start here"), just before
                                   "References".
=================================  ===========================================================

A generated notebook cell is found by its first line, the heading its source file starts
with (``## If you need help now``, ``### Find support``), and ends with an HTML comment
(invisible on the page) that names the source file. Edit the source file, never a copy.

Command line (from the repository root)::

    python -m intimacy_course.content.help_now update   # rewrite every copy
    python -m intimacy_course.content.help_now check    # exit 1 and list stale copies

``python -m intimacy_course.sources update|check`` runs these too.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from intimacy_course import paths
from intimacy_course.errors import CourseError

__all__ = [
    "FINDING_SUPPORT",
    "GENERATED_CLOSE",
    "GENERATED_OPEN",
    "HELP_NOW",
    "Block",
    "HelpTextError",
    "check",
    "course_notebooks",
    "facilitator_guides",
    "generated_heading",
    "grounding_steps",
    "guide_block",
    "is_generated_cell",
    "main",
    "marked_pages",
    "update",
    "workbook_notebooks",
]

#: The guides' markers around the generated help section (the first is placed by the writer).
GENERATED_OPEN = "<!-- help-now -->"
GENERATED_CLOSE = "<!-- /help-now -->"

_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
_HEADING = re.compile(r"^(#{1,6})\s+\S")


class HelpTextError(CourseError, ValueError):
    """A help or support source file, or a place that shows it, is not as this module expects."""


@dataclass(frozen=True)
class Block:
    """One generated text: its source file and the heading that starts it."""

    name: str
    source: Path  # relative to the repository root
    heading: str

    def text(self, root: Path | None = None) -> str:
        """The source file's text, stripped; raises if it does not start with the heading."""
        path = (root or paths.repo_root()) / self.source
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError as missing:
            raise HelpTextError(
                f"{self.source} is missing; it is the one source of the {self.name} text."
            ) from missing
        if text.splitlines()[0].strip() != self.heading:
            raise HelpTextError(
                f"{self.source} must start with the line {self.heading!r}: it is how every "
                "generated copy is found."
            )
        return text

    def note(self) -> str:
        """The invisible line that ends every notebook copy."""
        return (
            f"<!-- Generated from {self.source.as_posix()}: edit that file, then run "
            "`python -m intimacy_course.sources update`. -->"
        )

    def cell_source(self, root: Path | None = None) -> str:
        """What a notebook cell showing this block contains."""
        return f"{self.text(root)}\n\n{self.note()}"


HELP_NOW = Block("help-now", Path("source_texts") / "help_now.md", "## If you need help now")
FINDING_SUPPORT = Block(
    "find-support", Path("source_texts") / "finding_support.md", "### Find support"
)
_BLOCKS = (HELP_NOW, FINDING_SUPPORT)


# --------------------------------------------------------------------------------------------
# Where the blocks go


def course_notebooks(root: Path | None = None) -> list[Path]:
    """``course/NN_*.ipynb``: the start page and the five modules."""
    return sorted(((root or paths.repo_root()) / "course").glob(_NOTEBOOK_GLOB))


def workbook_notebooks(root: Path | None = None) -> list[Path]:
    """``workbook/NN_*.ipynb``: the five reflection pages and the progress page."""
    return sorted(((root or paths.repo_root()) / "workbook").glob(_NOTEBOOK_GLOB))


def facilitator_guides(root: Path | None = None) -> list[Path]:
    """``grading/facilitator/NN_*.md``: one guide per module."""
    folder = (root or paths.repo_root()) / "grading" / "facilitator"
    return sorted(folder.glob("[0-9][0-9]_*.md"))


def marked_pages(root: Path | None = None) -> list[Path]:
    """Markdown pages that hold the help section between markers: README and the guides."""
    return [(root or paths.repo_root()) / "README.md", *facilitator_guides(root)]


def _first_line(source: str) -> str:
    stripped = source.strip()
    return stripped.splitlines()[0].strip() if stripped else ""


def is_generated_cell(cell: nbformat.NotebookNode) -> bool:
    """Whether a notebook cell is a generated help or support block (not teaching prose)."""
    return cell.get("cell_type") == "markdown" and _first_line(cell.get("source", "")) in {
        block.heading for block in _BLOCKS
    }


def _indices(notebook: nbformat.NotebookNode, block: Block) -> list[int]:
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and _first_line(cell.source) == block.heading
    ]


def _references_index(notebook: nbformat.NotebookNode) -> int | None:
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and _first_line(cell.source) == "## References":
            return index
    return None


def _new_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    # nbformat makes a random id; a stable one keeps `update` repeatable and diffs small.
    cell.id = "help-now" if source.startswith(HELP_NOW.heading) else "find-support"
    return cell


def _expected_notebook(
    path: Path, notebook: nbformat.NotebookNode, root: Path | None, in_course: bool
) -> list[str]:
    """Put every block the notebook should show in place; return problems it cannot fix."""
    problems: list[str] = []
    blocks = (HELP_NOW, FINDING_SUPPORT) if in_course else (HELP_NOW,)
    for block in blocks:
        indices = _indices(notebook, block)
        source = block.cell_source(root)
        if len(indices) > 1:
            problems.append(f"{path}: {len(indices)} cells start with {block.heading!r}; keep one.")
            continue
        if indices:
            notebook.cells[indices[0]].source = source
        elif block is HELP_NOW:
            notebook.cells.append(_new_cell(source))  # the help section ends every page
        else:
            references = _references_index(notebook)
            if references is None:
                problems.append(
                    f"{path}: no '## References' cell, so there is no place for "
                    f"{block.heading!r} (it goes just before References)."
                )
                continue
            notebook.cells.insert(references, _new_cell(source))
    return problems


def _write(path: Path, notebook: nbformat.NotebookNode) -> None:
    text = nbformat.writes(notebook)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def generated_heading(markdown: str, marker_line: int, block: Block = HELP_NOW) -> str:
    """The block's heading at one level below the last heading above ``marker_line``."""
    level = 1
    fenced = False
    for line in markdown.splitlines()[:marker_line]:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            level = len(match.group(1))
    hashes = "#" * min(level + 1, 6)
    return f"{hashes} {block.heading.lstrip('#').strip()}"


def guide_block(markdown: str, marker_line: int, root: Path | None = None) -> list[str]:
    """The lines that belong between a guide's markers (the markers themselves excluded)."""
    body = HELP_NOW.text(root).splitlines()[1:]
    return [
        f"<!-- Generated from {HELP_NOW.source.as_posix()} by "
        "`python -m intimacy_course.sources update`; edit that file, not this block. -->",
        "",
        generated_heading(markdown, marker_line),
        *body,
        "",
    ]


def _expected_guide(path: Path, markdown: str, root: Path | None) -> tuple[str, list[str]]:
    lines = markdown.splitlines()
    opens = [index for index, line in enumerate(lines) if line.strip() == GENERATED_OPEN]
    if len(opens) != 1:
        return markdown, [
            f"{path}: the line {GENERATED_OPEN} must appear exactly once "
            f"(found {len(opens)}); it marks where the help section goes."
        ]
    start = opens[0]
    closes = [
        index
        for index, line in enumerate(lines)
        if line.strip() == GENERATED_CLOSE and index > start
    ]
    end = closes[0] if closes else start + 1  # no closing marker yet: insert after the opening
    block = guide_block(markdown, start, root)
    new_lines = [*lines[: start + 1], *block, GENERATED_CLOSE, *lines[end + (1 if closes else 0) :]]
    text = "\n".join(new_lines)
    return (text + "\n" if markdown.endswith("\n") else text), []


# --------------------------------------------------------------------------------------------
# Update and check


def _places(root: Path | None) -> list[tuple[str, Path]]:
    return [
        *(("course", path) for path in course_notebooks(root)),
        *(("workbook", path) for path in workbook_notebooks(root)),
        *(("guide", path) for path in marked_pages(root)),
    ]


def _expected(kind: str, path: Path, root: Path | None) -> tuple[str, list[str]]:
    current = path.read_text(encoding="utf-8")
    if kind == "guide":
        return _expected_guide(path, current, root)
    notebook = nbformat.reads(current, as_version=4)
    problems = _expected_notebook(path, notebook, root, in_course=kind == "course")
    text = nbformat.writes(notebook)
    return (text if text.endswith("\n") else text + "\n"), problems


def update(root: Path | None = None) -> tuple[list[Path], list[str]]:
    """Rewrite every stale copy; return (files changed, problems that need a person)."""
    changed: list[Path] = []
    problems: list[str] = []
    for block in _BLOCKS:
        block.text(root)  # a broken source stops everything before any file is touched
    for kind, path in _places(root):
        expected, found = _expected(kind, path, root)
        problems.extend(found)
        if not found and expected != path.read_text(encoding="utf-8"):
            path.write_text(expected, encoding="utf-8")
            changed.append(path)
    return changed, problems


def check(root: Path | None = None) -> list[str]:
    """Every place whose copy is stale or missing, as readable lines (empty when current)."""
    problems: list[str] = []
    for block in _BLOCKS:
        try:
            block.text(root)
        except HelpTextError as problem:
            problems.append(str(problem))
    if problems:
        return problems
    for kind, path in _places(root):
        expected, found = _expected(kind, path, root)
        problems.extend(found)
        if not found and expected != path.read_text(encoding="utf-8"):
            problems.append(
                f"{path}: the help or support text is not the current copy of "
                "source_texts/; run `python -m intimacy_course.sources update`."
            )
    return problems


# --------------------------------------------------------------------------------------------
# The grounding steps a reflection page already shows


_GROUNDING_HEADING = "## Go only as deep as feels safe"
_STEP = re.compile(r"^\d+\.\s+\S")


def grounding_steps(module: str, root: Path | None = None) -> str:
    """The numbered grounding steps of ``module``'s reflection page, as markdown.

    The reflection form repeats them when a learner says they feel unsettled, so that the
    steps are right beside the check-in and stay the ones the page itself teaches. Empty
    when the page or its steps cannot be found (the form then points to the page's top).
    """
    path = (root or paths.repo_root()) / "workbook" / f"{module}_reflection.ipynb"
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except (OSError, ValueError):
        return ""
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or _first_line(cell.source) != _GROUNDING_HEADING:
            continue
        steps: list[str] = []
        for line in cell.source.splitlines():
            if _STEP.match(line):
                steps.append(line.rstrip())
            elif steps:
                break
        return "\n".join(steps)
    return ""


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    """``update`` or ``check`` every copy of the help and support texts."""
    parser = argparse.ArgumentParser(
        prog="python -m intimacy_course.content.help_now",
        description="Regenerate or check every copy of source_texts/help_now.md and "
        "source_texts/finding_support.md.",
    )
    parser.add_argument("action", choices=("update", "check"))
    args = parser.parse_args(argv)
    try:
        if args.action == "update":
            changed, problems = update()
            for path in changed:
                print(f"updated  {path}")
        else:
            problems = check()
    except HelpTextError as problem:
        problems = [str(problem)]
    for line in problems:
        print(f"help_now: {line}", file=sys.stderr)
    if not problems and args.action == "check":
        print("Every help and support section is the current copy of source_texts/.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

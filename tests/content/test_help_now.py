"""Does every page say the same thing about crisis help and support, from one source each?

``source_texts/help_now.md`` is the course's one "If you need help now" section and
``source_texts/finding_support.md`` its one "Find support" list. These tests ask what a
reviewer would: is every copy (course and workbook notebooks, README, facilitator guides, quiz
header) the current text, does each sit where a reader looks for it, does the section name
every line issue 15 asks for, and does ``update`` really repair a stale or missing copy (on
a scratch copy of the repository, never the real one)?
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from intimacy_course.content import help_now
from intimacy_course.content.help_now import (
    FINDING_SUPPORT,
    GENERATED_CLOSE,
    GENERATED_OPEN,
    HELP_NOW,
    check,
    course_notebooks,
    facilitator_guides,
    grounding_steps,
    marked_pages,
    update,
    workbook_notebooks,
)
from intimacy_course.paths import MODULES
from intimacy_course.quiz.generate import build_header
from tests.support import REPO

COURSE = course_notebooks(REPO)
WORKBOOK = workbook_notebooks(REPO)
GUIDES = facilitator_guides(REPO)
PAGES = marked_pages(REPO)  # README.md and the guides


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(REPO)) for path in paths]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _first_lines(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        for cell in notebook.cells
    ]


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A copy of the parts of the repository that ``update`` writes to, and its sources."""
    for folder in ("course", "workbook", "source_texts", "grading/facilitator"):
        shutil.copytree(
            REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("calibration")
        )
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    return tmp_path


# ---------------------------------------------------------------------------------------------
# The places are current


def test_every_copy_is_current() -> None:
    problems = check(REPO)
    assert not problems, "\n".join(problems)


def test_there_are_eighteen_places_plus_the_quiz_header() -> None:
    assert (len(COURSE), len(WORKBOOK), len(GUIDES), len(PAGES)) == (6, 6, 5, 6)


@pytest.mark.parametrize("path", COURSE + WORKBOOK, ids=_ids(COURSE + WORKBOOK))
def test_each_notebook_ends_with_the_one_help_section(path: Path) -> None:
    notebook = _read(path)
    firsts = _first_lines(notebook)
    assert firsts.count(HELP_NOW.heading) == 1, f"{path.name}: one help section, found {firsts}"
    last = notebook.cells[-1]
    assert last.cell_type == "markdown" and last.source == HELP_NOW.cell_source(REPO), (
        f"{path.name}: the last cell must be the generated help section"
    )


@pytest.mark.parametrize("path", COURSE, ids=_ids(COURSE))
def test_find_support_closes_next_steps_just_before_the_references(path: Path) -> None:
    notebook = _read(path)
    firsts = _first_lines(notebook)
    assert firsts.count(FINDING_SUPPORT.heading) == 1, f"{path.name}: {firsts}"
    index = firsts.index(FINDING_SUPPORT.heading)
    assert firsts[index + 1] == "## References", f"{path.name}: {firsts[index:]}"
    previous = [line for line in firsts[:index] if line.startswith("## ")][-1]
    expected = "## Start here" if path.stem == "00_start_here" else "## Next steps"
    assert previous == expected, f"{path.name}: Find support sits under {previous!r}"
    assert notebook.cells[index].source == FINDING_SUPPORT.cell_source(REPO)


@pytest.mark.parametrize("path", COURSE + WORKBOOK, ids=_ids(COURSE + WORKBOOK))
def test_no_other_cell_keeps_an_old_pasted_copy(path: Path) -> None:
    """A hand-pasted list elsewhere would drift from the source: only generated cells carry one."""
    notebook = _read(path)
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or help_now.is_generated_cell(cell):
            continue
        for marker in ("1-800-799-7233", "116 123", "1-800-656-4673", "We endorse none"):
            assert marker not in cell.source, (
                f"{path.name}: {marker!r} outside the generated sections:\n{cell.source}"
            )


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_page_holds_the_section_between_its_markers_one_level_down(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(GENERATED_OPEN) == 1 and text.count(GENERATED_CLOSE) == 1
    before, rest = text.split(GENERATED_OPEN)
    inside = rest.split(GENERATED_CLOSE)[0]
    heading_above = [line for line in before.splitlines() if re.match(r"^#{1,6} ", line)][-1]
    level = len(heading_above.split()[0])
    assert f"\n{'#' * (level + 1)} If you need help now\n" in inside, (
        f"{path.name}: the heading should sit one level below {heading_above!r}"
    )
    body = "\n".join(HELP_NOW.text(REPO).splitlines()[1:]).strip()
    assert body in inside


def test_quiz_header_shows_the_same_section() -> None:
    """The header nbgrader prepends to every quiz, as built and as committed."""
    built = [cell.source for cell in build_header(REPO).cells]
    committed = [cell.source for cell in _read(REPO / "grading" / "source" / "header.ipynb").cells]
    assert HELP_NOW.text(REPO) in built
    assert HELP_NOW.text(REPO) in committed


# ---------------------------------------------------------------------------------------------
# The sources say what they must


@pytest.mark.parametrize(
    "line",
    [
        "**988**",
        "**911**",
        "**116 123**",
        "**1-800-799-7233**",
        "**1-800-656-4673**",
        "[findahelpline.com](https://findahelpline.com)",
        "it is fine to stop here",
    ],
)
def test_help_section_names_every_line_issue_15_asks_for(line: str) -> None:
    assert line in HELP_NOW.text(REPO)


@pytest.mark.parametrize(
    "name",
    [
        "AASECT",
        "COSRT",
        "IITAP",
        "ICEEFT",
        "Sex Addicts Anonymous",
        "SMART Recovery",
        "S-Anon",
        "COSA",
        "APSATS",
    ],
)
def test_find_support_names_directories_and_groups_for_both_partners(name: str) -> None:
    assert name in FINDING_SUPPORT.text(REPO)


@pytest.mark.parametrize("module", MODULES)
def test_each_reflection_page_has_grounding_steps_for_the_form(module: str) -> None:
    steps = grounding_steps(module, REPO).splitlines()
    assert len(steps) >= 4, f"{module}: the form found no grounding steps on its page"
    assert all(re.match(r"^\d+\. \S", step) for step in steps), steps


# ---------------------------------------------------------------------------------------------
# update repairs, check notices


def test_check_notices_an_edited_copy_and_update_restores_it(scratch_repo: Path) -> None:
    module = scratch_repo / "course" / "04_validation_vs_judgment.ipynb"
    notebook = _read(module)
    notebook.cells[-1].source = notebook.cells[-1].source.replace("**911**", "**999**")
    nbformat.write(notebook, str(module))
    assert any("04_validation_vs_judgment" in line for line in check(scratch_repo))
    changed, problems = update(scratch_repo)
    assert (changed, problems) == ([module], [])
    assert check(scratch_repo) == []


def test_a_changed_source_reaches_every_place(scratch_repo: Path) -> None:
    source = scratch_repo / HELP_NOW.source
    source.write_text(
        source.read_text(encoding="utf-8") + "\n- **A new line:** call 000.\n", encoding="utf-8"
    )
    stale = check(scratch_repo)
    assert len(stale) == 18, "\n".join(stale)
    changed, problems = update(scratch_repo)
    assert len(changed) == 18 and not problems
    assert check(scratch_repo) == []
    for path in changed:
        assert "call 000." in path.read_text(encoding="utf-8"), path.name


def test_update_adds_missing_sections_and_closes_an_open_marker(scratch_repo: Path) -> None:
    progress = scratch_repo / "workbook" / "06_my_progress.ipynb"
    notebook = _read(progress)
    notebook.cells = notebook.cells[:-1]
    nbformat.write(notebook, str(progress))
    module = scratch_repo / "course" / "02_acting_out.ipynb"
    notebook = _read(module)
    notebook.cells = [c for c in notebook.cells if not help_now.is_generated_cell(c)]
    nbformat.write(notebook, str(module))
    guide = scratch_repo / "grading" / "facilitator" / "03_dopamine_and_numbing.md"
    text = guide.read_text(encoding="utf-8")
    start, end = text.index(GENERATED_OPEN), text.index(GENERATED_CLOSE)
    guide.write_text(
        text[: start + len(GENERATED_OPEN)] + text[end + len(GENERATED_CLOSE) :],
        encoding="utf-8",
    )
    assert len(check(scratch_repo)) == 3
    update(scratch_repo)
    assert check(scratch_repo) == []
    assert _first_lines(_read(progress))[-1] == HELP_NOW.heading
    assert _first_lines(_read(module))[-3:] == [
        FINDING_SUPPORT.heading,
        "## References",
        HELP_NOW.heading,
    ]


def test_update_is_quiet_when_everything_is_current(scratch_repo: Path) -> None:
    assert update(scratch_repo) == ([], [])


def test_a_source_without_its_heading_is_refused(scratch_repo: Path) -> None:
    source = scratch_repo / FINDING_SUPPORT.source
    source.write_text("**Find support.** Lists.\n", encoding="utf-8")
    problems = check(scratch_repo)
    assert problems and "must start with the line '### Find support'" in problems[0]
    with pytest.raises(help_now.HelpTextError):
        update(scratch_repo)

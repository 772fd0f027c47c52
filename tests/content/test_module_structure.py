"""Does every module notebook follow the one skeleton a learner can rely on? (CONTENT.md)

Each module opens with its title and a written/reviewed line, keeps the same level-2
headings in the same order, states numbered objectives the quiz can refer to, shows at
least two described figures, teaches in 1,500-3,000 words, links to its reflection and
quiz, keeps code to one-line helper calls, and is committed without outputs.
"""

from __future__ import annotations

import re

import pytest

from tests.support.module_text import (
    MODULE_NOTEBOOKS,
    code_cells,
    markdown_cells,
    read,
    sections,
    teaching_prose,
    word_count,
)

MODULES = sorted(MODULE_NOTEBOOKS)
FIRST = ["Content note", "Learning objectives"]
LAST = [
    "What the evidence says",
    "Case vignette",
    "For counselors",
    "Summary in plain language",
    "Next steps",
    "References",
    "If you need help now",
]
REVIEW_LINE = re.compile(
    r"^\*Written \d{4}-\d{2}-\d{2} · Last reviewed \d{4}-\d{2}-\d{2} · [^*]+\.\*$", re.MULTILINE
)


@pytest.fixture(params=MODULES)
def module(request: pytest.FixtureRequest) -> tuple[str, object]:
    name = request.param
    path = MODULE_NOTEBOOKS[name]
    assert path.exists(), f"{path.relative_to(path.parents[1])} does not exist yet."
    return name, read(path)


def test_title_and_review_line(module) -> None:
    name, notebook = module
    first = notebook.cells[0]
    number = int(name[:2])
    assert first.cell_type == "markdown", f"{name}: the first cell must be the markdown title."
    assert re.match(rf"^# Module {number}: \S", first.source), (
        f"{name}: the first line must be '# Module {number}: Title', not {first.source.splitlines()[0]!r}."
    )
    assert REVIEW_LINE.search(first.source), (
        f"{name}: the title cell needs the line "
        "'*Written YYYY-MM-DD · Last reviewed YYYY-MM-DD · Not yet reviewed by a licensed clinician.*'"
    )


def test_level_two_headings_in_contract_order(module) -> None:
    name, notebook = module
    headings = [
        h
        for source in markdown_cells(notebook)
        for h in re.findall(r"^## (.+)$", source, re.MULTILINE)
    ]
    last = list(LAST)
    if name.startswith("03_"):
        last.insert(1, "What we don't know")
    assert headings[:2] == FIRST, (
        f"{name}: the module must start with {FIRST}, found {headings[:2]}."
    )
    assert headings[-len(last) :] == last, (
        f"{name}: the module must end with {last}, found {headings[-len(last) :]}."
    )
    teaching = headings[2 : -len(last)]
    assert len(teaching) >= 2, (
        f"{name}: expected several teaching sections between objectives and evidence, found {teaching}."
    )
    assert not set(teaching) & set(FIRST + last), (
        f"{name}: a contract heading appears twice: {teaching}."
    )


def test_each_level_two_heading_starts_its_own_cell(module) -> None:
    name, notebook = module
    for source in markdown_cells(notebook):
        later = [line for line in source.splitlines()[1:] if line.startswith("## ")]
        assert not later, f"{name}: heading {later[0]!r} must start its own markdown cell."


def test_three_to_five_numbered_objectives(module) -> None:
    name, notebook = module
    body = sections(notebook)["Learning objectives"]
    numbers = [int(n) for n in re.findall(r"^(\d+)\. \S", body, re.MULTILINE)]
    assert 3 <= len(numbers) <= 5, (
        f"{name}: expected 3-5 numbered objectives, found {len(numbers)}."
    )
    assert numbers == list(range(1, len(numbers) + 1)), (
        f"{name}: objectives must be numbered 1..n, found {numbers}."
    )


def test_at_least_two_figures_with_alt_text(module) -> None:
    name, notebook = module
    calls = [
        line
        for code in code_cells(notebook)
        for line in code.splitlines()
        if "show_figure(" in line
    ]
    assert len(calls) >= 2, (
        f"{name}: expected at least two show_figure(...) calls, found {len(calls)}."
    )
    for call in calls:
        assert re.search(r"alt\s*=\s*(\"[^\"]{20,}\"|'[^']{20,}')", call), (
            f"{name}: give this figure a real alt text: {call}"
        )


def test_teaching_prose_length(module) -> None:
    name, notebook = module
    words = word_count(teaching_prose(notebook))
    assert 1500 <= words <= 3000, (
        f"{name}: teaching prose has {words} words; the contract asks for 1,500-3,000."
    )


def test_next_steps_link_reflection_and_quiz(module) -> None:
    name, notebook = module
    body = sections(notebook)["Next steps"]
    for target in (f"../workbook/{name}_reflection.ipynb", f"../my_work/{name}/quiz.ipynb"):
        assert f"]({target})" in body, f"{name}: Next steps must link to {target}."


def test_code_cells_only_call_helpers(module) -> None:
    name, notebook = module
    for code in code_cells(notebook):
        assert not re.search(r"^\s*(async\s+def|def|class)\s", code, re.MULTILINE), (
            f"{name}: notebooks import helpers; they never define functions or classes:\n{code}"
        )


def test_committed_without_outputs(module) -> None:
    name, notebook = module
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], (
                f"{name}: cell {index} has outputs; strip them before committing."
            )
            assert cell.execution_count is None, f"{name}: cell {index} has an execution count."
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{name}: kernelspec must be python3."
    )

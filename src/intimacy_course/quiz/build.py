"""Bank version 1: the typed-answer quizzes that learners' older copies were made from.

The course's quizzes are now built from bank version 2 (:mod:`intimacy_course.quiz.generate`).
This module stays for the copies release 0.1.0 made: ``intimacy-course check`` rebuilds such a
copy's source quiz from ``grading/items/v1/NN_topic.toml`` to mark it against what it was made
from, and tests build version-1 courses with it.

Cells per item (grade ids in brackets):

- multiple choice / true-false: question, read-only [qN_question]; answer cell [qN_answer]
  holding ``qN = ""`` and the solution; test cell [qN_test] whose visible part only checks
  the answer's *form* and whose grading sits entirely inside ``### BEGIN HIDDEN TESTS``.
  The released notebook therefore holds no key, no visible assert and no hash.
- short answer: the question as an nbgrader *task* cell [qN_question] worth 0 points whose
  ``=== BEGIN MARK SCHEME ===`` region holds the rubric and model answer (nbgrader allows mark
  schemes only in task cells; formgrader shows this cell to the grader, the release drops
  the region), then a hand-graded markdown answer cell [qN_answer] carrying the points.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from intimacy_course.content.objectives import learning_objectives
from intimacy_course.paths import grading_dir
from intimacy_course.quiz.generate import notebook_text, stale_in, write_stale
from intimacy_course.quiz.items import Item, Quiz, load_all, load_quiz

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
SCHEMA_VERSION = 3
HEADER_NAME = "header.ipynb"

ANSWER_INSTRUCTIONS = {
    "multiple_choice": "Type the letter of your answer between the quotes in the cell below, "
    "then run it (Shift+Enter) and the cell after it.",
    "true_false": "Type **true** or **false** between the quotes in the cell below, "
    "then run it (Shift+Enter) and the cell after it.",
    "short_answer": "Write your answer in the cell below: double-click it, replace "
    "YOUR ANSWER HERE with your own words, then press Shift+Enter.",
}


def _meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    task: bool = False,
    points: int | None = None,
) -> dict[str, object]:
    nbgrader: dict[str, object] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": task,
    }
    if points is not None:
        nbgrader["points"] = points
    return {"nbgrader": nbgrader}


def _markdown(source: str, grade_id: str, **flags: object) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source.strip())
    cell.metadata = _meta(grade_id, **flags)  # type: ignore[arg-type]
    return cell


def _code(source: str, grade_id: str, **flags: object) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.metadata = _meta(grade_id, **flags)  # type: ignore[arg-type]
    return cell


def python_string(text: str, indent: str = "    ", width: int = 88) -> str:
    """``text`` as a parenthesised Python string literal wrapped over lines (no escapes lost)."""
    text = " ".join(text.split())
    chunks = textwrap.wrap(
        text, width=width - len(indent) - 4, drop_whitespace=False, break_on_hyphens=False
    ) or [""]
    return "(\n" + "\n".join(indent + repr(chunk) for chunk in chunks) + "\n)"


def _objective_line(item: Item, objectives: dict[int, str] | None) -> str:
    text = (objectives or {}).get(item.objective)
    if text:
        return f"*Checks learning objective {item.objective}: {text}*"
    return f"*Checks learning objective {item.objective} of this module.*"


def _points(points: int) -> str:
    return f"{points} point" + ("" if points == 1 else "s")


def _question_text(item: Item, objectives: dict[int, str] | None) -> str:
    marking = "marked by your instructor" if item.kind == "short_answer" else "marked automatically"
    lines = [
        f"### Question {item.number} ({_points(item.points)}, {marking})",
        "",
        _objective_line(item, objectives),
        "",
    ]
    if item.kind == "true_false":
        statement = _TRUE_OR_FALSE.sub("", item.question, count=1)
        statement = statement[:1].upper() + statement[1:]
        lines += ["Is this statement true or false?", "", "> " + statement.replace("\n", "\n> ")]
    else:
        lines.append(item.question)
    if item.kind == "multiple_choice":
        lines.append("")
        lines += [f"- **{letter})** {text}" for letter, text in item.options.items()]
    lines += ["", ANSWER_INSTRUCTIONS[item.kind]]
    return "\n".join(lines)


_TRUE_OR_FALSE = re.compile(r"^\s*true or false\s*[:?.]?\s*", re.IGNORECASE)


def _correct_text(item: Item) -> str:
    if item.kind == "multiple_choice":
        return f"The right answer is {item.answer}) {item.options[item.answer]}."
    return f"The statement is {item.answer}."


def _autograded_cells(item: Item, objectives: dict[int, str] | None) -> list[NotebookNode]:
    name = item.id
    if item.kind == "multiple_choice":
        letters = "".join(item.choices)
        what = "one letter: " + ", ".join(letters[:-1]) + " or " + letters[-1]
        check = f'check_choice("{name}", "{letters}")'
        graded = f'choice_answer("{name}", "{letters}")'
        imports = ("check_choice", "choice_answer")
    else:
        what = "true or false"
        check = f'check_true_false("{name}")'
        graded = f'true_false_answer("{name}")'
        imports = ("check_true_false", "true_false_answer")
    answer = "\n".join(
        [
            f"# Question {item.number}: your answer is {what}.",
            f'{name} = ""',
            "### BEGIN SOLUTION",
            f'{name} = "{item.answer}"',
            "### END SOLUTION",
        ]
    )
    message = f"{_correct_text(item)} Why: {item.explanation}"
    test = "\n".join(
        [
            "# Checks only that your answer can be read. Whether it is right is shown when the quiz is graded.",
            f"from intimacy_course.quiz_answers import {imports[0]}",
            check,
            "### BEGIN HIDDEN TESTS",
            f"from intimacy_course.quiz_answers import {imports[1]}",
            f'assert {graded} == "{item.answer}", {python_string(message)}',
            "### END HIDDEN TESTS",
        ]
    )
    return [
        _markdown(_question_text(item, objectives), f"{name}_question", locked=True),
        _code(answer, f"{name}_answer", solution=True),
        _code(test, f"{name}_test", grade=True, locked=True, points=item.points),
    ]


def _short_answer_cells(item: Item, objectives: dict[int, str] | None) -> list[NotebookNode]:
    name = item.id
    question = "\n".join(
        [
            _question_text(item, objectives),
            "",
            "=== BEGIN MARK SCHEME ===",
            "",
            f"**Rubric for the grader ({_points(item.points)}; enter the score in the answer cell "
            "below):**",
            "",
            item.rubric,
            "",
            f"**Model answer:** {item.model_answer}",
            "",
            "=== END MARK SCHEME ===",
        ]
    )
    return [
        _markdown(question, f"{name}_question", task=True, locked=True, points=0),
        _markdown(
            item.model_answer, f"{name}_answer", grade=True, solution=True, points=item.points
        ),
    ]


SELF_CHECK_INTRO = """
## Check your answers yourself

Save this notebook first (Ctrl+S, or File > Save Notebook), then run the cell below. It marks
a copy of your answers on this computer with nbgrader, the same tool an instructor uses,
lists each question with its result and says why the right answer is right, and tells you
where to find the full feedback page. Your answers in this notebook are not changed.
Questions your instructor marks by hand are listed, not scored; compare your answer with
the rubric and model answer on the feedback page.

If you are in a course with an instructor, submit the way they tell you to.
"""

SELF_CHECK_CODE = """
# Marks a copy of this saved notebook and prints your results (does nothing while nbgrader grades it).
from intimacy_course.grading_selfcheck import self_check
self_check()
"""


def _objectives_for(quiz: Quiz, course_root: Path | None) -> dict[int, str] | None:
    return learning_objectives(quiz.module, course_root)


def build_quiz(quiz: Quiz, objectives: dict[int, str] | None = None) -> NotebookNode:
    """The nbgrader source notebook for ``quiz``."""
    module_number = int(quiz.module[:2])
    points_auto = quiz.autograded_points
    points_hand = quiz.total_points - points_auto
    intro = [
        f"# {quiz.title}",
        "",
        f"{len(quiz.items)} questions, {_points(quiz.total_points)}: {points_auto} marked "
        f"automatically and {points_hand} marked by your instructor. Each question names the "
        f"learning objective of [Module {module_number}](../../course/{quiz.module}.ipynb) "
        "that it checks.",
    ]
    cells = [_markdown("\n".join(intro), "title", locked=True)]
    for item in quiz.items:
        if item.autograded:
            cells += _autograded_cells(item, objectives)
        else:
            cells += _short_answer_cells(item, objectives)
    cells.append(_markdown(SELF_CHECK_INTRO, "self_check_intro", locked=True))
    cells.append(_code(SELF_CHECK_CODE, "self_check", locked=True))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "intimacy_course": {
            "quiz": quiz.module,
            "title": quiz.title,
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "objective": item.objective,
                    "points": item.points,
                    **({"options": list(item.options)} if item.options else {}),
                }
                for item in quiz.items
            ],
        },
    }
    return _stable(nb)


def _stable(nb: NotebookNode) -> NotebookNode:
    """Cell ids equal to grade ids, so regenerating gives byte-identical files."""
    for cell in nb.cells:
        cell["id"] = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


HEADER_TEXT = """
## How this quiz works

- **Multiple choice:** type the letter of your answer between the quotes, for example
  `q1 = "c"`. Capitals, spaces and brackets do not matter: `"C"`, `" c "` and `"(c)"` all
  read as c.
- **True or false:** type `true` or `false` between the quotes.
- **Short answers:** double-click the answer cell, replace YOUR ANSWER HERE with your own
  words and press Shift+Enter. Your instructor marks these by hand against a rubric.
- Under each multiple-choice and true/false answer, a cell tells you whether your answer
  **can be read**. It never tells you whether it is right; that comes with your results.
  The nbgrader *Validate* button likewise only checks that the notebook runs.
- When you are done, save the notebook. At the end, a cell can mark your answers on this
  computer and explain each one.

Your answers live only in this notebook. Setting up the course again, or a new release of
the quiz, never overwrites a copy you have written in.

Some questions touch on betrayal, sexual behaviour and childhood. Take a break whenever you
need one. **If you are in danger or thinking of suicide:** in the US call or text 988 (988
Suicide & Crisis Lifeline); in the UK and Ireland call Samaritans on 116 123; elsewhere call
your local emergency number or find a helpline at [findahelpline.com](https://findahelpline.com).
If someone is hurting you or you fear for your safety at home, in the US call the National
Domestic Violence Hotline on 1-800-799-7233. This course is education, not therapy or crisis
care.
"""


def build_header() -> NotebookNode:
    """The header notebook nbgrader prepends to every released quiz."""
    nb = nbformat.v4.new_notebook(cells=[_markdown(HEADER_TEXT, "quiz_header", locked=True)])
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    return _stable(nb)


def rubrics_text(quiz: Quiz, objectives: dict[int, str] | None = None) -> str:
    """The hand-graded items' rubrics as Markdown, for graders who work outside formgrader."""
    lines = [
        f"# Rubrics: {quiz.title}",
        "",
        f"Generated from `grading/items/{quiz.module}.toml` by "
        "`.venv/bin/python -m intimacy_course.quiz_build`; edit the items file, not this page.",
        "Formgrader shows the same rubric above each answer.",
    ]
    for item in quiz.items:
        if item.autograded:
            continue
        lines += [
            "",
            f"## Question {item.number} ({_points(item.points)})",
            "",
            _objective_line(item, objectives),
            "",
            f"**Question.** {item.question}",
            "",
            f"**Rubric.** {item.rubric}",
            "",
            f"**Model answer.** {item.model_answer}",
        ]
    return "\n".join(lines) + "\n"


def source_path(module: str, grading: Path | None = None) -> Path:
    return (grading or grading_dir()) / "source" / module / "quiz.ipynb"


def header_path(grading: Path | None = None) -> Path:
    return (grading or grading_dir()) / "source" / HEADER_NAME


def expected_files(
    items: Path | None = None, grading: Path | None = None, course_root: Path | None = None
) -> dict[Path, str]:
    """Every generated file and its expected text, from the items files that exist."""
    grading = grading or grading_dir()
    quizzes = load_all(items) if items is None or Path(items).is_dir() else [load_quiz(Path(items))]
    files = {header_path(grading): notebook_text(build_header())}
    for quiz in quizzes:
        objectives = _objectives_for(quiz, course_root)
        files[source_path(quiz.module, grading)] = notebook_text(build_quiz(quiz, objectives))
        files[grading / "rubrics" / f"{quiz.module}.md"] = rubrics_text(quiz, objectives)
    return files


def stale_files(
    items: Path | None = None, grading: Path | None = None, course_root: Path | None = None
) -> list[Path]:
    """Generated files that are missing or differ from what the items files give."""
    return stale_in(expected_files(items, grading, course_root))


def write_all(
    items: Path | None = None, grading: Path | None = None, course_root: Path | None = None
) -> list[Path]:
    """Write every stale generated file (version-1 courses, as in the tests); return the paths."""
    return write_stale(expected_files(items, grading, course_root))

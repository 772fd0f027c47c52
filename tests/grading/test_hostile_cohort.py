"""Can a hostile trainee earn marks with wrong answers, read the key, or sink a submission?

A real course is built from the test bank, released with nbgrader, and a cohort of hostile
submissions (each with wrong stored answers unless it says otherwise) is graded by plain
``nbgrader autograde`` reading the course's nbgrader_config.py. The course's own ``grade``
regrades the attacks that reach each of its parts (the marking modules, the answers file,
the locked cells, a dying kernel) and must agree. Every submission's score is known in
advance. Trainee code runs in the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.notebook import build_quiz
from intimacy_course.quiz.paper import PRACTICE_SECRET, option_id, practice_sheet, right_option_id
from intimacy_course.quiz.stored_answers import StoredAnswers, write_answers
from tests.support import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile_cohort")]

BANK_FILE = REPO / "tests" / "fixtures" / "bank_v2" / "01_attachment_injury.toml"
QUIZ = "01_attachment_injury"
SECRET_ENV = "JUPYTERHUB_API_TOKEN"
SECRET = "hub-token-that-must-not-leak"

RIGHT, WRONG = "right", "wrong"

#: name -> (stored answers, cells inserted after the set-up cell, extra files, expected auto score)
COHORT: dict[str, tuple[str, list[str], dict[str, str], float]] = {
    "honest_right": (RIGHT, [], {}, 4.0),
    "honest_wrong": (WRONG, [], {}, 0.0),
    "reads_source": (
        WRONG,
        [
            "import glob, os\nprint(glob.glob('/tmp/**/source/**/quiz.ipynb', recursive=True))\n"
            "print(open('COURSE/source/01_attachment_injury/quiz.ipynb').read())"
        ],
        {},
        0.0,
    ),
    "writes_gradebook": (
        WRONG,
        [
            "import sqlite3\nsqlite3.connect('COURSE/gradebook.db').execute('update grade set auto_score=1')"
        ],
        {},
        0.0,
    ),
    "patches_modules": (
        WRONG,
        [
            "import intimacy_course.quiz.marking as m, intimacy_course.quiz.paper as p\n"
            "m.mark = lambda *a, **k: []\np.option_id = lambda *a: 'x'"
        ],
        {},
        0.0,
    ),
    "own_package": (
        WRONG,
        ["import intimacy_course\nprint(intimacy_course.__file__)"],
        {"intimacy_course/__init__.py": "SCORE = 'full marks'\n"},
        0.0,
    ),
    "exception_handler": (
        WRONG,
        ["get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"],
        {},
        0.0,
    ),
    "input_transformer": (
        WRONG,
        ["get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"],
        {},
        0.0,
    ),
    "always_equal": (
        WRONG,
        [
            "class Yes:\n    def __eq__(self, other): return True\n"
            "import builtins\nbuiltins.AssertionError = Yes"
        ],
        {},
        0.0,
    ),
    "exits_kernel": (RIGHT, ["import os\nos._exit(1)"], {}, 4.0),
    "hangs_kernel": (RIGHT, ["while True:\n    pass"], {}, 4.0),
    "prints_environment": (WRONG, ["import os\nprint(dict(os.environ))"], {}, 0.0),
    "writes_answers_file": (WRONG, ["open('answers.json', 'w').write('{}')"], {}, 0.0),
    "answers_symlink": ("symlink", [], {}, 0.0),
    "edits_locked_cells": (WRONG, [], {}, 0.0),
}


#: What ``intimacy-course grade`` regrades: one attack on each part it could handle
#: differently from plain nbgrader (the whole cohort costs a minute more and adds nothing).
REGRADED = [
    "honest_right",
    "patches_modules",
    "writes_answers_file",
    "edits_locked_cells",
    "exits_kernel",
]


def _stored(bank: Any, kind: str) -> StoredAnswers:
    stored = StoredAnswers(module=bank.module, release="")
    for slot in practice_sheet(bank).slots:
        item = bank.item(slot.item_id)
        if item.auto:
            wrong = (item.correct_index + 1) % len(item.options)
            stored.choices[item.id] = (
                right_option_id(PRACTICE_SECRET, item)
                if kind == RIGHT
                else option_id(PRACTICE_SECRET, item, wrong)
            )
        else:
            stored.texts[item.id] = (
                "<script>alert('x')</script> **bold** [link](javascript:alert(1))"
            )
    return stored


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "course"
    (root / "source" / QUIZ).mkdir(parents=True)
    (root / "items").mkdir()
    shutil.copy(BANK_FILE, root / "items" / BANK_FILE.name)
    bank = load_bank(BANK_FILE)
    nbformat.write(build_quiz(bank), root / "source" / QUIZ / "quiz.ipynb")
    (root / "nbgrader_config.py").write_text(
        f"load_subconfig({str(REPO / 'grading' / 'nbgrader_config.py')!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.IncludeHeaderFooter.header = ''\n"
        "c.Execute.timeout = 10\n",
        encoding="utf-8",
    )
    env = {**os.environ, SECRET_ENV: SECRET, "INTIMACY_COURSE_REQUIRE_SANDBOX": "1"}
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", QUIZ, "--force"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    released = nbformat.read(root / "release" / QUIZ / "quiz.ipynb", as_version=4)
    for name, (kind, cells, files, _) in COHORT.items():
        folder = root / "submitted" / name / QUIZ
        folder.mkdir(parents=True)
        nb = nbformat.from_dict(json.loads(json.dumps(released)))
        for offset, source in enumerate(cells):
            nb.cells.insert(
                2 + offset, nbformat.v4.new_code_cell(source.replace("COURSE", str(root)))
            )
        if name == "edits_locked_cells":
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                if grade_id == "mark_1":
                    cell.source = "print('full marks')"
            nb.cells = [
                c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "mark_2"
            ]
        nbformat.write(nb, folder / "quiz.ipynb")
        if kind == "symlink":
            os.symlink(root / "source" / QUIZ / "quiz.ipynb", folder / "answers.json")
        else:
            write_answers(folder, _stored(bank, kind))
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
    return root


def _scores(root: Path, names: list[str]) -> dict[str, tuple[float, bool]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        result = {}
        for name in names:
            notebook = gradebook.find_submission_notebook("quiz", QUIZ, name)
            auto = sum(g.auto_score or 0 for g in notebook.grades if g.name.startswith("mark_"))
            result[name] = (auto, notebook.needs_manual_grade)
        return result


def _autograded(root: Path, name: str) -> dict[str, Any]:
    return json.loads(
        (root / "autograded" / name / QUIZ / "quiz.ipynb").read_text(encoding="utf-8")
    )


def _check_cohort(root: Path, names: list[str]) -> None:
    scores = _scores(root, names)
    assert {name: auto for name, (auto, _) in scores.items()} == {n: COHORT[n][3] for n in names}
    for name in names:
        text = json.dumps(_autograded(root, name))
        assert SECRET not in text, f"{name}: the hub token reached the kernel"
        assert "full marks" not in text or (
            name == "own_package" and "intimacy_course/__init__.py" not in text
        )
    if "honest_wrong" in names:
        honest = _autograded(root, "honest_wrong")
        written = next(
            c
            for c in honest["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("written_")
        )
        source = "".join(written["source"])
        assert "<script>" not in source and "&lt;script&gt;" in source and "\\[link\\]" in source
    if "exits_kernel" in names:
        assert "DeadKernelError" in json.dumps(_autograded(root, "exits_kernel"))
    if "own_package" in names:
        own = json.dumps(_autograded(root, "own_package"))
        assert "site-packages" in own or str(REPO / "src") in own, "the real package was imported"


def test_plain_nbgrader_autograde_marks_the_hostile_cohort_exactly(course: Path) -> None:
    env = {**os.environ, SECRET_ENV: SECRET, "INTIMACY_COURSE_REQUIRE_SANDBOX": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", QUIZ, "--create", "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Removing failed assignment" not in done.stdout + done.stderr, done.stderr[-3000:]
    _check_cohort(course, list(COHORT))


def test_intimacy_course_grade_marks_the_attacks_on_its_parts_exactly(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intimacy_course.grading.batch import grade_all
    from intimacy_course.grading.course import course_config

    monkeypatch.setenv(SECRET_ENV, SECRET)
    monkeypatch.setenv("INTIMACY_COURSE_REQUIRE_SANDBOX", "1")
    config = course_config(course, settings_from=course)
    config.Execute.timeout = 10
    outcomes = grade_all(
        config, progress=lambda line: None, submissions=[(name, QUIZ) for name in REGRADED]
    )
    assert [o.student for o in outcomes] == REGRADED
    assert all(o.graded for o in outcomes), [o.problem for o in outcomes if not o.graded]
    _check_cohort(course, REGRADED)

"""Does a cohort release give each trainee their own draw, with the key out of the release,
and do grading and the learner's feedback page agree on what each trainee saw?"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from intimacy_course.grading.cohort import cohort_sources
from intimacy_course.quiz.bank import load_bank
from intimacy_course.quiz.paper import draw, right_option_id
from intimacy_course.quiz.seed import create_seed, read_seed
from intimacy_course.quiz.stored_answers import StoredAnswers, write_answers
from tests.support import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cohort_release")]

BANK_FILE = REPO / "tests" / "fixtures" / "bank_v2" / "01_attachment_injury.toml"
QUIZ = "01_attachment_injury"
TRAINEES = ["ana", "bo", "chidi", "dana"]


def _nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "INTIMACY_COURSE_REQUIRE_SANDBOX": "1"},
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cohort")
    root = base / "course"
    (root / "items").mkdir(parents=True)
    shutil.copy(BANK_FILE, root / "items")
    seed_file = base / "private" / "cohort-seed"
    os.environ["INTIMACY_COURSE_SEED_FILE"] = str(seed_file)
    create_seed(seed_file)
    (root / "nbgrader_config.py").write_text(
        f"load_subconfig({str(REPO / 'grading' / 'nbgrader_config.py')!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\nc.IncludeHeaderFooter.header = ''\n",
        encoding="utf-8",
    )
    assert cohort_sources(root / "source", root / "items", read_seed(), TRAINEES) == [QUIZ]
    made = _nbgrader(root, "generate_assignment", QUIZ, "--force")
    assert made.returncode == 0, made.stderr[-2000:]
    return root


def test_the_seed_is_private_and_never_overwritten(course: Path) -> None:
    seed_file = Path(os.environ["INTIMACY_COURSE_SEED_FILE"])
    assert oct(seed_file.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(Exception, match="never overwritten"):
        create_seed(seed_file)


def test_the_release_holds_every_variant_but_no_key_and_no_self_check(course: Path) -> None:
    released = (course / "release" / QUIZ / "quiz.ipynb").read_text(encoding="utf-8")
    bank = load_bank(BANK_FILE)
    for item in bank.items:
        assert json.dumps(item.stem)[1:-1] in released
        for option in item.options:
            assert json.dumps(option.why)[1:-1] not in released
    assert "self_check" not in released and '"correct"' not in released
    for trainee in TRAINEES:
        assert f'"{trainee}"' not in released


def test_each_trainee_is_graded_on_their_own_draw_and_the_feedback_agrees(course: Path) -> None:
    from intimacy_course.grading.course import course_config, open_api
    from intimacy_course.grading.learner_feedback import write_learner_feedback

    bank = load_bank(BANK_FILE)
    seed = read_seed()
    released = nbformat.read(course / "release" / QUIZ / "quiz.ipynb", as_version=4)
    expected = {}
    for number, trainee in enumerate(TRAINEES):
        folder = course / "submitted" / trainee / QUIZ
        folder.mkdir(parents=True)
        nbformat.write(released, folder / "quiz.ipynb")
        sheet = draw(bank, seed, trainee)
        stored = StoredAnswers(module=bank.module, release="")
        right = 0
        for index, slot in enumerate(sheet.slots):
            item = bank.item(slot.item_id)
            if not item.auto:
                continue
            if (index + number) % 2 == 0:  # every trainee gets a different half right
                stored.choices[item.id] = right_option_id(seed, item)
                right += 1
            else:
                wrong = next(o for o in slot.option_ids if o != right_option_id(seed, item))
                stored.choices[item.id] = wrong
        # Answers to the other variants (not on this trainee's sheet) must earn nothing.
        for item in bank.auto_items:
            stored.choices.setdefault(item.id, right_option_id(seed, item))
        write_answers(folder, stored)
        expected[trainee] = float(right)
    graded = _nbgrader(course, "autograde", QUIZ, "--create", "--force")
    assert "Removing failed assignment" not in graded.stdout + graded.stderr, graded.stderr[-3000:]
    api = open_api(course_config(course, settings_from=course))
    for trainee in TRAINEES:
        notebook = api.gradebook.find_submission_notebook("quiz", QUIZ, trainee)
        auto = sum(g.auto_score or 0 for g in notebook.grades if g.name.startswith("mark_"))
        assert auto == expected[trainee], trainee
        page = write_learner_feedback(api, trainee, QUIZ, course / "items")
        assert page is not None
        text = page.read_text(encoding="utf-8")
        assert f"Clicked questions: {expected[trainee]:g} of 2 right." in text
        assert "Marked by your instructor; no score yet" not in text  # no written answer given
        for slot in draw(bank, seed, trainee).slots:
            assert json.dumps(bank.item(slot.item_id).title)[1:-1].replace("'", "&#x27;") in text

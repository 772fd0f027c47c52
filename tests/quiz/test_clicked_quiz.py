"""Can a learner answer a quiz by clicking, and does every part agree on what was clicked?

The paper a quiz carries must hold no key; each click is stored at once, survives a new
kernel, and is marked the same way by self-check, the grader and the feedback page.
"""

from __future__ import annotations

import html
import json
import os
import stat
from pathlib import Path

import pytest

from intimacy_course.quiz.bank import BankError, load_bank
from intimacy_course.quiz.feedback_page import render_feedback
from intimacy_course.quiz.marking import mark, total
from intimacy_course.quiz.paper import (
    COHORT,
    PRACTICE,
    PRACTICE_SECRET,
    draw,
    make_paper,
    option_id,
    practice_sheet,
    right_option_id,
    sheet_for,
)
from intimacy_course.quiz.stored_answers import StoredAnswers, read_answers, write_answers

BANK_FILE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "bank_v2" / "01_attachment_injury.toml"
)
SEED = b"0123456789abcdef0123456789abcdef"


@pytest.fixture
def bank():
    return load_bank(BANK_FILE)


def test_a_practice_paper_holds_no_key(bank) -> None:
    text = json.dumps(make_paper(bank, PRACTICE))
    for item in bank.items:
        for option in item.options:
            assert option.why not in text
        if item.auto:
            assert item.explanation not in text
    assert '"correct"' not in text and "model_answer" not in text
    assert "calibration" not in text.lower()


def test_a_cohort_paper_holds_no_key_and_no_account_names(bank) -> None:
    paper = make_paper(bank, COHORT, SEED, ("alice", "bob"))
    text = json.dumps(paper)
    assert "alice" not in text and "bob" not in text
    assert '"correct"' not in text
    # Option ids do not reveal which option is right: without the seed they are opaque.
    for item in bank.auto_items:
        assert right_option_id(SEED, item) != right_option_id(PRACTICE_SECRET, item)


def test_each_trainee_gets_one_item_per_objective_and_shuffled_options(bank) -> None:
    students = [f"trainee{n}" for n in range(40)]
    sheets = [draw(bank, SEED, s) for s in students]
    for sheet in sheets:
        objectives = [
            bank.item(slot.item_id).objective
            for slot in sheet.slots
            if bank.item(slot.item_id).auto
        ]
        assert objectives == sorted(set(objectives)) == [1, 2]
    drawn = {slot.item_id for sheet in sheets for slot in sheet.slots}
    assert drawn == {item.id for item in bank.items}, "every variant is drawn for someone"
    first_positions = {
        sheet.slots[1].option_ids.index(right_option_id(SEED, bank.item(sheet.slots[1].item_id)))
        for sheet in sheets
        if bank.item(sheet.slots[1].item_id).kind == "multiple_choice"
    }
    assert len(first_positions) >= 3, "the right option moves between trainees"


def test_the_draw_depends_on_the_seed_and_is_repeatable(bank) -> None:
    assert draw(bank, SEED, "alice") == draw(bank, SEED, "alice")
    others = {draw(bank, bytes(32 * [n]), "alice") for n in range(1, 12)}
    assert len(others) > 1


def test_the_paper_gives_each_known_trainee_the_graders_draw(bank) -> None:
    paper = make_paper(bank, COHORT, SEED, ("alice", "bob"))
    for student in ("alice", "bob"):
        sheet, known = sheet_for(paper, student)
        assert known and sheet == draw(bank, SEED, student)
    _, known = sheet_for(paper, "mallory")
    assert not known


def _answers(bank, choices: dict[str, int], texts: dict[str, str] | None = None) -> StoredAnswers:
    stored = StoredAnswers(module=bank.module, release="r")
    for item_id, index in choices.items():
        stored.choices[item_id] = option_id(PRACTICE_SECRET, bank.item(item_id), index)
    stored.texts.update(texts or {})
    return stored


def test_marking_counts_right_wrong_and_unanswered(bank) -> None:
    stored = _answers(
        bank, {"m1-o1-texts-when-late": 1, "m1-o1-models-fixed": 0, "m1-o2-two-meanings": 2}
    )
    results = mark(bank, PRACTICE_SECRET, practice_sheet(bank), stored)
    verdicts = {r.item.id: r.score for r in results}
    assert verdicts == {
        "m1-o1-texts-when-late": 1.0,
        "m1-o1-models-fixed": 0.0,
        "m1-o2-two-meanings": 1.0,
        "m1-o2-childhood-meaning": 0.0,
        "m1-o5-parent-story": None,
    }
    assert total(results) == (2.0, 4)


def test_answers_to_questions_not_on_the_sheet_earn_nothing(bank) -> None:
    sheet = draw(bank, SEED, "alice")
    on_sheet = {slot.item_id for slot in sheet.slots}
    stored = StoredAnswers(module=bank.module, release="r")
    for item in bank.auto_items:
        stored.choices[item.id] = right_option_id(SEED, item)
    stored.choices["m1-o9-invented"] = "o123"
    results = mark(bank, SEED, sheet, stored)
    assert {r.item.id for r in results} == on_sheet
    assert total(results) == (2.0, 2)


def test_answers_are_written_atomically_and_privately(tmp_path: Path, bank) -> None:
    stored = _answers(
        bank, {"m1-o1-texts-when-late": 1}, {"m1-o5-parent-story": 'Ünïcode ✓ and "quotes"'}
    )
    write_answers(tmp_path, stored)
    path = tmp_path / "answers.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]
    again = read_answers(tmp_path, bank.module)
    assert again.choices == stored.choices and again.texts == stored.texts


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[1, 2]",
        '{"format": "other"}',
        '{"format": "intimacy-course answers", "answers": {"x": {"choice": 5}, "y": [1]}}',
    ],
)
def test_a_damaged_answers_file_reads_as_no_answers(tmp_path: Path, content: str) -> None:
    (tmp_path / "answers.json").write_text(content, encoding="utf-8")
    stored = read_answers(tmp_path, "01_attachment_injury")
    assert stored.choices == {} and stored.texts == {}


def test_an_answers_file_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"format": "intimacy-course answers", "answers": {"a": {"choice": "o1"}}}')
    (tmp_path / "quiz").mkdir()
    os.symlink(secret, tmp_path / "quiz" / "answers.json")
    stored = read_answers(tmp_path / "quiz", "m")
    assert stored.choices == {} and "not a plain file" in stored.problem


def test_the_feedback_page_explains_right_answers_and_escapes_trainee_text(bank) -> None:
    stored = _answers(
        bank,
        {"m1-o1-texts-when-late": 1},
        {"m1-o5-parent-story": "<script>alert('x')</script> <img src=x onerror=alert(1)>"},
    )
    results = mark(bank, PRACTICE_SECRET, practice_sheet(bank), stored)
    page = render_feedback(bank.title, results, practice=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert html.escape(bank.item("m1-o1-texts-when-late").explanation) in page, (
        "a right answer is explained too"
    )
    skipped = bank.item("m1-o2-two-meanings")
    assert html.escape(skipped.options[skipped.correct_index].why) not in page, (
        "a skipped question's key stays hidden"
    )
    assert "Probabilistic" in page, "an answered written question shows its rubric in practice"
    assert "1-800-656-4673" in page and "1-800-799-7233" in page and "988" in page, (
        "the course's one help section"
    )
    revealed = render_feedback(bank.title, results, practice=True, reveal_unanswered=True)
    assert html.escape(skipped.options[skipped.correct_index].why) in revealed


def test_a_cohort_feedback_page_says_written_answers_await_the_instructor(bank) -> None:
    stored = _answers(bank, {}, {"m1-o5-parent-story": "my answer"})
    results = mark(bank, PRACTICE_SECRET, practice_sheet(bank), stored)
    page = render_feedback(bank.title, results, practice=False)
    assert "Marked by your instructor; no score yet" in page
    assert bank.item("m1-o5-parent-story").model_answer not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('correct = true\nwhy = "Seeking', 'why = "Seeking', 1),
            "exactly one option",
        ),
        (lambda t: t.replace('kind = "multiple_choice"', 'kind = "essay"', 1), "kind"),
        (
            lambda t: t.replace('id = "m1-o1-models-fixed"', 'id = "m1-o1-texts-when-late"', 1),
            "unique",
        ),
        (
            lambda t: t.replace(
                'score = 1\nmet = ["Probabilistic"]', 'score = 2\nmet = ["Probabilistic"]', 1
            ),
            "score",
        ),
        (lambda t: t.replace("bank_version = 2", "bank_version = 1"), "bank_version"),
        (lambda t: t + "\n[[item]\n", "not valid TOML"),
    ],
)
def test_a_broken_bank_says_where_and_what_to_fix(tmp_path: Path, change, message: str) -> None:
    broken = tmp_path / BANK_FILE.name
    broken.write_text(change(BANK_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(BankError, match=message) as error:
        load_bank(broken)
    assert BANK_FILE.name in str(error.value)

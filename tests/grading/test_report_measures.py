"""Reliability, mastery, item flags and grader agreement in the instructor's report.

Every expected value below was worked out by hand (the working is in the comments). The pure
functions are tested on small tables; then a clicked quiz is taken by five trainees in a real
nbgrader gradebook (made with nbgrader's Gradebook API, with the answers files the quiz
widgets write), and two graders' gradebooks are compared.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from intimacy_course.errors import CourseError
from intimacy_course.grading.course import course_config, open_api
from intimacy_course.grading.report import (
    COHORT_ROW,
    DISTRACTOR_COLUMNS,
    QuizData,
    agreement_table,
    compare_gradebooks,
    item_flags,
    kr20,
    mastery_table,
    question_name,
    reliability_table,
    weighted_kappa,
    write_report,
)
from intimacy_course.quiz.bank import Bank, load_bank
from intimacy_course.quiz.marking import mark
from intimacy_course.quiz.notebook import build_quiz
from intimacy_course.quiz.paper import COHORT, PRACTICE, PRACTICE_SECRET, draw, option_id
from intimacy_course.quiz.stored_answers import StoredAnswers, write_answers

REPO = Path(__file__).resolve().parents[2]
# One worker builds this module's graded practice course (the module fixture below).
pytestmark = pytest.mark.xdist_group("report-measures")

FIXTURE_BANK = REPO / "tests" / "fixtures" / "bank_v2" / "01_attachment_injury.toml"
QUIZ = "01_attachment_injury"

# ------------------------------------------------------------------ KR-20


def test_kr20_matches_the_hand_computed_value() -> None:
    # p = .8, .6, .4, .2; sum of p*q = .16 + .24 + .24 + .16 = .8.
    # Totals 4, 3, 2, 1, 0: mean 2, variance (4 + 1 + 0 + 1 + 4) / 5 = 2.
    # KR-20 = 4/3 * (1 - .8 / 2) = .8
    scores = pd.DataFrame(
        [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]],
        index=list("ABCDE"),
    )
    assert kr20(scores) == pytest.approx(0.8)


def test_kr20_is_undefined_without_spread_or_items() -> None:
    assert math.isnan(kr20(pd.DataFrame([[1, 0], [0, 1]])))  # everyone scores 1
    assert math.isnan(kr20(pd.DataFrame([[1], [0], [1]])))  # one item
    assert math.isnan(kr20(pd.DataFrame([[1, 0, 1]])))  # one trainee


def _quiz(scores: dict[str, list[float]]) -> QuizData:
    """Four questions: q1, q2 (objective 1), q3 (objective 2, clicked), q4 (objective 2, 2 points
    by hand)."""
    items = [
        {"id": "q1", "kind": "multiple_choice", "objective": 1, "points": 1},
        {"id": "q2", "kind": "true_false", "objective": 1, "points": 1},
        {"id": "q3", "kind": "multiple_choice", "objective": 2, "points": 1},
        {"id": "q4", "kind": "short_answer", "objective": 2, "points": 2},
    ]
    table = pd.DataFrame.from_dict(scores, orient="index", columns=["q1", "q2", "q3", "q4"])
    return QuizData("quiz", items, {}, table, pd.DataFrame(), 5.0)


def test_reliability_uses_only_the_clicked_questions() -> None:
    # Clicked q1-q3: A 1 1 1, B 1 1 0, C 1 0 0, D 0 0 0. p = .75, .5, .25; sum pq = .1875 + .25
    # + .1875 = .625. Totals 3, 2, 1, 0: mean 1.5, variance 1.25. KR-20 = 3/2 * (1 - .5) = .75.
    # The hand-marked q4 would change it if it were counted.
    data = _quiz({"A": [1, 1, 1, 0], "B": [1, 1, 0, 2], "C": [1, 0, 0, 2], "D": [0, 0, 0, 1]})
    [row] = reliability_table([data]).to_dict("records")
    assert row["kr20"] == pytest.approx(0.75)
    assert (row["items"], row["trainees"]) == (3, 4)
    assert row["mean"] == pytest.approx(1.5) and row["sd"] == pytest.approx(1.25**0.5)


# ------------------------------------------------------------------ mastery


def test_mastery_per_objective_for_each_trainee_and_the_cohort() -> None:
    # Objective 1 (q1, q2: 2 points): A 2/2, B 2/2, C 1/2 -> cohort 5/6; mastered (>= .8): A, B.
    # Objective 2 (q3 + q4: 3 points): A 3/3, B 1/3, C 3/3 -> cohort 7/9; mastered: A, C.
    data = _quiz({"A": [1, 1, 1, 2], "B": [1, 1, 0, 1], "C": [0, 1, 1, 2]})
    table = mastery_table(data).set_index(["objective", "student"])
    assert table.loc[(1, "A"), "mastery"] == 1.0 and table.loc[(1, "C"), "mastery"] == 0.5
    assert table.loc[(2, "B"), "mastery"] == pytest.approx(1 / 3)
    assert list(table.loc[1]["mastered"]) == [1.0, 1.0, 0.0, pytest.approx(2 / 3)]
    assert table.loc[(1, COHORT_ROW), "mastery"] == pytest.approx(5 / 6)
    assert table.loc[(2, COHORT_ROW), "mastery"] == pytest.approx(7 / 9)
    assert table.loc[(2, COHORT_ROW), "mastered"] == pytest.approx(2 / 3)
    assert (table.loc[(2, COHORT_ROW), "scored"], table.loc[(2, COHORT_ROW), "possible"]) == (7, 9)


# ------------------------------------------------------------------ flags


def test_flags_low_discrimination_and_distractors_nobody_chose() -> None:
    stats = pd.DataFrame(
        {
            "quiz": ["quiz"] * 4,
            "item": ["q1", "q2", "q3", "q4"],
            "objective": [1, 1, 2, 2],
            "discrimination": [0.1, 0.2, math.nan, 0.5],
        }
    )
    distractors = pd.DataFrame(
        [
            ["quiz", "q4", "q4", "a", "", True, 3, 0],  # the key: never a distractor
            ["quiz", "q4", "q4", "b", "", False, 3, 0],  # flagged
            ["quiz", "q4", "q4", "c", "", False, 3, 3],
            ["quiz", "q1", "m1-o1-x", "d", "", False, 0, 0],  # nobody saw it: not flagged
        ],
        columns=["quiz", *DISTRACTOR_COLUMNS],
    )
    flags = item_flags(stats, distractors)
    assert flags[["item", "flag"]].values.tolist() == [
        ["q1", "low discrimination"],  # 0.2 itself and an undefined value are not flagged
        ["q4", "distractor never chosen"],
    ]
    assert "option b" in flags.iloc[1]["detail"] and flags.iloc[1]["objective"] == 2


# ------------------------------------------------------------------ agreement


def test_weighted_kappa_matches_the_hand_computed_value() -> None:
    # Scores 0-2, six answers. Observed: (0,0) (1,1) (2,2) (2,1) (1,1) (0,1).
    # Weights (i-j)^2/4. Observed weighted disagreement: 2 pairs at distance 1 -> 2/6 * .25 = 1/12.
    # Marginals: first 1/3 each; second 1/6, 4/6, 1/6. Expected: sum w * r_i * c_j = 1/4.
    # kappa = 1 - (1/12) / (1/4) = 2/3.
    first, second = [0, 1, 2, 2, 1, 0], [0, 1, 2, 1, 1, 1]
    assert weighted_kappa(first, second, range(3)) == pytest.approx(2 / 3)
    assert weighted_kappa(first, first, range(3)) == pytest.approx(1.0)
    # Quadratic kappa does not change when unused scores widen the scale.
    assert weighted_kappa(first, second, range(5)) == pytest.approx(2 / 3)
    assert math.isnan(weighted_kappa([], [], range(3)))
    assert math.isnan(weighted_kappa([1, 1], [1, 1], [1]))


def _marks(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [("quiz", item, student, score, top) for item, student, score, top in rows],
        columns=["quiz", "item", "student", "score", "max_score"],
    )


# Two graders' marks: q2 (0-2 points) for six trainees, q3 (0-3 points) for three; s7's q2
# was marked by the first grader only, so it is not compared.
FIRST = {"q2": [0, 1, 2, 2, 1, 0, 2], "q3": [3, 2, 0]}
SECOND = {"q2": [0, 1, 2, 1, 1, 1], "q3": [3, 2, 1]}
TOP = {"q2": 2, "q3": 3}


def _grader(scores: dict[str, list[int]]) -> pd.DataFrame:
    return _marks(
        [
            (item, f"s{n + 1}", float(score), float(TOP[item]))
            for item, values in scores.items()
            for n, score in enumerate(values)
        ]
    )


def _check_agreement(table: pd.DataFrame) -> None:
    rows = {row["item"]: row for row in table.to_dict("records")}
    assert list(rows) == ["q2", "q3", "all"]
    # q2: 4 of 6 the same, all within a point, kappa 2/3 (worked out above).
    assert (rows["q2"]["n"], rows["q2"]["exact"], rows["q2"]["adjacent"]) == (6, 4 / 6, 1.0)
    assert rows["q2"]["kappa"] == pytest.approx(2 / 3)
    # q3: (3,3) (2,2) (0,1). E[(X-Y)^2] by chance = var X + var Y + (EX - EY)^2 = 14/9 + 6/9
    # + 1/9 = 21/9; observed 3/9; kappa = 1 - 3/21 = 6/7.
    assert (rows["q3"]["n"], rows["q3"]["exact"]) == (3, 2 / 3)
    assert rows["q3"]["kappa"] == pytest.approx(6 / 7)
    # All nine answers: chance 141/81, observed 27/81 (three pairs one point apart);
    # kappa = 1 - 27/141 = 114/141.
    assert (rows["all"]["n"], rows["all"]["exact"], rows["all"]["max_score"]) == (9, 6 / 9, 3)
    assert rows["all"]["kappa"] == pytest.approx(114 / 141)


def test_agreement_per_item_and_pooled() -> None:
    _check_agreement(agreement_table(_grader(FIRST), _grader(SECOND)))


def test_hand_marked_cells_are_named_as_questions() -> None:
    assert [question_name(n) for n in ("written_3", "q6_answer", "other")] == [
        "q3",
        "q6",
        "other",
    ]


def _gradebook(path: Path, marks: dict[str, list[int]]) -> None:
    """A gradebook as formgrader leaves it: a clicked quiz, hand marks on written_2/3."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{path}") as gradebook:
        gradebook.add_assignment(QUIZ)
        gradebook.add_notebook("quiz", QUIZ)
        gradebook.add_grade_cell("mark_1", "quiz", QUIZ, max_score=1, cell_type="code")
        for number, item in ((2, "q2"), (3, "q3")):
            gradebook.add_grade_cell(
                f"written_{number}", "quiz", QUIZ, max_score=TOP[item], cell_type="markdown"
            )
        gradebook.add_task_cell("rubric_2", "quiz", QUIZ, max_score=0, cell_type="markdown")
        for n in range(7):
            gradebook.add_student(f"s{n + 1}")
            gradebook.add_submission(QUIZ, f"s{n + 1}")
            auto = gradebook.find_grade("mark_1", "quiz", QUIZ, f"s{n + 1}")
            auto.auto_score, auto.needs_manual_grade = 1.0, False
        for item, values in marks.items():
            for n, score in enumerate(values):
                grade = gradebook.find_grade(f"written_{item[1:]}", "quiz", QUIZ, f"s{n + 1}")
                grade.manual_score, grade.needs_manual_grade = float(score), False
        gradebook.db.commit()


@pytest.mark.slow
def test_two_graders_gradebooks_are_compared_without_changing_them(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    _gradebook(first, FIRST)
    _gradebook(second, SECOND)
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    table = compare_gradebooks(f"sqlite:///{first}", str(second))  # a URL or a file
    _check_agreement(table)
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)] == before
    with pytest.raises(CourseError, match="No gradebook at"):
        compare_gradebooks(str(first), str(tmp_path / "missing.db"))


# ------------------------------------------------------------------ a clicked quiz, end to end

# Five trainees take the practice quiz of the fixture bank: q1 (objective 1, key b), q2
# (objective 1, true/false, key false), q3 (objective 2, key c), q4 (objective 2, key a), q5
# (objective 5, written, 2 points). None = no answer stored; E's written answer is not marked.
CLICKS = {
    "A": ["b", "false", "c", "a"],
    "B": ["b", "false", "c", "b"],
    "C": ["b", "true", "a", "a"],
    "D": ["a", "false", "b", "c"],
    "E": [None, "true", "c", "b"],
}
HAND = {"A": 2, "B": 1, "C": 1, "D": 0, "E": None}


def _clicked_course(root: Path, mode: str, seed: bytes | None = None) -> tuple[Bank, Any, Any]:
    bank = load_bank(FIXTURE_BANK)
    source = build_quiz(bank, mode, seed, tuple(CLICKS))
    (root / "source" / QUIZ).mkdir(parents=True)
    nbformat.write(source, root / "source" / QUIZ / "quiz.ipynb")
    (root / "items").mkdir()
    shutil.copy(FIXTURE_BANK, root / "items")
    api = open_api(course_config(root, settings_from=REPO / "grading"))
    return bank, source, api


def _hand_in(
    api: Any,
    root: Path,
    source: Any,
    cells: list[tuple[str, int]],
    marks: dict[str, dict[str, float | None]],
    answers: dict[str, StoredAnswers],
) -> None:
    """Record scores in the course's gradebook and leave each trainee's autograded folder."""
    gradebook = api.gradebook
    try:
        gradebook.add_assignment(QUIZ)
        gradebook.add_notebook("quiz", QUIZ)
        for name, points in cells:
            kind = "code" if name.startswith("mark_") else "markdown"
            gradebook.add_grade_cell(name, "quiz", QUIZ, max_score=points, cell_type=kind)
        for student, scores in marks.items():
            gradebook.add_student(student)
            gradebook.add_submission(QUIZ, student)
            for name, score in scores.items():
                grade = gradebook.find_grade(name, "quiz", QUIZ, student)
                if name.startswith("mark_"):
                    grade.auto_score, grade.needs_manual_grade = score, False
                elif score is not None:
                    grade.manual_score, grade.needs_manual_grade = score, False
            folder = root / "autograded" / student / QUIZ
            folder.mkdir(parents=True)
            nbformat.write(source, folder / "quiz.ipynb")
            write_answers(folder, answers[student])
        gradebook.db.commit()
    finally:
        gradebook.close()


@pytest.fixture(scope="module")
def practice_report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("clicked-course")
    bank, source, api = _clicked_course(root, PRACTICE)
    auto = bank.auto_items
    marks: dict[str, dict[str, float | None]] = {}
    answers = {}
    for student, clicks in CLICKS.items():
        stored = StoredAnswers(module=QUIZ, release="")
        row: dict[str, float | None] = {}
        for number, (item, letter) in enumerate(zip(auto, clicks, strict=True), start=1):
            labels = ["true", "false"] if item.kind == "true_false" else list("abcd")
            if letter is not None:
                index = labels.index(letter)
                stored.choices[item.id] = option_id(PRACTICE_SECRET, item, index)
            row[f"mark_{number}"] = float(letter is not None and item.options[index].correct)
        row["written_5"] = HAND[student]
        marks[student] = row
        answers[student] = stored
    cells = [(f"mark_{n}", 1) for n in range(1, 5)] + [("written_5", 2)]
    _hand_in(api, root, source, cells, marks, answers)
    # A second grader marked the same written answers in a gradebook of their own, giving A 1
    # where the course's grader gave 2.
    from nbgrader.api import Gradebook

    other = root / "second-grader.db"
    shutil.copyfile(root / "gradebook.db", other)
    with Gradebook(f"sqlite:///{other}") as gradebook:
        gradebook.find_grade("written_5", "quiz", QUIZ, "A").manual_score = 1.0
        gradebook.db.commit()
    return write_report(api, root / "reports", compare_with=str(other))


@pytest.mark.slow
def test_clicked_questions_keep_difficulty_discrimination_and_option_counts(
    practice_report: Any,
) -> None:
    stats = practice_report.items.set_index("item")
    assert list(stats.index) == ["q1", "q2", "q3", "q4", "q5"]
    assert list(stats["key"][:4]) == ["b", "false", "c", "a"]
    # A practice quiz shows every item: each question's slot is its item.
    bank = load_bank(FIXTURE_BANK)
    assert list(stats["slot"]) == [i.id for i in (*bank.auto_items, *bank.short_answers)]
    assert list(stats["difficulty"]) == pytest.approx([0.6, 0.6, 0.6, 0.4, 0.4])
    # q2: x = 1,1,0,1,0; totals 6,4,3,1,1; rest 5,3,3,0,1: Sxy .8, Sxx 1.2, Syy 15.2,
    # r = .8 / sqrt(18.24) = .1873.
    assert stats.loc["q2", "discrimination"] == pytest.approx(0.1873, abs=1e-4)
    counts = {k: int(stats.loc["q1", f"chosen_{k}"]) for k in ("a", "b", "c", "d", "blank")}
    assert counts == {"a": 1, "b": 3, "c": 0, "d": 0, "blank": 1}
    assert int(stats.loc["q2", "chosen_true"]) == 2


@pytest.mark.slow
def test_the_report_gives_kr20_over_the_clicked_questions(practice_report: Any) -> None:
    # Clicked q1-q4: p = .6, .6, .6, .4 -> sum pq = .96. Totals 4, 3, 2, 1, 1: mean 2.2,
    # variance 6.8 / 5 = 1.36. KR-20 = 4/3 * (1 - .96 / 1.36) = .3922.
    [row] = practice_report.reliability.to_dict("records")
    assert row["kr20"] == pytest.approx(4 / 3 * (1 - 0.96 / 1.36))
    assert (row["quiz"], row["items"], row["trainees"]) == (QUIZ, 4, 5)
    assert any(
        line.startswith("KR-20 01_attachment_injury: 0.39") for line in practice_report.summary()
    )
    assert (practice_report.files["Reliability (KR-20 per quiz)"]).exists()


@pytest.mark.slow
def test_the_report_gives_mastery_per_objective(practice_report: Any) -> None:
    # Objective 1 (q1, q2): A 2, B 2, C 1, D 1, E 0 of 2 -> 6/10; mastered A, B -> .4.
    # Objective 2 (q3, q4): A 2, B 1, C 1, D 0, E 1 -> 5/10; mastered A -> .2.
    # Objective 5 (q5, 2 points by hand): A 2, B 1, C 1, D 0, E not yet marked (0) -> 4/10.
    table = practice_report.mastery.set_index(["objective", "student"])
    cohort = {n: table.loc[(n, COHORT_ROW)] for n in (1, 2, 5)}
    assert [cohort[n]["mastery"] for n in (1, 2, 5)] == pytest.approx([0.6, 0.5, 0.4])
    assert [cohort[n]["mastered"] for n in (1, 2, 5)] == pytest.approx([0.4, 0.2, 0.2])
    assert table.loc[(2, "E"), "mastery"] == 0.5
    saved = pd.read_csv(practice_report.files["Mastery per objective"])
    assert len(saved) == 3 * 6


@pytest.mark.slow
def test_the_report_flags_weak_items_and_unchosen_distractors(practice_report: Any) -> None:
    # Discrimination: q2 and q3 .1873 (worked out above; q3 has the same deviations).
    # Distractors nobody chose: q1 c and d, q3 d, q4 d. q2's "true" was chosen twice.
    flags = practice_report.flags
    low = flags[flags["flag"] == "low discrimination"]
    assert list(low["item"]) == ["q2", "q3"]
    unchosen = flags[flags["flag"] == "distractor never chosen"]
    assert [(r["item"], r["detail"].split()[1]) for _, r in unchosen.iterrows()] == [
        ("q1", "c"),
        ("q1", "d"),
        ("q3", "d"),
        ("q4", "d"),
    ]
    assert set(unchosen["variant"]) == {
        "m1-o1-texts-when-late",
        "m1-o2-two-meanings",
        "m1-o2-childhood-meaning",
    }
    saved = pd.read_csv(practice_report.files["Items flagged for review"])
    assert len(saved) == 6


@pytest.mark.slow
def test_a_cohort_reports_what_each_trainee_saw(tmp_path: Path) -> None:
    """Variants and shuffled options: the report's letters are the ones on each trainee's
    screen (as the grader marked them), and distractor counts are kept per variant."""
    seed = b"a private seed for this test only"
    bank, source, api = _clicked_course(tmp_path, COHORT, seed)
    marks: dict[str, dict[str, float | None]] = {}
    answers = {}
    expected: dict[str, list[str]] = {}
    for position, student in enumerate(CLICKS):
        sheet = draw(bank, seed, student)
        stored = StoredAnswers(module=QUIZ, release="")
        for slot in sheet.slots[:2]:  # each trainee clicks a different place on screen
            stored.choices[slot.item_id] = slot.option_ids[position % len(slot.option_ids)]
        results = mark(bank, seed, sheet, stored)
        expected[student] = [
            r.chosen.letter.lower() for r in results if r.item.auto and r.chosen is not None
        ]
        marks[student] = {"mark_1": results[0].score, "mark_2": results[1].score, "written_3": 1}
        answers[student] = stored
    _hand_in(
        api, tmp_path, source, [("mark_1", 1), ("mark_2", 1), ("written_3", 2)], marks, answers
    )
    report = write_report(api, tmp_path / "reports")
    stats = report.items.set_index("item")
    assert list(stats["slot"]) == ["objective-1", "objective-2", "written-m1-o5-parent-story"]
    assert list(stats["key"][:2]) == ["varies", "varies"]
    # Objective 1 has a multiple-choice and a true/false variant; objective 2 two of the first.
    assert list(stats["kind"]) == ["mixed", "multiple_choice", "short_answer"]
    for question in ("q1", "q2"):
        shown = [expected[s][int(question[1]) - 1] for s in CLICKS]
        counted = {
            c[len("chosen_") :]: int(stats.loc[question, c])
            for c in stats
            if c.startswith("chosen_") and not pd.isna(stats.loc[question, c])
        }
        assert sum(counted.values()) == 5
        assert all(counted[letter] == shown.count(letter) for letter in set(shown))
    distractors = report.distractors
    for question in ("q1", "q2"):
        part = distractors[distractors["item"] == question]
        seen = part.groupby("variant")["seen"].first()
        assert seen.sum() == 5  # every trainee saw exactly one variant of the slot
        assert part["chosen"].sum() == 5
    mastery = report.mastery.set_index(["objective", "student"])
    right = sum(m["mark_1"] or 0 for m in marks.values())
    assert mastery.loc[(1, COHORT_ROW), "mastery"] == pytest.approx(right / 5)


@pytest.mark.slow
def test_the_report_compares_two_graders(practice_report: Any) -> None:
    # q5 marked by both for A-D: (2,1) (1,1) (1,1) (0,0): exact 3/4, all within a point.
    # First grader 2,1,1,0 (mean 1, variance .5); second 1,1,1,0 (mean .75, variance 3/16).
    # Chance E[(X-Y)^2] = .5 + 3/16 + 1/16 = .75; observed .25; kappa = 1 - .25/.75 = 2/3.
    rows = practice_report.agreement.set_index("item")
    assert (rows.loc["q5", "n"], rows.loc["q5", "exact"], rows.loc["q5", "adjacent"]) == (
        4,
        0.75,
        1.0,
    )
    assert rows.loc["q5", "kappa"] == pytest.approx(2 / 3)
    assert practice_report.files["Grader agreement"].exists()
    assert (
        f"Agreement {QUIZ} q5: n 4, exact 75%, within 1 point 100%, weighted kappa 0.67"
        in practice_report.summary()
    )


def test_older_quizzes_get_distractor_counts_from_their_option_columns() -> None:
    from intimacy_course.grading.report import v1_distractor_table

    items = [
        {"id": "q1", "kind": "multiple_choice", "options": ["a", "b", "c"]},
        {"id": "q2", "kind": "true_false"},
        {"id": "q3", "kind": "short_answer"},
    ]
    choices = pd.DataFrame({"q1": ["a", "a", "blank"], "q2": ["true", "true", "true"]})
    table = v1_distractor_table(items, {"q1": "a", "q2": "false"}, choices)
    assert table[["item", "option", "correct", "seen", "chosen"]].values.tolist() == [
        ["q1", "a", True, 3, 2],
        ["q1", "b", False, 3, 0],
        ["q1", "c", False, 3, 0],
        ["q2", "true", False, 3, 3],
        ["q2", "false", True, 3, 0],
    ]

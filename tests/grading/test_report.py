"""Does the report give an instructor the right grades and item statistics?

A small cohort of five trainees takes the fixture quiz (key: q1 b, q2 c, q3 b, q4 false,
q5 true; q6 is a 3-point short answer). They are autograded by nbgrader, q6 is "hand graded"
through the gradebook API the way formgrader stores it, and every statistic below was
worked out by hand from this table:

    trainee  q1  q2  q3   q4     q5     q6 | total
    A        b   c   b    false  true   3  | 8
    B        b   c   a    false  true   2  | 6
    C        b   a   b    true   true   1  | 4
    D        a   c   c    true   false  1  | 2
    E        ""  d   yes  false  false  -  | 1    (q6 left as YOUR ANSWER HERE: 0)
"""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from intimacy_course.grading.report import corrected_item_total, write_report
from tests.support.grading_courses import FIXTURE_QUIZ, cached, small_cohort

# One worker builds the small graded cohort test_course and test_report share.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-small-cohort")]

# Worked by hand: difficulty = mean score / points; discrimination = Pearson r between the
# item and the total of the other items (sums of products of deviations over the root of the
# product of sums of squares), e.g. q1: x = 1,1,1,0,0, rest = 7,5,3,2,1:
# Sxy = 4.2, Sxx = 1.2, Syy = 23.2, r = 4.2 / sqrt(27.84) = 0.7960.
EXPECTED = {
    #      difficulty, discrimination
    "q1": (0.6, 0.7960),  # 4.2 / sqrt(1.2 * 23.2)
    "q2": (0.6, 0.3851),  # 2.2 / sqrt(1.2 * 27.2)
    "q3": (0.4, 0.4232),  # 2.4 / sqrt(1.2 * 26.8)
    "q4": (0.6, 0.2027),  # 1.2 / sqrt(1.2 * 29.2)
    "q5": (0.6, 0.7960),  # same pattern as q1
    "q6": (7 / 15, 0.9070),  # 7.4 / sqrt(5.2 * 12.8)
}
EXPECTED_CHOICES = {
    "q1": {"a": 1, "b": 3, "c": 0, "d": 0, "blank": 1, "other": 0},
    "q2": {"a": 1, "b": 0, "c": 3, "d": 1, "blank": 0, "other": 0},
    "q3": {"a": 1, "b": 2, "c": 1, "d": 0, "blank": 0, "other": 1},
    "q4": {"true": 2, "false": 3, "blank": 0, "other": 0},
    "q5": {"true": 3, "false": 2, "blank": 0, "other": 0},
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    _, _, api = small_cohort(tmp_path_factory)
    return cached("small-cohort-report", lambda: write_report(api))


def test_item_statistics_match_the_hand_computed_values(report) -> None:
    stats = report.items.set_index("item")
    for item, (difficulty, discrimination) in EXPECTED.items():
        assert stats.loc[item, "difficulty"] == pytest.approx(difficulty, abs=1e-4), item
        assert stats.loc[item, "discrimination"] == pytest.approx(discrimination, abs=1e-4), item
        assert stats.loc[item, "n"] == 5


def test_option_counts_come_from_the_autograded_notebooks(report) -> None:
    stats = report.items.set_index("item")
    for item, counts in EXPECTED_CHOICES.items():
        assert {k: int(stats.loc[item, f"chosen_{k}"]) for k in counts} == counts, item
    assert stats.loc["q1", "key"] == "b" and stats.loc["q4", "key"] == "false"


def test_grades_csv_has_a_row_per_trainee_and_a_column_per_quiz(report) -> None:
    with open(report.grades_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["student_id"] for r in rows] == ["A", "B", "C", "D", "E"]
    assert {r["student_id"]: float(r[FIXTURE_QUIZ]) for r in rows} == {
        "A": 8,
        "B": 6,
        "C": 4,
        "D": 2,
        "E": 1,
    }
    assert list(rows[0]) == ["student_id", FIXTURE_QUIZ, "total"]
    assert report.pending_hand_grading == 0


def test_the_plots_are_written_as_png(report) -> None:
    assert [p.name for p in report.plots] == ["item_statistics.png", "score_distributions.png"]
    for plot in report.plots:
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000


def test_discrimination_is_undefined_when_nobody_differs() -> None:
    same = pd.Series([1.0, 1.0, 1.0])
    assert math.isnan(corrected_item_total(same, pd.Series([3.0, 2.0, 1.0])))
    assert corrected_item_total(pd.Series([1.0, 0.0]), pd.Series([5.0, 1.0])) == pytest.approx(1.0)

"""The quiz items files: do they load, follow the course's rules and cover every objective?"""

from __future__ import annotations

from pathlib import Path

import pytest

from intimacy_course.content.objectives import learning_objectives, parse_objectives
from intimacy_course.paths import MODULES
from intimacy_course.quiz.items import ItemsError, load_all, load_quiz
from tests.support import FIXTURES, REPO

ITEMS = (
    REPO / "grading" / "items" / "v1"
)  # bank version 1: what learners' older copies were made from
FIXTURE = FIXTURES / "quiz_items" / "01_attachment_injury.toml"


@pytest.mark.parametrize("module", MODULES)
def test_each_module_has_an_items_file_that_loads(module: str) -> None:
    quiz = load_quiz(ITEMS / f"{module}.toml")
    assert quiz.module == module


@pytest.mark.parametrize("module", MODULES)
def test_each_quiz_follows_the_course_rules(module: str) -> None:
    quiz = load_quiz(ITEMS / f"{module}.toml")
    kinds = [item.kind for item in quiz.items]
    assert 6 <= len(quiz.items) <= 8, "6-8 items per quiz"
    assert 1 <= kinds.count("short_answer") <= 2, "one or two hand-graded short answers"
    for item in quiz.items:
        if item.autograded:
            assert item.points == 1, item.id
        else:
            assert 2 <= item.points <= 3, item.id


@pytest.mark.parametrize("module", MODULES)
def test_every_learning_objective_is_checked_by_some_item(module: str) -> None:
    objectives = learning_objectives(module)
    if objectives is None:
        pytest.skip(f"course/{module}.ipynb or its 'Learning objectives' list does not exist yet")
    quiz = load_quiz(ITEMS / f"{module}.toml")
    assert objectives, f"course/{module}.ipynb has an empty objectives list"
    assert sorted(set(objectives) - quiz.objectives) == [], "objectives no item checks"
    assert sorted(quiz.objectives - set(objectives)) == [], (
        "items naming an objective the module lacks"
    )


def test_the_fixture_quiz_loads_with_its_key() -> None:
    quiz = load_quiz(FIXTURE)
    assert [i.answer for i in quiz.items] == ["b", "c", "b", "false", "true", ""]
    assert quiz.autograded_points == 5 and quiz.total_points == 8
    assert [q.module for q in load_all(ITEMS)] == sorted(q.stem for q in ITEMS.glob("*.toml"))


GOOD_ITEM = """
[[item]]
id = "q1"
kind = "multiple_choice"
objective = 1
points = 1
question = "Which?"
options = { a = "one", b = "two", c = "three" }
answer = "b"
explanation = "Because."
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('answer = "b"', 'answer = "e"'),
            "02_acting_out.toml: item q1: field 'answer' must be one of the option letters a, b, c",
        ),
        (('id = "q1"', 'id = "q2"'), "item q2: field 'id' must be q1"),
        (('kind = "multiple_choice"', 'kind = "essay"'), "item q1: field 'kind' must be one of"),
        (
            ("objective = 1", "objective = 0"),
            "item q1: field 'objective' must be a whole number of at least 1",
        ),
        (
            ('explanation = "Because."', 'explanation = "  "'),
            "item q1: field 'explanation' must be non-empty text",
        ),
        (
            ('explanation = "Because."', 'explanaton = "Because."'),
            "item q1: field 'explanaton' is not used by a multiple_choice item",
        ),
        (
            (
                'options = { a = "one", b = "two", c = "three" }',
                'options = { a = "one", c = "two", d = "x" }',
            ),
            "item q1: field 'options' must use the letters a, b, c in order",
        ),
        (
            (
                'options = { a = "one", b = "two", c = "three" }',
                'options = { a = "one", b = "two" }',
            ),
            "item q1: field 'options' must be a table of 3 to 5 options",
        ),
        (('question = "Which?"\n', ""), "item q1: field 'question' is missing"),
    ],
)
def test_errors_name_the_file_the_item_and_the_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = '[quiz]\nmodule = "02_acting_out"\ntitle = "T"\n' + GOOD_ITEM.replace(*change)
    path = tmp_path / "02_acting_out.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ItemsError) as raised:
        load_quiz(path)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[quiz]\nmodule = "01_attachment_injury"\ntitle = "T"\n' + GOOD_ITEM,
            "field 'module' must be '02_acting_out'",
        ),
        ("[quiz\n", "not valid TOML"),
        ('[quiz]\nmodule = "02_acting_out"\ntitle = "T"\n', "no [[item]] tables"),
        (GOOD_ITEM, "the [quiz] table (module, title) is missing"),
    ],
)
def test_file_level_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "02_acting_out.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ItemsError, match=None) as raised:
        load_quiz(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


def test_true_false_accepts_a_toml_boolean(tmp_path: Path) -> None:
    path = tmp_path / "02_acting_out.toml"
    path.write_text(
        '[quiz]\nmodule = "02_acting_out"\ntitle = "T"\n[[item]]\nid = "q1"\n'
        'kind = "true_false"\nobjective = 2\npoints = 1\nquestion = "S."\n'
        'answer = false\nexplanation = "E."\n',
        encoding="utf-8",
    )
    assert load_quiz(path).items[0].answer == "false"


def test_objectives_are_read_from_the_numbered_list() -> None:
    text = "Intro line\n\n1. **Describe** the system\n   and its parts.\n2. Explain why.\n\nAfter the list."
    assert parse_objectives(text) == {
        1: "**Describe** the system and its parts.",
        2: "Explain why.",
    }
    assert learning_objectives("01_attachment_injury", root=Path("/nonexistent")) is None

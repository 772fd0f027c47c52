"""How a trainee's typed answer is read, and what the form check under it says."""

from __future__ import annotations

import pytest

from intimacy_course.quiz import answers
from intimacy_course.quiz.answers import (
    check_choice,
    check_true_false,
    choice_answer,
    choice_message,
    read_choice,
    read_true_false,
    true_false_answer,
    true_false_message,
)


@pytest.mark.parametrize(
    "typed",
    [
        "b",
        "B",
        " b ",
        "\tb\n",
        "(b)",
        "b)",
        "b.",
        "[b]",
        "'b'",
        '"b"',
        "\u201cb\u201d",
        "option b",
        "Option B",
        "answer: b",
        "( B )",
    ],
)
def test_these_all_read_as_option_b(typed: str) -> None:
    assert read_choice(typed, "abcd").value == "b"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "not answered yet"),
        ("   ", "not answered yet"),
        ("e", "is not one of the options. Choose one of a, b, c or d."),
        ("z", "is not one of the options"),
        ("b and c", "choose one letter only"),
        ("b, c", "choose one letter only"),
        ("bc", "type only the letter"),
        ("The partner's betrayal", "type only the letter of your choice (a, b, c or d), not words"),
        ("yes", "type only the letter"),
    ],
)
def test_an_answer_in_the_wrong_form_gets_a_plain_message(typed: str, says: str) -> None:
    reading = read_choice(typed, "abcd")
    assert reading.value is None
    assert says in reading.problem


def test_a_number_instead_of_a_quoted_letter_is_explained() -> None:
    assert 'between quotes, for example "a"' in read_choice(2, "abcd").problem


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("true", "true"),
        ("TRUE", "true"),
        (" True ", "true"),
        ("t", "true"),
        ("T", "true"),
        (True, "true"),
        ("true.", "true"),
        ("'false'", "false"),
        ("False", "false"),
        ("f", "false"),
        (False, "false"),
    ],
)
def test_true_false_readings(typed: object, value: str) -> None:
    assert read_true_false(typed).value == value


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("yes", "can be read both ways"),
        ("No", "can be read both ways"),
        ("", "not answered yet"),
        ("maybe", "is not true or false"),
        (1, "type true or false between the quotes"),
    ],
)
def test_true_false_in_the_wrong_form(typed: object, says: str) -> None:
    reading = read_true_false(typed)
    assert reading.value is None and says in reading.problem


def test_the_form_check_never_says_whether_an_answer_is_right() -> None:
    """Two readable answers get the same message apart from the answer itself."""
    first = choice_message("q1", "a", "abcd").replace('"a"', "X")
    second = choice_message("q1", "c", "abcd").replace('"c"', "X")
    assert first == second
    assert "right" not in first.replace("whether it is right", "")
    assert true_false_message("q4", "true").replace('"true"', "X") == true_false_message(
        "q4", "false"
    ).replace('"false"', "X")


def test_helpers_read_the_answer_from_the_calling_namespace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    namespace: dict[str, object] = {"__builtins__": __builtins__}
    code = (
        "from intimacy_course.quiz_answers import check_choice, choice_answer, "
        "check_true_false, true_false_answer\n"
        "q1 = ' (B) '\n"
        "q4 = 'yes'\n"
        "check_choice('q1', 'abcd')\n"
        "check_true_false('q4')\n"
        "check_choice('q2', 'abcd')\n"
        "result = (choice_answer('q1', 'abcd'), true_false_answer('q4'), choice_answer('q2', 'abcd'))\n"
    )
    exec(compile(code, "<cell>", "exec"), namespace)  # stands in for a notebook cell
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith('Question 1: your answer "(B)" reads as "b".')
    assert printed[1].startswith('Question 4: "yes" can be read both ways.')
    assert (
        printed[2] == "Question 2: there is no answer to read yet: run the answer cell above first."
    )
    assert namespace["result"] == ("b", None, None)


def test_the_checks_return_nothing_so_a_notebook_shows_each_message_once() -> None:
    namespace = {"q1": "b", "q4": "t"}
    assert eval("check_choice('q1', 'abcd')", {**namespace, "check_choice": check_choice}) is None
    assert (
        eval("check_true_false('q4')", {**namespace, "check_true_false": check_true_false}) is None
    )
    assert choice_answer.__module__ == answers.__name__ == true_false_answer.__module__

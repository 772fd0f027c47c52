"""Reading a trainee's quiz answer: normalization, and the form check shown under each answer.

Quiz notebooks import these helpers in two places:

- the visible form check under each answer (``check_choice("q1", "abcd")``) tells the
  trainee whether their answer can be read, never whether it is right;
- the hidden test (removed from the released notebook, restored at autograde) compares
  ``choice_answer("q1", "abcd")`` with the key.

Both read the answer through the same normalization, so an answer the form check accepts is
graded as what the form check said it reads as. The rules (also in grading/README.md):

- multiple choice: one option letter; case, spaces and quotes do not matter, and common
  decorations are accepted: ``"B"``, ``" b "``, ``"(b)"``, ``"b)"``, ``"b."``, ``"[b]"``,
  ``"option b"``. A letter that is not an option, two letters, or the words of an option
  instead of its letter are not read; the form check says what to type instead.
- true/false: ``"true"``/``"false"`` in any case, ``"t"``/``"f"``, and Python's ``True``/``False``
  without quotes. ``"yes"``/``"no"`` are not read: "yes" could mean "yes, it is false".

Helpers take the variable's *name* and look it up in the notebook's namespace, so a deleted
answer cell reads as "no answer" (and scores 0) instead of stopping the cell with a NameError.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

_MISSING = object()
_QUOTES = "\"'`\u2018\u2019\u201c\u201d"
_LETTER = re.compile(
    r"^(?:(?:option|answer|letter)\s*[:\-]?\s*)?[\(\[]?\s*([a-z])\s*[\)\]]?\s*[.:]?$"
)
_SEVERAL_LETTERS = re.compile(
    r"^[\(\[]?[a-z][\)\]]?(?:\s*(?:,|and|&|/|\s)\s*[\(\[]?[a-z][\)\]]?)+$"
)
_TRUE = ("true", "t")
_FALSE = ("false", "f")
_YES_NO = ("yes", "no", "y", "n", "correct", "incorrect", "right", "wrong")


@dataclass(frozen=True)
class Reading:
    """How an answer reads: ``value`` is the normalized answer, or None with a ``problem``."""

    value: str | None
    problem: str = ""


def _clean(text: str) -> str:
    text = text.strip()
    while len(text) >= 1 and text[0] in _QUOTES and text[-1] in _QUOTES and len(text) >= 2:
        text = text[1:-1].strip()
    return " ".join(text.strip(_QUOTES).split()).lower()


def _list_words(letters: str) -> str:
    each = list(letters)
    return ", ".join(each[:-1]) + " or " + each[-1] if len(each) > 1 else each[0]


def read_choice(raw: Any, letters: str) -> Reading:
    """Read a multiple-choice answer as one of ``letters`` (e.g. "abcd")."""
    choices = _list_words(letters)
    if raw is _MISSING:
        return Reading(None, "there is no answer to read yet: run the answer cell above first.")
    if not isinstance(raw, str):
        return Reading(None, f'put the letter between quotes, for example "{letters[0]}".')
    text = _clean(raw)
    if not text:
        return Reading(None, f"not answered yet. Type one letter ({choices}) between the quotes.")
    match = _LETTER.match(text)
    if match:
        letter = match.group(1)
        if letter in letters:
            return Reading(letter)
        return Reading(None, f'"{raw.strip()}" is not one of the options. Choose one of {choices}.')
    if _SEVERAL_LETTERS.match(text):
        return Reading(None, f"choose one letter only ({choices}).")
    shown = raw.strip() if len(raw.strip()) <= 40 else raw.strip()[:37] + "..."
    return Reading(
        None,
        f'"{shown}" is not a single letter: type only the letter of your choice ({choices}), '
        f'not words. For example "{letters[0]}".',
    )


def read_true_false(raw: Any) -> Reading:
    """Read a true/false answer as "true" or "false"."""
    if raw is _MISSING:
        return Reading(None, "there is no answer to read yet: run the answer cell above first.")
    if isinstance(raw, bool):
        return Reading("true" if raw else "false")
    if not isinstance(raw, str):
        return Reading(None, 'type true or false between the quotes, for example "false".')
    text = _clean(raw).rstrip(".!")
    if not text:
        return Reading(None, "not answered yet. Type true or false between the quotes.")
    if text in _TRUE:
        return Reading("true")
    if text in _FALSE:
        return Reading("false")
    if text in _YES_NO:
        return Reading(
            None,
            f'"{raw.strip()}" can be read both ways. Type true if the statement is true, '
            "false if it is not.",
        )
    return Reading(
        None, f'"{raw.strip()}" is not true or false. Type just one word: true or false.'
    )


def _lookup(name: str, depth: int = 2) -> Any:
    """The value of ``name`` in the notebook namespace of the cell that called a helper."""
    namespace = sys._getframe(depth).f_globals
    return namespace.get(name, _MISSING)


def _number(name: str) -> str:
    return name[1:] if name[:1] == "q" and name[1:].isdigit() else name


def _report(name: str, raw: Any, reading: Reading) -> str:
    number = _number(name)
    if reading.value is None:
        return f"Question {number}: {reading.problem}"
    shown = raw.strip() if isinstance(raw, str) else repr(raw)
    return (
        f'Question {number}: your answer "{shown}" reads as "{reading.value}". It is in a form '
        "the grader can read; whether it is right is shown when the quiz is graded."
    )


def choice_message(name: str, raw: Any, letters: str) -> str:
    """What the form check says about multiple-choice answer ``raw`` to question ``name``."""
    return _report(name, raw, read_choice(raw, letters))


def true_false_message(name: str, raw: Any) -> str:
    """What the form check says about true/false answer ``raw`` to question ``name``."""
    return _report(name, raw, read_true_false(raw))


def check_choice(name: str, letters: str) -> None:
    """Form check under a multiple-choice answer: print how the answer reads."""
    print(choice_message(name, _lookup(name), letters))


def check_true_false(name: str) -> None:
    """Form check under a true/false answer: print how the answer reads."""
    print(true_false_message(name, _lookup(name)))


def choice_answer(name: str, letters: str) -> str | None:
    """For hidden tests: the normalized letter of answer ``name``, or None if it cannot be read."""
    return read_choice(_lookup(name), letters).value


def true_false_answer(name: str) -> str | None:
    """For hidden tests: "true"/"false" for answer ``name``, or None if it cannot be read."""
    return read_true_false(_lookup(name)).value

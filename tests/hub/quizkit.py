"""The quiz the cohort tests pass around, and how a trainee answers it: by clicking.

The course's real first quiz, released for the cohort (``release --cohort``): each trainee
draws one question per learning objective with shuffled options, from the instructor's
private seed. The tests, as root, read the instructor's bank and seed to know each
trainee's questions and right answers, then have the trainee click in their own kernel: the
quiz's own set-up cell runs, and each answer widget's value is set, as a click sets it, so
the widget itself writes ``answers.json`` beside the quiz.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from intimacy_course.quiz.bank import Bank, load_bank
from intimacy_course.quiz.paper import draw, right_option_id

QUIZ_ID = "01_attachment_injury"
WRITTEN_ANSWER = (
    "I would slow down, name the hurt I heard, and ask what would help them feel safe "
    "enough to keep talking."
)


@dataclass
class Plan:
    """One trainee's answers: question number -> option id clicked, or text typed."""

    student: str
    choices: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    right: int = 0  # clicked questions answered right
    clicked_questions: int = 0  # clicked questions on this trainee's sheet


def instructor_key(course_root: Path, quiz: str = QUIZ_ID) -> Bank:
    return load_bank(course_root / "items" / f"{quiz}.toml")


def plan_answers(
    bank: Bank, seed: bytes, student: str, right: int | None, wrong: int = 0, written: int = 99
) -> Plan:
    """Answer the first ``right`` clicked questions right (None: all), the next ``wrong``
    wrong, leave the rest unanswered; type an answer to the first ``written`` written ones."""
    plan = Plan(student)
    sheet = draw(bank, seed, student)
    clicked = [(n, slot) for n, slot in enumerate(sheet.slots, 1) if bank.item(slot.item_id).auto]
    plan.clicked_questions = len(clicked)
    plan.right = len(clicked) if right is None else right
    for index, (number, slot) in enumerate(clicked):
        key = right_option_id(seed, bank.item(slot.item_id))
        if index < plan.right:
            plan.choices[number] = key
        elif index < plan.right + wrong:
            plan.choices[number] = next(o for o in slot.option_ids if o != key)
    writing = [n for n, slot in enumerate(sheet.slots, 1) if not bank.item(slot.item_id).auto]
    for number in writing[:written]:
        plan.texts[number] = WRITTEN_ANSWER
    return plan


CLICK = """
import json, os
from pathlib import Path
folder = Path.home() / {course!r} / {quiz!r}
os.chdir(folder)
notebook = json.loads((folder / "quiz.ipynb").read_text(encoding="utf-8"))
setup = next(cell for cell in notebook["cells"]
             if cell["metadata"].get("nbgrader", {{}}).get("grade_id") == "setup")
namespace = {{}}
exec("".join(setup["source"]), namespace)   # the quiz's own set-up cell
quiz = namespace["quiz"]
for number, value in [*{choices!r}.items(), *{texts!r}.items()]:
    box = quiz.ask(number)                   # the cell quiz.ask(N) shows this box
    box.children[1].value = value            # a click on an option, or typing in the box
stored = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
print(json.dumps({{"student": quiz.student, "known": quiz.known, "stored": stored,
                  "mode": oct((folder / "answers.json").stat().st_mode & 0o777)}}))
"""


def click_code(course_id: str, quiz: str, plan: Plan) -> str:
    """Code a trainee's kernel runs to answer ``plan`` through the quiz's own widgets."""
    return CLICK.format(course=course_id, quiz=quiz, choices=plan.choices, texts=plan.texts)


def stored_matches(plan: Plan, stored: dict, sheet_items: list[str]) -> bool:
    """Whether answers.json holds exactly the plan (by item id)."""
    answers = stored.get("answers", {})
    expected = {sheet_items[n - 1]: {"choice": v} for n, v in plan.choices.items()}
    expected.update({sheet_items[n - 1]: {"text": v} for n, v in plan.texts.items()})
    return answers == expected


def sheet_item_ids(bank: Bank, seed: bytes, student: str) -> list[str]:
    return [slot.item_id for slot in draw(bank, seed, student).slots]


def read_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])

"""Marking a quiz from its stored answers, outside any trainee's Python.

The verdict on a clicked item depends only on three things the trainee cannot touch: the bank
(the key), the trainee's sheet (recomputed from the seed for a cohort) and the option id in
the stored answers file, read before any trainee code runs. Self-check, autograding and the
feedback page all call :func:`mark`, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from intimacy_course.quiz.bank import Bank, BankItem
from intimacy_course.quiz.paper import Sheet, option_id
from intimacy_course.quiz.stored_answers import StoredAnswers


@dataclass(frozen=True)
class Shown:
    """One option as the trainee saw it: its letter on their screen, id, text and why."""

    letter: str
    option_id: str
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one question of a trainee's sheet."""

    number: int
    slot: str
    item: BankItem
    options: tuple[Shown, ...]
    chosen: Shown | None
    text: str
    score: float | None
    points: int

    @property
    def answered(self) -> bool:
        return self.chosen is not None or bool(self.text.strip())

    @property
    def right(self) -> bool | None:
        """True or False for a clicked item; None for a hand-marked one."""
        return None if not self.item.auto else bool(self.score)

    @property
    def right_option(self) -> Shown | None:
        return next((o for o in self.options if o.correct), None)


def _shown(secret: bytes, item: BankItem, order: tuple[str, ...]) -> tuple[Shown, ...]:
    by_id = {option_id(secret, item, i): (i, option) for i, option in enumerate(item.options)}
    shown = []
    for position, oid in enumerate(order):
        _, option = by_id[oid]
        letter = option.text if item.kind == "true_false" else "abcdefgh"[position]
        shown.append(Shown(letter, oid, option.text, option.correct, option.why))
    return tuple(shown)


def mark(bank: Bank, secret: bytes, sheet: Sheet, stored: StoredAnswers) -> list[ItemResult]:
    """Mark every question of ``sheet``; answers to items not on the sheet are ignored."""
    results = []
    for number, slot in enumerate(sheet.slots, start=1):
        item = bank.item(slot.item_id)
        if item.auto:
            options = _shown(secret, item, slot.option_ids)
            chosen = next((o for o in options if o.option_id == stored.choices.get(item.id)), None)
            score: float | None = 1.0 if chosen is not None and chosen.correct else 0.0
            results.append(ItemResult(number, slot.slot, item, options, chosen, "", score, 1))
        else:
            text = stored.texts.get(item.id, "")
            results.append(ItemResult(number, slot.slot, item, (), None, text, None, item.points))
    return results


def total(results: list[ItemResult]) -> tuple[float, int]:
    """Score and maximum of the automatically marked questions."""
    auto = [r for r in results if r.item.auto]
    return sum(r.score or 0.0 for r in auto), len(auto)

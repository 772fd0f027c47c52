"""The paper: what a released quiz shows, and which questions each trainee gets.

A released notebook carries the paper: every item's stem and options under opaque option ids,
never which option is right. In a practice release every trainee sees every item, options in
the authored order. In a cohort release each learning objective is one slot: each trainee gets
one of the slot's interchangeable items with its options shuffled, both decided by the
instructor's private seed. nbgrader gives every trainee the same notebook, so the paper holds
a draw table keyed by a hash of the trainee's id; the grader never trusts that table or the
submission, and recomputes each trainee's draw from the seed (:func:`draw`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass
from typing import Any

from intimacy_course.quiz.bank import Bank, BankItem

PRACTICE = "practice"
COHORT = "cohort"
#: Practice option ids are derived from a public constant: the practice bank is public anyway.
PRACTICE_SECRET = b"intimacy-course practice bank"
PAPER_FORMAT = 2


@dataclass(frozen=True)
class Slot:
    """One question place on a trainee's sheet: the item drawn and its options as shown."""

    slot: str
    item_id: str
    option_ids: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """The questions one trainee sees, in order."""

    slots: tuple[Slot, ...]

    def slot_of(self, item_id: str) -> Slot | None:
        return next((slot for slot in self.slots if slot.item_id == item_id), None)


def _digest(secret: bytes, text: str) -> bytes:
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).digest()


def option_id(secret: bytes, item: BankItem, index: int) -> str:
    """The opaque id of an item's option: says nothing about its position or rightness."""
    return "o" + _digest(secret, f"{item.id}:{index}").hex()[:10]


def right_option_id(secret: bytes, item: BankItem) -> str:
    """The key: the opaque id of the item's right option."""
    return option_id(secret, item, item.correct_index)


def student_key(module: str, student: str) -> str:
    """How the draw table names a trainee (a hash, so the paper lists no account names)."""
    return hashlib.sha256(f"{module}:{student}".encode()).hexdigest()[:16]


def slot_name(item: BankItem) -> str:
    return f"objective-{item.objective}" if item.auto else f"written-{item.id}"


def _authored(secret: bytes, item: BankItem) -> tuple[str, ...]:
    return tuple(option_id(secret, item, i) for i in range(len(item.options)))


def practice_sheet(bank: Bank) -> Sheet:
    """Every item, in bank order with short answers last, options as authored."""
    ordered = [*bank.auto_items, *bank.short_answers]
    return Sheet(
        tuple(Slot(item.id, item.id, _authored(PRACTICE_SECRET, item)) for item in ordered)
    )


def draw(bank: Bank, seed: bytes, student: str) -> Sheet:
    """A cohort trainee's sheet: one variant per objective, options shuffled, from the seed."""
    slots = []
    for objective, variants in bank.by_objective().items():
        pick = int.from_bytes(
            _digest(seed, f"{bank.module}:{student}:objective-{objective}")[:8], "big"
        )
        item = variants[pick % len(variants)]
        order = list(_authored(seed, item))
        if item.kind == "multiple_choice":
            random.Random(_digest(seed, f"{bank.module}:{student}:{item.id}:order")).shuffle(order)
        slots.append(Slot(slot_name(item), item.id, tuple(order)))
    for item in bank.short_answers:
        slots.append(Slot(slot_name(item), item.id, ()))
    return Sheet(tuple(slots))


def fallback_sheet(bank: Bank, seed: bytes) -> Sheet:
    """For an account the release did not know: first variant of each slot, authored order."""
    slots = [
        Slot(slot_name(variants[0]), variants[0].id, _authored(seed, variants[0]))
        for variants in bank.by_objective().values()
    ]
    slots += [Slot(slot_name(item), item.id, ()) for item in bank.short_answers]
    return Sheet(tuple(slots))


def _public_item(secret: bytes, item: BankItem) -> dict[str, Any]:
    public: dict[str, Any] = {
        "title": item.title,
        "objective": item.objective,
        "kind": item.kind,
        "stem": item.stem,
    }
    if item.auto:
        public["options"] = [
            [option_id(secret, item, i), o.text] for i, o in enumerate(item.options)
        ]
    else:
        public["criteria"] = [criterion.name for criterion in item.criteria]
        public["points"] = item.points
    return public


def _sheet_json(sheet: Sheet) -> list[list[Any]]:
    return [[slot.slot, slot.item_id, list(slot.option_ids)] for slot in sheet.slots]


def sheet_from_json(raw: list[list[Any]]) -> Sheet:
    return Sheet(tuple(Slot(str(s), str(i), tuple(map(str, o))) for s, i, o in raw))


def make_paper(
    bank: Bank, mode: str, seed: bytes | None = None, students: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The JSON-ready paper a quiz notebook embeds. It holds no key and no explanations."""
    if mode == PRACTICE:
        secret, sheet = PRACTICE_SECRET, practice_sheet(bank)
        items = [bank.item(slot.item_id) for slot in sheet.slots]
        draws: dict[str, Any] = {}
        default = _sheet_json(sheet)
    elif mode == COHORT and seed:
        secret = seed
        items = list(bank.items)
        draws = {
            student_key(bank.module, s): _sheet_json(draw(bank, seed, s)) for s in sorted(students)
        }
        default = _sheet_json(fallback_sheet(bank, seed))
    else:
        raise ValueError("a cohort paper needs the instructor's seed")
    paper: dict[str, Any] = {
        "format": PAPER_FORMAT,
        "module": bank.module,
        "title": bank.title,
        "mode": mode,
        "items": {item.id: _public_item(secret, item) for item in items},
        "default_sheet": default,
        "draws": draws,
    }
    paper["release"] = hashlib.sha256(json.dumps(paper, sort_keys=True).encode()).hexdigest()[:12]
    return paper


def sheet_for(paper: dict[str, Any], student: str) -> tuple[Sheet, bool]:
    """The sheet the paper's draw table gives ``student``; False when the release did not know them."""
    raw = paper.get("draws", {}).get(student_key(paper["module"], student))
    if raw is None:
        return sheet_from_json(paper["default_sheet"]), paper.get("mode") == PRACTICE
    return sheet_from_json(raw), True

"""The item bank, version 2: ``grading/items/NN_topic.toml``, one file per module.

A bank item is what an author writes: a stem, options with the reason each is right or wrong,
an explanation that teaches, and for short answers the criteria, scored examples and a
calibration set. Everything that marks, shows or explains an item reads it through this
module, so a mistake in a bank file is reported once, naming the file, the item and the field.
The format is documented in ``grading/README.md``; ``intimacy-course items lint`` holds the bank
to the item-writing rules (:mod:`intimacy_course.quiz.lint`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intimacy_course.content.toml import Fields, read_toml
from intimacy_course.errors import CourseError

AUTO_KINDS = ("multiple_choice", "true_false")
KINDS = (*AUTO_KINDS, "short_answer")
LEVELS = ("recall", "application", "analysis")
BANK_VERSION = 2
_ITEM_ID = re.compile(r"^m[1-9]-o[1-9][0-9]?-[a-z0-9]+(?:-[a-z0-9]+)*$")


class BankError(CourseError, ValueError):
    """A bank file that cannot be used; the message names the file, item and field."""


@dataclass(frozen=True)
class Option:
    """One answer option: its text, whether it is the right one, and why."""

    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion of a short answer; each is worth one point."""

    name: str
    description: str


@dataclass(frozen=True)
class ScoredAnswer:
    """A sample short answer with its agreed score, the criteria it meets and the reason."""

    answer: str
    score: int
    met: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class BankItem:
    """One item of the bank, as the author wrote it (options in authored order)."""

    id: str
    module: str
    objective: int
    title: str
    kind: str
    level: str
    stem: str
    explanation: str = ""
    options: tuple[Option, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    model_answer: str = ""
    examples: tuple[ScoredAnswer, ...] = ()
    calibration: tuple[ScoredAnswer, ...] = ()

    @property
    def auto(self) -> bool:
        """Marked automatically from the stored choice (multiple choice, true/false)."""
        return self.kind in AUTO_KINDS

    @property
    def points(self) -> int:
        return len(self.criteria) if self.kind == "short_answer" else 1

    @property
    def correct_index(self) -> int:
        """Position of the right option in authored order."""
        return next(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True)
class Bank:
    """A module's bank: its items in file order."""

    module: str
    title: str
    items: tuple[BankItem, ...]
    path: Path

    @property
    def auto_items(self) -> tuple[BankItem, ...]:
        return tuple(item for item in self.items if item.auto)

    @property
    def short_answers(self) -> tuple[BankItem, ...]:
        return tuple(item for item in self.items if not item.auto)

    def item(self, item_id: str) -> BankItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def by_objective(self) -> dict[int, tuple[BankItem, ...]]:
        """Automatically marked items grouped by objective: the variants of each slot."""
        groups: dict[int, list[BankItem]] = {}
        for item in self.auto_items:
            groups.setdefault(item.objective, []).append(item)
        return {objective: tuple(items) for objective, items in sorted(groups.items())}


class _Reader(Fields):
    """One table of a bank file, checked with the course's one TOML validator
    (:mod:`intimacy_course.content.toml`) plus the checks only a bank needs."""

    def __init__(self, path: Path, place: str, table: dict[str, Any]) -> None:
        super().__init__(table, f"{path.name}, {place}", BankError)
        self.path, self.place = path, place

    def whole_number(self, field: str, low: int, high: int) -> int:
        value = self.table.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(field, f"must be a whole number from {low} to {high}.")
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        value = self.table.get(field)
        if value not in allowed:
            self.fail(field, f"is {value!r}; use one of: {', '.join(allowed)}.")
        return str(value)

    def tables(self, field: str) -> list[dict[str, Any]]:
        value = self.table.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(field, f"must be written as [[item.{field}]] tables.")
        return value


def _options(reader: _Reader, kind: str) -> tuple[Option, ...]:
    raw = reader.tables("option")
    wanted = 4 if kind == "multiple_choice" else 2
    if len(raw) != wanted:
        reader.fail("option", f"a {kind.replace('_', ' ')} item needs exactly {wanted} options.")
    options = []
    for number, table in enumerate(raw, start=1):
        sub = _Reader(reader.path, f"{reader.place}, option {number}", table)
        correct = table.get("correct", False)
        if not isinstance(correct, bool):
            sub.fail("correct", "must be true or false (no quotes).")
        options.append(Option(sub.text("text"), correct, sub.text("why")))
    if sum(option.correct for option in options) != 1:
        reader.fail("option", "exactly one option must have correct = true.")
    if kind == "true_false" and [o.text for o in options] != ["True", "False"]:
        reader.fail("option", 'a true/false item has the options "True" then "False".')
    return tuple(options)


def _scored(
    reader: _Reader, field: str, criteria: tuple[Criterion, ...]
) -> tuple[ScoredAnswer, ...]:
    names = {criterion.name for criterion in criteria}
    answers = []
    for number, table in enumerate(reader.tables(field), start=1):
        sub = _Reader(reader.path, f"{reader.place}, {field} {number}", table)
        met = table.get("met", [])
        if not isinstance(met, list) or not all(isinstance(name, str) for name in met):
            sub.fail("met", "must be a list of criterion names in quotes.")
        unknown = sorted(set(met) - names)
        if unknown:
            sub.fail("met", f"names no criterion of this item: {', '.join(unknown)}.")
        score = sub.whole_number("score", 0, len(criteria))
        if score != len(met):
            sub.fail("score", f"is {score} but {len(met)} criteria are met (one point each).")
        answers.append(
            ScoredAnswer(
                sub.text("answer", required=score > 0), score, tuple(met), sub.text("reason")
            )
        )
    return tuple(answers)


def _item(path: Path, module: str, number: int, table: dict[str, Any]) -> BankItem:
    reader = _Reader(path, f"item {number} ({table.get('id', 'no id')})", table)
    item_id = reader.text("id")
    if not _ITEM_ID.match(item_id):
        reader.fail("id", "must look like m1-o2-short-slug (module, objective, a few words).")
    kind = reader.choice("kind", KINDS)
    common: dict[str, Any] = dict(
        id=item_id,
        module=module,
        objective=reader.whole_number("objective", 1, 20),
        title=reader.text("title"),
        kind=kind,
        level=reader.choice("level", LEVELS),
        stem=reader.text("stem"),
    )
    if kind in AUTO_KINDS:
        return BankItem(
            **common, explanation=reader.text("explanation"), options=_options(reader, kind)
        )
    criteria = []
    for index, crit in enumerate(reader.tables("criterion"), start=1):
        sub = _Reader(path, f"{reader.place}, criterion {index}", crit)
        criteria.append(Criterion(sub.text("name"), sub.text("description")))
    if not 1 <= len(criteria) <= 6:
        reader.fail("criterion", "a short answer needs 1 to 6 criteria (one point each).")
    if len({c.name for c in criteria}) != len(criteria):
        reader.fail("criterion", "two criteria share a name.")
    frozen = tuple(criteria)
    return BankItem(
        **common,
        criteria=frozen,
        model_answer=reader.text("model_answer"),
        examples=_scored(reader, "example", frozen),
        calibration=_scored(reader, "calibration", frozen),
    )


def load_bank(path: Path) -> Bank:
    """Read and check one bank file; raise :class:`BankError` saying what to fix."""
    data = read_toml(path, BankError, label=path.name, missing=f"no bank file at {path}.")
    quiz = _Reader(
        path, "[quiz]", data.get("quiz", {}) if isinstance(data.get("quiz"), dict) else {}
    )
    module = quiz.text("module")
    if data["quiz"].get("bank_version") != BANK_VERSION:
        quiz.fail("bank_version", f"must be {BANK_VERSION} for this format.")
    raw_items = data.get("item", [])
    if not isinstance(raw_items, list) or not raw_items:
        raise BankError(f"{path.name}: no [[item]] tables.")
    items = tuple(_item(path, module, n, table) for n, table in enumerate(raw_items, start=1))
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise BankError(f"{path.name}: two items have the id {item.id!r}; ids must be unique.")
        seen.add(item.id)
    return Bank(module=module, title=quiz.text("title"), items=items, path=path)

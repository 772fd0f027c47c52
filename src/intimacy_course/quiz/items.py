"""Load and validate the quiz items files, ``grading/items/NN_topic.toml``.

The content writers own the items files; the quiz notebooks are generated from them. A
mistake in an items file must be easy to fix, so every error names the file, the item and
the field, and says what was expected. Validation covers the shape of an item (what the
generator needs); course rules such as "every objective is checked" are tested elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from intimacy_course.content.toml import Fields, read_toml
from intimacy_course.errors import CourseError
from intimacy_course.paths import MODULES, grading_dir

KINDS = ("multiple_choice", "true_false", "short_answer")
AUTOGRADED_KINDS = ("multiple_choice", "true_false")
OPTION_LETTERS = "abcde"
TRUE_FALSE = ("true", "false")

_COMMON_FIELDS = {"id", "kind", "objective", "points", "question"}
_KIND_FIELDS = {
    "multiple_choice": {"options", "answer", "explanation"},
    "true_false": {"answer", "explanation"},
    "short_answer": {"rubric", "model_answer"},
}
_ITEM_ID = re.compile(r"^q[1-9][0-9]*$")


class ItemsError(CourseError, ValueError):
    """An items file that cannot be turned into a quiz; the message says where and why."""


@dataclass(frozen=True)
class Item:
    """One quiz item. ``answer`` is an option letter or "true"/"false"; empty for short answers."""

    id: str
    kind: str
    objective: int
    points: int
    question: str
    options: dict[str, str] = field(default_factory=dict)
    answer: str = ""
    explanation: str = ""
    rubric: str = ""
    model_answer: str = ""

    @property
    def autograded(self) -> bool:
        return self.kind in AUTOGRADED_KINDS

    @property
    def number(self) -> int:
        return int(self.id[1:])

    @property
    def choices(self) -> tuple[str, ...]:
        """The answers a trainee may give: option letters, or true/false."""
        if self.kind == "multiple_choice":
            return tuple(self.options)
        if self.kind == "true_false":
            return TRUE_FALSE
        return ()


@dataclass(frozen=True)
class Quiz:
    """A module's quiz as written in its items file."""

    module: str
    title: str
    items: tuple[Item, ...]
    path: Path

    @property
    def objectives(self) -> set[int]:
        return {item.objective for item in self.items}

    @property
    def autograded_points(self) -> int:
        return sum(item.points for item in self.items if item.autograded)

    @property
    def total_points(self) -> int:
        return sum(item.points for item in self.items)


def items_dir() -> Path:
    """Where the writers keep the items files."""
    return grading_dir() / "items" / "v1"


def _item(raw: object, position: int, filename: str) -> Item:
    if not isinstance(raw, dict):
        raise ItemsError(f"{filename}: item {position} must be a [[item]] table.")
    item_id = raw.get("id")
    where = f"{filename}: item {item_id if isinstance(item_id, str) else position}"
    fields = Fields(raw, where, ItemsError)
    if not isinstance(item_id, str) or not _ITEM_ID.match(item_id):
        fields.fail("id", f"must look like q1, q2, ... (got {item_id!r}).")
    if item_id != f"q{position}":
        fields.fail("id", f"must be q{position}: ids run q1, q2, ... in file order.")
    kind = raw.get("kind")
    if kind not in KINDS:
        fields.fail("kind", f"must be one of {', '.join(KINDS)} (got {kind!r}).")
    allowed = _COMMON_FIELDS | _KIND_FIELDS[kind]
    fields.only(
        allowed,
        lambda key: f"is not used by a {kind} item (allowed: {', '.join(sorted(allowed))}).",
    )
    fields.require(sorted(allowed), f"is missing (a {kind} item needs it).")
    objective = fields.positive_int("objective")
    points = fields.positive_int("points")
    question = fields.text("question")
    options: dict[str, str] = {}
    answer = ""
    if kind == "multiple_choice":
        raw_options = raw["options"]
        if not isinstance(raw_options, dict) or not 3 <= len(raw_options) <= 5:
            fields.fail("options", "must be a table of 3 to 5 options, a = ..., b = ...")
        expected = list(OPTION_LETTERS[: len(raw_options)])
        if list(raw_options) != expected:
            fields.fail(
                "options",
                f"must use the letters {', '.join(expected)} in order "
                f"(got {', '.join(raw_options)}).",
            )
        option_fields = Fields(raw_options, where, ItemsError)
        options = {key: option_fields.text(key) for key in raw_options}
        raw_answer = raw["answer"]
        if not isinstance(raw_answer, str) or raw_answer.strip().lower() not in raw_options:
            fields.fail(
                "answer",
                f"must be one of the option letters {', '.join(expected)} (got {raw_answer!r}).",
            )
        answer = raw_answer.strip().lower()
    elif kind == "true_false":
        raw_answer = raw["answer"]
        if isinstance(raw_answer, bool):
            raw_answer = "true" if raw_answer else "false"
        if not isinstance(raw_answer, str) or raw_answer.strip().lower() not in TRUE_FALSE:
            fields.fail("answer", f'must be "true" or "false" (got {raw_answer!r}).')
        answer = raw_answer.strip().lower()
    autograded = kind in AUTOGRADED_KINDS
    return Item(
        id=item_id,
        kind=kind,
        objective=objective,
        points=points,
        question=question,
        options=options,
        answer=answer,
        explanation=fields.text("explanation") if autograded else "",
        rubric="" if autograded else fields.text("rubric"),
        model_answer="" if autograded else fields.text("model_answer"),
    )


def load_quiz(path: Path) -> Quiz:
    """Read and validate one items file; raise ItemsError naming file, item and field."""
    path = Path(path)
    filename = str(path)
    data = read_toml(path, ItemsError, missing="no such items file.")
    header = data.get("quiz")
    if not isinstance(header, dict):
        raise ItemsError(f"{filename}: the [quiz] table (module, title) is missing.")
    module = header.get("module")
    if module != path.stem:
        raise ItemsError(
            f"{filename}: [quiz] field 'module' must be {path.stem!r}, the file's own name "
            f"(got {module!r})."
        )
    if module not in MODULES:
        raise ItemsError(
            f"{filename}: [quiz] module {module!r} is not one of {', '.join(MODULES)}."
        )
    title = Fields(header, f"{filename}: [quiz]", ItemsError).text("title")
    extra = sorted(set(data) - {"quiz", "item"})
    if extra:
        raise ItemsError(
            f"{filename}: unexpected table [{extra[0]}]; only [quiz] and [[item]] are read."
        )
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise ItemsError(f"{filename}: no [[item]] tables.")
    items = tuple(_item(raw, position, filename) for position, raw in enumerate(raw_items, start=1))
    return Quiz(module=module, title=title, items=items, path=path)


def load_all(directory: Path | None = None) -> list[Quiz]:
    """Every items file in ``directory`` (default ``grading/items/``), in module order."""
    directory = directory or items_dir()
    return [load_quiz(path) for path in sorted(Path(directory).glob("*.toml"))]

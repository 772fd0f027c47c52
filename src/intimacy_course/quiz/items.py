"""Load and validate the quiz items files, ``grading/items/NN_topic.toml``.

The content writers own the items files; the quiz notebooks are generated from them. A
mistake in an items file must be easy to fix, so every error names the file, the item and
the field, and says what was expected. Validation covers the shape of an item (what the
generator needs); course rules such as "every objective is checked" are tested elsewhere.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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
    return grading_dir() / "items"


def _text(value: object, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ItemsError(f"{where}: field '{name}' must be non-empty text.")
    return value.strip()


def _positive_int(value: object, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ItemsError(f"{where}: field '{name}' must be a whole number of at least 1, not {value!r}.")
    return value


def _item(raw: object, position: int, filename: str) -> Item:
    if not isinstance(raw, dict):
        raise ItemsError(f"{filename}: item {position} must be a [[item]] table.")
    item_id = raw.get("id")
    where = f"{filename}: item {item_id if isinstance(item_id, str) else position}"
    if not isinstance(item_id, str) or not _ITEM_ID.match(item_id):
        raise ItemsError(f"{where}: field 'id' must look like q1, q2, ... (got {item_id!r}).")
    if item_id != f"q{position}":
        raise ItemsError(f"{where}: field 'id' must be q{position}: ids run q1, q2, ... in file order.")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ItemsError(f"{where}: field 'kind' must be one of {', '.join(KINDS)} (got {kind!r}).")
    allowed = _COMMON_FIELDS | _KIND_FIELDS[kind]
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ItemsError(
            f"{where}: field '{unknown[0]}' is not used by a {kind} item "
            f"(allowed: {', '.join(sorted(allowed))})."
        )
    missing = sorted(allowed - set(raw))
    if missing:
        raise ItemsError(f"{where}: field '{missing[0]}' is missing (a {kind} item needs it).")
    values: dict[str, object] = {
        "id": item_id,
        "kind": kind,
        "objective": _positive_int(raw["objective"], where, "objective"),
        "points": _positive_int(raw["points"], where, "points"),
        "question": _text(raw["question"], where, "question"),
    }
    if kind == "multiple_choice":
        options = raw["options"]
        if not isinstance(options, dict) or not 3 <= len(options) <= 5:
            raise ItemsError(f"{where}: field 'options' must be a table of 3 to 5 options, a = ..., b = ...")
        expected = list(OPTION_LETTERS[: len(options)])
        if list(options) != expected:
            raise ItemsError(
                f"{where}: field 'options' must use the letters {', '.join(expected)} in order "
                f"(got {', '.join(options)})."
            )
        values["options"] = {key: _text(text, where, f"options.{key}") for key, text in options.items()}
        answer = raw["answer"]
        if not isinstance(answer, str) or answer.strip().lower() not in options:
            raise ItemsError(
                f"{where}: field 'answer' must be one of the option letters {', '.join(expected)} "
                f"(got {answer!r})."
            )
        values["answer"] = answer.strip().lower()
    elif kind == "true_false":
        answer = raw["answer"]
        if isinstance(answer, bool):
            answer = "true" if answer else "false"
        if not isinstance(answer, str) or answer.strip().lower() not in TRUE_FALSE:
            raise ItemsError(f"{where}: field 'answer' must be \"true\" or \"false\" (got {answer!r}).")
        values["answer"] = answer.strip().lower()
    if kind in AUTOGRADED_KINDS:
        values["explanation"] = _text(raw["explanation"], where, "explanation")
    else:
        values["rubric"] = _text(raw["rubric"], where, "rubric")
        values["model_answer"] = _text(raw["model_answer"], where, "model_answer")
    return Item(**values)  # type: ignore[arg-type]


def load_quiz(path: Path) -> Quiz:
    """Read and validate one items file; raise ItemsError naming file, item and field."""
    path = Path(path)
    filename = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as problem:
        raise ItemsError(f"{filename}: no such items file.") from problem
    except tomllib.TOMLDecodeError as problem:
        raise ItemsError(f"{filename}: not valid TOML: {problem}.") from problem
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
        raise ItemsError(f"{filename}: [quiz] module {module!r} is not one of {', '.join(MODULES)}.")
    title = _text(header.get("title"), f"{filename}: [quiz]", "title")
    extra = sorted(set(data) - {"quiz", "item"})
    if extra:
        raise ItemsError(f"{filename}: unexpected table [{extra[0]}]; only [quiz] and [[item]] are read.")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise ItemsError(f"{filename}: no [[item]] tables.")
    items = tuple(_item(raw, position, filename) for position, raw in enumerate(raw_items, start=1))
    return Quiz(module=module, title=title, items=items, path=path)


def load_all(directory: Path | None = None) -> list[Quiz]:
    """Every items file in ``directory`` (default ``grading/items/``), in module order."""
    directory = directory or items_dir()
    return [load_quiz(path) for path in sorted(Path(directory).glob("*.toml"))]

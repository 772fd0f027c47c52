"""Reflection prompts: loaded from ``workbook/prompts/NN_topic.toml`` and checked strictly.

Prompts are data, not code, so that a counselor or a writer can change a question without
touching Python. That makes the loader the only guard between a typo in a TOML file and a
form that breaks in front of a learner, so every mistake is reported with the file, the
prompt (by id, or by position when the id itself is the problem), the field, and what to
change. The file format is documented in ``workbook/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intimacy_course.content.toml import Fields, read_toml
from intimacy_course.errors import CourseError
from intimacy_course.paths import MODULES, workbook_dir

#: The kinds of prompt a form knows how to show.
PROMPT_KINDS: tuple[str, ...] = ("free_text", "scale", "single_choice", "checklist")

#: Defaults for free-text answers: long enough for a thoughtful paragraph or three.
DEFAULT_MAX_CHARS = 2000
DEFAULT_LINES = 5

#: Ids become CSS classes (``reflection-input-<id>``) and journal keys, so keep them plain.
PROMPT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

_COMMON_FIELDS = {"id", "kind", "label", "help", "optional"}
_KIND_FIELDS: dict[str, set[str]] = {
    "free_text": {"max_chars", "lines"},
    "scale": {"min", "max", "min_label", "max_label"},
    "single_choice": {"options"},
    "checklist": {"options"},
}
_MODULE_FIELDS = {"id", "title", "intro"}


class PromptFileError(CourseError, ValueError):
    """A prompt file is missing or has a mistake; the message says where and how to fix it."""


@dataclass(frozen=True)
class Prompt:
    """One question in a reflection form.

    Only the fields that belong to ``kind`` are meaningful: ``max_chars``/``lines`` for
    free text, ``min``/``max``/``min_label``/``max_label`` for scales, ``options`` for
    single choice and checklists.
    """

    id: str
    kind: str
    label: str
    help: str = ""
    optional: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    lines: int = DEFAULT_LINES
    min: int = 1
    max: int = 5
    min_label: str = ""
    max_label: str = ""
    options: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return not self.optional


@dataclass(frozen=True)
class ModulePrompts:
    """The prompts of one module, in the order the form shows them."""

    module: str
    title: str
    intro: str
    prompts: tuple[Prompt, ...]
    path: Path = field(compare=False)

    def by_id(self) -> dict[str, Prompt]:
        return {prompt.id: prompt for prompt in self.prompts}


def prompts_dir() -> Path:
    """Where the shipped prompt files live: ``workbook/prompts``."""
    return workbook_dir() / "prompts"


def prompt_file(module: str, folder: Path | None = None) -> Path:
    """The prompt file for ``module``; refuses names that are not course modules."""
    if module not in MODULES:
        known = ", ".join(MODULES)
        raise PromptFileError(f"There is no module called {module!r}. Use one of: {known}.")
    return (folder or prompts_dir()) / f"{module}.toml"


def load_prompts(module: str, folder: Path | None = None) -> ModulePrompts:
    """Load and check the prompts of one module (``"01_attachment_injury"`` ...)."""
    return load_prompt_file(prompt_file(module, folder), expected_module=module)


def load_all_prompts(folder: Path | None = None) -> dict[str, ModulePrompts]:
    """Load every module's prompts, in course order; the first mistake stops loading."""
    return {module: load_prompts(module, folder) for module in MODULES}


def load_prompt_file(path: Path, expected_module: str | None = None) -> ModulePrompts:
    """Read one TOML prompt file and check every field.

    ``expected_module`` defaults to the file's name without ``.toml``; the ``[module]``
    table's ``id`` must match it, so a copied file cannot silently answer for the wrong
    module.
    """
    path = Path(path)
    name = path.name
    expected = expected_module or path.stem
    data = read_toml(
        path,
        PromptFileError,
        label=name,
        missing=f"the prompt file is missing (looked for {path}). Restore it from the "
        "course repository, e.g. with `git checkout -- workbook/prompts`.",
    )
    return _parse(data, name, expected, path)


def _parse(data: dict[str, Any], name: str, expected: str, path: Path) -> ModulePrompts:
    unknown_top = set(data) - {"module", "prompt"}
    if unknown_top:
        raise PromptFileError(
            f"{name}: unknown table or key {sorted(unknown_top)[0]!r} at the top level. "
            "A prompt file holds one [module] table and [[prompt]] tables only."
        )
    module_table = data.get("module")
    if not isinstance(module_table, dict):
        raise PromptFileError(
            f"{name}: the [module] table is missing. Add [module] with id, title and intro."
        )
    module_fields = Fields(module_table, f"{name}, [module]", PromptFileError)
    module_fields.only(_MODULE_FIELDS)
    module_id = module_fields.text("id")
    if module_id != expected:
        module_fields.fail(
            "id", f'says {module_id!r} but this file is for {expected!r}. Set id = "{expected}".'
        )
    title = module_fields.text("title")
    intro = module_fields.text("intro")

    tables = data.get("prompt")
    if not isinstance(tables, list) or not tables:
        raise PromptFileError(
            f"{name}: there are no prompts. Add at least one [[prompt]] table "
            "(three to five suit a module)."
        )
    prompts: list[Prompt] = []
    seen: dict[str, int] = {}
    for position, table in enumerate(tables, start=1):
        prompt = _parse_prompt(table, name, position)
        if prompt.id in seen:
            Fields(table, f"{name}, prompt {position} ({prompt.id!r})", PromptFileError).fail(
                "id",
                f"is a duplicate id, already used by prompt {seen[prompt.id]}. Give each "
                "prompt its own id.",
            )
        seen[prompt.id] = position
        prompts.append(prompt)
    return ModulePrompts(module_id, title, intro, tuple(prompts), path)


def _parse_prompt(table: object, name: str, position: int) -> Prompt:
    where = f"{name}, prompt {position}"
    if not isinstance(table, dict):
        raise PromptFileError(f"{where}: expected a [[prompt]] table.")
    raw_id = table.get("id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        Fields(table, where, PromptFileError).fail(
            "id",
            'is missing. Add id = "a_short_name" (lower case letters, digits and underscores).',
        )
    if not PROMPT_ID_PATTERN.match(raw_id):
        Fields(table, where, PromptFileError).fail(
            "id",
            f"{raw_id!r} is not a usable id. Use lower case letters, digits and "
            "underscores, starting with a letter (at most 64 characters).",
        )
    fields = Fields(table, f"{name}, prompt {position} ({raw_id!r})", PromptFileError)

    kind = table.get("kind")
    if kind not in PROMPT_KINDS:
        shown = "is missing" if kind is None else f"names an unknown kind {kind!r}"
        fields.fail("kind", f"{shown}. Use one of: {', '.join(PROMPT_KINDS)}.")

    def hint(key: str) -> str:
        other_kinds = [k for k, names in _KIND_FIELDS.items() if key in names]
        reason = (
            f"it belongs to kind {' or '.join(other_kinds)}, not {kind}"
            if other_kinds
            else "check the spelling against workbook/README.md"
        )
        return f"is not a prompt field here ({reason})."

    fields.only(_COMMON_FIELDS | _KIND_FIELDS[kind], hint)
    label = fields.text("label")
    help_text = fields.text("help", required=False)
    optional = fields.boolean("optional", default=False)

    values: dict[str, Any] = {}
    if kind == "free_text":
        values["max_chars"] = fields.positive_int("max_chars", DEFAULT_MAX_CHARS)
        values["lines"] = fields.positive_int("lines", DEFAULT_LINES)
        if values["lines"] > 40:
            fields.fail("lines", "must be at most 40 lines.")
    elif kind == "scale":
        low = fields.integer("min")
        high = fields.integer("max")
        if low >= high:
            fields.fail(
                "max",
                f"is too small: min ({low}) must be smaller than max ({high}). "
                "Swap them or widen the scale.",
            )
        if high - low > 10:
            fields.fail(
                "max",
                f"makes the scale too long: a scale may have at most 11 points "
                f"(min {low}, max {high}). Narrow it.",
            )
        values.update(
            min=low,
            max=high,
            min_label=fields.text("min_label"),
            max_label=fields.text("max_label"),
        )
    else:
        values["options"] = _options(fields, at_least=2 if kind == "single_choice" else 1)
    return Prompt(id=raw_id, kind=kind, label=label, help=help_text, optional=optional, **values)


def _options(fields: Fields, at_least: int) -> tuple[str, ...]:
    options = fields.table.get("options")
    if options is None:
        fields.fail("options", 'is missing. Add options = ["first", "second"].')
    if not isinstance(options, list) or len(options) < at_least:
        fields.fail(
            "options",
            f"needs a list of at least {at_least} option"
            f'{"s" if at_least > 1 else ""}, e.g. options = ["first", "second"].',
        )
    cleaned: list[str] = []
    for number, option in enumerate(options, start=1):
        if not isinstance(option, str) or not option.strip():
            fields.fail("options", f"has option {number} empty or not text in quotes.")
        if option.strip() in cleaned:
            fields.fail(
                "options",
                f"lists option {number} ({option.strip()!r}) twice. Keep each option once.",
            )
        cleaned.append(option.strip())
    return tuple(cleaned)

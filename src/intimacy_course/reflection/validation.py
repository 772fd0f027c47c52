"""Checks a reflection answer before it is saved, and says how to fix what is wrong.

Kept apart from the widgets so the rules can be read and tested on their own, and so that
the form, a future command-line entry and the tests all apply the same rules. Messages
never quote the answer itself: they end up in the form's status line, and a learner's
words should live only in the journal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from intimacy_course.content.prompts import ModulePrompts, Prompt
from intimacy_course.reflection.answers import empty_value

#: Control characters allowed in free text: newlines and tabs are ordinary writing.
ALLOWED_CONTROL = {"\n", "\t"}


def short_label(prompt: Prompt, limit: int = 70) -> str:
    """The prompt's label, shortened so a message stays one readable line."""
    label = prompt.label
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def normalise_text(text: str) -> str:
    """Unify line endings and trim the outer whitespace the learner cannot see."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def find_control_character(text: str) -> tuple[int, str] | None:
    """The first invisible control character (position from 1, character), if any."""
    for position, character in enumerate(text, start=1):
        if character in ALLOWED_CONTROL:
            continue
        if unicodedata.category(character) == "Cc":
            return position, character
    return None


def check_answer(prompt: Prompt, value: object) -> tuple[object, str | None]:
    """Return ``(clean value, None)`` or ``(value, message saying how to fix it)``."""
    name = f"\u201c{short_label(prompt)}\u201d"
    if prompt.kind == "free_text":
        return _check_text(prompt, value, name)
    if prompt.kind == "scale":
        return _check_scale(prompt, value, name)
    if prompt.kind == "single_choice":
        return _check_choice(prompt, value, name)
    return _check_checklist(prompt, value, name)


def _required(prompt: Prompt, name: str, action: str) -> str:
    later = (
        "A few words are enough, and you can change them later."
        if prompt.kind == "free_text"
        else "You can change it later."
    )
    return f"{name} needs an answer: {action}. {later}"


def _check_text(prompt: Prompt, value: object, name: str) -> tuple[object, str | None]:
    if value is None:
        value = ""
    if not isinstance(value, str):
        return value, f"{name} takes written text, not {type(value).__name__}."
    text = normalise_text(value)
    if not text:
        if prompt.required:
            return "", _required(prompt, name, "write something in the box")
        return "", None
    control = find_control_character(text)
    if control:
        position, character = control
        return text, (
            f"{name} contains an invisible control character (U+{ord(character):04X}) at "
            f"character {position}. It usually comes from copying text out of another "
            "program. Delete it (retype the words around it) and save again."
        )
    if len(text) > prompt.max_chars:
        over = len(text) - prompt.max_chars
        return text, (
            f"{name} is {over} character{'s' if over != 1 else ''} over the limit of "
            f"{prompt.max_chars} ({len(text)} written). Shorten it, or carry the rest over "
            "into another answer; nothing has been removed."
        )
    return text, None


def _check_scale(prompt: Prompt, value: object, name: str) -> tuple[object, str | None]:
    if value is None:
        if prompt.required:
            return None, _required(
                prompt, name, f"choose a number from {prompt.min} to {prompt.max}"
            )
        return None, None
    if isinstance(value, bool) or not isinstance(value, int):
        return value, f"{name} takes a whole number from {prompt.min} to {prompt.max}."
    if not prompt.min <= value <= prompt.max:
        return value, (
            f"{name} must be between {prompt.min} ({prompt.min_label}) and {prompt.max} "
            f"({prompt.max_label}); {value} is outside the scale. Choose a number in range."
        )
    return value, None


def _check_choice(prompt: Prompt, value: object, name: str) -> tuple[object, str | None]:
    if value is None or value == "":
        if prompt.required:
            return None, _required(prompt, name, "choose one of the options")
        return None, None
    if value not in prompt.options:
        return value, f"{name}: that choice is not one of the options. Pick one from the list."
    return value, None


def _check_checklist(prompt: Prompt, value: object, name: str) -> tuple[object, str | None]:
    if value is None:
        value = []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        return value, f"{name} takes a list of ticked options."
    unknown = [item for item in value if item not in prompt.options]
    if unknown:
        return list(value), (
            f"{name}: {len(unknown)} ticked item(s) are not options of this question. "
            "Tick only the boxes shown."
        )
    ticked = [option for option in prompt.options if option in value]
    if not ticked and prompt.required:
        return [], _required(prompt, name, "tick at least one box")
    return ticked, None


@dataclass
class Validation:
    """The outcome of checking a whole form: clean values and messages per prompt id."""

    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown


def unknown_prompt_message(module: ModulePrompts, prompt_ids: list[str]) -> str:
    """Say which prompt ids do not exist in the module, and which do."""
    names = ", ".join(repr(pid) for pid in prompt_ids)
    known = ", ".join(prompt.id for prompt in module.prompts)
    return (
        f"Module {module.module} has no question {names}. Its questions are: {known}. "
        "Check the prompt id (the prompt file may have changed since)."
    )


def validate_answers(module: ModulePrompts, answers: Mapping[str, object]) -> Validation:
    """Check every prompt of ``module`` against ``answers`` (missing ones count as empty)."""
    result = Validation()
    prompts = module.by_id()
    result.unknown = [pid for pid in answers if pid not in prompts]
    for prompt in module.prompts:
        value, error = check_answer(prompt, answers.get(prompt.id, empty_value(prompt)))
        result.values[prompt.id] = value
        if error:
            result.errors[prompt.id] = error
    return result
